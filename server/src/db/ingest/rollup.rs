//! The rollup rows a batch adds to, counted before the transaction opens, so the transaction
//! only upserts them ([`super::dialect::Dialect::upsert_rollups`]: one statement per table whose
//! text never changes, prepared once per connection and reused whatever the number of rows; a
//! multi-row `values` list would be a new statement, parsed and planned again, for almost every
//! batch). Two tables, each row's values' counts packed in one JSON object:
//! - `rollups`: per point, questionnaire, grain (day, month, year), period, channel and
//!   question — what `/stats`, rankings and the channel split read;
//! - `subtree_rollups`: the citizens' counts (observation left out) per org and everything
//!   below it, questionnaire, grain (month, year), period and question — what a trend reads,
//!   one row per period however many institutions a region holds.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use otklik_shared::answer::Channel;
use otklik_shared::rollup;

use super::PreparedResponse;
use crate::db::{DbError, DbResult};

/// A `rollups` row's key in primary-key column order: point, questionnaire, grain, period,
/// channel, question.
pub(super) type Key<'a> = (i64, &'a str, &'static str, NaiveDate, &'static str, &'a str);

/// A `subtree_rollups` row's key in primary-key column order: org, questionnaire, grain,
/// period, question.
pub(super) type SubtreeKey<'a> = (i64, &'a str, &'static str, NaiveDate, &'a str);

/// The increments of one batch: per rollup row, the counts to add packed as the `counts`
/// column holds them ([`rollup::pack`]), sorted by key so that every transaction locks
/// rows in one order.
#[derive(Debug, Default, PartialEq)]
pub struct Increments<'a> {
    pub(super) rows: Vec<(Key<'a>, String)>,
    pub(super) subtree_rows: Vec<(SubtreeKey<'a>, String)>,
}

/// What one response adds to the rollups, and where: all that [`increments`] reads of it, from
/// a batch being stored ([`PreparedResponse::counted`]) or a stored response being recounted
/// (`super::recount`).
#[derive(Debug, Clone, Copy)]
pub struct Counted<'a> {
    /// Point id.
    pub point_id: i64,
    /// The ids of the point's org and every org above it.
    pub orgs: &'a [i64],
    /// Questionnaire id.
    pub questionnaire: &'a str,
    /// Channel wire name.
    pub channel: &'static str,
    /// Local date in the institution's time zone.
    pub local_date: NaiveDate,
    /// `(question, value key)` pairs ([`rollup::contributions`]).
    pub counts: &'a [(String, String)],
}

impl PreparedResponse {
    /// What it adds to the rollups.
    pub(super) fn counted(&self) -> Counted<'_> {
        Counted {
            point_id: self.point_id,
            orgs: &self.orgs,
            questionnaire: &self.questionnaire,
            channel: self.channel,
            local_date: self.local_date,
            counts: &self.counts,
        }
    }
}

/// Sums the items' contributions per rollup row (day, month and year of each; month and year
/// of each org above the point) and value.
///
/// # Errors
/// Never in practice: a map of strings to integers always serialises.
pub fn increments<'a>(items: impl IntoIterator<Item = Counted<'a>>) -> DbResult<Increments<'a>> {
    // Counted at day grain first: a batch adds thousands of increments to a few dozen day
    // rows, and each month and year row is the sum of its day rows.
    // foldhash: the std hasher (SipHash) over these six-part keys showed in ingest profiles;
    // foldhash is several times faster and still seeded per process.
    let mut days: foldhash::HashMap<(i64, &str, NaiveDate, &'static str, &str, &str), i64> =
        foldhash::HashMap::default();
    let mut orgs_of: foldhash::HashMap<i64, &[i64]> = foldhash::HashMap::default();
    for item in items {
        orgs_of.entry(item.point_id).or_insert(item.orgs);
        for (question, value) in item.counts {
            let key = (
                item.point_id,
                item.questionnaire,
                item.local_date,
                item.channel,
                question.as_str(),
                value.as_str(),
            );
            *days.entry(key).or_default() += 1;
        }
    }
    let mut rows: BTreeMap<Key<'_>, BTreeMap<&str, i64>> = BTreeMap::new();
    let mut subtree_rows: BTreeMap<SubtreeKey<'_>, BTreeMap<&str, i64>> = BTreeMap::new();
    for ((point, q, day, channel, question, value), n) in days {
        let month = day.with_day(1).unwrap_or(day);
        let year = month.with_month(1).unwrap_or(month);
        for (grain, period) in [("day", day), ("month", month), ("year", year)] {
            *rows
                .entry((point, q, grain, period, channel, question))
                .or_default()
                .entry(value)
                .or_default() += n;
        }
        if !Channel::parse(channel).is_some_and(Channel::is_citizen) {
            continue;
        }
        for &org in orgs_of.get(&point).copied().unwrap_or_default() {
            for (grain, period) in [("month", month), ("year", year)] {
                *subtree_rows
                    .entry((org, q, grain, period, question))
                    .or_default()
                    .entry(value)
                    .or_default() += n;
            }
        }
    }
    Ok(Increments {
        rows: packed(rows)?,
        subtree_rows: packed(subtree_rows)?,
    })
}

/// The rows with their counts packed as the `counts` column holds them, in key order.
fn packed<K: Ord>(rows: BTreeMap<K, BTreeMap<&str, i64>>) -> DbResult<Vec<(K, String)>> {
    rows.into_iter()
        .map(|(key, counts)| Ok((key, rollup::pack(&counts)?)))
        .collect::<Result<_, rollup::BadCounts>>()
        .map_err(|e| DbError::Other(e.into()))
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
            orgs: vec![1, 4],
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
            entry: None,
        }
    }

    #[test]
    fn days_add_up_to_their_month_and_year_per_question_in_key_order() {
        let a = response("2026-03-02", &[("", ""), ("nps", "9")]);
        let b = response("2026-03-05", &[("", ""), ("nps", "9")]);
        let c = response("2026-04-01", &[("", ""), ("nps", "10")]);
        let rows = increments([&a, &b, &c].map(|r| r.counted())).unwrap().rows;
        let got: Vec<(&str, String, &str, &str)> = rows
            .iter()
            .map(|(k, counts)| (k.2, k.3.to_string(), k.5, counts.as_str()))
            .collect();
        let expected = [
            ("day", "2026-03-02", "", r#"{"":1}"#),
            ("day", "2026-03-02", "nps", r#"{"9":1}"#),
            ("day", "2026-03-05", "", r#"{"":1}"#),
            ("day", "2026-03-05", "nps", r#"{"9":1}"#),
            ("day", "2026-04-01", "", r#"{"":1}"#),
            ("day", "2026-04-01", "nps", r#"{"10":1}"#),
            ("month", "2026-03-01", "", r#"{"":2}"#),
            ("month", "2026-03-01", "nps", r#"{"9":2}"#),
            ("month", "2026-04-01", "", r#"{"":1}"#),
            ("month", "2026-04-01", "nps", r#"{"10":1}"#),
            ("year", "2026-01-01", "", r#"{"":3}"#),
            ("year", "2026-01-01", "nps", r#"{"10":1,"9":2}"#),
        ]
        .map(|(g, p, q, n)| (g, p.to_owned(), q, n));
        assert_eq!(got, expected);
        assert!(rows
            .iter()
            .all(|(k, _)| k.0 == 7 && k.1 == "express" && k.4 == "qr"));
    }

    #[test]
    fn every_org_above_the_point_gets_the_citizens_months_and_years() {
        let a = response("2026-03-02", &[("", ""), ("nps", "9")]);
        let b = response("2026-04-01", &[("", ""), ("nps", "10")]);
        let mut seen = response("2026-04-02", &[("", ""), ("nps", "0")]);
        seen.channel = "observation";
        let rows = increments([&a, &b, &seen].map(|r| r.counted()))
            .unwrap()
            .subtree_rows;
        let got: Vec<(i64, &str, String, &str, &str)> = rows
            .iter()
            .map(|(k, counts)| (k.0, k.2, k.3.to_string(), k.4, counts.as_str()))
            .collect();
        let mut expected = Vec::new();
        for org in [1, 4] {
            expected.extend([
                (org, "month", "2026-03-01", "", r#"{"":1}"#),
                (org, "month", "2026-03-01", "nps", r#"{"9":1}"#),
                (org, "month", "2026-04-01", "", r#"{"":1}"#),
                (org, "month", "2026-04-01", "nps", r#"{"10":1}"#),
                (org, "year", "2026-01-01", "", r#"{"":2}"#),
                (org, "year", "2026-01-01", "nps", r#"{"10":1,"9":1}"#),
            ]);
        }
        let expected: Vec<_> = expected
            .into_iter()
            .map(|(o, g, p, q, n)| (o, g, p.to_owned(), q, n))
            .collect();
        assert_eq!(got, expected);
    }
}
