//! `GET /api/v1/stats`: figures over an org subtree from rollup counts, with intervals, low-n
//! flags and, for НОК questionnaires, indicators, criteria and the total. The expert
//! walk-throughs' figures ([`walkthroughs`]) are the same computation over their own rows.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, Utc};
use otklik_shared::answer::Channel;
use otklik_shared::api::{QuestionStats, StatsReply};
use otklik_shared::nok::NokRule;
use otklik_shared::org::OrgKind;
use otklik_shared::questionnaire::{Question, Questionnaire};
use otklik_shared::rollup::{question_stats, Counts};
use serde::Deserialize;

use otklik_shared::access::Action;

use crate::auth::Caller;
use crate::db::orgs::OrgRow;
use crate::db::stats::{CountFilter, CountRow};
use crate::nok_figures::{counts_of, nok_stats, NokRequest};
use crate::service_error::{ServiceError, ServiceResult};

pub use crate::figures::StatsDeps;

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
    let selection = select(deps, caller, q, Counted::Citizens).await?;
    reply(deps, &selection, q).await
}

/// The figures of `/stats`'s shape computed from the expert walk-throughs alone (channel
/// `observation`), which citizens' figures never count: `responses` is the number of
/// walk-throughs, `channels` holds only `observation`, and there is no НОК score (НОК rates
/// what citizens say).
///
/// # Errors
/// As [`compute`].
#[tracing::instrument(skip_all, fields(org = %q.org, questionnaire = %q.questionnaire))]
pub async fn walkthroughs(
    deps: StatsDeps<'_>,
    caller: &Caller,
    q: &StatsQuery,
) -> ServiceResult<StatsReply> {
    let selection = select(deps, caller, q, Counted::Walkthroughs).await?;
    reply(deps, &selection, q).await
}

/// Whose answers a selection counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Counted {
    /// Citizens: every channel but `observation`.
    Citizens,
    /// Expert walk-throughs: `observation` only.
    Walkthroughs,
}

/// The figures of `/stats` for the org, and the same per-question figures for each institution
/// of its subtree that has responses (none when the org is an institution or below): what the
/// stats exports lay out, from the same rollup rows in one read.
pub struct Breakdown {
    /// Exactly what `/stats` answers for the same query.
    pub total: StatsReply,
    /// The org's name.
    pub org_name: String,
    /// The pooled questions, in the questionnaire's order.
    pub questions: Vec<Question>,
    /// One entry per institution with responses, by code.
    pub institutions: Vec<InstitutionStats>,
}

/// One institution's figures in a [`Breakdown`].
pub struct InstitutionStats {
    /// Org code.
    pub code: String,
    /// Org name.
    pub name: String,
    /// Responses counted (observations excluded).
    pub responses: u64,
    /// Per-question figures, by question id, as `/stats` gives them.
    pub questions: BTreeMap<String, QuestionStats>,
}

/// Computes a [`Breakdown`] after checking the caller may read the figures.
///
/// # Errors
/// As [`compute`].
#[tracing::instrument(skip_all, fields(org = %q.org, questionnaire = %q.questionnaire))]
pub async fn breakdown(
    deps: StatsDeps<'_>,
    caller: &Caller,
    q: &StatsQuery,
) -> ServiceResult<Breakdown> {
    let selection = select(deps, caller, q, Counted::Citizens).await?;
    let total = reply(deps, &selection, q).await?;
    let mut institutions = Vec::new();
    if !matches!(
        selection.org.kind,
        OrgKind::Institution | OrgKind::Department
    ) {
        let orgs = deps.db.list_orgs(selection.org.path.as_str(), None).await?;
        for org in orgs.into_iter().filter(|o| o.kind == OrgKind::Institution) {
            let counts = counts_of(&selection.rows, Some(org.id));
            if counts.responses() == 0 {
                continue;
            }
            institutions.push(InstitutionStats {
                responses: counts.responses(),
                questions: question_figures(&selection.questions, &counts, deps.min_n),
                code: org.code,
                name: org.name,
            });
        }
        institutions.sort_by(|a, b| a.code.cmp(&b.code));
    }
    Ok(Breakdown {
        total,
        org_name: selection.org.name,
        questions: selection.questions,
        institutions,
    })
}

/// What a query selects, checked: the org, the questionnaire, the rule, the rollup rows.
struct Selection {
    org: OrgRow,
    latest: Arc<Questionnaire>,
    questions: Vec<Question>,
    rows: Vec<CountRow>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    rule: NokRule,
    counted: Counted,
}

impl Selection {
    fn filter<'a>(&'a self, q: &'a StatsQuery) -> CountFilter<'a> {
        CountFilter {
            under: &self.org.path,
            questionnaire: &q.questionnaire,
            point: q.point.as_deref(),
            life_situation: q.life_situation.as_deref(),
            stage: None,
            from: self.from,
            to: self.to,
        }
    }
}

async fn select(
    deps: StatsDeps<'_>,
    caller: &Caller,
    q: &StatsQuery,
    counted: Counted,
) -> ServiceResult<Selection> {
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
    let mut selection = Selection {
        org,
        latest,
        questions,
        rows: Vec::new(),
        from,
        to,
        rule,
        counted,
    };
    let rows = {
        let filter = selection.filter(q);
        match counted {
            Counted::Citizens => deps.db.rollup_counts(&filter).await?,
            Counted::Walkthroughs => deps.db.observation_counts(&filter).await?,
        }
    };
    selection.rows = rows;
    Ok(selection)
}

/// `/stats`'s reply for a selection.
async fn reply(deps: StatsDeps<'_>, s: &Selection, q: &StatsQuery) -> ServiceResult<StatsReply> {
    let filter = s.filter(q);
    let total = counts_of(&s.rows, None);
    let channels = match s.counted {
        Counted::Citizens => deps.db.channel_counts(&filter).await?,
        Counted::Walkthroughs => [(Channel::Observation.as_str().to_owned(), total.responses())]
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .collect(),
    };
    let nok = if s.latest.nok && s.counted == Counted::Citizens {
        let year = s.to.map_or_else(|| Utc::now().year(), |d| d.year());
        let above_institution = !matches!(s.org.kind, OrgKind::Institution | OrgKind::Department);
        let request = NokRequest {
            questionnaire: &s.latest,
            year,
            above_institution,
            rule: s.rule,
            filter: &filter,
            org_code: &s.org.code,
        };
        Some(nok_stats(deps, &s.rows, &request).await?)
    } else {
        None
    };
    Ok(StatsReply {
        org: s.org.code.clone(),
        questionnaire: q.questionnaire.clone(),
        from: q.from.clone(),
        to: q.to.clone(),
        responses: total.responses(),
        questions: question_figures(&s.questions, &total, deps.min_n),
        nok,
        min_n: deps.min_n,
        channels,
    })
}

/// Every question's figures from summed counts.
fn question_figures(
    questions: &[Question],
    counts: &Counts,
    min_n: u64,
) -> BTreeMap<String, QuestionStats> {
    questions
        .iter()
        .map(|question| (question.id.clone(), question_stats(question, counts, min_n)))
        .collect()
}
