//! The outbox: every response is written here (and committed to disk) before the respondent is
//! thanked, and leaves only with a receipt from the server or into the dead-letter store.

use indexed_db_futures::prelude::*;
use otklik_shared::answer::{Channel, NewResponse};
use otklik_shared::api::{ErrorDetail, ItemStatus};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wasm_bindgen::JsValue;

use super::db::{self, StorageError, DEAD_LETTER, OUTBOX};

/// A queued response as the uploader reads it back: the JSON written when the respondent
/// finished, uploaded as it is. Only what decides how it is sent is read out of it; the answers
/// and the time are never decoded again. They were checked when the response was made, and
/// decoding them here would put the answers' decoders and a date parser into every bundle for
/// nothing (24 KB of the citizen's wasm). The server's idempotency key is order-insensitive
/// (`contract.md` §5), so the keys' order in the stored object does not matter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StoredResponse(serde_json::Value);

impl StoredResponse {
    /// How it was collected; `None` for a record this version cannot read, which then waits
    /// for a token rather than going anonymously.
    pub fn channel(&self) -> Option<Channel> {
        Channel::deserialize(self.0.get("channel")?).ok()
    }

    /// The kiosk that numbered it (kiosk channel only).
    pub fn device(&self) -> Option<&str> {
        self.0.get("device")?.as_str()
    }

    /// Its number on that kiosk.
    #[cfg(feature = "kiosk")]
    pub fn seq(&self) -> Option<u64> {
        self.0.get("seq")?.as_u64()
    }
}

#[cfg(test)]
impl From<&NewResponse> for StoredResponse {
    fn from(response: &NewResponse) -> Self {
        Self(serde_json::to_value(response).expect("a response is JSON"))
    }
}

/// A response waiting for its receipt: written with the typed response (`R` =
/// `&NewResponse`), read back as [`StoredResponse`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Queued<R = StoredResponse> {
    /// The response id: the store key (its text form).
    pub id: Uuid,
    /// The response exactly as it will be uploaded.
    pub response: R,
    /// When it was queued (ms since the epoch).
    pub queued_at: f64,
    /// The label an operator gave the batch of paper or phone questionnaires it was keyed in
    /// with; sent beside it as the request's `entry_batch`, so it belongs to the queued item
    /// (an upload that carries several batches sends one request per label). Absent for
    /// everything else, so the stored and exported shape of other items is unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_batch: Option<String>,
}

/// A response the server answered `conflict` or `rejected` for (not `rate_limited`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refused {
    /// The response id: the store key (its text form).
    pub id: Uuid,
    /// The response as it was sent.
    pub response: StoredResponse,
    /// `conflict` or `rejected`.
    pub status: ItemStatus,
    /// The server's reason.
    pub error: Option<ErrorDetail>,
    /// When the server refused it (ms since the epoch).
    pub refused_at: f64,
}

/// Queues `response` (keyed in under the batch label `entry_batch`, if any); returns once the
/// write is on disk.
///
/// # Errors
/// [`StorageError`] when IndexedDB is unavailable or the write fails (then nothing is queued).
pub async fn push(response: &NewResponse, entry_batch: Option<&str>) -> Result<(), StorageError> {
    let record = record(response, entry_batch)?;
    let database = db::open().await?;
    let result = async {
        let tx = db::durable_tx(&database, &[OUTBOX])?;
        // `add`, not `put`: an id is minted once and never overwrites a queued response.
        tx.object_store(OUTBOX)?.add(record).primitive()?.await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    database.close();
    result
}

/// `response` as the outbox record to store, stamped with the time it was queued.
///
/// # Errors
/// [`StorageError::Failed`] when it cannot be converted.
pub(super) fn record(
    response: &NewResponse,
    entry_batch: Option<&str>,
) -> Result<JsValue, StorageError> {
    db::to_js(&Queued {
        id: response.id,
        response,
        queued_at: crate::browser::now_ms(),
        entry_batch: entry_batch.map(str::to_owned),
    })
}

/// Every queued response, oldest first (UUIDv7 keys sort by time).
///
/// # Errors
/// [`StorageError`] when the store cannot be read. An unreadable record is skipped (and left in
/// place for a later version to deal with) rather than blocking the whole queue.
pub async fn pending() -> Result<Vec<Queued>, StorageError> {
    read_all(OUTBOX).await
}

/// Every response the server refused, oldest first, for the kiosk operator to see.
#[cfg(feature = "kiosk")]
///
/// # Errors
/// As [`pending`].
pub async fn refused() -> Result<Vec<Refused>, StorageError> {
    read_all(DEAD_LETTER).await
}

async fn read_all<T: serde::de::DeserializeOwned>(store: &str) -> Result<Vec<T>, StorageError> {
    let database = db::open().await?;
    let result = async {
        let tx = database.transaction(store).build()?;
        let records = tx
            .object_store(store)?
            .get_all::<JsValue>()
            .primitive()?
            .await?;
        let mut items = Vec::new();
        for record in records {
            match db::from_js::<T>(&record?) {
                Ok(item) => items.push(item),
                Err(e) => leptos::logging::warn!("skipping an unreadable {store} record: {e}"),
            }
        }
        Ok(items)
    }
    .await;
    database.close();
    result
}

/// Removes `delivered` ids from the outbox and moves `refused` items to the dead-letter store,
/// in one transaction: a response is never in neither store.
///
/// # Errors
/// [`StorageError`] when the transaction fails; then nothing changed.
pub async fn settle(delivered: &[Uuid], refused: &[Refused]) -> Result<(), StorageError> {
    if delivered.is_empty() && refused.is_empty() {
        return Ok(());
    }
    let records = refused
        .iter()
        .map(db::to_js)
        .collect::<Result<Vec<_>, _>>()?;
    let database = db::open().await?;
    let result = async {
        let tx = db::durable_tx(&database, &[OUTBOX, DEAD_LETTER])?;
        let outbox = tx.object_store(OUTBOX)?;
        let dead = tx.object_store(DEAD_LETTER)?;
        for id in delivered {
            outbox.delete(id.to_string()).primitive()?.await?;
        }
        for (item, record) in refused.iter().zip(records) {
            dead.put(record).primitive()?.await?;
            outbox.delete(item.id.to_string()).primitive()?.await?;
        }
        tx.commit().await?;
        Ok(())
    }
    .await;
    database.close();
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::credentials::tests::kiosk_response;

    #[test]
    fn a_queued_response_goes_up_as_it_was_written() {
        let response = kiosk_response("dev-1");
        let written = serde_json::to_string(&Queued {
            id: response.id,
            response: &response,
            queued_at: 1.0,
            entry_batch: Some("Пачка 1".into()),
        })
        .unwrap();
        let read: Queued = serde_json::from_str(&written).unwrap();
        assert_eq!(read.id, response.id);
        assert_eq!(read.entry_batch.as_deref(), Some("Пачка 1"));
        assert_eq!(read.response.channel(), Some(Channel::Kiosk));
        assert_eq!(read.response.device(), Some("dev-1"));
        assert_eq!(read.response.seq(), Some(1));
        // What the uploader sends decodes to the very response that was queued.
        let sent = serde_json::to_string(&read.response).unwrap();
        assert_eq!(
            serde_json::from_str::<NewResponse>(&sent).unwrap(),
            response
        );
    }
}
