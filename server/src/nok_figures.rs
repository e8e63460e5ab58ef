//! НОК figures of `/stats` and of the `nok_total` ranking: one score per institution from its
//! rollup counts and its checklist for the year, the answered counts behind each indicator,
//! and, for one institution, bootstrap intervals of K1–K5 and Sn from its raw responses.

use std::collections::BTreeMap;

use otklik_shared::api::NokStats;
use otklik_shared::nok::bootstrap::{self, Intervals, Respondents};
use otklik_shared::nok::{
    self, Checklist, IndicatorSource, NokMethodology, NokRule, NokScore, YesNoCounts,
};
use otklik_shared::questionnaire::{QuestionKind, Questionnaire};
use otklik_shared::rollup::Counts;
use serde::Deserialize;

use crate::db::stats::{CountFilter, CountRow};
use crate::db::Database;
use crate::figures::StatsDeps;
use crate::service_error::{ServiceError, ServiceResult};

/// Sums the rows of one institution (or of all, with `None`).
pub fn counts_of(rows: &[CountRow], institution: Option<i64>) -> Counts {
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

/// The rows grouped by institution id, each group summed: one pass over the rows however
/// many institutions there are.
pub fn counts_by_institution(rows: &[CountRow]) -> BTreeMap<i64, Counts> {
    let mut out: BTreeMap<i64, Counts> = BTreeMap::new();
    for row in rows {
        let counts = out.entry(row.institution_id).or_default();
        for (key, n) in &row.counts {
            counts.add(&row.question, key, *n);
        }
    }
    out
}

/// The Да/Нет counts of the questionnaire's yes/no items.
fn yes_no_counts(questionnaire: &Questionnaire, counts: &Counts) -> BTreeMap<String, YesNoCounts> {
    questionnaire
        .questions
        .iter()
        .filter(|q| q.kind == QuestionKind::YesNo)
        .map(|q| (q.id.clone(), counts.yes_no(&q.id)))
        .collect()
}

/// Answers feeding each survey indicator the questionnaire has (1.3: stand and site answers
/// together).
fn indicator_n(
    m: &NokMethodology,
    questionnaire: &Questionnaire,
    counts: &Counts,
) -> BTreeMap<String, u64> {
    m.indicators
        .iter()
        .filter(|ind| matches!(ind.source, IndicatorSource::Survey))
        .filter_map(|ind| {
            let items: Vec<u64> = questionnaire
                .questions
                .iter()
                .filter(|q| q.indicator.as_deref() == Some(ind.code.as_str()))
                .map(|q| counts.yes_no(&q.id).n)
                .collect();
            (!items.is_empty()).then(|| (ind.code.clone(), items.iter().sum()))
        })
        .collect()
}

/// One institution's score from its summed counts.
pub fn institution_score(
    m: &NokMethodology,
    questionnaire: &Questionnaire,
    counts: &Counts,
    checklist: Option<&Checklist>,
) -> NokScore {
    nok::score(
        m,
        questionnaire,
        &yes_no_counts(questionnaire, counts),
        checklist,
    )
}

/// One stored item, as far as the bootstrap reads it.
#[derive(Deserialize)]
struct StoredItem {
    answers: Vec<StoredAnswer>,
}

#[derive(Deserialize)]
struct StoredAnswer {
    q: String,
    v: serde_json::Value,
}

/// Bootstrap intervals of one institution's K1–K5 and Sn over the responses of `f` (whose
/// `under` is the institution, or one of its departments, coded `code`), seeded by that code,
/// the questionnaire, the period, the filters and the rule.
///
/// # Errors
/// Database failure, or a stored item that is not JSON (internal).
pub async fn institution_intervals(
    db: &Database,
    m: &NokMethodology,
    questionnaire: &Questionnaire,
    code: &str,
    checklist: Option<&Checklist>,
    f: &CountFilter<'_>,
    rule: NokRule,
) -> ServiceResult<Intervals> {
    let items = db.respondent_items(f).await?;
    let mut respondents = Respondents::new(questionnaire);
    for raw in &items {
        let item: StoredItem = serde_json::from_str(raw)
            .map_err(|e| anyhow::Error::from(e).context("A stored response is not an item"))?;
        respondents.push(
            item.answers
                .iter()
                .filter_map(|a| a.v.as_bool().map(|yes| (a.q.as_str(), yes))),
        );
    }
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let seed = bootstrap::seed_of(&[
        code,
        f.questionnaire,
        &day(f.from),
        &day(f.to),
        f.point.unwrap_or(""),
        f.life_situation.unwrap_or(""),
        rule.as_str(),
    ]);
    let (m, q, checklist) = (m.clone(), questionnaire.clone(), checklist.cloned());
    // Tens of milliseconds of arithmetic: keep it off the async workers.
    tokio::task::spawn_blocking(move || {
        bootstrap::intervals(
            &m,
            &q,
            &respondents,
            checklist.as_ref(),
            seed,
            bootstrap::REPLICATES,
        )
    })
    .await
    .map_err(|e| ServiceError::Internal(e.into()))
}

/// What `nok_stats` needs besides the rows.
pub struct NokRequest<'a> {
    /// The questionnaire (latest version: its items say which feed which indicator).
    pub questionnaire: &'a Questionnaire,
    /// The checklists' year.
    pub year: i32,
    /// Whether the org is above one institution (then plain means, no intervals).
    pub above_institution: bool,
    /// The empty-sub-population rule.
    pub rule: NokRule,
    /// The filter the rows were read with (for the bootstrap's raw responses).
    pub filter: &'a CountFilter<'a>,
    /// The org's code, seeding one institution's bootstrap.
    pub org_code: &'a str,
}

/// НОК figures: one score per institution (its own checklist for the year), then plain means
/// over the institutions that have a figure when the subtree holds more than one; the
/// bootstrap intervals for one institution.
///
/// # Errors
/// Database failure.
pub async fn nok_stats(
    deps: StatsDeps<'_>,
    rows: &[CountRow],
    r: &NokRequest<'_>,
) -> ServiceResult<NokStats> {
    let m = r.rule.apply(deps.methodology);
    let by_institution = counts_by_institution(rows);
    let ids: Vec<i64> = by_institution.keys().copied().collect();
    let checklists = deps.db.nok_checklists(&ids, r.year).await?;
    let scores: Vec<NokScore> = by_institution
        .iter()
        .map(|(id, counts)| institution_score(&m, r.questionnaire, counts, checklists.get(id)))
        .collect();
    let total = counts_of(rows, None);
    let n = total.responses();
    let mut ci95 = None;
    let (score, with_score) = match (r.above_institution, scores.as_slice()) {
        (false, [one]) => {
            ci95 = Some(
                institution_intervals(
                    deps.db,
                    &m,
                    r.questionnaire,
                    r.org_code,
                    checklists.get(&ids[0]),
                    r.filter,
                    r.rule,
                )
                .await?,
            );
            (one.clone(), None)
        }
        // No responses: every figure is missing, under the keys the questionnaire has (`null`,
        // not absent, as the contract says).
        (above, []) => (
            nok::score(&m, r.questionnaire, &BTreeMap::new(), None),
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
        methodology: m.version.clone(),
        n,
        indicator_n: indicator_n(&m, r.questionnaire, &total),
        low_n: n < deps.min_n,
        rule: r.rule,
        ci95,
    })
}
