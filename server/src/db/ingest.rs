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
//! one batch or a group of them (`crate::ingest::group_commit`). What the backends do
//! differently is in `dialect`.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};
use sqlx::{AssertSqlSafe, QueryBuilder, Row};
use uuid::Uuid;

use super::{with_pool, Backend, Database, DbError, DbResult, Named};

mod dialect;
pub mod recount;
mod rollup;

use dialect::{Dialect, INSERT_ROWS};

/// A validated response, ready to store.
#[derive(Debug, Clone)]
pub struct PreparedResponse {
    /// Client UUID.
    pub id: Uuid,
    /// Point id.
    pub point_id: i64,
    /// The ids of the point's org and every org above it: the subtrees whose rollups the
    /// response adds to.
    pub orgs: Vec<i64>,
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
    /// Rollup contributions: `(question, value key)` ([`otklik_shared::rollup::contributions`]).
    pub counts: Vec<(String, String)>,
    /// Who keyed it in, for staff channels: stored beside the response, outside its payload.
    pub entry: Option<Entry>,
}

/// Who keyed in a staff-channel response (paper, phone, interview, observation) and under which
/// batch label. Not part of the hashed payload: the same questionnaire keyed in twice is the same
/// response, whoever typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The staff member's user id.
    pub entered_by: i64,
    /// The batch label they gave («пачка 12»), if any.
    pub batch: Option<String>,
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

/// The chain hash sha256(prev || log_seq (big-endian) || sealed). PostgreSQL computes the
/// same in SQL ([`dialect`]).
fn link(prev: &[u8], log_seq: i64, sealed: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(log_seq.to_be_bytes());
    h.update(sealed);
    h.finalize().into()
}

/// A batch in the order it is stored. The first occurrence of an id is the one inserted;
/// later copies are judged against whatever ends up stored.
struct Batch<'a> {
    items: &'a [&'a PreparedResponse],
    /// The item index of each distinct id, in id order (a stable sort keeps the earliest of
    /// equal ids first).
    first: Vec<usize>,
    /// The items at `first`: the insert order, which is also the lock order.
    unique: Vec<&'a PreparedResponse>,
}

/// What the transaction found: the ids it inserted, sorted, and the stored payload hashes of
/// the others.
struct Stored {
    created: Vec<Uuid>,
    hashes: HashMap<Uuid, Vec<u8>>,
}

impl<'a> Batch<'a> {
    fn new(items: &'a [&'a PreparedResponse]) -> Self {
        let mut first: Vec<usize> = (0..items.len()).collect();
        first.sort_by_key(|&i| items[i].id);
        first.dedup_by_key(|i| items[*i].id);
        let unique = first.iter().map(|&i| items[i]).collect();
        Self {
            items,
            first,
            unique,
        }
    }

    /// The distinct items whose ids are in `created` (sorted), in insert order.
    fn created(&self, created: &[Uuid]) -> Vec<&'a PreparedResponse> {
        self.unique
            .iter()
            .copied()
            .filter(|item| created.binary_search(&item.id).is_ok())
            .collect()
    }

    /// The distinct ids that are not in `created` (sorted): stored before.
    fn existing(&self, created: &[Uuid]) -> Vec<Uuid> {
        self.unique
            .iter()
            .map(|item| item.id)
            .filter(|id| created.binary_search(id).is_err())
            .collect()
    }

    /// One outcome per item, in order: created for the first copy of an id inserted now;
    /// otherwise duplicate or conflict by payload hash against the stored copy.
    fn judge(&self, stored: &Stored) -> DbResult<Vec<Outcome>> {
        let lost = |what: &str, id: Uuid| DbError::Other(anyhow::anyhow!("response {id} {what}"));
        self.items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let is_new = stored.created.binary_search(&item.id).is_ok();
                let first_copy = self
                    .unique
                    .binary_search_by_key(&item.id, |u| u.id)
                    .map(|at| self.first[at])
                    .map_err(|_| lost("lost its place", item.id))?;
                if is_new && first_copy == i {
                    return Ok(Outcome::Created);
                }
                let stored_hash = if is_new {
                    self.items[first_copy].payload_hash.as_slice()
                } else {
                    stored
                        .hashes
                        .get(&item.id)
                        .map(Vec::as_slice)
                        .ok_or_else(|| lost("neither inserted nor found", item.id))?
                };
                Ok(if stored_hash == item.payload_hash.as_slice() {
                    Outcome::Duplicate
                } else {
                    Outcome::Conflict
                })
            })
            .collect()
    }
}

/// Records who keyed in the newly created staff-channel items, in the ingest transaction.
async fn insert_entries<'c, DB>(
    tx: &mut sqlx::Transaction<'c, DB>,
    created: &[&PreparedResponse],
) -> DbResult<()>
where
    DB: sqlx::Database,
    for<'a> &'a mut DB::Connection: sqlx::Executor<'a, Database = DB>,
    for<'a> Uuid: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    for<'a> i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    for<'a> Option<String>: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    for<'a> DB::Arguments: sqlx::IntoArguments<DB>,
{
    let entries: Vec<(Uuid, &Entry)> = created
        .iter()
        .filter_map(|item| item.entry.as_ref().map(|e| (item.id, e)))
        .collect();
    for chunk in entries.chunks(300) {
        let mut qb: QueryBuilder<DB> =
            QueryBuilder::new("insert into entries (response_id, entered_by, entry_batch) ");
        qb.push_values(chunk, |mut row, (id, entry)| {
            row.push_bind(*id)
                .push_bind(entry.entered_by)
                .push_bind(entry.batch.clone());
        });
        qb.build()
            .execute(&mut **tx)
            .await
            .named("insert staff entries")?;
    }
    Ok(())
}

impl Database {
    /// Stores the items and returns one outcome per item, in order. The reply is built only
    /// after the commit returned, so `created` means durable (SQLite `synchronous=FULL`,
    /// PostgreSQL `synchronous_commit=on`).
    ///
    /// The steps: insert, look up the stored hashes of what was not inserted, add the new
    /// items' rollups and append them to the log, commit; then judge each item.
    ///
    /// # Errors
    /// Database failure; nothing of the batch is stored then.
    #[tracing::instrument(skip_all, fields(items = items.len()))]
    pub async fn ingest(&self, items: &[&PreparedResponse]) -> DbResult<Vec<Outcome>> {
        let batch = Batch::new(items);
        let received_at = Utc::now();
        // The rollups of the usual batch, the one whose items are all new, counted before the
        // transaction opens.
        let all_new_rollups = rollup::increments(batch.unique.iter().map(|i| i.counted()))?;

        // Most batches are all new, so the insert first goes as a plain insert: no `on conflict`
        // (PostgreSQL's speculative insertion costs about a third more per row) and no
        // `returning` (from SQLite's worker thread that is a channel message per row). If the
        // primary key refuses a row (a batch sent again, or racing another copy), the
        // transaction is rolled back and redone with `on conflict (id) do nothing returning
        // id`. Either way the primary key alone decides, never a check before the insert.
        let mut optimistic = true;
        let stored = with_pool!(self.writer(), |p| 'attempt: loop {
            // Built before the transaction opens: the single SQLite writer is held for SQL only.
            let inserts: Vec<_> = batch
                .unique
                .chunks(INSERT_ROWS)
                .map(|chunk| {
                    let text = p.insert(chunk.len());
                    let mut query = if optimistic {
                        sqlx::query(text)
                    } else {
                        // Built from the constant text: nothing of the request in it.
                        sqlx::query(AssertSqlSafe(format!(
                            "{text} on conflict (id) do nothing returning id"
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
            let mut tx = p.begin().await.named("begin the ingest transaction")?;

            // 1. Insert.
            let mut created: Vec<Uuid> = Vec::with_capacity(batch.unique.len());
            for (len, query) in inserts {
                if !optimistic {
                    for row in query.fetch_all(&mut *tx).await.named("insert responses")? {
                        created.push(row.try_get(0).named("read an inserted id")?);
                    }
                    continue;
                }
                match query.execute(&mut *tx).await {
                    Ok(done) if done.rows_affected() == len as u64 => {}
                    Ok(done) => {
                        return Err(DbError::Other(anyhow::anyhow!(
                            "a plain insert of {len} rows reported {}",
                            done.rows_affected()
                        )))
                    }
                    Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                        tx.rollback().await.named("roll back the plain insert")?;
                        optimistic = false;
                        continue 'attempt;
                    }
                    Err(e) => return Err(DbError::of_query(e, "insert responses")),
                }
            }
            if optimistic {
                created.extend(batch.unique.iter().map(|item| item.id));
            }
            created.sort();

            // 2. Look up the stored hashes of the items that were not inserted.
            let mut hashes: HashMap<Uuid, Vec<u8>> = HashMap::new();
            for chunk in batch.existing(&created).chunks(500) {
                let mut qb =
                    QueryBuilder::new("select id, payload_hash from responses where id in (");
                let mut sep = qb.separated(", ");
                for id in chunk {
                    sep.push_bind(*id);
                }
                qb.push(")");
                let rows: Vec<(Uuid, Vec<u8>)> = qb
                    .build_query_as()
                    .fetch_all(&mut *tx)
                    .await
                    .named("select stored payload hashes")?;
                hashes.extend(rows);
            }

            // 3. Count the new items and append them to the log (its lock is the last taken).
            if !created.is_empty() {
                let new_items = batch.created(&created);
                let subset;
                let rollups = if new_items.len() == batch.unique.len() {
                    &all_new_rollups
                } else {
                    subset = rollup::increments(new_items.iter().map(|i| i.counted()))?;
                    &subset
                };
                p.upsert_rollups(&mut tx, rollups).await?;
                insert_entries(&mut tx, &new_items).await?;
                let (ids, sealed) = record(new_items.iter().map(|i| (&i.id, &i.payload_hash[..])));
                p.append_log(&mut tx, ids, sealed).await?;
            }
            tx.commit().await.named("commit the ingest transaction")?;
            break Stored { created, hashes };
        });

        // 4. Judge.
        batch.judge(&stored)
    }
}
