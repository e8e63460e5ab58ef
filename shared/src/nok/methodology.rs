//! The versioned НОК calculation table: indicators, criteria, checklist items and the methods
//! for the disputed cases, as shipped in `shared/data/nok-methodology.v<N>.json`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::org::Sector;
use crate::questionnaire::Incoherent;

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
    pub(crate) fn applies_to(&self, sector: Sector) -> bool {
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
    /// [`Incoherent`], describing the first problem found.
    pub fn check(&self) -> Result<(), Incoherent> {
        let v = &self.version;
        let mut codes = BTreeSet::new();
        for ind in &self.indicators {
            if !codes.insert(ind.code.as_str()) {
                return Err(Incoherent(format!(
                    "{v}: indicator {} is repeated",
                    ind.code
                )));
            }
            if let IndicatorSource::ChecklistItems(rule) = &ind.source {
                if !(rule.points > 0.0 && rule.cap > 0.0) {
                    return Err(Incoherent(format!(
                        "{v}: {} needs positive points and cap",
                        ind.code
                    )));
                }
                let mut ids = BTreeSet::new();
                if let Some(item) = rule.items.iter().find(|i| !ids.insert(i.id.as_str())) {
                    return Err(Incoherent(format!(
                        "{v}: {} lists item {} twice",
                        ind.code, item.id
                    )));
                }
            }
        }
        let mut used = BTreeSet::new();
        let mut criteria = BTreeSet::new();
        for c in &self.criteria {
            if !criteria.insert(c.code.as_str()) {
                return Err(Incoherent(format!("{v}: criterion {} is repeated", c.code)));
            }
            for (code, w) in &c.weights {
                if !codes.contains(code.as_str()) || !used.insert(code.as_str()) {
                    return Err(Incoherent(format!(
                        "{v}: {} weighs {code}, unknown or in another criterion",
                        c.code
                    )));
                }
                if *w <= 0.0 {
                    return Err(Incoherent(format!(
                        "{v}: {} gives {code} a weight ≤ 0",
                        c.code
                    )));
                }
            }
            let sum: f64 = c.weights.values().sum();
            if (sum - 1.0).abs() > 1e-9 {
                return Err(Incoherent(format!(
                    "{v}: the weights of {} sum to {sum}, not 1",
                    c.code
                )));
            }
        }
        if let Some(orphan) = codes.difference(&used).next() {
            return Err(Incoherent(format!(
                "{v}: indicator {orphan} is in no criterion"
            )));
        }
        let m = &self.methods;
        let offered = self.options.empty.iter().any(|o| o.id == m.empty)
            && self.options.combine.iter().any(|o| o.id == m.combine)
            && self.options.total.iter().any(|o| o.id == m.total);
        if !offered {
            return Err(Incoherent(format!(
                "{v}: a chosen method is not among the options"
            )));
        }
        Ok(())
    }
}
