//! Idempotent batch ingest: responses, rollup counts and the hash-chained log in one transaction.
//!
//! Exactly-once rests on the database, never on check-then-insert: `insert … on conflict (id)
//! do nothing returning id` decides which items are new, and the primary key makes a second copy
//! impossible whatever number of clients or server instances race. Items that were not inserted
//! are then compared by payload hash (`duplicate` or `conflict`).
//!
//! Locks are taken in one global order — response ids (sorted), rollup rows (sorted), then the
//! chain head — so concurrent transactions on PostgreSQL cannot deadlock, and only the short
//! log append at the end is serialised. The log gets one record per batch.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sha2::{Digest, Sha256};
use sqlx::QueryBuilder;
use uuid::Uuid;

use super::{with_pool, Database, DbError, DbResult};

/// A validated response, ready to store.
#[derive(Debug, Clone)]
pub struct PreparedResponse {
    /// Client UUID.
    pub id: Uuid,
    /// Point id.
    pub point_id: i64,
    /// Questionnaire id.
    pub questionnaire: String,
    /// Questionnaire version.
    pub version: u32,
    /// Channel wire name.
    pub channel: &'static str,
    /// Kiosk device id.
    pub device: Option<String>,
    /// Kiosk sequence number.
    pub seq: Option<i64>,
    /// When it was submitted.
    pub submitted_at: DateTime<Utc>,
    /// Local date of `submitted_at` in the institution's time zone.
    pub local_date: NaiveDate,
    /// The item exactly as submitted.
    pub raw: String,
    /// SHA-256 of the canonical payload.
    pub payload_hash: [u8; 32],
    /// Rollup contributions: `(question, value key)`; `("", "")` counts the response itself.
    pub counts: Vec<(String, String)>,
}

/// What storing one item did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Newly stored.
    Created,
    /// Stored before with the same payload.
    Duplicate,
    /// Stored before with a different payload; the stored one is kept.
    Conflict,
}

/// Rows per multi-row statement: keeps every statement under SQLite's 32,766 bound parameters.
const ROLLUP_CHUNK: usize = 4000;

/// Seals one log record: the concatenated ids (16 bytes each, in the given order) and the chain
/// hash sha256(prev || log_seq (big-endian) || for each response: id || payload_hash).
pub fn seal<'a>(
    prev: &[u8],
    log_seq: i64,
    responses: impl Iterator<Item = (&'a Uuid, &'a [u8])>,
) -> (Vec<u8>, [u8; 32]) {
    let mut ids = Vec::new();
    let mut h = Sha256::new();
    h.update(prev);
    h.update(log_seq.to_be_bytes());
    for (id, payload_hash) in responses {
        ids.extend_from_slice(id.as_bytes());
        h.update(id.as_bytes());
        h.update(payload_hash);
    }
    (ids, h.finalize().into())
}

type RollupKey = (
    i64,
    String,
    &'static str,
    NaiveDate,
    &'static str,
    String,
    String,
);

impl Database {
    /// Stores the items and returns one outcome per item, in order. The reply is built only
    /// after the commit returned, so `created` means durable (SQLite `synchronous=FULL`,
    /// PostgreSQL `synchronous_commit=on`).
    ///
    /// # Errors
    /// Database failure; nothing of the batch is stored then.
    pub async fn ingest(&self, items: &[PreparedResponse]) -> DbResult<Vec<Outcome>> {
        // The first occurrence of an id in the batch is the one inserted; later copies are
        // judged against whatever ends up stored.
        let mut first: HashMap<Uuid, usize> = HashMap::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            first.entry(item.id).or_insert(i);
        }
        let mut unique: Vec<&PreparedResponse> = first.values().map(|&i| &items[i]).collect();
        unique.sort_by_key(|item| item.id);
        let received_at = Utc::now();

        // SQLite has one writer connection, so inside its transaction nothing else can insert:
        // asking which ids exist and then inserting the rest cannot race, and it spares
        // streaming 500 returned rows back from SQLite's worker thread. PostgreSQL, shared by
        // concurrent instances, learns what it inserted from `returning id`.
        let single_writer = self.backend() == super::Backend::Sqlite;
        let (created, stored) = with_pool!(self.writer(), |p| {
            let mut tx = p.begin().await?;
            let mut stored: HashMap<Uuid, Vec<u8>> = HashMap::new();
            let mut created: Vec<Uuid> = Vec::with_capacity(unique.len());
            for chunk in unique.chunks(500) {
                let mut known: HashMap<Uuid, Vec<u8>> = HashMap::new();
                if single_writer {
                    let mut qb =
                        QueryBuilder::new("select id, payload_hash from responses where id in (");
                    let mut sep = qb.separated(", ");
                    for item in chunk {
                        sep.push_bind(item.id);
                    }
                    qb.push(")");
                    let rows: Vec<(Uuid, Vec<u8>)> =
                        qb.build_query_as().fetch_all(&mut *tx).await?;
                    known.extend(rows);
                }
                let fresh: Vec<&&PreparedResponse> = chunk
                    .iter()
                    .filter(|item| !known.contains_key(&item.id))
                    .collect();
                stored.extend(known);
                if fresh.is_empty() {
                    continue;
                }
                let mut qb = QueryBuilder::new(
                    "insert into responses (id, point_id, questionnaire, version, channel, device, seq, \
                     submitted_at, local_date, received_at, raw, payload_hash) ",
                );
                qb.push_values(&fresh, |mut b, item| {
                    b.push_bind(item.id)
                        .push_bind(item.point_id)
                        .push_bind(&item.questionnaire)
                        .push_bind(i64::from(item.version))
                        .push_bind(item.channel)
                        .push_bind(&item.device)
                        .push_bind(item.seq)
                        .push_bind(item.submitted_at)
                        .push_bind(item.local_date)
                        .push_bind(received_at)
                        .push_bind(&item.raw)
                        .push_bind(item.payload_hash.as_slice());
                });
                qb.push(" on conflict (id) do nothing");
                if single_writer {
                    let inserted = qb.build().execute(&mut *tx).await?.rows_affected();
                    if inserted != fresh.len() as u64 {
                        return Err(DbError::Other(anyhow::anyhow!(
                            "{inserted} of {} new responses inserted",
                            fresh.len()
                        )));
                    }
                    created.extend(fresh.iter().map(|item| item.id));
                } else {
                    qb.push(" returning id");
                    let ids: Vec<Uuid> = qb.build_query_scalar().fetch_all(&mut *tx).await?;
                    created.extend(ids);
                }
            }
            created.sort();

            let existing: Vec<Uuid> = unique
                .iter()
                .map(|item| item.id)
                .filter(|id| created.binary_search(id).is_err() && !stored.contains_key(id))
                .collect();
            for chunk in existing.chunks(500) {
                let mut qb =
                    QueryBuilder::new("select id, payload_hash from responses where id in (");
                let mut sep = qb.separated(", ");
                for id in chunk {
                    sep.push_bind(*id);
                }
                qb.push(")");
                let rows: Vec<(Uuid, Vec<u8>)> = qb.build_query_as().fetch_all(&mut *tx).await?;
                stored.extend(rows);
            }

            let new_items: Vec<&PreparedResponse> = unique
                .iter()
                .copied()
                .filter(|item| created.binary_search(&item.id).is_ok())
                .collect();
            if !new_items.is_empty() {
                for chunk in rollup_increments(&new_items).chunks(ROLLUP_CHUNK) {
                    let mut qb = QueryBuilder::new(
                        "insert into rollups (point_id, questionnaire, grain, period, channel, question, value, count) ",
                    );
                    qb.push_values(
                        chunk,
                        |mut b, ((point, q, grain, period, channel, question, value), n)| {
                            b.push_bind(*point)
                                .push_bind(q)
                                .push_bind(*grain)
                                .push_bind(*period)
                                .push_bind(*channel)
                                .push_bind(question)
                                .push_bind(value)
                                .push_bind(*n);
                        },
                    );
                    qb.push(
                        " on conflict (point_id, questionnaire, grain, period, channel, question, value) \
                         do update set count = rollups.count + excluded.count",
                    );
                    qb.build().execute(&mut *tx).await?;
                }

                // Appending to the log takes the chain head's row lock: the last lock taken.
                let (log_seq, prev): (i64, Vec<u8>) = sqlx::query_as(
                    "update chain_head set log_seq = log_seq + 1 where id = 1 returning log_seq, chain_hash",
                )
                .fetch_one(&mut *tx)
                .await?;
                let (ids, link) = seal(
                    &prev,
                    log_seq,
                    new_items.iter().map(|i| (&i.id, &i.payload_hash[..])),
                );
                sqlx::query("insert into response_log (log_seq, response_ids, chain_hash) values ($1, $2, $3)")
                    .bind(log_seq)
                    .bind(&ids)
                    .bind(link.as_slice())
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("update chain_head set chain_hash = $1 where id = 1")
                    .bind(link.as_slice())
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            (created, stored)
        });

        let outcomes = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let is_new = created.binary_search(&item.id).is_ok();
                if is_new && first.get(&item.id) == Some(&i) {
                    return Ok(Outcome::Created);
                }
                let stored_hash = if is_new {
                    items[first[&item.id]].payload_hash.as_slice()
                } else {
                    stored.get(&item.id).map(Vec::as_slice).ok_or_else(|| {
                        DbError::Other(anyhow::anyhow!(
                            "response {} neither inserted nor found",
                            item.id
                        ))
                    })?
                };
                Ok(if stored_hash == item.payload_hash.as_slice() {
                    Outcome::Duplicate
                } else {
                    Outcome::Conflict
                })
            })
            .collect::<DbResult<Vec<_>>>()?;
        Ok(outcomes)
    }
}

/// Sums the new items' contributions per rollup row (day, month and year of each), sorted by
/// key: the lock order. Counting happens on borrowed keys (a batch adds thousands of
/// increments to a few hundred rows); only the distinct rows are turned into owned keys.
fn rollup_increments(items: &[&PreparedResponse]) -> Vec<(RollupKey, i64)> {
    type Borrowed<'a> = (
        i64,
        &'a str,
        &'static str,
        NaiveDate,
        &'static str,
        &'a str,
        &'a str,
    );
    let mut sums: HashMap<Borrowed<'_>, i64> = HashMap::new();
    for item in items {
        let day = item.local_date;
        let month = day.with_day(1).unwrap_or(day);
        let year = month.with_month(1).unwrap_or(month);
        for (grain, period) in [("day", day), ("month", month), ("year", year)] {
            for (question, value) in &item.counts {
                let key = (
                    item.point_id,
                    item.questionnaire.as_str(),
                    grain,
                    period,
                    item.channel,
                    question.as_str(),
                    value.as_str(),
                );
                *sums.entry(key).or_default() += 1;
            }
        }
    }
    let mut rows: Vec<(Borrowed<'_>, i64)> = sums.into_iter().collect();
    rows.sort_unstable();
    rows.into_iter()
        .map(|((point, q, grain, period, channel, question, value), n)| {
            (
                (
                    point,
                    q.to_owned(),
                    grain,
                    period,
                    channel,
                    question.to_owned(),
                    value.to_owned(),
                ),
                n,
            )
        })
        .collect()
}
