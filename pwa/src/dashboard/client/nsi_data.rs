//! The endpoints of «Данные НСИ» (`contract.md` §5 «НСИ»): approved targets and baselines,
//! each `PUT` a new version (`GET` lists the current ones and the whole history), and
//! process-time measurements. Replies are read and bodies written through `serde_json::Value`, not derived
//! (a derived coder per shape costs the bundle far more than these few lines).

use serde_json::Value;

use super::{encode, Read};
use crate::api::{self, ApiError, Body};

/// One stored version of a target.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetVersion {
    /// `satisfied`, `nps` or `time`.
    pub kpi: String,
    /// The year it is for.
    pub year: i32,
    /// Version within its KPI × year (1, 2…).
    pub version: i32,
    /// Value.
    pub value: f64,
    /// Unit of a time target.
    pub unit: Option<String>,
    /// Method.
    pub method: String,
    /// Source.
    pub source: String,
    /// Who approved it.
    pub approved_by: String,
    /// When.
    pub approved_at: String,
    /// Who entered this version.
    pub entered_by: String,
    /// When it was entered (RFC 3339).
    pub entered_at: String,
}

/// One stored version of a baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct BaselineVersion {
    /// `satisfied`, `nps` or `time`.
    pub kpi: String,
    /// Version within its KPI.
    pub version: i32,
    /// Value.
    pub value: f64,
    /// Unit of a time baseline.
    pub unit: Option<String>,
    /// Period measured.
    pub period: String,
    /// Source.
    pub source: String,
    /// Who entered this version.
    pub entered_by: String,
    /// When it was entered (RFC 3339).
    pub entered_at: String,
}

/// The current version of each key and the whole history.
#[derive(Debug, Clone, PartialEq)]
pub struct Versions<T> {
    /// The latest version of each key.
    pub current: Vec<T>,
    /// Every version, by key and then oldest first.
    pub history: Vec<T>,
}

fn versions_path(path: &str, org: &str, life_situation: &str) -> String {
    format!(
        "{path}?org={}&life_situation={}",
        encode(org),
        encode(life_situation)
    )
}

fn target_version(v: &Value) -> TargetVersion {
    TargetVersion {
        kpi: v.text("kpi"),
        year: i32::try_from(v.count("year")).unwrap_or(0),
        version: i32::try_from(v.count("version")).unwrap_or(0),
        value: v.num("value").unwrap_or(0.0),
        unit: v.opt_text("unit"),
        method: v.text("method"),
        source: v.text("source"),
        approved_by: v.text("approved_by"),
        approved_at: v.text("approved_at"),
        entered_by: v.text("entered_by"),
        entered_at: v.text("entered_at"),
    }
}

fn baseline_version(v: &Value) -> BaselineVersion {
    BaselineVersion {
        kpi: v.text("kpi"),
        version: i32::try_from(v.count("version")).unwrap_or(0),
        value: v.num("value").unwrap_or(0.0),
        unit: v.opt_text("unit"),
        period: v.text("period"),
        source: v.text("source"),
        entered_by: v.text("entered_by"),
        entered_at: v.text("entered_at"),
    }
}

/// The versions in a `GET /nsi/targets` or `/nsi/baselines` reply, each read by `item`.
fn versions<T>(v: &Value, item: impl Fn(&Value) -> T) -> Versions<T> {
    Versions {
        current: v.list("current", &item),
        history: v.list("history", &item),
    }
}

/// Where targets are written (`PUT`) and listed (`GET`).
pub const TARGETS: &str = "/nsi/targets";
/// Where baselines are written and listed.
pub const BASELINES: &str = "/nsi/baselines";
/// Where measurements are added (`POST`).
pub const MEASUREMENTS: &str = "/nsi/time-measurements";

/// The paths of the versions of `org` × `life_situation`: targets, then baselines.
pub fn versions_paths(org: &str, life_situation: &str) -> [String; 2] {
    [
        versions_path(TARGETS, org, life_situation),
        versions_path(BASELINES, org, life_situation),
    ]
}

/// The targets' versions in a `GET /nsi/targets` reply.
pub fn targets_of(reply: &Value) -> Versions<TargetVersion> {
    versions(reply, target_version)
}

/// The baselines' versions in a `GET /nsi/baselines` reply.
pub fn baselines_of(reply: &Value) -> Versions<BaselineVersion> {
    versions(reply, baseline_version)
}

/// Sends `body` with `method` (`PUT`, `POST`) to `path`; the stored item's reply is not read.
///
/// # Errors
/// As [`api::send_with_token`]: 422 `invalid_nsi` naming the field, 403 outside the scope.
pub async fn send(token: &str, method: &str, path: &str, body: Value) -> Result<(), ApiError> {
    let _: Value =
        api::send_with_token(method, path, Some(Body::Json(body.to_string())), token).await?;
    Ok(())
}
