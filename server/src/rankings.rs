//! `GET /api/v1/rankings`: every institution of a subtree with data, ranked by one figure in
//! tied groups ([`otklik_shared::ranking`]). The figures come from one read of the subtree's
//! rollups; only `nok_total` reads raw responses, for each institution's bootstrap interval.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Utc};
use otklik_shared::api::{RankedInstitution, RankingsReply};
use otklik_shared::org::OrgKind;
use otklik_shared::questionnaire::QuestionKind;
use otklik_shared::ranking::{self, Entry};
use otklik_shared::rollup::question_stats;
use serde::Deserialize;

use crate::auth::Caller;
use crate::db::orgs::OrgRow;
use crate::db::stats::CountFilter;
use crate::nok_figures::{counts_by_institution, institution_intervals, institution_score};
use crate::service_error::{ServiceError, ServiceResult};
use crate::stats::{day_range, parse_rule, readable_org, StatsDeps};
use crate::trends::headline_question;

/// Query parameters of `/rankings`.
#[derive(Debug, Clone, Deserialize)]
pub struct RankingsQuery {
    /// Org code: the root of the subtree.
    pub org: String,
    /// Questionnaire id.
    pub questionnaire: String,
    /// `satisfied`, `nps`, `yes` or `nok_total`.
    pub metric: String,
    /// The question (default `process`, `nps` or `overall` by metric).
    pub question: Option<String>,
    /// First day, inclusive.
    pub from: Option<String>,
    /// Last day, inclusive.
    pub to: Option<String>,
    /// The НОК empty-sub-population rule for `nok_total`.
    pub nok_rule: Option<String>,
}

/// What is ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Metric {
    /// A question's headline figure, of a question of this kind, by default this question.
    Question(QuestionKind, &'static str),
    /// The НОК total Sn.
    NokTotal,
}

impl Metric {
    fn parse(value: &str) -> ServiceResult<Self> {
        match value {
            "satisfied" => Ok(Self::Question(QuestionKind::Likert4, "process")),
            "nps" => Ok(Self::Question(QuestionKind::Nps, "nps")),
            "yes" => Ok(Self::Question(QuestionKind::YesNo, "overall")),
            "nok_total" => Ok(Self::NokTotal),
            other => Err(ServiceError::invalid_field(
                "invalid_metric",
                "metric",
                format!("metric must be satisfied, nps, yes or nok_total, got {other:?}"),
            )),
        }
    }
}

/// One institution's figure before ranking.
struct Figure {
    n: u64,
    value: Option<f64>,
    ci95: Option<[f64; 2]>,
    low_n: bool,
}

/// Ranks the subtree's institutions after checking the caller may read the figures.
///
/// # Errors
/// Bad dates or rule (400), denied role or scope (403), unknown org or questionnaire (404), a
/// bad metric, an unknown question or one of the wrong kind, `nok_total` of a questionnaire
/// that is not НОК (422), internal on a database failure.
#[tracing::instrument(skip_all, fields(org = %q.org, questionnaire = %q.questionnaire))]
pub async fn compute(
    deps: StatsDeps<'_>,
    caller: &Caller,
    q: &RankingsQuery,
) -> ServiceResult<RankingsReply> {
    let (from, to) = day_range(q.from.as_deref(), q.to.as_deref())?;
    let rule = parse_rule(q.nok_rule.as_deref())?;
    let org = readable_org(deps, caller, &q.org).await?;
    let metric = Metric::parse(&q.metric)?;
    let filter = CountFilter {
        under: &org.path,
        questionnaire: &q.questionnaire,
        point: None,
        life_situation: None,
        stage: None,
        from,
        to,
    };
    let institutions: HashMap<i64, OrgRow> = deps
        .db
        .list_orgs(org.path.as_str(), None)
        .await?
        .into_iter()
        .filter(|o| o.kind == OrgKind::Institution)
        .map(|o| (o.id, o))
        .collect();
    let figures = match metric {
        Metric::Question(kind, default) => {
            let id = q.question.as_deref().unwrap_or(default);
            let question = headline_question(deps, &q.questionnaire, id).await?;
            if question.kind != kind {
                return Err(ServiceError::invalid_field(
                    "invalid_question",
                    "question",
                    format!("{id} does not carry the metric {}", q.metric),
                ));
            }
            let rows = deps.db.question_counts(&filter, &question.id).await?;
            counts_by_institution(&rows)
                .into_iter()
                .filter_map(|(id, counts)| {
                    let h = question_stats(&question, &counts, deps.min_n).headline()?;
                    let figure = Figure {
                        n: h.n,
                        value: h.value,
                        ci95: h.ci95,
                        low_n: h.low_n,
                    };
                    Some((id, figure))
                })
                .collect()
        }
        Metric::NokTotal => nok_totals(deps, &filter, &institutions, to, rule).await?,
    };
    let entries = figures
        .into_iter()
        .filter_map(|(id, f)| {
            let org = institutions.get(&id)?;
            Some(Entry {
                key: (org.code.clone(), org.name.clone(), f.n),
                value: f.value,
                ci95: f.ci95,
                low_n: f.low_n,
            })
        })
        .collect();
    let institutions = ranking::rank(entries)
        .into_iter()
        .map(|p| {
            let (org, name, n) = p.entry.key;
            RankedInstitution {
                org,
                name,
                n,
                value: p.entry.value,
                ci95: p.entry.ci95,
                low_n: p.entry.low_n,
                rank: p.rank,
                group: p.group,
            }
        })
        .collect();
    Ok(RankingsReply {
        rule: ranking::RULE.to_owned(),
        institutions,
    })
}

/// Each institution's Sn with its bootstrap interval; low n by its НОК respondents.
async fn nok_totals(
    deps: StatsDeps<'_>,
    filter: &CountFilter<'_>,
    institutions: &HashMap<i64, OrgRow>,
    to: Option<chrono::NaiveDate>,
    rule: otklik_shared::nok::NokRule,
) -> ServiceResult<BTreeMap<i64, Figure>> {
    let latest = deps
        .catalog
        .get(deps.db, filter.questionnaire, None)
        .await?
        .ok_or_else(|| {
            ServiceError::not_found(
                "unknown_questionnaire",
                format!("no questionnaire {}", filter.questionnaire),
            )
        })?;
    if !latest.nok {
        return Err(ServiceError::invalid_field(
            "invalid_metric",
            "metric",
            format!("{} is not a НОК questionnaire", latest.id),
        ));
    }
    let m = rule.apply(deps.methodology);
    let year = to.map_or_else(|| Utc::now().year(), |d| d.year());
    let rows = deps.db.rollup_counts(filter).await?;
    let by_institution = counts_by_institution(&rows);
    let ids: Vec<i64> = by_institution.keys().copied().collect();
    let checklists = deps.db.nok_checklists(&ids, year).await?;
    let mut out = BTreeMap::new();
    for (id, counts) in by_institution {
        let Some(org) = institutions.get(&id) else {
            continue;
        };
        let checklist = checklists.get(&id);
        let value = institution_score(&m, &latest, &counts, checklist).total;
        let ci95 = match value {
            Some(_) => {
                let own = CountFilter {
                    under: &org.path,
                    ..filter.clone()
                };
                institution_intervals(deps.db, &m, &latest, &org.code, checklist, &own, rule)
                    .await?
                    .remove("total")
                    .flatten()
            }
            None => None,
        };
        let n = counts.responses();
        let figure = Figure {
            n,
            value,
            ci95,
            low_n: n < deps.min_n,
        };
        out.insert(id, figure);
    }
    Ok(out)
}
