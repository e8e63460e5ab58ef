//! `serve --demo` lands an official on a region worth looking at (issue 15, item 14): a kiosk
//! with a gap in its `seq`, НОК Sn from checklists, employment centres below the rest, a low-n
//! point, trends that move.

use serde_json::Value;

use crate::helpers::{Backend, TestApp, TestDb};
use crate::on_both_backends;

on_both_backends!(the_demo_region_has_what_the_dashboard_shows);

async fn get(app: &TestApp, token: &str, path: &str, query: &[(&str, &str)]) -> Value {
    let res = app.get_as(path, Some(token), query).await;
    assert_eq!(res.status(), 200, "{path} {query:?}");
    res.json().await.expect("JSON")
}

async fn the_demo_region_has_what_the_dashboard_shows(backend: Backend) {
    // Arrange
    let app = TestApp::start(TestDb::new(backend).await, |s| s.serve.demo = true).await;
    let official = app.login("official", "otklik-official").await;

    // Act
    let devices = get(&app, &official, "/api/v1/devices", &[("org", "demo")]).await;
    let nok = app
        .stats(
            &official,
            &[("org", "kcson-zarechye"), ("questionnaire", "nok-social")],
        )
        .await;
    let ranking = get(
        &app,
        &official,
        "/api/v1/rankings",
        &[
            ("org", "demo"),
            ("questionnaire", "nsi-satisfaction"),
            ("metric", "satisfied"),
        ],
    )
    .await;
    let low = app
        .stats(
            &official,
            &[
                ("org", "demo"),
                ("questionnaire", "express"),
                ("point", "library-central-1"),
            ],
        )
        .await;
    let trend = get(
        &app,
        &official,
        "/api/v1/trends",
        &[
            ("org", "demo"),
            ("questionnaire", "nsi-satisfaction"),
            ("question", "process"),
            ("grain", "quarter"),
        ],
    )
    .await;

    // Assert
    let kiosk = &devices["devices"][0];
    assert_eq!(kiosk["missing"], serde_json::json!([[58, 63]]), "{devices}");
    assert!(kiosk["received"].as_u64() > Some(300), "{devices}");
    assert!(
        nok["nok"]["total"].is_number(),
        "Sn from the checklists: {nok}"
    );
    let ranked: Vec<&str> = ranking["institutions"]
        .as_array()
        .expect("institutions")
        .iter()
        .filter_map(|e| e["org"].as_str())
        .collect();
    assert!(
        ranked.ends_with(&["czn-center", "czn-zarechye"])
            || ranked.ends_with(&["czn-zarechye", "czn-center"]),
        "the employment centres rank last: {ranked:?}"
    );
    assert!(
        low["responses"].as_u64().is_some_and(|n| n > 0 && n < 30),
        "{low}"
    );
    assert_eq!(low["questions"]["overall"]["low_n"], true, "{low}");
    let values: Vec<f64> = trend["periods"]
        .as_array()
        .expect("periods")
        .iter()
        .filter_map(|p| p["value"].as_f64())
        .collect();
    let (lo, hi) = values
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), v| (l.min(*v), h.max(*v)));
    assert!(
        values.len() >= 4 && hi - lo > 5.0,
        "the trend moves: {values:?}"
    );
}
