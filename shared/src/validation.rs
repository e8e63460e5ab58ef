//! Checks a response's answers against its questionnaire.
//!
//! The server runs this on every item it receives and the PWA runs the same code before it
//! enables «Далее», so a respondent is never told "saved" for an answer the server will reject.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::answer::{Answer, AnswerValue, Likert4, RawAnswer};
use crate::questionnaire::{Question, QuestionKind, Questionnaire, MAX_TEXT_LEN};
use crate::rollup::value_key;

/// Stable machine-readable reason why an answer set is invalid (also the wire `code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The answer names a question the questionnaire does not have.
    UnknownQuestion,
    /// Two answers to one question.
    DuplicateAnswer,
    /// The value does not fit the question's kind or range.
    InvalidAnswer,
    /// A question skipped by a filter answer was answered.
    AnswerToSkipped,
    /// A required question that the respondent reached has no answer.
    RequiredMissing,
    /// A text or comment is longer than 2,000 characters.
    TextTooLong,
    /// A comment on a question or answer that does not invite one.
    CommentNotAllowed,
}

impl ErrorCode {
    /// The wire code (`invalid_answer`…).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnknownQuestion => "unknown_question",
            Self::DuplicateAnswer => "duplicate_answer",
            Self::InvalidAnswer => "invalid_answer",
            Self::AnswerToSkipped => "answer_to_skipped",
            Self::RequiredMissing => "required_missing",
            Self::TextTooLong => "text_too_long",
            Self::CommentNotAllowed => "comment_not_allowed",
        }
    }
}

/// Why a response's answers are invalid, naming the question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{}: {q}", code.as_str())]
pub struct ValidationError {
    /// What is wrong.
    pub code: ErrorCode,
    /// The question concerned.
    pub q: String,
}

impl ValidationError {
    fn new(code: ErrorCode, q: &str) -> Self {
        Self {
            code,
            q: q.to_owned(),
        }
    }

    /// A Russian message for people; machines read [`ValidationError::code`].
    pub fn message(&self) -> String {
        let q = &self.q;
        match self.code {
            ErrorCode::UnknownQuestion => format!("В анкете нет вопроса «{q}»"),
            ErrorCode::DuplicateAnswer => format!("На вопрос «{q}» дано несколько ответов"),
            ErrorCode::InvalidAnswer => format!("Недопустимый ответ на вопрос «{q}»"),
            ErrorCode::AnswerToSkipped => {
                format!("Вопрос «{q}» пропускается по ответу на предыдущий, но ответ на него есть")
            }
            ErrorCode::RequiredMissing => format!("Нет ответа на обязательный вопрос «{q}»"),
            ErrorCode::TextTooLong => {
                format!("Текст в вопросе «{q}» длиннее {MAX_TEXT_LEN} знаков")
            }
            ErrorCode::CommentNotAllowed => {
                format!("К ответу на вопрос «{q}» нельзя добавить комментарий")
            }
        }
    }
}

/// Checks `answers` against `questionnaire` and returns them typed, in questionnaire order.
///
/// Rules: every answer names a question, at most once; each value fits its kind; a question
/// skipped by an earlier filter answer is absent; every required question that is not skipped is
/// answered; texts and comments have at most 2,000 characters; comments only where invited.
///
/// # Errors
/// The first problem found, in questionnaire order (unknown questions first).
pub fn validate_answers(
    questionnaire: &Questionnaire,
    answers: &[RawAnswer],
) -> Result<Vec<Answer>, ValidationError> {
    let mut seen = HashSet::with_capacity(answers.len());
    for a in answers {
        if questionnaire.question(&a.q).is_none() {
            return Err(ValidationError::new(ErrorCode::UnknownQuestion, &a.q));
        }
        if !seen.insert(a.q.as_str()) {
            return Err(ValidationError::new(ErrorCode::DuplicateAnswer, &a.q));
        }
    }
    let mut skipped: HashSet<&str> = HashSet::new();
    let mut out = Vec::with_capacity(answers.len());
    for question in &questionnaire.questions {
        let given = answers.iter().find(|a| a.q == question.id);
        let Some(raw) = given else {
            if question.required && !skipped.contains(question.id.as_str()) {
                return Err(ValidationError::new(
                    ErrorCode::RequiredMissing,
                    &question.id,
                ));
            }
            continue;
        };
        if skipped.contains(question.id.as_str()) {
            return Err(ValidationError::new(
                ErrorCode::AnswerToSkipped,
                &question.id,
            ));
        }
        let value = parse_value(question, &raw.v)?;
        let comment = check_comment(question, &value, raw.comment.as_deref())?;
        if let Some(rule) = &question.skip {
            if value.to_wire() == rule.when {
                skipped.extend(rule.questions.iter().map(String::as_str));
            }
        }
        out.push(Answer {
            q: question.id.clone(),
            value,
            comment,
        });
    }
    Ok(out)
}

/// Parses a raw value by the question's kind.
///
/// # Errors
/// [`ErrorCode::InvalidAnswer`] when the value does not fit, [`ErrorCode::TextTooLong`] for texts.
pub fn parse_value(
    question: &Question,
    v: &serde_json::Value,
) -> Result<AnswerValue, ValidationError> {
    let invalid = || ValidationError::new(ErrorCode::InvalidAnswer, &question.id);
    let value = match question.kind {
        QuestionKind::Likert4 => {
            AnswerValue::Likert4(v.as_str().and_then(Likert4::parse).ok_or_else(invalid)?)
        }
        QuestionKind::Nps => {
            let n = v
                .as_f64()
                .filter(|n| n.fract() == 0.0 && (0.0..=10.0).contains(n));
            AnswerValue::Nps(n.ok_or_else(invalid)? as u8)
        }
        QuestionKind::YesNo => AnswerValue::YesNo(v.as_bool().ok_or_else(invalid)?),
        QuestionKind::Choice => {
            let id = v.as_str().ok_or_else(invalid)?;
            if !question.options.iter().any(|o| o.id == id) {
                return Err(invalid());
            }
            AnswerValue::Choice(id.to_owned())
        }
        QuestionKind::Number => {
            let n = v.as_f64().filter(|n| n.is_finite()).ok_or_else(invalid)?;
            let in_range =
                question.min.is_none_or(|min| n >= min) && question.max.is_none_or(|max| n <= max);
            if !in_range || (question.integer && n.fract() != 0.0) {
                return Err(invalid());
            }
            AnswerValue::Number(n)
        }
        QuestionKind::Text => {
            let text = v.as_str().map(str::trim).ok_or_else(invalid)?;
            if text.is_empty() {
                return Err(invalid());
            }
            check_len(question, text)?;
            AnswerValue::Text(text.to_owned())
        }
    };
    Ok(value)
}

fn check_len(question: &Question, text: &str) -> Result<(), ValidationError> {
    if text.chars().count() > MAX_TEXT_LEN {
        return Err(ValidationError::new(ErrorCode::TextTooLong, &question.id));
    }
    Ok(())
}

/// A comment is kept only where the question invites one for the given answer; blank is absent.
fn check_comment(
    question: &Question,
    value: &AnswerValue,
    comment: Option<&str>,
) -> Result<Option<String>, ValidationError> {
    let Some(text) = comment.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    if !invites_comment(question, value) {
        return Err(ValidationError::new(
            ErrorCode::CommentNotAllowed,
            &question.id,
        ));
    }
    check_len(question, text)?;
    Ok(Some(text.to_owned()))
}

/// Whether the question invites a comment for the given answer (the PWA opens the box then).
pub fn invites_comment(question: &Question, value: &AnswerValue) -> bool {
    question
        .comment
        .as_ref()
        .is_some_and(|rule| rule.on.iter().any(|on| *on == value_key(value)))
}

/// Ids of the questions a respondent reaches given the answers so far, in order: what the PWA
/// shows and what the server expects. Questions after an unanswered filter are reachable.
pub fn reachable<'q>(questionnaire: &'q Questionnaire, answered: &[Answer]) -> Vec<&'q Question> {
    let mut skipped: HashSet<&str> = HashSet::new();
    let mut out = Vec::new();
    for question in &questionnaire.questions {
        if skipped.contains(question.id.as_str()) {
            continue;
        }
        out.push(question);
        let Some(rule) = &question.skip else { continue };
        if let Some(a) = answered.iter().find(|a| a.q == question.id) {
            if a.value.to_wire() == rule.when {
                skipped.extend(rule.questions.iter().map(String::as_str));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
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
        let mut answers: Vec<RawAnswer> =
            ["process", "documents", "duration", "simplicity", "support"]
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
}
