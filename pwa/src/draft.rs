//! The respondent's answers in progress and everything that follows from them: which questions
//! are reachable, whether «Далее» may proceed, whether a comment box opens, and the response to
//! queue. Pure (no browser), so it is unit-tested on the host, and built on
//! `otklik_shared::validation` so the PWA and the server can never disagree.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use otklik_shared::answer::{Answer, Channel, NewResponse, RawAnswer};
use otklik_shared::questionnaire::{Question, QuestionKind, Questionnaire};
use otklik_shared::validation::{self, ValidationError};
use serde_json::Value;
use uuid::Uuid;

/// The draft answer to one question.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    /// The answer in wire form, once there is a valid one.
    pub value: Option<Value>,
    /// What was typed into a number or text field, verbatim, so «Назад» shows it again.
    pub input: String,
    /// The comment typed into the box the answer opened (kept even if the box closes again,
    /// sent only while the answer invites it).
    pub comment: String,
}

/// Draft answers by question id. Answers to questions that a later change made unreachable are
/// kept (the respondent may change their mind back) but never sent.
pub type Answers = BTreeMap<String, Entry>;

/// Whether the respondent may leave a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readiness {
    /// Answered, or optional and left empty.
    Ready,
    /// Required and not answered yet.
    Missing,
    /// Something typed that is not a valid answer (a number out of range).
    Invalid,
}

/// The answers that parse, typed, as `reachable` and `invites_comment` need them.
fn typed(questionnaire: &Questionnaire, answers: &Answers) -> Vec<Answer> {
    questionnaire
        .questions
        .iter()
        .filter_map(|q| {
            let v = answers.get(&q.id)?.value.as_ref()?;
            let value = validation::parse_value(q, v).ok()?;
            Some(Answer {
                q: q.id.clone(),
                value,
                comment: None,
            })
        })
        .collect()
}

/// Ids of the questions the respondent reaches with these answers, in order.
pub fn reachable_ids(questionnaire: &Questionnaire, answers: &Answers) -> Vec<String> {
    validation::reachable(questionnaire, &typed(questionnaire, answers))
        .into_iter()
        .map(|q| q.id.clone())
        .collect()
}

/// Whether the answer in `entry` opens the comment box (e.g. «Скорее нет» / «Нет»).
pub fn opens_comment(question: &Question, entry: &Entry) -> bool {
    entry
        .value
        .as_ref()
        .and_then(|v| validation::parse_value(question, v).ok())
        .is_some_and(|value| validation::invites_comment(question, &value))
}

/// Whether the respondent may go on from `question`.
pub fn readiness(question: &Question, entry: Option<&Entry>) -> Readiness {
    let typed_kind = matches!(question.kind, QuestionKind::Number | QuestionKind::Text);
    let empty = entry.is_none_or(|e| {
        if typed_kind {
            e.input.trim().is_empty()
        } else {
            e.value.is_none()
        }
    });
    match (empty, entry.and_then(|e| e.value.as_ref())) {
        (true, _) if question.required => Readiness::Missing,
        (true, _) | (false, Some(_)) => Readiness::Ready,
        (false, None) => Readiness::Invalid,
    }
}

/// A new entry for what was typed into a number or text field: the value is set only when the
/// input is a valid answer (a number in range with a decimal comma accepted, a non-blank text).
pub fn with_input(question: &Question, previous: &Entry, input: String) -> Entry {
    let candidate = match question.kind {
        QuestionKind::Number => input
            .trim()
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .map(Value::from),
        _ => Some(Value::from(input.as_str())),
    };
    let value = candidate
        .and_then(|v| validation::parse_value(question, &v).ok())
        .map(|v| v.to_wire());
    Entry {
        value,
        input,
        comment: previous.comment.clone(),
    }
}

/// The answers to send: reachable questions with a value, each with its comment where the
/// answer invites one and the comment is not blank.
pub fn raw_answers(questionnaire: &Questionnaire, answers: &Answers) -> Vec<RawAnswer> {
    reachable_ids(questionnaire, answers)
        .iter()
        .filter_map(|id| {
            let question = questionnaire.question(id)?;
            let entry = answers.get(id)?;
            let v = entry.value.clone()?;
            let comment = Some(entry.comment.trim())
                .filter(|c| !c.is_empty() && opens_comment(question, entry))
                .map(str::to_owned);
            Some(RawAnswer {
                q: id.clone(),
                v,
                comment,
            })
        })
        .collect()
}

/// Where a response comes from and when it was finished.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The survey point code.
    pub point: String,
    /// `qr`, or `link` when the point's URL was shared online; a staff channel (`paper`,
    /// `phone`, `interview`) when an operator keys it in.
    pub channel: Channel,
    /// When the respondent pressed «Отправить», with the device's offset.
    pub submitted_at: DateTime<FixedOffset>,
}

/// The response to queue, checked with the server's own rules first.
///
/// # Errors
/// The first problem, naming the question, when the answers would be rejected.
pub fn build_response(
    id: Uuid,
    questionnaire: &Questionnaire,
    answers: &Answers,
    origin: Origin,
) -> Result<NewResponse, ValidationError> {
    let answers = raw_answers(questionnaire, answers);
    validation::validate_answers(questionnaire, &answers)?;
    Ok(NewResponse {
        id,
        point: origin.point,
        questionnaire: questionnaire.id.clone(),
        version: questionnaire.version,
        channel: origin.channel,
        device: None,
        seq: None,
        submitted_at: origin.submitted_at,
        answers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn questionnaire() -> Questionnaire {
        serde_json::from_value(json!({
            "id": "t", "version": 2, "title": "T",
            "questions": [
                {"id": "used", "kind": "yes_no", "text": "Пользовались?", "required": true,
                 "skip": {"when": false, "questions": ["stand"]}},
                {"id": "stand", "kind": "yes_no", "text": "Стенд?", "required": true},
                {"id": "overall", "kind": "likert4", "text": "В целом?", "required": true,
                 "comment": {"on": ["rather_no", "no"], "prompt": "Расскажите, что было не так?"}},
                {"id": "age", "kind": "number", "text": "Возраст", "required": false,
                 "min": 14, "max": 120, "integer": true},
                {"id": "text", "kind": "text", "text": "Предложения", "required": false}
            ]
        }))
        .expect("test questionnaire parses")
    }

    fn answered(pairs: &[(&str, Value)]) -> Answers {
        pairs
            .iter()
            .map(|(q, v)| {
                let entry = Entry {
                    value: Some(v.clone()),
                    ..Entry::default()
                };
                ((*q).to_owned(), entry)
            })
            .collect()
    }

    #[test]
    fn a_no_on_a_filter_skips_and_the_skipped_answer_is_not_sent() {
        let q = questionnaire();
        let mut answers = answered(&[("used", json!(true)), ("stand", json!(true))]);
        assert_eq!(
            reachable_ids(&q, &answers),
            ["used", "stand", "overall", "age", "text"]
        );
        answers.get_mut("used").unwrap().value = Some(json!(false));
        assert_eq!(
            reachable_ids(&q, &answers),
            ["used", "overall", "age", "text"]
        );
        answers.insert(
            "overall".into(),
            Entry {
                value: Some(json!("yes")),
                ..Entry::default()
            },
        );
        let sent: Vec<_> = raw_answers(&q, &answers).into_iter().map(|a| a.q).collect();
        assert_eq!(sent, ["used", "overall"]);
    }

    #[test]
    fn comments_travel_only_where_invited() {
        let q = questionnaire();
        let overall = q.question("overall").unwrap();
        let mut entry = Entry {
            value: Some(json!("rather_no")),
            input: String::new(),
            comment: "  долго ждали ".into(),
        };
        assert!(opens_comment(overall, &entry));
        let mut answers = answered(&[("used", json!(false))]);
        answers.insert("overall".into(), entry.clone());
        assert_eq!(
            raw_answers(&q, &answers)[1].comment.as_deref(),
            Some("долго ждали")
        );

        entry.value = Some(json!("yes"));
        assert!(!opens_comment(overall, &entry));
        answers.insert("overall".into(), entry);
        assert_eq!(raw_answers(&q, &answers)[1].comment, None);
    }

    #[test]
    fn readiness_blocks_required_and_invalid_only() {
        let q = questionnaire();
        let used = q.question("used").unwrap();
        let age = q.question("age").unwrap();
        assert_eq!(readiness(used, None), Readiness::Missing);
        assert_eq!(readiness(age, None), Readiness::Ready);
        let base = Entry::default();
        assert_eq!(
            readiness(age, Some(&with_input(age, &base, "7".into()))),
            Readiness::Invalid
        );
        assert_eq!(
            readiness(age, Some(&with_input(age, &base, "67,5".into()))),
            Readiness::Invalid
        );
        let ok = with_input(age, &base, " 67 ".into());
        assert_eq!(ok.value, Some(json!(67)));
        assert_eq!(readiness(age, Some(&ok)), Readiness::Ready);
    }

    #[test]
    fn the_response_is_validated_and_carries_its_origin() {
        let q = questionnaire();
        let origin = Origin {
            point: "p-1".into(),
            channel: Channel::Link,
            submitted_at: DateTime::parse_from_rfc3339("2026-11-22T10:15:00+03:00").unwrap(),
        };
        let id = Uuid::now_v7();
        let incomplete = answered(&[("used", json!(false))]);
        let err = build_response(id, &q, &incomplete, origin.clone()).unwrap_err();
        assert_eq!(err.q, "overall");

        let text = q.question("text").unwrap();
        let mut answers = answered(&[("used", json!(false)), ("overall", json!("no"))]);
        answers.insert(
            "text".into(),
            with_input(text, &Entry::default(), " больше окон ".into()),
        );
        let response = build_response(id, &q, &answers, origin).unwrap();
        assert_eq!((response.version, response.channel), (2, Channel::Link));
        assert_eq!(response.answers.last().unwrap().v, json!("больше окон"));
    }
}
