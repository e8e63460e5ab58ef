//! Shapes of the HTTP API (`contract.md` §2–§4) shared by the server, the PWA and the tests.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

mod figures;
mod orgs;

pub use figures::{
    Headline, ObservationBatch, ObservationsReply, RankedInstitution, RankingsReply, TrendPeriod,
    TrendsReply,
};
pub use orgs::{
    Org, OrgReply, OrgsReply, Point, PointsReply, User, UserReply, UsersReply, ORG_FIELDS,
};

use crate::nok::bootstrap::Intervals;
use crate::nok::NokRule;
use crate::questionnaire::Questionnaire;

/// Base path of every API route.
pub const API_BASE: &str = "/api/v1";
/// Most items one `POST /api/v1/responses` may carry.
pub const MAX_BATCH: usize = 500;
/// Largest request body the server reads, in bytes (1 MiB).
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// The one error envelope: `{"error": {"code", "message", "details"?}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// A stable code, a human message and optional structured details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Stable `snake_case` code that clients branch on.
    pub code: String,
    /// Human message (Russian for end users, English for integrators is fine too).
    pub message: String,
    /// Optional structured details, e.g. `{"q": "nps"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

/// What happened to one item of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// Stored durably before the reply was sent.
    Created,
    /// Already stored with an identical payload: success for the client.
    Duplicate,
    /// Stored earlier with a different payload; the stored one is kept.
    Conflict,
    /// Invalid (or over the rate limit); nothing stored for it.
    Rejected,
}

impl ItemStatus {
    /// `created` and `duplicate` are receipts: the client may drop the item from its outbox.
    pub fn is_receipt(self) -> bool {
        matches!(self, Self::Created | Self::Duplicate)
    }
}

/// The result of one item, in request order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemResult {
    /// The item's id as sent (a string when it was not a valid UUID, `null` when absent).
    pub id: serde_json::Value,
    /// What happened.
    pub status: ItemStatus,
    /// Why, for `conflict` and `rejected`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDetail>,
}

/// Reply of `POST /api/v1/responses`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchReply {
    /// One result per item, in request order.
    pub results: Vec<ItemResult>,
}

/// A point as `GET /api/v1/points/{code}` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointRef {
    /// Point code (the QR target).
    pub code: String,
    /// Life situation code, if the point is bound to one.
    pub life_situation: Option<String>,
    /// Stage code within the life situation.
    pub stage: Option<String>,
}

/// The org a point belongs to, as the PWA needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgRef {
    /// Org code.
    pub code: String,
    /// Display name.
    pub name: String,
    /// IANA time zone of the institution.
    pub tz: String,
}

/// Another point of the same institution, so the PWA can cache it for offline use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sibling {
    /// Point code.
    pub code: String,
    /// Questionnaire id.
    pub questionnaire: String,
    /// Current questionnaire version.
    pub version: u32,
}

/// Reply of `GET /api/v1/points/{code}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointInfo {
    /// The point.
    pub point: PointRef,
    /// Its institution (or department).
    pub org: OrgRef,
    /// The current version of its questionnaire.
    pub questionnaire: Questionnaire,
    /// Other points of the same institution.
    pub siblings: Vec<Sibling>,
}

/// Request of `POST /api/v1/auth/login`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoginRequest {
    /// Login name.
    pub login: String,
    /// Password.
    pub password: String,
}

/// Reply of `POST /api/v1/auth/login`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoginReply {
    /// Bearer token (JWT).
    pub token: String,
    /// When the token expires (RFC 3339).
    pub expires_at: String,
    /// The user's role.
    pub role: String,
    /// The user's scope org code (`null` for admins).
    pub scope: Option<String>,
}

/// Reply of `POST /api/v1/devices/enrol`: what an enrolled kiosk keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrolReply {
    /// Device id: goes into every kiosk response's `device`.
    pub device: String,
    /// Bearer token for the device's uploads.
    pub token: String,
    /// Org code of the device.
    pub org: String,
    /// Point code, if the kiosk runs one point.
    pub point: Option<String>,
    /// `hex(sha256(device ":" PIN))`: the kiosk checks the operator PIN offline against it.
    pub pin_hash: String,
}

/// Figures for one question in `GET /api/v1/stats`; the shape depends on the question kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionStats {
    /// 4-point scale.
    Likert4 {
        /// Answers.
        n: u64,
        /// Answers per value (`yes`, `rather_yes`, `rather_no`, `no`).
        counts: BTreeMap<String, u64>,
        /// Share of «Да» + «Скорее да», 0–100; `null` without answers.
        satisfied_pct: Option<f64>,
        /// Wilson 95 % interval of the share.
        ci95: Option<[f64; 2]>,
        /// Fewer answers than the minimum n.
        low_n: bool,
    },
    /// NPS 0–10.
    Nps {
        /// Answers.
        n: u64,
        /// Answers per score, 0 to 10: the distribution the dashboard draws.
        scores: [u64; 11],
        /// Scores 9–10.
        promoters: u64,
        /// Scores 7–8.
        passives: u64,
        /// Scores 0–6.
        detractors: u64,
        /// %promoters − %detractors, −100…100; `null` without answers.
        nps: Option<f64>,
        /// Normal-approximation 95 % interval, clamped to −100…100.
        ci95: Option<[f64; 2]>,
        /// Fewer answers than the minimum n.
        low_n: bool,
    },
    /// Да/Нет.
    YesNo {
        /// Answers (only respondents who reached the item).
        n: u64,
        /// «Да» answers.
        yes: u64,
        /// Share of «Да», 0–100.
        yes_pct: Option<f64>,
        /// Wilson 95 % interval of the share.
        ci95: Option<[f64; 2]>,
        /// Fewer answers than the minimum n.
        low_n: bool,
    },
    /// One of several options.
    Choice {
        /// Answers.
        n: u64,
        /// Answers per option id.
        counts: BTreeMap<String, u64>,
    },
    /// A number.
    Number {
        /// Answers.
        n: u64,
        /// Mean; `null` without answers.
        mean: Option<f64>,
        /// Median; `null` without answers.
        median: Option<f64>,
    },
    /// Free text: only counted here; the texts are read through the comments API.
    Text {
        /// Answers.
        n: u64,
    },
}

/// НОК figures in `GET /api/v1/stats` (`null` where data is missing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NokStats {
    /// Indicators `"1.1"` … `"5.3"`, 0–100.
    pub indicators: BTreeMap<String, Option<f64>>,
    /// Criteria `"K1"` … `"K5"`, 0–100.
    pub criteria: BTreeMap<String, Option<f64>>,
    /// Total score Sn.
    pub total: Option<f64>,
    /// Above one institution: how many institutions have a score (plain means over them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institutions: Option<u64>,
    /// Methodology version that produced these figures.
    pub methodology: String,
    /// Respondents (responses of the НОК questionnaire, observation excluded).
    #[serde(default)]
    pub n: u64,
    /// Answers feeding each survey indicator (the sub-population that reached its items).
    #[serde(default)]
    pub indicator_n: BTreeMap<String, u64>,
    /// Fewer respondents than the minimum n.
    #[serde(default)]
    pub low_n: bool,
    /// The empty-sub-population rule the figures use.
    #[serde(default)]
    pub rule: NokRule,
    /// For one institution: bootstrap 95 % intervals of `K1`…`K5` and `total`; `null` above
    /// one institution.
    #[serde(default)]
    pub ci95: Option<Intervals>,
}

/// Reply of `GET /api/v1/stats`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatsReply {
    /// Org code the figures cover (its whole subtree).
    pub org: String,
    /// Questionnaire id (all published versions pooled).
    pub questionnaire: String,
    /// First day, inclusive, or `null` for all time.
    pub from: Option<String>,
    /// Last day, inclusive, or `null` for all time.
    pub to: Option<String>,
    /// Responses counted (observations excluded).
    pub responses: u64,
    /// Per-question figures, by question id.
    pub questions: BTreeMap<String, QuestionStats>,
    /// НОК figures for НОК questionnaires, otherwise `null`.
    pub nok: Option<NokStats>,
    /// The minimum n below which figures are flagged `low_n`.
    pub min_n: u64,
    /// Responses per channel, observation included (under `observation`).
    #[serde(default)]
    pub channels: BTreeMap<String, u64>,
}
