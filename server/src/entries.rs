//! Staff entries (`GET /api/v1/entries`): the batches of paper, phone, interview and observation
//! questionnaires keyed in at an org's points, with who keyed them in — so an official can see
//! what came in on paper, from whom, and when.

use otklik_shared::access::Action;
use serde::{Deserialize, Serialize};

use crate::auth::Caller;
use crate::db::entries::EntryFilter;
use crate::db::Database;
use crate::service_error::{ServiceError, ServiceResult};
use crate::stats::day_range;

/// Query of `GET /api/v1/entries`.
#[derive(Debug, Clone, Deserialize)]
pub struct EntriesQuery {
    /// Org code: the root of the subtree.
    pub org: String,
    /// First local date of the responses, inclusive.
    pub from: Option<String>,
    /// Last local date of the responses, inclusive.
    pub to: Option<String>,
}

/// One batch as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryBatch {
    /// The label given to the batch, `null` without one.
    pub entry_batch: Option<String>,
    /// Login of the staff member who keyed them in.
    pub entered_by: String,
    /// Channel wire name.
    pub channel: String,
    /// How many responses.
    pub responses: i64,
    /// The earliest `submitted_at` among them (RFC 3339).
    pub first_at: String,
    /// The latest `submitted_at` among them (RFC 3339).
    pub last_at: String,
}

/// Reply of `GET /api/v1/entries`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntriesReply {
    /// Most recent batch first.
    pub entries: Vec<EntryBatch>,
}

/// Lists the entry batches of the org's subtree. Who keyed a batch in is personal data of staff:
/// the permission table's `ReadPersonalData` (officials and admins).
///
/// # Errors
/// Bad dates, unknown org, denied role or scope, internal on a database failure.
#[tracing::instrument(skip_all, fields(org = %q.org))]
pub async fn list(db: &Database, caller: &Caller, q: &EntriesQuery) -> ServiceResult<EntriesReply> {
    let (from, to) = day_range(q.from.as_deref(), q.to.as_deref())?;
    let org = db
        .org_by_code(&q.org)
        .await?
        .ok_or_else(|| ServiceError::not_found("unknown_org", format!("no org {}", q.org)))?;
    caller.require(Action::ReadPersonalData, &org)?;
    let rows = db
        .entry_batches(&org.path, from, to, EntryFilter::default())
        .await?;
    Ok(EntriesReply {
        entries: rows
            .into_iter()
            .map(|r| EntryBatch {
                entry_batch: r.entry_batch,
                entered_by: r.entered_by,
                channel: r.channel,
                responses: r.responses,
                first_at: stamp(r.first_at),
                last_at: stamp(r.last_at),
            })
            .collect(),
    })
}

/// A batch's time as listed: RFC 3339 in UTC, to the second.
pub(crate) fn stamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
