//! `GET /api/v1/trends` and `GET /api/v1/rankings` against the test's own recount of the raw
//! stored responses: periods dated in each institution's time zone (Vladivostok responses
//! across a UTC month and quarter boundary), empty periods, and tied groups by the rule coded
//! again here; then every refusal.
//!
//! Longer than 400 lines because it holds both recounts beside the scenarios that use them.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{json, Value};

use crate::data::{self, utc, Generator};
use crate::helpers::{assert_error, spawn_app, Backend, TestApp};
use crate::on_both_backends;
use crate::stats::{
    assert_close, assert_interval, load_rows, nps_interval, pct, select, wilson, Query, Row, MIN_N,
};

on_both_backends!(
    trends_equal_a_recount_by_local_period,
    rankings_equal_an_independent_application_of_the_tied_group_rule,
    trends_and_rankings_refuse_what_they_should,
);

async fn get_json(app: &TestApp, path: &str, token: &str, query: &[(&str, &str)]) -> Value {
    let res = app.get_as(path, Some(token), query).await;
    let status = res.status();
    let body: Value = res.json().await.expect("a JSON reply");
    assert_eq!(status, 200, "{path} {query:?}: {body}");
    body
}

/// The label of the period holding a local date, by the contract's formats.
fn label(grain: &str, d: NaiveDate) -> String {
    match grain {
        "month" => format!("{}-{:02}", d.year(), d.month()),
        "quarter" => format!("{}Q{}", d.year(), (d.month() - 1) / 3 + 1),
        _ => d.year().to_string(),
    }
}

/// Every period label from the one holding `first` to the one holding `last`.
fn labels(grain: &str, first: NaiveDate, last: NaiveDate) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut d = first;
    while d <= last {
        let l = label(grain, d);
        if out.last() != Some(&l) {
            out.push(l);
        }
        d += Duration::days(1);
    }
    out
}

/// Checks one trend reply against the rows: satisfied share of `process` per local period.
fn check_trend(
    ctx: &str,
    got: &Value,
    rows: &[&Row],
    grain: &str,
    first: NaiveDate,
    last: NaiveDate,
) {
    let mut by_period: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for r in rows {
        if let Some(v) = r.answer("process") {
            let e = by_period.entry(label(grain, r.local_date)).or_default();
            e.1 += 1;
            if *v == json!("yes") || *v == json!("rather_yes") {
                e.0 += 1;
            }
        }
    }
    let want = labels(grain, first, last);
    let periods = got["periods"]
        .as_array()
        .unwrap_or_else(|| panic!("{ctx}: {got}"));
    let got_labels: Vec<&str> = periods
        .iter()
        .map(|p| p["period"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(got_labels, want, "{ctx}: the periods");
    for p in periods {
        let l = p["period"].as_str().unwrap_or_default();
        let (k, n) = by_period.get(l).copied().unwrap_or_default();
        let pctx = format!("{ctx} {l}");
        assert_eq!(p["n"], json!(n), "{pctx} n");
        assert_close(&pctx, &p["value"], pct(k, n), 1e-12);
        assert_interval(&pctx, &p["ci95"], wilson(k, n));
        assert_eq!(p["low_n"], json!(n < MIN_N), "{pctx} low_n");
    }
}

async fn trends_equal_a_recount_by_local_period(backend: Backend) {
    // Arrange: inst-a in Moscow, inst-b in Vladivostok; many responses in the last hours of
    // March 31 in UTC, which are April 1 in Vladivostok.
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let admin = app.admin_token().await;
    let q = data::questionnaire("nsi-satisfaction");
    let mut gen = Generator::new(31);
    let mut items = Vec::new();
    for i in 0..360 {
        let point = if i % 2 == 0 { "a-nsi" } else { "b-nsi" };
        let at = if i % 3 == 0 {
            gen.instant(utc(2026, 3, 31) + Duration::hours(15), utc(2026, 4, 1))
        } else {
            gen.instant(utc(2026, 1, 20), utc(2026, 5, 10))
        };
        items.push(gen.response(point, &q, "qr", at));
    }
    for chunk in items.chunks(200) {
        app.submit(chunk, None).await;
    }
    let at = gen.instant(utc(2026, 2, 1), utc(2026, 3, 1));
    let observed = gen.response("a-nsi", &q, "observation", at);
    app.submit(&[observed], Some(&admin)).await;
    let rows = load_rows(&app).await;
    let straddling = rows
        .iter()
        .filter(|r| r.stored.institution == "inst-b" && r.local_date.month() == 4)
        .any(|r| {
            r.item["submitted_at"].as_str().is_some_and(|s| {
                chrono::DateTime::parse_from_rfc3339(s).is_ok_and(|t| t.naive_utc().month() == 3)
            })
        });
    assert!(
        straddling,
        "the data holds March-in-UTC, April-in-Vladivostok responses"
    );

    for org in ["reg", "inst-b", "inst-a"] {
        let path = app.sql.org_path(org).await;
        let query = Query {
            org: "reg",
            questionnaire: "nsi-satisfaction",
            from: None,
            to: None,
            point: None,
            life_situation: None,
        };
        let selected = select(&rows, &path, &query);
        let first = selected.iter().map(|r| r.local_date).min().expect("data");
        let last = selected.iter().map(|r| r.local_date).max().expect("data");
        for grain in ["month", "quarter", "year"] {
            // Act
            let open = get_json(
                &app,
                "/api/v1/trends",
                &admin,
                &[
                    ("org", org),
                    ("questionnaire", "nsi-satisfaction"),
                    ("question", "process"),
                    ("grain", grain),
                ],
            )
            .await;
            let ranged = get_json(
                &app,
                "/api/v1/trends",
                &admin,
                &[
                    ("org", org),
                    ("questionnaire", "nsi-satisfaction"),
                    ("question", "process"),
                    ("grain", grain),
                    ("from", "2025-11-15"),
                    ("to", "2026-04-02"),
                ],
            )
            .await;

            // Assert
            let ctx = format!("{org} {grain}");
            assert_eq!(open["grain"], grain);
            assert_eq!(open["question"], "process");
            check_trend(&format!("{ctx} open"), &open, &selected, grain, first, last);
            // `from`/`to` select whole periods: April counts to its end, Q2 to June.
            let (from, to) = (
                crate::stats::day("2025-11-15"),
                crate::stats::day("2026-04-02"),
            );
            check_trend(
                &format!("{ctx} ranged"),
                &ranged,
                &selected,
                grain,
                from,
                to,
            );
        }
    }
}

/// Institutions for the ranking: (code, answers, share of «Да», NPS pattern offset).
const RANKED: [(&str, usize, f64, usize); 6] = [
    ("r1", 200, 0.95, 0),
    ("r2", 200, 0.92, 1),
    ("r3", 200, 0.85, 2),
    ("r4", 200, 0.70, 0),
    ("r5", 200, 0.67, 1),
    ("r6", 10, 1.0, 2),
];

/// An `express` response with a given overall answer and NPS score.
fn express(point: &str, yes: bool, nps: u8) -> Value {
    json!({
        "id": data::new_id(),
        "point": point,
        "questionnaire": "express",
        "version": 1,
        "channel": "qr",
        "submitted_at": "2026-05-10T10:00:00+03:00",
        "answers": [{"q": "overall", "v": if yes { "yes" } else { "no" }}, {"q": "nps", "v": nps}]
    })
}

/// The tied-group rule of `contract.md` §5, coded again: by value descending (then code), a
/// new group where the upper bound is below the lower bound of the group's first member.
fn expected_ranking(
    mut figures: Vec<(String, u64, f64, [f64; 2])>,
) -> Vec<(String, Option<u32>, Option<u32>)> {
    let (mut ranked, mut low): (Vec<_>, Vec<_>) = figures.drain(..).partition(|f| f.1 >= MIN_N);
    ranked.sort_by(|a, b| b.2.partial_cmp(&a.2).expect("numbers").then(a.0.cmp(&b.0)));
    low.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Vec::new();
    let mut group = 0;
    let mut anchor_low = 0.0;
    for (i, (code, _, _, [lo, hi])) in ranked.into_iter().enumerate() {
        if group == 0 || hi < anchor_low {
            group += 1;
            anchor_low = lo;
        }
        out.push((code, Some(i as u32 + 1), Some(group)));
    }
    out.extend(low.into_iter().map(|f| (f.0, None, None)));
    out
}

async fn rankings_equal_an_independent_application_of_the_tied_group_rule(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let admin = app.admin_token().await;
    for &(code, ..) in &RANKED {
        app.add_orgs(&[(
            code,
            &format!("Учреждение {code}"),
            "institution",
            Some("reg"),
            Some("social"),
            None,
        )])
        .await;
        app.add_point(&format!("{code}-x"), code, "express", None)
            .await;
    }
    let mut items = Vec::new();
    for &(code, n, p, offset) in &RANKED {
        let yes = (p * n as f64).round() as usize;
        for i in 0..n {
            let nps = if i < yes {
                [10, 9, 8][(i + offset) % 3]
            } else {
                [3, 6, 7][(i + offset) % 3]
            };
            items.push(express(&format!("{code}-x"), i < yes, nps));
        }
    }
    for chunk in items.chunks(400) {
        app.submit(chunk, None).await;
    }
    let rows = load_rows(&app).await;
    let express_rows: Vec<&Row> = rows
        .iter()
        .filter(|r| r.item["questionnaire"] == "express")
        .collect();

    // `express` asks `overall` on the 4-point scale: its satisfied share, and the NPS.
    for metric in ["satisfied", "nps"] {
        // Act
        let mut query = vec![
            ("org", "reg"),
            ("questionnaire", "express"),
            ("metric", metric),
        ];
        if metric == "satisfied" {
            query.push(("question", "overall"));
        }
        let got = get_json(&app, "/api/v1/rankings", &admin, &query).await;

        // Assert
        let mut figures = Vec::new();
        let mut by_code: BTreeMap<String, (u64, f64, [f64; 2])> = BTreeMap::new();
        for &(code, ..) in &RANKED {
            let mine: Vec<&&Row> = express_rows
                .iter()
                .filter(|r| r.stored.institution == code)
                .collect();
            let answers: Vec<&Value> = mine
                .iter()
                .filter_map(|r| {
                    r.answer(if metric == "satisfied" {
                        "overall"
                    } else {
                        "nps"
                    })
                })
                .collect();
            let n = answers.len() as u64;
            let (value, ci) = if metric == "satisfied" {
                let k = answers
                    .iter()
                    .filter(|v| ***v == json!("yes") || ***v == json!("rather_yes"))
                    .count() as u64;
                (pct(k, n).expect("answers"), wilson(k, n).expect("answers"))
            } else {
                let score = |v: &&Value| v.as_u64().unwrap_or(0);
                let promoters = answers.iter().filter(|v| score(v) >= 9).count() as u64;
                let detractors = answers.iter().filter(|v| score(v) <= 6).count() as u64;
                let value = 100.0 * (promoters as f64 - detractors as f64) / n as f64;
                (
                    value,
                    nps_interval(promoters, detractors, n).expect("answers"),
                )
            };
            figures.push((code.to_owned(), n, value, ci));
            by_code.insert(code.to_owned(), (n, value, ci));
        }
        let want = expected_ranking(figures);
        let list = got["institutions"]
            .as_array()
            .unwrap_or_else(|| panic!("{got}"));
        let places: Vec<(String, Option<u32>, Option<u32>)> = list
            .iter()
            .map(|e| {
                let num = |v: &Value| v.as_u64().map(|x| x as u32);
                (
                    e["org"].as_str().unwrap_or("").to_owned(),
                    num(&e["rank"]),
                    num(&e["group"]),
                )
            })
            .collect();
        assert_eq!(places, want, "{metric}: order, ranks and groups");
        assert!(
            want.iter().filter_map(|w| w.2).max() > Some(1) && want.iter().any(|w| w.2 == Some(1)),
            "{metric}: the data makes more than one group"
        );
        for e in list {
            let code = e["org"].as_str().unwrap_or_default();
            let (n, value, ci) = by_code[code];
            let ctx = format!("{metric} {code}");
            assert_eq!(e["n"], json!(n), "{ctx}");
            assert_eq!(e["name"], json!(format!("Учреждение {code}")), "{ctx}");
            assert_close(&ctx, &e["value"], Some(value), 1e-12);
            assert_interval(&ctx, &e["ci95"], Some(ci));
            assert_eq!(e["low_n"], json!(n < MIN_N), "{ctx}");
        }
        assert!(
            got["rule"].as_str().is_some_and(|r| r.contains("групп")),
            "{got}"
        );
    }
}

/// (path, token, query, status, error code).
type Refusal<'a> = (
    &'a str,
    Option<&'a str>,
    Vec<(&'a str, &'a str)>,
    u16,
    &'a str,
);

async fn trends_and_rankings_refuse_what_they_should(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let admin = app.admin_token().await;
    app.add_orgs(&[(
        "reg-b",
        "Другая область",
        "region",
        None,
        None,
        Some("Europe/Moscow"),
    )])
    .await;
    app.add_user("official-b", "password-12345", "official", Some("reg-b"))
        .await;
    app.add_user("operator-a", "password-12345", "operator", Some("inst-a"))
        .await;
    let official_b = app.login("official-b", "password-12345").await;
    let operator = app.login("operator-a", "password-12345").await;
    let trend = |extra: &[(&'static str, &'static str)]| {
        let mut q = vec![
            ("org", "reg"),
            ("questionnaire", "nsi-satisfaction"),
            ("question", "process"),
            ("grain", "month"),
        ];
        for &(k, v) in extra {
            q.retain(|(key, _)| *key != k);
            q.push((k, v));
        }
        q
    };
    let ranking = |extra: &[(&'static str, &'static str)]| {
        let mut q = vec![
            ("org", "reg"),
            ("questionnaire", "express"),
            ("metric", "satisfied"),
            ("question", "overall"),
        ];
        for &(k, v) in extra {
            q.retain(|(key, _)| *key != k);
            q.push((k, v));
        }
        q
    };
    let cases: Vec<Refusal<'_>> = vec![
        ("/api/v1/trends", None, trend(&[]), 401, "unauthorized"),
        (
            "/api/v1/trends",
            Some(&operator),
            trend(&[("org", "inst-a")]),
            403,
            "forbidden",
        ),
        (
            "/api/v1/trends",
            Some(&official_b),
            trend(&[]),
            403,
            "out_of_scope",
        ),
        (
            "/api/v1/trends",
            Some(&admin),
            trend(&[("org", "nowhere")]),
            404,
            "unknown_org",
        ),
        (
            "/api/v1/trends",
            Some(&admin),
            trend(&[("questionnaire", "nope")]),
            404,
            "unknown_questionnaire",
        ),
        (
            "/api/v1/trends",
            Some(&admin),
            trend(&[("grain", "week")]),
            422,
            "invalid_grain",
        ),
        (
            "/api/v1/trends",
            Some(&admin),
            trend(&[("question", "nope")]),
            422,
            "unknown_question",
        ),
        (
            "/api/v1/trends",
            Some(&admin),
            trend(&[("question", "suggestions")]),
            422,
            "invalid_question",
        ),
        (
            "/api/v1/trends",
            Some(&admin),
            trend(&[("from", "2026-13-01")]),
            400,
            "bad_parameter",
        ),
        ("/api/v1/rankings", None, ranking(&[]), 401, "unauthorized"),
        (
            "/api/v1/rankings",
            Some(&operator),
            ranking(&[("org", "inst-a")]),
            403,
            "forbidden",
        ),
        (
            "/api/v1/rankings",
            Some(&official_b),
            ranking(&[]),
            403,
            "out_of_scope",
        ),
        (
            "/api/v1/rankings",
            Some(&admin),
            ranking(&[("org", "nowhere")]),
            404,
            "unknown_org",
        ),
        (
            "/api/v1/rankings",
            Some(&admin),
            ranking(&[("metric", "best")]),
            422,
            "invalid_metric",
        ),
        (
            "/api/v1/rankings",
            Some(&admin),
            ranking(&[("question", "nope")]),
            422,
            "unknown_question",
        ),
        (
            "/api/v1/rankings",
            Some(&admin),
            ranking(&[("metric", "yes")]),
            422,
            "invalid_question",
        ),
        (
            "/api/v1/rankings",
            Some(&admin),
            ranking(&[("question", "nps")]),
            422,
            "invalid_question",
        ),
        (
            "/api/v1/rankings",
            Some(&admin),
            ranking(&[("metric", "nok_total")]),
            422,
            "invalid_metric",
        ),
        (
            "/api/v1/rankings",
            Some(&admin),
            ranking(&[("nok_rule", "mine")]),
            400,
            "bad_parameter",
        ),
    ];
    for (path, token, query, status, code) in cases {
        // Act
        let res = app.get_as(path, token, &query).await;

        // Assert
        let body = assert_error(res, status, code).await;
        if status == 422 {
            assert!(
                body["error"]["message"]
                    .as_str()
                    .is_some_and(|m| !m.is_empty()),
                "{path} {query:?}"
            );
        }
    }
    // An empty subtree ranks nobody; a trend without data has no periods.
    let empty = get_json(&app, "/api/v1/rankings", &admin, &ranking(&[])).await;
    assert_eq!(empty["institutions"], json!([]));
    let none = get_json(&app, "/api/v1/trends", &admin, &trend(&[])).await;
    assert_eq!(none["periods"], json!([]));
}
