//! Uploads the outbox: single-flight, in batches, with per-item receipts and backoff.
//!
//! Delivery is at-least-once from here and exactly-once at the server (the response id is the
//! idempotency key), so the only unforgivable mistake is dropping an item without a receipt;
//! [`policy`] decides that, this module drives it. Triggers, all funnelled into
//! [`SyncHandle::request`]: app start, every new response, the `online` event, the page becoming
//! visible again, and a backoff timer while anything is left. Background Sync is not used: it
//! exists only in Chromium, and these triggers cover it.

pub mod credentials;
pub mod policy;

use leptos::logging::warn;
use leptos::prelude::*;
use leptos::task::spawn_local;
use otklik_shared::answer::{Channel, NewResponse};
use uuid::Uuid;

use crate::storage::device;
use crate::storage::outbox::{self, Queued, Refused, StoredResponse};
use crate::{api, browser};
use credentials::{Credentials, Sender};
use policy::{Fate, Verdict};

/// Most items per request. The server takes 500; smaller batches keep a request on weak
/// mobile data short, and a timed-out batch costs less to resend.
const BATCH_ITEMS: usize = 100;

/// What one run (including re-runs requested while it ran) did, for pages waiting on an item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Increases with every finished run; 0 before the first.
    pub generation: u64,
    /// Items receipted during the run.
    pub delivered: Vec<Uuid>,
    /// Items moved to the dead-letter store during the run.
    pub refused: Vec<Uuid>,
    /// The error code of a whole request refused for its credentials (401/403), such as
    /// `device_revoked`: the items stay queued, and the kiosk operator is told.
    pub denied: Option<String>,
}

/// What became of one response in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The server receipted it.
    Delivered,
    /// The server refused it; it is in the dead-letter store.
    Refused,
}

impl Report {
    /// What became of `id` in this run; `None` while it is still waiting in the outbox.
    pub fn outcome(&self, id: Uuid) -> Option<Outcome> {
        if self.delivered.contains(&id) {
            Some(Outcome::Delivered)
        } else if self.refused.contains(&id) {
            Some(Outcome::Refused)
        } else {
            None
        }
    }
}

/// Engine bookkeeping; lives in the reactive arena, never crosses threads.
#[derive(Debug, Default)]
struct Engine {
    /// A run is in flight.
    running: bool,
    /// Something asked for a run while one was in flight: run once more at the end.
    again: bool,
    /// Failed runs in a row, for the backoff.
    failures: u32,
    /// The pending backoff timer.
    timer: Option<i32>,
}

/// Handle to the sync engine, provided as context.
#[derive(Debug, Clone, Copy)]
pub struct SyncHandle {
    engine: StoredValue<Engine, LocalStorage>,
    last: RwSignal<Report>,
    /// The signed-in dashboard user's token while their role may key in questionnaires; it
    /// uploads what they keyed in (dashboard bundle only, see [`SyncHandle::set_staff_token`]).
    #[cfg(feature = "officials")]
    staff: StoredValue<Option<String>, LocalStorage>,
}

/// How a pass over the outbox ended.
enum Pass {
    /// Everything readable was receipted or refused.
    Done,
    /// Something is left; try again after the backoff (and at least `Retry-After` seconds).
    Paused(Option<u32>),
}

impl SyncHandle {
    /// Starts a run now, or once more after the one in flight.
    pub fn request(self) {
        let start = self.engine.try_update_value(|e| {
            if e.running {
                e.again = true;
                return false;
            }
            e.running = true;
            if let Some(timer) = e.timer.take() {
                browser::clear_timeout(timer);
            }
            true
        });
        if start == Some(true) {
            spawn_local(self.run());
        }
    }

    /// Lends the engine the dashboard session's token for keyed-in questionnaires (`None` when
    /// nobody who may key in is signed in), and starts a run when there is one.
    ///
    /// The token stays in memory here and is never written to IndexedDB: the session already
    /// keeps it in `sessionStorage` for the tab's life, and a token on disk would outlive the
    /// sign-out and serve whoever uses the office PC next. So keyed-in answers queued in one
    /// session and not yet sent wait in the outbox (safe, on disk) until someone who may send
    /// them signs in again on this browser; the answers need the disk, the token does not.
    #[cfg(feature = "officials")]
    pub fn set_staff_token(self, token: Option<String>) {
        let signed_in = token.is_some();
        self.staff.set_value(token);
        if signed_in {
            self.request();
        }
    }

    /// The report of the last finished run (reactive).
    pub fn last_run(self) -> Report {
        self.last.get()
    }

    /// The generation of the last finished run, without subscribing.
    pub fn generation_untracked(self) -> u64 {
        self.last.with_untracked(|r| r.generation)
    }

    async fn run(self) {
        let mut report = Report::default();
        let outcome = loop {
            #[cfg(feature = "officials")]
            let session = self.staff.get_value();
            #[cfg(not(feature = "officials"))]
            let session = None;
            let outcome = pass(session, &mut report).await;
            let again = self
                .engine
                .try_update_value(|e| std::mem::take(&mut e.again))
                .unwrap_or(false);
            if !again {
                break outcome;
            }
        };
        self.engine.update_value(|e| {
            e.running = false;
            match outcome {
                Pass::Done => e.failures = 0,
                Pass::Paused(retry_after) => {
                    let delay = policy::retry_delay_ms(e.failures, retry_after, browser::random());
                    e.failures = e.failures.saturating_add(1);
                    e.timer = browser::set_timeout(delay, move || self.request());
                }
            }
        });
        self.last.update(|last| {
            report.generation = last.generation + 1;
            *last = report;
        });
    }
}

/// One pass over the outbox, oldest first within each credential (a kiosk's own answers go
/// with its device token, an imported queue and keyed-in answers with a staff token — the
/// dashboard session's `session_staff` first —, citizen answers without one) and batch label,
/// recording receipts and refusals in `report`.
async fn pass(session_staff: Option<String>, report: &mut Report) -> Pass {
    let items = match outbox::pending().await {
        Ok(items) => items,
        Err(e) => {
            warn!("cannot read the outbox: {e}");
            return Pass::Paused(None);
        }
    };
    let mut credentials = stored_credentials().await;
    if session_staff.is_some() {
        credentials.staff = session_staff;
    }
    // `entry_batch` is one per request, so each label is a request of its own.
    let mut groups = std::collections::BTreeMap::<(Sender<'_>, Option<String>), Vec<Queued>>::new();
    for item in items {
        groups
            .entry((credentials.sender(&item.response), item.entry_batch.clone()))
            .or_default()
            .push(item);
    }
    let mut result = Pass::Done;
    for ((sender, entry_batch), items) in groups {
        let token = match sender {
            Sender::Bearer(token) => Some(token),
            Sender::Anonymous => None,
            // Waits for a staff sign-in, which requests a run itself.
            Sender::Hold => continue,
        };
        if let Pass::Paused(retry_after) =
            upload(&items, token, entry_batch.as_deref(), report).await
        {
            result = match result {
                Pass::Paused(earlier) => Pass::Paused(earlier.max(retry_after)),
                Pass::Done => Pass::Paused(retry_after),
            };
        }
    }
    result
}

/// The tokens uploads may use; none when not enrolled or the store cannot be read (then kiosk
/// answers wait, which is safe).
async fn stored_credentials() -> Credentials {
    match device::get().await {
        Ok(Some(e)) => Credentials {
            device: Some((e.device, e.token)),
            staff: e.staff_token,
        },
        Ok(None) => Credentials::default(),
        Err(e) => {
            warn!("cannot read the kiosk enrolment: {e}");
            Credentials::default()
        }
    }
}

/// Uploads `items` with `token` and the batch label `entry_batch`, in batches, recording
/// receipts and refusals in `report`.
async fn upload(
    items: &[Queued],
    token: Option<&str>,
    entry_batch: Option<&str>,
    report: &mut Report,
) -> Pass {
    let mut size = BATCH_ITEMS;
    let mut rest = items;
    while !rest.is_empty() {
        let batch = &rest[..size.min(rest.len())];
        let responses: Vec<&StoredResponse> = batch.iter().map(|q| &q.response).collect();
        let ids: Vec<Uuid> = batch.iter().map(|q| q.id).collect();
        let reply = api::post_responses(&responses, token, entry_batch).await;
        match policy::judge(&ids, reply.as_ref()) {
            Verdict::Split if batch.len() > 1 => size = batch.len() / 2,
            // One item over the size limit cannot be split; keep it, never drop it.
            Verdict::Split => return Pass::Paused(None),
            Verdict::RetryAll { retry_after } => {
                if let Ok(reply) = &reply {
                    report.denied = report.denied.take().or_else(|| denial(reply));
                }
                return Pass::Paused(retry_after);
            }
            Verdict::Items {
                mut fates,
                retry_after,
            } => {
                let keyed: Vec<bool> = responses
                    .iter()
                    .map(|r| r.channel().is_some_and(Channel::needs_staff))
                    .collect();
                if policy::keep_refused_by_token(&mut fates, &keyed) {
                    report.denied = Some(policy::TOKEN_REFUSED.to_owned());
                }
                let retry = fates.contains(&Fate::Retry);
                if let Err(e) = settle(batch, fates, report).await {
                    // The receipts are lost locally; the retry gets `duplicate` and settles then.
                    warn!("cannot settle receipts: {e}");
                    return Pass::Paused(None);
                }
                if retry {
                    return Pass::Paused(retry_after);
                }
                rest = &rest[batch.len()..];
            }
        }
    }
    Pass::Done
}

/// The error code of a reply that refused the credentials rather than the items.
fn denial(reply: &api::RawReply) -> Option<String> {
    if !matches!(reply.status, 401 | 403) {
        return None;
    }
    let body: otklik_shared::api::ErrorBody = serde_json::from_str(reply.json.as_deref()?).ok()?;
    Some(body.error.code)
}

/// Applies the fates of one batch to the outbox and the dead-letter store.
async fn settle(
    batch: &[Queued],
    fates: Vec<Fate>,
    report: &mut Report,
) -> Result<(), crate::storage::StorageError> {
    let mut delivered = Vec::new();
    let mut refused = Vec::new();
    for (item, fate) in batch.iter().zip(fates) {
        match fate {
            Fate::Delivered => delivered.push(item),
            Fate::Refused { status, error } => refused.push(Refused {
                id: item.id,
                response: item.response.clone(),
                status,
                error,
                refused_at: browser::now_ms(),
            }),
            Fate::Retry => {}
        }
    }
    let delivered: Vec<Uuid> = delivered.iter().map(|q| q.id).collect();
    outbox::settle(&delivered, &refused).await?;
    report.delivered.extend(&delivered);
    report.refused.extend(refused.iter().map(|r| r.id));
    Ok(())
}

/// Uploads one response that could not be queued (storage unavailable), once, right now.
/// Returns whether the server receipted it: only then may the respondent be thanked.
pub async fn deliver_now(response: &NewResponse) -> bool {
    let reply = api::post_responses(std::slice::from_ref(response), None, None).await;
    matches!(
        policy::judge(&[response.id], reply.as_ref()),
        Verdict::Items { fates, .. } if fates == [Fate::Delivered]
    )
}

/// Provides [`SyncHandle`] and wires its triggers: a first run now (the app is mounted, so tasks can
/// be spawned), then on `online` and whenever the page becomes visible again.
pub fn provide_sync_context() {
    let sync = SyncHandle {
        engine: StoredValue::new_local(Engine::default()),
        last: RwSignal::new(Report::default()),
        #[cfg(feature = "officials")]
        staff: StoredValue::new_local(None),
    };
    provide_context(sync);
    browser::on_online(move || sync.request());
    browser::on_visible(move || sync.request());
    sync.request();
}

/// The [`SyncHandle`] provided by [`provide_sync_context`].
pub fn use_sync() -> SyncHandle {
    expect_context::<SyncHandle>()
}
