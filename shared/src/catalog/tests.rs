//! Tests of the built-in data: every file loads, passes its check and says what the brief says.
use std::collections::BTreeSet;

use serde_json::json;

use super::*;
use crate::questionnaire::QuestionKind;

fn questionnaires() -> Vec<Questionnaire> {
    builtin_questionnaires().expect("every built-in questionnaire loads and passes check()")
}

fn questionnaire(id: &str) -> Questionnaire {
    questionnaires()
        .into_iter()
        .find(|q| q.id == id)
        .expect("questionnaire exists")
}

fn ids(q: &Questionnaire) -> Vec<&str> {
    q.questions.iter().map(|q| q.id.as_str()).collect()
}

const NOK_IDS: [&str; 18] = [
    "info_stand_used",
    "info_stand",
    "info_site_used",
    "info_site",
    "timely",
    "comfort",
    "disability",
    "accessibility",
    "courtesy_first",
    "courtesy_service",
    "remote_used",
    "courtesy_remote",
    "recommend",
    "org_conditions",
    "overall",
    "suggestions",
    "sex",
    "age",
];

#[test]
fn the_seven_builtin_questionnaires_load_as_version_1() {
    let got: Vec<(String, u32)> = questionnaires()
        .into_iter()
        .map(|q| (q.id, q.version))
        .collect();
    let expected = [
        "nsi-satisfaction",
        "nsi-core",
        "express",
        "nok-social",
        "nok-health",
        "nok-education",
        "nok-culture",
    ];
    assert_eq!(got, expected.map(|id| (id.to_owned(), 1)));
}

#[test]
fn nsi_satisfaction_asks_the_five_recommended_questions_then_nps_and_suggestions() {
    let q = questionnaire("nsi-satisfaction");
    assert!(!q.nok);
    assert_eq!(
        ids(&q),
        [
            "process",
            "documents",
            "duration",
            "simplicity",
            "support",
            "nps",
            "suggestions"
        ]
    );
    assert_eq!(
        q.questions[0].text,
        "Удовлетворены ли Вы текущим процессом оказания услуги или работы сервиса?"
    );
}

#[test]
fn nsi_core_is_nsi_satisfaction_without_nps() {
    let full = questionnaire("nsi-satisfaction");
    let core = questionnaire("nsi-core");
    let without_nps: Vec<_> = full
        .questions
        .into_iter()
        .filter(|q| q.id != "nps")
        .collect();
    assert_eq!(core.questions, without_nps);
}

#[test]
fn the_nps_question_has_the_standard_wording_subtitle_and_labels() {
    for id in ["nsi-satisfaction", "express"] {
        let q = questionnaire(id);
        let nps = q.question("nps").expect("has nps");
        assert_eq!(nps.kind, QuestionKind::Nps);
        assert!(nps.required, "{id}");
        assert_eq!(
            nps.text,
            "Насколько вероятно, что Вы порекомендуете получение услуг в этом учреждении родственникам и знакомым?"
        );
        assert_eq!(nps.subtitle.as_deref(), Some("готовность рекомендовать"));
        let labels = nps.labels.as_ref().expect("labels");
        assert_eq!(
            (labels.min.as_str(), labels.max.as_str()),
            ("точно не порекомендую", "обязательно порекомендую")
        );
    }
}

#[test]
fn every_4_point_question_is_required_and_invites_a_comment_on_rather_no_and_no() {
    for q in questionnaires() {
        for item in q
            .questions
            .iter()
            .filter(|i| i.kind == QuestionKind::Likert4)
        {
            let rule = item.comment.as_ref().expect("comment rule");
            assert_eq!(rule.on, ["rather_no", "no"], "{} {}", q.id, item.id);
            assert_eq!(rule.prompt, "Расскажите, что было не так?");
            assert!(item.required, "{} {}", q.id, item.id);
        }
        for item in q
            .questions
            .iter()
            .filter(|i| i.kind != QuestionKind::Likert4)
        {
            assert!(item.comment.is_none(), "{} {}", q.id, item.id);
        }
    }
}

#[test]
fn free_text_questions_are_optional() {
    for q in questionnaires() {
        let texts: Vec<_> = q
            .questions
            .iter()
            .filter(|i| i.kind == QuestionKind::Text)
            .collect();
        assert_eq!(texts.len(), 1, "{}", q.id);
        assert!(
            texts.iter().all(|t| !t.required && t.id == "suggestions"),
            "{}",
            q.id
        );
    }
}

#[test]
fn the_social_and_health_forms_ask_every_nok_item_and_education_and_culture_all_but_timely() {
    for (id, timely) in [
        ("nok-social", true),
        ("nok-health", true),
        ("nok-education", false),
        ("nok-culture", false),
    ] {
        let q = questionnaire(id);
        assert!(q.nok, "{id}");
        assert!(q.note.is_some(), "{id} notes what needs verifying");
        let expected: Vec<&str> = NOK_IDS
            .into_iter()
            .filter(|i| timely || *i != "timely")
            .collect();
        assert_eq!(ids(&q), expected, "{id}");
    }
    let health = questionnaire("nok-health").note.unwrap_or_default();
    assert!(health.starts_with("Форма требует сверки"), "{health}");
}

#[test]
fn nok_filters_are_required_and_skip_the_next_item_on_no() {
    let skips = [
        ("info_stand_used", "info_stand"),
        ("info_site_used", "info_site"),
        ("disability", "accessibility"),
        ("remote_used", "courtesy_remote"),
    ];
    for q in questionnaires().into_iter().filter(|q| q.nok) {
        for item in &q.questions {
            let expected = skips.iter().find(|(f, _)| *f == item.id).map(|(_, s)| *s);
            let skip = item
                .skip
                .as_ref()
                .map(|s| (s.when.clone(), s.questions.clone()));
            assert_eq!(
                skip,
                expected.map(|s| (json!(false), vec![s.to_owned()])),
                "{} {}",
                q.id,
                item.id
            );
            if item.kind == QuestionKind::YesNo {
                assert!(item.required, "{} {}", q.id, item.id);
                assert!(item.indicator.is_some(), "{} {}", q.id, item.id);
            } else {
                assert!(!item.required, "{} {}", q.id, item.id);
            }
        }
    }
}

#[test]
fn the_nok_items_feed_the_344n_indicators() {
    let q = questionnaire("nok-social");
    let indicator = |id: &str| q.question(id).and_then(|i| i.indicator.as_deref());
    for (id, code) in [
        ("info_stand_used", "filter"),
        ("info_stand", "1.3"),
        ("info_site", "1.3"),
        ("timely", "2.2"),
        ("comfort", "2.3"),
        ("accessibility", "3.3"),
        ("courtesy_first", "4.1"),
        ("courtesy_service", "4.2"),
        ("courtesy_remote", "4.3"),
        ("recommend", "5.1"),
        ("org_conditions", "5.2"),
        ("overall", "5.3"),
    ] {
        assert_eq!(indicator(id), Some(code), "{id}");
    }
}

#[test]
fn the_profile_questions_are_sex_and_an_age_of_14_to_120() {
    let q = questionnaire("nok-education");
    let sex = q.question("sex").expect("sex");
    let options: Vec<(&str, &str)> = sex
        .options
        .iter()
        .map(|o| (o.id.as_str(), o.text.as_str()))
        .collect();
    assert_eq!(options, [("male", "Мужской"), ("female", "Женский")]);
    let age = q.question("age").expect("age");
    assert_eq!(
        (age.min, age.max, age.integer),
        (Some(14.0), Some(120.0), true)
    );
}

#[test]
fn sector_forms_name_the_sector_instead_of_a_bare_organisation() {
    for (id, phrase) in [
        ("nok-health", "медицинской организации"),
        ("nok-education", "образовательной организации"),
        ("nok-culture", "организации культуры"),
    ] {
        let q = questionnaire(id);
        let overall = q.question("overall").expect("overall");
        assert!(overall.text.contains(phrase), "{id}: {}", overall.text);
    }
}

#[test]
fn the_ten_pilot_life_situations_are_numbered_1_to_10_with_unique_codes() {
    let all = life_situations().expect("life situations load");
    let numbers: Vec<u32> = all.iter().map(|s| s.no).collect();
    assert_eq!(numbers, (1..=10).collect::<Vec<_>>());
    let codes: BTreeSet<&str> = all.iter().map(|s| s.code.as_str()).collect();
    assert_eq!(codes.len(), 10);
    for s in &all {
        let stages: BTreeSet<&str> = s.stages.iter().map(|st| st.code.as_str()).collect();
        assert_eq!(
            stages.len(),
            s.stages.len(),
            "{}: stage codes repeat",
            s.code
        );
    }
}

#[test]
fn life_situation_stages_follow_the_seeded_paths() {
    let all = life_situations().expect("life situations load");
    let stages = |no: u32| -> Vec<String> {
        let s = all.iter().find(|s| s.no == no).expect("exists");
        s.stages
            .iter()
            .map(|st| format!("{}={}", st.code, st.name))
            .collect()
    };
    assert_eq!(
        stages(8),
        [
            "before=До обращения",
            "registration=Регистрация",
            "job-matching=Подбор работы",
            "extra-services=Оказание дополнительных услуг",
            "deregistration=Снятие с учёта",
            "after=После"
        ]
    );
    for no in 4..=6 {
        assert_eq!(
            stages(no),
            [
                "prevention=Профилактика",
                "diagnosis=Диагностика",
                "treatment=Лечение",
                "rehabilitation=Реабилитация и уход"
            ]
        );
    }
    for no in [1, 2, 3, 7, 9, 10] {
        assert_eq!(
            stages(no),
            ["before=До обращения", "visit=Посещение", "after=После"]
        );
    }
}

#[test]
fn the_employment_centre_situation_has_its_target_model_and_label() {
    let all = life_situations().expect("life situations load");
    let s = all
        .iter()
        .find(|s| s.code == "job-via-employment-centre")
        .expect("ЖС-8");
    assert_eq!(s.label(), "ЖС-8");
    assert_eq!(s.direction, Sector::Employment);
    assert_eq!(
        s.model_name.as_deref(),
        Some("Трудоустроиться через Центр занятости населения")
    );
    assert_eq!(
        s.stage("job-matching").map(|st| st.name.as_str()),
        Some("Подбор работы")
    );
    assert_eq!(s.stage("visit"), None);
    let preschool = &all[0];
    assert_eq!(
        (preschool.model_name.as_ref(), preschool.boundary.as_ref()),
        (None, None)
    );
}

#[test]
fn a_life_situation_serialises_as_the_contract_item() {
    let all = life_situations().expect("life situations load");
    let value = serde_json::to_value(&all[0]).expect("serialises");
    let keys: Vec<&String> = value.as_object().expect("object").keys().collect();
    let mut expected = [
        "code",
        "no",
        "direction",
        "name",
        "model_name",
        "boundary",
        "beneficiaries",
        "stages",
    ];
    expected.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(value["model_name"], json!(null));
    assert_eq!(
        value["stages"][0],
        json!({"code": "before", "name": "До обращения"})
    );
}

#[test]
fn the_nok_methodology_loads_and_passes_its_check() {
    let m = nok_methodology().expect("loads");
    assert_eq!(m.version, "nok-344n.v1");
    assert_eq!(m.indicators.len(), 15);
    assert_eq!(
        m.criteria
            .iter()
            .map(|c| c.code.as_str())
            .collect::<Vec<_>>(),
        ["K1", "K2", "K3", "K4", "K5"]
    );
}
