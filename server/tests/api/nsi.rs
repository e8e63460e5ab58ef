//! НСИ by life situation (`/api/v1/nsi/…`): versioned targets and baselines, process-time
//! measurements, and the quarterly report against the test's own recount from the raw stored
//! responses and the measurements it entered (quarters on each institution's local calendar
//! with its own time-zone arithmetic, walk-throughs left out, achieved flags, worst and median,
//! the warning below ten, the urban/rural split).

use std::collections::BTreeMap;

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::{DateTime, Datelike};
use serde_json::{json, Value};

use crate::data::{self, utc, Generator};
use crate::helpers::{assert_error, run_cli, spawn_app, Backend, CliOutput, OrgSpec, TestApp};
use crate::on_both_backends;
use crate::stats::assert_close;

on_both_backends!(
    targets_and_baselines_keep_every_version_and_refuse_bad_input,
    measurements_are_stored_in_the_local_quarter_and_bad_ones_refused,
    the_report_equals_a_recount_from_the_raw_responses_and_measurements,
    the_overview_gives_each_kpi_the_latest_quarter_the_report_gives,
    csv_imports_are_all_or_nothing_and_name_every_bad_line,
);

const PASSWORD: &str = "password-12345";
const LS: &str = "job-via-employment-centre";

/// An employment centre of `reg` in the far east, whose local quarters start ten hours before
/// UTC's.
pub(crate) const CZN_VL: OrgSpec<'static> = (
    "czn-vl",
    "ЦЗН Владивосток",
    "institution",
    Some("reg"),
    Some("employment"),
    Some("Asia/Vladivostok"),
);

/// A request with an optional bearer token and JSON body.
pub(crate) async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> reqwest::Response {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
    let mut req = app.client.request(method, app.url(path));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    if let Some(body) = body {
        req = req.json(body);
    }
    req.send().await.expect("a reply")
}

pub(crate) async fn json_status(res: reqwest::Response, want: u16) -> Value {
    let status = res.status().as_u16();
    let body: Value = res.json().await.expect("a JSON reply");
    assert_eq!(status, want, "{body}");
    body
}

fn target(org: &str, kpi: &str, value: f64) -> Value {
    json!({"org": org, "life_situation": LS, "kpi": kpi, "year": 2026, "value": value,
           "method": "gap25", "source": "Протокол РШ № 3", "approved_by": "Региональный штаб",
           "approved_at": "2026-02-10"})
}

/// Approves [`target`]s of `reg` for the KPIs as the official `token`.
async fn put_targets(app: &TestApp, token: &str, values: &[(&str, f64)]) {
    for (kpi, value) in values {
        json_status(
            call(
                app,
                "PUT",
                "/api/v1/nsi/targets",
                Some(token),
                Some(&target("reg", kpi, *value)),
            )
            .await,
            200,
        )
        .await;
    }
}

fn baseline(org: &str, kpi: &str, value: f64) -> Value {
    json!({"org": org, "life_situation": LS, "kpi": kpi, "value": value, "period": "2025Q4",
           "source": "Самооценка"})
}

/// The standard tree, a second region with its official, and users of every role in `reg`.
async fn people(app: &TestApp) -> BTreeMap<&'static str, String> {
    app.seed_standard().await;
    app.add_orgs(&[("reg-b", "Другая область", "region", None, None, None)])
        .await;
    let mut tokens = BTreeMap::new();
    tokens.insert("admin", app.admin_token().await);
    for (login, role, scope) in [
        ("official-a", "official", "reg"),
        ("official-b", "official", "reg-b"),
        ("observer-a", "observer", "reg"),
        ("operator-a", "operator", "inst-a"),
    ] {
        app.add_user(login, PASSWORD, role, Some(scope)).await;
        tokens.insert(login, app.login(login, PASSWORD).await);
    }
    tokens
}

async fn targets_and_baselines_keep_every_version_and_refuse_bad_input(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let t = people(&app).await;
    let official = t["official-a"].as_str();

    // Act: two versions of one target, one of another KPI, two baselines.
    let first = json_status(
        call(
            &app,
            "PUT",
            "/api/v1/nsi/targets",
            Some(official),
            Some(&target("reg", "satisfied", 57.0)),
        )
        .await,
        200,
    )
    .await;
    let mut edited = target("reg", "satisfied", 60.5);
    edited["method"] = json!("manual");
    let second = json_status(
        call(
            &app,
            "PUT",
            "/api/v1/nsi/targets",
            Some(official),
            Some(&edited),
        )
        .await,
        200,
    )
    .await;
    let mut time = target("reg", "time", 30.0);
    time["unit"] = json!("days");
    json_status(
        call(
            &app,
            "PUT",
            "/api/v1/nsi/targets",
            Some(official),
            Some(&time),
        )
        .await,
        200,
    )
    .await;
    for v in [46.0, 47.5] {
        json_status(
            call(
                &app,
                "PUT",
                "/api/v1/nsi/baselines",
                Some(official),
                Some(&baseline("reg", "satisfied", v)),
            )
            .await,
            200,
        )
        .await;
    }
    let observer = t["observer-a"].as_str();
    let targets = json_status(
        call(
            &app,
            "GET",
            &format!("/api/v1/nsi/targets?org=reg&life_situation={LS}"),
            Some(observer),
            None,
        )
        .await,
        200,
    )
    .await;
    let baselines = json_status(
        call(
            &app,
            "GET",
            &format!("/api/v1/nsi/baselines?org=reg&life_situation={LS}"),
            Some(observer),
            None,
        )
        .await,
        200,
    )
    .await;

    // Assert: versions are kept, the current is the latest.
    assert_eq!(first["version"], 1, "{first}");
    assert_eq!(second["version"], 2, "{second}");
    assert_eq!(second["entered_by"], "official-a");
    assert_eq!(second["unit"], Value::Null, "a share has no unit");
    let history = targets["history"].as_array().expect("history");
    let satisfied: Vec<&Value> = history.iter().filter(|v| v["kpi"] == "satisfied").collect();
    assert_eq!(satisfied.len(), 2, "{targets}");
    assert_eq!(satisfied[0]["value"], 57.0);
    assert_eq!(satisfied[1]["value"], 60.5);
    let current = targets["current"].as_array().expect("current");
    assert_eq!(
        current.len(),
        2,
        "one current target per KPI × year: {targets}"
    );
    let cur = current
        .iter()
        .find(|v| v["kpi"] == "satisfied")
        .expect("satisfied");
    assert_eq!(
        (
            cur["value"].clone(),
            cur["version"].clone(),
            cur["method"].clone()
        ),
        (json!(60.5), json!(2), json!("manual"))
    );
    let cur_time = current.iter().find(|v| v["kpi"] == "time").expect("time");
    assert_eq!(cur_time["unit"], "days");
    assert_eq!(
        baselines["history"].as_array().map(Vec::len),
        Some(2),
        "{baselines}"
    );
    assert_eq!(baselines["current"][0]["value"], 47.5);
    assert_eq!(baselines["current"][0]["version"], 2);
    let other_year = json_status(
        call(
            &app,
            "GET",
            &format!("/api/v1/nsi/targets?org=reg&life_situation={LS}&year=2027"),
            Some(observer),
            None,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(other_year["history"], json!([]));
    // Concurrent edits of one key each get their own version.
    let puts = (0..6).map(|i| {
        let body = target("reg", "nps", f64::from(i));
        let app = &app;
        async move {
            call(
                app,
                "PUT",
                "/api/v1/nsi/targets",
                Some(official),
                Some(&body),
            )
            .await
        }
    });
    let mut versions = Vec::new();
    for res in futures::future::join_all(puts).await {
        versions.push(
            json_status(res, 200).await["version"]
                .as_i64()
                .expect("a version"),
        );
    }
    versions.sort_unstable();
    assert_eq!(versions, [1, 2, 3, 4, 5, 6]);
    // The store itself refuses an edit in place.
    let edit = app
        .sql
        .try_execute_with2(
            "update nsi_targets set value = 1 where kpi = $1 and source = $2",
            "satisfied",
            "Протокол РШ № 3",
        )
        .await;
    assert!(edit.is_err(), "a stored version must not be editable");

    // Assert: refusals, with the status and code each deserves.
    let put = |body: Value, token: Option<String>| {
        let app = &app;
        async move {
            call(
                app,
                "PUT",
                "/api/v1/nsi/targets",
                token.as_deref(),
                Some(&body),
            )
            .await
        }
    };
    let ok = target("reg", "satisfied", 57.0);
    assert_error(put(ok.clone(), None).await, 401, "unauthorized").await;
    assert_error(
        put(ok.clone(), Some(t["official-b"].clone())).await,
        403,
        "out_of_scope",
    )
    .await;
    assert_error(
        put(ok.clone(), Some(t["observer-a"].clone())).await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        put(ok.clone(), Some(t["operator-a"].clone())).await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        put(target("nope", "satisfied", 57.0), Some(t["admin"].clone())).await,
        404,
        "unknown_org",
    )
    .await;
    assert_error(
        call(
            &app,
            "GET",
            &format!("/api/v1/nsi/report?org=reg&life_situation={LS}&year=2026"),
            Some(&t["operator-a"]),
            None,
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        call(
            &app,
            "GET",
            &format!("/api/v1/nsi/targets?org=reg&life_situation={LS}"),
            Some(&t["official-b"]),
            None,
        )
        .await,
        403,
        "out_of_scope",
    )
    .await;
    let with = |field: &str, value: Value| {
        let mut b = target("reg", "satisfied", 57.0);
        b[field] = value;
        b
    };
    let mut time_in_weeks = target("reg", "time", 30.0);
    time_in_weeks["unit"] = json!("weeks");
    let bad_targets = [
        (
            with("life_situation", json!("moon-landing")),
            "life_situation",
        ),
        (with("kpi", json!("happiness")), "kpi"),
        (with("method", json!("gap30")), "method"),
        (with("unit", json!("days")), "unit"),
        (time_in_weeks, "unit"),
        (with("value", json!(100.5)), "value"),
        (with("value", json!(-0.5)), "value"),
        (target("reg", "nps", -101.0), "value"),
        (target("reg", "time", 0.0), "value"),
        (target("reg", "time", -3.0), "value"),
        (target("reg", "time", 4000.0), "value"),
        (with("year", json!(1999)), "year"),
        (with("source", json!("  ")), "source"),
        (with("approved_by", json!("")), "approved_by"),
        (with("approved_at", json!("вчера")), "approved_at"),
    ];
    for (body, field) in bad_targets {
        let err = assert_error(
            put(body.clone(), Some(official.to_owned())).await,
            422,
            "invalid_nsi",
        )
        .await;
        assert_eq!(err["error"]["details"]["field"], field, "{body} → {err}");
    }
    let mut bad_period = baseline("reg", "satisfied", 40.0);
    bad_period["period"] = json!("2025Q5");
    let err = assert_error(
        call(
            &app,
            "PUT",
            "/api/v1/nsi/baselines",
            Some(official),
            Some(&bad_period),
        )
        .await,
        422,
        "invalid_nsi",
    )
    .await;
    assert_eq!(err["error"]["details"]["field"], "period");
    assert_error(
        call(
            &app,
            "PUT",
            "/api/v1/nsi/baselines",
            Some(observer),
            Some(&baseline("reg", "satisfied", 40.0)),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let report = |query: String| {
        let app = &app;
        let token = t["observer-a"].clone();
        async move {
            call(
                app,
                "GET",
                &format!("/api/v1/nsi/report?{query}"),
                Some(&token),
                None,
            )
            .await
        }
    };
    assert_error(
        report(format!("org=nope&life_situation={LS}&year=2026")).await,
        404,
        "unknown_org",
    )
    .await;
    assert_error(
        report("org=reg&life_situation=moon-landing&year=2026".into()).await,
        422,
        "invalid_nsi",
    )
    .await;
    assert_error(
        report(format!("org=reg&life_situation={LS}&year=20266")).await,
        400,
        "bad_parameter",
    )
    .await;
    assert_error(
        call(
            &app,
            "GET",
            &format!("/api/v1/nsi/report?org=reg&life_situation={LS}&year=2026"),
            None,
            None,
        )
        .await,
        401,
        "unauthorized",
    )
    .await;
    // Nothing refused was stored.
    let after = json_status(
        call(
            &app,
            "GET",
            &format!("/api/v1/nsi/targets?org=reg&life_situation={LS}"),
            Some(official),
            None,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        after["history"].as_array().map(Vec::len),
        Some(9),
        "{after}"
    );
    let after = json_status(
        call(
            &app,
            "GET",
            &format!("/api/v1/nsi/baselines?org=reg&life_situation={LS}"),
            Some(official),
            None,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        after["history"].as_array().map(Vec::len),
        Some(2),
        "{after}"
    );
}

fn measurement(org: &str, value: f64, unit: &str, at: &str) -> Value {
    json!({"org": org, "life_situation": LS, "stage": "registration", "value": value,
           "unit": unit, "measured_at": at})
}

async fn measurements_are_stored_in_the_local_quarter_and_bad_ones_refused(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let t = people(&app).await;
    let official = t["official-a"].as_str();
    app.add_orgs(&[CZN_VL]).await;

    // Act
    let stored = json_status(
        call(
            &app,
            "POST",
            "/api/v1/nsi/time-measurements",
            Some(official),
            Some(&measurement("czn-vl", 12.0, "days", "2026-03-31T15:00:00Z")),
        )
        .await,
        201,
    )
    .await;
    let plain = json_status(
        call(
            &app,
            "POST",
            "/api/v1/nsi/time-measurements",
            Some(official),
            Some(&measurement("inst-a", 90.0, "minutes", "2026-03-31")),
        )
        .await,
        201,
    )
    .await;

    // Assert: 15:00 UTC on 31 March is 1 April in Vladivostok, the second quarter.
    assert_eq!(stored["measured_on"], "2026-04-01", "{stored}");
    assert_eq!(stored["quarter"], "2026Q2");
    assert_eq!(stored["stage"], "registration");
    assert_eq!(plain["quarter"], "2026Q1");
    assert_eq!(plain["unit"], "minutes");
    let post = |body: Value, token: Option<&str>| {
        let token = token.map(str::to_owned);
        let app = &app;
        async move {
            call(
                app,
                "POST",
                "/api/v1/nsi/time-measurements",
                token.as_deref(),
                Some(&body),
            )
            .await
        }
    };
    let ok = measurement("inst-a", 10.0, "days", "2026-02-01");
    assert_error(post(ok.clone(), None).await, 401, "unauthorized").await;
    assert_error(
        post(ok.clone(), Some(&t["official-b"])).await,
        403,
        "out_of_scope",
    )
    .await;
    assert_error(
        post(ok.clone(), Some(&t["observer-a"])).await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        post(ok.clone(), Some(&t["operator-a"])).await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        post(
            measurement("nope", 10.0, "days", "2026-02-01"),
            Some(official),
        )
        .await,
        404,
        "unknown_org",
    )
    .await;
    let with = |field: &str, value: Value| {
        let mut b = ok.clone();
        b[field] = value;
        b
    };
    let bad = [
        (measurement("reg", 10.0, "days", "2026-02-01"), "org"),
        (
            with("life_situation", json!("moon-landing")),
            "life_situation",
        ),
        (with("stage", json!("visit")), "stage"),
        (with("unit", json!("weeks")), "unit"),
        (with("unit", json!("percent")), "unit"),
        (with("value", json!(-2)), "value"),
        (with("value", json!(0)), "value"),
        (
            measurement("inst-a", 6_000_000.0, "minutes", "2026-02-01"),
            "value",
        ),
        (with("measured_at", json!("2099-01-01")), "measured_at"),
        (with("measured_at", json!("01.02.2026")), "measured_at"),
    ];
    for (body, field) in bad {
        let err = assert_error(post(body.clone(), Some(official)).await, 422, "invalid_nsi").await;
        assert_eq!(err["error"]["details"]["field"], field, "{body} → {err}");
    }
    assert_eq!(
        app.sql
            .scalar("select count(*) from nsi_time_measurements")
            .await,
        2
    );
}

/// One quarter's recount.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    n: u64,
    satisfied: u64,
    nps_n: u64,
    promoters: u64,
    detractors: u64,
}

impl Tally {
    fn share(&self) -> Option<f64> {
        (self.n > 0).then(|| self.satisfied as f64 * 100.0 / self.n as f64)
    }
    fn nps(&self) -> Option<f64> {
        (self.nps_n > 0)
            .then(|| (self.promoters as f64 - self.detractors as f64) * 100.0 / self.nps_n as f64)
    }
}

fn quarter_name(d: chrono::NaiveDate) -> String {
    format!("{}Q{}", d.year(), (d.month() - 1) / 3 + 1)
}

async fn the_report_equals_a_recount_from_the_raw_responses_and_measurements(backend: Backend) {
    // Arrange: two employment centres in the region, urban Moscow and rural Vladivostok.
    let app = spawn_app(backend).await;
    let t = people(&app).await;
    let admin = t["admin"].clone();
    let official = t["official-a"].as_str();
    app.add_orgs(&[
        (
            "czn-msk",
            "ЦЗН Москва",
            "institution",
            Some("mun"),
            Some("employment"),
            Some("Europe/Moscow"),
        ),
        CZN_VL,
    ])
    .await;
    for (code, settlement) in [("czn-msk", "urban"), ("czn-vl", "rural")] {
        json_status(
            call(
                &app,
                "PATCH",
                &format!("/api/v1/orgs/{code}"),
                Some(&admin),
                Some(&json!({"settlement": settlement})),
            )
            .await,
            200,
        )
        .await;
    }
    app.add_point(
        "p-msk",
        "czn-msk",
        "nsi-satisfaction",
        Some((LS, "registration")),
    )
    .await;
    app.add_point(
        "p-vl",
        "czn-vl",
        "nsi-satisfaction",
        Some((LS, "job-matching")),
    )
    .await;
    app.add_point("p-vl-express", "czn-vl", "express", Some((LS, "after")))
        .await;
    app.add_point("p-unbound", "czn-msk", "nsi-satisfaction", None)
        .await;
    app.add_point(
        "p-other-ls",
        "czn-msk",
        "nsi-satisfaction",
        Some(("home-social-service", "visit")),
    )
    .await;
    let nsi = data::questionnaire("nsi-satisfaction");
    let express = data::questionnaire("express");
    let mut gen = Generator::new(16);
    let mut citizens = Vec::new();
    for i in 0..240 {
        let at = gen.instant(utc(2026, 1, 3), utc(2026, 11, 25));
        let point = ["p-msk", "p-vl", "p-unbound", "p-other-ls"][i % 4];
        citizens.push(gen.response(point, &nsi, if i % 5 == 0 { "link" } else { "qr" }, at));
        if i % 3 == 0 {
            citizens.push(gen.response("p-vl-express", &express, "qr", at));
        }
    }
    // Around the quarter boundary in UTC: 31 March 13:00–17:00 UTC is 23:00 on 31 March to
    // 03:00 on 1 April in Vladivostok, but still 31 March in Moscow.
    for h in 0..40 {
        let at = DateTime::parse_from_rfc3339(&format!(
            "2026-03-31T{:02}:{:02}:00Z",
            13 + h / 10,
            (h % 10) * 6
        ))
        .expect("a time");
        citizens.push(gen.response(if h % 2 == 0 { "p-vl" } else { "p-msk" }, &nsi, "qr", at));
    }
    app.submit(&citizens, None).await;
    // Walk-throughs, all «Нет» and NPS 0, must change nothing.
    let walks: Vec<Value> = (0..30)
        .map(|i| {
            let at = gen.instant(utc(2026, 1, 10), utc(2026, 11, 20));
            let mut r = gen.response(
                if i % 2 == 0 { "p-msk" } else { "p-vl" },
                &nsi,
                "observation",
                at,
            );
            for a in r["answers"].as_array_mut().into_iter().flatten() {
                if a["q"] == "process" {
                    a["v"] = json!("no");
                }
                if a["q"] == "nps" {
                    a["v"] = json!(0);
                }
            }
            r
        })
        .collect();
    app.submit(&walks, Some(&admin)).await;

    // Process-time measurements: Q1 12 at Moscow (days) and 3 at Vladivostok (hours, one of
    // them the longest); Q3 ten at each, so no warning.
    let mut measured: Vec<(&str, f64, &str, String)> = Vec::new();
    for i in 0..12 {
        measured.push((
            "czn-msk",
            5.0 + f64::from(i),
            "days",
            format!("2026-02-{:02}", i + 1),
        ));
    }
    for h in [48.0, 72.0, 400.0] {
        measured.push(("czn-vl", h, "hours", "2026-03-15".into()));
    }
    for i in 0..10 {
        measured.push((
            "czn-msk",
            3.0 + f64::from(i),
            "days",
            format!("2026-08-{:02}", i + 1),
        ));
        measured.push((
            "czn-vl",
            1440.0 * (2.0 + f64::from(i) / 2.0),
            "minutes",
            format!("2026-09-{:02}", i + 1),
        ));
        // inst-a's department has a point of the situation too (the standard tree).
        measured.push(("inst-a", 4.0, "days", format!("2026-07-{:02}", i + 1)));
    }
    for (org, value, unit, at) in &measured {
        json_status(
            call(
                &app,
                "POST",
                "/api/v1/nsi/time-measurements",
                Some(official),
                Some(&measurement(org, *value, unit, at)),
            )
            .await,
            201,
        )
        .await;
    }

    // The test's own recount from the raw stored responses.
    let region = app.sql.org_path("reg").await;
    let mut quarters: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_inst: BTreeMap<(String, String), Tally> = BTreeMap::new();
    let rows = app.sql.stored_responses().await;
    assert!(
        rows.len() >= 300,
        "the responses were stored: {}",
        rows.len()
    );
    for row in rows {
        if row.life_situation.as_deref() != Some(LS)
            || row.channel == "observation"
            || !row.org_path.starts_with(&region)
        {
            continue;
        }
        let raw: Value = serde_json::from_str(&row.raw).expect("raw JSON");
        let at = DateTime::parse_from_rfc3339(raw["submitted_at"].as_str().expect("submitted_at"))
            .expect("an RFC 3339 time");
        let tz: chrono_tz::Tz = row.tz.parse().expect("a time zone");
        let quarter = quarter_name(at.with_timezone(&tz).date_naive());
        for answer in raw["answers"].as_array().into_iter().flatten() {
            let mut add = |f: &dyn Fn(&mut Tally)| {
                f(quarters.entry(quarter.clone()).or_default());
                f(by_inst
                    .entry((quarter.clone(), row.institution.clone()))
                    .or_default());
            };
            match (answer["q"].as_str(), &answer["v"]) {
                (Some("process"), Value::String(v)) => add(&|t: &mut Tally| {
                    t.n += 1;
                    t.satisfied += u64::from(v == "yes" || v == "rather_yes");
                }),
                (Some("nps"), Value::Number(v)) => {
                    let v = v.as_u64().expect("a score");
                    add(&|t: &mut Tally| {
                        t.nps_n += 1;
                        t.promoters += u64::from(v >= 9);
                        t.detractors += u64::from(v <= 6);
                    });
                }
                _ => {}
            }
        }
    }
    let boundary_vl = by_inst
        .get(&("2026Q2".into(), "czn-vl".into()))
        .copied()
        .unwrap_or_default();
    assert!(
        boundary_vl.n > 0,
        "Vladivostok has answers in its second quarter"
    );
    let latest = quarters
        .keys()
        .last()
        .cloned()
        .expect("a quarter with answers");
    let latest_share = quarters[&latest].share().expect("answers");
    let latest_nps = quarters[&latest].nps().expect("NPS answers");

    // Targets: satisfied just below the latest quarter (achieved), NPS just above (not), time
    // 15 days (the Q3 worst is 6.5 days: achieved).
    put_targets(
        &app,
        official,
        &[
            ("satisfied", latest_share - 0.5),
            ("nps", latest_nps + 0.5),
            ("time", 15.0),
        ],
    )
    .await;
    json_status(
        call(
            &app,
            "PUT",
            "/api/v1/nsi/baselines",
            Some(official),
            Some(&baseline("reg", "satisfied", 46.0)),
        )
        .await,
        200,
    )
    .await;

    // Act
    let report = json_status(
        call(
            &app,
            "GET",
            &format!("/api/v1/nsi/report?org=reg&life_situation={LS}&year=2026"),
            Some(&t["observer-a"]),
            None,
        )
        .await,
        200,
    )
    .await;

    // Assert: the quarters.
    assert_eq!(report["org"], "reg");
    assert_eq!(report["life_situation"]["code"], LS);
    assert_eq!(report["life_situation"]["no"], 8);
    assert_eq!(report["year"], 2026);
    let kpis = &report["kpis"];
    assert_eq!(kpis["satisfied"]["benchmark"], 90.0);
    assert_eq!(kpis["nps"]["benchmark"], 30.0);
    assert_eq!(kpis["satisfied"]["baseline"]["value"], 46.0);
    assert_eq!(kpis["satisfied"]["baseline"]["period"], "2025Q4");
    assert_eq!(kpis["nps"]["baseline"], Value::Null);
    let got_q: Vec<&Value> = kpis["satisfied"]["quarters"]
        .as_array()
        .expect("quarters")
        .iter()
        .collect();
    let want_q: Vec<(&String, &Tally)> = quarters.iter().filter(|(_, t)| t.n > 0).collect();
    assert_eq!(got_q.len(), want_q.len(), "{}", kpis["satisfied"]);
    for (got, (name, want)) in got_q.iter().zip(&want_q) {
        assert_eq!(got["quarter"], json!(name));
        assert_eq!(got["n"], want.n, "{name}");
        assert_close(
            &format!("satisfied {name}"),
            &got["value"],
            want.share(),
            1e-12,
        );
        assert_eq!(got["ci95"].as_array().map(Vec::len), Some(2));
    }
    let got_nps: Vec<&Value> = kpis["nps"]["quarters"]
        .as_array()
        .expect("quarters")
        .iter()
        .collect();
    let want_nps: Vec<(&String, &Tally)> = quarters.iter().filter(|(_, t)| t.nps_n > 0).collect();
    assert_eq!(got_nps.len(), want_nps.len());
    for (got, (name, want)) in got_nps.iter().zip(&want_nps) {
        assert_eq!(got["quarter"], json!(name));
        assert_eq!(got["n"], want.nps_n, "{name}");
        assert_close(&format!("nps {name}"), &got["value"], want.nps(), 1e-12);
    }
    assert_eq!(kpis["satisfied"]["achieved"], true);
    assert_eq!(kpis["nps"]["achieved"], false);
    assert_eq!(kpis["satisfied"]["target"]["method"], "gap25");
    assert_eq!(
        kpis["satisfied"]["target"]["approved_by"],
        "Региональный штаб"
    );

    // Assert: time, in the target's unit (days), recounted from what was entered.
    let minutes = |v: f64, u: &str| match u {
        "days" => v * 1440.0,
        "hours" => v * 60.0,
        _ => v,
    };
    let mut per_q: BTreeMap<String, Vec<(String, f64)>> = BTreeMap::new();
    for (org, value, unit, at) in &measured {
        let day = chrono::NaiveDate::parse_from_str(at, "%Y-%m-%d").expect("a date");
        per_q
            .entry(quarter_name(day))
            .or_default()
            .push(((*org).to_owned(), minutes(*value, unit) / 1440.0));
    }
    // Every institution with a point of the situation should be measured, as well as those
    // that were.
    let mut bound = app
        .sql
        .texts(&format!(
            "select distinct i.code from points p join orgs i on i.id = p.institution_id \
             where p.life_situation = '{LS}'"
        ))
        .await;
    bound.sort();
    assert_eq!(bound, ["czn-msk", "czn-vl", "inst-a"]);
    let time = &kpis["time"];
    assert_eq!(time["unit"], "days");
    let got_t = time["quarters"].as_array().expect("time quarters");
    assert_eq!(got_t.len(), per_q.len(), "{time}");
    for (got, (name, values)) in got_t.iter().zip(&per_q) {
        let mut v: Vec<f64> = values.iter().map(|(_, v)| *v).collect();
        v.sort_by(f64::total_cmp);
        let median = if v.len() % 2 == 1 {
            v[v.len() / 2]
        } else {
            (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0
        };
        let short = bound
            .iter()
            .any(|o| values.iter().filter(|(org, _)| org == o).count() < 10);
        assert_eq!(got["quarter"], json!(name));
        assert_eq!(got["measurements"], v.len());
        assert_close(
            &format!("worst {name}"),
            &got["worst"],
            v.last().copied(),
            1e-12,
        );
        assert_close(
            &format!("median {name}"),
            &got["median"],
            Some(median),
            1e-12,
        );
        assert_eq!(
            got["warning"],
            if short {
                json!("fewer_than_10_measurements")
            } else {
                Value::Null
            },
            "{name}"
        );
    }
    assert_eq!(got_t[0]["warning"], "fewer_than_10_measurements");
    assert_eq!(
        got_t[0]["short"],
        json!([{"org": "czn-vl", "measurements": 3}, {"org": "inst-a", "measurements": 0}])
    );
    assert_close(
        "Q1 worst is 400 hours",
        &got_t[0]["worst"],
        Some(400.0 / 24.0),
        1e-12,
    );
    assert_eq!(got_t[1]["warning"], Value::Null);
    assert_eq!(time["achieved"], true);

    // Assert: the region-wide table gives each situation's latest quarter against its target.
    let overview = json_status(
        call(
            &app,
            "GET",
            "/api/v1/nsi/overview?org=reg&year=2026",
            Some(&t["observer-a"]),
            None,
        )
        .await,
        200,
    )
    .await;
    let rows = overview["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 10, "{overview}");
    let nos: Vec<u64> = rows
        .iter()
        .filter_map(|r| r["life_situation"]["no"].as_u64())
        .collect();
    assert_eq!(nos, (1..=10).collect::<Vec<u64>>());
    let row8 = &rows[7];
    assert_eq!(row8["life_situation"]["code"], LS);
    assert_eq!(row8["satisfied"]["quarter"], json!(latest));
    assert_close(
        "overview satisfied",
        &row8["satisfied"]["value"],
        Some(latest_share),
        1e-12,
    );
    assert_eq!(row8["satisfied"]["achieved"], true);
    assert_eq!(row8["nps"]["achieved"], false);
    assert_eq!(
        row8["time"]["value"],
        got_t.last().expect("a time quarter")["worst"]
    );
    assert_eq!(row8["time"]["unit"], "days");
    assert_eq!(row8["time"]["achieved"], true);
    assert_eq!(
        rows[0]["satisfied"]["value"],
        Value::Null,
        "ЖС-1 has no answers"
    );

    // Assert: the workbook carries the same numbers as numeric cells under Russian headers.
    let res = call(
        &app,
        "GET",
        &format!("/api/v1/export/nsi-report.xlsx?org=reg&life_situation={LS}&year=2026"),
        Some(&t["observer-a"]),
        None,
    )
    .await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.expect("the workbook");
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("xlsx");
    let sheet = book.worksheet_range("Показатели").expect("Показатели");
    let cells: Vec<Vec<Data>> = sheet.rows().map(<[Data]>::to_vec).collect();
    assert_eq!(cells[0][0], Data::String("Показатель".into()));
    let number = |c: &Data| match c {
        Data::Float(v) => Some(*v),
        Data::Int(v) => Some(*v as f64),
        _ => None,
    };
    let sheet_rows = |kpi: &str| -> Vec<&Vec<Data>> {
        cells
            .iter()
            .filter(|r| r[0] == Data::String(kpi.into()))
            .collect()
    };
    let xs = sheet_rows("Доля удовлетворённых");
    assert_eq!(xs.len(), want_q.len());
    for (x, (name, want)) in xs.iter().zip(&want_q) {
        assert_eq!(x[2], Data::String((*name).clone()));
        assert_eq!(number(&x[3]), Some(want.n as f64));
        assert_close(
            &format!("xlsx satisfied {name}"),
            &json!(number(&x[4])),
            want.share(),
            1e-12,
        );
        assert_eq!(number(&x[9]), Some(46.0), "baseline");
        assert_eq!(x[16], Data::String("да".into()), "achieved");
    }
    let xt = sheet_rows("Время процесса (худшее значение)");
    assert_eq!(xt.len(), got_t.len());
    assert_eq!(number(&xt[0][4]), got_t[0]["worst"].as_f64());
    assert_eq!(number(&xt[0][11]), Some(15.0), "time target");
    assert!(matches!(&xt[0][8], Data::String(w) if w.contains("менее 10")));
    let inst_sheet = book.worksheet_range("Учреждения").expect("Учреждения");
    let inst_cells: Vec<Vec<Data>> = inst_sheet.rows().map(<[Data]>::to_vec).collect();
    for i in report["institutions"].as_array().into_iter().flatten() {
        let row = inst_cells
            .iter()
            .find(|r| r[0] == Data::String(i["org"].as_str().unwrap_or_default().into()))
            .expect("the institution's row");
        assert_close(
            "xlsx institution",
            &json!(number(&row[4])),
            i["satisfied"]["value"].as_f64(),
            1e-12,
        );
    }

    // Assert: institutions and the urban/rural split of the latest quarter.
    assert_eq!(report["latest_quarter"], json!(latest));
    let institutions = report["institutions"].as_array().expect("institutions");
    let want_inst: Vec<(&String, &Tally)> = by_inst
        .iter()
        .filter(|((q, _), _)| *q == latest)
        .map(|((_, i), t)| (i, t))
        .collect();
    assert_eq!(institutions.len(), want_inst.len(), "{institutions:?}");
    for (got, (code, want)) in institutions.iter().zip(&want_inst) {
        assert_eq!(got["org"], json!(code));
        assert_eq!(got["satisfied"]["n"], want.n);
        assert_close(
            &format!("{code} satisfied"),
            &got["satisfied"]["value"],
            want.share(),
            1e-12,
        );
        assert_eq!(got["nps"]["n"], want.nps_n);
        assert_close(
            &format!("{code} nps"),
            &got["nps"]["value"],
            want.nps(),
            1e-12,
        );
        let split = if *code == "czn-msk" { "urban" } else { "rural" };
        assert_eq!(got["settlement"], split);
        assert_eq!(report["settlement"][split]["satisfied"]["n"], want.n);
        assert_close(
            &format!("{split} satisfied"),
            &report["settlement"][split]["satisfied"]["value"],
            want.share(),
            1e-12,
        );
        assert_close(
            &format!("{split} nps"),
            &report["settlement"][split]["nps"]["value"],
            want.nps(),
            1e-12,
        );
    }
}

async fn the_overview_gives_each_kpi_the_latest_quarter_the_report_gives(backend: Backend) {
    // Arrange: `nsi-core` (with `process`, without `nps`) answered in the fourth quarter,
    // `nsi-satisfaction` only in the second and third: the satisfied share's latest quarter is
    // 2026Q4, NPS's 2026Q3, and the overview reads back past the fourth for NPS.
    let app = spawn_app(backend).await;
    let t = people(&app).await;
    let official = t["official-a"].as_str();
    app.add_orgs(&[(
        "czn-x",
        "ЦЗН",
        "institution",
        Some("reg"),
        Some("employment"),
        Some("Europe/Moscow"),
    )])
    .await;
    app.add_point("x-core", "czn-x", "nsi-core", Some((LS, "registration")))
        .await;
    app.add_point(
        "x-sat",
        "czn-x",
        "nsi-satisfaction",
        Some((LS, "job-matching")),
    )
    .await;
    let (core, sat) = (
        data::questionnaire("nsi-core"),
        data::questionnaire("nsi-satisfaction"),
    );
    let mut gen = Generator::new(61);
    let mut citizens = Vec::new();
    for _ in 0..40 {
        let at = gen.instant(utc(2026, 10, 2), utc(2026, 11, 28));
        citizens.push(gen.response("x-core", &core, "qr", at));
        let at = gen.instant(utc(2026, 4, 2), utc(2026, 9, 28));
        citizens.push(gen.response("x-sat", &sat, "qr", at));
    }
    app.submit(&citizens, None).await;
    put_targets(&app, official, &[("satisfied", 1.0), ("nps", 100.0)]).await;

    // Act.
    let get = |path: String| {
        let app = &app;
        let token = t["observer-a"].clone();
        async move { json_status(call(app, "GET", &path, Some(&token), None).await, 200).await }
    };
    let report = get(format!(
        "/api/v1/nsi/report?org=reg&life_situation={LS}&year=2026"
    ))
    .await;
    let overview = get("/api/v1/nsi/overview?org=reg&year=2026".into()).await;

    // Assert: each KPI's line is its own latest quarter of the report, with its answers,
    // value and flag against the target.
    let rows = overview["rows"].as_array().expect("rows");
    let row = rows
        .iter()
        .find(|r| r["life_situation"]["code"] == LS)
        .expect("the situation's row");
    for (kpi, quarter, achieved) in [("satisfied", "2026Q4", true), ("nps", "2026Q3", false)] {
        let latest = report["kpis"][kpi]["quarters"]
            .as_array()
            .and_then(|q| q.last())
            .expect("a quarter");
        assert_eq!(latest["quarter"], quarter, "{kpi}: {report}");
        assert_eq!(row[kpi]["quarter"], quarter, "{kpi}: {overview}");
        assert_eq!(row[kpi]["n"], latest["n"], "{kpi}");
        assert_eq!(row[kpi]["value"], latest["value"], "{kpi}");
        assert_eq!(row[kpi]["achieved"], achieved, "{kpi}");
        assert_eq!(report["kpis"][kpi]["achieved"], achieved, "{kpi}");
    }
    assert_eq!(row["nps"]["target"], 100.0);
    let empty = rows
        .iter()
        .filter(|r| r["life_situation"]["code"] != LS)
        .filter(|r| r["satisfied"]["quarter"].is_null() && r["nps"]["quarter"].is_null())
        .count();
    assert_eq!(empty, 9, "the other situations have no answers: {overview}");
}

fn refused(what: &str, out: &CliOutput, lines: &[&str]) {
    assert!(!out.success, "{what} must fail: {out:?}");
    let err = out.stderr.trim();
    assert_eq!(
        err.lines().count(),
        1,
        "{what}: one line on stderr: {err:?}"
    );
    for line in lines {
        assert!(err.contains(line), "{what}: {err:?} names {line}");
    }
}

async fn csv_imports_are_all_or_nothing_and_name_every_bad_line(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let t = people(&app).await;
    let dir = tempfile::tempdir().expect("temporary directory");
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write the CSV");
        path.display().to_string()
    };
    // Windows-1251, `;` and decimal commas, as Excel saves it on a Russian Windows.
    let targets_1251 = |rows: &str| {
        let text = format!(
            "org;life_situation;kpi;year;value;method;source;approved_by;approved_at;unit\r\n{rows}"
        );
        encoding_rs::WINDOWS_1251.encode(&text).0.into_owned()
    };
    let bad_targets = write(
        "bad-targets.csv",
        &targets_1251(
            "reg;job-via-employment-centre;satisfied;2026;57,5;gap25;Протокол;РШ;2026-02-10;\r\n\
             reg;job-via-employment-centre;happiness;2026;57;gap25;Протокол;РШ;2026-02-10;\r\n\
             reg;job-via-employment-centre;nps;2026;120;manual;Протокол;РШ;2026-02-10;\r\n",
        ),
    );
    let good_targets = write(
        "targets.csv",
        &targets_1251(
            "reg;job-via-employment-centre;satisfied;2026;57,5;gap25;Протокол «1»;РШ;2026-02-10;\r\n\
             reg;job-via-employment-centre;time;2026;30;manual;Протокол «1»;РШ;2026-02-10;days\r\n",
        ),
    );
    let baselines = write(
        "baselines.csv",
        "\u{feff}org,life_situation,kpi,value,period,source\nreg,job-via-employment-centre,satisfied,46,2025Q4,\"Самооценка, пилот\"\n"
            .as_bytes(),
    );
    let bad_measurements = write(
        "bad-measurements.csv",
        "org,life_situation,stage,value,unit,measured_at\n\
         inst-a,job-via-employment-centre,registration,12,days,2026-02-01\n\
         reg,job-via-employment-centre,,12,days,2026-02-01\n"
            .as_bytes(),
    );
    let measurements = write(
        "measurements.csv",
        "org,life_situation,stage,value,unit,measured_at\n\
         inst-a,job-via-employment-centre,registration,12,days,2026-02-01\n\
         inst-a,job-via-employment-centre,,36,hours,2026-02-02\n"
            .as_bytes(),
    );

    // Act + Assert: a bad file names every bad line and stores nothing.
    let out = run_cli(&app.db_url, &["nsi", "targets", &bad_targets], None).await;
    refused("bad targets", &out, &["line 3", "line 4"]);
    assert!(
        !out.stderr.contains("line 2"),
        "line 2 is fine: {}",
        out.stderr
    );
    assert_eq!(app.sql.scalar("select count(*) from nsi_targets").await, 0);
    let out = run_cli(
        &app.db_url,
        &["nsi", "time-measurements", &bad_measurements],
        None,
    )
    .await;
    refused("bad measurements", &out, &["line 3"]);
    assert_eq!(
        app.sql
            .scalar("select count(*) from nsi_time_measurements")
            .await,
        0
    );

    // Good files go in whole.
    for (what, file, said) in [
        ("targets", &good_targets, "2 targets imported"),
        ("baselines", &baselines, "1 baselines imported"),
        (
            "time-measurements",
            &measurements,
            "2 time measurements imported",
        ),
    ] {
        let out = run_cli(&app.db_url, &["nsi", what, file], None).await;
        assert!(out.success, "{what}: {out:?}");
        assert!(out.stdout.contains(said), "{what}: {out:?}");
    }
    let stored = json_status(
        call(
            &app,
            "GET",
            &format!("/api/v1/nsi/targets?org=reg&life_situation={LS}"),
            Some(&t["admin"]),
            None,
        )
        .await,
        200,
    )
    .await;
    let satisfied = stored["current"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|v| v["kpi"] == "satisfied")
        .expect("the imported target");
    assert_eq!(satisfied["value"], 57.5, "a decimal comma: {stored}");
    assert_eq!(
        satisfied["source"], "Протокол «1»",
        "Windows-1251 decoded: {stored}"
    );
    assert_eq!(satisfied["entered_by"], "cli");
    let base = json_status(
        call(
            &app,
            "GET",
            &format!("/api/v1/nsi/baselines?org=reg&life_situation={LS}"),
            Some(&t["admin"]),
            None,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(base["current"][0]["source"], "Самооценка, пилот");
    assert_eq!(
        app.sql
            .scalar("select count(*) from nsi_time_measurements")
            .await,
        2
    );
}
