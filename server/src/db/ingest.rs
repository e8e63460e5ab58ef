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
use std::fmt::Write;
use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};
use sqlx::{AssertSqlSafe, QueryBuilder, Row};
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
/// Rows per insert statement: 12 parameters each, far below both backends' limits.
const INSERT_ROWS: usize = 500;

/// The insert of [`INSERT_ROWS`] responses, and where each row's placeholders end in it.
struct InsertText {
    text: String,
    row_ends: Vec<usize>,
}

impl InsertText {
    /// Built once per backend: the insert of n rows is the first n rows of it, so no batch
    /// formats thousands of placeholders again (it showed in profiles of the ingest path).
    /// SQLite gets plain `?` placeholders: it resolves a numbered one (`$7`) by a linear search
    /// of the statement's parameter names, ten times slower at 6,000 parameters (measured).
    fn new(backend: Backend) -> Self {
        let mut text = String::from(
            "insert into responses (id, point_id, questionnaire, version, channel, device, seq, \
             submitted_at, local_date, received_at, raw, payload_hash) values ",
        );
        let mut row_ends = Vec::with_capacity(INSERT_ROWS);
        for row in 0..INSERT_ROWS {
            text.push_str(if row == 0 { "(" } else { ", (" });
            for column in 0..12 {
                if column > 0 {
                    text.push_str(", ");
                }
                match backend {
                    Backend::Sqlite => text.push('?'),
                    // Writing to a String cannot fail.
                    Backend::Postgres => {
                        let _ = write!(text, "${}", row * 12 + column + 1);
                    }
                }
            }
            text.push(')');
            row_ends.push(text.len());
        }
        Self { text, row_ends }
    }

    /// The insert of `rows` responses (1 to [`INSERT_ROWS`]).
    fn rows(&self, rows: usize) -> &str {
        &self.text[..self.row_ends[rows.clamp(1, INSERT_ROWS) - 1]]
    }
}

static INSERT_SQLITE: LazyLock<InsertText> = LazyLock::new(|| InsertText::new(Backend::Sqlite));
static INSERT_POSTGRES: LazyLock<InsertText> = LazyLock::new(|| InsertText::new(Backend::Postgres));

/// The insert of `rows` responses (1 to [`INSERT_ROWS`]) for the backend.
fn insert_sql(backend: Backend, rows: usize) -> &'static str {
    match backend {
        Backend::Sqlite => INSERT_SQLITE.rows(rows),
        Backend::Postgres => INSERT_POSTGRES.rows(rows),
    }
}

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
        // judged against whatever ends up stored. `first` holds the item index of each
        // distinct id in id order (a stable sort keeps the earliest of equal ids first), and
        // `unique` the items themselves: the insert order, which is also the lock order.
        let mut first: Vec<usize> = (0..items.len()).collect();
        first.sort_by_key(|&i| items[i].id);
        first.dedup_by_key(|i| items[*i].id);
        let unique: Vec<&PreparedResponse> = first.iter().map(|&i| items[i]).collect();
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
                .chunks(INSERT_ROWS)
                .map(|chunk| {
                    let mut query = if optimistic {
                        sqlx::query(insert_sql(backend, chunk.len()))
                    } else {
                        // Built from the constant text above: nothing of the request in it.
                        sqlx::query(AssertSqlSafe(format!(
                            "{} on conflict (id) do nothing returning id",
                            insert_sql(backend, chunk.len())
                        )))
                    };
                    for item in chunk {
                        query = query
                            .bind(item.id)
                            .bind(item.point_id)
                            .bind(&item.questionnaire)
                            .bind(i64::from(item.version))
                            .bind(item.channel)
                            .bind(&item.device)
                            .bind(item.seq)
                            .bind(item.submitted_at)
                            .bind(item.local_date)
                            .bind(received_at)
                            .bind(&item.raw)
                            .bind(item.payload_hash.as_slice());
                    }
                    (chunk.len(), query)
                })
                .collect();
            let mut tx = p.begin().await?;
            let mut created: Vec<Uuid> = Vec::with_capacity(unique.len());
            for (len, query) in inserts {
                if optimistic {
                    match query.execute(&mut *tx).await {
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
                    let rows = query.fetch_all(&mut *tx).await?;
                    for row in rows {
                        created.push(row.try_get(0)?);
                    }
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
                let first_copy = unique
                    .binary_search_by_key(&item.id, |u| u.id)
                    .map(|at| first[at])
                    .map_err(|_| {
                        DbError::Other(anyhow::anyhow!("response {} lost its place", item.id))
                    })?;
                if is_new && first_copy == i {
                    return Ok(Outcome::Created);
                }
                let stored_hash = if is_new {
                    items[first_copy].payload_hash.as_slice()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_insert_of_n_rows_ends_after_the_nth_rows_placeholders() {
        let pg = |rows| insert_sql(Backend::Postgres, rows);
        assert!(pg(1).ends_with(" values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"));
        assert!(
            pg(2).ends_with("$12), ($13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)")
        );
        assert!(pg(INSERT_ROWS).ends_with(&format!("${})", INSERT_ROWS * 12)));
        assert_eq!(pg(INSERT_ROWS).matches('$').count(), INSERT_ROWS * 12);
        let sqlite = |rows| insert_sql(Backend::Sqlite, rows);
        assert!(sqlite(1).ends_with(" values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        for rows in [1, 2, 37, INSERT_ROWS] {
            assert_eq!(sqlite(rows).matches('?').count(), rows * 12);
            assert_eq!(
                pg(rows).matches('(').count(),
                rows + 1,
                "the column list and one per row"
            );
        }
    }
}
