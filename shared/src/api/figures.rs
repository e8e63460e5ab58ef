//! Replies of the dashboard's figure endpoints: trends and rankings (`contract.md` §5 «Trends
//! and rankings»), the expert walk-throughs' own figures, and the headline figure they are
//! made of.

use serde::{Deserialize, Serialize};

use super::{QuestionStats, StatsReply};

/// Reply of `GET /api/v1/observations`: the expert walk-throughs («контрольная закупка»,
/// channel `observation`) reported on their own — never in citizens' figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObservationsReply {
    /// `/stats`'s shape computed from walk-throughs only: `responses` is how many there were,
    /// `channels` holds only `observation`, `nok` is `null`.
    pub figures: StatsReply,
    /// The batches they were keyed in as, most recent first.
    pub batches: Vec<ObservationBatch>,
}

/// One batch of walk-throughs: one label, one person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObservationBatch {
    /// The label given to the batch, `null` without one.
    pub entry_batch: Option<String>,
    /// Who recorded it: shown to those who see staff's personal data and to its author,
    /// `null` to anyone else.
    pub entered_by: Option<String>,
    /// How many walk-throughs.
    pub responses: u64,
    /// The earliest `submitted_at` among them (RFC 3339).
    pub first_at: String,
    /// The latest `submitted_at` among them (RFC 3339).
    pub last_at: String,
}

/// A question's headline figure: `satisfied_pct` (likert4), `nps` (nps) or `yes_pct` (yes/no).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Headline {
    /// Answers.
    pub n: u64,
    /// The figure; `None` without answers.
    pub value: Option<f64>,
    /// Its 95 % interval.
    pub ci95: Option<[f64; 2]>,
    /// Fewer answers than the minimum n.
    pub low_n: bool,
}

impl QuestionStats {
    /// The headline figure, for the kinds that have one (likert4, nps, yes/no).
    pub fn headline(&self) -> Option<Headline> {
        match *self {
            Self::Likert4 {
                n,
                satisfied_pct: value,
                ci95,
                low_n,
                ..
            }
            | Self::Nps {
                n,
                nps: value,
                ci95,
                low_n,
                ..
            }
            | Self::YesNo {
                n,
                yes_pct: value,
                ci95,
                low_n,
                ..
            } => Some(Headline {
                n,
                value,
                ci95,
                low_n,
            }),
            _ => None,
        }
    }
}

/// One period of a trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendPeriod {
    /// `2026-03` (month), `2026Q1` (quarter) or `2026` (year), in each institution's time zone.
    pub period: String,
    /// Answers in the period (0 for an empty one).
    pub n: u64,
    /// The headline figure; `null` for an empty period.
    pub value: Option<f64>,
    /// Its 95 % interval.
    pub ci95: Option<[f64; 2]>,
    /// Fewer answers than the minimum n.
    pub low_n: bool,
}

/// Reply of `GET /api/v1/trends`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendsReply {
    /// Org code (its whole subtree).
    pub org: String,
    /// Questionnaire id.
    pub questionnaire: String,
    /// Question id.
    pub question: String,
    /// `month`, `quarter` or `year`.
    pub grain: String,
    /// Every period from the first to the last, empty ones included.
    pub periods: Vec<TrendPeriod>,
}

/// One institution of a ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankedInstitution {
    /// Institution code.
    pub org: String,
    /// Its name.
    pub name: String,
    /// Answers to the question (respondents for `nok_total`).
    pub n: u64,
    /// The figure.
    pub value: Option<f64>,
    /// Its 95 % interval (Wilson, normal for NPS, bootstrap for `nok_total`).
    pub ci95: Option<[f64; 2]>,
    /// Fewer answers than the minimum n: listed after the ranked, unranked.
    pub low_n: bool,
    /// 1-based position among the ranked; `null` for the unranked.
    pub rank: Option<u32>,
    /// Tied group, from 1; `null` for the unranked.
    pub group: Option<u32>,
}

/// Reply of `GET /api/v1/rankings`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankingsReply {
    /// The tied-group rule, in words.
    pub rule: String,
    /// The institutions: ranked first, then the unranked.
    pub institutions: Vec<RankedInstitution>,
}
