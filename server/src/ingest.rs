//! Batch ingest (`POST /api/v1/responses`): parse a batch item by item, check each against its
//! point, questionnaire, channel rules and rate limit, store the good ones, name the bad ones.

use std::collections::HashMap;
use std::net::IpAddr;

use chrono::{DateTime, Duration, TimeZone, Utc};
use otklik_shared::answer::{Channel, NewResponse};
use otklik_shared::api::{BatchReply, ErrorDetail, ItemResult, ItemStatus, MAX_BATCH};
use otklik_shared::rollup;
use otklik_shared::validation::validate_answers;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::canonical::payload_hash;
use crate::catalog::Catalog;
use crate::db::devices::DeviceRow;
use crate::db::ingest::{Entry, Outcome, PreparedResponse};
use crate::db::points::PointRow;
use crate::db::Database;
use crate::ingest::group_commit::GroupCommit;
use crate::metrics::{IngestOutcome, Metrics};
use crate::ratelimit::RateLimiter;
use crate::service_error::{ServiceError, ServiceResult};

mod channel;
pub mod group_commit;

/// What ingest works with: storage, the questionnaires, and the queue batches commit through.
#[derive(Clone, Copy)]
pub struct IngestDeps<'a> {
    /// Storage (points and devices are looked up here).
    pub db: &'a Database,
    /// Published questionnaires.
    pub catalog: &'a Catalog,
    /// The group committer every batch is stored through.
    pub committer: &'a GroupCommit,
    /// Where items are counted by outcome.
    pub metrics: &'a Metrics,
}

/// Who sends the batch: the client address (for the anonymous rate limit) and the staff member,
/// if a valid token came with it.
pub struct Sender<'a> {
    /// Client address.
    pub ip: IpAddr,
    /// Authenticated staff member.
    pub caller: Option<&'a Caller>,
    /// Enrolled kiosk whose token came with the batch.
    pub device: Option<&'a DeviceRow>,
    /// The batch label staff gave their keyed-in questionnaires ([`entry_batch_label`]).
    pub entry_batch: Option<String>,
}

/// Longest batch label, in characters.
const MAX_ENTRY_BATCH: usize = 100;

/// A batch label as staff typed it: trimmed, empty as none, at most 100 characters.
///
/// # Errors
/// `invalid_entry_batch` for a longer label or one with control characters.
pub fn entry_batch_label(label: Option<&str>) -> ServiceResult<Option<String>> {
    let Some(label) = label.map(str::trim).filter(|l| !l.is_empty()) else {
        return Ok(None);
    };
    if label.chars().count() > MAX_ENTRY_BATCH || label.chars().any(char::is_control) {
        return Err(ServiceError::invalid_field(
            "invalid_entry_batch",
            "entry_batch",
            format!("entry_batch is a label of at most {MAX_ENTRY_BATCH} printable characters"),
        ));
    }
    Ok(Some(label.to_owned()))
}

/// What the handler answers: the per-item results, and `Retry-After` seconds if some items hit
/// the rate limit.
pub struct BatchOutcome {
    /// The reply body.
    pub reply: BatchReply,
    /// Seconds to wait before retrying rate-limited items.
    pub retry_after: Option<u64>,
}

/// An item's rejection: a stable code, a message, optional details.
struct Reject {
    code: &'static str,
    message: String,
    details: Option<Value>,
}

impl Reject {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            details: None,
        }
    }
}

/// Earliest accepted `submitted_at`: nothing in this system predates it.
fn earliest_submission() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// How far a device clock may run ahead of ours.
const CLOCK_SKEW: Duration = Duration::hours(24);

/// Stores a batch of raw items (as the client sent them) and reports on every item.
///
/// # Errors
/// `batch_size` for 0 or over 500 items, rate limited when every item is over the limit,
/// internal on a database failure (nothing stored then).
#[tracing::instrument(skip_all, fields(items = items.len()))]
pub async fn ingest_batch(
    deps: IngestDeps<'_>,
    items: &[&RawValue],
    sender: &Sender<'_>,
    limiter: &RateLimiter,
) -> ServiceResult<BatchOutcome> {
    let n = items.len();
    if n == 0 || n > MAX_BATCH {
        return Err(ServiceError::Invalid {
            code: "batch_size",
            field: Some("responses"),
            message: format!("a batch holds 1 to {MAX_BATCH} responses, this one has {n}"),
            details: Some(json!({"max": MAX_BATCH, "got": n})),
        });
    }
    let parsed: Vec<ParsedItem<'_>> = items.iter().map(|raw| parse_item(raw)).collect();
    ingest_items(deps, parsed, sender, Some(limiter)).await
}

/// One item of a batch: its id as sent, its raw JSON, and the parse result.
pub struct ParsedItem<'a> {
    id: Value,
    raw: &'a str,
    item: Result<NewResponse, Reject>,
}

impl<'a> ParsedItem<'a> {
    /// An item built in the server itself (demo data, benchmarks): already parsed.
    pub fn trusted(raw: &'a str, item: NewResponse) -> Self {
        Self {
            id: Value::String(item.id.to_string()),
            raw,
            item: Ok(item),
        }
    }
}

/// Checks and stores parsed items. `limiter` is `None` only for data the server generates itself.
///
/// # Errors
/// Rate limited when every item is over the limit, internal on a database failure (nothing
/// stored then).
pub async fn ingest_items(
    deps: IngestDeps<'_>,
    parsed: Vec<ParsedItem<'_>>,
    sender: &Sender<'_>,
    limiter: Option<&RateLimiter>,
) -> ServiceResult<BatchOutcome> {
    let n = parsed.len();
    let mut codes: Vec<&str> = parsed
        .iter()
        .filter_map(|p| p.item.as_ref().ok().map(|r| r.point.as_str()))
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let points: HashMap<String, PointRow> = deps
        .db
        .points_by_codes(&codes)
        .await?
        .into_iter()
        .map(|p| (p.code.clone(), p))
        .collect();
    drop(codes);
    // Devices named by kiosk items that the sender's own token does not cover (a staff member
    // uploading a tablet's exported queue).
    let mut named_devices: HashMap<String, DeviceRow> = HashMap::new();
    for item in parsed.iter().filter_map(|p| p.item.as_ref().ok()) {
        if let (Channel::Kiosk, Some(d)) = (item.channel, &item.device) {
            let own = sender.device.is_some_and(|own| &own.id == d);
            if !own && !named_devices.contains_key(d) {
                if let Some(row) = deps.db.device_by_id(d).await? {
                    named_devices.insert(d.clone(), row);
                }
            }
        }
    }

    let now = Utc::now();
    let mut retry_after: Option<u64> = None;
    let mut over_limit = 0usize;
    let mut results: Vec<Option<ItemResult>> = Vec::with_capacity(n);
    let mut prepared: Vec<PreparedResponse> = Vec::with_capacity(n);
    let mut prepared_index: Vec<usize> = Vec::with_capacity(n);
    for ParsedItem { id, raw, item } in parsed {
        let checked = match item {
            Err(reject) => Err(reject),
            Ok(item) => {
                // Anonymous items count against the limit on arrival, whatever their fate.
                let limited = limiter
                    .filter(|_| item.channel.is_anonymous())
                    .and_then(|l| l.hit(sender.ip, &item.point, now));
                match limited {
                    Some(wait) => {
                        over_limit += 1;
                        retry_after = Some(retry_after.map_or(wait, |w| w.max(wait)));
                        Err(Reject::new(
                            "rate_limited",
                            format!("too many responses for this point, retry in {wait} s"),
                        ))
                    }
                    None => prepare(deps, &points, &named_devices, &item, raw, sender, now).await,
                }
            }
        };
        match checked {
            Ok(p) => {
                prepared.push(p);
                prepared_index.push(results.len());
                results.push(None);
            }
            Err(r) => results.push(Some(ItemResult {
                id,
                status: ItemStatus::Rejected,
                error: Some(ErrorDetail {
                    code: r.code.to_owned(),
                    message: r.message,
                    details: r.details,
                }),
            })),
        }
    }
    if over_limit == n {
        deps.metrics.count_items(IngestOutcome::RateLimited, n);
        let retry_after = retry_after.unwrap_or(60);
        return Err(ServiceError::RateLimited {
            code: "rate_limited",
            message: format!(
                "too many responses from this client for this point, retry in {retry_after} s"
            ),
            retry_after,
        });
    }

    if !prepared.is_empty() {
        let ids: Vec<uuid::Uuid> = prepared.iter().map(|p| p.id).collect();
        let outcomes = deps.committer.ingest(prepared).await?;
        for ((id, &i), outcome) in ids.iter().zip(&prepared_index).zip(outcomes) {
            let (status, error) = match outcome {
                Outcome::Created => (ItemStatus::Created, None),
                Outcome::Duplicate => (ItemStatus::Duplicate, None),
                Outcome::Conflict => (
                    ItemStatus::Conflict,
                    Some(ErrorDetail {
                        code: "id_reused".to_owned(),
                        message: "this id was already stored with a different payload; the stored one is kept".to_owned(),
                        details: None,
                    }),
                ),
            };
            results[i] = Some(ItemResult {
                id: Value::String(id.to_string()),
                status,
                error,
            });
        }
    }
    if let Some(device) = sender.device {
        deps.db.touch_device(&device.id, now).await?;
    }
    let results: Vec<ItemResult> = results.into_iter().flatten().collect();
    let count = |s: ItemStatus| results.iter().filter(|r| r.status == s).count();
    let (created, duplicate, conflict, rejected) = (
        count(ItemStatus::Created),
        count(ItemStatus::Duplicate),
        count(ItemStatus::Conflict),
        count(ItemStatus::Rejected),
    );
    // Counts only: never answers, comments or client addresses.
    tracing::info!(
        items = n,
        created,
        duplicate,
        conflict,
        rejected,
        "batch stored"
    );
    // Rate-limited items are rejected items to the client, but a separate outcome here: the
    // client retries them, so they say "busy", not "broken".
    for (outcome, k) in [
        (IngestOutcome::Created, created),
        (IngestOutcome::Duplicate, duplicate),
        (IngestOutcome::Conflict, conflict),
        (IngestOutcome::Rejected, rejected.saturating_sub(over_limit)),
        (IngestOutcome::RateLimited, over_limit),
    ] {
        deps.metrics.count_items(outcome, k);
    }
    Ok(BatchOutcome {
        reply: BatchReply { results },
        retry_after,
    })
}

/// Who keyed in a staff-channel item: the staff member whose token came with it. The server's
/// own hand ([`Caller::system`], user 0: the demo loader) is no person and records nothing.
fn entry_of(channel: Channel, sender: &Sender<'_>) -> Option<Entry> {
    let caller = sender.caller.filter(|c| c.user_id > 0)?;
    channel.needs_staff().then(|| Entry {
        entered_by: caller.user_id,
        batch: sender.entry_batch.clone(),
    })
}

/// Parses one item; the id is echoed as sent even when the rest does not parse.
fn parse_item(raw: &RawValue) -> ParsedItem<'_> {
    #[derive(Deserialize)]
    struct IdOnly {
        #[serde(default)]
        id: Value,
    }
    let item = serde_json::from_str::<NewResponse>(raw.get()).map_err(|e| {
        Reject::new(
            "invalid_item",
            format!("the response does not match the schema: {e}"),
        )
    });
    let id = match &item {
        Ok(r) => Value::String(r.id.to_string()),
        // Only a bad item pays for a second parse to dig out its id.
        Err(_) => serde_json::from_str::<IdOnly>(raw.get())
            .map(|x| x.id)
            .unwrap_or(Value::Null),
    };
    ParsedItem {
        id,
        raw: raw.get(),
        item,
    }
}

/// Checks one parsed item against its point, questionnaire and channel rules.
async fn prepare(
    deps: IngestDeps<'_>,
    points: &HashMap<String, PointRow>,
    devices: &HashMap<String, DeviceRow>,
    item: &NewResponse,
    raw: &str,
    sender: &Sender<'_>,
    now: DateTime<Utc>,
) -> Result<PreparedResponse, Reject> {
    let point = points
        .get(&item.point)
        .ok_or_else(|| Reject::new("unknown_point", format!("no survey point {}", item.point)))?;
    if item.questionnaire != point.questionnaire {
        return Err(Reject::new(
            "wrong_questionnaire",
            format!(
                "point {} runs questionnaire {}, not {}",
                point.code, point.questionnaire, item.questionnaire
            ),
        ));
    }
    let questionnaire = match deps.catalog.cached(&item.questionnaire, item.version) {
        Some(q) => q,
        None => deps
            .catalog
            .get(deps.db, &item.questionnaire, Some(item.version))
            .await
            .map_err(|_| Reject::new("unavailable", "questionnaire lookup failed, retry later"))?
            .ok_or_else(|| {
                Reject::new(
                    "unknown_version",
                    format!(
                        "{} has no published version {}",
                        item.questionnaire, item.version
                    ),
                )
            })?,
    };
    channel::check(item, point, sender, devices)?;
    let submitted_at = item.submitted_at.with_timezone(&Utc);
    if submitted_at < earliest_submission() || submitted_at > now + CLOCK_SKEW {
        return Err(Reject::new(
            "invalid_submitted_at",
            "submitted_at is before 2000 or more than a day ahead of the server's clock",
        ));
    }
    let answers = validate_answers(&questionnaire, &item.answers).map_err(|e| Reject {
        code: e.code.as_str(),
        message: e.message(),
        details: Some(json!({"q": e.q})),
    })?;
    let local_date = point.tz.local_date(submitted_at);
    let hash = payload_hash(item, &answers);
    let counts = rollup::contributions(&questionnaire, &answers);
    Ok(PreparedResponse {
        id: item.id,
        point_id: point.id,
        orgs: point.org_path.ids().collect(),
        questionnaire: item.questionnaire.clone(),
        version: item.version,
        channel: item.channel.as_str(),
        device: item.device.clone(),
        seq: item.seq.and_then(|s| i64::try_from(s).ok()),
        submitted_at,
        local_date,
        raw: raw.to_owned(),
        payload_hash: hash,
        counts,
        entry: entry_of(item.channel, sender),
    })
}
