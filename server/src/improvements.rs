//! Improvement measures (`domain.md` §4: «measures carry a date so results read before/after»):
//! what an org did and on which day, optionally for one life situation and one of its stages.
//!
//! Entering one takes [`Action::ReviewComments`], not `EnterTargets`: a measure is published on
//! the org's public page under «Вы сказали — мы сделали» next to the public answers to comments,
//! in the institution's name, so whoever may publish those answers may publish measures, and
//! one action governs everything the comment loop makes public. Reading them takes
//! `ReadResults`, as the НСИ report that lists them does.

use chrono::{NaiveDate, SecondsFormat, Utc};
use otklik_shared::access::Action;
use otklik_shared::review::MAX_MEASURE_TITLE;
use serde::{Deserialize, Serialize};

use crate::auth::Caller;
use crate::db::orgs::OrgRow;
use crate::db::reviews::{ImprovementRow, NewImprovement};
use crate::db::Database;
use crate::nsi::{require_stage, situation};
use crate::orgs::manage::checked_org;
use crate::service_error::{ServiceError, ServiceResult};

/// The most measures a list returns (newest first).
pub const MAX_LISTED: u32 = 500;

/// `POST /api/v1/improvements`.
#[derive(Debug, Clone, Deserialize)]
pub struct ImprovementInput {
    /// The org that carried it out.
    pub org: String,
    /// Life-situation code, when the measure is about one.
    #[serde(default)]
    pub life_situation: Option<String>,
    /// Stage code of that life situation, when about one stage.
    #[serde(default)]
    pub stage: Option<String>,
    /// What was done, up to 300 characters.
    pub title: String,
    /// The day it was done, `YYYY-MM-DD` (the org's local date; not in the future).
    pub done_on: String,
}

/// `GET /api/v1/improvements` parameters.
#[derive(Debug, Clone, Deserialize)]
pub struct ImprovementsQuery {
    /// The subtree's root.
    pub org: String,
    /// Only measures about this life situation.
    pub life_situation: Option<String>,
}

/// A stored measure.
#[derive(Debug, Clone, Serialize)]
pub struct Improvement {
    /// Id.
    pub id: i64,
    /// Org code.
    pub org: String,
    /// Org name.
    pub org_name: String,
    /// Life-situation code.
    pub life_situation: Option<String>,
    /// Stage code.
    pub stage: Option<String>,
    /// What was done.
    pub title: String,
    /// When, `YYYY-MM-DD`.
    pub done_on: String,
    /// When it was entered (UTC).
    pub created_at: String,
}

impl From<ImprovementRow> for Improvement {
    fn from(r: ImprovementRow) -> Self {
        Self {
            id: r.id,
            org: r.org,
            org_name: r.org_name,
            life_situation: r.life_situation,
            stage: r.stage,
            title: r.title,
            done_on: r.done_on,
            created_at: r.created_at,
        }
    }
}

/// The measures of a subtree.
#[derive(Debug, Clone, Serialize)]
pub struct ImprovementList {
    /// Org code.
    pub org: String,
    /// Most recent first, at most [`MAX_LISTED`].
    pub improvements: Vec<Improvement>,
}

fn invalid(field: &'static str, message: String) -> ServiceError {
    ServiceError::invalid_field("invalid_improvement", field, message)
}

/// Checks and stores a measure.
///
/// # Errors
/// `unknown_org` (404); the caller may not publish there (403); 422 `invalid_improvement`
/// naming the field: an unknown life situation, a stage that is not one of it (or a stage
/// without a situation), an empty title or one over 300 characters, a date that is malformed,
/// before 2000 or after today; internal on a database failure. Nothing is stored on error.
#[tracing::instrument(skip_all, fields(org = %m.org))]
pub async fn add(
    db: &Database,
    caller: &Caller,
    m: &ImprovementInput,
) -> ServiceResult<Improvement> {
    let org = checked_org(db, Some(caller), Action::ReviewComments, &m.org).await?;
    let life_situation = match m.life_situation.as_deref() {
        Some(code) => Some(situation(db, code).await?),
        None => None,
    };
    match (m.stage.as_deref(), &life_situation) {
        (None, _) => {}
        (Some(stage), Some(ls)) => require_stage(ls, stage, "invalid_improvement")?,
        (Some(stage), None) => {
            return Err(invalid(
                "stage",
                format!("stage {stage:?} needs the life_situation it belongs to"),
            ))
        }
    }
    let title = m.title.trim();
    if title.is_empty() || title.chars().count() > MAX_MEASURE_TITLE {
        return Err(invalid(
            "title",
            format!("title must be 1–{MAX_MEASURE_TITLE} characters"),
        ));
    }
    let done_on = done_on(&org, &m.done_on)?;
    let created_at = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    let ls_code = life_situation.as_ref().map(|ls| ls.code.as_str());
    let id = db
        .add_improvement(&NewImprovement {
            org_id: org.id,
            life_situation: ls_code,
            stage: m.stage.as_deref(),
            title,
            done_on,
            created_by: caller.user_id,
            created_at: &created_at,
        })
        .await?;
    tracing::info!(org_id = org.id, id, "improvement measure stored");
    Ok(Improvement {
        id,
        org: org.code,
        org_name: org.name,
        life_situation: ls_code.map(str::to_owned),
        stage: m.stage.clone(),
        title: title.to_owned(),
        done_on: done_on.format("%Y-%m-%d").to_string(),
        created_at,
    })
}

/// The day a measure was done: a date from 2000-01-01 to today in the org's time zone.
fn done_on(org: &OrgRow, s: &str) -> ServiceResult<NaiveDate> {
    let day = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| invalid("done_on", format!("done_on must be YYYY-MM-DD, got {s:?}")))?;
    let today = Utc::now().with_timezone(&org.tz.0).date_naive();
    let earliest = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN);
    if day < earliest || day > today {
        return Err(invalid(
            "done_on",
            format!("done_on must lie between 2000-01-01 and today ({today}), got {day}"),
        ));
    }
    Ok(day)
}

/// The measures of the org's subtree, optionally of one life situation, most recent first.
///
/// # Errors
/// `unknown_org` (404); the caller may not read results there (403); 422 for an unknown life
/// situation; internal on a database failure.
pub async fn list(
    db: &Database,
    caller: &Caller,
    q: &ImprovementsQuery,
) -> ServiceResult<ImprovementList> {
    let org = checked_org(db, Some(caller), Action::ReadResults, &q.org).await?;
    let ls = match q.life_situation.as_deref() {
        Some(code) => Some(situation(db, code).await?.code),
        None => None,
    };
    let improvements = db
        .improvements(&org.path, ls.as_deref(), MAX_LISTED)
        .await?
        .into_iter()
        .map(Improvement::from)
        .collect();
    Ok(ImprovementList {
        org: org.code,
        improvements,
    })
}
