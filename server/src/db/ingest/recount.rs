//! Rollups recounted from the raw responses: `otklik audit verify --rollups` compares the
//! recount with what is stored, `otklik audit repair-rollups` replaces what is stored with it.
//!
//! The recount replays ingest's own rollup path over the stored responses, in id order a
//! chunk at a time: the same [`increments`] and, for a repair, the same upserts, so a rebuilt
//! row is what ingest writes when it is handed every stored response once.
//!
//! Why no trigger guards the rollups, as triggers guard `responses` and the log: ingest updates
//! rollup rows in every batch, so a trigger could not tell its update from anyone else's. What
//! a rollup promises is to equal the count of the raw responses, which the log seals; so the
//! rollups are audited against a recount of them and rebuilt from them instead.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use chrono::NaiveDate;
use futures_util::TryStreamExt;
use otklik_shared::answer::Channel;
use otklik_shared::org::OrgPath;
use otklik_shared::rollup;
use uuid::Uuid;

use super::dialect::Dialect;
use super::rollup::{increments, Counted, Increments};
use crate::db::values::Decoder;
use crate::db::{with_pool, Backend, Database, DbError, DbResult, Named};

/// Responses read per round trip.
const CHUNK: i64 = 2000;

const SELECT_FIRST: &str = "select id, point_id, questionnaire, channel, local_date, raw \
     from responses order by id limit $1";
const SELECT_AFTER: &str = "select id, point_id, questionnaire, channel, local_date, raw \
     from responses where id > $2 order by id limit $1";
const SELECT_POINT_ORGS: &str =
    "select pt.id, o.path from points pt join orgs o on o.id = pt.org_id";
const SELECT_ROLLUPS: &str = "select 'rollups' as table_name, point_id as owner, questionnaire, \
     grain, period, channel, question, cast(counts as text) as counts from rollups";
const SELECT_SUBTREE_ROLLUPS: &str = "select 'subtree_rollups' as table_name, org_id as owner, \
     questionnaire, grain, period, '' as channel, question, cast(counts as text) as counts \
     from subtree_rollups";

/// A stored rollup row of either table, as [`SELECT_ROLLUPS`] and [`SELECT_SUBTREE_ROLLUPS`]
/// name its columns.
#[derive(sqlx::FromRow)]
struct StoredRollup {
    table_name: String,
    owner: i64,
    questionnaire: String,
    grain: String,
    period: NaiveDate,
    channel: String,
    question: String,
    counts: String,
}

/// A stored response as the recount reads it.
#[derive(sqlx::FromRow)]
struct StoredResponse {
    id: Uuid,
    point_id: i64,
    questionnaire: String,
    channel: String,
    local_date: NaiveDate,
    raw: String,
}

/// How the caller counts a stored raw item: its `(question, value key)` pairs
/// ([`rollup::contributions`]), or why it no longer counts. The catalog and the validation
/// rules live above this layer.
pub trait CountRaw: Fn(&str) -> Result<Vec<(String, String)>, String> {}
impl<F: Fn(&str) -> Result<Vec<(String, String)>, String>> CountRaw for F {}

/// A rollup row's place, in either table (a `subtree_rollups` row has no channel: `""`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RollupKey {
    /// `rollups` or `subtree_rollups`.
    pub table: String,
    /// The point (`rollups`) or the org (`subtree_rollups`).
    pub owner: i64,
    /// Questionnaire id.
    pub questionnaire: String,
    /// `day`, `month` or `year`.
    pub grain: String,
    /// The period's first day.
    pub period: NaiveDate,
    /// Channel wire name.
    pub channel: String,
    /// Question id (`""`: the response count).
    pub question: String,
}

/// Value key → count, as a rollup row holds them.
pub type RowCounts = BTreeMap<String, u64>;

/// A rollup row that is not its recount: stored without responses behind it, missing, or
/// holding other counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollupDifference {
    /// Where.
    pub key: RollupKey,
    /// What is stored (`None`: no row).
    pub stored: Option<RowCounts>,
    /// What the responses count (`None`: none).
    pub recounted: Option<RowCounts>,
}

impl fmt::Display for RollupDifference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let k = &self.key;
        let show = |c: &Option<RowCounts>| {
            c.as_ref().map_or_else(
                || "no row".to_owned(),
                |c| serde_json::to_string(c).unwrap_or_default(),
            )
        };
        write!(
            f,
            "{} row ({}, {}, {} {}, channel {:?}, question {:?}) holds {} but the responses count {}",
            k.table,
            k.owner,
            k.questionnaire,
            k.grain,
            k.period,
            k.channel,
            k.question,
            show(&self.stored),
            show(&self.recounted),
        )
    }
}

/// The rollups held against their recount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollupCheck {
    /// Responses recounted.
    pub responses: u64,
    /// Rollup rows the recount makes.
    pub rows: u64,
    /// How many rows differ.
    pub differ: u64,
    /// The first that differs, in key order.
    pub first: Option<RollupDifference>,
}

/// A stored response with what it adds: its channel's wire name and its counts.
struct Recounted {
    response: StoredResponse,
    channel: &'static str,
    counts: Vec<(String, String)>,
}

/// One chunk of stored responses with what each adds, ready for [`increments`].
struct Chunk {
    rows: Vec<Recounted>,
}

impl Chunk {
    /// Counts each response with `count`.
    fn new(rows: Vec<StoredResponse>, count: &impl CountRaw) -> DbResult<Self> {
        let rows = rows
            .into_iter()
            .map(|r| {
                let d = Decoder {
                    table: "responses",
                    key: &r.id.to_string(),
                };
                let channel = d.column::<Channel>("channel", r.channel.clone())?.as_str();
                let counts = count(&r.raw).map_err(|why| {
                    DbError::Other(anyhow::anyhow!("response {} does not recount: {why}", r.id))
                })?;
                Ok(Recounted {
                    response: r,
                    channel,
                    counts,
                })
            })
            .collect::<DbResult<_>>()?;
        Ok(Self { rows })
    }

    /// The rollup increments of the chunk.
    fn increments<'a>(&'a self, orgs: &'a HashMap<i64, Vec<i64>>) -> DbResult<Increments<'a>> {
        let counted = self
            .rows
            .iter()
            .map(
                |Recounted {
                     response: r,
                     channel,
                     counts,
                 }| {
                    let orgs = orgs.get(&r.point_id).ok_or_else(|| {
                        DbError::Other(anyhow::anyhow!(
                            "response {} names point {}, which is not stored",
                            r.id,
                            r.point_id
                        ))
                    })?;
                    Ok(Counted {
                        point_id: r.point_id,
                        orgs,
                        questionnaire: &r.questionnaire,
                        channel,
                        local_date: r.local_date,
                        counts,
                    })
                },
            )
            .collect::<DbResult<Vec<_>>>()?;
        increments(counted)
    }

    /// The last id, where the next chunk starts; `None` when the chunk is the last.
    fn next_after(&self) -> Option<Uuid> {
        let last = self.rows.last().map(|r| r.response.id)?;
        (self.rows.len() as i64 == CHUNK).then_some(last)
    }
}

/// The rows of `increments` added into `into`, unpacked.
fn add_up(into: &mut BTreeMap<RollupKey, RowCounts>, inc: &Increments<'_>) -> DbResult<()> {
    let rows = inc
        .rows
        .iter()
        .map(|(k, c)| ("rollups", k.0, k.1, k.2, k.3, k.4, k.5, c));
    let subtree = inc
        .subtree_rows
        .iter()
        .map(|(k, c)| ("subtree_rollups", k.0, k.1, k.2, k.3, "", k.4, c));
    for (table, owner, questionnaire, grain, period, channel, question, counts) in
        rows.chain(subtree)
    {
        let key = RollupKey {
            table: table.to_owned(),
            owner,
            questionnaire: questionnaire.to_owned(),
            grain: grain.to_owned(),
            period,
            channel: channel.to_owned(),
            question: question.to_owned(),
        };
        let row = into.entry(key).or_default();
        for (value, n) in rollup::unpack(counts).map_err(|e| DbError::Other(e.into()))? {
            *row.entry(value).or_default() += n;
        }
    }
    Ok(())
}

/// Each point's org and the orgs above it, from `(point id, org path)` rows.
fn point_orgs(rows: Vec<(i64, String)>) -> DbResult<HashMap<i64, Vec<i64>>> {
    rows.into_iter()
        .map(|(point, path)| {
            let key = point.to_string();
            let d = Decoder {
                table: "points",
                key: &key,
            };
            let path: OrgPath = d.column("org_path", path)?;
            Ok((point, path.ids().collect()))
        })
        .collect()
}

/// Runs `$body` once per chunk of stored responses read on `$tx`, in id order, with `$chunk`
/// the counted [`Chunk`] and `$orgs` each point's orgs (read on `$tx` first): the one loop of
/// both the check and the rebuild. Evaluates to the number of responses read.
macro_rules! for_each_chunk {
    ($tx:expr, $count:expr, |$chunk:ident, $orgs:ident| $body:block) => {{
        let $orgs = point_orgs(
            sqlx::query_as(SELECT_POINT_ORGS)
                .fetch_all(&mut *$tx)
                .await
                .named("select point orgs")?,
        )?;
        let mut after: Option<Uuid> = None;
        let mut responses = 0u64;
        loop {
            let rows: Vec<StoredResponse> = match after {
                None => sqlx::query_as(SELECT_FIRST).bind(CHUNK).fetch_all(&mut *$tx).await,
                Some(id) => {
                    sqlx::query_as(SELECT_AFTER)
                        .bind(CHUNK)
                        .bind(id)
                        .fetch_all(&mut *$tx)
                        .await
                }
            }
            .named("select responses to recount")?;
            let $chunk = Chunk::new(rows, $count)?;
            responses += $chunk.rows.len() as u64;
            after = $chunk.next_after();
            $body
            if after.is_none() {
                break responses;
            }
        }
    }};
}

impl Database {
    /// Recounts the rollups from the raw responses and holds the stored ones against the
    /// recount, in one snapshot (a batch stored meanwhile is in both or in neither).
    ///
    /// Holds the recount in memory: one entry per rollup row, never per response.
    ///
    /// # Errors
    /// Database failure, or a stored response `count` refuses.
    #[tracing::instrument(skip_all)]
    pub async fn check_rollups(&self, count: impl CountRaw) -> DbResult<RollupCheck> {
        let mut recount: BTreeMap<RollupKey, RowCounts> = BTreeMap::new();
        let (responses, stored) = with_pool!(self.reader(), |p| {
            let mut tx = p.begin().await.named("begin the rollup check")?;
            if self.backend() == Backend::Postgres {
                sqlx::query("set transaction isolation level repeatable read, read only")
                    .execute(&mut *tx)
                    .await
                    .named("take one snapshot for the rollup check")?;
            }
            let responses = for_each_chunk!(tx, &count, |chunk, orgs| {
                add_up(&mut recount, &chunk.increments(&orgs)?)?;
            });
            let mut stored: Vec<StoredRollup> = Vec::new();
            for select in [SELECT_ROLLUPS, SELECT_SUBTREE_ROLLUPS] {
                let mut rows = sqlx::query_as(select).fetch(&mut *tx);
                while let Some(row) = rows.try_next().await.named("select stored rollups")? {
                    stored.push(row);
                }
            }
            tx.rollback().await.named("end the rollup check")?;
            (responses, stored)
        });
        let rows = recount.len() as u64;
        let mut differences: Vec<RollupDifference> = Vec::new();
        for row in stored {
            let stored = rollup::unpack(&row.counts).map_err(|e| DbError::Other(e.into()))?;
            let key = RollupKey {
                table: row.table_name,
                owner: row.owner,
                questionnaire: row.questionnaire,
                grain: row.grain,
                period: row.period,
                channel: row.channel,
                question: row.question,
            };
            let recounted = recount.remove(&key);
            if recounted.as_ref() != Some(&stored) {
                differences.push(RollupDifference {
                    key,
                    stored: Some(stored),
                    recounted,
                });
            }
        }
        differences.extend(recount.into_iter().map(|(key, counts)| RollupDifference {
            key,
            stored: None,
            recounted: Some(counts),
        }));
        let differ = differences.len() as u64;
        Ok(RollupCheck {
            responses,
            rows,
            differ,
            first: differences.into_iter().min_by(|a, b| a.key.cmp(&b.key)),
        })
    }

    /// Replaces every rollup row with its recount from the raw responses, in one transaction:
    /// the stored rows are deleted and ingest's upserts replayed over every stored response.
    /// Returns how many responses were recounted.
    ///
    /// Ingest waits meanwhile (SQLite: the single writer; PostgreSQL: a share lock on
    /// `responses`, which every ingest transaction's insert waits for), so no batch is counted
    /// twice or missed.
    ///
    /// # Errors
    /// Database failure, or a stored response `count` refuses; nothing changes then.
    #[tracing::instrument(skip_all)]
    pub async fn rebuild_rollups(&self, count: impl CountRaw) -> DbResult<u64> {
        Ok(with_pool!(self.writer(), |p| {
            let mut tx = p.begin().await.named("begin the rollup rebuild")?;
            if self.backend() == Backend::Postgres {
                sqlx::query("lock table responses in share mode")
                    .execute(&mut *tx)
                    .await
                    .named("hold ingest for the rollup rebuild")?;
            }
            for delete in ["delete from rollups", "delete from subtree_rollups"] {
                sqlx::query(delete)
                    .execute(&mut *tx)
                    .await
                    .named("delete rollups to rebuild")?;
            }
            let responses = for_each_chunk!(tx, &count, |chunk, orgs| {
                p.upsert_rollups(&mut tx, &chunk.increments(&orgs)?).await?;
            });
            tx.commit().await.named("commit the rollup rebuild")?;
            responses
        }))
    }
}
