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

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::org::Sector;
use crate::questionnaire::Questionnaire;
use crate::score::{share_pct, wilson95};

/// A versioned НОК calculation table, as shipped in `nok-methodology.v<N>.json`.
///
/// There is deliberately no `Default`: the only source of a methodology is the data file (or a
/// corrected copy of it in the database), so every figure can name the table that produced it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NokMethodology {
    /// Version tag that every export and report names (`nok-344n.v1`).
    pub version: String,
    /// Human title of the table.
    pub title: String,
    /// What the table does and what still needs checking, for the «Методика» sheet.
    pub note: String,
    /// The methods applied by [`score`]; the file holds the defaults, a caller may switch them.
    pub methods: Methods,
    /// Every method the table offers, with the labels the UI shows.
    pub options: MethodOptions,
    /// Indicators `1.1` … `5.3`, with where their value comes from.
    pub indicators: Vec<IndicatorDef>,
    /// Criteria `K1` … `K5` as weighted sums of indicators.
    pub criteria: Vec<CriterionDef>,
}

/// The methods a НОК score is computed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Methods {
    /// What an empty sub-population scores.
    pub empty: EmptyRule,
    /// How an indicator fed by several items (П1.3: stands and site) combines them.
    pub combine: CombineRule,
    /// How the total is made of the criteria.
    pub total: TotalRule,
}

/// What a survey indicator scores when nobody reached its item (an empty sub-population).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmptyRule {
    /// «Правило Otklik» (default): no data; the criterion uses the remaining weights
    /// renormalised, as 344н itself does for the culture and education K2.
    Renormalise,
    /// «Как у операторов»: 0 points, weights unchanged.
    Zero,
}

/// How the shares of several items feeding one indicator are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CombineRule {
    /// The mean of the item shares (default; П1.3 = ½(stand share + site share)).
    Mean,
    /// All «Да» over all answers of the items (the 344н body may mean this; to be verified).
    Pool,
}

/// How the total score Sn is made of the criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TotalRule {
    /// Sn = (K1 + … + K5) / 5, the adopted 344н rule. The 20/20/15/15/30 weighting of the
    /// pre-adoption draft is not offered.
    Mean,
}

/// The methods on offer, per choice, in display order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodOptions {
    /// Options for an empty sub-population.
    pub empty: Vec<MethodOption<EmptyRule>>,
    /// Options for combining items of one indicator.
    pub combine: Vec<MethodOption<CombineRule>>,
    /// Options for the total.
    pub total: Vec<MethodOption<TotalRule>>,
}

/// One method with the label and explanation officials see next to the figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodOption<T> {
    /// The method.
    pub id: T,
    /// Short UI label («правило Otklik», «как у операторов»).
    pub label: String,
    /// What it does, in one or two sentences.
    pub description: String,
    /// Not confirmed by a primary text: the UI marks it «требует сверки».
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub verify: bool,
}

/// One indicator of the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorDef {
    /// Code, `1.1` … `5.3`.
    pub code: String,
    /// The indicator's name (344н wording).
    pub name: String,
    /// Where the value comes from.
    #[serde(flatten)]
    pub source: IndicatorSource,
    /// What is unverified or sector-specific about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Where an indicator's value comes from: the survey or the expert checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum IndicatorSource {
    /// «Да» / answered × 100 over the questionnaire items whose `indicator` is this code.
    Survey,
    /// ½(present / required on stands + present / required on the site) × 100 (1.1).
    StandSite,
    /// Points per item present, capped (1.2, 2.1, 3.1, 3.2).
    ChecklistItems(PointsRule),
}

/// Scoring of a checklist list: `points` per distinct item present, at most `cap`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointsRule {
    /// Points per item present.
    pub points: f64,
    /// Highest score.
    pub cap: f64,
    /// The items an expert may tick.
    pub items: Vec<ChecklistItem>,
}

/// One item of a checklist list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChecklistItem {
    /// Stable wire id (`ramps`, `faq`…), the value in the checklist body.
    pub id: String,
    /// What the expert checks.
    pub name: String,
    /// The sectors the item applies to; empty = every sector. This is how a sector gets its own
    /// list (2.1) without forking the table.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<Sector>,
}

impl ChecklistItem {
    fn applies_to(&self, sector: Sector) -> bool {
        self.sectors.is_empty() || self.sectors.contains(&sector)
    }
}

/// One criterion: a weighted sum of indicators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionDef {
    /// Code, `K1` … `K5`.
    pub code: String,
    /// The criterion's name (344н wording).
    pub name: String,
    /// Weight per indicator code; they sum to 1.
    pub weights: BTreeMap<String, f64>,
}

impl NokMethodology {
    /// The indicator with this code, if any.
    pub fn indicator(&self, code: &str) -> Option<&IndicatorDef> {
        self.indicators.iter().find(|i| i.code == code)
    }

    /// Checks that the table is coherent: unique codes, every indicator in exactly one
    /// criterion, positive weights summing to 1, positive points and caps, unique item ids, and
    /// the chosen methods among the options. Run when a table is loaded, so a typo in the data
    /// fails at start-up rather than skewing published scores.
    ///
    /// # Errors
    /// A human-readable description of the first problem found.
    pub fn check(&self) -> Result<(), String> {
        let v = &self.version;
        let mut codes = BTreeSet::new();
        for ind in &self.indicators {
            if !codes.insert(ind.code.as_str()) {
                return Err(format!("{v}: indicator {} is repeated", ind.code));
            }
            if let IndicatorSource::ChecklistItems(rule) = &ind.source {
                if !(rule.points > 0.0 && rule.cap > 0.0) {
                    return Err(format!("{v}: {} needs positive points and cap", ind.code));
                }
                let mut ids = BTreeSet::new();
                if let Some(item) = rule.items.iter().find(|i| !ids.insert(i.id.as_str())) {
                    return Err(format!("{v}: {} lists item {} twice", ind.code, item.id));
                }
            }
        }
        let mut used = BTreeSet::new();
        let mut criteria = BTreeSet::new();
        for c in &self.criteria {
            if !criteria.insert(c.code.as_str()) {
                return Err(format!("{v}: criterion {} is repeated", c.code));
            }
            for (code, w) in &c.weights {
                if !codes.contains(code.as_str()) || !used.insert(code.as_str()) {
                    return Err(format!(
                        "{v}: {} weighs {code}, unknown or in another criterion",
                        c.code
                    ));
                }
                if *w <= 0.0 {
                    return Err(format!("{v}: {} gives {code} a weight ≤ 0", c.code));
                }
            }
            let sum: f64 = c.weights.values().sum();
            if (sum - 1.0).abs() > 1e-9 {
                return Err(format!(
                    "{v}: the weights of {} sum to {sum}, not 1",
                    c.code
                ));
            }
        }
        if let Some(orphan) = codes.difference(&used).next() {
            return Err(format!("{v}: indicator {orphan} is in no criterion"));
        }
        let m = &self.methods;
        let offered = self.options.empty.iter().any(|o| o.id == m.empty)
            && self.options.combine.iter().any(|o| o.id == m.combine)
            && self.options.total.iter().any(|o| o.id == m.total);
        if !offered {
            return Err(format!("{v}: a chosen method is not among the options"));
        }
        Ok(())
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

/// The expert checklist of one institution for one year: the body of
/// `PUT /api/v1/nok/checklists/{org}/{year}` (`contract.md` §5).
///
/// The item lists are keyed by indicator code (`"1.2"`, `"2.1"`, `"3.1"`, `"3.2"`) rather than
/// being fixed fields, so the lists follow the methodology table; an omitted list means no item
/// present (0 points).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checklist {
    /// Indicator 1.1: information items present vs required on stands and on the site.
    #[serde(rename = "1.1")]
    pub stand_site: StandSiteCounts,
    /// Item ids present, per indicator code of a [`IndicatorSource::ChecklistItems`] indicator.
    #[serde(flatten)]
    pub items: BTreeMap<String, Vec<String>>,
}

/// Counts for indicator 1.1: information items present vs required by law, stands and site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandSiteCounts {
    /// Items present on the information stands.
    pub stand_present: u32,
    /// Items the law requires on the stands.
    pub stand_required: u32,
    /// Items present on the official site.
    pub site_present: u32,
    /// Items the law requires on the site.
    pub site_required: u32,
}

impl StandSiteCounts {
    /// Both required counts positive and each present count at most its required one.
    pub fn is_valid(&self) -> bool {
        let half = |present: u32, required: u32| required > 0 && present <= required;
        half(self.stand_present, self.stand_required) && half(self.site_present, self.site_required)
    }

    /// ½(stand_present / stand_required + site_present / site_required) × 100; `None` when the
    /// counts are not [valid](Self::is_valid), so a bad entry never scores above 100 or divides
    /// by zero.
    pub fn pct(&self) -> Option<f64> {
        self.is_valid().then(|| {
            let stand = f64::from(self.stand_present) / f64::from(self.stand_required);
            let site = f64::from(self.site_present) / f64::from(self.site_required);
            (stand + site) / 2.0 * 100.0
        })
    }
}

/// Why a checklist is refused (`422`); serialised with a `code` tag for the error details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ChecklistError {
    /// 1.1 needs positive required counts and present counts not above them.
    #[error("1.1: the required counts must be positive and the present ones not above them")]
    InvalidCounts,
    /// A list under a code that is not a checklist list of the methodology.
    #[error("{indicator}: not a checklist list")]
    UnknownIndicator {
        /// The code given.
        indicator: String,
    },
    /// An item id the list does not have for the institution's sector.
    #[error("{indicator}: unknown item {item}")]
    UnknownItem {
        /// The indicator code.
        indicator: String,
        /// The item id given.
        item: String,
    },
    /// One item listed twice (it would not score twice, but it is a keying error).
    #[error("{indicator}: item {item} is listed twice")]
    DuplicateItem {
        /// The indicator code.
        indicator: String,
        /// The repeated item id.
        item: String,
    },
}

impl Checklist {
    /// Checks the checklist against the methodology's lists for an institution of `sector`.
    ///
    /// # Errors
    /// The first problem found: invalid 1.1 counts, a list under an unknown code, an item the
    /// sector's list does not have, or an item listed twice.
    pub fn validate(&self, m: &NokMethodology, sector: Sector) -> Result<(), ChecklistError> {
        if !self.stand_site.is_valid() {
            return Err(ChecklistError::InvalidCounts);
        }
        for (code, given) in &self.items {
            let Some(IndicatorSource::ChecklistItems(rule)) = m.indicator(code).map(|i| &i.source)
            else {
                return Err(ChecklistError::UnknownIndicator {
                    indicator: code.clone(),
                });
            };
            let mut seen = BTreeSet::new();
            for id in given {
                let known = rule
                    .items
                    .iter()
                    .any(|i| i.id == *id && i.applies_to(sector));
                let (indicator, item) = (code.clone(), id.clone());
                if !known {
                    return Err(ChecklistError::UnknownItem { indicator, item });
                }
                if !seen.insert(id.as_str()) {
                    return Err(ChecklistError::DuplicateItem { indicator, item });
                }
            }
        }
        Ok(())
    }

    /// The checklist indicators (1.1, 1.2, 2.1, 3.1, 3.2 in the v1 table), 0–100.
    ///
    /// Counts each item of the methodology's list at most once and ignores ids it does not know,
    /// so an unvalidated checklist cannot overscore; 1.1 is left out when its counts are invalid.
    /// Call [`Checklist::validate`] first to tell the expert what is wrong.
    pub fn indicators(&self, m: &NokMethodology) -> BTreeMap<String, f64> {
        let mut out = BTreeMap::new();
        for ind in &m.indicators {
            let value = match &ind.source {
                IndicatorSource::Survey => None,
                IndicatorSource::StandSite => self.stand_site.pct(),
                IndicatorSource::ChecklistItems(rule) => {
                    let given = self.items.get(&ind.code).map_or(&[][..], Vec::as_slice);
                    let present = rule.items.iter().filter(|i| given.contains(&i.id)).count();
                    Some((present as f64 * rule.points).min(rule.cap))
                }
            };
            if let Some(v) = value {
                out.insert(ind.code.clone(), v);
            }
        }
        out
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
mod tests {
    use serde_json::json;

    use super::*;
    use crate::catalog::{builtin_questionnaires, nok_methodology};

    fn methodology() -> NokMethodology {
        nok_methodology().expect("the built-in methodology loads")
    }

    fn with_methods(empty: EmptyRule, combine: CombineRule) -> NokMethodology {
        let mut m = methodology();
        m.methods.empty = empty;
        m.methods.combine = combine;
        m
    }

    fn questionnaire(id: &str) -> Questionnaire {
        let all = builtin_questionnaires().expect("built-in questionnaires load");
        all.into_iter()
            .find(|q| q.id == id)
            .expect("questionnaire exists")
    }

    /// The hand-computed institution: 100 respondents.
    fn counts() -> BTreeMap<String, YesNoCounts> {
        [
            ("info_stand_used", 60, 100),
            ("info_stand", 54, 60),
            ("info_site_used", 40, 100),
            ("info_site", 30, 40),
            ("timely", 80, 100),
            ("comfort", 90, 100),
            ("disability", 20, 100),
            ("accessibility", 15, 20),
            ("courtesy_first", 95, 100),
            ("courtesy_service", 92, 100),
            ("remote_used", 50, 100),
            ("courtesy_remote", 45, 50),
            ("recommend", 85, 100),
            ("org_conditions", 88, 100),
            ("overall", 90, 100),
        ]
        .into_iter()
        .map(|(q, yes, n)| (q.to_owned(), YesNoCounts { yes, n }))
        .collect()
    }

    /// `counts` where nobody reached `item`: its filter was answered «Нет» by everyone.
    fn nobody_reached(
        mut c: BTreeMap<String, YesNoCounts>,
        item: &str,
        filter: &str,
    ) -> BTreeMap<String, YesNoCounts> {
        c.insert(item.to_owned(), YesNoCounts::default());
        c.insert(filter.to_owned(), YesNoCounts { yes: 0, n: 100 });
        c
    }

    /// 1.1 = 90, 1.2 = 100 (5 × 30 capped), 2.1 = 80, 3.1 = 60, 3.2 = 40.
    fn checklist() -> Checklist {
        serde_json::from_value(json!({
            "1.1": {"stand_present": 9, "stand_required": 10, "site_present": 18, "site_required": 20},
            "1.2": ["phone", "email", "e_services", "faq", "survey"],
            "2.1": ["waiting_zone", "navigation", "drinking_water", "sanitary_rooms"],
            "3.1": ["ramps", "parking", "adapted_doors"],
            "3.2": ["braille", "escort"]
        }))
        .expect("a checklist body")
    }

    fn assert_close(actual: Option<f64>, expected: f64, what: &str) {
        let actual = actual.unwrap_or_else(|| panic!("{what}: no value, expected {expected}"));
        assert!(
            (actual - expected).abs() < 1e-9,
            "{what}: {actual} ≠ {expected}"
        );
    }

    fn figure(map: &BTreeMap<String, Option<f64>>, key: &str) -> Option<f64> {
        map.get(key).copied().flatten()
    }

    #[test]
    fn the_builtin_methodology_defaults_to_the_otklik_rule_and_the_mean_of_shares() {
        let m = methodology();
        assert_eq!(
            m.methods,
            Methods {
                empty: EmptyRule::Renormalise,
                combine: CombineRule::Mean,
                total: TotalRule::Mean
            }
        );
        let label = |rule| {
            m.options
                .empty
                .iter()
                .find(|o| o.id == rule)
                .map(|o| o.label.as_str())
        };
        assert_eq!(label(EmptyRule::Renormalise), Some("правило Otklik"));
        assert_eq!(label(EmptyRule::Zero), Some("как у операторов"));
        assert!(m
            .options
            .combine
            .iter()
            .any(|o| o.id == CombineRule::Pool && o.verify));
    }

    #[test]
    fn every_nok_item_feeds_a_survey_indicator_of_the_methodology() {
        let m = methodology();
        for q in builtin_questionnaires()
            .expect("load")
            .iter()
            .filter(|q| q.nok)
        {
            for item in &q.questions {
                let Some(code) = item.indicator.as_deref() else {
                    continue;
                };
                if code == "filter" || code == "profile" {
                    continue;
                }
                let source = m.indicator(code).map(|i| &i.source);
                assert_eq!(
                    source,
                    Some(&IndicatorSource::Survey),
                    "{} {}",
                    q.id,
                    item.id
                );
            }
        }
    }

    #[test]
    fn a_methodology_whose_weights_do_not_sum_to_1_fails_its_check() {
        let mut m = methodology();
        m.criteria[0].weights.insert("1.1".to_owned(), 0.5);
        assert!(m.check().is_err());
    }

    #[test]
    fn a_methodology_with_an_indicator_in_no_criterion_fails_its_check() {
        let mut m = methodology();
        m.criteria[4].weights.remove("5.2");
        m.criteria[4].weights.insert("5.3".to_owned(), 0.7);
        assert!(m.check().unwrap_err().contains("5.2"));
    }

    #[test]
    fn the_social_institution_scores_as_computed_by_hand() {
        let s = score(
            &methodology(),
            &questionnaire("nok-social"),
            &counts(),
            Some(&checklist()),
        );
        let expected_indicators = [
            ("1.1", 90.0),
            ("1.2", 100.0),
            ("1.3", 82.5),
            ("2.1", 80.0),
            ("2.2", 80.0),
            ("2.3", 90.0),
            ("3.1", 60.0),
            ("3.2", 40.0),
            ("3.3", 75.0),
            ("4.1", 95.0),
            ("4.2", 92.0),
            ("4.3", 90.0),
            ("5.1", 85.0),
            ("5.2", 88.0),
            ("5.3", 90.0),
        ];
        assert_eq!(s.indicators.len(), expected_indicators.len());
        for (code, value) in expected_indicators {
            assert_close(figure(&s.indicators, code), value, code);
        }
        // K1 = .3·90 + .3·100 + .4·82.5; K2 = .3·80 + .4·80 + .3·90; K3 = .3·60 + .4·40 + .3·75;
        // K4 = .4·95 + .4·92 + .2·90; K5 = .3·85 + .2·88 + .5·90.
        for (code, value) in [
            ("K1", 90.0),
            ("K2", 83.0),
            ("K3", 56.5),
            ("K4", 92.8),
            ("K5", 88.1),
        ] {
            assert_close(figure(&s.criteria, code), value, code);
        }
        assert_close(s.total, 410.4 / 5.0, "total");
    }

    #[test]
    fn k2_has_the_waiting_item_in_social_and_health_and_is_half_and_half_in_education_and_culture()
    {
        let m = methodology();
        for (id, k2, total) in [
            ("nok-social", 83.0, 410.4 / 5.0),
            ("nok-health", 83.0, 410.4 / 5.0),
            ("nok-education", 0.5 * 80.0 + 0.5 * 90.0, 412.4 / 5.0),
            ("nok-culture", 0.5 * 80.0 + 0.5 * 90.0, 412.4 / 5.0),
        ] {
            let s = score(&m, &questionnaire(id), &counts(), Some(&checklist()));
            assert_close(figure(&s.criteria, "K2"), k2, id);
            assert_close(s.total, total, id);
            let has_waiting = s.indicators.contains_key("2.2");
            assert_eq!(
                has_waiting,
                id == "nok-social" || id == "nok-health",
                "{id}: 2.2 key"
            );
        }
    }

    #[test]
    fn the_structurally_absent_waiting_item_is_renormalised_away_in_the_zero_method_too() {
        let m = with_methods(EmptyRule::Zero, CombineRule::Mean);
        let s = score(
            &m,
            &questionnaire("nok-culture"),
            &counts(),
            Some(&checklist()),
        );
        assert_close(figure(&s.criteria, "K2"), 85.0, "K2");
    }

    #[test]
    fn an_empty_disability_sub_population_is_no_data_under_the_otklik_rule() {
        let counts = nobody_reached(counts(), "accessibility", "disability");
        let s = score(
            &methodology(),
            &questionnaire("nok-social"),
            &counts,
            Some(&checklist()),
        );
        assert_eq!(s.indicators.get("3.3"), Some(&None));
        // (.3·60 + .4·40) / (.3 + .4)
        assert_close(figure(&s.criteria, "K3"), 34.0 / 0.7, "K3");
        assert_close(
            s.total,
            (90.0 + 83.0 + 34.0 / 0.7 + 92.8 + 88.1) / 5.0,
            "total",
        );
    }

    #[test]
    fn an_empty_disability_sub_population_scores_0_as_operators_do() {
        let m = with_methods(EmptyRule::Zero, CombineRule::Mean);
        let counts = nobody_reached(counts(), "accessibility", "disability");
        let s = score(
            &m,
            &questionnaire("nok-social"),
            &counts,
            Some(&checklist()),
        );
        assert_close(figure(&s.indicators, "3.3"), 0.0, "3.3");
        assert_close(figure(&s.criteria, "K3"), 34.0, "K3");
    }

    #[test]
    fn with_nobody_using_the_site_1_3_is_the_stand_share_or_half_of_it() {
        let counts = nobody_reached(counts(), "info_site", "info_site_used");
        let cases = [
            (EmptyRule::Renormalise, CombineRule::Mean, 90.0),
            (EmptyRule::Zero, CombineRule::Mean, 45.0),
            (EmptyRule::Renormalise, CombineRule::Pool, 90.0),
            (EmptyRule::Zero, CombineRule::Pool, 90.0),
        ];
        for (empty, combine, p13) in cases {
            let m = with_methods(empty, combine);
            let s = score(
                &m,
                &questionnaire("nok-social"),
                &counts,
                Some(&checklist()),
            );
            let what = format!("{empty:?}/{combine:?}");
            assert_close(figure(&s.indicators, "1.3"), p13, &what);
            assert_close(figure(&s.criteria, "K1"), 27.0 + 30.0 + 0.4 * p13, &what);
        }
    }

    #[test]
    fn pooling_1_3_divides_all_yes_by_all_answers() {
        let m = with_methods(EmptyRule::Renormalise, CombineRule::Pool);
        let s = score(
            &m,
            &questionnaire("nok-social"),
            &counts(),
            Some(&checklist()),
        );
        assert_close(figure(&s.indicators, "1.3"), 84.0, "(54 + 30) / (60 + 40)");
    }

    #[test]
    fn an_empty_1_3_on_both_halves_renormalises_k1_onto_the_checklist() {
        let counts = nobody_reached(counts(), "info_site", "info_site_used");
        let counts = nobody_reached(counts, "info_stand", "info_stand_used");
        let s = score(
            &methodology(),
            &questionnaire("nok-social"),
            &counts,
            Some(&checklist()),
        );
        assert_eq!(s.indicators.get("1.3"), Some(&None));
        assert_close(figure(&s.criteria, "K1"), (27.0 + 30.0) / 0.6, "K1");
    }

    #[test]
    fn without_a_checklist_the_checklist_criteria_and_the_total_are_none() {
        for empty in [EmptyRule::Renormalise, EmptyRule::Zero] {
            let m = with_methods(empty, CombineRule::Mean);
            let s = score(&m, &questionnaire("nok-social"), &counts(), None);
            for code in ["1.1", "1.2", "2.1", "3.1", "3.2"] {
                assert_eq!(s.indicators.get(code), Some(&None), "{code}");
            }
            for code in ["K1", "K2", "K3"] {
                assert_eq!(s.criteria.get(code), Some(&None), "{code}");
            }
            assert_close(figure(&s.criteria, "K4"), 92.8, "K4");
            assert_close(figure(&s.criteria, "K5"), 88.1, "K5");
            assert_eq!(s.total, None);
        }
    }

    #[test]
    fn without_respondents_there_is_no_survey_score_in_either_method() {
        for empty in [EmptyRule::Renormalise, EmptyRule::Zero] {
            let m = with_methods(empty, CombineRule::Mean);
            let s = score(
                &m,
                &questionnaire("nok-social"),
                &BTreeMap::new(),
                Some(&checklist()),
            );
            assert_eq!(s.indicators.get("5.3"), Some(&None), "{empty:?}");
            assert_eq!(s.criteria.get("K1"), Some(&None), "{empty:?}");
            assert_eq!(s.criteria.get("K4"), Some(&None), "{empty:?}");
            assert_close(
                figure(&s.indicators, "1.1"),
                90.0,
                "the checklist still shows",
            );
            assert_eq!(s.total, None);
        }
    }

    #[test]
    fn the_contract_checklist_validates_and_scores_capped_points() {
        let body = json!({
            "1.1": {"stand_present": 9, "stand_required": 10, "site_present": 18, "site_required": 20},
            "1.2": ["phone", "email", "e_services", "faq", "survey"],
            "2.1": ["waiting_zone", "navigation", "drinking_water", "sanitary_rooms", "sanitary_state", "transport", "booking"],
            "3.1": ["ramps", "parking", "adapted_doors", "wheelchairs", "sanitary_equipped"],
            "3.2": ["sound_visual", "braille", "sign_language", "low_vision_site", "escort", "remote_service"]
        });
        let checklist: Checklist = serde_json::from_value(body.clone()).expect("parses");
        let m = methodology();
        assert_eq!(checklist.validate(&m, Sector::Social), Ok(()));
        let expected: BTreeMap<String, f64> = [
            ("1.1", 90.0),
            ("1.2", 100.0),
            ("2.1", 100.0),
            ("3.1", 100.0),
            ("3.2", 100.0),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        assert_eq!(checklist.indicators(&m), expected);
        assert_eq!(serde_json::to_value(&checklist).expect("serialises"), body);
    }

    #[test]
    fn checklist_points_are_per_item_and_an_omitted_list_scores_0() {
        let mut c = checklist();
        c.items.insert(
            "1.2".to_owned(),
            vec!["phone".to_owned(), "other".to_owned()],
        );
        c.items.remove("3.2");
        let got = c.indicators(&methodology());
        assert_eq!(
            (got["1.2"], got["2.1"], got["3.1"], got["3.2"]),
            (60.0, 80.0, 60.0, 0.0)
        );
        assert_eq!(c.validate(&methodology(), Sector::Culture), Ok(()));
    }

    #[test]
    fn indicator_1_1_is_the_mean_of_the_stand_and_site_completeness() {
        let counts = StandSiteCounts {
            stand_present: 3,
            stand_required: 4,
            site_present: 10,
            site_required: 10,
        };
        assert_eq!(counts.pct(), Some(87.5));
        let zero_required = StandSiteCounts {
            stand_required: 0,
            ..counts
        };
        assert_eq!(zero_required.pct(), None);
    }

    #[test]
    fn a_checklist_with_unknown_or_repeated_items_or_bad_counts_is_refused() {
        let m = methodology();
        let refuse = |edit: fn(&mut Checklist)| {
            let mut c = checklist();
            edit(&mut c);
            c.validate(&m, Sector::Social).expect_err("refused")
        };
        assert_eq!(
            refuse(|c| c
                .items
                .entry("3.1".to_owned())
                .or_default()
                .push("elevator".to_owned())),
            ChecklistError::UnknownItem {
                indicator: "3.1".to_owned(),
                item: "elevator".to_owned()
            }
        );
        assert_eq!(
            refuse(|c| c
                .items
                .entry("1.2".to_owned())
                .or_default()
                .push("faq".to_owned())),
            ChecklistError::DuplicateItem {
                indicator: "1.2".to_owned(),
                item: "faq".to_owned()
            }
        );
        assert_eq!(
            refuse(|c| {
                c.items.insert("1.3".to_owned(), vec![]);
            }),
            ChecklistError::UnknownIndicator {
                indicator: "1.3".to_owned()
            }
        );
        assert_eq!(
            refuse(|c| c.stand_site.site_present = 21),
            ChecklistError::InvalidCounts
        );
        assert_eq!(
            refuse(|c| c.stand_site.stand_required = 0),
            ChecklistError::InvalidCounts
        );
    }

    #[test]
    fn a_sector_specific_item_is_accepted_only_in_its_sector() {
        let mut m = methodology();
        let Some(IndicatorSource::ChecklistItems(rule)) = m
            .indicators
            .iter_mut()
            .find(|i| i.code == "2.1")
            .map(|i| &mut i.source)
        else {
            panic!("2.1 is a checklist list");
        };
        rule.items.push(ChecklistItem {
            id: "wardrobe".to_owned(),
            name: "Гардероб".to_owned(),
            sectors: vec![Sector::Culture],
        });
        let mut c = checklist();
        c.items
            .insert("2.1".to_owned(), vec!["wardrobe".to_owned()]);
        assert_eq!(c.validate(&m, Sector::Culture), Ok(()));
        assert!(matches!(
            c.validate(&m, Sector::Health),
            Err(ChecklistError::UnknownItem { .. })
        ));
    }

    #[test]
    fn checklist_errors_carry_their_code_for_the_error_details() {
        let e = ChecklistError::UnknownItem {
            indicator: "3.1".to_owned(),
            item: "elevator".to_owned(),
        };
        assert_eq!(
            serde_json::to_value(&e).expect("serialises"),
            json!({"code": "unknown_item", "indicator": "3.1", "item": "elevator"})
        );
    }

    #[test]
    fn the_mean_over_institutions_averages_each_figure_over_those_that_have_it() {
        let m = methodology();
        let social = questionnaire("nok-social");
        let full = score(&m, &social, &counts(), Some(&checklist()));
        let no_checklist = score(
            &m,
            &social,
            &nobody_reached(counts(), "accessibility", "disability"),
            None,
        );
        let silent = score(&m, &social, &BTreeMap::new(), None);
        let (mean, institutions) = mean_over_institutions(&[full.clone(), no_checklist, silent]);
        assert_eq!(
            institutions, 2,
            "the institution without answers or checklist has no score"
        );
        assert_close(
            mean.total,
            full.total.unwrap_or_default(),
            "total over the one that has it",
        );
        assert_close(
            figure(&mean.indicators, "3.3"),
            75.0,
            "3.3 over the one with disabled respondents",
        );
        assert_close(figure(&mean.indicators, "5.3"), 90.0, "5.3 over both");
        assert_close(figure(&mean.criteria, "K4"), 92.8, "K4 over both");
        assert_eq!(
            mean.indicators.keys().collect::<Vec<_>>(),
            full.indicators.keys().collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_mean_over_two_institutions_is_the_plain_mean_of_their_totals() {
        let m = methodology();
        let mut weaker = counts();
        weaker.insert("overall".to_owned(), YesNoCounts { yes: 50, n: 100 });
        let a = score(
            &m,
            &questionnaire("nok-social"),
            &counts(),
            Some(&checklist()),
        );
        let b = score(
            &m,
            &questionnaire("nok-social"),
            &weaker,
            Some(&checklist()),
        );
        let (mean, institutions) = mean_over_institutions(&[a.clone(), b.clone()]);
        assert_eq!(institutions, 2);
        let expected = (a.total.unwrap_or_default() + b.total.unwrap_or_default()) / 2.0;
        assert_close(mean.total, expected, "total");
        assert_close(figure(&mean.indicators, "5.3"), 70.0, "5.3");
    }

    #[test]
    fn the_mean_over_no_institutions_is_empty() {
        let (mean, institutions) = mean_over_institutions(&[]);
        assert_eq!(institutions, 0);
        assert!(mean.indicators.is_empty() && mean.criteria.is_empty() && mean.total.is_none());
    }

    #[test]
    fn yes_no_counts_add_up_and_give_the_contract_interval() {
        let mut c = YesNoCounts::default();
        c.add(true, 81);
        c.add(false, 9);
        assert_eq!(c, YesNoCounts { yes: 81, n: 90 });
        assert_eq!(c.yes_pct(), Some(90.0));
        let [low, high] = c.ci95().expect("n > 0");
        assert!(
            (low - 82.08).abs() < 0.005 && (high - 94.65).abs() < 0.005,
            "{low} {high}"
        );
    }
}
