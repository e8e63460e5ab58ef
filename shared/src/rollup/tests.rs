//! The codec round trips and the figures of each question kind.

use serde_json::json;

use super::*;

fn question(id: &str, kind: &str) -> Question {
    serde_json::from_value(json!({
        "id": id, "kind": kind, "text": id, "required": false,
        "options": [{"id": "male", "text": "М"}, {"id": "female", "text": "Ж"}],
    }))
    .unwrap()
}

fn counts(question: &str, values: &[(&str, u64)]) -> Counts {
    let mut c = Counts::default();
    for &(key, n) in values {
        c.add(question, key, n);
    }
    c
}

#[test]
fn every_counted_value_comes_back_from_its_key() {
    let values = [
        (
            QuestionKind::Likert4,
            AnswerValue::Likert4(Likert4::RatherNo),
        ),
        (QuestionKind::Nps, AnswerValue::Nps(0)),
        (QuestionKind::Nps, AnswerValue::Nps(10)),
        (QuestionKind::YesNo, AnswerValue::YesNo(true)),
        (QuestionKind::YesNo, AnswerValue::YesNo(false)),
        (QuestionKind::Choice, AnswerValue::Choice("female".into())),
        (QuestionKind::Number, AnswerValue::Number(42.0)),
        (QuestionKind::Number, AnswerValue::Number(-3.25)),
        (QuestionKind::Number, AnswerValue::Number(1e20)),
    ];
    for (kind, value) in values {
        let key = value_key(&value);
        assert_eq!(decode_key(kind, &key), Some(value), "{key:?}");
    }
    assert_eq!(value_key(&AnswerValue::Number(42.0)), "42");
    let text = value_key(&AnswerValue::Text("Спасибо".into()));
    assert_eq!(text, "");
    assert_eq!(
        decode_key(QuestionKind::Text, &text),
        Some(AnswerValue::Text(String::new()))
    );
    assert_eq!(decode_key(QuestionKind::Nps, "11.5"), None);
    assert_eq!(decode_key(QuestionKind::YesNo, "yes"), None);
}

#[test]
fn packed_counts_come_back_as_stored_by_either_backend() {
    let counts = BTreeMap::from([("", 3), ("10", 1), ("9", 2), ("say \"hi\"", 1)]);
    let packed = pack(&counts).unwrap();
    assert_eq!(packed, r#"{"":3,"10":1,"9":2,"say \"hi\"":1}"#);
    let back = unpack(&packed).unwrap();
    let expected: BTreeMap<String, u64> = counts
        .iter()
        .map(|(k, n)| ((*k).to_owned(), u64::try_from(*n).unwrap()))
        .collect();
    assert_eq!(back, expected);
    // PostgreSQL prints jsonb with spaces.
    assert_eq!(unpack(r#"{"9": 2, "10": 1}"#).unwrap().len(), 2);
    for bad in ["[1]", r#"{"9": -1}"#, r#"{"9": 1.5}"#, "{"] {
        assert!(unpack(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_response_counts_once_and_each_answer_under_its_key() {
    let questionnaire: Questionnaire = serde_json::from_value(json!({
        "id": "q", "version": 1, "title": "q",
        "questions": [question("nps", "nps"), question("note", "text")],
    }))
    .unwrap();
    let answers = [
        Answer {
            q: "nps".into(),
            value: AnswerValue::Nps(9),
            comment: None,
        },
        Answer {
            q: "note".into(),
            value: AnswerValue::Text("Хорошо".into()),
            comment: None,
        },
    ];
    let pairs = contributions(&questionnaire, &answers);
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(q, v)| (&q[..], &v[..])).collect();
    assert_eq!(pairs, [(RESPONSES, ""), ("nps", "9"), ("note", "")]);
}

#[test]
fn counts_sum_per_question_and_value() {
    let mut c = counts(RESPONSES, &[("", 2)]);
    c.add(RESPONSES, "", 3);
    c.add("q", "true", 1);
    assert_eq!(c.responses(), 5);
    assert_eq!(c.values("q").collect::<Vec<_>>(), [("true", 1)]);
    assert_eq!(c.values("absent").count(), 0);
    assert_eq!(Counts::default().responses(), 0);
}

#[test]
fn likert_figures_are_the_satisfied_share_with_every_value_listed() {
    let c = counts(
        "l",
        &[
            ("yes", 700),
            ("rather_yes", 300),
            ("rather_no", 150),
            ("no", 50),
            ("?", 9),
        ],
    );
    let QuestionStats::Likert4 {
        n,
        counts,
        satisfied_pct,
        ci95,
        low_n,
    } = question_stats(&question("l", "likert4"), &c, 1201)
    else {
        panic!("not likert figures");
    };
    assert_eq!(n, 1200);
    assert_eq!(counts["rather_no"], 150);
    assert_eq!(counts.len(), 4);
    assert!((satisfied_pct.unwrap() - 83.333_333).abs() < 1e-5);
    assert!(ci95.is_some());
    assert!(low_n);
}

#[test]
fn nps_yes_no_choice_number_and_text_figures() {
    let nps = question_stats(
        &question("n", "nps"),
        &counts("n", &[("10", 3), ("7", 1), ("0", 1)]),
        1,
    );
    let QuestionStats::Nps {
        n,
        scores,
        promoters,
        passives,
        detractors,
        nps,
        low_n,
        ..
    } = nps
    else {
        panic!("not nps figures");
    };
    assert_eq!((n, promoters, passives, detractors), (5, 3, 1, 1));
    assert_eq!(scores, [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 3]);
    assert_eq!(nps, Some(40.0));
    assert!(!low_n);

    // Every key of a yes/no question is an answer; only `true` is a «Да».
    let yes_no = question_stats(
        &question("y", "yes_no"),
        &counts("y", &[("true", 3), ("false", 1)]),
        10,
    );
    assert!(matches!(
        yes_no,
        QuestionStats::YesNo {
            n: 4,
            yes: 3,
            yes_pct: Some(75.0),
            low_n: true,
            ..
        }
    ));

    let choice = question_stats(
        &question("c", "choice"),
        &counts("c", &[("female", 2), ("other", 1)]),
        1,
    );
    let expected = BTreeMap::from([
        ("female".to_owned(), 2),
        ("male".to_owned(), 0),
        ("other".to_owned(), 1),
    ]);
    assert_eq!(
        choice,
        QuestionStats::Choice {
            n: 3,
            counts: expected
        }
    );

    let number = question_stats(
        &question("a", "number"),
        &counts("a", &[("20", 1), ("40", 1), ("x", 5)]),
        1,
    );
    assert_eq!(
        number,
        QuestionStats::Number {
            n: 2,
            mean: Some(30.0),
            median: Some(30.0)
        }
    );

    let text = question_stats(&question("t", "text"), &counts("t", &[("", 4)]), 1);
    assert_eq!(text, QuestionStats::Text { n: 4 });
}
