//! The expert checklist of one institution for one year (НОК 1.1, 1.2, 2.1, 3.1, 3.2), and
//! its check against the methodology's item lists.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::methodology::{IndicatorSource, NokMethodology};
use crate::org::Sector;

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
