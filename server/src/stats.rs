//! `GET /api/v1/stats`: figures over an org subtree from rollup counts, with intervals, low-n
//! flags and, for НОК questionnaires, indicators, criteria and the total.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, Utc};
use std::sync::Arc;

use otklik_shared::api::{NokStats, QuestionStats, StatsReply};
use otklik_shared::nok::{self, NokScore, YesNoCounts};
use otklik_shared::org::OrgKind;
use otklik_shared::questionnaire::{Question, QuestionKind, Questionnaire};
use otklik_shared::rollup::{question_stats, Counts};
use serde::Deserialize;

use otklik_shared::access::Action;
use otklik_shared::nok::NokMethodology;

use crate::auth::Caller;
use crate::catalog::Catalog;
use crate::db::orgs::OrgRow;
use crate::db::stats::{CountFilter, CountRow};
use crate::db::Database;
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
}

/// A `YYYY-MM-DD` parameter, if given.
///
/// # Errors
/// 400 `bad_parameter` naming it when it is not a date.
pub(crate) fn parse_day(name: &str, value: Option<&str>) -> ServiceResult<Option<NaiveDate>> {
    value
        .map(|v| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
                ServiceError::bad_parameter(format!("{name} must be a date YYYY-MM-DD, got {v:?}"))
            })
        })
        .transpose()
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
    let selection = select(deps, caller, q).await?;
    reply(deps, &selection, q).await
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
    let selection = select(deps, caller, q).await?;
    let total = reply(deps, &selection, q).await?;
    let mut institutions = Vec::new();
    if !matches!(
        selection.org.kind,
        OrgKind::Institution | OrgKind::Department
    ) {
        let mut by_institution: HashMap<i64, Counts> = HashMap::new();
        for row in &selection.rows {
            let counts = by_institution.entry(row.institution_id).or_default();
            for (key, n) in &row.counts {
                counts.add(&row.question, key, *n);
            }
        }
        let orgs = deps.db.list_orgs(selection.org.path.as_str(), None).await?;
        for org in orgs.into_iter().filter(|o| o.kind == OrgKind::Institution) {
            let Some(counts) = by_institution.get(&org.id).filter(|c| c.responses() > 0) else {
                continue;
            };
            institutions.push(InstitutionStats {
                responses: counts.responses(),
                questions: question_figures(&selection.questions, counts, deps.min_n),
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

/// What a query selects, checked: the org, the questionnaire and the rollup rows.
struct Selection {
    org: OrgRow,
    latest: Arc<Questionnaire>,
    questions: Vec<Question>,
    rows: Vec<CountRow>,
    to: Option<NaiveDate>,
}

async fn select(deps: StatsDeps<'_>, caller: &Caller, q: &StatsQuery) -> ServiceResult<Selection> {
    let from = parse_day("from", q.from.as_deref())?;
    let to = parse_day("to", q.to.as_deref())?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(ServiceError::bad_parameter("from is after to"));
        }
    }
    let org = deps
        .db
        .org_by_code(&q.org)
        .await?
        .ok_or_else(|| ServiceError::not_found("unknown_org", format!("no org {}", q.org)))?;
    caller.require(Action::ReadResults, &org)?;
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

    let rows = deps
        .db
        .rollup_counts(&CountFilter {
            under: &org.path,
            questionnaire: &q.questionnaire,
            point: q.point.as_deref(),
            life_situation: q.life_situation.as_deref(),
            from,
            to,
        })
        .await?;
    Ok(Selection {
        org,
        latest,
        questions,
        rows,
        to,
    })
}

async fn reply(
    deps: StatsDeps<'_>,
    selection: &Selection,
    q: &StatsQuery,
) -> ServiceResult<StatsReply> {
    let Selection {
        org,
        latest,
        questions,
        rows,
        to,
    } = selection;
    let min_n = deps.min_n;
    let total = counts_of(rows, None);
    let nok = if latest.nok {
        let year = to.map_or_else(|| Utc::now().year(), |d| d.year());
        let above_institution = !matches!(org.kind, OrgKind::Institution | OrgKind::Department);
        Some(nok_stats(deps, rows, latest, year, above_institution).await?)
    } else {
        None
    };
    Ok(StatsReply {
        org: org.code.clone(),
        questionnaire: q.questionnaire.clone(),
        from: q.from.clone(),
        to: q.to.clone(),
        responses: total.responses(),
        questions: question_figures(questions, &total, min_n),
        nok,
        min_n,
    })
}

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

/// Sums the rows of one institution (or of all, with `None`).
fn counts_of(rows: &[CountRow], institution: Option<i64>) -> Counts {
    let mut out = Counts::default();
    for row in rows
        .iter()
        .filter(|r| institution.is_none_or(|i| r.institution_id == i))
    {
        for (key, n) in &row.counts {
            out.add(&row.question, key, *n);
        }
    }
    out
}

/// НОК figures: one score per institution (its own checklist for `year`), then plain means
/// over the institutions that have a figure when the subtree holds more than one.
async fn nok_stats(
    deps: StatsDeps<'_>,
    rows: &[CountRow],
    questionnaire: &Questionnaire,
    year: i32,
    above_institution: bool,
) -> ServiceResult<NokStats> {
    let mut institutions: Vec<i64> = rows.iter().map(|r| r.institution_id).collect();
    institutions.sort_unstable();
    institutions.dedup();
    let checklists = deps.db.nok_checklists(&institutions, year).await?;
    let scores: Vec<NokScore> = institutions
        .iter()
        .map(|&inst| {
            let counts = counts_of(rows, Some(inst));
            let yes_no_counts: BTreeMap<String, YesNoCounts> = questionnaire
                .questions
                .iter()
                .filter(|q| q.kind == QuestionKind::YesNo)
                .map(|q| (q.id.clone(), counts.yes_no(&q.id)))
                .collect();
            nok::score(
                deps.methodology,
                questionnaire,
                &yes_no_counts,
                checklists.get(&inst),
            )
        })
        .collect();
    let (score, with_score) = match (above_institution, scores.as_slice()) {
        (false, [one]) => (one.clone(), None),
        // No responses: every figure is missing, under the keys the questionnaire has (`null`,
        // not absent, as the contract says).
        (above, []) => (
            nok::score(deps.methodology, questionnaire, &BTreeMap::new(), None),
            above.then_some(0),
        ),
        (above, many) => {
            let (mean, n) = nok::mean_over_institutions(many);
            (mean, above.then_some(n))
        }
    };
    Ok(NokStats {
        indicators: score.indicators,
        criteria: score.criteria,
        total: score.total,
        institutions: with_score,
        methodology: deps.methodology.version.clone(),
    })
}
