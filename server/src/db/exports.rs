//! Reads of raw responses for the exports and the comments list: the survey points of a
//! subtree, one point's responses as a stream (constant memory however many there are), and a
//! page of responses that may carry comments, newest first, after a keyset cursor.

use chrono::{DateTime, NaiveDate, Utc};
use futures_util::stream::{BoxStream, StreamExt};
use otklik_shared::answer::RawAnswer;
use otklik_shared::org::OrgPath;
use serde::Deserialize;
use sqlx::pool::PoolConnection;
use sqlx::{Postgres, QueryBuilder, Sqlite};
use uuid::Uuid;

use super::{with_pool, Database, DbError, DbResult, Named};

/// A survey point of the exported subtree.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ExportPoint {
    /// Surrogate id.
    pub id: i64,
    /// Point code.
    pub code: String,
    /// The point's org code.
    pub org: String,
    /// Questionnaire id.
    pub questionnaire: String,
    /// Life situation code.
    pub life_situation: Option<String>,
    /// Stage code.
    pub stage: Option<String>,
}

/// A stored response as the exports and comments read it: never the device, IP or token.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredResponse {
    /// The client's id.
    pub id: Uuid,
    /// The point it was given at.
    pub point_id: i64,
    /// Channel wire name.
    pub channel: String,
    /// When the respondent finished.
    pub submitted_at: DateTime<Utc>,
    /// The item as submitted (JSON); only its answers are read.
    pub raw: String,
}

/// The part of a stored item the exports and comments read.
#[derive(Debug, Clone, Deserialize)]
pub struct StoredAnswers {
    /// Questionnaire id.
    pub questionnaire: String,
    /// The answers as submitted.
    #[serde(default)]
    pub answers: Vec<RawAnswer>,
}

impl StoredResponse {
    /// The stored item's answers. One that does not parse is corrupt data; the error names the
    /// response only, never its text (which may hold personal data).
    ///
    /// # Errors
    /// [`DbError::Corrupt`].
    pub fn answers(&self) -> DbResult<StoredAnswers> {
        serde_json::from_str(&self.raw).map_err(|_| DbError::Corrupt {
            table: "responses",
            key: self.id.to_string(),
            column: "raw",
            value: "(not shown: free text)".to_owned(),
        })
    }
}

/// Which responses the comments list reads.
#[derive(Debug, Clone)]
pub struct CommentFilter<'a> {
    /// The subtree's root.
    pub under: &'a OrgPath,
    /// Only this questionnaire.
    pub questionnaire: Option<&'a str>,
    /// Only this point.
    pub point: Option<&'a str>,
    /// First local date, inclusive.
    pub from: Option<NaiveDate>,
    /// Last local date, inclusive.
    pub to: Option<NaiveDate>,
    /// Strictly older than this `(submitted_at, id)`: the keyset cursor.
    pub before: Option<(DateTime<Utc>, Uuid)>,
    /// Texts that may hold a comment or a free-text answer: the response's raw JSON contains
    /// one of these (`"comment"`, the ids of the text questions). A prefilter; the service
    /// reads the answers themselves.
    pub needles: &'a [String],
    /// Responses per page.
    pub limit: u32,
}

impl Database {
    /// The points of the subtree under `under` that collect `questionnaire`, by code.
    ///
    /// # Errors
    /// Database failure.
    pub async fn export_points(
        &self,
        under: &OrgPath,
        questionnaire: &str,
    ) -> DbResult<Vec<ExportPoint>> {
        Ok(with_pool!(self.reader(), |p| sqlx::query_as(
            "select pt.id, pt.code, o.code as org, pt.questionnaire, pt.life_situation, pt.stage \
             from points pt join orgs o on o.id = pt.org_id \
             where o.path like $1 and pt.questionnaire = $2 order by pt.code"
        )
        .bind(format!("{under}%"))
        .bind(questionnaire)
        .fetch_all(p)
        .await
        .named("select export points")?))
    }

    /// A read connection of its own for one bulk scan (an export).
    ///
    /// # Errors
    /// Database failure.
    pub async fn scan_connection(&self) -> DbResult<ScanConnection> {
        Ok(ScanConnection(match self {
            Self::Sqlite { read, .. } => {
                let mut conn = read.acquire().await.named("acquire a scan connection")?;
                // Closed when the scan ends: its cache then goes with it, and the pool opens a
                // fresh connection with the usual cache when it needs one.
                conn.close_on_drop();
                sqlx::query(SCAN_CACHE_PRAGMA)
                    .execute(&mut *conn)
                    .await
                    .named("shrink the scan connection's cache")?;
                Scan::Sqlite(conn)
            }
            Self::Postgres(pool) => {
                Scan::Postgres(pool.acquire().await.named("acquire a scan connection")?)
            }
        }))
    }
}

/// The page cache of a scan connection: 8 MB (a read connection keeps up to 32 MB). A bulk scan
/// reads each page once, so a large cache would only hold pages it never reads again, in our
/// process (SQLite's cache is ours), and an export of a region grew the server by the whole
/// 32 MB (docs/benchmarks.md); the operating system's file cache still serves re-reads. The
/// same reasoning as PostgreSQL's small ring buffer for large sequential scans.
const SCAN_CACHE_PRAGMA: &str = "pragma cache_size = -8000";

/// A read connection held for one bulk scan ([`Database::scan_connection`]): on SQLite with a
/// small page cache and closed afterwards, so an export neither grows the server by a full
/// cache nor evicts the pages the dashboard's reads keep warm.
pub struct ScanConnection(Scan);

enum Scan {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl ScanConnection {
    /// The responses to `questionnaire` at the points of the subtree within the local dates,
    /// every channel, point by point in date order, streamed row by row (constant memory
    /// however many): the plan walks the points, then each one's `responses_point_date` range,
    /// with no sort.
    pub fn subtree_responses<'a>(
        &'a mut self,
        under: &OrgPath,
        questionnaire: &'a str,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> BoxStream<'a, DbResult<StoredResponse>> {
        const SQL: &str = "select r.id, r.point_id, r.channel, r.submitted_at, r.raw \
             from points pt join orgs o on o.id = pt.org_id \
             join responses r on r.point_id = pt.id \
             where o.path like $1 and pt.questionnaire = $2 and r.questionnaire = $2 \
             and ($3 is null or r.local_date >= $3) and ($4 is null or r.local_date <= $4) \
             order by pt.id, r.local_date";
        let pattern = format!("{under}%");
        // One text, expanded once per backend's connection type (as `with_pool!` does).
        macro_rules! scan {
            ($conn:expr) => {
                sqlx::query_as(SQL)
                    .bind(pattern)
                    .bind(questionnaire)
                    .bind(from)
                    .bind(to)
                    .fetch(&mut **$conn)
                    .map(|row| row.named("select subtree responses"))
                    .boxed()
            };
        }
        match &mut self.0 {
            Scan::Sqlite(conn) => scan!(conn),
            Scan::Postgres(conn) => scan!(conn),
        }
    }
}

impl Database {
    /// A page of responses in the subtree that may carry comments, newest first by
    /// `(submitted_at, id)`, strictly before the cursor: a walk down the `responses_submitted`
    /// index (migration 0006) that stops after `limit` matching rows.
    ///
    /// # Errors
    /// Database failure.
    pub async fn comment_candidates(
        &self,
        f: &CommentFilter<'_>,
    ) -> DbResult<Vec<(StoredResponse, String)>> {
        if f.needles.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<ResponseWithPoint> = with_pool!(self.reader(), |p| {
            let mut qb = QueryBuilder::new(
                "select r.id, r.point_id, r.channel, r.submitted_at, r.raw, pt.code \
                     from responses r join points pt on pt.id = r.point_id \
                     join orgs o on o.id = pt.org_id where o.path like ",
            );
            qb.push_bind(format!("{}%", f.under));
            f.push_narrowing(&mut qb);
            if let Some((at, id)) = f.before {
                // A row value, so both backends seek the `responses_submitted` index.
                qb.push(" and (r.submitted_at, r.id) < (")
                    .push_bind(at)
                    .push(", ")
                    .push_bind(id)
                    .push(")");
            }
            qb.push(" and (");
            let mut any = qb.separated(" or ");
            for needle in f.needles {
                any.push("r.raw like ")
                    .push_bind_unseparated(format!("%{needle}%"));
            }
            qb.push(") order by r.submitted_at desc, r.id desc limit ")
                .push_bind(i64::from(f.limit));
            qb.build_query_as()
                .fetch_all(p)
                .await
                .named("select comment candidates")?
        });
        Ok(rows.into_iter().map(StoredResponse::with_point).collect())
    }
}

/// A response row with its point's code, as the comment queries select it.
pub(super) type ResponseWithPoint = (Uuid, i64, String, DateTime<Utc>, String, String);

impl StoredResponse {
    /// The response and its point's code from a [`ResponseWithPoint`] row.
    pub(super) fn with_point(
        (id, point_id, channel, submitted_at, raw, point): ResponseWithPoint,
    ) -> (Self, String) {
        (
            StoredResponse {
                id,
                point_id,
                channel,
                submitted_at,
                raw,
            },
            point,
        )
    }
}

impl CommentFilter<'_> {
    /// Appends the filter's narrowing conditions (questionnaire, point, local dates) to a
    /// query over `responses r` joined with `points pt`.
    pub(super) fn push_narrowing<DB: sqlx::Database>(&self, qb: &mut QueryBuilder<DB>)
    where
        for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
        for<'q> NaiveDate: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    {
        if let Some(q) = self.questionnaire {
            qb.push(" and r.questionnaire = ").push_bind(q);
        }
        if let Some(point) = self.point {
            qb.push(" and pt.code = ").push_bind(point);
        }
        if let Some(from) = self.from {
            qb.push(" and r.local_date >= ").push_bind(from);
        }
        if let Some(to) = self.to {
            qb.push(" and r.local_date <= ").push_bind(to);
        }
    }
}
