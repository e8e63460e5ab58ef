//! The kiosk's writes to its enrolment and the outbox (kiosk bundle only).
//!
//! The server finds lost answers by gaps in `seq` (1, 2, 3… per device), so a number must be
//! neither reused nor skipped: it is taken from the counter in the same durable transaction
//! that stores the response in the outbox. Either both happen or neither does.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use otklik_shared::answer::NewResponse;
use wasm_bindgen::JsValue;

use super::{read, Enrolment};
use crate::storage::db::{self, StorageError, KIOSK, OUTBOX};
use crate::storage::outbox::{self, Queued};

/// Runs `body` in one durable read-write transaction over `stores` and commits it.
async fn write<T>(
    stores: &[&str],
    body: impl AsyncFnOnce(&indexed_db_futures::transaction::Transaction<'_>) -> Result<T, StorageError>,
) -> Result<T, StorageError> {
    let database: Database = db::open().await?;
    let result = async {
        let tx = db::durable_tx(&database, stores)?;
        let value = body(&tx).await?;
        tx.commit().await?;
        Ok(value)
    }
    .await;
    database.close();
    result
}

/// Stores a fresh enrolment (replacing any earlier one, whose queue must be empty by then).
///
/// # Errors
/// [`StorageError`] when the write fails.
pub async fn enrol(enrolment: &Enrolment) -> Result<(), StorageError> {
    let record = db::to_js(enrolment)?;
    write(&[KIOSK], async |tx| {
        let store = tx.object_store(KIOSK)?;
        store.clear()?.await?;
        store.put(record).primitive()?.await?;
        Ok(())
    })
    .await
}

/// Changes the enrolment with `change`, read and written in one transaction so a concurrent
/// response cannot have its `seq` handed out twice.
///
/// # Errors
/// [`StorageError`] when there is no enrolment or the write fails.
pub async fn update(change: impl FnOnce(&mut Enrolment)) -> Result<Enrolment, StorageError> {
    write(&[KIOSK], async |tx| {
        let mut enrolment = read(tx)
            .await?
            .ok_or_else(|| StorageError::Failed("not enrolled".into()))?;
        change(&mut enrolment);
        tx.object_store(KIOSK)?
            .put(db::to_js(&enrolment)?)
            .primitive()?
            .await?;
        Ok(enrolment)
    })
    .await
}

/// Numbers `response` with this device's id and next `seq` and queues it, in one transaction.
/// Returns the response as queued.
///
/// # Errors
/// [`StorageError`] when not enrolled or the write fails; then no number was used.
pub async fn push_numbered(mut response: NewResponse) -> Result<NewResponse, StorageError> {
    write(&[KIOSK, OUTBOX], async |tx| {
        let mut enrolment = read(tx)
            .await?
            .ok_or_else(|| StorageError::Failed("not enrolled".into()))?;
        response.device = Some(enrolment.device.clone());
        response.seq = Some(enrolment.next_seq);
        enrolment.next_seq += 1;
        tx.object_store(KIOSK)?
            .put(db::to_js(&enrolment)?)
            .primitive()?
            .await?;
        tx.object_store(OUTBOX)?
            .add(outbox::record(&response, None)?)
            .primitive()?
            .await?;
        Ok(())
    })
    .await?;
    Ok(response)
}

/// Adds an exported queue (from this or another kiosk) to the outbox; items keep their device
/// and `seq`. Items already queued here are left as they are. Returns how many were added.
///
/// # Errors
/// [`StorageError`] when the write fails; then nothing was added.
pub async fn import(items: &[Queued]) -> Result<usize, StorageError> {
    let records = items.iter().map(db::to_js).collect::<Result<Vec<_>, _>>()?;
    write(&[OUTBOX], async |tx| {
        let store = tx.object_store(OUTBOX)?;
        let mut added = 0;
        for (item, record) in items.iter().zip(records) {
            let present: Option<JsValue> = store.get(item.id.to_string()).primitive()?.await?;
            if present.is_none() {
                store.add(record).primitive()?.await?;
                added += 1;
            }
        }
        Ok(added)
    })
    .await
}

/// Ends kiosk mode: forgets the enrolment and drops this device's queued answers (the operator
/// exported them first), in one transaction.
///
/// # Errors
/// [`StorageError`] when the write fails; then nothing changed.
pub async fn forget(device: &str) -> Result<(), StorageError> {
    let queued = outbox::pending().await?;
    write(&[KIOSK, OUTBOX], async |tx| {
        tx.object_store(KIOSK)?.clear()?.await?;
        let store = tx.object_store(OUTBOX)?;
        for item in queued
            .iter()
            .filter(|q| q.response.device() == Some(device))
        {
            store.delete(item.id.to_string()).primitive()?.await?;
        }
        Ok(())
    })
    .await
}
