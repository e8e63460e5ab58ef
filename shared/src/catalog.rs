//! Built-in data shipped with Otklik: questionnaires, life situations, the НОК methodology.
//!
//! It lives in `shared/data/` as JSON so that wording can be corrected without touching code;
//! the server seeds its database from it on start, and admins correct it there. The files are
//! compiled in with `include_str!`, so the crate stays free of I/O and the PWA gets the same
//! data as the server. Every loader checks what it parses, so a broken data file is an error at
//! start-up (and in the tests), never a half-loaded catalogue.

use serde::{Deserialize, Serialize};

use crate::nok::NokMethodology;
use crate::org::Sector;
use crate::questionnaire::Questionnaire;

/// The built-in questionnaires as `(file name, contents)`; the name must be `<id>.v<version>.json`.
const QUESTIONNAIRES: [(&str, &str); 7] = [
    (
        "nsi-satisfaction.v1.json",
        include_str!("../data/questionnaires/nsi-satisfaction.v1.json"),
    ),
    (
        "nsi-core.v1.json",
        include_str!("../data/questionnaires/nsi-core.v1.json"),
    ),
    (
        "express.v1.json",
        include_str!("../data/questionnaires/express.v1.json"),
    ),
    (
        "nok-social.v1.json",
        include_str!("../data/questionnaires/nok-social.v1.json"),
    ),
    (
        "nok-health.v1.json",
        include_str!("../data/questionnaires/nok-health.v1.json"),
    ),
    (
        "nok-education.v1.json",
        include_str!("../data/questionnaires/nok-education.v1.json"),
    ),
    (
        "nok-culture.v1.json",
        include_str!("../data/questionnaires/nok-culture.v1.json"),
    ),
];

const LIFE_SITUATIONS: (&str, &str) = (
    "life_situations.json",
    include_str!("../data/life_situations.json"),
);

const NOK_METHODOLOGY: (&str, &str) = (
    "nok-methodology.v1.json",
    include_str!("../data/nok-methodology.v1.json"),
);

/// Why a built-in data file could not be loaded: a bug in the shipped data, caught by the tests.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    /// The file is not valid JSON of the expected shape.
    #[error("built-in data file {file} does not parse: {message}")]
    Parse {
        /// The data file.
        file: &'static str,
        /// The parser's message (line and column included).
        message: String,
    },
    /// The file parses but contradicts itself (a failed `check`).
    #[error("built-in data file {file} is incoherent: {message}")]
    Invalid {
        /// The data file.
        file: &'static str,
        /// What is wrong.
        message: String,
    },
}

fn parse<'a, T: Deserialize<'a>>((file, json): (&'static str, &'a str)) -> Result<T, CatalogError> {
    serde_json::from_str(json).map_err(|e| CatalogError::Parse {
        file,
        message: e.to_string(),
    })
}

fn invalid(file: &'static str, message: String) -> CatalogError {
    CatalogError::Invalid { file, message }
}

/// The built-in questionnaires (`nsi-satisfaction`, `nsi-core`, `express`, `nok-social`,
/// `nok-health`, `nok-education`, `nok-culture`), version 1 each, every one [checked].
///
/// [checked]: Questionnaire::check
///
/// # Errors
/// [`CatalogError`] when a file does not parse, fails its check or is not named after its id
/// and version.
pub fn builtin_questionnaires() -> Result<Vec<Questionnaire>, CatalogError> {
    QUESTIONNAIRES
        .into_iter()
        .map(|entry| {
            let file = entry.0;
            let q: Questionnaire = parse(entry)?;
            q.check().map_err(|e| invalid(file, e.0))?;
            if file != format!("{}.v{}.json", q.id, q.version) {
                return Err(invalid(
                    file,
                    format!("holds {} version {}", q.id, q.version),
                ));
            }
            Ok(q)
        })
        .collect()
}

/// One stage of a life situation («Регистрация», «Диагностика»…): survey points and comments
/// name it so results read along the person's path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    /// Stable code within the situation (`before`, `registration`…).
    pub code: String,
    /// Russian name.
    pub name: String,
}

/// A life situation (ЖС): a person's path from a need to its outcome across institutions.
///
/// Serialises exactly as an item of `GET /api/v1/life-situations` (`contract.md` §5), with
/// `null` for the target-model fields the sources do not give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifeSituation {
    /// Our slug (`job-via-employment-centre`).
    pub code: String,
    /// The official pilot number, shown as «ЖС-8».
    pub no: u32,
    /// The НСИ direction.
    pub direction: Sector,
    /// The name in the pilot deck.
    pub name: String,
    /// The target model's name in the НСИ recommendations, where there is one.
    pub model_name: Option<String>,
    /// The situation's boundary («от … до …»).
    pub boundary: Option<String>,
    /// Who goes through it.
    pub beneficiaries: Option<String>,
    /// The stages in path order.
    pub stages: Vec<Stage>,
}

impl LifeSituation {
    /// The stage with this code, if the situation has it (validates a point's `stage`).
    pub fn stage(&self, code: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.code == code)
    }

    /// The official label («ЖС-8» for number 8), shown next to the name in the UI and exports.
    pub fn label(&self) -> String {
        format!("ЖС-{}", self.no)
    }
}

/// The ten pilot life situations ЖС-1 … ЖС-10, in number order, with their seeded stages.
///
/// # Errors
/// [`CatalogError::Parse`] when the data file does not parse.
pub fn life_situations() -> Result<Vec<LifeSituation>, CatalogError> {
    parse(LIFE_SITUATIONS)
}

/// The НОК methodology table v1 with its default methods, [checked](NokMethodology::check).
///
/// # Errors
/// [`CatalogError`] when the file does not parse or fails its check.
pub fn nok_methodology() -> Result<NokMethodology, CatalogError> {
    let m: NokMethodology = parse(NOK_METHODOLOGY)?;
    m.check().map_err(|e| invalid(NOK_METHODOLOGY.0, e.0))?;
    Ok(m)
}

#[cfg(test)]
mod tests {
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
}
