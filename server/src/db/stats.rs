//! Reads rollup counts for `/stats`: never a scan of raw responses.
//!
//! A date range is answered from month rollups for the whole months inside it and day rollups
//! for the ragged edges, so the rows read grow with points × months, not with responses.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Months, NaiveDate};
use otklik_shared::org::OrgPath;
use otklik_shared::rollup;
use sqlx::QueryBuilder;

use super::values::lookup_key;
use super::{with_pool, Database, DbError, DbResult, Named};

/// The counts of one rollup row: one question's values at one point, over one period and
/// channel.
#[derive(Debug, Clone, PartialEq)]
pub struct CountRow {
    /// The institution the point reports to.
    pub institution_id: i64,
    /// First day of the rollup's period (local date).
    pub period: NaiveDate,
    /// Channel (`qr`, `kiosk`…).
    pub channel: String,
    /// Question id ([`rollup::RESPONSES`] for the response count).
    pub question: String,
    /// Value key → count ([`rollup::unpack`]).
    pub counts: BTreeMap<String, u64>,
}

/// What to count.
#[derive(Debug, Clone)]
pub struct CountFilter<'a> {
    /// The subtree's root.
    pub under: &'a OrgPath,
    /// Questionnaire id.
    pub questionnaire: &'a str,
    /// Only this point.
    pub point: Option<&'a str>,
    /// Only points bound to this life situation.
    pub life_situation: Option<&'a str>,
    /// Only points bound to this stage (of that life situation).
    pub stage: Option<&'a str>,
    /// First local date, inclusive.
    pub from: Option<NaiveDate>,
    /// Last local date, inclusive.
    pub to: Option<NaiveDate>,
}

/// Earliest and latest dates both backends store and compare alike (ISO text on SQLite).
fn date_floor() -> NaiveDate {
    NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(NaiveDate::MIN)
}
fn date_ceiling() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// One slice of a date range: a rollup grain and the first days of its periods, inclusive.
pub type Part = (&'static str, NaiveDate, NaiveDate);

/// Splits `[from, to]` into whole years, whole months and ragged days, so that a range reads
/// at most a few rows per point and question however long it is.
pub fn split_range(from: NaiveDate, to: NaiveDate) -> Vec<Part> {
    if from > to {
        return Vec::new();
    }
    let first_full = if from.ordinal() == 1 {
        from
    } else {
        year_start(from.year() + 1)
    };
    let after_full = if to == year_start(to.year() + 1).pred_opt().unwrap_or(to) {
        year_start(to.year() + 1)
    } else {
        year_start(to.year())
    };
    if first_full >= after_full {
        return split_months(from, to);
    }
    let mut parts = vec![("year", first_full, after_full - Months::new(12))];
    if from < first_full {
        parts.extend(split_months(from, first_full.pred_opt().unwrap_or(from)));
    }
    if after_full <= to {
        parts.extend(split_months(after_full, to));
    }
    parts
}

fn year_start(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(date_ceiling())
}

/// Whole months and ragged days of a range inside at most two calendar years.
fn split_months(from: NaiveDate, to: NaiveDate) -> Vec<Part> {
    let first_full = if from.day() == 1 {
        from
    } else {
        first_of_next_month(from)
    };
    let after_full = if last_of_month(to) == to {
        first_of_next_month(to)
    } else {
        to.with_day(1).unwrap_or(to)
    };
    if first_full >= after_full {
        return vec![("day", from, to)];
    }
    let mut parts = vec![("month", first_full, after_full - Months::new(1))];
    if from < first_full {
        parts.push(("day", from, first_full.pred_opt().unwrap_or(from)));
    }
    if after_full <= to {
        parts.push(("day", after_full, to));
    }
    parts
}

fn first_of_next_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1)
        .and_then(|f| f.checked_add_months(Months::new(1)))
        .unwrap_or(date_ceiling())
}

fn last_of_month(d: NaiveDate) -> NaiveDate {
    first_of_next_month(d).pred_opt().unwrap_or(d)
}

/// Which rollup rows to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rows<'a> {
    /// Every question, observation left out: the citizens' figures.
    Citizen,
    /// One question, observation left out: a trend or a ranking.
    Question(&'a str),
    /// Only the response counts ([`rollup::RESPONSES`]), every channel: the channel split.
    ResponsesAllChannels,
    /// Every question, `observation` only: the expert walk-throughs' figures, on their own.
    Observation,
}

impl Database {
    /// Sums rollup counts per institution, question and value over the filter; observation
    /// responses are left out (never counted in citizen figures). A point or life situation
    /// that no row can hold ([`lookup_key`]) matches nothing.
    ///
    /// # Errors
    /// Database failure.
    #[tracing::instrument(skip_all, fields(questionnaire = f.questionnaire))]
    pub async fn rollup_counts(&self, f: &CountFilter<'_>) -> DbResult<Vec<CountRow>> {
        self.read_rollups(f, &range_parts(f), Rows::Citizen).await
    }

    /// [`Database::rollup_counts`] of the expert walk-throughs alone (`observation`): their
    /// own figures, computed as the citizens' are and never mixed with them.
    ///
    /// # Errors
    /// Database failure.
    #[tracing::instrument(skip_all, fields(questionnaire = f.questionnaire))]
    pub async fn observation_counts(&self, f: &CountFilter<'_>) -> DbResult<Vec<CountRow>> {
        self.read_rollups(f, &range_parts(f), Rows::Observation)
            .await
    }

    /// Responses per channel over the filter, observation included: the channel split of
    /// `/stats`.
    ///
    /// # Errors
    /// Database failure.
    pub async fn channel_counts(&self, f: &CountFilter<'_>) -> DbResult<BTreeMap<String, u64>> {
        let rows = self
            .read_rollups(f, &range_parts(f), Rows::ResponsesAllChannels)
            .await?;
        let mut out = BTreeMap::new();
        for row in rows {
            *out.entry(row.channel).or_default() += row.counts.values().sum::<u64>();
        }
        Ok(out)
    }

    /// [`Database::rollup_counts`] of one question only: what a ranking reads, in one pass
    /// over the whole subtree.
    ///
    /// # Errors
    /// Database failure.
    pub async fn question_counts(
        &self,
        f: &CountFilter<'_>,
        question: &str,
    ) -> DbResult<Vec<CountRow>> {
        self.read_rollups(f, &range_parts(f), Rows::Question(question))
            .await
    }

    /// The citizens' counts of one question over an org's whole subtree, per period of one
    /// `grain` (`month` or `year`) whose start lies in `[from, to]`, oldest first: what a trend
    /// sums. One row per period from `subtree_rollups`, however many points lie below.
    ///
    /// # Errors
    /// Database failure, or a stored `counts` that is not a packed count object.
    pub async fn subtree_by_period(
        &self,
        org_id: i64,
        questionnaire: &str,
        question: &str,
        grain: &'static str,
        (from, to): (Option<NaiveDate>, Option<NaiveDate>),
    ) -> DbResult<Vec<(NaiveDate, BTreeMap<String, u64>)>> {
        let rows: Vec<(NaiveDate, String)> = with_pool!(self.reader(), |p| sqlx::query_as(
            "select period, cast(counts as text) from subtree_rollups \
             where org_id = $1 and questionnaire = $2 and grain = $3 and question = $4 \
             and period between $5 and $6 order by period"
        )
        .bind(org_id)
        .bind(questionnaire)
        .bind(grain)
        .bind(question)
        .bind(from.unwrap_or(date_floor()))
        .bind(to.unwrap_or(date_ceiling()))
        .fetch_all(p)
        .await
        .named("select subtree rollups")?);
        rows.into_iter()
            .map(|(period, packed)| {
                let counts = rollup::unpack(&packed).map_err(|_| DbError::Corrupt {
                    table: "subtree_rollups",
                    key: format!("org {org_id} {grain} {period} {question:?}"),
                    column: "counts",
                    value: packed.clone(),
                })?;
                Ok((period, counts))
            })
            .collect()
    }

    async fn read_rollups(
        &self,
        f: &CountFilter<'_>,
        parts: &[Part],
        which: Rows<'_>,
    ) -> DbResult<Vec<CountRow>> {
        let impossible = [f.point, f.life_situation]
            .into_iter()
            .flatten()
            .any(|key| lookup_key(key).is_none());
        if impossible {
            return Ok(Vec::new());
        }
        // The points in scope first (few), then their rollup rows by primary-key prefix: this
        // keeps SQLite's planner from scanning the rollups of every point.
        let points: Vec<(i64, i64)> = with_pool!(self.reader(), |p| sqlx::query_as(
            "select pt.id, pt.institution_id from points pt join orgs o on o.id = pt.org_id \
             where o.path like $1 and pt.questionnaire = $2 \
             and ($3 is null or pt.code = $3) and ($4 is null or pt.life_situation = $4) \
             and ($5 is null or pt.stage = $5)"
        )
        .bind(format!("{}%", f.under))
        .bind(f.questionnaire)
        .bind(f.point)
        .bind(f.life_situation)
        .bind(f.stage)
        .fetch_all(p)
        .await
        .named("select points in scope")?);
        let institution_of: HashMap<i64, i64> = points.iter().copied().collect();
        let mut out = Vec::new();
        for chunk in points.chunks(500) {
            for &(grain, a, b) in parts {
                // The packed counts as text on both backends (`jsonb` on PostgreSQL).
                let rows: Vec<(i64, NaiveDate, String, String, String)> =
                    with_pool!(self.reader(), |p| {
                        let mut qb = QueryBuilder::new(
                            "select point_id, period, channel, question, cast(counts as text) \
                             from rollups where point_id in (",
                        );
                        let mut ids = qb.separated(", ");
                        for (id, _) in chunk {
                            ids.push_bind(*id);
                        }
                        qb.push(") and questionnaire = ")
                            .push_bind(f.questionnaire)
                            .push(" and grain = ")
                            .push_bind(grain)
                            .push(" and period between ")
                            .push_bind(a)
                            .push(" and ")
                            .push_bind(b);
                        match which {
                            Rows::Citizen => qb.push(" and channel <> 'observation'"),
                            Rows::Question(question) => qb
                                .push(" and channel <> 'observation' and question = ")
                                .push_bind(question),
                            Rows::ResponsesAllChannels => {
                                qb.push(" and question = ").push_bind(rollup::RESPONSES)
                            }
                            Rows::Observation => qb.push(" and channel = 'observation'"),
                        };
                        qb.build_query_as()
                            .fetch_all(p)
                            .await
                            .named("select rollup counts")?
                    });
                for (point, period, channel, question, packed) in rows {
                    let counts = rollup::unpack(&packed).map_err(|_| DbError::Corrupt {
                        table: "rollups",
                        key: format!("point {point} {grain} {question:?}"),
                        column: "counts",
                        value: packed.clone(),
                    })?;
                    out.push(CountRow {
                        institution_id: institution_of.get(&point).copied().unwrap_or_default(),
                        period,
                        channel,
                        question,
                        counts,
                    });
                }
            }
        }
        Ok(out)
    }
}

/// The rollup slices that cover the filter's date range.
fn range_parts(f: &CountFilter<'_>) -> Vec<Part> {
    match (f.from, f.to) {
        (None, None) => vec![("year", date_floor(), date_ceiling())],
        (from, to) => split_range(from.unwrap_or(date_floor()), to.unwrap_or(date_ceiling())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_quarter_is_three_whole_months() {
        assert_eq!(
            split_range(d("2026-01-01"), d("2026-03-31")),
            vec![("month", d("2026-01-01"), d("2026-03-01"))]
        );
    }

    #[test]
    fn ragged_edges_are_read_from_days() {
        assert_eq!(
            split_range(d("2026-01-15"), d("2026-04-10")),
            vec![
                ("month", d("2026-02-01"), d("2026-03-01")),
                ("day", d("2026-01-15"), d("2026-01-31")),
                ("day", d("2026-04-01"), d("2026-04-10"))
            ]
        );
    }

    #[test]
    fn a_range_inside_one_month_is_days_only() {
        assert_eq!(
            split_range(d("2026-02-03"), d("2026-02-27")),
            vec![("day", d("2026-02-03"), d("2026-02-27"))]
        );
        assert_eq!(
            split_range(d("2026-02-01"), d("2026-02-27")),
            vec![("day", d("2026-02-01"), d("2026-02-27"))]
        );
    }

    #[test]
    fn an_inverted_range_is_empty() {
        assert_eq!(split_range(d("2026-03-01"), d("2026-02-01")), vec![]);
    }

    #[test]
    fn whole_years_are_read_from_years_and_the_rest_from_months_and_days() {
        assert_eq!(
            split_range(d("2025-01-01"), d("2026-12-31")),
            vec![("year", d("2025-01-01"), d("2026-01-01"))]
        );
        assert_eq!(
            split_range(d("2024-12-30"), d("2026-02-03")),
            vec![
                ("year", d("2025-01-01"), d("2025-01-01")),
                ("day", d("2024-12-30"), d("2024-12-31")),
                ("month", d("2026-01-01"), d("2026-01-01")),
                ("day", d("2026-02-01"), d("2026-02-03")),
            ]
        );
    }

    #[test]
    fn a_range_across_new_year_without_a_whole_year_uses_months() {
        assert_eq!(
            split_range(d("2025-11-01"), d("2026-02-28")),
            vec![("month", d("2025-11-01"), d("2026-02-01"))]
        );
    }
}
