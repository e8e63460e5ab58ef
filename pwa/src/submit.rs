//! Saving a finished response before the respondent is thanked: into the outbox (numbered with
//! the device's next `seq`, on a kiosk), with an upload requested; or, only when the browser's
//! storage is unavailable, straight to the server, where nothing but a receipt counts.
//!
//! The choice is the outbox's rules (`storage`, `sync`), not the questionnaire's, so the survey
//! asks this module and shows what it answers.

use leptos::logging::warn;
use leptos::task::spawn_local;
use otklik_shared::answer::{Channel, NewResponse};

use crate::browser;
use crate::storage::outbox;
use crate::sync::{self, SyncHandle};

/// Where a saved response is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// In the outbox, with an upload run requested; the runs after generation `since`
    /// ([`SyncHandle::generation_untracked`]) tell what became of it.
    Queued {
        /// The sync generation before the request.
        since: u64,
    },
    /// Storage was unavailable, and the server receipted it directly.
    Sent,
}

/// Saves `response` in the background, then calls `done` with where it is: `None` when it
/// could be neither queued nor sent (the respondent must not be thanked then).
pub fn save(response: NewResponse, sync: SyncHandle, done: impl FnOnce(Option<Saved>) + 'static) {
    spawn_local(async move { done(store(&response, sync).await) });
}

/// Queues `response` (and requests an upload), or sends it when it cannot be queued.
async fn store(response: &NewResponse, sync: SyncHandle) -> Option<Saved> {
    // A kiosk's response is numbered in the transaction that queues it.
    #[cfg(feature = "kiosk")]
    let queued = if is_kiosk(response) {
        crate::storage::device::push_numbered(response.clone())
            .await
            .map(drop)
    } else {
        outbox::push(response, None).await
    };
    #[cfg(not(feature = "kiosk"))]
    let queued = outbox::push(response, None).await;
    match queued {
        Ok(()) => {
            let since = sync.generation_untracked();
            browser::request_persistent_storage();
            sync.request();
            Some(Saved::Queued { since })
        }
        Err(e) => {
            warn!("cannot queue the response: {e}");
            // A kiosk answer cannot leave without its number; a citizen's may go now.
            let sent = !is_kiosk(response) && sync::deliver_now(response).await;
            sent.then_some(Saved::Sent)
        }
    }
}

/// Queues a questionnaire an operator keyed in (paper, phone, interview) under the batch label
/// `entry_batch`, and requests an upload (dashboard bundle only).
///
/// There is no direct-send fallback, unlike [`save`]: such a response needs the operator's
/// token, which only the sync engine holds, and the operator is at the screen to be told it
/// was not saved and to press again, where a citizen has gone.
///
/// # Errors
/// [`crate::storage::StorageError`] when it could not be queued (then nothing was stored).
#[cfg(feature = "officials")]
pub async fn queue_keyed(
    response: &NewResponse,
    entry_batch: Option<&str>,
    sync: SyncHandle,
) -> Result<(), crate::storage::StorageError> {
    outbox::push(response, entry_batch).await?;
    browser::request_persistent_storage();
    sync.request();
    Ok(())
}

/// Whether `response` is a kiosk's, which gets its number as it is queued and is never sent
/// unnumbered. Always false in the citizen bundle, which cannot make one.
fn is_kiosk(response: &NewResponse) -> bool {
    cfg!(feature = "kiosk") && response.channel == Channel::Kiosk
}
