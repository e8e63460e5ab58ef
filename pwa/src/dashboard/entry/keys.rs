//! Which option a key picks while a paper questionnaire is keyed in (pure, tested on the
//! host). The keys follow the order the options are printed in, so an operator reads a ticked
//! box and presses its number without looking at the screen:
//! - 4-point scale: 1 Да, 2 Скорее да, 3 Скорее нет, 4 Нет;
//! - NPS: the digit itself, and «10» as 1 then 0;
//! - yes/no: 1 Да, 2 Нет, and the initials д / н (y / n);
//! - 4-point and choice questions also by letter, а б в г… (a b c d… on a Latin layout).
//!
//! Enter moves through the form's stops ([`stops`]): each reachable question, and the comment
//! box an answer opened, in order; on the last stop it saves.

use otklik_shared::questionnaire::{QuestionKind, Questionnaire};

use crate::draft::{self, Answers};

/// A place Enter moves the focus to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// A question's radio group, by the radios' `name` (the question id).
    Options(String),
    /// A typed field (number, text, comment), by its element id.
    Field(String),
}

/// The stops of the form with these answers, in order: every reachable question (skipped ones
/// are not on screen), each followed by its comment box while the answer opens one.
pub fn stops(questionnaire: &Questionnaire, answers: &Answers) -> Vec<Stop> {
    let mut stops = Vec::new();
    for id in draft::reachable_ids(questionnaire, answers) {
        let Some(question) = questionnaire.question(&id) else {
            continue;
        };
        if matches!(question.kind, QuestionKind::Number | QuestionKind::Text) {
            stops.push(Stop::Field(id));
            continue;
        }
        let comment = answers
            .get(&id)
            .is_some_and(|entry| draft::opens_comment(question, entry));
        stops.push(Stop::Options(id.clone()));
        if comment {
            stops.push(Stop::Field(format!("{id}-comment")));
        }
    }
    stops
}

/// The stop after `current` (`None` when `current` is the last one, so Enter saves); a focus
/// outside the stops starts at the first.
pub fn after(stops: &[Stop], current: Option<&Stop>) -> Option<Stop> {
    let next = match current.and_then(|c| stops.iter().position(|s| s == c)) {
        Some(i) => i + 1,
        None => 0,
    };
    stops.get(next).cloned()
}

/// Letters for the options in order, on a Russian and on a Latin layout.
const RUSSIAN: [char; 10] = ['а', 'б', 'в', 'г', 'д', 'е', 'ж', 'з', 'и', 'к'];
const LATIN: [char; 10] = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];

/// The index of the option that `key` (a `KeyboardEvent.key`) picks in a question of `kind`
/// with `options` options, given the `previous` key pressed in the same question; `None` for
/// a key that picks nothing there (it then keeps its usual meaning).
pub fn pick(
    kind: QuestionKind,
    options: usize,
    key: &str,
    previous: Option<&str>,
) -> Option<usize> {
    let mut chars = key.chars();
    let c = chars.next()?.to_lowercase().next()?;
    if chars.next().is_some() {
        return None;
    }
    let digit = c.to_digit(10).map(|d| d as usize);
    let index = match kind {
        QuestionKind::Nps => match (digit?, previous) {
            (0, Some("1")) => 10,
            (d, _) => d,
        },
        QuestionKind::YesNo => match c {
            '1' | 'д' | 'y' => 0,
            '2' | 'н' | 'n' => 1,
            _ => return None,
        },
        QuestionKind::Likert4 | QuestionKind::Choice => match digit {
            Some(d) => d.checked_sub(1)?,
            None => RUSSIAN
                .iter()
                .position(|&l| l == c)
                .or_else(|| LATIN.iter().position(|&l| l == c))?,
        },
        QuestionKind::Number | QuestionKind::Text => return None,
    };
    (index < options).then_some(index)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::draft::Entry;

    fn questionnaire() -> Questionnaire {
        serde_json::from_value(json!({
            "id": "t", "version": 1, "title": "T",
            "questions": [
                {"id": "used", "kind": "yes_no", "text": "Пользовались?", "required": true,
                 "skip": {"when": false, "questions": ["stand"]}},
                {"id": "stand", "kind": "yes_no", "text": "Стенд?", "required": true},
                {"id": "overall", "kind": "likert4", "text": "В целом?", "required": true,
                 "comment": {"on": ["rather_no", "no"], "prompt": "Расскажите, что было не так?"}},
                {"id": "text", "kind": "text", "text": "Предложения", "required": false}
            ]
        }))
        .expect("test questionnaire parses")
    }

    fn answer(answers: &mut Answers, q: &str, v: serde_json::Value) {
        answers.insert(
            q.into(),
            Entry {
                value: Some(v),
                ..Entry::default()
            },
        );
    }

    #[test]
    fn enter_walks_the_reachable_questions_and_an_opened_comment_then_saves() {
        let q = questionnaire();
        let mut answers = Answers::new();
        let opts = |id: &str| Stop::Options(id.into());
        let field = |id: &str| Stop::Field(id.into());
        assert_eq!(
            stops(&q, &answers),
            [opts("used"), opts("stand"), opts("overall"), field("text")]
        );
        answer(&mut answers, "used", json!(false));
        answer(&mut answers, "overall", json!("no"));
        let walk = stops(&q, &answers);
        assert_eq!(
            walk,
            [
                opts("used"),
                opts("overall"),
                field("overall-comment"),
                field("text")
            ]
        );
        assert_eq!(after(&walk, None), Some(opts("used")));
        assert_eq!(after(&walk, Some(&opts("used"))), Some(opts("overall")));
        assert_eq!(
            after(&walk, Some(&opts("overall"))),
            Some(field("overall-comment"))
        );
        assert_eq!(
            after(&walk, Some(&field("text"))),
            None,
            "the last one saves"
        );
        assert_eq!(after(&walk, Some(&opts("stand"))), Some(opts("used")));
    }

    #[test]
    fn the_four_point_scale_is_keyed_in_print_order() {
        let likert = |key| pick(QuestionKind::Likert4, 4, key, None);
        assert_eq!(likert("1"), Some(0), "Да");
        assert_eq!(likert("2"), Some(1), "Скорее да");
        assert_eq!(likert("3"), Some(2), "Скорее нет");
        assert_eq!(likert("4"), Some(3), "Нет");
        assert_eq!(likert("Г"), Some(3));
        assert_eq!(likert("b"), Some(1));
        for nothing in ["0", "5", "д", "e", "Enter", "Tab", " "] {
            assert_eq!(likert(nothing), None, "{nothing}");
        }
    }

    #[test]
    fn nps_takes_the_digit_and_ten_as_one_then_zero() {
        let nps = |key, previous| pick(QuestionKind::Nps, 11, key, previous);
        assert_eq!(nps("0", None), Some(0));
        assert_eq!(nps("7", Some("3")), Some(7));
        assert_eq!(nps("1", None), Some(1));
        assert_eq!(nps("0", Some("1")), Some(10));
        assert_eq!(nps("0", Some("2")), Some(0));
        assert_eq!(nps("a", None), None);
    }

    #[test]
    fn yes_no_by_digit_or_initial() {
        let yes_no = |key| pick(QuestionKind::YesNo, 2, key, None);
        for (key, want) in [("1", 0), ("Д", 0), ("y", 0), ("2", 1), ("н", 1), ("N", 1)] {
            assert_eq!(yes_no(key), Some(want), "{key}");
        }
        assert_eq!(yes_no("3"), None);
        assert_eq!(yes_no("0"), None);
    }

    #[test]
    fn choices_stop_at_their_last_option_and_typed_answers_take_no_keys() {
        assert_eq!(pick(QuestionKind::Choice, 3, "3", None), Some(2));
        assert_eq!(pick(QuestionKind::Choice, 3, "4", None), None);
        assert_eq!(pick(QuestionKind::Choice, 3, "в", None), Some(2));
        assert_eq!(pick(QuestionKind::Number, 0, "1", None), None);
        assert_eq!(pick(QuestionKind::Text, 0, "a", None), None);
    }
}
