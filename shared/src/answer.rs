//! A response as it travels from a phone or kiosk to the server, and typed answer values.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How a response was collected (`contract.md` §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A citizen scanned the QR poster (anonymous, rate-limited).
    Qr,
    /// An enrolled kiosk tablet (device token, `device` and `seq`).
    Kiosk,
    /// An interviewer keyed it in (staff token).
    Interview,
    /// A paper questionnaire keyed in (staff token).
    Paper,
    /// Read out on the phone (staff token).
    Phone,
    /// The point's URL shared online (anonymous, rate-limited).
    Link,
    /// An expert walk-through: stored, never counted in citizen figures.
    Observation,
}

impl Channel {
    /// All channels, in wire order.
    pub const ALL: [Channel; 7] = [
        Self::Qr,
        Self::Kiosk,
        Self::Interview,
        Self::Paper,
        Self::Phone,
        Self::Link,
        Self::Observation,
    ];

    /// The wire name (`qr`, `kiosk`…).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Qr => "qr",
            Self::Kiosk => "kiosk",
            Self::Interview => "interview",
            Self::Paper => "paper",
            Self::Phone => "phone",
            Self::Link => "link",
            Self::Observation => "observation",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Anonymous channels need no token and are rate-limited per client and point.
    pub fn is_anonymous(self) -> bool {
        matches!(self, Self::Qr | Self::Link)
    }

    /// Whether responses on this channel count in citizens' figures: an expert's walk-through
    /// (observation) is stored and reported apart, never mixed into what citizens said.
    pub fn is_citizen(self) -> bool {
        self != Self::Observation
    }

    /// Channels keyed in by staff need a staff token in the point's scope, of a role allowed the
    /// channel (`access::action_to_key`: walk-throughs are the expert group's and officials').
    pub fn needs_staff(self) -> bool {
        matches!(
            self,
            Self::Interview | Self::Paper | Self::Phone | Self::Observation
        )
    }
}

/// One answer as sent: the value stays raw JSON until it is checked against its question kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawAnswer {
    /// Question id.
    pub q: String,
    /// The value in wire form (`"rather_no"`, `9`, `true`, `"male"`, `42`, `"text"`).
    pub v: serde_json::Value,
    /// Optional comment, where the question invites one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One response, as the PWA builds it and `POST /api/v1/responses` receives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewResponse {
    /// Client-minted UUID (v7 recommended): the idempotency key.
    pub id: Uuid,
    /// Survey point code.
    pub point: String,
    /// Questionnaire id.
    pub questionnaire: String,
    /// Questionnaire version the respondent saw.
    pub version: u32,
    /// How it was collected.
    pub channel: Channel,
    /// Kiosk device id (kiosk channel only).
    #[serde(default)]
    pub device: Option<String>,
    /// Per-device sequence number, from 1 (kiosk channel only).
    #[serde(default)]
    pub seq: Option<u64>,
    /// When the respondent finished, with the device's offset.
    pub submitted_at: DateTime<FixedOffset>,
    /// The answers, in any order; skipped and unanswered optional questions are absent.
    pub answers: Vec<RawAnswer>,
}

/// A value of the 4-point scale, in scale order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Likert4 {
    /// «Да».
    Yes,
    /// «Скорее да».
    RatherYes,
    /// «Скорее нет».
    RatherNo,
    /// «Нет».
    No,
}

impl Likert4 {
    /// The scale in display order.
    pub const ALL: [Likert4; 4] = [Self::Yes, Self::RatherYes, Self::RatherNo, Self::No];

    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Yes => "yes",
            Self::RatherYes => "rather_yes",
            Self::RatherNo => "rather_no",
            Self::No => "no",
        }
    }

    /// Parses a wire value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// An answer value after it was checked against its question's kind.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerValue {
    /// A 4-point scale answer.
    Likert4(Likert4),
    /// An NPS score 0–10.
    Nps(u8),
    /// Да (`true`) / Нет (`false`).
    YesNo(bool),
    /// A choice option id.
    Choice(String),
    /// A number within the question's range.
    Number(f64),
    /// Free text.
    Text(String),
}

impl AnswerValue {
    /// The value in canonical wire form: equal values give equal JSON (`9.0` becomes `9`).
    pub fn to_wire(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Self::Likert4(v) => Value::from(v.as_str()),
            Self::Nps(v) => Value::from(*v),
            Self::YesNo(v) => Value::from(*v),
            Self::Choice(v) | Self::Text(v) => Value::from(v.as_str()),
            Self::Number(v) => number_to_wire(*v),
        }
    }
}

/// Whole numbers travel as integers so that `42` and `42.0` are one value.
pub(crate) fn number_to_wire(v: f64) -> serde_json::Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        serde_json::Value::from(v as i64)
    } else {
        serde_json::Value::from(v)
    }
}

/// A checked answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// Question id.
    pub q: String,
    /// The checked value.
    pub value: AnswerValue,
    /// The comment, trimmed; `None` when absent or blank.
    pub comment: Option<String>,
}
