//! Tests of the НОК calculation against hand-worked 344н examples. Long because each case is a
//! table of inputs and expected figures worked out by hand; split by topic it would only scatter
//! the shared fixtures.

use serde_json::json;

use super::*;
use crate::catalog::{builtin_questionnaires, nok_methodology};
use crate::org::Sector;

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
    assert!(m.check().unwrap_err().0.contains("5.2"));
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
fn k2_has_the_waiting_item_in_social_and_health_and_is_half_and_half_in_education_and_culture() {
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
