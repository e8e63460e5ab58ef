//! НСИ by life situation (`contract.md` §5 «НСИ», `domain.md` §4): baselines and approved
//! targets as versioned data, process-time measurements, and the quarterly report.
//!
//! Targets and baselines are never edited in place: each `put` appends a version of its key
//! (org × life situation × KPI, and year for targets), the current value is the latest version
//! and every earlier one stays readable as history. Time is a duration in its own unit, checked
//! as one, never as a percentage.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use otklik_shared::access::Action;
use otklik_shared::catalog::LifeSituation;
use otklik_shared::nsi::{Kpi, Method, TimeUnit};
use otklik_shared::org::OrgKind;
use serde::{Deserialize, Serialize};

use crate::auth::Caller;
use crate::db::nsi::{BaselineRow, NewBaseline, NewMeasurement, NewTarget, TargetRow};
use crate::db::orgs::OrgRow;
use crate::db::{Database, DbError, DbResult};
use crate::orgs::manage::checked_org;
use crate::service_error::{ServiceError, ServiceResult};

pub mod import;
pub mod report;
pub mod stages;

/// The years a target may be for: a typo like `226` is refused.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The longest text a source, approver or period may be.
const MAX_TEXT: usize = 500;

/// Who entered something from the command line.
pub const CLI_LOGIN: &str = "cli";

/// `PUT /api/v1/nsi/targets`: an approved target (`contract.md` §5), `unit` added for time.
#[derive(Debug, Clone, Deserialize)]
pub struct TargetInput {
    /// The org (scope) the target is for: a region, municipality, authority or institution.
    pub org: String,
    /// Life-situation code.
    pub life_situation: String,
    /// `satisfied`, `nps` or `time`.
    pub kpi: String,
    /// The year it is for.
    pub year: i32,
    /// The value: % satisfied, NPS, or a duration in `unit`.
    pub value: f64,
    /// Unit of a time target (`days` when absent); refused for the other KPIs.
    #[serde(default)]
    pub unit: Option<String>,
    /// `gap25`, `position` or `manual`.
    pub method: String,
    /// Where it comes from.
    pub source: String,
    /// Who approved it.
    pub approved_by: String,
    /// When it was approved: `YYYY-MM-DD` or RFC 3339.
    pub approved_at: String,
}

/// `PUT /api/v1/nsi/baselines`: a baseline (`contract.md` §5), `unit` added for time.
#[derive(Debug, Clone, Deserialize)]
pub struct BaselineInput {
    /// The org it is for.
    pub org: String,
    /// Life-situation code.
    pub life_situation: String,
    /// `satisfied`, `nps` or `time`.
    pub kpi: String,
    /// The value.
    pub value: f64,
    /// Unit of a time baseline (`days` when absent); refused for the other KPIs.
    #[serde(default)]
    pub unit: Option<String>,
    /// The period measured: `2025Q4`, `2025-11` or `2025`.
    pub period: String,
    /// Where it comes from (self-assessment, an external survey…).
    pub source: String,
}

/// `POST /api/v1/nsi/time-measurements`: one person's path timed at an institution.
#[derive(Debug, Clone, Deserialize)]
pub struct MeasurementInput {
    /// The institution.
    pub org: String,
    /// Life-situation code.
    pub life_situation: String,
    /// Stage code, when one stage was timed.
    #[serde(default)]
    pub stage: Option<String>,
    /// The duration.
    pub value: f64,
    /// `days`, `hours` or `minutes`.
    pub unit: String,
    /// When: `YYYY-MM-DD` (the institution's local date) or RFC 3339 (put on the institution's
    /// local date).
    pub measured_at: String,
}

/// One version of a target, as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    /// Org code.
    pub org: String,
    /// Life-situation code.
    pub life_situation: String,
    /// KPI.
    pub kpi: String,
    /// Year.
    pub year: i32,
    /// Version within its key (1, 2…).
    pub version: i32,
    /// Value.
    pub value: f64,
    /// Unit of a time target, else null.
    pub unit: Option<String>,
    /// Method.
    pub method: String,
    /// Source.
    pub source: String,
    /// Approved by.
    pub approved_by: String,
    /// Approved at.
    pub approved_at: String,
    /// Login that entered this version.
    pub entered_by: String,
    /// When this version was stored.
    pub entered_at: String,
}

/// One version of a baseline, as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Baseline {
    /// Org code.
    pub org: String,
    /// Life-situation code.
    pub life_situation: String,
    /// KPI.
    pub kpi: String,
    /// Version within its key.
    pub version: i32,
    /// Value.
    pub value: f64,
    /// Unit of a time baseline, else null.
    pub unit: Option<String>,
    /// Period measured.
    pub period: String,
    /// Source.
    pub source: String,
    /// Login that entered this version.
    pub entered_by: String,
    /// When this version was stored.
    pub entered_at: String,
}

/// The versions of one org and life situation: the current of each key and the whole history.
#[derive(Debug, Clone, Serialize)]
pub struct Versions<T> {
    /// Org code.
    pub org: String,
    /// Life-situation code.
    pub life_situation: String,
    /// The latest version of each key.
    pub current: Vec<T>,
    /// Every version, by key and then oldest first.
    pub history: Vec<T>,
}

/// A stored measurement.
#[derive(Debug, Clone, Serialize)]
pub struct Measurement {
    /// Id.
    pub id: i64,
    /// Institution code.
    pub org: String,
    /// Life-situation code.
    pub life_situation: String,
    /// Stage code, if one.
    pub stage: Option<String>,
    /// Duration.
    pub value: f64,
    /// Unit.
    pub unit: String,
    /// As entered.
    pub measured_at: String,
    /// The institution's local date it counts on.
    pub measured_on: NaiveDate,
    /// The quarter it counts in (`2026Q1`).
    pub quarter: String,
}

/// The quarter of a local date, `2026Q1`.
pub fn quarter_of(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}Q{}", d.year(), d.month0() / 3 + 1)
}

fn invalid(field: &'static str, message: String) -> ServiceError {
    ServiceError::invalid_field("invalid_nsi", field, message)
}

/// The life situation `code`, or 422 naming `life_situation`.
pub(crate) async fn situation(db: &Database, code: &str) -> ServiceResult<LifeSituation> {
    let situations = db.life_situations().await?;
    let codes: Vec<String> = situations.iter().map(|ls| ls.code.clone()).collect();
    situations
        .into_iter()
        .find(|ls| ls.code == code)
        .ok_or_else(|| {
            invalid(
                "life_situation",
                format!(
                    "life situation {code:?} does not exist (known: {})",
                    codes.join(", ")
                ),
            )
        })
}

/// Nothing, or 422 `code` naming the field `stage` when `stage` is not one of the life
/// situation's stages (the message lists them).
pub(crate) fn require_stage(
    ls: &LifeSituation,
    stage: &str,
    code: &'static str,
) -> ServiceResult<()> {
    if ls.stage(stage).is_some() {
        return Ok(());
    }
    let codes: Vec<&str> = ls.stages.iter().map(|s| s.code.as_str()).collect();
    Err(ServiceError::invalid_field(
        code,
        "stage",
        format!(
            "{} has no stage {stage:?} (stages: {})",
            ls.code,
            codes.join(", ")
        ),
    ))
}

fn kpi(s: &str) -> ServiceResult<Kpi> {
    Kpi::parse(s).ok_or_else(|| {
        invalid(
            "kpi",
            format!("kpi must be satisfied, nps or time, got {s:?}"),
        )
    })
}

fn unit(s: &str) -> ServiceResult<TimeUnit> {
    TimeUnit::parse(s).ok_or_else(|| {
        invalid(
            "unit",
            format!("unit must be days, hours or minutes, got {s:?}"),
        )
    })
}

/// The unit of a KPI's value: one for time (`days` by default), none for a share or NPS.
fn kpi_unit(kpi: Kpi, given: Option<&str>) -> ServiceResult<Option<TimeUnit>> {
    match (kpi, given) {
        (Kpi::Time, None) => Ok(Some(TimeUnit::Days)),
        (Kpi::Time, Some(u)) => unit(u).map(Some),
        (_, None) => Ok(None),
        (k, Some(_)) => Err(invalid(
            "unit",
            format!("{} is not a duration and takes no unit", k.as_str()),
        )),
    }
}

/// Checks a KPI's value for its range: a share 0–100, an NPS −100…100, a duration above zero
/// and at most ten years.
fn check_value(kpi: Kpi, value: f64, unit: Option<TimeUnit>) -> ServiceResult<()> {
    if kpi.accepts(value, unit) {
        return Ok(());
    }
    let rule = match (kpi, unit) {
        (Kpi::Satisfied, _) => "a share satisfied is 0–100 %".to_owned(),
        (Kpi::Nps, _) => "an NPS is −100…100".to_owned(),
        (Kpi::Time, u) => {
            let u = u.unwrap_or(TimeUnit::Days);
            format!(
                "a time is a duration above 0 and at most {} {}",
                u.max(),
                u.as_str()
            )
        }
    };
    Err(invalid("value", format!("{rule}, got {value}")))
}

fn text<'a>(field: &'static str, s: &'a str) -> ServiceResult<&'a str> {
    let s = s.trim();
    if s.is_empty() {
        return Err(invalid(field, format!("{field} must not be empty")));
    }
    if s.chars().count() > MAX_TEXT {
        return Err(invalid(
            field,
            format!("{field} is longer than {MAX_TEXT} characters"),
        ));
    }
    Ok(s)
}

/// A date `YYYY-MM-DD` or an RFC 3339 instant.
fn moment(field: &'static str, s: &str) -> ServiceResult<Moment> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(Moment::Date(d));
    }
    DateTime::parse_from_rfc3339(s)
        .map(|t| Moment::Instant(t.with_timezone(&Utc)))
        .map_err(|_| {
            invalid(
                field,
                format!("{field} must be a date YYYY-MM-DD or an RFC 3339 time, got {s:?}"),
            )
        })
}

enum Moment {
    Date(NaiveDate),
    Instant(DateTime<Utc>),
}

fn year(y: i32) -> ServiceResult<i32> {
    if YEARS.contains(&y) {
        Ok(y)
    } else {
        Err(invalid(
            "year",
            format!("year must be from 2000 to 2100, got {y}"),
        ))
    }
}

/// A baseline's period: `YYYY`, `YYYYQn` or `YYYY-MM`. Its lengths are in bytes, and a
/// character may straddle byte 4: split only where a character ends (a plain slice there
/// panicked, found by schemathesis).
fn period(s: &str) -> ServiceResult<&str> {
    let s = s.trim();
    let ok = match s.len() {
        4 => s.parse::<i32>().is_ok_and(|y| YEARS.contains(&y)),
        6 => s.split_at_checked(4).is_some_and(|(year, quarter)| {
            year.parse::<i32>().is_ok_and(|y| YEARS.contains(&y))
                && matches!(quarter, "Q1" | "Q2" | "Q3" | "Q4")
        }),
        7 => NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").is_ok(),
        _ => false,
    };
    if ok {
        Ok(s)
    } else {
        Err(invalid(
            "period",
            format!("period must be YYYY, YYYYQ1…YYYYQ4 or YYYY-MM, got {s:?}"),
        ))
    }
}

/// Runs an append again when a concurrent append of the same key took its version number
/// first (НСИ targets and baselines, comment reviews) (PostgreSQL's read-committed writers both see the same latest version; the primary
/// key refuses the second, which then appends the next one).
pub(crate) async fn retry_on_conflict<T, F, Fut>(append: F) -> ServiceResult<T>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = DbResult<T>>,
{
    let mut attempts = 0;
    loop {
        match append().await {
            Err(DbError::Conflict { .. }) if attempts < 5 => attempts += 1,
            other => return Ok(other?),
        }
    }
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn login(caller: Option<&Caller>) -> &str {
    caller.map_or(CLI_LOGIN, |c| c.login.as_str())
}

fn target(org: &str, ls: &str, r: TargetRow) -> Target {
    Target {
        org: org.to_owned(),
        life_situation: ls.to_owned(),
        kpi: r.kpi,
        year: r.year,
        version: r.version,
        value: r.value,
        unit: r.unit,
        method: r.method,
        source: r.source,
        approved_by: r.approved_by,
        approved_at: r.approved_at,
        entered_by: r.entered_by,
        entered_at: r.entered_at,
    }
}

fn baseline(org: &str, ls: &str, r: BaselineRow) -> Baseline {
    Baseline {
        org: org.to_owned(),
        life_situation: ls.to_owned(),
        kpi: r.kpi,
        version: r.version,
        value: r.value,
        unit: r.unit,
        period: r.period,
        source: r.source,
        entered_by: r.entered_by,
        entered_at: r.entered_at,
    }
}

/// The latest version of each key of a history sorted by key, then version.
fn latest<T: Clone>(history: &[T], same_key: impl Fn(&T, &T) -> bool) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for item in history {
        match out.last_mut() {
            Some(last) if same_key(last, item) => *last = item.clone(),
            _ => out.push(item.clone()),
        }
    }
    out
}

/// A target that passed every check, ready to store.
#[derive(Debug, Clone)]
pub struct CheckedTarget {
    org: OrgRow,
    life_situation: String,
    kpi: Kpi,
    year: i32,
    value: f64,
    unit: Option<TimeUnit>,
    method: Method,
    source: String,
    approved_by: String,
    approved_at: String,
}

impl CheckedTarget {
    fn row<'a>(&'a self, entered_by: &'a str, entered_at: &'a str) -> NewTarget<'a> {
        NewTarget {
            org_id: self.org.id,
            life_situation: &self.life_situation,
            kpi: self.kpi.as_str(),
            year: self.year,
            value: self.value,
            unit: self.unit.map(TimeUnit::as_str),
            method: self.method.as_str(),
            source: &self.source,
            approved_by: &self.approved_by,
            approved_at: &self.approved_at,
            entered_by,
            entered_at,
        }
    }
}

/// Checks a target without storing it.
///
/// # Errors
/// As [`put_target`].
pub async fn check_target(
    db: &Database,
    caller: Option<&Caller>,
    t: &TargetInput,
) -> ServiceResult<CheckedTarget> {
    let org = checked_org(db, caller, Action::EnterTargets, &t.org).await?;
    let ls = situation(db, &t.life_situation).await?;
    let k = kpi(&t.kpi)?;
    let u = kpi_unit(k, t.unit.as_deref())?;
    check_value(k, t.value, u)?;
    let y = year(t.year)?;
    let method = Method::parse(&t.method).ok_or_else(|| {
        invalid(
            "method",
            format!(
                "method must be gap25, position or manual, got {:?}",
                t.method
            ),
        )
    })?;
    let source = text("source", &t.source)?.to_owned();
    let approved_by = text("approved_by", &t.approved_by)?.to_owned();
    moment("approved_at", &t.approved_at)?;
    Ok(CheckedTarget {
        org,
        life_situation: ls.code,
        kpi: k,
        year: y,
        value: t.value,
        unit: u,
        method,
        source,
        approved_by,
        approved_at: t.approved_at.trim().to_owned(),
    })
}

/// Checks a target and appends it as the next version of its key.
///
/// # Errors
/// `unknown_org` (404); the caller may not enter targets there (403); 422 `invalid_nsi` naming
/// the field (unknown life situation, KPI, method or unit, a value out of range, a bad year,
/// an empty source or approver, a malformed approval date); internal on a database failure.
#[tracing::instrument(skip_all, fields(org = %t.org, life_situation = %t.life_situation))]
pub async fn put_target(
    db: &Database,
    caller: Option<&Caller>,
    t: &TargetInput,
) -> ServiceResult<Target> {
    let c = check_target(db, caller, t).await?;
    let entered_at = now();
    let row = c.row(login(caller), &entered_at);
    let version = retry_on_conflict(|| db.append_nsi_target(&row)).await?;
    tracing::info!(
        org_id = c.org.id,
        kpi = c.kpi.as_str(),
        year = c.year,
        version,
        "target stored"
    );
    Ok(Target {
        org: c.org.code,
        life_situation: c.life_situation,
        kpi: c.kpi.as_str().to_owned(),
        year: c.year,
        version,
        value: c.value,
        unit: c.unit.map(|u| u.as_str().to_owned()),
        method: c.method.as_str().to_owned(),
        source: c.source,
        approved_by: c.approved_by,
        approved_at: c.approved_at,
        entered_by: login(caller).to_owned(),
        entered_at,
    })
}

/// A baseline that passed every check, ready to store.
#[derive(Debug, Clone)]
pub struct CheckedBaseline {
    org: OrgRow,
    life_situation: String,
    kpi: Kpi,
    value: f64,
    unit: Option<TimeUnit>,
    period: String,
    source: String,
}

impl CheckedBaseline {
    fn row<'a>(&'a self, entered_by: &'a str, entered_at: &'a str) -> NewBaseline<'a> {
        NewBaseline {
            org_id: self.org.id,
            life_situation: &self.life_situation,
            kpi: self.kpi.as_str(),
            value: self.value,
            unit: self.unit.map(TimeUnit::as_str),
            period: &self.period,
            source: &self.source,
            entered_by,
            entered_at,
        }
    }
}

/// Checks a baseline without storing it.
///
/// # Errors
/// As [`put_baseline`].
pub async fn check_baseline(
    db: &Database,
    caller: Option<&Caller>,
    b: &BaselineInput,
) -> ServiceResult<CheckedBaseline> {
    let org = checked_org(db, caller, Action::EnterTargets, &b.org).await?;
    let ls = situation(db, &b.life_situation).await?;
    let k = kpi(&b.kpi)?;
    let u = kpi_unit(k, b.unit.as_deref())?;
    check_value(k, b.value, u)?;
    let period = period(&b.period)?.to_owned();
    let source = text("source", &b.source)?.to_owned();
    Ok(CheckedBaseline {
        org,
        life_situation: ls.code,
        kpi: k,
        value: b.value,
        unit: u,
        period,
        source,
    })
}

/// Checks a baseline and appends it as the next version of its key.
///
/// # Errors
/// As [`put_target`], with `period` instead of the year and approval.
#[tracing::instrument(skip_all, fields(org = %b.org, life_situation = %b.life_situation))]
pub async fn put_baseline(
    db: &Database,
    caller: Option<&Caller>,
    b: &BaselineInput,
) -> ServiceResult<Baseline> {
    let c = check_baseline(db, caller, b).await?;
    let entered_at = now();
    let row = c.row(login(caller), &entered_at);
    let version = retry_on_conflict(|| db.append_nsi_baseline(&row)).await?;
    tracing::info!(
        org_id = c.org.id,
        kpi = c.kpi.as_str(),
        version,
        "baseline stored"
    );
    Ok(Baseline {
        org: c.org.code,
        life_situation: c.life_situation,
        kpi: c.kpi.as_str().to_owned(),
        version,
        value: c.value,
        unit: c.unit.map(|u| u.as_str().to_owned()),
        period: c.period,
        source: c.source,
        entered_by: login(caller).to_owned(),
        entered_at,
    })
}

/// The targets of an org and life situation: the current version of each KPI × year and the
/// whole history, optionally of one year.
///
/// # Errors
/// `unknown_org` (404); the caller may not read results there (403); 422 for an unknown life
/// situation; internal on a database failure.
pub async fn targets(
    db: &Database,
    caller: &Caller,
    org: &str,
    life_situation: &str,
    only_year: Option<i32>,
) -> ServiceResult<Versions<Target>> {
    let org = checked_org(db, Some(caller), Action::ReadResults, org).await?;
    let ls = situation(db, life_situation).await?;
    targets_of(db, &org, &ls.code, only_year).await
}

/// The targets of a checked org and life situation (no access check).
pub(crate) async fn targets_of(
    db: &Database,
    org: &OrgRow,
    life_situation: &str,
    only_year: Option<i32>,
) -> ServiceResult<Versions<Target>> {
    let history: Vec<Target> = db
        .nsi_targets(org.id, life_situation)
        .await?
        .into_iter()
        .filter(|r| only_year.is_none_or(|y| r.year == y))
        .map(|r| target(&org.code, life_situation, r))
        .collect();
    Ok(Versions {
        current: latest(&history, |a, b| a.kpi == b.kpi && a.year == b.year),
        history,
        org: org.code.clone(),
        life_situation: life_situation.to_owned(),
    })
}

/// The baselines of an org and life situation: the current version of each KPI and the whole
/// history.
///
/// # Errors
/// As [`targets`].
pub async fn baselines(
    db: &Database,
    caller: &Caller,
    org: &str,
    life_situation: &str,
) -> ServiceResult<Versions<Baseline>> {
    let org = checked_org(db, Some(caller), Action::ReadResults, org).await?;
    let ls = situation(db, life_situation).await?;
    baselines_of(db, &org, &ls.code).await
}

/// The baselines of a checked org and life situation (no access check).
pub(crate) async fn baselines_of(
    db: &Database,
    org: &OrgRow,
    life_situation: &str,
) -> ServiceResult<Versions<Baseline>> {
    let history: Vec<Baseline> = db
        .nsi_baselines(org.id, life_situation)
        .await?
        .into_iter()
        .map(|r| baseline(&org.code, life_situation, r))
        .collect();
    Ok(Versions {
        current: latest(&history, |a, b| a.kpi == b.kpi),
        history,
        org: org.code.clone(),
        life_situation: life_situation.to_owned(),
    })
}

/// A measurement that passed every check, ready to store.
#[derive(Debug, Clone)]
pub struct CheckedMeasurement {
    org: OrgRow,
    life_situation: String,
    stage: Option<String>,
    value: f64,
    unit: TimeUnit,
    measured_at: String,
    measured_on: NaiveDate,
}

impl CheckedMeasurement {
    fn row<'a>(&'a self, entered_by: &'a str, entered_at: &'a str) -> NewMeasurement<'a> {
        NewMeasurement {
            org_id: self.org.id,
            life_situation: &self.life_situation,
            stage: self.stage.as_deref(),
            value: self.value,
            unit: self.unit.as_str(),
            measured_on: self.measured_on,
            entered_by,
            entered_at,
        }
    }
}

/// Checks a measurement without storing it.
///
/// # Errors
/// As [`add_measurement`].
pub async fn check_measurement(
    db: &Database,
    caller: Option<&Caller>,
    m: &MeasurementInput,
) -> ServiceResult<CheckedMeasurement> {
    let org = checked_org(db, caller, Action::EnterTargets, &m.org).await?;
    if org.kind != OrgKind::Institution {
        return Err(invalid(
            "org",
            format!(
                "org {} is not an institution: process time is measured per institution",
                org.code
            ),
        ));
    }
    let ls = situation(db, &m.life_situation).await?;
    if let Some(stage) = m.stage.as_deref() {
        require_stage(&ls, stage, "invalid_nsi")?;
    }
    let u = unit(&m.unit)?;
    check_value(Kpi::Time, m.value, Some(u))?;
    let measured_on = match moment("measured_at", &m.measured_at)? {
        Moment::Date(d) => d,
        Moment::Instant(t) => t.with_timezone(&org.tz.0).date_naive(),
    };
    let today = Utc::now().with_timezone(&org.tz.0).date_naive();
    let earliest = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN);
    if measured_on > today || measured_on < earliest {
        return Err(invalid(
            "measured_at",
            format!("measured_at must lie between 2000-01-01 and today, got {measured_on}"),
        ));
    }
    Ok(CheckedMeasurement {
        org,
        life_situation: ls.code,
        stage: m.stage.clone(),
        value: m.value,
        unit: u,
        measured_at: m.measured_at.trim().to_owned(),
        measured_on,
    })
}

/// Checks and stores one process-time measurement.
///
/// # Errors
/// `unknown_org` (404); the caller may not enter measurements there (403); 422 `invalid_nsi`
/// naming the field: not an institution, an unknown life situation, stage or unit, a value
/// that is not a sane duration, a date that is malformed, before 2000 or in the future;
/// internal on a database failure.
#[tracing::instrument(skip_all, fields(org = %m.org, life_situation = %m.life_situation))]
pub async fn add_measurement(
    db: &Database,
    caller: Option<&Caller>,
    m: &MeasurementInput,
) -> ServiceResult<Measurement> {
    let c = check_measurement(db, caller, m).await?;
    let entered_at = now();
    let id = db
        .add_nsi_measurement(&c.row(login(caller), &entered_at))
        .await?;
    Ok(Measurement {
        id,
        quarter: quarter_of(c.measured_on),
        org: c.org.code,
        life_situation: c.life_situation,
        stage: c.stage,
        value: c.value,
        unit: c.unit.as_str().to_owned(),
        measured_at: c.measured_at,
        measured_on: c.measured_on,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn quarters_follow_the_calendar() {
        assert_eq!(quarter_of(d("2026-01-01")), "2026Q1");
        assert_eq!(quarter_of(d("2026-03-31")), "2026Q1");
        assert_eq!(quarter_of(d("2026-04-01")), "2026Q2");
        assert_eq!(quarter_of(d("2026-12-31")), "2026Q4");
    }

    #[test]
    fn periods_are_a_year_a_quarter_or_a_month() {
        for ok in ["2025", "2025Q4", "2025-11"] {
            assert_eq!(period(ok).ok(), Some(ok), "{ok}");
        }
        for bad in ["25Q4", "2025Q5", "2025-13", "1999", "2025 Q4", "", "Q4"] {
            assert!(period(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_unit_belongs_to_time_only() {
        assert_eq!(kpi_unit(Kpi::Time, None).ok(), Some(Some(TimeUnit::Days)));
        assert_eq!(
            kpi_unit(Kpi::Time, Some("hours")).ok(),
            Some(Some(TimeUnit::Hours))
        );
        assert!(kpi_unit(Kpi::Time, Some("percent")).is_err());
        assert!(kpi_unit(Kpi::Satisfied, Some("days")).is_err());
        assert_eq!(kpi_unit(Kpi::Nps, None).ok(), Some(None));
    }

    #[test]
    fn the_current_version_is_the_last_of_each_key() {
        let history = [("a", 1), ("a", 2), ("b", 1), ("c", 1), ("c", 2), ("c", 3)];
        let current = latest(&history, |x, y| x.0 == y.0);
        assert_eq!(current, [("a", 2), ("b", 1), ("c", 3)]);
    }

    #[test]
    fn moments_are_dates_or_rfc3339_times() {
        assert!(matches!(moment("x", "2026-02-10"), Ok(Moment::Date(_))));
        assert!(matches!(
            moment("x", "2026-03-31T15:00:00Z"),
            Ok(Moment::Instant(_))
        ));
        assert!(moment("x", "10.02.2026").is_err());
    }
}
