//! Reads the response log in chain order for `otklik audit verify`.

use futures_util::TryStreamExt;
use sqlx::QueryBuilder;
use uuid::Uuid;

use super::{with_pool, Database, DbResult, Named};

/// One log record: the responses one batch created, and its link in the chain.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LogRecord {
    /// Position in the chain, from 1.
    pub log_seq: i64,
    /// The created responses' ids, 16 bytes each, in sealing order.
    pub response_ids: Vec<u8>,
    /// The stored link.
    pub chain_hash: Vec<u8>,
}

impl LogRecord {
    /// The ids listed in the record; `None` if the blob is not a whole number of ids.
    pub fn ids(&self) -> Option<Vec<Uuid>> {
        if !self.response_ids.len().is_multiple_of(16) {
            return None;
        }
        Some(
            self.response_ids
                .chunks(16)
                .filter_map(|c| Uuid::from_slice(c).ok())
                .collect(),
        )
    }
}

/// A stored response as the audit re-checks it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SealedResponse {
    /// Id.
    pub id: Uuid,
    /// Stored payload hash.
    pub payload_hash: Vec<u8>,
    /// The item as submitted.
    pub raw: String,
}

/// The chain head and table sizes, to catch rows added or removed outside the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogTotals {
    /// `log_seq` of the head.
    pub head_seq: i64,
    /// Chain hash of the head.
    pub head_hash: Vec<u8>,
    /// Rows in `responses`.
    pub responses: i64,
}

impl Database {
    /// All log records in chain order (one per batch: a large log is still few records).
    ///
    /// # Errors
    /// Database failure.
    #[tracing::instrument(skip_all)]
    pub async fn log_records(&self) -> DbResult<Vec<LogRecord>> {
        Ok(with_pool!(self.reader(), |p| {
            sqlx::query_as(
                "select log_seq, response_ids, chain_hash from response_log order by log_seq",
            )
            .fetch(p)
            .try_collect()
            .await
            .named("select log records")?
        }))
    }

    /// The stored responses with these ids (missing ones are absent).
    ///
    /// # Errors
    /// Database failure.
    #[tracing::instrument(skip_all, fields(ids = ids.len()))]
    pub async fn sealed_responses(&self, ids: &[Uuid]) -> DbResult<Vec<SealedResponse>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let rows: Vec<SealedResponse> = with_pool!(self.reader(), |p| {
                let mut qb =
                    QueryBuilder::new("select id, payload_hash, raw from responses where id in (");
                let mut sep = qb.separated(", ");
                for id in chunk {
                    sep.push_bind(*id);
                }
                qb.push(")");
                qb.build_query_as()
                    .fetch_all(p)
                    .await
                    .named("select sealed responses")?
            });
            out.extend(rows);
        }
        Ok(out)
    }

    /// The chain head and the number of stored responses, read in one statement (one snapshot).
    ///
    /// # Errors
    /// Database failure.
    pub async fn log_totals(&self) -> DbResult<LogTotals> {
        let (head_seq, head_hash, responses): (i64, Vec<u8>, i64) = with_pool!(
            self.reader(),
            |p| {
                sqlx::query_as("select h.log_seq, h.chain_hash, (select count(*) from responses) from chain_head h where h.id = 1")
                .fetch_one(p)
                .await.named("select log totals")?
            }
        );
        Ok(LogTotals {
            head_seq,
            head_hash,
            responses,
        })
    }
}
