//! Reads rollup counts for `/stats`: never a scan of raw responses.
//!
//! A date range is answered from month rollups for the whole months inside it and day rollups
//! for the ragged edges, so the rows read grow with points × months, not with responses.

use chrono::{Datelike, Months, NaiveDate};
use sqlx::AssertSqlSafe;

use super::{with_pool, Database, DbResult};

/// Counts of one value of one question at one institution.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CountRow {
    /// The institution the counts belong to.
    pub institution_id: i64,
    /// Question id (`""` for the response count).
    pub question: String,
    /// Value key (`""` for free text and the response count).
    pub value: String,
    /// How many.
    pub count: i64,
}

/// What to count.
#[derive(Debug, Clone)]
pub struct CountFilter<'a> {
    /// Org path prefix of the subtree.
    pub under: &'a str,
    /// Questionnaire id.
    pub questionnaire: &'a str,
    /// Only this point.
    pub point: Option<&'a str>,
    /// Only points bound to this life situation.
    pub life_situation: Option<&'a str>,
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

/// Splits `[from, to]` into whole months (first days, inclusive) and ragged day ranges.
pub fn split_range(
    from: NaiveDate,
    to: NaiveDate,
) -> (Option<(NaiveDate, NaiveDate)>, Vec<(NaiveDate, NaiveDate)>) {
    if from > to {
        return (None, Vec::new());
    }
    let first_full = if from.day() == 1 {
        from
    } else {
        first_of_next_month(from)
    };
    let end_full = last_of_month(to) == to; // does the range end on a month's last day?
    let after_last_full = if end_full {
        first_of_next_month(to)
    } else {
        to.with_day(1).unwrap_or(to)
    };
    if first_full >= after_last_full {
        return (None, vec![(from, to)]);
    }
    let months = Some((first_full, after_last_full - Months::new(1)));
    let mut days = Vec::new();
    if from < first_full {
        days.push((from, first_full.pred_opt().unwrap_or(from)));
    }
    if after_last_full <= to {
        days.push((after_last_full, to));
    }
    (months, days)
}

fn first_of_next_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1)
        .and_then(|f| f.checked_add_months(Months::new(1)))
        .unwrap_or(date_ceiling())
}

fn last_of_month(d: NaiveDate) -> NaiveDate {
    first_of_next_month(d).pred_opt().unwrap_or(d)
}

impl Database {
    /// Sums rollup counts per institution, question and value over the filter; observation
    /// responses are left out (never counted in citizen figures).
    ///
    /// # Errors
    /// Database failure.
    pub async fn rollup_counts(&self, f: &CountFilter<'_>) -> DbResult<Vec<CountRow>> {
        let (months, days) = match (f.from, f.to) {
            (None, None) => (Some((date_floor(), date_ceiling())), Vec::new()),
            (from, to) => split_range(from.unwrap_or(date_floor()), to.unwrap_or(date_ceiling())),
        };
        let mut parts: Vec<(&str, &str, NaiveDate, NaiveDate)> = Vec::new();
        if let Some((a, b)) = months {
            parts.push(("rollup_months", "month", a, b));
        }
        parts.extend(days.into_iter().map(|(a, b)| ("rollup_days", "day", a, b)));

        let mut out = Vec::new();
        for (table, period, a, b) in parts {
            let sql = format!(
                "select pt.institution_id, r.question, r.value, cast(sum(r.count) as bigint) as count \
                 from {table} r join points pt on pt.id = r.point_id join orgs o on o.id = pt.org_id \
                 where o.path like $1 and r.questionnaire = $2 and r.channel <> 'observation' \
                 and ($3 is null or pt.code = $3) and ($4 is null or pt.life_situation = $4) \
                 and r.{period} between $5 and $6 \
                 group by pt.institution_id, r.question, r.value"
            );
            let rows: Vec<CountRow> =
                with_pool!(self.reader(), |p| sqlx::query_as(AssertSqlSafe(sql))
                    .bind(format!("{}%", f.under))
                    .bind(f.questionnaire)
                    .bind(f.point)
                    .bind(f.life_situation)
                    .bind(a)
                    .bind(b)
                    .fetch_all(p)
                    .await?);
            out.extend(rows);
        }
        Ok(out)
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
            (Some((d("2026-01-01"), d("2026-03-01"))), vec![])
        );
    }

    #[test]
    fn ragged_edges_are_read_from_days() {
        assert_eq!(
            split_range(d("2026-01-15"), d("2026-04-10")),
            (
                Some((d("2026-02-01"), d("2026-03-01"))),
                vec![
                    (d("2026-01-15"), d("2026-01-31")),
                    (d("2026-04-01"), d("2026-04-10"))
                ]
            )
        );
    }

    #[test]
    fn a_range_inside_one_month_is_days_only() {
        assert_eq!(
            split_range(d("2026-02-03"), d("2026-02-27")),
            (None, vec![(d("2026-02-03"), d("2026-02-27"))])
        );
        assert_eq!(
            split_range(d("2026-02-01"), d("2026-02-27")),
            (None, vec![(d("2026-02-01"), d("2026-02-27"))])
        );
    }

    #[test]
    fn an_inverted_range_is_empty() {
        assert_eq!(
            split_range(d("2026-03-01"), d("2026-02-01")),
            (None, vec![])
        );
    }

    #[test]
    fn a_single_whole_month_and_a_day() {
        assert_eq!(
            split_range(d("2026-02-01"), d("2026-02-28")),
            (Some((d("2026-02-01"), d("2026-02-01"))), vec![])
        );
        assert_eq!(
            split_range(d("2026-01-31"), d("2026-02-28")),
            (
                Some((d("2026-02-01"), d("2026-02-01"))),
                vec![(d("2026-01-31"), d("2026-01-31"))]
            )
        );
    }
}
