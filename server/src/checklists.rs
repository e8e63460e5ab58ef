//! НОК expert checklists (`PUT/GET /api/v1/nok/checklists/{org}/{year}`, `otklik nok
//! checklist`): checked against the methodology's item lists for the institution's sector,
//! stored per institution and year, answered with the checklist indicators they give.

use std::collections::BTreeMap;

use otklik_shared::access::Action;
use otklik_shared::nok::{Checklist, ChecklistError, NokMethodology};
use otklik_shared::org::OrgKind;
use serde::Serialize;

use crate::auth::Caller;
use crate::db::orgs::OrgRow;
use crate::db::Database;
use crate::orgs::manage::checked_org;
use crate::service_error::{ServiceError, ServiceResult};

/// The years a checklist may be entered for: a typo like `226` or `20266` is refused.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// A stored checklist with the indicators it gives.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistReply {
    /// Institution code.
    pub org: String,
    /// Assessment year.
    pub year: i32,
    /// The checklist as entered.
    pub checklist: Checklist,
    /// Checklist indicators (1.1, 1.2, 2.1, 3.1, 3.2), 0–100.
    pub indicators: BTreeMap<String, f64>,
    /// Methodology version the indicators follow.
    pub methodology: String,
}

/// The year from the path: an integer in 2000–2100.
fn parse_year(year: &str) -> ServiceResult<i32> {
    year.parse::<i32>()
        .ok()
        .filter(|y| YEARS.contains(y))
        .ok_or_else(|| {
            ServiceError::invalid_field(
                "invalid_year",
                "year",
                format!("year must be an integer from 2000 to 2100, got {year:?}"),
            )
        })
}

/// The org, checked: it exists, the caller (none from the CLI) may do `action` on it.
async fn institution(
    db: &Database,
    caller: Option<&Caller>,
    action: Action,
    code: &str,
) -> ServiceResult<OrgRow> {
    let org = checked_org(db, caller, action, code).await?;
    if org.kind != OrgKind::Institution {
        return Err(ServiceError::invalid_field(
            "invalid_org",
            "org",
            format!("org {code} is not an institution: checklists are per institution"),
        ));
    }
    Ok(org)
}

fn reply(m: &NokMethodology, org: OrgRow, year: i32, checklist: Checklist) -> ChecklistReply {
    ChecklistReply {
        indicators: checklist.indicators(m),
        org: org.code,
        year,
        checklist,
        methodology: m.version.clone(),
    }
}

/// Checks and stores (replacing) the checklist of institution `org` for `year`.
///
/// # Errors
/// `unknown_org` (404); the caller may not enter checklists there (403); not an institution,
/// a bad year or a checklist the methodology refuses (422 `invalid_checklist`, naming the
/// indicator and item); internal on a database failure.
#[tracing::instrument(skip_all, fields(org = %org, year = %year))]
pub async fn put(
    db: &Database,
    m: &NokMethodology,
    caller: Option<&Caller>,
    org: &str,
    year: &str,
    checklist: Checklist,
) -> ServiceResult<ChecklistReply> {
    let org = institution(db, caller, Action::EnterChecklists, org).await?;
    let year = parse_year(year)?;
    let Some(sector) = org.sector else {
        return Err(ServiceError::invalid_field(
            "invalid_org",
            "org",
            format!("institution {} has no sector", org.code),
        ));
    };
    checklist.validate(m, sector).map_err(refusal)?;
    db.put_nok_checklist(org.id, year, &checklist).await?;
    tracing::info!(org_id = org.id, year, "checklist stored");
    Ok(reply(m, org, year, checklist))
}

/// The checklist of institution `org` for `year`.
///
/// # Errors
/// `unknown_org` or `unknown_checklist` (404); the caller may not read results there (403);
/// not an institution or a bad year (422); internal on a database failure.
pub async fn get(
    db: &Database,
    m: &NokMethodology,
    caller: &Caller,
    org: &str,
    year: &str,
) -> ServiceResult<ChecklistReply> {
    let org = institution(db, Some(caller), Action::ReadResults, org).await?;
    let year = parse_year(year)?;
    let checklist = db.nok_checklist(org.id, year).await?.ok_or_else(|| {
        ServiceError::not_found(
            "unknown_checklist",
            format!("no checklist for {} in {year}", org.code),
        )
    })?;
    Ok(reply(m, org, year, checklist))
}

/// A checklist problem as a 422 naming the indicator (and item) in its message and details.
fn refusal(e: ChecklistError) -> ServiceError {
    ServiceError::Invalid {
        code: "invalid_checklist",
        field: None,
        message: e.to_string(),
        details: serde_json::to_value(&e).ok(),
    }
}
