//! Generated test data: valid responses of any built-in questionnaire, deterministic per seed.
//!
//! The generator follows the questionnaire definitions (kinds, options, ranges, skip rules,
//! comment invitations) with its own code, so it does not share the server's demo generator.

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use otklik_shared::questionnaire::{QuestionKind, Questionnaire};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

/// The built-in questionnaire `id` (version 1), as shipped.
pub fn questionnaire(id: &str) -> Questionnaire {
    otklik_shared::catalog::builtin_questionnaires()
        .expect("the built-in questionnaires load")
        .into_iter()
        .find(|q| q.id == id)
        .unwrap_or_else(|| panic!("no built-in questionnaire {id}"))
}

const COMMENTS: [&str; 4] = [
    "Долго ждали в очереди",
    "Сотрудник не объяснил порядок",
    "'; drop table responses; --",
    "Нет кулера, душно",
];
const TEXTS: [&str; 3] = [
    "Больше окон приёма",
    "Работать по субботам",
    "Спасибо всем сотрудникам",
];
const OFFSETS: [i32; 4] = [0, 3 * 3600, 10 * 3600, -5 * 3600];

/// A seeded generator of valid responses.
pub struct Generator {
    rng: StdRng,
}

impl Generator {
    /// A generator; the same seed gives the same data.
    pub fn new(seed: u64) -> Self {
        Self {
            rng: StdRng::seed_from_u64(seed),
        }
    }

    /// A random UUID (v4 layout) from the seeded generator.
    pub fn id(&mut self) -> String {
        uuid::Builder::from_random_bytes(self.rng.gen())
            .into_uuid()
            .to_string()
    }

    /// A random instant in `[from, to)`, written with a random offset.
    pub fn instant(&mut self, from: DateTime<Utc>, to: DateTime<Utc>) -> DateTime<FixedOffset> {
        let span = (to - from).num_seconds().max(1);
        let at = from + Duration::seconds(self.rng.gen_range(0..span));
        let offset = FixedOffset::east_opt(OFFSETS[self.rng.gen_range(0..OFFSETS.len())])
            .expect("valid offset");
        at.with_timezone(&offset)
    }

    /// Picks one of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.gen_range(0..items.len())]
    }

    /// A plausible valid answer set: required questions answered unless skipped, optional ones
    /// sometimes; skip rules followed; comments only where invited.
    pub fn answers(&mut self, q: &Questionnaire) -> Vec<Value> {
        let mut skipped: Vec<String> = Vec::new();
        let mut out = Vec::new();
        for question in &q.questions {
            if skipped.contains(&question.id) {
                continue;
            }
            if !question.required && self.rng.gen_bool(0.35) {
                continue;
            }
            let v = match question.kind {
                QuestionKind::Likert4 => {
                    json!(*self.pick(&["yes", "rather_yes", "rather_no", "no"]))
                }
                QuestionKind::Nps => json!(self.rng.gen_range(0..=10)),
                QuestionKind::YesNo => json!(self.rng.gen_bool(0.7)),
                QuestionKind::Choice => {
                    let i = self.rng.gen_range(0..question.options.len());
                    json!(question.options[i].id)
                }
                QuestionKind::Number => {
                    let lo = question.min.unwrap_or(0.0) as i64;
                    let hi = question.max.unwrap_or(100.0) as i64;
                    json!(self.rng.gen_range(lo..=hi))
                }
                QuestionKind::Text => json!(*self.pick(&TEXTS)),
            };
            let mut answer = json!({"q": question.id, "v": v});
            let invited = question
                .comment
                .as_ref()
                .is_some_and(|rule| rule.on.iter().any(|on| json!(on) == v));
            if invited && self.rng.gen_bool(0.4) {
                answer["comment"] = json!(*self.pick(&COMMENTS));
            }
            if let Some(rule) = &question.skip {
                if rule.when == v {
                    skipped.extend(rule.questions.iter().cloned());
                }
            }
            out.push(answer);
        }
        out
    }

    /// A complete valid response.
    pub fn response(
        &mut self,
        point: &str,
        q: &Questionnaire,
        channel: &str,
        submitted_at: DateTime<FixedOffset>,
    ) -> Value {
        json!({
            "id": self.id(),
            "point": point,
            "questionnaire": q.id,
            "version": q.version,
            "channel": channel,
            "submitted_at": submitted_at.to_rfc3339(),
            "answers": self.answers(q),
        })
    }
}

/// Midnight UTC of a date, `y-m-d`.
pub fn utc(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 0, 0, 0)
        .single()
        .expect("valid date")
}

/// A complete `nsi-satisfaction` response at `point` as JSON text, written by hand so that
/// tests can vary key order, offsets and number forms of the same payload.
pub fn nsi_satisfaction(id: &str, point: &str) -> Value {
    json!({
        "id": id,
        "point": point,
        "questionnaire": "nsi-satisfaction",
        "version": 1,
        "channel": "qr",
        "device": null,
        "seq": null,
        "submitted_at": "2026-11-02T10:15:00+03:00",
        "answers": [
            {"q": "process", "v": "rather_no", "comment": "долго ждали"},
            {"q": "documents", "v": "yes"},
            {"q": "duration", "v": "yes"},
            {"q": "simplicity", "v": "rather_yes"},
            {"q": "support", "v": "no"},
            {"q": "nps", "v": 9},
            {"q": "suggestions", "v": "больше окон"}
        ]
    })
}

/// A complete `express` response at `point`.
pub fn express(id: &str, point: &str, channel: &str) -> Value {
    json!({
        "id": id,
        "point": point,
        "questionnaire": "express",
        "version": 1,
        "channel": channel,
        "submitted_at": "2026-11-02T10:15:00+03:00",
        "answers": [{"q": "overall", "v": "yes"}, {"q": "nps", "v": 10}]
    })
}

/// A fresh random id.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
