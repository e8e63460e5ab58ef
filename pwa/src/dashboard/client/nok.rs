//! The НОК page's endpoints (`contract.md` §5): the calculation table in force, and an
//! institution's expert checklist for a year, read and saved.

use std::collections::BTreeMap;

use otklik_shared::nok::{Checklist, NokMethodology};
use serde::Deserialize;

use super::encode;
use crate::api::{self, ApiError};

/// What `GET`/`PUT /nok/checklists/{org}/{year}` answer, as far as the page reads it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StoredChecklist {
    /// The checklist as entered.
    pub checklist: Checklist,
    /// The checklist indicators it gives (1.1, 1.2, 2.1, 3.1, 3.2), 0–100 points.
    pub indicators: BTreeMap<String, f64>,
}

fn path(org: &str, year: i32) -> String {
    format!("/nok/checklists/{}/{year}", encode(org))
}

/// `GET /nok/methodology`: the table the server scores with.
///
/// # Errors
/// As [`api::get_with_token`].
pub async fn methodology(token: &str) -> Result<NokMethodology, ApiError> {
    api::get_with_token("/nok/methodology", token).await
}

/// The checklist of `org` for `year`; `None` when none is entered yet (404
/// `unknown_checklist`).
///
/// # Errors
/// As [`api::get_with_token`], other than that 404.
pub async fn checklist(
    token: &str,
    org: &str,
    year: i32,
) -> Result<Option<StoredChecklist>, ApiError> {
    match api::get_with_token(&path(org, year), token).await {
        Ok(stored) => Ok(Some(stored)),
        Err(ApiError::Http { status: 404, body })
            if body
                .as_ref()
                .is_some_and(|b| b.error.code == "unknown_checklist") =>
        {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// `PUT`s the checklist of `org` for `year`; the reply holds the points it yields.
///
/// # Errors
/// As [`api::put_with_token`]: 422 with the envelope for a checklist the server refuses.
pub async fn save_checklist(
    token: &str,
    org: &str,
    year: i32,
    checklist: &Checklist,
) -> Result<StoredChecklist, ApiError> {
    api::put_with_token(&path(org, year), token, checklist).await
}
