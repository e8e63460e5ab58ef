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
mod tests;
