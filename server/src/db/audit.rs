//! Reads the response log in chain order for `otklik audit verify`.

use futures_util::TryStreamExt;
use uuid::Uuid;

use super::{with_pool, Database, DbResult};

/// One log entry with the response it seals (absent if the response row is gone).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LogEntry {
    /// Position in the chain, from 1.
    pub log_seq: i64,
    /// The response's id.
    pub response_id: Uuid,
    /// The stored link.
    pub chain_hash: Vec<u8>,
    /// The response's stored payload hash.
    pub payload_hash: Option<Vec<u8>>,
    /// The response as submitted.
    pub raw: Option<String>,
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
    /// Rows in `response_log`.
    pub log_rows: i64,
}

impl Database {
    /// Calls `visit` with every log entry in chain order, streaming (constant memory); stops at
    /// the first `Err` the visitor returns and hands it back.
    ///
    /// # Errors
    /// Database failure (outer), or the visitor's verdict (inner).
    pub async fn walk_log<E>(
        &self,
        mut visit: impl FnMut(LogEntry) -> Result<(), E>,
    ) -> DbResult<Result<(), E>> {
        let sql = "select l.log_seq, l.response_id, l.chain_hash, r.payload_hash, r.raw \
                   from response_log l left join responses r on r.id = l.response_id order by l.log_seq";
        with_pool!(self.reader(), |p| {
            let mut rows = sqlx::query_as::<_, LogEntry>(sql).fetch(p);
            while let Some(entry) = rows.try_next().await? {
                if let Err(e) = visit(entry) {
                    return Ok(Err(e));
                }
            }
        });
        Ok(Ok(()))
    }

    /// The chain head and row counts.
    ///
    /// # Errors
    /// Database failure.
    pub async fn log_totals(&self) -> DbResult<LogTotals> {
        let (head_seq, head_hash, responses, log_rows): (i64, Vec<u8>, i64, i64) = with_pool!(
            self.reader(),
            |p| {
                sqlx::query_as(
                "select h.log_seq, h.chain_hash, (select count(*) from responses), (select count(*) from response_log) \
                 from chain_head h where h.id = 1",
            )
            .fetch_one(p)
            .await?
            }
        );
        Ok(LogTotals {
            head_seq,
            head_hash,
            responses,
            log_rows,
        })
    }
}
