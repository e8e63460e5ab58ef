//! The IndexedDB database: name, version, object stores, upgrades, and JSON ↔ JS conversion.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{
    Transaction, TransactionDurability, TransactionMode, TransactionOptions,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// Database name (one per origin).
const DB_NAME: &str = "otklik";
/// Schema version; bump it and add a step to [`upgrade`] to change the stores.
const DB_VERSION: u32 = 2;

/// Responses waiting for a receipt, keyed by response id (a UUIDv7, so key order is time order).
pub(super) const OUTBOX: &str = "outbox";
/// Responses the server answered `conflict` or `rejected` for: kept for the operator, never
/// retried and never silently dropped.
pub(super) const DEAD_LETTER: &str = "dead_letter";
/// Survey points as last fetched, keyed by the code the respondent opened.
pub(super) const POINTS: &str = "points";
/// The kiosk enrolment of this browser (at most one record, keyed by device id), with the
/// device's next sequence number (schema 2).
pub(super) const KIOSK: &str = "kiosk";

/// Why browser storage failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StorageError {
    /// IndexedDB is missing or refused to open (some private modes, blocked storage).
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// A read or write failed (quota, a browser bug, an aborted transaction).
    #[error("storage failed: {0}")]
    Failed(String),
    /// A stored record does not parse (written by an incompatible version).
    #[error("stored record unreadable: {0}")]
    Corrupt(String),
}

impl From<indexed_db_futures::error::Error> for StorageError {
    fn from(e: indexed_db_futures::error::Error) -> Self {
        Self::Failed(e.to_string())
    }
}

/// Opens the database, creating or upgrading the stores. Callers close it when done so a
/// newer version of the app in another tab can upgrade the schema without being blocked.
pub(super) async fn open() -> Result<Database, StorageError> {
    Database::open(DB_NAME)
        .with_version(DB_VERSION)
        .with_on_upgrade_needed(|event, db| upgrade(event.old_version() as u32, &db))
        .await
        .map_err(|e| StorageError::Unavailable(e.to_string()))
}

/// Applies every schema step above `old` (0 for a new database), in order.
fn upgrade(old: u32, db: &Database) -> indexed_db_futures::Result<()> {
    if old < 1 {
        for store in [OUTBOX, DEAD_LETTER] {
            db.create_object_store(store)
                .with_key_path("id".into())
                .build()?;
        }
        db.create_object_store(POINTS)
            .with_key_path("code".into())
            .build()?;
    }
    if old < 2 {
        db.create_object_store(KIOSK)
            .with_key_path("device".into())
            .build()?;
    }
    Ok(())
}

/// A read-write transaction that reports success only once the data is on disk: responses
/// are the one thing we must never lose, so the default (relaxed in Chromium) is not enough.
pub(super) fn durable_tx<'a>(
    db: &'a Database,
    stores: &[&str],
) -> Result<Transaction<'a>, StorageError> {
    Ok(db
        .transaction(stores.to_vec())
        .with_mode(TransactionMode::Readwrite)
        .with_options(TransactionOptions::new().with_durability(TransactionDurability::Strict))
        .build()?)
}

/// A record as a plain JS object, via its JSON form.
pub(super) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, StorageError> {
    let json = serde_json::to_string(value).map_err(|e| StorageError::Failed(e.to_string()))?;
    js_sys::JSON::parse(&json).map_err(|e| StorageError::Failed(format!("{e:?}")))
}

/// A record back from its stored JS object.
pub(super) fn from_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, StorageError> {
    let json: String = js_sys::JSON::stringify(value)
        .map_err(|e| StorageError::Corrupt(format!("{e:?}")))?
        .into();
    serde_json::from_str(&json).map_err(|e| StorageError::Corrupt(e.to_string()))
}
