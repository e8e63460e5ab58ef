//! The writes of «Данные НСИ» (`contract.md` §5 «НСИ»): approved targets and baselines, each
//! `PUT` a new version (`GET` lists the current ones and the whole history), and process-time
//! measurements. Replies are read and bodies written through `serde_json::Value`, not derived
//! (a derived coder per shape costs the bundle far more than these few lines).

use serde_json::{json, Value};

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

/// The body of `PUT /nsi/targets`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTarget {
    /// The org (scope) it is for.
    pub org: String,
    /// Life-situation code.
    pub life_situation: String,
    /// KPI.
    pub kpi: String,
    /// Year.
    pub year: i32,
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
    /// When (`YYYY-MM-DD`).
    pub approved_at: String,
}

/// The body of `PUT /nsi/baselines`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewBaseline {
    /// The org it is for.
    pub org: String,
    /// Life-situation code.
    pub life_situation: String,
    /// KPI.
    pub kpi: String,
    /// Value.
    pub value: f64,
    /// Unit of a time baseline.
    pub unit: Option<String>,
    /// Period measured.
    pub period: String,
    /// Source.
    pub source: String,
}

/// The body of `POST /nsi/time-measurements`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMeasurement {
    /// The institution.
    pub org: String,
    /// Life-situation code.
    pub life_situation: String,
    /// Stage code, when one stage was timed.
    pub stage: Option<String>,
    /// The duration.
    pub value: f64,
    /// `days`, `hours` or `minutes`.
    pub unit: String,
    /// When (`YYYY-MM-DD`).
    pub measured_at: String,
}

fn versions_path(what: &str, org: &str, life_situation: &str) -> String {
    format!(
        "/nsi/{what}?org={}&life_situation={}",
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

/// `GET /nsi/targets`: the targets of `org` and `life_situation`, every year.
///
/// # Errors
/// As [`api::get_with_token`].
pub async fn targets(
    token: &str,
    org: &str,
    life_situation: &str,
) -> Result<Versions<TargetVersion>, ApiError> {
    let reply: Value =
        api::get_with_token(&versions_path("targets", org, life_situation), token).await?;
    Ok(versions(&reply, target_version))
}

/// `GET /nsi/baselines`: the baselines of `org` and `life_situation`.
///
/// # Errors
/// As [`api::get_with_token`].
pub async fn baselines(
    token: &str,
    org: &str,
    life_situation: &str,
) -> Result<Versions<BaselineVersion>, ApiError> {
    let reply: Value =
        api::get_with_token(&versions_path("baselines", org, life_situation), token).await?;
    Ok(versions(&reply, baseline_version))
}

/// Sends `body` with `method` to `path`; the stored item's reply is not read.
async fn send(token: &str, method: &str, path: &str, body: Value) -> Result<(), ApiError> {
    let _: Value =
        api::send_with_token(method, path, Some(Body::Json(body.to_string())), token).await?;
    Ok(())
}

/// `PUT /nsi/targets`: the target's next version.
///
/// # Errors
/// As [`api::send_with_token`]: 422 `invalid_nsi` naming the field, 403 outside the scope.
pub async fn put_target(token: &str, t: &NewTarget) -> Result<(), ApiError> {
    let body = json!({
        "org": t.org, "life_situation": t.life_situation, "kpi": t.kpi, "year": t.year,
        "value": t.value, "unit": t.unit, "method": t.method, "source": t.source,
        "approved_by": t.approved_by, "approved_at": t.approved_at,
    });
    send(token, "PUT", "/nsi/targets", body).await
}

/// `PUT /nsi/baselines`: the baseline's next version.
///
/// # Errors
/// As [`put_target`].
pub async fn put_baseline(token: &str, b: &NewBaseline) -> Result<(), ApiError> {
    let body = json!({
        "org": b.org, "life_situation": b.life_situation, "kpi": b.kpi, "value": b.value,
        "unit": b.unit, "period": b.period, "source": b.source,
    });
    send(token, "PUT", "/nsi/baselines", body).await
}

/// `POST /nsi/time-measurements`.
///
/// # Errors
/// As [`put_target`].
pub async fn add_measurement(token: &str, m: &NewMeasurement) -> Result<(), ApiError> {
    let body = json!({
        "org": m.org, "life_situation": m.life_situation, "stage": m.stage, "value": m.value,
        "unit": m.unit, "measured_at": m.measured_at,
    });
    send(token, "POST", "/nsi/time-measurements", body).await
}
