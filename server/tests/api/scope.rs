//! Scope and role refusals over every officials' route, table-driven: an official of region A
//! is refused (403 `out_of_scope`) on every read and write of region B; an observer is refused
//! (403 `forbidden`) every write, an operator every read of results; and the official of
//! region B passes the same requests, so a refusal is about scope and role, not the request.
//!
//! Another area's routes join by appending rows to [`ROWS`] (and, if they need them, seed rows
//! to [`seed_region_b`]).

use reqwest::Method;
use serde_json::Value;

use crate::helpers::{assert_error, spawn_app, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    every_officials_route_refuses_other_regions_observers_writes_and_operators_results
);

/// What a request carries.
#[derive(Debug, Clone, Copy)]
pub enum Body {
    /// Nothing.
    Empty,
    /// JSON text.
    Json(&'static str),
    /// A CSV file.
    Csv(&'static str),
}

/// What a request does, for the role rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Reads results (figures, exports, comments): operators are refused.
    Results,
    /// Reads something else (lists of orgs, points, users).
    Read,
    /// Reads personal data of staff (who keyed in what): observers and operators are refused.
    Personal,
    /// Prints a point's posters (managing points): observers and operators are refused.
    Manage,
    /// Changes something: observers are refused.
    Write,
}

/// One request on region B's things.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// Method.
    pub method: &'static str,
    /// Path and query.
    pub path: &'static str,
    /// Body.
    pub body: Body,
    /// What it does.
    pub kind: Kind,
}

const fn row(method: &'static str, path: &'static str, body: Body, kind: Kind) -> Row {
    Row {
        method,
        path,
        body,
        kind,
    }
}

/// Every officials' route, each aimed at region B (seeded by [`seed_region_b`]). Each write
/// must succeed for region B's own official (run last, in this order).
pub const ROWS: &[Row] = &[
    row(
        "GET",
        "/api/v1/stats?org=reg-b&questionnaire=express",
        Body::Empty,
        Kind::Results,
    ),
    row("GET", "/api/v1/orgs?parent=reg-b", Body::Empty, Kind::Read),
    row(
        "POST",
        "/api/v1/orgs",
        Body::Json(
            r#"{"code": "b-new", "name": "Новое", "kind": "institution", "parent": "reg-b", "sector": "culture"}"#,
        ),
        Kind::Write,
    ),
    row(
        "POST",
        "/api/v1/orgs/import",
        Body::Csv("code,name,kind,parent,sector,tz\nb-imp,Импорт,institution,reg-b,health,\n"),
        Kind::Write,
    ),
    row(
        "PATCH",
        "/api/v1/orgs/b-inst",
        Body::Json(r#"{"name": "Переименовано", "settlement": "rural"}"#),
        Kind::Write,
    ),
    row("GET", "/api/v1/points?org=reg-b", Body::Empty, Kind::Read),
    row(
        "POST",
        "/api/v1/points",
        Body::Json(r#"{"code": "b-new-point", "org": "b-inst", "questionnaire": "express"}"#),
        Kind::Write,
    ),
    row(
        "PATCH",
        "/api/v1/points/b-point",
        Body::Json(r#"{"life_situation": "home-social-service", "stage": "visit"}"#),
        Kind::Write,
    ),
    row(
        "POST",
        "/api/v1/users",
        Body::Json(
            r#"{"login": "b-new-user", "password": "long-enough-1", "role": "observer", "scope": "b-inst"}"#,
        ),
        Kind::Write,
    ),
    row(
        "PATCH",
        "/api/v1/users/b-target",
        Body::Json(r#"{"active": false}"#),
        Kind::Write,
    ),
    row(
        "GET",
        "/api/v1/entries?org=reg-b",
        Body::Empty,
        Kind::Personal,
    ),
    row(
        "GET",
        "/api/v1/observations?org=reg-b&questionnaire=express",
        Body::Empty,
        Kind::Results,
    ),
    // Observers list points only to record walk-throughs at them; operators record none.
    row(
        "GET",
        "/api/v1/observations/points?org=reg-b",
        Body::Empty,
        Kind::Results,
    ),
    row(
        "GET",
        "/api/v1/trends?org=reg-b&questionnaire=express&question=overall&grain=quarter",
        Body::Empty,
        Kind::Results,
    ),
    row(
        "GET",
        "/api/v1/rankings?org=reg-b&questionnaire=express&metric=satisfied&question=overall",
        Body::Empty,
        Kind::Results,
    ),
    row(
        "PUT",
        "/api/v1/nok/checklists/b-inst/2026",
        Body::Json(
            r#"{"1.1": {"stand_present": 9, "stand_required": 10, "site_present": 18, "site_required": 20}, "1.2": ["phone"], "2.1": ["navigation"], "3.1": ["ramps"], "3.2": ["braille"]}"#,
        ),
        Kind::Write,
    ),
    row(
        "GET",
        "/api/v1/nok/checklists/b-inst/2026",
        Body::Empty,
        Kind::Results,
    ),
    row(
        "GET",
        "/api/v1/points/b-point/poster.pdf?format=a6",
        Body::Empty,
        Kind::Manage,
    ),
    row(
        "GET",
        "/api/v1/posters.zip?org=reg-b",
        Body::Empty,
        Kind::Manage,
    ),
    row(
        "GET",
        "/api/v1/export/stats.csv?org=reg-b&questionnaire=express&sep=semicolon",
        Body::Empty,
        Kind::Results,
    ),
    row(
        "GET",
        "/api/v1/export/stats.xlsx?org=reg-b&questionnaire=express",
        Body::Empty,
        Kind::Results,
    ),
    row(
        "GET",
        "/api/v1/export/responses.csv?org=reg-b&questionnaire=express",
        Body::Empty,
        Kind::Results,
    ),
    row(
        "GET",
        "/api/v1/export/responses.sqlite?org=reg-b&questionnaire=express",
        Body::Empty,
        Kind::Results,
    ),
    row(
        "GET",
        "/api/v1/comments?org=reg-b",
        Body::Empty,
        Kind::Results,
    ),
    row(
        "PUT",
        "/api/v1/nsi/targets",
        Body::Json(
            r#"{"org": "reg-b", "life_situation": "home-social-service", "kpi": "satisfied", "year": 2026, "value": 57, "method": "gap25", "source": "Протокол РШ", "approved_by": "Региональный штаб", "approved_at": "2026-02-01"}"#,
        ),
        Kind::Write,
    ),
    row(
        "GET",
        "/api/v1/nsi/targets?org=reg-b&life_situation=home-social-service",
        Body::Empty,
        Kind::Results,
    ),
    row(
        "PUT",
        "/api/v1/nsi/baselines",
        Body::Json(
            r#"{"org": "reg-b", "life_situation": "home-social-service", "kpi": "time", "value": 21, "unit": "days", "period": "2025Q4", "source": "Самооценка"}"#,
        ),
        Kind::Write,
    ),
    row(
        "GET",
        "/api/v1/nsi/baselines?org=reg-b&life_situation=home-social-service",
        Body::Empty,
        Kind::Results,
    ),
    row(
        "POST",
        "/api/v1/nsi/time-measurements",
        Body::Json(
            r#"{"org": "b-inst", "life_situation": "home-social-service", "stage": "visit", "value": 14, "unit": "days", "measured_at": "2026-02-01"}"#,
        ),
        Kind::Write,
    ),
    row(
        "GET",
        "/api/v1/nsi/report?org=reg-b&life_situation=home-social-service&year=2026",
        Body::Empty,
        Kind::Results,
    ),
    row(
        "GET",
        "/api/v1/nsi/overview?org=reg-b&year=2026",
        Body::Empty,
        Kind::Results,
    ),
    row(
        "GET",
        "/api/v1/export/nsi-report.xlsx?org=reg-b&life_situation=home-social-service&year=2026",
        Body::Empty,
        Kind::Results,
    ),
];

/// Sends one request with an optional bearer token.
pub async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Body,
) -> reqwest::Response {
    let method = Method::from_bytes(method.as_bytes()).expect("an HTTP method");
    let mut req = app.client.request(method.clone(), app.url(path));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    req = match body {
        Body::Empty => req,
        Body::Json(text) => req.header("content-type", "application/json").body(text),
        Body::Csv(text) => req.header("content-type", "text/csv").body(text),
    };
    req.send()
        .await
        .unwrap_or_else(|e| panic!("{method} {path} failed: {e}"))
}

/// Sends a JSON body with a bearer token.
pub async fn call_json(
    app: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    body: &Value,
) -> reqwest::Response {
    let method = Method::from_bytes(method.as_bytes()).expect("an HTTP method");
    app.client
        .request(method.clone(), app.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{method} {path} failed: {e}"))
}

/// A reply that must have this status, as JSON.
pub async fn ok_json(res: reqwest::Response, status: u16) -> Value {
    let got = res.status().as_u16();
    let body: Value = res.json().await.expect("a JSON reply");
    assert_eq!(got, status, "{body}");
    body
}

/// Region B beside the standard tree: `reg-b` ⊃ `b-inst` (social) with point `b-point`, and an
/// operator account `b-target` to disable.
pub async fn seed_region_b(app: &TestApp) {
    app.add_orgs(&[
        ("reg-b", "Соседняя область", "region", None, None, None),
        (
            "b-inst",
            "КЦСОН «Соседи»",
            "institution",
            Some("reg-b"),
            Some("social"),
            None,
        ),
    ])
    .await;
    app.add_point("b-point", "b-inst", "express", None).await;
    app.add_user("b-target", "target-password", "operator", Some("b-inst"))
        .await;
}

/// Adds a user and logs in.
pub async fn user_token(app: &TestApp, login: &str, role: &str, scope: &str) -> String {
    let password = format!("{login}-password");
    app.add_user(login, &password, role, Some(scope)).await;
    app.login(login, &password).await
}

async fn every_officials_route_refuses_other_regions_observers_writes_and_operators_results(
    backend: Backend,
) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    seed_region_b(&app).await;
    let official_a = user_token(&app, "official-a", "official", "reg").await;
    let observer_b = user_token(&app, "observer-b", "observer", "reg-b").await;
    let operator_b = user_token(&app, "operator-b", "operator", "b-inst").await;
    let official_b = user_token(&app, "official-b", "official", "reg-b").await;

    for r in ROWS {
        let what = format!("{} {}", r.method, r.path);
        // Act and Assert: no token, then region A's official.
        let res = call(&app, r.method, r.path, None, r.body).await;
        assert_error(res, 401, "unauthorized").await;
        let res = call(&app, r.method, r.path, Some(&official_a), r.body).await;
        let body = assert_error(res, 403, "out_of_scope").await;
        assert!(
            !body.to_string().contains("Соседи"),
            "{what}: nothing of region B in the refusal: {body}"
        );
        // Region B's observer writes nothing; its operator reads no results.
        if r.kind == Kind::Write {
            let res = call(&app, r.method, r.path, Some(&observer_b), r.body).await;
            assert_error(res, 403, "forbidden").await;
        }
        if matches!(r.kind, Kind::Results | Kind::Personal | Kind::Manage) {
            let res = call(&app, r.method, r.path, Some(&operator_b), r.body).await;
            assert_error(res, 403, "forbidden").await;
        }
        if matches!(r.kind, Kind::Personal | Kind::Manage) {
            let res = call(&app, r.method, r.path, Some(&observer_b), r.body).await;
            assert_error(res, 403, "forbidden").await;
        }
    }

    // … while region B's official passes every one of them.
    for r in ROWS {
        let res = call(&app, r.method, r.path, Some(&official_b), r.body).await;
        let status = res.status();
        let body: Value = res.json().await.unwrap_or_default();
        assert!(
            status.is_success(),
            "{} {} by region B's official: {status} {body}",
            r.method,
            r.path
        );
    }
    // The one list that is not addressed by org: each official sees their region's accounts.
    let res = call(&app, "GET", "/api/v1/users", Some(&official_a), Body::Empty).await;
    let users: Value = res.json().await.expect("users JSON");
    let logins: Vec<&str> = users["users"]
        .as_array()
        .expect("users")
        .iter()
        .filter_map(|u| u["login"].as_str())
        .collect();
    assert_eq!(logins, ["official-a"], "{users}");
}
