//! `GET /api/v1/stats`: figures over an org subtree from rollup counts, with intervals, low-n
//! flags and, for НОК questionnaires, indicators, criteria and the total.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, Utc};
use otklik_shared::answer::Likert4;
use otklik_shared::api::{NokStats, QuestionStats, StatsReply};
use otklik_shared::nok::{self, NokScore, YesNoCounts};
use otklik_shared::org::OrgKind;
use otklik_shared::questionnaire::{Question, QuestionKind};
use otklik_shared::score::{mean_median, share_pct, wilson95, Likert4Counts, NpsCounts};
use serde::Deserialize;

use otklik_shared::access::Action;
use otklik_shared::nok::NokMethodology;

use crate::auth::Caller;
use crate::catalog::Catalog;
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

fn parse_day(name: &str, value: Option<&str>) -> ServiceResult<Option<NaiveDate>> {
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
    let min_n = deps.min_n;
    let total = counts_of(&rows, None);
    let reply_questions = questions
        .iter()
        .map(|question| (question.id.clone(), question_stats(question, &total, min_n)))
        .collect();

    let nok = if latest.nok {
        let year = to.map_or_else(|| Utc::now().year(), |d| d.year());
        let above_institution = !matches!(org.kind, OrgKind::Institution | OrgKind::Department);
        Some(nok_stats(deps, &rows, &latest, year, above_institution).await?)
    } else {
        None
    };
    Ok(StatsReply {
        org: org.code,
        questionnaire: q.questionnaire.clone(),
        from: q.from.clone(),
        to: q.to.clone(),
        responses: total
            .get(&(String::new(), String::new()))
            .copied()
            .unwrap_or(0),
        questions: reply_questions,
        nok,
        min_n,
    })
}

type Counts = HashMap<(String, String), u64>;

/// Sums the rows of one institution (or of all, with `None`) into (question, value) → count.
fn counts_of(rows: &[CountRow], institution: Option<i64>) -> Counts {
    let mut out = Counts::new();
    for row in rows
        .iter()
        .filter(|r| institution.is_none_or(|i| r.institution_id == i))
    {
        *out.entry((row.question.clone(), row.value.clone()))
            .or_default() += u64::try_from(row.count).unwrap_or(0);
    }
    out
}

fn values_of<'a>(
    counts: &'a Counts,
    question: &'a str,
) -> impl Iterator<Item = (&'a str, u64)> + 'a {
    counts
        .iter()
        .filter(move |((q, _), _)| q == question)
        .map(|((_, v), n)| (v.as_str(), *n))
}

/// The figures of one question from its value counts.
pub fn question_stats(question: &Question, counts: &Counts, min_n: u64) -> QuestionStats {
    let values = || values_of(counts, &question.id);
    match question.kind {
        QuestionKind::Likert4 => {
            let mut c = Likert4Counts::default();
            for (v, n) in values() {
                if let Some(l) = Likert4::parse(v) {
                    c.add(l, n);
                }
            }
            let by_value = Likert4::ALL
                .iter()
                .map(|l| (l.as_str().to_owned(), likert_count(&c, *l)))
                .collect();
            QuestionStats::Likert4 {
                n: c.n(),
                counts: by_value,
                satisfied_pct: c.satisfied_pct(),
                ci95: c.ci95(),
                low_n: c.n() < min_n,
            }
        }
        QuestionKind::Nps => {
            let mut c = NpsCounts::default();
            for (v, n) in values() {
                if let Ok(score) = v.parse::<u8>() {
                    c.add(score, n);
                }
            }
            QuestionStats::Nps {
                n: c.n(),
                promoters: c.promoters,
                passives: c.passives,
                detractors: c.detractors,
                nps: c.nps(),
                ci95: c.ci95(),
                low_n: c.n() < min_n,
            }
        }
        QuestionKind::YesNo => {
            let c = yes_no(counts, &question.id);
            QuestionStats::YesNo {
                n: c.n,
                yes: c.yes,
                yes_pct: share_pct(c.yes, c.n),
                ci95: wilson95(c.yes, c.n),
                low_n: c.n < min_n,
            }
        }
        QuestionKind::Choice => {
            let mut by_option: BTreeMap<String, u64> =
                question.options.iter().map(|o| (o.id.clone(), 0)).collect();
            for (v, n) in values() {
                *by_option.entry(v.to_owned()).or_default() += n;
            }
            QuestionStats::Choice {
                n: by_option.values().sum(),
                counts: by_option,
            }
        }
        QuestionKind::Number => {
            let numbers: Vec<(f64, u64)> = values()
                .filter_map(|(v, n)| v.parse::<f64>().ok().map(|x| (x, n)))
                .collect();
            let n = numbers.iter().map(|(_, c)| c).sum();
            let (mean, median) = mean_median(&numbers).unzip();
            QuestionStats::Number { n, mean, median }
        }
        QuestionKind::Text => QuestionStats::Text {
            n: values().map(|(_, n)| n).sum(),
        },
    }
}

fn likert_count(c: &Likert4Counts, l: Likert4) -> u64 {
    match l {
        Likert4::Yes => c.yes,
        Likert4::RatherYes => c.rather_yes,
        Likert4::RatherNo => c.rather_no,
        Likert4::No => c.no,
    }
}

fn yes_no(counts: &Counts, question: &str) -> YesNoCounts {
    let mut c = YesNoCounts::default();
    for (v, n) in values_of(counts, question) {
        c.n += n;
        if v == "true" {
            c.yes += n;
        }
    }
    c
}

/// НОК figures: one score per institution (its own checklist for `year`), then plain means
/// over the institutions that have a figure when the subtree holds more than one.
async fn nok_stats(
    deps: StatsDeps<'_>,
    rows: &[CountRow],
    questionnaire: &otklik_shared::questionnaire::Questionnaire,
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
                .map(|q| (q.id.clone(), yes_no(&counts, &q.id)))
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
