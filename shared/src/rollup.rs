//! The rollup codec: how a response is counted, how a rollup row packs its counts, and the
//! per-question figures of `GET /api/v1/stats` made from the summed counts.
//!
//! A response adds one to the pair ([`RESPONSES`], `""`) and one to (question, value key) for
//! each answer ([`contributions`]). The server stores one rollup row per point, questionnaire,
//! grain, period, channel and question, whose values' counts are one JSON object
//! (`{"9": 2, "10": 1}`, [`pack`] and [`unpack`]). `/stats` sums the rows in its range into
//! [`Counts`] and turns them into figures with [`question_stats`]; anyone holding the same
//! counts (the dashboard) gets the same figures from the same functions.

use std::collections::BTreeMap;

use crate::answer::{number_to_wire, Answer, AnswerValue, Likert4};
use crate::api::QuestionStats;
use crate::nok::YesNoCounts;
use crate::questionnaire::{Question, QuestionKind, Questionnaire};
use crate::score::{mean_median, share_pct, wilson95, Likert4Counts, NpsCounts};

/// The question id under which each response itself is counted (with the value key `""`):
/// no question has an empty id.
pub const RESPONSES: &str = "";

/// The key under which a value is counted: the wire value as text for scales, options and
/// numbers; empty for free text, which is only counted, never grouped.
pub fn value_key(value: &AnswerValue) -> String {
    match value {
        AnswerValue::Likert4(v) => v.as_str().to_owned(),
        AnswerValue::Nps(v) => v.to_string(),
        AnswerValue::YesNo(v) => v.to_string(),
        AnswerValue::Choice(v) => v.clone(),
        AnswerValue::Number(v) => number_to_wire(*v).to_string(),
        AnswerValue::Text(_) => String::new(),
    }
}

/// The value a count key stands for under a question of `kind` ([`value_key`] reversed); a
/// free-text key stands for an empty text. `None` for a key no answer of that kind gives.
pub fn decode_key(kind: QuestionKind, key: &str) -> Option<AnswerValue> {
    match kind {
        QuestionKind::Likert4 => Likert4::parse(key).map(AnswerValue::Likert4),
        QuestionKind::Nps => key.parse().ok().map(AnswerValue::Nps),
        QuestionKind::YesNo => key.parse().ok().map(AnswerValue::YesNo),
        QuestionKind::Choice => Some(AnswerValue::Choice(key.to_owned())),
        QuestionKind::Number => key.parse().ok().map(AnswerValue::Number),
        QuestionKind::Text => key.is_empty().then(|| AnswerValue::Text(String::new())),
    }
}

/// What one checked response adds to the rollups, as (question, value key) pairs: the
/// response count first, then one pair per answer (free text under `""` whatever it says).
pub fn contributions(questionnaire: &Questionnaire, answers: &[Answer]) -> Vec<(String, String)> {
    let mut counts = Vec::with_capacity(answers.len() + 1);
    counts.push((RESPONSES.to_owned(), String::new()));
    for a in answers {
        let kind = questionnaire.question(&a.q).map(|q| q.kind);
        let key = if kind == Some(QuestionKind::Text) {
            String::new()
        } else {
            value_key(&a.value)
        };
        counts.push((a.q.clone(), key));
    }
    counts
}

/// A stored counts object that is not one.
#[derive(Debug, thiserror::Error)]
#[error("rollup counts are not a JSON object of value → count: {0}")]
pub struct BadCounts(#[from] serde_json::Error);

/// Packs one rollup row's counts, value key → count, into the stored JSON object.
///
/// # Errors
/// Never in practice: a map of strings to integers always serialises.
pub fn pack(counts: &BTreeMap<&str, i64>) -> Result<String, BadCounts> {
    Ok(serde_json::to_string(counts)?)
}

/// Unpacks a stored counts object.
///
/// # Errors
/// [`BadCounts`] when the text is not a JSON object of non-negative integers.
pub fn unpack(text: &str) -> Result<BTreeMap<String, u64>, BadCounts> {
    Ok(serde_json::from_str(text)?)
}

/// Counts summed per question and value key, over any set of rollup rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    by_question: BTreeMap<String, BTreeMap<String, u64>>,
}

impl Counts {
    /// Adds `n` to the value `key` of `question`.
    pub fn add(&mut self, question: &str, key: &str, n: u64) {
        let values = match self.by_question.get_mut(question) {
            Some(values) => values,
            None => self.by_question.entry(question.to_owned()).or_default(),
        };
        match values.get_mut(key) {
            Some(count) => *count += n,
            None => {
                values.insert(key.to_owned(), n);
            }
        }
    }

    /// How many responses were counted.
    pub fn responses(&self) -> u64 {
        self.by_question
            .get(RESPONSES)
            .and_then(|values| values.get(""))
            .copied()
            .unwrap_or(0)
    }

    /// The value keys of `question` and their counts, by key.
    pub fn values<'a>(&'a self, question: &str) -> impl Iterator<Item = (&'a str, u64)> + 'a {
        self.by_question
            .get(question)
            .into_iter()
            .flatten()
            .map(|(key, n)| (key.as_str(), *n))
    }

    /// The «Да»/«Нет» counts of `question`. Every key counts as an answer, as in `/stats`.
    pub fn yes_no(&self, question: &str) -> YesNoCounts {
        let mut c = YesNoCounts::default();
        for (key, n) in self.values(question) {
            let yes = decode_key(QuestionKind::YesNo, key) == Some(AnswerValue::YesNo(true));
            c.add(yes, n);
        }
        c
    }
}

/// The figures of one question from its value counts; `min_n` is the least number of answers
/// whose figures are shown without a low-n flag.
pub fn question_stats(question: &Question, counts: &Counts, min_n: u64) -> QuestionStats {
    let values = || {
        counts
            .values(&question.id)
            .filter_map(|(key, n)| decode_key(question.kind, key).map(|v| (v, n)))
    };
    match question.kind {
        QuestionKind::Likert4 => {
            let mut c = Likert4Counts::default();
            for (v, n) in values() {
                if let AnswerValue::Likert4(l) = v {
                    c.add(l, n);
                }
            }
            QuestionStats::Likert4 {
                n: c.n(),
                counts: Likert4::ALL
                    .iter()
                    .map(|&l| (l.as_str().to_owned(), c.get(l)))
                    .collect(),
                satisfied_pct: c.satisfied_pct(),
                ci95: c.ci95(),
                low_n: c.n() < min_n,
            }
        }
        QuestionKind::Nps => {
            let mut c = NpsCounts::default();
            for (v, n) in values() {
                if let AnswerValue::Nps(score) = v {
                    c.add(score, n);
                }
            }
            QuestionStats::Nps {
                n: c.n(),
                promoters: c.promoters,
                passives: c.passives,
                detractors: c.detractors,
                nps: c.nps(),
                ci95: c.ci95(),
                low_n: c.n() < min_n,
            }
        }
        QuestionKind::YesNo => {
            let c = counts.yes_no(&question.id);
            QuestionStats::YesNo {
                n: c.n,
                yes: c.yes,
                yes_pct: share_pct(c.yes, c.n),
                ci95: wilson95(c.yes, c.n),
                low_n: c.n < min_n,
            }
        }
        QuestionKind::Choice => {
            let mut by_option: BTreeMap<String, u64> =
                question.options.iter().map(|o| (o.id.clone(), 0)).collect();
            for (key, n) in counts.values(&question.id) {
                *by_option.entry(key.to_owned()).or_default() += n;
            }
            QuestionStats::Choice {
                n: by_option.values().sum(),
                counts: by_option,
            }
        }
        QuestionKind::Number => {
            let numbers: Vec<(f64, u64)> = values()
                .filter_map(|(v, n)| match v {
                    AnswerValue::Number(x) => Some((x, n)),
                    _ => None,
                })
                .collect();
            let n = numbers.iter().map(|(_, c)| c).sum();
            let (mean, median) = mean_median(&numbers).unzip();
            QuestionStats::Number { n, mean, median }
        }
        QuestionKind::Text => QuestionStats::Text {
            n: counts.values(&question.id).map(|(_, n)| n).sum(),
        },
    }
}

#[cfg(test)]
mod tests {
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
}
