//! Frozen measurement: what may follow a questionnaire version a baseline was measured with.

use super::*;
use crate::catalog::builtin_questionnaires;

fn nsi() -> Questionnaire {
    builtin_questionnaires()
        .expect("catalog")
        .into_iter()
        .find(|q| q.id == "nsi-satisfaction")
        .expect("nsi-satisfaction")
}

fn auxiliary(id: &str) -> Question {
    serde_json::from_value(serde_json::json!({
        "id": id, "kind": "yes_no", "required": false,
        "text": "Пользовались ли Вы электронной очередью?",
        "auxiliary": {"approved_by": "Штаб по НСИ", "approved_at": "2026-10-01"}
    }))
    .expect("question")
}

fn successor(mut q: Questionnaire) -> Questionnaire {
    q.version += 1;
    q
}

#[test]
fn an_appended_auxiliary_block_may_follow_a_frozen_version() {
    let frozen = nsi();
    let mut next = successor(frozen.clone());
    next.questions.push(auxiliary("e_queue"));
    assert_eq!(next.check(), Ok(()));
    assert_eq!(frozen.check_successor(&next), Ok(()));
    // The next quarter's block may differ from this one's.
    let mut later = successor(next.clone());
    later.questions.pop();
    later.questions.push(auxiliary("site_booking"));
    assert_eq!(next.check_successor(&later), Ok(()));
}

#[test]
fn a_core_question_changed_removed_moved_or_added_is_refused() {
    let frozen = nsi();
    let mut reworded = successor(frozen.clone());
    reworded.questions[0].text.push_str(" сегодня");
    let err = frozen.check_successor(&reworded).unwrap_err().0;
    assert!(err.contains("process cannot change"), "{err}");

    let mut removed = successor(frozen.clone());
    removed.questions.remove(1);
    assert!(frozen.check_successor(&removed).is_err());

    let mut moved = successor(frozen.clone());
    moved.questions.swap(0, 1);
    assert!(frozen.check_successor(&moved).is_err());

    let mut added = successor(frozen.clone());
    let mut core = auxiliary("extra");
    core.auxiliary = None;
    added.questions.push(core);
    let err = frozen.check_successor(&added).unwrap_err().0;
    assert!(err.contains("must be auxiliary"), "{err}");

    // The same version number again is no successor.
    assert!(frozen.check_successor(&frozen).is_err());
}

#[test]
fn auxiliary_questions_form_a_stamped_block_after_the_core() {
    let mut q = nsi();
    q.questions.insert(0, auxiliary("first"));
    assert!(q
        .check()
        .unwrap_err()
        .0
        .contains("comes after an auxiliary one"));

    let mut unstamped = nsi();
    let mut question = auxiliary("e_queue");
    question.auxiliary = Some(Approval {
        approved_by: " ".into(),
        approved_at: "вчера".into(),
    });
    unstamped.questions.push(question);
    assert!(unstamped.check().unwrap_err().0.contains("approved_by"));
}

fn reported_time(unit: &str, max: f64) -> Question {
    serde_json::from_value(serde_json::json!({
        "id": "took_days", "kind": "number", "required": false, "integer": true,
        "text": "Сколько дней прошло от обращения до трудоустройства?",
        "min": 0, "max": max, "time_unit": unit,
        "auxiliary": {"approved_by": "Штаб по НСИ", "approved_at": "2026-10-01"}
    }))
    .expect("question")
}

#[test]
fn a_reported_time_is_a_bounded_number_in_one_unit() {
    let mut q = successor(nsi());
    q.questions.push(reported_time("days", 365.0));
    q.check().expect("a number of days up to a year");
    assert_eq!(
        q.question("took_days").and_then(|x| x.time_unit),
        Some(TimeUnit::Days)
    );

    let mut absurd = successor(nsi());
    absurd.questions.push(reported_time("days", 1e6));
    let err = absurd.check().expect_err("a million days").0;
    assert!(err.contains("at most 3650 days"), "{err}");

    let mut text = successor(nsi());
    let mut question = reported_time("hours", 48.0);
    question.kind = QuestionKind::Text;
    text.questions.push(question);
    let err = text.check().expect_err("a text cannot report a time").0;
    assert!(err.contains("must be a number question"), "{err}");

    let unknown: Result<Question, _> = serde_json::from_value(serde_json::json!({
        "id": "t", "kind": "number", "required": false, "text": "?", "min": 0, "max": 9,
        "time_unit": "weeks"
    }));
    assert!(unknown.is_err(), "an unknown unit is refused when read");
}

#[test]
fn a_question_id_keeps_its_kind_and_time_unit_across_versions() {
    let mut first = successor(nsi());
    first.questions.push(reported_time("days", 365.0));
    let mut next = successor(first.clone());
    next.check_pooled(&first).expect("the same questions");

    next.questions[first.questions.len() - 1] = reported_time("hours", 1000.0);
    let err = next.check_pooled(&first).expect_err("days became hours").0;
    assert!(err.contains("took_days was number in days"), "{err}");

    let mut kind = successor(first.clone());
    kind.questions[0].kind = QuestionKind::YesNo;
    let err = kind.check_pooled(&first).expect_err("a kind changed").0;
    assert!(err.contains("keeps its kind"), "{err}");
}
