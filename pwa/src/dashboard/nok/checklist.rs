//! The checklist form's logic, pure: which item lists the form offers for a sector, the form's
//! fields from a stored checklist and back, and what a refusal says, in the interface language.
//! The server checks the same rules ([`Checklist::validate`]); checking the obvious ones here
//! tells the expert at once, without a round trip.

use std::collections::{BTreeMap, BTreeSet};

use otklik_shared::api::ErrorBody;
use otklik_shared::nok::{Checklist, StandSiteCounts};
use otklik_shared::org::Sector;

use crate::dashboard::client::nok::Table;

use crate::i18n::dashboard::NokStrings;
use crate::i18n::fill;

/// One list of items the expert ticks (1.2, 2.1, 3.1, 3.2).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemList {
    /// Indicator code.
    pub code: String,
    /// Indicator name.
    pub name: String,
    /// `(id, name)` of each item that applies to the sector, in the table's order.
    pub items: Vec<(String, String)>,
}

/// The item lists of `m` as an institution of `sector` sees them.
pub fn item_lists(m: &Table, sector: Sector) -> Vec<ItemList> {
    m.indicators
        .iter()
        .filter(|ind| ind.source == "checklist_items")
        .map(|ind| ItemList {
            code: ind.code.clone(),
            name: ind.name.clone(),
            items: ind
                .items
                .iter()
                .filter(|i| i.sectors.is_empty() || i.sectors.contains(&sector))
                .map(|i| (i.id.clone(), i.name.clone()))
                .collect(),
        })
        .collect()
}

/// What the form holds: the four 1.1 counts as typed (stand present, stand required, site
/// present, site required) and the ticked item ids per indicator code.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Form {
    /// The 1.1 fields' text.
    pub counts: [String; 4],
    /// Ticked ids by indicator code.
    pub ticked: BTreeMap<String, BTreeSet<String>>,
}

/// Why the form cannot be sent as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// The 1.1 field at this index is not a whole number ≥ 0.
    NotACount(usize),
    /// 1.1: a required count of 0, or a present count above its required one.
    InvalidCounts,
}

impl Form {
    /// The form showing `stored`.
    pub fn of(stored: &Checklist) -> Self {
        let c = stored.stand_site;
        Self {
            counts: [
                c.stand_present,
                c.stand_required,
                c.site_present,
                c.site_required,
            ]
            .map(|n| n.to_string()),
            ticked: stored
                .items
                .iter()
                .map(|(code, ids)| (code.clone(), ids.iter().cloned().collect()))
                .collect(),
        }
    }

    /// Whether item `id` of list `code` is ticked.
    pub fn is_ticked(&self, code: &str, id: &str) -> bool {
        self.ticked.get(code).is_some_and(|ids| ids.contains(id))
    }

    /// Ticks or unticks item `id` of list `code`.
    pub fn set(&mut self, code: &str, id: &str, on: bool) {
        let ids = self.ticked.entry(code.to_owned()).or_default();
        if on {
            ids.insert(id.to_owned());
        } else {
            ids.remove(id);
        }
    }

    /// The checklist to send, every list of `lists` present (an empty one scores 0).
    ///
    /// # Errors
    /// The first [`Problem`] of the 1.1 counts.
    pub fn checklist(&self, lists: &[ItemList]) -> Result<Checklist, Problem> {
        let mut numbers = [0u32; 4];
        for (i, text) in self.counts.iter().enumerate() {
            numbers[i] = text.trim().parse().map_err(|_| Problem::NotACount(i))?;
        }
        let [stand_present, stand_required, site_present, site_required] = numbers;
        let stand_site = StandSiteCounts {
            stand_present,
            stand_required,
            site_present,
            site_required,
        };
        if !stand_site.is_valid() {
            return Err(Problem::InvalidCounts);
        }
        let items = lists
            .iter()
            .map(|list| {
                let ids = list
                    .items
                    .iter()
                    .filter(|(id, _)| self.is_ticked(&list.code, id))
                    .map(|(id, _)| id.clone())
                    .collect();
                (list.code.clone(), ids)
            })
            .collect();
        Ok(Checklist { stand_site, items })
    }
}

/// What `problem` says.
pub fn problem_message(problem: Problem, t: &NokStrings) -> String {
    match problem {
        Problem::NotACount(i) => fill(t.not_a_count, &[("field", t.counts[i])]),
        Problem::InvalidCounts => t.invalid_counts.to_owned(),
    }
}

/// What the server's refusal (its error envelope, when there was one) says, naming items by
/// their names in `lists`: the envelope's details carry the [`ChecklistError`].
pub fn refusal_message(body: Option<&ErrorBody>, lists: &[ItemList], t: &NokStrings) -> String {
    let Some(error) = body.map(|b| &b.error) else {
        return fill(t.not_saved, &[("reason", "")]);
    };
    let item_name = |code: &str, id: &str| {
        lists
            .iter()
            .filter(|l| l.code == code)
            .flat_map(|l| &l.items)
            .find(|(known, _)| known == id)
            .map_or_else(|| id.to_owned(), |(_, name)| name.clone())
    };
    // The details are the shared `ChecklistError`, tagged by `code`; read by hand, which
    // costs the bundle less than a decoder for it.
    let detail = |key: &str| {
        error
            .details
            .as_ref()
            .and_then(|d| d.get(key))
            .and_then(|v| v.as_str())
            .unwrap_or_default()
    };
    let (indicator, item) = (detail("indicator"), detail("item"));
    match (error.code.as_str(), detail("code")) {
        ("invalid_checklist", "invalid_counts") => t.invalid_counts.to_owned(),
        ("invalid_checklist", "unknown_item") => {
            fill(t.unknown_item, &[("indicator", indicator), ("item", item)])
        }
        ("invalid_checklist", "duplicate_item") => fill(
            t.duplicate_item,
            &[
                ("indicator", indicator),
                ("item", &item_name(indicator, item)),
            ],
        ),
        ("invalid_checklist", "unknown_indicator") => {
            fill(t.unknown_indicator, &[("indicator", indicator)])
        }
        ("invalid_year", _) => t.bad_year.to_owned(),
        ("invalid_org", _) => t.invalid_org.to_owned(),
        _ => fill(t.not_saved, &[("reason", &error.message)]),
    }
}

/// The year field's value, when it is one a checklist may be entered for (2000–2100, as the
/// server accepts).
pub fn parse_year(text: &str) -> Option<i32> {
    text.trim()
        .parse()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
}

#[cfg(test)]
pub(super) mod tests {
    use otklik_shared::api::ErrorDetail;
    use otklik_shared::nok::ChecklistError;
    use serde_json::json;

    use super::*;
    use crate::i18n::dashboard::nok::RU;

    /// The shipped table as the server sends it, read as the page reads it.
    pub(crate) fn methodology() -> Table {
        let m = otklik_shared::catalog::nok_methodology().expect("the shipped table loads");
        serde_json::from_value(serde_json::to_value(m).unwrap()).expect("the page reads the table")
    }

    #[test]
    fn the_form_offers_the_four_lists_and_round_trips_a_stored_checklist() {
        let m = methodology();
        let lists = item_lists(&m, Sector::Social);
        let codes: Vec<&str> = lists.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["1.2", "2.1", "3.1", "3.2"]);
        assert!(lists[2].items.iter().any(|(id, name)| id == "ramps"
            && name == "Оборудование входных групп пандусами (подъёмными платформами)"));
        let stored: Checklist = serde_json::from_value(json!({
            "1.1": {"stand_present": 9, "stand_required": 10, "site_present": 18, "site_required": 20},
            "1.2": ["email", "phone"], "2.1": [], "3.1": ["ramps"], "3.2": []
        }))
        .unwrap();
        let form = Form::of(&stored);
        assert!(form.is_ticked("3.1", "ramps") && !form.is_ticked("3.1", "parking"));
        let again = form.checklist(&lists).unwrap();
        assert_eq!(again.stand_site, stored.stand_site);
        // The lists come back in the table's order, whatever order they were entered in.
        assert_eq!(again.items["1.2"], ["phone", "email"]);
        let shipped = otklik_shared::catalog::nok_methodology().unwrap();
        assert_eq!(again.indicators(&shipped), stored.indicators(&shipped));
    }

    #[test]
    fn bad_counts_are_caught_before_sending_with_a_russian_message() {
        let lists = item_lists(&methodology(), Sector::Social);
        let mut form = Form {
            counts: ["9", "10", "x", "20"].map(String::from),
            ..Form::default()
        };
        assert_eq!(form.checklist(&lists), Err(Problem::NotACount(2)));
        assert_eq!(
            problem_message(Problem::NotACount(2), &RU),
            "«Пунктов информации на сайте: размещено»: введите целое число, не меньше нуля."
        );
        form.counts[2] = "21".into();
        assert_eq!(form.checklist(&lists), Err(Problem::InvalidCounts));
        form.counts[2] = "20".into();
        form.set("3.1", "ramps", true);
        form.set("3.1", "parking", true);
        form.set("3.1", "parking", false);
        let sent = form.checklist(&lists).unwrap();
        assert_eq!(sent.items["3.1"], ["ramps"]);
        assert!(sent.items["1.2"].is_empty());
    }

    #[test]
    fn refusals_read_in_russian_and_name_the_item() {
        let lists = item_lists(&methodology(), Sector::Social);
        let body = |code: &str, details| ErrorBody {
            error: ErrorDetail {
                code: code.into(),
                message: "english for integrators".into(),
                details,
            },
        };
        let duplicate = body(
            "invalid_checklist",
            serde_json::to_value(ChecklistError::DuplicateItem {
                indicator: "3.1".into(),
                item: "ramps".into(),
            })
            .ok(),
        );
        assert_eq!(
            refusal_message(Some(&duplicate), &lists, &RU),
            "Показатель 3.1: пункт «Оборудование входных групп пандусами (подъёмными платформами)» отмечен дважды."
        );
        let counts = body(
            "invalid_checklist",
            serde_json::to_value(ChecklistError::InvalidCounts).ok(),
        );
        assert_eq!(
            refusal_message(Some(&counts), &lists, &RU),
            RU.invalid_counts
        );
        assert_eq!(
            refusal_message(Some(&body("invalid_year", None)), &lists, &RU),
            RU.bad_year
        );
        assert_eq!(parse_year(" 2026 "), Some(2026));
        assert_eq!(parse_year("226"), None);
    }
}
