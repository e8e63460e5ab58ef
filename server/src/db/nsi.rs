//! НСИ baselines and approved targets (versioned, append-only) and process-time measurements.
//!
//! A `put` never updates a row: it appends the next version of its key in one statement, so
//! concurrent writers of the same key collide on the primary key rather than lose an edit.

use chrono::NaiveDate;

use super::{with_pool, Database, DbResult, Named};

/// Appends the next version of a target's key, in one statement.
const APPEND_TARGET: &str = "insert into nsi_targets (org_id, life_situation, kpi, year, \
    version, value, unit, method, source, approved_by, approved_at, entered_by, entered_at) \
    select $1, $2, $3, $4, coalesce(max(version), 0) + 1, $5, $6, $7, $8, $9, $10, $11, $12 \
    from nsi_targets where org_id = $1 and life_situation = $2 and kpi = $3 and year = $4 \
    returning version";

/// Appends the next version of a baseline's key, in one statement.
const APPEND_BASELINE: &str = "insert into nsi_baselines (org_id, life_situation, kpi, version, \
    value, unit, period, source, entered_by, entered_at) \
    select $1, $2, $3, coalesce(max(version), 0) + 1, $4, $5, $6, $7, $8, $9 \
    from nsi_baselines where org_id = $1 and life_situation = $2 and kpi = $3 \
    returning version";

/// Freezes the latest version of every questionnaire that runs at a point bound to the
/// baseline's life situation in its org's subtree: what measured the baseline (issue 16, frozen
/// measurement). The first baseline that froze a version stays recorded.
const FREEZE_MEASURED: &str = "insert into questionnaire_freezes (questionnaire, version, \
    life_situation, org_id, frozen_by, frozen_at) \
    select q.id, max(q.version), $1, $2, $3, $4 from questionnaires q \
    where q.id in (select pt.questionnaire from points pt join orgs o on o.id = pt.org_id \
    where pt.life_situation = $1 and o.path like (select path from orgs where id = $2) || '%') \
    group by q.id \
    on conflict (questionnaire, version) do nothing";

/// Stores one measurement.
const INSERT_MEASUREMENT: &str = "insert into nsi_time_measurements (org_id, life_situation, \
    stage, value, unit, measured_on, entered_by, entered_at) \
    values ($1, $2, $3, $4, $5, $6, $7, $8) returning id";

/// One stored version of an approved target.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TargetRow {
    /// KPI (`satisfied`, `nps`, `time`).
    pub kpi: String,
    /// The year the target is for.
    pub year: i32,
    /// 1 for the first value of its key, then one more per edit.
    pub version: i32,
    /// The value.
    pub value: f64,
    /// The unit of a time target.
    pub unit: Option<String>,
    /// `gap25`, `position` or `manual`.
    pub method: String,
    /// Where it comes from (a decision, a document).
    pub source: String,
    /// Who approved it.
    pub approved_by: String,
    /// When it was approved, as entered.
    pub approved_at: String,
    /// The login that entered this version (`cli` from the command line).
    pub entered_by: String,
    /// When this version was stored (UTC, RFC 3339).
    pub entered_at: String,
}

/// A target to append.
#[derive(Debug, Clone)]
pub struct NewTarget<'a> {
    /// The org (scope) it is for.
    pub org_id: i64,
    /// Life-situation code.
    pub life_situation: &'a str,
    /// KPI wire name.
    pub kpi: &'a str,
    /// Year.
    pub year: i32,
    /// Value.
    pub value: f64,
    /// Unit of a time target.
    pub unit: Option<&'a str>,
    /// Method wire name.
    pub method: &'a str,
    /// Source.
    pub source: &'a str,
    /// Approved by.
    pub approved_by: &'a str,
    /// Approved at.
    pub approved_at: &'a str,
    /// Entered by.
    pub entered_by: &'a str,
    /// Entered at.
    pub entered_at: &'a str,
}

/// One stored version of a baseline.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BaselineRow {
    /// KPI.
    pub kpi: String,
    /// 1 for the first value of its key, then one more per edit.
    pub version: i32,
    /// The value.
    pub value: f64,
    /// The unit of a time baseline.
    pub unit: Option<String>,
    /// The period measured (`2025Q4`).
    pub period: String,
    /// Where it comes from.
    pub source: String,
    /// Who entered this version.
    pub entered_by: String,
    /// When this version was stored.
    pub entered_at: String,
}

/// A baseline to append.
#[derive(Debug, Clone)]
pub struct NewBaseline<'a> {
    /// The org it is for.
    pub org_id: i64,
    /// Life-situation code.
    pub life_situation: &'a str,
    /// KPI wire name.
    pub kpi: &'a str,
    /// Value.
    pub value: f64,
    /// Unit of a time baseline.
    pub unit: Option<&'a str>,
    /// Period.
    pub period: &'a str,
    /// Source.
    pub source: &'a str,
    /// Entered by.
    pub entered_by: &'a str,
    /// Entered at.
    pub entered_at: &'a str,
}

impl NewBaseline<'_> {
    /// Whether questionnaires measured it: the satisfied share and NPS come from answers, so
    /// recording them freezes the questionnaires asked; process time is timed, not asked.
    fn measured_by_questionnaires(&self) -> bool {
        self.kpi != "time"
    }
}

/// A process-time measurement to store.
#[derive(Debug, Clone)]
pub struct NewMeasurement<'a> {
    /// The institution.
    pub org_id: i64,
    /// Life-situation code.
    pub life_situation: &'a str,
    /// Stage code, if the measurement is of one stage.
    pub stage: Option<&'a str>,
    /// Duration.
    pub value: f64,
    /// Its unit.
    pub unit: &'a str,
    /// The institution's local date of the measurement.
    pub measured_on: NaiveDate,
    /// Entered by.
    pub entered_by: &'a str,
    /// Entered at.
    pub entered_at: &'a str,
}

/// A stored measurement as the report reads it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeasurementRow {
    /// The institution.
    pub org_id: i64,
    /// Stage, if any.
    pub stage: Option<String>,
    /// Duration.
    pub value: f64,
    /// Its unit.
    pub unit: String,
    /// Local date (`YYYY-MM-DD`).
    pub measured_on: String,
}

impl Database {
    /// Appends the next version of a target's key; returns that version.
    ///
    /// # Errors
    /// Database failure (a concurrent append of the same key breaks the primary key).
    pub async fn append_nsi_target(&self, t: &NewTarget<'_>) -> DbResult<i32> {
        Ok(with_pool!(self.writer(), |p| sqlx::query_scalar(
            APPEND_TARGET
        )
        .bind(t.org_id)
        .bind(t.life_situation)
        .bind(t.kpi)
        .bind(t.year)
        .bind(t.value)
        .bind(t.unit)
        .bind(t.method)
        .bind(t.source)
        .bind(t.approved_by)
        .bind(t.approved_at)
        .bind(t.entered_by)
        .bind(t.entered_at)
        .fetch_one(p)
        .await
        .named("append nsi target")?))
    }

    /// Every version of the targets of one org and life situation, by KPI, year and version.
    ///
    /// # Errors
    /// Database failure.
    pub async fn nsi_targets(&self, org_id: i64, life_situation: &str) -> DbResult<Vec<TargetRow>> {
        Ok(with_pool!(self.reader(), |p| sqlx::query_as(
            "select kpi, year, version, value, unit, method, source, approved_by, approved_at, \
             entered_by, entered_at from nsi_targets where org_id = $1 and life_situation = $2 \
             order by kpi, year, version"
        )
        .bind(org_id)
        .bind(life_situation)
        .fetch_all(p)
        .await
        .named("select nsi targets")?))
    }

    /// Appends the next version of a baseline's key; returns that version.
    ///
    /// # Errors
    /// Database failure.
    pub async fn append_nsi_baseline(&self, b: &NewBaseline<'_>) -> DbResult<i32> {
        let batch = NsiBatch {
            baselines: vec![b.clone()],
            ..NsiBatch::default()
        };
        self.store_nsi_batch(&batch)
            .await?
            .pop()
            .ok_or_else(|| anyhow::anyhow!("a baseline was appended without a version").into())
    }

    /// Every version of the baselines of one org and life situation, by KPI and version.
    ///
    /// # Errors
    /// Database failure.
    pub async fn nsi_baselines(
        &self,
        org_id: i64,
        life_situation: &str,
    ) -> DbResult<Vec<BaselineRow>> {
        Ok(with_pool!(self.reader(), |p| sqlx::query_as(
            "select kpi, version, value, unit, period, source, entered_by, entered_at \
             from nsi_baselines where org_id = $1 and life_situation = $2 \
             order by kpi, version"
        )
        .bind(org_id)
        .bind(life_situation)
        .fetch_all(p)
        .await
        .named("select nsi baselines")?))
    }

    /// Stores one process-time measurement; returns its id.
    ///
    /// # Errors
    /// Database failure.
    pub async fn add_nsi_measurement(&self, m: &NewMeasurement<'_>) -> DbResult<i64> {
        let measured_on = m.measured_on.format("%Y-%m-%d").to_string();
        Ok(with_pool!(self.writer(), |p| sqlx::query_scalar(
            INSERT_MEASUREMENT
        )
        .bind(m.org_id)
        .bind(m.life_situation)
        .bind(m.stage)
        .bind(m.value)
        .bind(m.unit)
        .bind(&measured_on)
        .bind(m.entered_by)
        .bind(m.entered_at)
        .fetch_one(p)
        .await
        .named("insert nsi time measurement")?))
    }

    /// The measurements of a life situation at institutions of the subtree at `under` (a path
    /// prefix) whose local date lies in `[from, to]`.
    ///
    /// # Errors
    /// Database failure.
    pub async fn nsi_measurements(
        &self,
        under: &str,
        life_situation: &str,
        (from, to): (NaiveDate, NaiveDate),
    ) -> DbResult<Vec<MeasurementRow>> {
        let (from, to) = (
            from.format("%Y-%m-%d").to_string(),
            to.format("%Y-%m-%d").to_string(),
        );
        Ok(with_pool!(self.reader(), |p| sqlx::query_as(
            "select m.org_id, m.stage, m.value, m.unit, m.measured_on \
             from nsi_time_measurements m join orgs o on o.id = m.org_id \
             where o.path like $1 and m.life_situation = $2 \
             and m.measured_on between $3 and $4 order by m.id"
        )
        .bind(format!("{under}%"))
        .bind(life_situation)
        .bind(&from)
        .bind(&to)
        .fetch_all(p)
        .await
        .named("select nsi time measurements")?))
    }
}

impl Database {
    /// The institutions of the subtree at `under` (a path prefix) with a point bound to the
    /// life situation: those whose process time should be measured.
    ///
    /// # Errors
    /// Database failure.
    pub async fn institutions_of_situation(
        &self,
        under: &str,
        life_situation: &str,
    ) -> DbResult<Vec<i64>> {
        Ok(with_pool!(self.reader(), |p| sqlx::query_scalar(
            "select distinct pt.institution_id from points pt join orgs o on o.id = pt.org_id \
             where o.path like $1 and pt.life_situation = $2 order by pt.institution_id"
        )
        .bind(format!("{under}%"))
        .bind(life_situation)
        .fetch_all(p)
        .await
        .named("select institutions of a life situation")?))
    }
}

/// What a bulk import stores, all in one transaction.
#[derive(Debug, Clone, Default)]
pub struct NsiBatch<'a> {
    /// Targets to append.
    pub targets: Vec<NewTarget<'a>>,
    /// Baselines to append.
    pub baselines: Vec<NewBaseline<'a>>,
    /// Measurements to store.
    pub measurements: Vec<NewMeasurement<'a>>,
}

impl Database {
    /// Stores a whole import in one transaction: all of it or, on any failure, nothing. A
    /// baseline of a KPI that questionnaires measure freezes them in the same transaction.
    /// Returns the version each baseline was appended as, in order.
    ///
    /// # Errors
    /// Database failure (nothing stored then).
    pub async fn store_nsi_batch(&self, batch: &NsiBatch<'_>) -> DbResult<Vec<i32>> {
        Ok(with_pool!(self.writer(), |p| {
            let mut versions = Vec::with_capacity(batch.baselines.len());
            let mut tx = p.begin().await.named("begin an nsi import")?;
            for t in &batch.targets {
                sqlx::query(APPEND_TARGET)
                    .bind(t.org_id)
                    .bind(t.life_situation)
                    .bind(t.kpi)
                    .bind(t.year)
                    .bind(t.value)
                    .bind(t.unit)
                    .bind(t.method)
                    .bind(t.source)
                    .bind(t.approved_by)
                    .bind(t.approved_at)
                    .bind(t.entered_by)
                    .bind(t.entered_at)
                    .execute(&mut *tx)
                    .await
                    .named("append nsi target (import)")?;
            }
            for b in &batch.baselines {
                let version: i32 = sqlx::query_scalar(APPEND_BASELINE)
                    .bind(b.org_id)
                    .bind(b.life_situation)
                    .bind(b.kpi)
                    .bind(b.value)
                    .bind(b.unit)
                    .bind(b.period)
                    .bind(b.source)
                    .bind(b.entered_by)
                    .bind(b.entered_at)
                    .fetch_one(&mut *tx)
                    .await
                    .named("append nsi baseline")?;
                versions.push(version);
                if b.measured_by_questionnaires() {
                    sqlx::query(FREEZE_MEASURED)
                        .bind(b.life_situation)
                        .bind(b.org_id)
                        .bind(b.entered_by)
                        .bind(b.entered_at)
                        .execute(&mut *tx)
                        .await
                        .named("freeze the questionnaires of a baseline")?;
                }
            }
            for m in &batch.measurements {
                sqlx::query(INSERT_MEASUREMENT)
                    .bind(m.org_id)
                    .bind(m.life_situation)
                    .bind(m.stage)
                    .bind(m.value)
                    .bind(m.unit)
                    .bind(m.measured_on.format("%Y-%m-%d").to_string())
                    .bind(m.entered_by)
                    .bind(m.entered_at)
                    .execute(&mut *tx)
                    .await
                    .named("insert nsi time measurement (import)")?;
            }
            tx.commit().await.named("commit an nsi import")?;
            versions
        }))
    }
}
