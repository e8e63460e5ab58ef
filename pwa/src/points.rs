//! Opening a survey point: the cached copy first, the network otherwise, and the cache kept
//! warm for the next visit — the point itself and the other points of its institution.
//!
//! Every published questionnaire version stays answerable, so a slightly older cached copy is
//! still a valid questionnaire: preferring it makes a point open at once on weak mobile data,
//! and offline. The citizen survey and the kiosk both open points through here; the IndexedDB
//! side is `storage::points`, the HTTP side `api`.

use leptos::logging::warn;
use leptos::task::spawn_local;
use otklik_shared::api::PointInfo;

use crate::api::{self, ApiError};
use crate::storage::points as stored;

/// Where loading a point got to.
#[derive(Debug, Clone, PartialEq)]
pub enum Load {
    Loading,
    Ready(Box<PointInfo>),
    NotFound,
    Offline,
    Failed,
}

/// Cached copy first (refreshed in the background), else the network.
pub async fn load(code: &str) -> Load {
    match stored::get(code).await {
        Ok(Some(info)) => {
            let code = code.to_owned();
            spawn_local(async move {
                if let Ok(fresh) = api::get_point(&code).await {
                    cache(&code, &fresh).await;
                }
            });
            return Load::Ready(Box::new(info));
        }
        Ok(None) => {}
        Err(e) => warn!("point cache unavailable: {e}"),
    }
    match api::get_point(code).await {
        Ok(info) => {
            cache(code, &info).await;
            Load::Ready(Box::new(info))
        }
        Err(ApiError::Http { status: 404, .. }) => Load::NotFound,
        Err(ApiError::Network(_)) => Load::Offline,
        Err(e) => {
            warn!("cannot load point {code}: {e}");
            Load::Failed
        }
    }
}

/// Caches `info`, then, in the background, the other points of its institution that are not
/// cached at their current version, so that they open offline too (`storage::points`).
pub async fn cache(code: &str, info: &PointInfo) {
    if let Err(e) = stored::put(code, info).await {
        warn!("cannot cache point {code}: {e}");
    }
    let siblings = info.siblings.clone();
    spawn_local(async move {
        let stale = match stored::stale(&siblings).await {
            Ok(stale) => stale,
            Err(e) => return warn!("point cache unavailable: {e}"),
        };
        // One at a time: a respondent on weak mobile data is using the same connection.
        for code in stale {
            match api::get_point(&code).await {
                Ok(sibling) => {
                    if let Err(e) = stored::put(&code, &sibling).await {
                        return warn!("cannot cache point {code}: {e}");
                    }
                }
                // Offline again: the next visit finishes the job.
                Err(ApiError::Network(_)) => return,
                Err(e) => warn!("cannot cache point {code}: {e}"),
            }
        }
    });
}
