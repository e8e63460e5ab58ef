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
    // The expert group's walk-throughs, on their own page: the observer who made them reads
    // them under their name.
    let observer = app.login("observer", "otklik-observer").await;
    let walks = get(
        &app,
        &observer,
        "/api/v1/observations",
        &[("org", "demo"), ("questionnaire", "nsi-satisfaction")],
    )
    .await;
    assert!(walks["figures"]["responses"].as_u64() > Some(0), "{walks}");
    let batches = walks["batches"].as_array().expect("batches");
    assert!(
        !batches.is_empty() && batches.iter().all(|b| b["entered_by"] == "observer"),
        "{walks}"
    );
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

on_both_backends!(the_demo_reports_nsi_for_the_employment_centres);

async fn the_demo_reports_nsi_for_the_employment_centres(backend: Backend) {
    // Arrange
    let app = TestApp::start(TestDb::new(backend).await, |s| s.serve.demo = true).await;
    let official = app.login("official", "otklik-official").await;
    let msk = chrono::FixedOffset::east_opt(3 * 3600).expect("offset");
    let year = chrono::Datelike::year(&chrono::Utc::now().with_timezone(&msk)).to_string();
    let situation = ("life_situation", "job-via-employment-centre");

    // Act
    let report = get(
        &app,
        &official,
        "/api/v1/nsi/report",
        &[("org", "demo"), situation, ("year", &year)],
    )
    .await;
    let targets = get(
        &app,
        &official,
        "/api/v1/nsi/targets",
        &[("org", "demo"), situation],
    )
    .await;

    // Assert: the baseline is the pilot region's 46 %, the target in force is the second one
    // approved, and both versions stay in the history.
    let satisfied = &report["kpis"]["satisfied"];
    assert_eq!(satisfied["baseline"]["value"], 46.0, "{report}");
    assert_eq!(satisfied["target"]["value"], 60.0, "{report}");
    assert_eq!(satisfied["target"]["method"], "position", "{report}");
    assert!(satisfied["achieved"].is_boolean(), "{report}");
    assert!(
        !satisfied["quarters"]
            .as_array()
            .expect("quarters")
            .is_empty(),
        "{report}"
    );
    let versions = targets["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter(|t| t["kpi"] == "satisfied")
        .count();
    assert_eq!(versions, 2, "{targets}");
    // This quarter's times: the urban centre's twelve and the rural centre's six, so the
    // warning shows and the worst is the rural centre's 34 days.
    let time = &report["kpis"]["time"];
    let latest = time["quarters"]
        .as_array()
        .and_then(|q| q.last())
        .expect("a quarter of times");
    assert_eq!(latest["measurements"], 18, "{report}");
    assert_eq!(latest["worst"], 34.0, "{report}");
    assert_eq!(latest["warning"], "fewer_than_10_measurements", "{report}");
    assert_eq!(time["target"]["value"], 18.0, "{report}");
    // The urban centre asks people leaving its register how long finding work took: their
    // answers are a figure of their own, in days, a week to two months.
    let reported = time["reported"].as_array().expect("reported times");
    assert!(!reported.is_empty(), "{report}");
    for q in reported {
        assert!(q["n"].as_u64() > Some(0), "{q}");
        let (median, longest) = (q["median"].as_f64(), q["longest"].as_f64());
        assert!(
            median >= Some(7.0) && longest <= Some(60.0) && median <= longest,
            "{q}"
        );
    }
    // Urban and rural centres, both in the split.
    for settlement in ["urban", "rural"] {
        assert!(
            report["settlement"][settlement].is_object(),
            "{settlement}: {report}"
        );
    }
    // The comment loop: the urban centre's comments in every status, tagged ones in the stage
    // view, dated measures in the report, and a «сделано» item on its public page.
    for status in ["new", "in_progress", "done"] {
        let page = get(
            &app,
            &official,
            "/api/v1/comments",
            &[("org", "czn-center"), ("status", status)],
        )
        .await;
        let comments = page["comments"].as_array().expect("comments");
        assert!(!comments.is_empty(), "{status}: {page}");
        assert!(
            comments.iter().all(|c| c["review"]["status"] == status),
            "{page}"
        );
        if status != "new" {
            assert!(
                comments
                    .iter()
                    .all(|c| c["review"]["stage"].is_string() && c["review"]["loss"].is_string()),
                "tagged with a stage and a loss: {page}"
            );
        }
    }
    let stages = get(
        &app,
        &official,
        "/api/v1/nsi/stages",
        &[("org", "demo"), situation],
    )
    .await;
    let tagged: u64 = stages["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .filter_map(|s| s["comments"].as_u64())
        .sum();
    assert!(tagged >= 4, "{stages}");
    assert!(
        report["improvements"]
            .as_array()
            .is_some_and(|m| m.len() == 2),
        "{report}"
    );
    let public = app.get("/r/czn-center").await;
    assert_eq!(public.status(), 200);
    let html = public.text().await.expect("HTML");
    assert!(html.contains("Сделано"), "{html}");
    assert!(html.contains("Открыли второе окно регистрации"), "{html}");
    assert!(
        html.contains("Электронная очередь и второе окно регистрации"),
        "{html}"
    );
}
