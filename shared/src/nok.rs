//! НОК (344н) indicators, criteria K1–K5 and the total score Sn.
//!
//! The calculation is data: weights, checklist item lists and points, and the methods for the
//! disputed cases live in a versioned [`NokMethodology`] (`shared/data/nok-methodology.v1.json`,
//! loaded by [`crate::catalog::nok_methodology`]), so a correction is a new table version, not
//! a code change. Which questionnaire item feeds which indicator is not in the table: it is the
//! questionnaire's own `indicator` field, so a questionnaire without `timely` simply has no 2.2.
//!
//! Three kinds of "no value" are kept apart, because each is handled differently:
//! - **absent** — the questionnaire has no item for a survey indicator (2.2 in education and
//!   culture): the indicator is left out of [`NokScore::indicators`] and its weight is
//!   renormalised away in every method, which is exactly how 344н gets K2 = 0.5·П2.1 + 0.5·П2.3;
//! - **empty sub-population** — respondents exist but nobody reached the item (no disabled
//!   respondents for 3.3): [`EmptyRule`] decides between "no data, renormalise" and "0 points";
//! - **missing source** — no checklist for the period, or no respondents at all: the indicators
//!   are `None` and every criterion that needs them is `None`, so the total is `None`. A score
//!   made of half the inputs would rank an institution on data nobody collected.
//!
//! Everything keeps full precision; only display rounds. Operators round every step to two
//! decimals, so their published figures may differ from ours by up to ±0.05.

pub mod bootstrap;
mod checklist;
mod methodology;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use checklist::{Checklist, ChecklistError, StandSiteCounts};
pub use methodology::{
    ChecklistItem, CombineRule, CriterionDef, EmptyRule, IndicatorDef, IndicatorSource,
    MethodOption, MethodOptions, Methods, NokMethodology, PointsRule, TotalRule,
};

use crate::questionnaire::Questionnaire;
use crate::score::{share_pct, wilson95};

/// The empty-sub-population rule as the API names it (`&nok_rule=`, `nok.rule`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NokRule {
    /// «Правило Otklik» (default): [`EmptyRule::Renormalise`].
    #[default]
    Otklik,
    /// «Как у операторов»: [`EmptyRule::Zero`].
    Operators,
}

impl NokRule {
    /// The methodology's empty-sub-population method this rule stands for.
    pub fn empty(self) -> EmptyRule {
        match self {
            Self::Otklik => EmptyRule::Renormalise,
            Self::Operators => EmptyRule::Zero,
        }
    }

    /// The wire name (`otklik`, `operators`), also a bootstrap seed part.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Otklik => "otklik",
            Self::Operators => "operators",
        }
    }

    /// `m` with this rule's empty-sub-population method, the other methods unchanged.
    pub fn apply(self, m: &NokMethodology) -> NokMethodology {
        let mut m = m.clone();
        m.methods.empty = self.empty();
        m
    }
}

/// «Да» answers and all answers of one Да/Нет item, over the respondents who reached it.
///
/// `n` counts answers, not respondents: a respondent skipped past the item is not in it, which
/// is what makes the 1.3, 3.3 and 4.3 sub-populations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct YesNoCounts {
    /// «Да» answers (never more than `n`).
    pub yes: u64,
    /// All answers.
    pub n: u64,
}

impl YesNoCounts {
    /// Adds `count` answers of `yes` («Да» when `true`).
    pub fn add(&mut self, yes: bool, count: u64) {
        self.n += count;
        if yes {
            self.yes += count;
        }
    }

    /// Share of «Да», 0–100; `None` without answers.
    pub fn yes_pct(&self) -> Option<f64> {
        share_pct(self.yes, self.n)
    }

    /// Wilson 95 % interval of the share of «Да».
    pub fn ci95(&self) -> Option<[f64; 2]> {
        wilson95(self.yes, self.n)
    }
}

/// НОК figures of one institution (or, from [`mean_over_institutions`], of a group).
///
/// An indicator the questionnaire does not have (2.2 in education and culture) is not a key of
/// `indicators`; `None` means no data (no checklist, no respondents, or an empty sub-population
/// under [`EmptyRule::Renormalise`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NokScore {
    /// Indicators `"1.1"` … `"5.3"`, 0–100.
    pub indicators: BTreeMap<String, Option<f64>>,
    /// Criteria `"K1"` … `"K5"`, 0–100.
    pub criteria: BTreeMap<String, Option<f64>>,
    /// Total score Sn, 0–100; `None` unless every criterion has a value.
    pub total: Option<f64>,
}

impl NokScore {
    /// Whether any indicator, criterion or the total has a value.
    pub fn has_figures(&self) -> bool {
        self.total.is_some()
            || self.indicators.values().any(Option::is_some)
            || self.criteria.values().any(Option::is_some)
    }
}

/// One indicator's value inside [`score`], before "absent" and "missing" collapse into the map.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Figure {
    /// The questionnaire has no item for it: its weight is renormalised away.
    Absent,
    /// Its source is missing (no checklist, no respondents): criteria needing it are `None`.
    Missing,
    /// Empty sub-population under [`EmptyRule::Renormalise`]: its weight is renormalised away.
    Empty,
    /// A value, 0–100.
    Value(f64),
}

/// Computes the НОК indicators, criteria and total of one institution.
///
/// `counts` holds the Да/Нет counts per question id of `questionnaire` (missing ids count as no
/// answers); `checklist` is the institution's checklist for the period, if entered. The methods
/// are `m.methods`. See the [module docs](self) for how absent, empty and missing values are
/// treated.
pub fn score(
    m: &NokMethodology,
    questionnaire: &Questionnaire,
    counts: &BTreeMap<String, YesNoCounts>,
    checklist: Option<&Checklist>,
) -> NokScore {
    // Filters are required and asked of everyone, so the widest item is the respondent count.
    let respondents = questionnaire
        .questions
        .iter()
        .filter_map(|q| counts.get(&q.id))
        .map(|c| c.n)
        .max()
        .unwrap_or(0);
    let checklist = checklist.map(|c| c.indicators(m));
    let figures: BTreeMap<&str, Figure> = m
        .indicators
        .iter()
        .map(|ind| {
            let figure = match ind.source {
                IndicatorSource::Survey => {
                    survey_figure(m.methods, questionnaire, counts, &ind.code, respondents)
                }
                _ => checklist
                    .as_ref()
                    .and_then(|c| c.get(&ind.code))
                    .map_or(Figure::Missing, |v| Figure::Value(*v)),
            };
            (ind.code.as_str(), figure)
        })
        .collect();
    let criteria: BTreeMap<String, Option<f64>> = m
        .criteria
        .iter()
        .map(|c| (c.code.clone(), criterion(&c.weights, &figures)))
        .collect();
    let total = match m.methods.total {
        TotalRule::Mean => criteria
            .values()
            .copied()
            .collect::<Option<Vec<f64>>>()
            .and_then(|values| mean(values.into_iter())),
    };
    let indicators = figures
        .into_iter()
        .filter_map(|(code, figure)| {
            let value = match figure {
                Figure::Absent => return None,
                Figure::Missing | Figure::Empty => None,
                Figure::Value(v) => Some(v),
            };
            Some((code.to_owned(), value))
        })
        .collect();
    NokScore {
        indicators,
        criteria,
        total,
    }
}

/// A survey indicator: the items whose `indicator` is `code`, combined and with the empty rule.
fn survey_figure(
    methods: Methods,
    questionnaire: &Questionnaire,
    counts: &BTreeMap<String, YesNoCounts>,
    code: &str,
    respondents: u64,
) -> Figure {
    let items: Vec<YesNoCounts> = questionnaire
        .questions
        .iter()
        .filter(|q| q.indicator.as_deref() == Some(code))
        .map(|q| counts.get(&q.id).copied().unwrap_or_default())
        .collect();
    if items.is_empty() {
        return Figure::Absent;
    }
    if respondents == 0 {
        return Figure::Missing;
    }
    // The empty rule in one place: "no data" stays `None` (and drops out of a mean), or is 0.
    let fill = |share: Option<f64>| match methods.empty {
        EmptyRule::Renormalise => share,
        EmptyRule::Zero => share.or(Some(0.0)),
    };
    let share = match methods.combine {
        CombineRule::Mean => mean(items.iter().filter_map(|c| fill(c.yes_pct()))),
        CombineRule::Pool => {
            let pooled = items
                .iter()
                .fold(YesNoCounts::default(), |acc, c| YesNoCounts {
                    yes: acc.yes + c.yes,
                    n: acc.n + c.n,
                });
            fill(pooled.yes_pct())
        }
    };
    share.map_or(Figure::Empty, Figure::Value)
}

/// A weighted sum over the indicators that have values, divided by their weights: absent and
/// empty indicators drop out (renormalisation); a missing one makes the criterion `None`.
fn criterion(weights: &BTreeMap<String, f64>, figures: &BTreeMap<&str, Figure>) -> Option<f64> {
    let (mut sum, mut weight) = (0.0, 0.0);
    for (code, w) in weights {
        match figures.get(code.as_str()) {
            Some(Figure::Missing) => return None,
            Some(Figure::Value(v)) => {
                sum += w * v;
                weight += w;
            }
            Some(Figure::Absent | Figure::Empty) | None => {}
        }
    }
    (weight > 0.0).then(|| sum / weight)
}

/// The plain mean; `None` of nothing.
fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0u32), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}

/// Plain means of the institutions' figures, each over the institutions that have it, and the
/// number of institutions with any figure (`contract.md` §4: the published regional totals are
/// such means, not scores of pooled answers).
pub fn mean_over_institutions(scores: &[NokScore]) -> (NokScore, u64) {
    let mean_score = NokScore {
        indicators: mean_by_key(scores.iter().map(|s| &s.indicators)),
        criteria: mean_by_key(scores.iter().map(|s| &s.criteria)),
        total: mean(scores.iter().filter_map(|s| s.total)),
    };
    let institutions = scores.iter().filter(|s| s.has_figures()).count() as u64;
    (mean_score, institutions)
}

/// Per key, the mean of the values present; `None` for a key no map has a value for.
fn mean_by_key<'a>(
    maps: impl Iterator<Item = &'a BTreeMap<String, Option<f64>>>,
) -> BTreeMap<String, Option<f64>> {
    let mut by_key: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for map in maps {
        for (key, value) in map {
            by_key.entry(key.clone()).or_default().extend(*value);
        }
    }
    by_key
        .into_iter()
        .map(|(key, values)| (key, mean(values.into_iter())))
        .collect()
}

#[cfg(test)]
mod tests;
