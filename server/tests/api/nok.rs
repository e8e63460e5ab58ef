//! НОК checklists (`PUT/GET /api/v1/nok/checklists/{org}/{year}`, `otklik nok checklist`) and
//! the НОК part of `/stats`: K1–K5 and Sn against the test's own recomputation from the raw
//! stored responses under both empty-sub-population rules, the answered counts, the
//! bootstrap intervals, the channel split, and the `nok_total` ranking.
//!
//! Longer than 400 lines because it holds the independent recomputation (the 344н formulas
//! coded again) beside the scenarios and the access table that use it.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::data::{self, utc, Generator};
use crate::helpers::{assert_error, run_cli, spawn_app, Backend, TestApp};
use crate::on_both_backends;
use crate::stats::{
    assert_close, checklist_indicators, load_rows, select, Query, Row, K1, K2, K3, K4, K5, MIN_N,
    SURVEY_INDICATORS,
};

on_both_backends!(
    checklists_are_stored_read_and_refused_with_the_right_status,
    checklists_are_entered_from_the_command_line,
    the_methodology_in_force_is_read_by_readers_of_results_only,
    nok_figures_equal_a_recomputation_under_both_rules_with_stable_intervals,
);

const PASSWORD: &str = "password-12345";

/// The checklist of the contract's example, trimmed so that no indicator is at its cap by
/// accident: 1.1 = ½(7/10 + 15/20) × 100, 1.2 = 2 × 30, 2.1 = min(6 × 20, 100), 3.1 = 2 × 20,
/// 3.2 = min(6 × 20, 100).
fn checklist() -> Value {
    json!({
        "1.1": {"stand_present": 7, "stand_required": 10, "site_present": 15, "site_required": 20},
        "1.2": ["phone", "other"],
        "2.1": ["waiting_zone", "navigation", "drinking_water", "sanitary_rooms", "sanitary_state", "transport"],
        "3.1": ["ramps", "parking"],
        "3.2": ["sound_visual", "braille", "sign_language", "low_vision_site", "escort", "remote_service"]
    })
}

/// `PUT` a checklist with an optional token.
async fn put(
    app: &TestApp,
    token: Option<&str>,
    org: &str,
    year: &str,
    body: &Value,
) -> reqwest::Response {
    let mut req = app
        .client
        .put(app.url(&format!("/api/v1/nok/checklists/{org}/{year}")))
        .json(body);
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    req.send().await.expect("PUT checklist")
}

/// `GET` a checklist with an optional token.
async fn get(app: &TestApp, token: Option<&str>, org: &str, year: &str) -> reqwest::Response {
    let mut req = app
        .client
        .get(app.url(&format!("/api/v1/nok/checklists/{org}/{year}")));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    req.send().await.expect("GET checklist")
}

async fn json_ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.expect("a JSON reply");
    assert_eq!(status, 200, "{body}");
    body
}

fn assert_indicators(ctx: &str, got: &Value, want: &BTreeMap<String, f64>) {
    assert_eq!(
        got.as_object().map(|o| o.len()),
        Some(want.len()),
        "{ctx}: {got}"
    );
    for (code, v) in want {
        assert_close(&format!("{ctx} {code}"), &got[code], Some(*v), 1e-12);
    }
}

/// A second region with its official, and users of every other role inside the first one.
async fn add_people(app: &TestApp) {
    app.add_orgs(&[(
        "reg-b",
        "Другая область",
        "region",
        None,
        None,
        Some("Europe/Moscow"),
    )])
    .await;
    app.add_user("official-b", PASSWORD, "official", Some("reg-b"))
        .await;
    app.add_user("official-a", PASSWORD, "official", Some("reg"))
        .await;
    app.add_user("observer-a", PASSWORD, "observer", Some("reg"))
        .await;
    app.add_user("operator-a", PASSWORD, "operator", Some("inst-a"))
        .await;
}

async fn checklists_are_stored_read_and_refused_with_the_right_status(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    add_people(&app).await;
    let admin = app.admin_token().await;
    let body = checklist();

    // Act
    let stored = json_ok(put(&app, Some(&admin), "inst-a", "2026", &body).await).await;
    let read = json_ok(get(&app, Some(&admin), "inst-a", "2026").await).await;

    // Assert
    let want = checklist_indicators(&body);
    assert_indicators("PUT", &stored["indicators"], &want);
    assert_eq!(stored["org"], "inst-a");
    assert_eq!(stored["year"], 2026);
    assert_eq!(
        stored["checklist"], body,
        "the checklist comes back as entered"
    );
    assert_eq!(read, stored, "GET returns what PUT stored");
    // A second PUT replaces the first.
    let mut fewer = body.clone();
    fewer["3.1"] = json!([]);
    let replaced = json_ok(put(&app, Some(&admin), "inst-a", "2026", &fewer).await).await;
    assert_close(
        "3.1 replaced",
        &replaced["indicators"]["3.1"],
        Some(0.0),
        0.0,
    );
    assert_error(
        get(&app, Some(&admin), "inst-a", "2025").await,
        404,
        "unknown_checklist",
    )
    .await;
    assert_error(
        get(&app, Some(&admin), "nowhere", "2026").await,
        404,
        "unknown_org",
    )
    .await;

    // The refusals: unknown items, bad counts, orgs that are not institutions, bad years.
    let with = |key: &str, value: Value| {
        let mut b = body.clone();
        b[key] = value;
        b
    };
    let cases = [
        (
            "inst-a",
            "2026",
            with("1.2", json!(["phone", "fax"])),
            "invalid_checklist",
            Some("fax"),
        ),
        (
            "inst-a",
            "2026",
            with("3.2", json!(["ramps"])),
            "invalid_checklist",
            Some("ramps"),
        ),
        (
            "inst-a",
            "2026",
            with("9.9", json!(["phone"])),
            "invalid_checklist",
            Some("9.9"),
        ),
        (
            "inst-a",
            "2026",
            with(
                "1.1",
                json!({"stand_present": 11, "stand_required": 10, "site_present": 1, "site_required": 2}),
            ),
            "invalid_checklist",
            Some("1.1"),
        ),
        (
            "inst-a",
            "2026",
            with(
                "1.1",
                json!({"stand_present": 0, "stand_required": 0, "site_present": 1, "site_required": 2}),
            ),
            "invalid_checklist",
            Some("1.1"),
        ),
        ("mun", "2026", body.clone(), "invalid_org", None),
        ("inst-a-dep", "2026", body.clone(), "invalid_org", None),
        ("inst-a", "1999", body.clone(), "invalid_year", None),
        ("inst-a", "2101", body.clone(), "invalid_year", None),
        ("inst-a", "twenty", body.clone(), "invalid_year", None),
    ];
    for (org, year, b, code, named) in cases {
        let err = assert_error(put(&app, Some(&admin), org, year, &b).await, 422, code).await;
        if let Some(named) = named {
            let message = err["error"]["message"].as_str().unwrap_or_default();
            assert!(
                message.contains(named),
                "{org}/{year}: names {named}: {err}"
            );
        }
    }
    assert_error(
        get(&app, Some(&admin), "mun", "2026").await,
        422,
        "invalid_org",
    )
    .await;
    let negative = with(
        "1.1",
        json!({"stand_present": -1, "stand_required": 10, "site_present": 1, "site_required": 2}),
    );
    assert_error(
        put(&app, Some(&admin), "inst-a", "2026", &negative).await,
        400,
        "malformed_json",
    )
    .await;

    // Who may: 401 without a token, scope and role refusals.
    assert_error(
        put(&app, None, "inst-a", "2026", &body).await,
        401,
        "unauthorized",
    )
    .await;
    assert_error(get(&app, None, "inst-a", "2026").await, 401, "unauthorized").await;
    let official_b = app.login("official-b", PASSWORD).await;
    let official_a = app.login("official-a", PASSWORD).await;
    let observer = app.login("observer-a", PASSWORD).await;
    let operator = app.login("operator-a", PASSWORD).await;
    for (token, put_status, put_code, get_status, get_code) in [
        (
            &official_b,
            403,
            Some("out_of_scope"),
            403,
            Some("out_of_scope"),
        ),
        (&observer, 403, Some("forbidden"), 200, None),
        (&operator, 403, Some("forbidden"), 403, Some("forbidden")),
        (&official_a, 200, None, 200, None),
    ] {
        let res = put(&app, Some(token), "inst-a", "2026", &body).await;
        match put_code {
            Some(code) => drop(assert_error(res, put_status, code).await),
            None => assert_eq!(res.status(), put_status),
        }
        let res = get(&app, Some(token), "inst-a", "2026").await;
        match get_code {
            Some(code) => drop(assert_error(res, get_status, code).await),
            None => assert_eq!(res.status(), get_status),
        }
    }
}

/// `GET /nok/methodology` answers the table the server scores with (so a form's items are the
/// ones a `PUT` accepts) to readers of results, 401 without a token and 403 to an operator.
async fn the_methodology_in_force_is_read_by_readers_of_results_only(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    add_people(&app).await;
    let shipped = serde_json::to_value(
        otklik_shared::catalog::nok_methodology().expect("the shipped table loads"),
    )
    .expect("the table serialises");
    let observer = app.login("observer-a", PASSWORD).await;
    let official = app.login("official-b", PASSWORD).await;
    let operator = app.login("operator-a", PASSWORD).await;
    let path = "/api/v1/nok/methodology";

    // Act
    let read = json_ok(app.get_as(path, Some(&observer), &[]).await).await;
    let read_elsewhere = json_ok(app.get_as(path, Some(&official), &[]).await).await;

    // Assert
    assert_eq!(read, shipped, "the table in force is the shipped one");
    assert_eq!(read_elsewhere, shipped, "it belongs to no region");
    let items_of = |code: &str| -> Vec<String> {
        read["indicators"]
            .as_array()
            .expect("indicators")
            .iter()
            .find(|i| i["code"] == code)
            .and_then(|i| i["items"].as_array())
            .expect("a checklist list")
            .iter()
            .map(|item| item["id"].as_str().expect("an item id").to_owned())
            .collect()
    };
    // A checklist ticking every listed item is accepted: the form offers nothing a PUT refuses.
    let admin = app.admin_token().await;
    let mut every = checklist();
    for code in ["1.2", "2.1", "3.1", "3.2"] {
        every[code] = json!(items_of(code));
    }
    json_ok(put(&app, Some(&admin), "inst-a", "2026", &every).await).await;
    assert_error(app.get_as(path, None, &[]).await, 401, "unauthorized").await;
    assert_error(
        app.get_as(path, Some(&operator), &[]).await,
        403,
        "forbidden",
    )
    .await;
}

async fn checklists_are_entered_from_the_command_line(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let admin = app.admin_token().await;
    let dir = std::env::temp_dir();
    let good = dir.join(format!("checklist-{}.json", data::new_id()));
    let bad = dir.join(format!("checklist-{}.json", data::new_id()));
    std::fs::write(&good, checklist().to_string()).expect("write the checklist");
    let mut wrong = checklist();
    wrong["2.1"] = json!(["waiting_zone", "jacuzzi"]);
    std::fs::write(&bad, wrong.to_string()).expect("write the checklist");
    let args = |file: &std::path::Path| {
        vec![
            "nok".to_owned(),
            "checklist".to_owned(),
            "--org".to_owned(),
            "inst-c".to_owned(),
            "--year".to_owned(),
            "2026".to_owned(),
            file.display().to_string(),
        ]
    };

    // Act
    let ok_args = args(&good);
    let ok = run_cli(
        &app.db_url,
        &ok_args.iter().map(String::as_str).collect::<Vec<_>>(),
        None,
    )
    .await;
    let bad_args = args(&bad);
    let refused = run_cli(
        &app.db_url,
        &bad_args.iter().map(String::as_str).collect::<Vec<_>>(),
        None,
    )
    .await;

    // Assert
    assert!(ok.success, "{ok:?}");
    assert!(ok.stdout.contains("1.1 = 72.50"), "{ok:?}");
    let read = json_ok(get(&app, Some(&admin), "inst-c", "2026").await).await;
    assert_eq!(read["checklist"], checklist());
    assert!(!refused.success, "{refused:?}");
    let message = refused.stderr.trim();
    assert_eq!(message.lines().count(), 1, "one line: {message}");
    assert!(
        message.contains("jacuzzi") && message.contains("2.1"),
        "{message}"
    );
    for file in [good, bad] {
        let _ = std::fs::remove_file(file);
    }
}

/// K1–K5 and Sn of one institution's rows, coded again from `domain.md` §3: survey shares over
/// those who answered; an empty sub-population is left out and the weights renormalised
/// (`otklik`) or scores 0 (`operators`); Sn is the mean of the five.
fn recompute(
    rows: &[&Row],
    checklist: &BTreeMap<String, f64>,
    operators: bool,
) -> BTreeMap<String, f64> {
    let mut indicators: BTreeMap<&str, Option<f64>> = BTreeMap::new();
    for (code, v) in checklist {
        indicators.insert(code.as_str(), Some(*v));
    }
    for (code, items) in SURVEY_INDICATORS {
        let shares: Vec<Option<f64>> = items
            .iter()
            .map(|item| {
                let answers: Vec<&Value> = rows.iter().filter_map(|r| r.answer(item)).collect();
                let yes = answers.iter().filter(|v| ***v == json!(true)).count() as f64;
                (!answers.is_empty()).then(|| 100.0 * yes / answers.len() as f64)
            })
            .collect();
        let used: Vec<f64> = if operators {
            shares.iter().map(|s| s.unwrap_or(0.0)).collect()
        } else {
            shares.iter().flatten().copied().collect()
        };
        let value = (!used.is_empty()).then(|| used.iter().sum::<f64>() / used.len() as f64);
        indicators.insert(code, value);
    }
    let mut out = BTreeMap::new();
    for (name, weights) in [("K1", K1), ("K2", K2), ("K3", K3), ("K4", K4), ("K5", K5)] {
        let (mut sum, mut weight) = (0.0, 0.0);
        for (code, w) in weights {
            if let Some(Some(v)) = indicators.get(code) {
                sum += w * v;
                weight += w;
            }
        }
        out.insert(name.to_owned(), sum / weight);
    }
    let total = out.values().sum::<f64>() / 5.0;
    out.insert("total".to_owned(), total);
    out
}

/// Nobody reaches 3.3 (no disability group) and nobody used the site (1.3 has one half): the
/// two empty-sub-population rules then give different K1 and K3.
fn with_empty_sub_populations(mut item: Value) -> Value {
    let answers = item["answers"].as_array_mut().expect("answers");
    answers.retain(|a| a["q"] != "accessibility" && a["q"] != "info_site");
    for a in answers.iter_mut() {
        if a["q"] == "disability" || a["q"] == "info_site_used" {
            a["v"] = json!(false);
        }
    }
    item
}

async fn nok_figures_equal_a_recomputation_under_both_rules_with_stable_intervals(
    backend: Backend,
) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let admin = app.admin_token().await;
    json_ok(put(&app, Some(&admin), "inst-a", "2026", &checklist()).await).await;
    let q = data::questionnaire("nok-social");
    let mut gen = Generator::new(14);
    let mut citizens = Vec::new();
    for i in 0..160 {
        let at = gen.instant(utc(2026, 1, 5), utc(2026, 11, 20));
        let channel = if i % 4 == 0 { "link" } else { "qr" };
        citizens.push(with_empty_sub_populations(
            gen.response("a-nok", &q, channel, at),
        ));
    }
    let staff: Vec<Value> = (0..12)
        .map(|i| {
            let at = gen.instant(utc(2026, 2, 1), utc(2026, 10, 1));
            let channel = if i % 3 == 0 { "observation" } else { "paper" };
            with_empty_sub_populations(gen.response("a-nok", &q, channel, at))
        })
        .collect();
    app.submit(&citizens, None).await;
    app.submit(&staff, Some(&admin)).await;
    let rows = load_rows(&app).await;
    let query = Query {
        org: "inst-a",
        questionnaire: "nok-social",
        from: Some("2026-01-01"),
        to: Some("2026-12-31"),
        point: None,
        life_situation: None,
    };
    let path = app.sql.org_path("inst-a").await;
    let selected = select(&rows, &path, &query);
    let checklist = checklist_indicators(&checklist());

    for (rule, operators) in [("otklik", false), ("operators", true)] {
        // Act
        let mut params = query.params();
        params.push(("nok_rule", rule));
        let first = app.stats(&admin, &params).await;
        let second = app.stats(&admin, &params).await;

        // Assert
        let ctx = format!("rule {rule}");
        let nok = &first["nok"];
        assert_eq!(nok["rule"], rule, "{ctx}");
        let want = recompute(&selected, &checklist, operators);
        for (key, value) in &want {
            let got = if key == "total" {
                &nok["total"]
            } else {
                &nok["criteria"][key]
            };
            assert_close(&format!("{ctx} {key}"), got, Some(*value), 1e-9);
            let [lo, hi] = [0, 1].map(|i| nok["ci95"][key][i].as_f64().expect("a bound"));
            assert!(
                lo <= *value && *value <= hi,
                "{ctx} {key}: {lo} ≤ {value} ≤ {hi}"
            );
            assert!(
                hi - lo < 40.0,
                "{ctx} {key}: a plausible interval {lo}…{hi}"
            );
        }
        assert_eq!(
            first["nok"]["ci95"], second["nok"]["ci95"],
            "{ctx}: the same bounds twice"
        );
        assert_eq!(nok["n"], json!(selected.len()), "{ctx}: respondents");
        assert_eq!(
            nok["low_n"],
            json!((selected.len() as u64) < MIN_N),
            "{ctx}"
        );
        for (code, items) in SURVEY_INDICATORS {
            let answered: usize = items
                .iter()
                .map(|item| selected.iter().filter(|r| r.answer(item).is_some()).count())
                .sum();
            assert_eq!(
                nok["indicator_n"][code],
                json!(answered),
                "{ctx}: n of {code}"
            );
        }
    }
    let otklik = app.stats(&admin, &query.params()).await;
    let operators = {
        let mut p = query.params();
        p.push(("nok_rule", "operators"));
        app.stats(&admin, &p).await
    };
    assert_eq!(otklik["nok"]["rule"], "otklik", "the default rule");
    assert_ne!(
        otklik["nok"]["criteria"]["K3"],
        operators["nok"]["criteria"]["K3"]
    );

    // The channel split: every channel, observation included.
    let mut channels: BTreeMap<String, u64> = BTreeMap::new();
    for r in rows
        .iter()
        .filter(|r| r.stored.institution == "inst-a" && r.item["questionnaire"] == "nok-social")
    {
        *channels.entry(r.stored.channel.clone()).or_default() += 1;
    }
    assert!(channels.contains_key("observation") && channels.contains_key("link"));
    assert_eq!(otklik["channels"], json!(channels));

    // Above one institution: the same figures as means, no interval.
    let region = app
        .stats(&admin, &[("org", "reg"), ("questionnaire", "nok-social")])
        .await;
    assert!(region["nok"]["ci95"].is_null(), "{}", region["nok"]);

    // The `nok_total` ranking gives the institution its /stats total and bootstrap interval.
    let entry = ranked_inst_a(&app, &admin, "nok_total").await;
    assert_eq!(entry["value"], otklik["nok"]["total"]);
    assert_eq!(entry["ci95"], otklik["nok"]["ci95"]["total"]);
    assert_eq!(entry["n"], json!(selected.len()));
    assert_eq!(entry["rank"], 1);
    // The `yes` metric ranks the share of «Да» to `overall`, as /stats gives it.
    let entry = ranked_inst_a(&app, &admin, "yes").await;
    let overall = &otklik["questions"]["overall"];
    assert_eq!(entry["value"], overall["yes_pct"]);
    assert_eq!(entry["ci95"], overall["ci95"]);
    assert_eq!(entry["n"], overall["n"]);
}

/// inst-a's entry in the ranking of `nok-social` over 2026 by `metric`.
async fn ranked_inst_a(app: &TestApp, token: &str, metric: &str) -> Value {
    let ranking = json_ok(
        app.client
            .get(app.url("/api/v1/rankings"))
            .query(&[
                ("org", "reg"),
                ("questionnaire", "nok-social"),
                ("metric", metric),
                ("from", "2026-01-01"),
                ("to", "2026-12-31"),
            ])
            .bearer_auth(token)
            .send()
            .await
            .expect("GET rankings"),
    )
    .await;
    ranking["institutions"]
        .as_array()
        .and_then(|all| all.iter().find(|e| e["org"] == "inst-a").cloned())
        .unwrap_or_else(|| panic!("inst-a is ranked by {metric}: {ranking}"))
}
