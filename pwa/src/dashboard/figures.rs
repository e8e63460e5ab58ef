//! What the overview's cards and channel table show, taken from `/stats` as it came: which
//! question stands for «Доля удовлетворённых» and «NPS», the НОК total, and the change against
//! the previous quarter. Nothing is recomputed here; the server's figures, intervals and
//! `low_n` flags pass through untouched, and only [`format`](super::format) rounds them.

use otklik_shared::answer::Channel;
use otklik_shared::api::{Headline, QuestionStats, StatsReply};

/// Which card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardKind {
    /// Responses counted (observations excluded).
    Responses,
    /// The share satisfied of the headline 4-point (or, in НОК, yes/no) question.
    Satisfied,
    /// The NPS question.
    Nps,
    /// НОК's total score Sn.
    NokTotal,
}

/// One figure as `/stats` gave it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    /// The value; `None` without data.
    pub value: Option<f64>,
    /// Answers (respondents for НОК) it rests on.
    pub n: u64,
    /// Its 95 % interval, where the server computes one.
    pub ci95: Option<[f64; 2]>,
    /// Below the minimum n: shown greyed with «мало ответов».
    pub low_n: bool,
    /// Above one institution, how many institutions a НОК mean covers.
    pub institutions: Option<u64>,
}

/// A card: the quarter's figure and the previous quarter's value to compare with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Card {
    /// Which card.
    pub kind: CardKind,
    /// This quarter.
    pub figure: Figure,
    /// The previous quarter's value, when it had one.
    pub previous: Option<f64>,
}

impl Card {
    /// This quarter's value minus the previous one's, when both exist.
    pub fn change(&self) -> Option<f64> {
        Some(self.figure.value? - self.previous?)
    }
}

/// The cards for `current`, compared with `previous`: «Ответов» always, the others when the
/// questionnaire has what they show.
pub fn cards(current: &StatsReply, previous: Option<&StatsReply>) -> Vec<Card> {
    [
        CardKind::Responses,
        CardKind::Satisfied,
        CardKind::Nps,
        CardKind::NokTotal,
    ]
    .into_iter()
    .filter_map(|kind| {
        let figure = figure(kind, current)?;
        let previous = previous.and_then(|p| figure_value(kind, p));
        Some(Card {
            kind,
            figure,
            previous,
        })
    })
    .collect()
}

/// The figure of card `kind` in `stats`, if the questionnaire has one.
fn figure(kind: CardKind, stats: &StatsReply) -> Option<Figure> {
    let from_headline = |h: Headline| Figure {
        value: h.value,
        n: h.n,
        ci95: h.ci95,
        low_n: h.low_n,
        institutions: None,
    };
    match kind {
        CardKind::Responses => Some(Figure {
            value: Some(stats.responses as f64),
            n: stats.responses,
            ci95: None,
            low_n: stats.responses < stats.min_n,
            institutions: None,
        }),
        CardKind::Satisfied => satisfied_question(stats).map(from_headline),
        CardKind::Nps => nps_question(stats).map(from_headline),
        CardKind::NokTotal => stats.nok.as_ref().map(|nok| Figure {
            value: nok.total,
            n: nok.n,
            ci95: nok
                .ci95
                .as_ref()
                .and_then(|ci| ci.get("total").copied().flatten()),
            low_n: nok.low_n,
            institutions: nok.institutions,
        }),
    }
}

fn figure_value(kind: CardKind, stats: &StatsReply) -> Option<f64> {
    figure(kind, stats)?.value
}

/// The question behind «Доля удовлетворённых»: `process`, the НСИ KPI's first question; else
/// `overall` (the express survey's 4-point question, НОК's «в целом удовлетворены»); else the
/// first 4-point question. The same defaults as `/rankings`, so a card and a ranking agree.
fn satisfied_question(stats: &StatsReply) -> Option<Headline> {
    stats
        .questions
        .get(satisfied_question_id(stats)?)?
        .headline()
}

/// The id of the question behind «Доля удовлетворённых» ([`satisfied_question`]): what the
/// overview's trend follows.
pub fn satisfied_question_id(stats: &StatsReply) -> Option<&str> {
    let satisfaction = |id: &str| {
        matches!(
            stats.questions.get(id),
            Some(QuestionStats::Likert4 { .. } | QuestionStats::YesNo { .. })
        )
    };
    ["process", "overall"]
        .into_iter()
        .find(|id| satisfaction(id))
        .or_else(|| {
            stats
                .questions
                .iter()
                .find(|(_, q)| matches!(q, QuestionStats::Likert4 { .. }))
                .map(|(id, _)| id.as_str())
        })
}

/// The question behind «NPS»: `nps`, else any NPS question. (НОК's `recommend` is yes/no and
/// never stands in for NPS.)
fn nps_question(stats: &StatsReply) -> Option<Headline> {
    let is_nps = |q: &&QuestionStats| matches!(q, QuestionStats::Nps { .. });
    stats
        .questions
        .get("nps")
        .filter(is_nps)
        .or_else(|| stats.questions.values().find(is_nps))
        .and_then(QuestionStats::headline)
}

/// The channel split, in the order the interface lists channels, each with its count; the
/// observations apart (they are not in any figure).
pub fn channels(stats: &StatsReply) -> (Vec<(Channel, u64)>, Option<u64>) {
    let count = |c: Channel| stats.channels.get(c.as_str()).copied().filter(|&n| n > 0);
    let listed = CHANNEL_ORDER
        .into_iter()
        .filter_map(|c| count(c).map(|n| (c, n)))
        .collect();
    (listed, count(Channel::Observation))
}

/// The order of the channel table: anonymous first, then kiosks, then staff-keyed.
pub const CHANNEL_ORDER: [Channel; 6] = [
    Channel::Qr,
    Channel::Kiosk,
    Channel::Link,
    Channel::Paper,
    Channel::Phone,
    Channel::Interview,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(json: serde_json::Value) -> StatsReply {
        let mut base = serde_json::json!({
            "org": "demo", "questionnaire": "nsi-satisfaction", "from": "2026-01-01",
            "to": "2026-03-31", "responses": 0, "questions": {}, "nok": null, "min_n": 30,
            "channels": {}
        });
        for (k, v) in json.as_object().unwrap() {
            base[k] = v.clone();
        }
        serde_json::from_value(base).unwrap()
    }

    fn likert(n: u64, pct: f64, low_n: bool) -> serde_json::Value {
        serde_json::json!({"kind": "likert4", "n": n, "counts": {}, "satisfied_pct": pct,
            "ci95": [pct - 3.0, pct + 3.0], "low_n": low_n})
    }

    #[test]
    fn cards_take_the_figures_as_they_came() {
        let current = stats(serde_json::json!({
            "responses": 120,
            "questions": {
                "documents": likert(118, 50.0, false),
                "process": likert(120, 68.24, false),
                "nps": {"kind": "nps", "n": 110, "scores": [2, 2, 2, 2, 4, 4, 4, 20, 20, 25, 25],
                        "promoters": 50, "passives": 40,
                        "detractors": 20, "nps": 27.27, "ci95": [17.0, 37.5], "low_n": false}
            },
            "channels": {"qr": 80, "paper": 40, "observation": 3}
        }));
        let previous = stats(serde_json::json!({
            "responses": 20,
            "questions": {"process": likert(20, 70.0, true)}
        }));
        let cards = cards(&current, Some(&previous));
        let kinds: Vec<_> = cards.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [CardKind::Responses, CardKind::Satisfied, CardKind::Nps]
        );
        let satisfied = cards[1];
        assert_eq!(
            satisfied.figure.value,
            Some(68.24),
            "process, not documents"
        );
        assert_eq!(satisfied.figure.n, 120);
        assert_eq!(satisfied.figure.ci95, Some([65.24, 71.24]));
        assert_eq!(satisfied.previous, Some(70.0));
        assert!((satisfied.change().unwrap() - (68.24 - 70.0)).abs() < 1e-9);
        assert_eq!(cards[0].figure.value, Some(120.0));
        assert!(!cards[0].figure.low_n);
        assert_eq!(cards[0].change(), Some(100.0));
        // The previous quarter had no NPS: no change to show.
        assert_eq!(cards[2].previous, None);
        assert_eq!(cards[2].change(), None);
        // Low n passes through from the server and marks a small «Ответов» too.
        let small = super::cards(&previous, None);
        assert!(small[0].figure.low_n && small[1].figure.low_n);
    }

    #[test]
    fn nok_has_its_total_card_and_yes_no_satisfaction() {
        let nok = stats(serde_json::json!({
            "questionnaire": "nok-social",
            "responses": 90,
            "questions": {
                "overall": {"kind": "yes_no", "n": 90, "yes": 81, "yes_pct": 90.0,
                            "ci95": [82.08, 94.65], "low_n": false},
                "recommend": {"kind": "yes_no", "n": 90, "yes": 60, "yes_pct": 66.7,
                              "ci95": [56.0, 75.0], "low_n": false}
            },
            "nok": {"indicators": {}, "criteria": {}, "total": 87.5, "methodology": "344n-2018",
                    "n": 90, "indicator_n": {}, "low_n": false, "rule": "otklik",
                    "ci95": {"total": [84.0, 90.1]}}
        }));
        let cards = cards(&nok, None);
        let kinds: Vec<_> = cards.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [CardKind::Responses, CardKind::Satisfied, CardKind::NokTotal]
        );
        assert_eq!(cards[1].figure.value, Some(90.0));
        assert_eq!(cards[2].figure.value, Some(87.5));
        assert_eq!(cards[2].figure.ci95, Some([84.0, 90.1]));
    }

    #[test]
    fn channels_keep_observation_apart() {
        let s = stats(serde_json::json!({
            "channels": {"paper": 4, "qr": 10, "kiosk": 0, "observation": 2, "phone": 1}
        }));
        let (listed, observation) = channels(&s);
        assert_eq!(
            listed,
            [(Channel::Qr, 10), (Channel::Paper, 4), (Channel::Phone, 1)]
        );
        assert_eq!(observation, Some(2));
        assert_eq!(channels(&stats(serde_json::json!({}))), (vec![], None));
    }
}
