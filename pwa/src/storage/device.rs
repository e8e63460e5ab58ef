//! The kiosk's enrolment and its per-device sequence numbers.
//!
//! Reading the enrolment is here, in every bundle: the uploader (`sync`) needs the device
//! token. Everything that writes it — enrolment, the numbered push, import, leaving kiosk mode
//! — is in `write`, compiled only with the `kiosk` feature.

#[cfg(feature = "kiosk")]
mod write;

use indexed_db_futures::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use super::db::{self, StorageError, KIOSK};
#[cfg(feature = "kiosk")]
pub use write::{enrol, forget, import, push_numbered, update};

/// This browser's enrolment as a kiosk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Enrolment {
    /// The device id (the store key).
    pub device: String,
    /// The device token for `channel: "kiosk"` uploads.
    pub token: String,
    /// The org the device belongs to.
    pub org: String,
    /// The point whose questionnaire the kiosk shows; `None` until the operator picks one.
    pub point: Option<String>,
    /// `hex(sha256(device ":" PIN))`, to check the operator PIN offline.
    pub pin_hash: String,
    /// The `seq` the next response gets.
    pub next_seq: u64,
    /// An operator's or official's token entered in the operator panel, for uploading another
    /// device's imported queue.
    #[serde(default)]
    pub staff_token: Option<String>,
    /// When an upload last got receipts (ms since the epoch), for the operator.
    #[serde(default)]
    pub last_sync_ms: Option<f64>,
}

/// The enrolment, if this browser is a kiosk.
///
/// # Errors
/// [`StorageError`] when the store cannot be read.
pub async fn get() -> Result<Option<Enrolment>, StorageError> {
    let database = db::open().await?;
    let result = async {
        let tx = database.transaction(KIOSK).build()?;
        read(&tx).await
    }
    .await;
    database.close();
    result
}

async fn read(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
) -> Result<Option<Enrolment>, StorageError> {
    let records = tx
        .object_store(KIOSK)?
        .get_all::<JsValue>()
        .primitive()?
        .await?;
    match records.into_iter().next() {
        Some(record) => db::from_js(&record?).map(Some),
        None => Ok(None),
    }
}
