//! The rollup rows a batch adds to, counted before the transaction opens and sent as one JSON
//! parameter: the upsert is then one statement text per backend, prepared once and reused,
//! whatever the number of rows (a multi-row `values` list would be a new statement, parsed and
//! planned again, for almost every batch).

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};

use super::PreparedResponse;
use crate::db::{Backend, DbError, DbResult};

/// The upsert reading rows `[point, questionnaire, grain, period, channel, question, value,
/// count]` from the JSON array bound as `$1`, in array order (the lock order on PostgreSQL).
pub fn upsert_sql(backend: Backend) -> &'static str {
    match backend {
        // `where true` tells SQLite's parser that `on conflict` starts the upsert clause.
        Backend::Sqlite => {
            "insert into rollups (point_id, questionnaire, grain, period, channel, question, value, count) \
             select r.value ->> 0, r.value ->> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4, \
             r.value ->> 5, r.value ->> 6, r.value ->> 7 from json_each($1) r where true \
             on conflict (point_id, questionnaire, grain, period, channel, question, value) \
             do update set count = rollups.count + excluded.count"
        }
        Backend::Postgres => {
            "insert into rollups (point_id, questionnaire, grain, period, channel, question, value, count) \
             select (r ->> 0)::bigint, r ->> 1, r ->> 2, (r ->> 3)::date, r ->> 4, r ->> 5, r ->> 6, \
             (r ->> 7)::bigint from jsonb_array_elements($1::jsonb) r \
             on conflict (point_id, questionnaire, grain, period, channel, question, value) \
             do update set count = rollups.count + excluded.count"
        }
    }
}

/// A rollup row's key in primary-key column order: point, questionnaire, grain, period,
/// channel, question, value.
type Key<'a> = (
    i64,
    &'a str,
    &'static str,
    NaiveDate,
    &'static str,
    &'a str,
    &'a str,
);

/// Sums the items' contributions per rollup row (day, month and year of each) into the JSON
/// array [`upsert_sql`] reads, sorted by key so that every transaction locks rows in one order.
///
/// # Errors
/// Never in practice: these values always serialise.
pub fn increments(items: &[&PreparedResponse]) -> DbResult<String> {
    // Counted at day grain first: a batch adds thousands of increments to a few dozen day
    // rows, and each month and year row is the sum of its day rows.
    let mut days: HashMap<(i64, &str, NaiveDate, &'static str, &str, &str), i64> = HashMap::new();
    for item in items {
        for (question, value) in &item.counts {
            let key = (
                item.point_id,
                item.questionnaire.as_str(),
                item.local_date,
                item.channel,
                question.as_str(),
                value.as_str(),
            );
            *days.entry(key).or_default() += 1;
        }
    }
    let mut rows: BTreeMap<Key<'_>, i64> = BTreeMap::new();
    for ((point, q, day, channel, question, value), n) in days {
        let month = day.with_day(1).unwrap_or(day);
        let year = month.with_month(1).unwrap_or(month);
        for (grain, period) in [("day", day), ("month", month), ("year", year)] {
            *rows
                .entry((point, q, grain, period, channel, question, value))
                .or_default() += n;
        }
    }
    let rows: Vec<_> = rows
        .into_iter()
        .map(|((point, q, grain, period, channel, question, value), n)| {
            (point, q, grain, period, channel, question, value, n)
        })
        .collect();
    serde_json::to_string(&rows).map_err(|e| DbError::Other(e.into()))
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use uuid::Uuid;

    use super::*;

    fn response(day: &str, counts: &[(&str, &str)]) -> PreparedResponse {
        let local_date = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
        PreparedResponse {
            id: Uuid::now_v7(),
            point_id: 7,
            questionnaire: "express".into(),
            version: 1,
            channel: "qr",
            device: None,
            seq: None,
            submitted_at: Utc::now(),
            local_date,
            raw: String::new(),
            payload_hash: [0; 32],
            counts: counts
                .iter()
                .map(|(q, v)| ((*q).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    #[test]
    fn days_add_up_to_their_month_and_year_in_key_order() {
        let a = response("2026-03-02", &[("", ""), ("nps", "9")]);
        let b = response("2026-03-05", &[("", ""), ("nps", "9")]);
        let c = response("2026-04-01", &[("", "")]);
        let json = increments(&[&a, &b, &c]).unwrap();
        type Row = (i64, String, String, String, String, String, String, i64);
        let rows: Vec<Row> = serde_json::from_str(&json).unwrap();
        let got: Vec<(&str, &str, &str, i64)> = rows
            .iter()
            .map(|r| (r.2.as_str(), r.3.as_str(), r.5.as_str(), r.7))
            .collect();
        assert_eq!(
            got,
            [
                ("day", "2026-03-02", "", 1),
                ("day", "2026-03-02", "nps", 1),
                ("day", "2026-03-05", "", 1),
                ("day", "2026-03-05", "nps", 1),
                ("day", "2026-04-01", "", 1),
                ("month", "2026-03-01", "", 2),
                ("month", "2026-03-01", "nps", 2),
                ("month", "2026-04-01", "", 1),
                ("year", "2026-01-01", "", 3),
                ("year", "2026-01-01", "nps", 2),
            ]
        );
        assert!(rows
            .iter()
            .all(|r| r.0 == 7 && r.1 == "express" && r.4 == "qr"));
    }
}
