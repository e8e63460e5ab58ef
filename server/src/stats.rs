//! `GET /api/v1/stats`: figures over an org subtree from rollup counts, with intervals, low-n
//! flags and, for НОК questionnaires, indicators, criteria and the total.

use chrono::{Datelike, NaiveDate, Utc};
use otklik_shared::api::StatsReply;
use otklik_shared::nok::NokRule;
use otklik_shared::org::OrgKind;
use otklik_shared::rollup::question_stats;
use serde::Deserialize;

use otklik_shared::access::Action;
use otklik_shared::nok::NokMethodology;

use crate::auth::Caller;
use crate::catalog::Catalog;
use crate::db::orgs::OrgRow;
use crate::db::stats::CountFilter;
use crate::db::Database;
use crate::nok_figures::{counts_of, nok_stats, NokRequest};
use crate::service_error::{ServiceError, ServiceResult};

/// What the figures are computed from.
#[derive(Clone, Copy)]
pub struct StatsDeps<'a> {
    /// Storage (rollups, orgs, checklists).
    pub db: &'a Database,
    /// Published questionnaires.
    pub catalog: &'a Catalog,
    /// The НОК methodology in force.
    pub methodology: &'a NokMethodology,
    /// Below this many answers a figure is flagged `low_n`.
    pub min_n: u64,
}

/// Query parameters of `/stats` (and of the exports that reuse it).
#[derive(Debug, Clone, Deserialize)]
pub struct StatsQuery {
    /// Org code: the root of the subtree.
    pub org: String,
    /// Questionnaire id.
    pub questionnaire: String,
    /// First day, `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`, inclusive.
    pub to: Option<String>,
    /// Only this point.
    pub point: Option<String>,
    /// Only points bound to this life situation.
    pub life_situation: Option<String>,
    /// The НОК empty-sub-population rule: `otklik` (default) or `operators`.
    pub nok_rule: Option<String>,
}

/// The `&nok_rule=` parameter: `otklik` (default) or `operators`.
pub(crate) fn parse_rule(value: Option<&str>) -> ServiceResult<NokRule> {
    match value {
        None | Some("otklik") => Ok(NokRule::Otklik),
        Some("operators") => Ok(NokRule::Operators),
        Some(other) => Err(ServiceError::bad_parameter(format!(
            "nok_rule must be otklik or operators, got {other:?}"
        ))),
    }
}

/// A `YYYY-MM-DD` query parameter.
fn parse_day(name: &str, value: Option<&str>) -> ServiceResult<Option<NaiveDate>> {
    value
        .map(|v| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
                ServiceError::bad_parameter(format!("{name} must be a date YYYY-MM-DD, got {v:?}"))
            })
        })
        .transpose()
}

/// The inclusive date range of `from`/`to` parameters (`YYYY-MM-DD`, either may be absent).
///
/// # Errors
/// `bad_parameter` for a malformed date or `from` after `to`.
pub fn day_range(
    from: Option<&str>,
    to: Option<&str>,
) -> ServiceResult<(Option<NaiveDate>, Option<NaiveDate>)> {
    let (from, to) = (parse_day("from", from)?, parse_day("to", to)?);
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(ServiceError::bad_parameter("from is after to"));
        }
    }
    Ok((from, to))
}

/// The org `code`, after the caller's check that they may read its results.
pub(crate) async fn readable_org(
    deps: StatsDeps<'_>,
    caller: &Caller,
    code: &str,
) -> ServiceResult<OrgRow> {
    let org = deps
        .db
        .org_by_code(code)
        .await?
        .ok_or_else(|| ServiceError::not_found("unknown_org", format!("no org {code}")))?;
    caller.require(Action::ReadResults, &org)?;
    Ok(org)
}

/// Computes the figures after checking the caller may read them.
///
/// # Errors
/// Bad dates, denied role or scope, unknown org or questionnaire, internal on a database
/// failure.
#[tracing::instrument(skip_all, fields(org = %q.org, questionnaire = %q.questionnaire))]
pub async fn compute(
    deps: StatsDeps<'_>,
    caller: &Caller,
    q: &StatsQuery,
) -> ServiceResult<StatsReply> {
    let (from, to) = day_range(q.from.as_deref(), q.to.as_deref())?;
    let rule = parse_rule(q.nok_rule.as_deref())?;
    let org = readable_org(deps, caller, &q.org).await?;
    let latest = deps
        .catalog
        .get(deps.db, &q.questionnaire, None)
        .await?
        .ok_or_else(|| {
            ServiceError::not_found(
                "unknown_questionnaire",
                format!("no questionnaire {}", q.questionnaire),
            )
        })?;
    let questions = deps.catalog.pooled_questions(&q.questionnaire);

    let filter = CountFilter {
        under: &org.path,
        questionnaire: &q.questionnaire,
        point: q.point.as_deref(),
        life_situation: q.life_situation.as_deref(),
        from,
        to,
    };
    let rows = deps.db.rollup_counts(&filter).await?;
    let channels = deps.db.channel_counts(&filter).await?;
    let min_n = deps.min_n;
    let total = counts_of(&rows, None);
    let reply_questions = questions
        .iter()
        .map(|question| (question.id.clone(), question_stats(question, &total, min_n)))
        .collect();

    let nok = if latest.nok {
        let year = to.map_or_else(|| Utc::now().year(), |d| d.year());
        let above_institution = !matches!(org.kind, OrgKind::Institution | OrgKind::Department);
        let request = NokRequest {
            questionnaire: &latest,
            year,
            above_institution,
            rule,
            filter: &filter,
            org_code: &org.code,
        };
        Some(nok_stats(deps, &rows, &request).await?)
    } else {
        None
    };
    Ok(StatsReply {
        org: org.code,
        questionnaire: q.questionnaire.clone(),
        from: q.from.clone(),
        to: q.to.clone(),
        responses: total.responses(),
        questions: reply_questions,
        nok,
        min_n,
        channels,
    })
}
