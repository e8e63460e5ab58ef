//! The cache of survey points: a point opened once keeps opening without a network, and so do
//! the other points of its institution (`siblings`), cached alongside it — a QR poster in the
//! next room works offline too.
//!
//! Each record holds the point's whole reply, questionnaire included, at the version the point
//! had then. Questionnaire versions are immutable and every published one stays answerable, so
//! a cached copy is always a valid questionnaire, and a response queued from it (which carries
//! its version) stays acceptable after the point moved on to a newer one.

use indexed_db_futures::prelude::*;
use otklik_shared::api::{PointInfo, Sibling};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use super::db::{self, StorageError, POINTS};

/// A point as last fetched.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct CachedPoint {
    /// The code as the respondent opened it (the store key).
    code: String,
    /// The reply of `GET /api/v1/points/{code}`, questionnaire included.
    info: PointInfo,
    /// When it was fetched (ms since the epoch).
    fetched_at: f64,
}

/// The cached point opened as `code`, if any.
///
/// # Errors
/// [`StorageError`] when the store cannot be read.
pub async fn get(code: &str) -> Result<Option<PointInfo>, StorageError> {
    let database = db::open().await?;
    let result = async {
        let tx = database.transaction(POINTS).build()?;
        let record: Option<JsValue> = tx.object_store(POINTS)?.get(code).primitive()?.await?;
        record
            .map(|r| db::from_js::<CachedPoint>(&r).map(|c| c.info))
            .transpose()
    }
    .await;
    database.close();
    result
}

/// Caches `info` under the code the respondent opened.
///
/// # Errors
/// [`StorageError`] when the write fails.
pub async fn put(code: &str, info: &PointInfo) -> Result<(), StorageError> {
    let record = db::to_js(&CachedPoint {
        code: code.to_owned(),
        info: info.clone(),
        fetched_at: crate::browser::now_ms(),
    })?;
    let database = db::open().await?;
    let result = async {
        let tx = database
            .transaction(POINTS)
            .with_mode(indexed_db_futures::transaction::TransactionMode::Readwrite)
            .build()?;
        tx.object_store(POINTS)?.put(record).primitive()?.await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    database.close();
    result
}

/// The codes of `siblings` not cached at the questionnaire version listed for them: missing,
/// or cached before the point moved to another questionnaire or version. The rest are
/// up to date (versions are immutable) and need no download.
///
/// # Errors
/// [`StorageError`] when the store cannot be read.
pub async fn stale(siblings: &[Sibling]) -> Result<Vec<String>, StorageError> {
    let database = db::open().await?;
    let result = async {
        let tx = database.transaction(POINTS).build()?;
        let store = tx.object_store(POINTS)?;
        let mut stale = Vec::new();
        for sibling in siblings {
            let record: Option<JsValue> = store.get(sibling.code.as_str()).primitive()?.await?;
            let current = record
                .and_then(|r| db::from_js::<CachedPoint>(&r).ok())
                .is_some_and(|c| {
                    c.info.questionnaire.id == sibling.questionnaire
                        && c.info.questionnaire.version == sibling.version
                });
            if !current {
                stale.push(sibling.code.clone());
            }
        }
        Ok(stale)
    }
    .await;
    database.close();
    result
}
