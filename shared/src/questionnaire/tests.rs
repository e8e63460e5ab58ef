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
