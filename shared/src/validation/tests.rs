//! Tests of answer validation: one case per rule, for every question kind.
use serde_json::{json, Value};

use super::*;
use crate::catalog::builtin_questionnaires;

fn questionnaire(id: &str) -> Questionnaire {
    let all = builtin_questionnaires().expect("built-in questionnaires load");
    all.into_iter()
        .find(|q| q.id == id)
        .expect("questionnaire exists")
}

fn answer(q: &str, v: Value) -> RawAnswer {
    RawAnswer {
        q: q.to_owned(),
        v,
        comment: None,
    }
}

fn with_comment(q: &str, v: Value, comment: &str) -> RawAnswer {
    RawAnswer {
        comment: Some(comment.to_owned()),
        ..answer(q, v)
    }
}

/// A complete `nsi-satisfaction` response, every 4-point answer «Да».
fn nsi_answers(nps: Value) -> Vec<RawAnswer> {
    let mut answers: Vec<RawAnswer> = ["process", "documents", "duration", "simplicity", "support"]
        .into_iter()
        .map(|q| answer(q, json!("yes")))
        .collect();
    answers.push(answer("nps", nps));
    answers
}

/// A `nok-social` response: every filter answered `filters`, every item «Да».
fn nok_answers(filters: bool) -> Vec<RawAnswer> {
    let q = questionnaire("nok-social");
    let skipped = [
        "info_stand",
        "info_site",
        "accessibility",
        "courtesy_remote",
    ];
    q.questions
        .iter()
        .filter(|q| q.required)
        .map(|question| {
            let filter = question.indicator.as_deref() == Some("filter");
            answer(&question.id, json!(if filter { filters } else { true }))
        })
        .filter(|a| filters || !skipped.contains(&a.q.as_str()))
        .collect()
}

fn code(q: &str, answers: &[RawAnswer]) -> Option<ErrorCode> {
    validate_answers(&questionnaire(q), answers)
        .err()
        .map(|e| e.code)
}

#[test]
fn a_complete_nsi_response_is_valid_and_typed_in_questionnaire_order() {
    let mut answers = nsi_answers(json!(9));
    answers.reverse();
    let typed = validate_answers(&questionnaire("nsi-satisfaction"), &answers).expect("valid");
    let ids: Vec<&str> = typed.iter().map(|a| a.q.as_str()).collect();
    assert_eq!(
        ids,
        [
            "process",
            "documents",
            "duration",
            "simplicity",
            "support",
            "nps"
        ]
    );
    assert_eq!(typed[5].value, AnswerValue::Nps(9));
}

#[test]
fn nps_given_as_9_point_0_is_accepted_as_9() {
    let typed = validate_answers(&questionnaire("nsi-satisfaction"), &nsi_answers(json!(9.0)))
        .expect("9.0 is the integer 9");
    assert_eq!(typed[5].value.to_wire(), json!(9));
}

#[test]
fn an_nps_answer_outside_0_to_10_or_fractional_is_rejected() {
    for bad in [json!(11), json!(-1), json!(9.5), json!("9"), Value::Null] {
        assert_eq!(
            code("nsi-satisfaction", &nsi_answers(bad.clone())),
            Some(ErrorCode::InvalidAnswer),
            "{bad}"
        );
    }
}

#[test]
fn a_missing_required_answer_is_reported() {
    let mut answers = nsi_answers(json!(5));
    answers.retain(|a| a.q != "duration");
    assert_eq!(
        code("nsi-satisfaction", &answers),
        Some(ErrorCode::RequiredMissing)
    );
}

#[test]
fn an_answer_to_an_unknown_question_is_rejected() {
    let mut answers = nsi_answers(json!(5));
    answers.push(answer("mood", json!("yes")));
    assert_eq!(
        code("nsi-satisfaction", &answers),
        Some(ErrorCode::UnknownQuestion)
    );
}

#[test]
fn two_answers_to_one_question_are_rejected() {
    let mut answers = nsi_answers(json!(5));
    answers.push(answer("process", json!("no")));
    assert_eq!(
        code("nsi-satisfaction", &answers),
        Some(ErrorCode::DuplicateAnswer)
    );
}

#[test]
fn a_comment_is_accepted_on_rather_no_and_no_only() {
    let q = questionnaire("nsi-satisfaction");
    for (value, ok) in [
        ("no", true),
        ("rather_no", true),
        ("rather_yes", false),
        ("yes", false),
    ] {
        let mut answers = nsi_answers(json!(5));
        answers[0] = with_comment("process", json!(value), "  долго ждали  ");
        let result = validate_answers(&q, &answers);
        if ok {
            let typed = result.expect("comment invited");
            assert_eq!(typed[0].comment.as_deref(), Some("долго ждали"), "{value}");
        } else {
            assert_eq!(
                result.map_err(|e| e.code),
                Err(ErrorCode::CommentNotAllowed),
                "{value}"
            );
        }
    }
}

#[test]
fn a_blank_comment_counts_as_no_comment() {
    let mut answers = nsi_answers(json!(5));
    answers[0] = with_comment("process", json!("yes"), "   ");
    let typed = validate_answers(&questionnaire("nsi-satisfaction"), &answers).expect("valid");
    assert_eq!(typed[0].comment, None);
}

#[test]
fn a_comment_on_an_nps_answer_is_rejected() {
    let mut answers = nsi_answers(json!(2));
    answers[5] = with_comment("nps", json!(2), "плохо");
    assert_eq!(
        code("nsi-satisfaction", &answers),
        Some(ErrorCode::CommentNotAllowed)
    );
}

#[test]
fn a_text_longer_than_2000_characters_is_rejected_but_2000_cyrillic_ones_pass() {
    let q = questionnaire("nsi-satisfaction");
    let mut answers = nsi_answers(json!(5));
    answers.push(answer("suggestions", json!("я".repeat(MAX_TEXT_LEN))));
    assert!(
        validate_answers(&q, &answers).is_ok(),
        "2000 characters, 4000 bytes"
    );
    answers.pop();
    answers.push(answer("suggestions", json!("я".repeat(MAX_TEXT_LEN + 1))));
    assert_eq!(
        validate_answers(&q, &answers).map_err(|e| e.code),
        Err(ErrorCode::TextTooLong)
    );
}

#[test]
fn a_comment_longer_than_2000_characters_is_rejected() {
    let mut answers = nsi_answers(json!(5));
    answers[0] = with_comment("process", json!("no"), &"ж".repeat(MAX_TEXT_LEN + 1));
    assert_eq!(
        code("nsi-satisfaction", &answers),
        Some(ErrorCode::TextTooLong)
    );
}

#[test]
fn a_nok_response_with_every_filter_no_skips_the_filtered_items() {
    let typed = validate_answers(&questionnaire("nok-social"), &nok_answers(false))
        .expect("skipped items are absent");
    assert!(typed
        .iter()
        .all(|a| a.q != "info_stand" && a.q != "accessibility"));
}

#[test]
fn answering_a_question_skipped_by_a_no_filter_is_rejected() {
    let mut answers = nok_answers(false);
    answers.push(answer("accessibility", json!(true)));
    assert_eq!(
        code("nok-social", &answers),
        Some(ErrorCode::AnswerToSkipped)
    );
}

#[test]
fn a_required_question_after_a_yes_filter_must_be_answered() {
    let mut answers = nok_answers(true);
    answers.retain(|a| a.q != "info_site");
    assert_eq!(
        code("nok-social", &answers),
        Some(ErrorCode::RequiredMissing)
    );
}

#[test]
fn yes_no_items_take_booleans_only() {
    let mut answers = nok_answers(true);
    answers[1].v = json!("yes");
    assert_eq!(code("nok-social", &answers), Some(ErrorCode::InvalidAnswer));
}

#[test]
fn profile_answers_must_be_a_known_option_and_a_whole_age_in_range() {
    let cases = [
        ("sex", json!("female"), None),
        ("sex", json!("other"), Some(ErrorCode::InvalidAnswer)),
        ("age", json!(14), None),
        ("age", json!(120.0), None),
        ("age", json!(13), Some(ErrorCode::InvalidAnswer)),
        ("age", json!(121), Some(ErrorCode::InvalidAnswer)),
        ("age", json!(30.5), Some(ErrorCode::InvalidAnswer)),
    ];
    for (q, v, expected) in cases {
        let mut answers = nok_answers(true);
        answers.push(answer(q, v.clone()));
        assert_eq!(code("nok-social", &answers), expected, "{q} = {v}");
    }
}

#[test]
fn reachable_questions_follow_the_filter_answers() {
    let q = questionnaire("nok-social");
    let typed = validate_answers(&q, &nok_answers(false)).expect("valid");
    let shown: Vec<&str> = reachable(&q, &typed)
        .iter()
        .map(|q| q.id.as_str())
        .collect();
    assert!(!shown.contains(&"info_stand") && !shown.contains(&"courtesy_remote"));
    assert_eq!(
        reachable(&q, &[]).len(),
        q.questions.len(),
        "unanswered filters skip nothing"
    );
}

#[test]
fn error_codes_serialise_as_their_wire_names() {
    for code in [
        ErrorCode::UnknownQuestion,
        ErrorCode::AnswerToSkipped,
        ErrorCode::TextTooLong,
    ] {
        assert_eq!(
            serde_json::to_value(code).expect("serialises"),
            json!(code.as_str())
        );
    }
}
