//! The stored responses, one row each: `id,point,org,channel,submitted_at`, then per question
//! its wire value and, for questions that take comments, `<q>.comment`. Free text (text
//! answers and comments) passes through [`mask`]; no IP, device token or user agent is ever
//! read. Rows come point by point, each point's in date order, through one connection: the
//! CSV is written in chunks as the rows arrive, in constant memory however many there are.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{SecondsFormat, Utc};
use futures_util::stream::{self, BoxStream, Stream, StreamExt};
use otklik_shared::access::Action;
use otklik_shared::org::OrgPath;
use otklik_shared::questionnaire::{QuestionKind, Questionnaire};
use serde::Deserialize;
use serde_json::Value;

use super::ExportMeta;
use crate::auth::Caller;
use crate::db::exports::{ExportPoint, ScanConnection, StoredResponse};
use crate::db::orgs::OrgRow;
use crate::db::Database;
use crate::masking::mask;
use crate::service_error::{ServiceError, ServiceResult};
use crate::stats::{day_range, StatsDeps};

/// Query parameters of `responses.csv` and `responses.sqlite`.
#[derive(Debug, Clone, Deserialize)]
pub struct ResponsesQuery {
    /// Org code: the root of the subtree.
    pub org: String,
    /// Questionnaire id.
    pub questionnaire: String,
    /// First local day, inclusive.
    pub from: Option<String>,
    /// Last local day, inclusive.
    pub to: Option<String>,
}

/// The columns every row starts with.
pub const FIXED_COLUMNS: [&str; 5] = ["id", "point", "org", "channel", "submitted_at"];

/// The columns of one question.
#[derive(Debug, Clone)]
pub struct AnswerColumns {
    /// Question id: the value column's name.
    pub question: String,
    /// Its kind (free text is masked; numbers are numeric in SQLite).
    pub kind: QuestionKind,
    /// Whether a `<q>.comment` column follows.
    pub comment: bool,
}

/// A checked export: what to read, ready to stream.
pub struct ResponsesExport {
    db: Database,
    /// The points of the subtree that collect the questionnaire, by code.
    pub points: Vec<ExportPoint>,
    /// The orgs of the subtree.
    pub orgs: Vec<OrgRow>,
    /// Every published version of the questionnaire, oldest first.
    pub versions: Vec<Arc<Questionnaire>>,
    /// The answer columns, in the pooled questions' order.
    pub columns: Vec<AnswerColumns>,
    /// What produced the export.
    pub meta: ExportMeta,
    under: OrgPath,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
}

/// Checks the caller and the parameters and gathers what the export reads. The rows hold free
/// text (masked), so the caller needs both results and comments: observers may, operators not.
///
/// # Errors
/// Bad dates (400), unknown org or questionnaire (404), denied role or scope (403), internal
/// on a database failure.
pub async fn prepare(
    deps: StatsDeps<'_>,
    caller: &Caller,
    q: &ResponsesQuery,
) -> ServiceResult<ResponsesExport> {
    let (from, to) = day_range(q.from.as_deref(), q.to.as_deref())?;
    let org = deps
        .db
        .org_by_code(&q.org)
        .await?
        .ok_or_else(|| ServiceError::not_found("unknown_org", format!("no org {}", q.org)))?;
    caller.require(Action::ReadResults, &org)?;
    caller.require(Action::ReadComments, &org)?;
    if deps
        .catalog
        .get(deps.db, &q.questionnaire, None)
        .await?
        .is_none()
    {
        return Err(ServiceError::not_found(
            "unknown_questionnaire",
            format!("no questionnaire {}", q.questionnaire),
        ));
    }
    let versions = deps.catalog.versions(&q.questionnaire);
    let columns = deps
        .catalog
        .pooled_questions(&q.questionnaire)
        .into_iter()
        .map(|question| AnswerColumns {
            comment: question.comment.is_some(),
            kind: question.kind,
            question: question.id,
        })
        .collect();
    Ok(ResponsesExport {
        db: deps.db.clone(),
        points: deps.db.export_points(&org.path, &q.questionnaire).await?,
        orgs: deps.db.list_orgs(org.path.as_str(), None).await?,
        meta: ExportMeta {
            org: (org.code, org.name),
            questionnaire: q.questionnaire.clone(),
            versions: versions.iter().map(|v| v.version).collect(),
            methodology: deps.methodology.version.clone(),
            from: q.from.clone(),
            to: q.to.clone(),
            exported_at: Utc::now(),
        },
        under: org.path,
        versions,
        columns,
        from,
        to,
    })
}

impl ResponsesExport {
    /// The header: the fixed columns, then each question's.
    pub fn header(&self) -> Vec<String> {
        let mut out: Vec<String> = FIXED_COLUMNS.iter().map(|&c| c.to_owned()).collect();
        for c in &self.columns {
            out.push(c.question.clone());
            if c.comment {
                out.push(format!("{}.comment", c.question));
            }
        }
        out
    }

    /// A connection of its own for [`Self::rows`] ([`Database::scan_connection`]).
    ///
    /// # Errors
    /// Internal on a database failure.
    pub async fn scan_connection(&self) -> ServiceResult<ScanConnection> {
        Ok(self.db.scan_connection().await?)
    }

    /// Every row, streamed through `conn`: cells as text, empty where there is no answer.
    pub fn rows<'a>(
        &'a self,
        conn: &'a mut ScanConnection,
    ) -> BoxStream<'a, ServiceResult<Vec<String>>> {
        let mut position = HashMap::new();
        let mut width = FIXED_COLUMNS.len();
        for c in &self.columns {
            position.insert(c.question.as_str(), (width, c));
            width += 1 + usize::from(c.comment);
        }
        let points: HashMap<i64, &ExportPoint> = self.points.iter().map(|p| (p.id, p)).collect();
        conn.subtree_responses(&self.under, &self.meta.questionnaire, self.from, self.to)
            .map(move |r| {
                let r = r?;
                let point = points.get(&r.point_id).ok_or_else(|| {
                    ServiceError::Internal(anyhow::anyhow!(
                        "response {} at an unlisted point",
                        r.id
                    ))
                })?;
                row(point, &r, &position, width)
            })
            .boxed()
    }

    /// The CSV as a stream of chunks, written by a task of its own as the rows arrive; at most
    /// a few chunks wait in memory while the client reads.
    pub fn csv(self) -> impl Stream<Item = ServiceResult<Vec<u8>>> + Send + 'static {
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        tokio::spawn(async move {
            if let Err(e) = self.write_csv(&tx).await {
                tracing::error!(error = %e, "responses.csv stopped");
                let _ = tx.send(Err(e)).await;
            }
        });
        stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|c| (c, rx)) })
    }

    async fn write_csv(
        &self,
        tx: &tokio::sync::mpsc::Sender<ServiceResult<Vec<u8>>>,
    ) -> ServiceResult<()> {
        const CHUNK: usize = 64 * 1024;
        let writer = || csv::Writer::from_writer(Vec::with_capacity(2 * CHUNK));
        let finish = |w: csv::Writer<Vec<u8>>| {
            w.into_inner()
                .map_err(|e| csv_failed(e.into_error().into()))
        };
        let mut out = writer();
        out.write_record(self.header()).map_err(csv_failed)?;
        let mut conn = self.scan_connection().await?;
        let mut rows = self.rows(&mut conn);
        let mut count = 0u64;
        while let Some(row) = rows.next().await {
            out.write_record(row?).map_err(csv_failed)?;
            count += 1;
            if out.get_ref().len() >= CHUNK {
                let chunk = finish(std::mem::replace(&mut out, writer()))?;
                if tx.send(Ok(chunk)).await.is_err() {
                    tracing::info!(rows = count, "responses.csv: the client left");
                    return Ok(());
                }
            }
        }
        let _ = tx.send(Ok(finish(out)?)).await;
        tracing::info!(org = %self.meta.org.0, rows = count, "responses.csv streamed");
        Ok(())
    }
}

fn csv_failed(e: csv::Error) -> ServiceError {
    ServiceError::Internal(anyhow::Error::new(e).context("write responses.csv"))
}

/// One response as cells: free text masked.
fn row(
    point: &ExportPoint,
    r: &StoredResponse,
    position: &HashMap<&str, (usize, &AnswerColumns)>,
    width: usize,
) -> ServiceResult<Vec<String>> {
    let stored = r.answers()?;
    let mut cells = vec![String::new(); width];
    cells[0] = r.id.to_string();
    cells[1].clone_from(&point.code);
    cells[2].clone_from(&point.org);
    cells[3].clone_from(&r.channel);
    cells[4] = r.submitted_at.to_rfc3339_opts(SecondsFormat::AutoSi, true);
    for answer in stored.answers {
        let Some(&(at, column)) = position.get(answer.q.as_str()) else {
            continue;
        };
        cells[at] = match answer.v {
            Value::String(s) if column.kind == QuestionKind::Text => mask(&s).into_owned(),
            Value::String(s) => s,
            Value::Null => String::new(),
            other => other.to_string(),
        };
        if let (true, Some(comment)) = (column.comment, answer.comment) {
            cells[at + 1] = mask(&comment).into_owned();
        }
    }
    Ok(cells)
}
