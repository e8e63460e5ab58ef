//! Idempotent batch ingest: responses, rollup counts and the hash-chained log in one transaction.
//!
//! Exactly-once rests on the database, never on check-then-insert: `insert … on conflict (id)
//! do nothing` decides which items are new (its row count when it inserted all of them,
//! `returning id` otherwise), and the primary key makes a second copy impossible whatever number
//! of clients or server instances race. Items that were not inserted are then compared by
//! payload hash (`duplicate` or `conflict`).
//!
//! Locks are taken in one global order — response ids (sorted), rollup rows (sorted), then the
//! chain head — so concurrent transactions on PostgreSQL cannot deadlock, and only the short
//! log append at the end is serialised. The log gets one record per transaction, which stores
//! one batch or a group of them (`crate::ingest::group_commit`).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};
use sqlx::QueryBuilder;
use uuid::Uuid;

use super::{with_pool, Backend, Database, DbError, DbResult};

mod rollup;

use rollup::UpsertRollups;

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

/// Seals one log record: the concatenated ids (16 bytes each, in the given order) and the chain
/// hash, [`link`] of the [`record`].
pub fn seal<'a>(
    prev: &[u8],
    log_seq: i64,
    responses: impl Iterator<Item = (&'a Uuid, &'a [u8])>,
) -> (Vec<u8>, [u8; 32]) {
    let (ids, sealed) = record(responses);
    let link = link(prev, log_seq, &sealed);
    (ids, link)
}

/// One log record's content: the concatenated ids, and what the chain hash covers after the
/// previous hash and log_seq: for each response, id || payload_hash.
fn record<'a>(responses: impl Iterator<Item = (&'a Uuid, &'a [u8])>) -> (Vec<u8>, Vec<u8>) {
    let (mut ids, mut sealed) = (Vec::new(), Vec::new());
    for (id, payload_hash) in responses {
        ids.extend_from_slice(id.as_bytes());
        sealed.extend_from_slice(id.as_bytes());
        sealed.extend_from_slice(payload_hash);
    }
    (ids, sealed)
}

/// The chain hash sha256(prev || log_seq (big-endian) || sealed). [`APPEND_LOG_POSTGRES`]
/// computes the same in SQL.
fn link(prev: &[u8], log_seq: i64, sealed: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(log_seq.to_be_bytes());
    h.update(sealed);
    h.finalize().into()
}

/// The log append on PostgreSQL (`$1` the ids, `$2` the sealed bytes of [`record`]): one
/// statement takes the chain head's row lock, links the record with the database's own
/// `sha256` and inserts it. The lock is held to the commit, so concurrent batches queue on it;
/// linking in the locking statement keeps that queue to one statement and the commit, instead
/// of a round trip to the server and back more.
const APPEND_LOG_POSTGRES: &str = "with head as (update chain_head set log_seq = log_seq + 1, \
     chain_hash = sha256(chain_hash || int8send(log_seq + 1) || $2) where id = 1 \
     returning log_seq, chain_hash) \
     insert into response_log (log_seq, response_ids, chain_hash) \
     select log_seq, $1, chain_hash from head";

/// The log append on SQLite (no `sha256` in SQL) after the head was bumped: the record and the
/// head's new hash, two statements in one round trip (`$1` log_seq, `$2` ids, `$3` chain hash).
const APPEND_LOG_SQLITE: &str =
    "insert into response_log (log_seq, response_ids, chain_hash) values ($1, $2, $3); \
     update chain_head set chain_hash = $3 where id = 1";

impl Database {
    /// Stores the items and returns one outcome per item, in order. The reply is built only
    /// after the commit returned, so `created` means durable (SQLite `synchronous=FULL`,
    /// PostgreSQL `synchronous_commit=on`).
    ///
    /// # Errors
    /// Database failure; nothing of the batch is stored then.
    pub async fn ingest(&self, items: &[&PreparedResponse]) -> DbResult<Vec<Outcome>> {
        // The first occurrence of an id in the batch is the one inserted; later copies are
        // judged against whatever ends up stored.
        let mut first: HashMap<Uuid, usize> = HashMap::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            first.entry(item.id).or_insert(i);
        }
        let mut unique: Vec<&PreparedResponse> = first.values().map(|&i| items[i]).collect();
        unique.sort_by_key(|item| item.id);
        let received_at = Utc::now();
        let backend = self.backend();
        // The rollups of the usual batch, the one whose items are all new, counted before the
        // transaction opens.
        let all_new_rollups = rollup::increments(&unique)?;

        // Most batches are all new, so the insert first goes as a plain insert: no `on conflict`
        // (PostgreSQL's speculative insertion costs about a third more per row) and no
        // `returning` (from SQLite's worker thread that is a channel message per row). If the
        // primary key refuses a row (a batch sent again, or racing another copy), the
        // transaction is rolled back and redone with `on conflict (id) do nothing returning
        // id`. Either way the primary key alone decides, never a check before the insert.
        let mut optimistic = true;
        let (created, stored) = with_pool!(self.writer(), |p| 'attempt: loop {
            // Built before the transaction opens: the single SQLite writer is held for SQL only.
            let inserts: Vec<_> = unique
                .chunks(500)
                .map(|chunk| {
                    let mut qb = QueryBuilder::new(
                        "insert into responses (id, point_id, questionnaire, version, channel, device, seq, \
                         submitted_at, local_date, received_at, raw, payload_hash) ",
                    );
                    qb.push_values(chunk, |mut b, item| {
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
                    if !optimistic {
                        qb.push(" on conflict (id) do nothing returning id");
                    }
                    (chunk.len(), qb)
                })
                .collect();
            let mut tx = p.begin().await?;
            let mut created: Vec<Uuid> = Vec::with_capacity(unique.len());
            for (len, mut qb) in inserts {
                if optimistic {
                    match qb.build().execute(&mut *tx).await {
                        Ok(done) if done.rows_affected() == len as u64 => {}
                        Ok(done) => {
                            return Err(DbError::Other(anyhow::anyhow!(
                                "a plain insert of {len} rows reported {}",
                                done.rows_affected()
                            )))
                        }
                        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                            tx.rollback().await?;
                            optimistic = false;
                            continue 'attempt;
                        }
                        Err(e) => return Err(e.into()),
                    }
                } else {
                    let ids: Vec<Uuid> = qb.build_query_scalar().fetch_all(&mut *tx).await?;
                    created.extend(ids);
                }
            }
            if optimistic {
                created.extend(unique.iter().map(|item| item.id));
            }
            created.sort();

            let mut stored: HashMap<Uuid, Vec<u8>> = HashMap::new();
            let existing: Vec<Uuid> = unique
                .iter()
                .map(|item| item.id)
                .filter(|id| created.binary_search(id).is_err())
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

            if !created.is_empty() {
                let new_items: Vec<&PreparedResponse> = unique
                    .iter()
                    .copied()
                    .filter(|item| created.binary_search(&item.id).is_ok())
                    .collect();
                let subset;
                let rollups = if new_items.len() == unique.len() {
                    &all_new_rollups
                } else {
                    subset = rollup::increments(&new_items)?;
                    &subset
                };
                tx.upsert_rollups(rollups).await?;

                // Appending to the log takes the chain head's row lock: the last lock taken.
                let (ids, sealed) = record(new_items.iter().map(|i| (&i.id, &i.payload_hash[..])));
                if backend == Backend::Postgres {
                    sqlx::query(APPEND_LOG_POSTGRES)
                        .bind(ids)
                        .bind(sealed)
                        .execute(&mut *tx)
                        .await?;
                } else {
                    let (log_seq, prev): (i64, Vec<u8>) = sqlx::query_as(
                        "update chain_head set log_seq = log_seq + 1 where id = 1 returning log_seq, chain_hash",
                    )
                    .fetch_one(&mut *tx)
                    .await?;
                    sqlx::query(APPEND_LOG_SQLITE)
                        .bind(log_seq)
                        .bind(ids)
                        .bind(link(&prev, log_seq, &sealed).as_slice())
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await?;
            break (created, stored);
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
