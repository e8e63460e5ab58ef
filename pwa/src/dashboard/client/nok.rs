//! The НОК page's endpoints (`contract.md` §5): the calculation table in force, and an
//! institution's expert checklist for a year, read and saved.

use std::collections::BTreeMap;

use otklik_shared::nok::{Checklist, EmptyRule};
use otklik_shared::org::Sector;
use serde::Deserialize;

use super::encode;
use crate::api::{self, ApiError, Body};

/// The part of the НОК table (`GET /nok/methodology`, the shared `NokMethodology`) the page
/// reads, as plain structs: the bundle then carries no decoder for the table's tagged and
/// flattened shapes, nor for the parts it never shows.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Table {
    /// Indicators 1.1 … 5.3 in the table's order.
    pub indicators: Vec<TableIndicator>,
    /// Criteria K1 … K5.
    pub criteria: Vec<TableCriterion>,
    /// The methods on offer, with their labels.
    pub options: TableOptions,
}

/// An indicator of the table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TableIndicator {
    /// Code, `1.1` … `5.3`.
    pub code: String,
    /// Name (344н wording).
    pub name: String,
    /// `survey`, `stand_site` (1.1) or `checklist_items`.
    pub source: String,
    /// A checklist list's items.
    #[serde(default)]
    pub items: Vec<TableItem>,
}

/// An item of a checklist list.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TableItem {
    /// Wire id, the value in the checklist body.
    pub id: String,
    /// What the expert checks.
    pub name: String,
    /// The sectors it applies to; empty = every sector.
    #[serde(default)]
    pub sectors: Vec<Sector>,
}

/// A criterion: weights per indicator code.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TableCriterion {
    /// Code, `K1` … `K5`.
    pub code: String,
    /// Name (344н wording).
    pub name: String,
    /// Weight per indicator code.
    pub weights: BTreeMap<String, f64>,
}

/// The empty-sub-population methods, whose labels name the rule that produced the figures.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TableOptions {
    /// One per method.
    pub empty: Vec<TableOption>,
}

/// One method and its label («правило Otklik»).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TableOption {
    /// The method.
    pub id: EmptyRule,
    /// Its label.
    pub label: String,
}

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
pub async fn methodology(token: &str) -> Result<Table, ApiError> {
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
/// As [`api::send_with_token`]: 422 with the envelope for a checklist the server refuses.
pub async fn save_checklist(
    token: &str,
    org: &str,
    year: i32,
    checklist: &Checklist,
) -> Result<StoredChecklist, ApiError> {
    let body = serde_json::to_string(checklist).map_err(|e| ApiError::Decode(e.to_string()))?;
    api::send_with_token("PUT", &path(org, year), Some(Body::Json(body)), token).await
}
