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
            let mut scores = [0; 11];
            for (v, n) in values() {
                if let AnswerValue::Nps(score) = v {
                    c.add(score, n);
                    if let Some(slot) = scores.get_mut(usize::from(score)) {
                        *slot += n;
                    }
                }
            }
            QuestionStats::Nps {
                n: c.n(),
                scores,
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
mod tests;
