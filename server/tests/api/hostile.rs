//! Hostile input never yields a 500 or a panic, and stores nothing invalid: bad bodies are
//! refused whole with the error envelope, bad items are named with stable codes while the good
//! ones beside them are stored.
//!
//! Long because it is a catalogue: one table of hostile bodies and items per kind of attack;
//! split, the shared expectations would be copied.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::data::{self, new_id};
use crate::helpers::{assert_envelope, assert_error, spawn_app, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    malformed_bodies_are_refused_whole_with_the_error_envelope,
    a_mixed_batch_stores_the_good_items_and_names_the_bad_ones,
    staff_channels_need_a_staff_token_in_the_points_scope,
    nul_characters_and_sql_in_parameters_never_yield_a_500,
    unknown_api_routes_answer_the_404_envelope,
    a_baseline_period_with_a_character_across_its_year_is_a_422_not_a_dropped_connection,
);

const SQL: &str = "'; drop table responses; --";

async fn malformed_bodies_are_refused_whole_with_the_error_envelope(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let valid = data::express(&new_id(), "a-express", "qr");
    let many: Vec<Value> = (0..600)
        .map(|_| data::express(&new_id(), "a-express", "qr"))
        .collect();
    let deep = format!(
        r#"{{"responses":[{{"x":{}1{}}}]}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let mut huge = json!({"responses": [valid.clone()]});
    huge["padding"] = json!("x".repeat(2 << 20));
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (
            "truncated JSON",
            br#"{"responses": ["#.to_vec(),
            400,
            "malformed_json",
        ),
        (
            "not JSON at all",
            b"responses=1".to_vec(),
            400,
            "malformed_json",
        ),
        ("an empty body", Vec::new(), 400, "malformed_json"),
        (
            "invalid UTF-8 bytes",
            b"{\"responses\": [{\"id\": \"\xff\xfe\"}]}".to_vec(),
            400,
            "malformed_json",
        ),
        ("a top-level array", b"[]".to_vec(), 400, "malformed_json"),
        ("a top-level number", b"42".to_vec(), 400, "malformed_json"),
        ("a top-level null", b"null".to_vec(), 400, "malformed_json"),
        ("no responses key", b"{}".to_vec(), 400, "malformed_json"),
        (
            "responses an object",
            br#"{"responses": {}}"#.to_vec(),
            400,
            "malformed_json",
        ),
        (
            "responses a string",
            br#"{"responses": "x"}"#.to_vec(),
            400,
            "malformed_json",
        ),
        (
            "responses null",
            br#"{"responses": null}"#.to_vec(),
            400,
            "malformed_json",
        ),
        (
            "0 items",
            br#"{"responses": []}"#.to_vec(),
            422,
            "batch_size",
        ),
        (
            "600 items",
            json!({ "responses": many }).to_string().into_bytes(),
            422,
            "batch_size",
        ),
        (
            "a 2 MiB body",
            huge.to_string().into_bytes(),
            413,
            "payload_too_large",
        ),
    ];

    for (what, body, status, code) in cases {
        // Act
        let res = app.post_raw(body).await;

        // Assert
        let got = res.status().as_u16();
        assert!(got != 500, "{what} gave a 500");
        let body = assert_error(res, status, code).await;
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{what}: {body}"
        );
    }
    // Deep nesting is skipped without recursion: only its item is refused.
    let res = app.post_raw(deep).await;
    assert_eq!(res.status(), 200, "nesting 100,000 deep is an item problem");
    let body: Value = res.json().await.expect("JSON reply");
    assert_eq!(
        body["results"][0]["error"]["code"], "invalid_item",
        "{body}"
    );
    assert_eq!(app.sql.count_responses().await, 0, "nothing is stored");
    assert!(app.server_running());
}

/// A complete `nok-social` response at `a-nok`: every filter «Да», every item answered.
fn nok_social(id: &str) -> Value {
    let q = data::questionnaire("nok-social");
    let answers: Vec<Value> = q
        .questions
        .iter()
        .filter(|q| q.required)
        .map(|q| json!({"q": q.id, "v": true}))
        .collect();
    json!({
        "id": id, "point": "a-nok", "questionnaire": "nok-social", "version": 1,
        "channel": "qr", "submitted_at": "2026-11-02T10:15:00+03:00", "answers": answers
    })
}

/// One hostile or good item and what must come of it.
struct Case {
    what: &'static str,
    item: Value,
    status: &'static str,
    code: Option<&'static str>,
}

fn case(what: &'static str, item: Value, status: &'static str, code: Option<&'static str>) -> Case {
    Case {
        what,
        item,
        status,
        code,
    }
}

/// An `express` item with one change applied.
fn express_with(change: impl FnOnce(&mut Value)) -> Value {
    let mut v = data::express(&new_id(), "a-express", "qr");
    change(&mut v);
    v
}

/// A `nok-social` item with its answers changed.
fn nok_with(change: impl FnOnce(&mut Vec<Value>)) -> Value {
    let mut v = nok_social(&new_id());
    change(v["answers"].as_array_mut().expect("answers"));
    v
}

fn nps(v: Value) -> Value {
    express_with(|item| item["answers"][1]["v"] = v)
}

fn mixed_cases() -> Vec<Case> {
    let long = "я".repeat(2001);
    let just_fits = "ю".repeat(2000);
    vec![
        case(
            "a valid item",
            data::express(&new_id(), "a-express", "qr"),
            "created",
            None,
        ),
        case("a number", json!(42), "rejected", Some("invalid_item")),
        case("a string", json!("text"), "rejected", Some("invalid_item")),
        case("null", json!(null), "rejected", Some("invalid_item")),
        case(
            "an id that is a number",
            json!({"id": 5}),
            "rejected",
            Some("invalid_item"),
        ),
        case(
            "an id that is no UUID",
            express_with(|v| v["id"] = json!("not-a-uuid")),
            "rejected",
            Some("invalid_item"),
        ),
        case(
            "a version as text",
            express_with(|v| v["version"] = json!("1")),
            "rejected",
            Some("invalid_item"),
        ),
        case(
            "answers as an object",
            express_with(|v| v["answers"] = json!({"overall": "yes"})),
            "rejected",
            Some("invalid_item"),
        ),
        case(
            "an unknown channel",
            express_with(|v| v["channel"] = json!("telepathy")),
            "rejected",
            Some("invalid_item"),
        ),
        case(
            "a submitted_at that is no date",
            express_with(|v| v["submitted_at"] = json!("yesterday")),
            "rejected",
            Some("invalid_item"),
        ),
        case(
            "unknown fields at both levels",
            express_with(|v| {
                v["client_version"] = json!({"nested": [1, 2, {"deep": null}]});
                v["answers"][0]["shown_ms"] = json!(1200);
            }),
            "created",
            None,
        ),
        case(
            "SQL in the point code",
            express_with(|v| v["point"] = json!(SQL)),
            "rejected",
            Some("unknown_point"),
        ),
        case(
            "SQL as a 4-point answer",
            express_with(|v| v["answers"][0]["v"] = json!(SQL)),
            "rejected",
            Some("invalid_answer"),
        ),
        case(
            "SQL in the question id",
            express_with(|v| v["answers"][0]["q"] = json!(SQL)),
            "rejected",
            Some("unknown_question"),
        ),
        case(
            "SQL in a comment and a free text",
            express_with(|v| {
                v["answers"][0] = json!({"q": "overall", "v": "no", "comment": SQL});
                v["answers"]
                    .as_array_mut()
                    .expect("answers")
                    .push(json!({"q": "suggestions", "v": SQL}));
            }),
            "created",
            None,
        ),
        case(
            "NPS 1e308",
            nps(json!(1e308)),
            "rejected",
            Some("invalid_answer"),
        ),
        case("NPS -1", nps(json!(-1)), "rejected", Some("invalid_answer")),
        case("NPS 11", nps(json!(11)), "rejected", Some("invalid_answer")),
        case(
            "NPS 9.5",
            nps(json!(9.5)),
            "rejected",
            Some("invalid_answer"),
        ),
        case(
            "NPS as text",
            nps(json!("9")),
            "rejected",
            Some("invalid_answer"),
        ),
        case(
            "NPS true",
            nps(json!(true)),
            "rejected",
            Some("invalid_answer"),
        ),
        case(
            "NPS u64::MAX",
            nps(json!(u64::MAX)),
            "rejected",
            Some("invalid_answer"),
        ),
        case(
            "an age of 1e308",
            nok_with(|v| v.push(json!({"q": "age", "v": 1e308}))),
            "rejected",
            Some("invalid_answer"),
        ),
        case(
            "an age of 30.5",
            nok_with(|v| v.push(json!({"q": "age", "v": 30.5}))),
            "rejected",
            Some("invalid_answer"),
        ),
        case(
            "an age of 13",
            nok_with(|v| v.push(json!({"q": "age", "v": 13}))),
            "rejected",
            Some("invalid_answer"),
        ),
        case(
            "an age of 120 and an unknown sex option",
            nok_with(|v| {
                v.push(json!({"q": "age", "v": 120}));
                v.push(json!({"q": "sex", "v": "other"}));
            }),
            "rejected",
            Some("invalid_answer"),
        ),
        case(
            "an age of 120.0 and a sex",
            nok_with(|v| {
                v.push(json!({"q": "age", "v": 120.0}));
                v.push(json!({"q": "sex", "v": "female"}));
            }),
            "created",
            None,
        ),
        case(
            "a 2,001-character text",
            express_with(|v| {
                v["answers"]
                    .as_array_mut()
                    .expect("answers")
                    .push(json!({"q": "suggestions", "v": long}));
            }),
            "rejected",
            Some("text_too_long"),
        ),
        case(
            "a 2,000-character text",
            express_with(|v| {
                v["answers"]
                    .as_array_mut()
                    .expect("answers")
                    .push(json!({"q": "suggestions", "v": just_fits}));
            }),
            "created",
            None,
        ),
        case(
            "a 2,001-character comment",
            express_with(|v| {
                v["answers"][0] =
                    json!({"q": "overall", "v": "rather_no", "comment": "ж".repeat(2001)});
            }),
            "rejected",
            Some("text_too_long"),
        ),
        case(
            "a comment on «Да»",
            express_with(|v| v["answers"][0]["comment"] = json!("всё отлично")),
            "rejected",
            Some("comment_not_allowed"),
        ),
        case(
            "a comment on an NPS score",
            express_with(|v| v["answers"][1]["comment"] = json!("почему 10")),
            "rejected",
            Some("comment_not_allowed"),
        ),
        case(
            "an answer to a skipped НОК question",
            {
                let mut v = nok_social(&new_id());
                for a in v["answers"].as_array_mut().expect("answers") {
                    if a["q"] == "info_stand_used" {
                        a["v"] = json!(false);
                    }
                }
                v
            },
            "rejected",
            Some("answer_to_skipped"),
        ),
        case(
            "a НОК filter «Нет» with its item absent",
            {
                let mut v = nok_social(&new_id());
                let answers = v["answers"].as_array_mut().expect("answers");
                answers.retain(|a| a["q"] != "info_stand");
                for a in answers.iter_mut() {
                    if a["q"] == "info_stand_used" {
                        a["v"] = json!(false);
                    }
                }
                v
            },
            "created",
            None,
        ),
        case(
            "a НОК filter «Да» with its item absent",
            {
                let mut v = nok_social(&new_id());
                v["answers"]
                    .as_array_mut()
                    .expect("answers")
                    .retain(|a| a["q"] != "accessibility");
                v
            },
            "rejected",
            Some("required_missing"),
        ),
        case(
            "a missing required answer",
            express_with(|v| {
                v["answers"].as_array_mut().expect("answers").pop();
            }),
            "rejected",
            Some("required_missing"),
        ),
        case(
            "two answers to one question",
            express_with(|v| {
                v["answers"]
                    .as_array_mut()
                    .expect("answers")
                    .push(json!({"q": "nps", "v": 3}));
            }),
            "rejected",
            Some("duplicate_answer"),
        ),
        case(
            "an unknown point",
            express_with(|v| v["point"] = json!("no-such-point")),
            "rejected",
            Some("unknown_point"),
        ),
        case(
            "an unknown version",
            express_with(|v| v["version"] = json!(99)),
            "rejected",
            Some("unknown_version"),
        ),
        case(
            "the wrong questionnaire for the point",
            data::nsi_satisfaction(&new_id(), "a-express"),
            "rejected",
            Some("wrong_questionnaire"),
        ),
        case(
            "kiosk without a device token",
            express_with(|v| {
                v["channel"] = json!("kiosk");
                v["device"] = json!("tablet-1");
                v["seq"] = json!(1);
            }),
            "rejected",
            Some("unauthorized"),
        ),
        case(
            "kiosk without device and seq",
            express_with(|v| v["channel"] = json!("kiosk")),
            "rejected",
            Some("missing_device"),
        ),
        case(
            "a device on a qr item",
            express_with(|v| {
                v["device"] = json!("tablet-1");
                v["seq"] = json!(1);
            }),
            "rejected",
            Some("unexpected_device"),
        ),
        case(
            "paper without a token",
            express_with(|v| v["channel"] = json!("paper")),
            "rejected",
            Some("unauthorized"),
        ),
        case(
            "observation without a token",
            express_with(|v| v["channel"] = json!("observation")),
            "rejected",
            Some("unauthorized"),
        ),
        case(
            "a submission from 1999",
            express_with(|v| v["submitted_at"] = json!("1999-12-31T23:59:59Z")),
            "rejected",
            Some("invalid_submitted_at"),
        ),
        case(
            "a submission from 2099",
            express_with(|v| v["submitted_at"] = json!("2099-01-01T00:00:00Z")),
            "rejected",
            Some("invalid_submitted_at"),
        ),
        case(
            "an escaped NUL and emoji in a comment",
            express_with(|v| {
                v["answers"][0] = json!({"q": "overall", "v": "no", "comment": "a\u{0}b 🙂"});
            }),
            "created",
            None,
        ),
    ]
}

async fn a_mixed_batch_stores_the_good_items_and_names_the_bad_ones(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let cases = mixed_cases();
    let items: Vec<Value> = cases.iter().map(|c| c.item.clone()).collect();

    // Act
    let results = app.submit(&items, None).await;

    // Assert
    let mut created = BTreeSet::new();
    for (c, result) in cases.iter().zip(&results) {
        assert_eq!(result["status"], c.status, "{}: {result}", c.what);
        assert_eq!(
            result["error"]["code"].as_str(),
            c.code,
            "{}: {result}",
            c.what
        );
        if c.code.is_some() {
            assert!(
                result["error"]["message"]
                    .as_str()
                    .is_some_and(|m| !m.is_empty()),
                "{}: the error has a message: {result}",
                c.what
            );
        }
        let sent_id = c.item.get("id").cloned().unwrap_or(Value::Null);
        let echoed = &result["id"];
        assert!(
            *echoed == sent_id
                || echoed.as_str() == sent_id.as_str().map(str::to_lowercase).as_deref(),
            "{}: the id is echoed as sent: {echoed} vs {sent_id}",
            c.what
        );
        if c.status == "created" {
            created.insert(c.item["id"].as_str().expect("id").to_owned());
        }
    }
    assert_eq!(
        results
            .iter()
            .filter(|r| r["error"]["details"]["q"].is_string())
            .count(),
        cases
            .iter()
            .filter(|c| {
                matches!(
                    c.code,
                    Some(
                        "invalid_answer"
                            | "unknown_question"
                            | "text_too_long"
                            | "comment_not_allowed"
                            | "answer_to_skipped"
                            | "required_missing"
                            | "duplicate_answer"
                    )
                )
            })
            .count(),
        "every answer error names its question in details.q"
    );
    assert_stored_exactly(&app, &created).await;
    let kept = app
        .sql
        .raw_of(created.iter().next().expect("something was created"))
        .await;
    assert!(kept.is_some());
    let stored_sql = app
        .sql
        .stored_responses()
        .await
        .into_iter()
        .any(|r| r.raw.contains(SQL));
    assert!(stored_sql, "SQL-ish text is stored verbatim, as data");

    // A number too large for a double breaks only its own item, or the whole body as JSON.
    let res = app
        .post_raw(format!(
            r#"{{"responses":[{},{}]}}"#,
            data::express(&new_id(), "a-express", "qr"),
            nps(json!(0))
                .to_string()
                .replace(r#""v":0"#, r#""v":1e400"#)
        ))
        .await;
    assert_ne!(res.status(), 500, "1e400 gave a 500");
    let body: Value = res.json().await.expect("JSON reply");
    assert_eq!(body["results"][0]["status"], "created", "{body}");
    assert_eq!(body["results"][1]["status"], "rejected", "{body}");
    assert_eq!(
        body["results"][1]["error"]["code"], "invalid_item",
        "{body}"
    );
    assert_eq!(app.sql.count_responses().await, created.len() as i64 + 1);
    assert!(app.server_running());
}

/// The stored rows are exactly `ids`, and each is valid by its questionnaire.
async fn assert_stored_exactly(app: &TestApp, ids: &BTreeSet<String>) {
    let rows = app.sql.stored_responses().await;
    let stored: BTreeSet<String> = rows
        .iter()
        .map(|r| {
            let item: Value = serde_json::from_str(&r.raw).expect("stored raw is JSON");
            item["id"].as_str().expect("id").to_lowercase()
        })
        .collect();
    assert_eq!(&stored, ids, "exactly the created items are stored");
    for row in rows {
        let item: otklik_shared::answer::NewResponse =
            serde_json::from_str(&row.raw).expect("a stored item parses");
        let q = data::questionnaire(&item.questionnaire);
        otklik_shared::validation::validate_answers(&q, &item.answers)
            .unwrap_or_else(|e| panic!("an invalid response was stored ({e}): {}", row.raw));
    }
}

/// (what, token, items, expected (status, code) per item).
type StaffCase<'a> = (
    &'a str,
    Option<&'a str>,
    Vec<Value>,
    Vec<(&'a str, Option<&'a str>)>,
);

async fn staff_channels_need_a_staff_token_in_the_points_scope(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    app.add_user("op-a", "operator-password-a", "operator", Some("inst-a"))
        .await;
    app.add_user("op-b", "operator-password-b", "operator", Some("inst-b"))
        .await;
    let in_scope = app.login("op-a", "operator-password-a").await;
    let out_of_scope = app.login("op-b", "operator-password-b").await;
    let paper = || data::express(&new_id(), "a-express", "paper");
    let dep_paper = || {
        let mut v = data::nsi_satisfaction(&new_id(), "dep-nsi");
        v["channel"] = json!("paper");
        v
    };
    let qr = || data::express(&new_id(), "a-express", "qr");
    let cases: Vec<StaffCase<'_>> = vec![
        (
            "paper with an operator token in scope",
            Some(&in_scope),
            vec![paper(), dep_paper()],
            vec![("created", None), ("created", None)],
        ),
        (
            "paper with an operator token out of scope",
            Some(&out_of_scope),
            vec![paper(), qr()],
            vec![("rejected", Some("out_of_scope")), ("created", None)],
        ),
        (
            "paper with a garbage token",
            Some("garbage.token.here"),
            vec![paper(), qr()],
            vec![("rejected", Some("unauthorized")), ("created", None)],
        ),
        (
            "paper without a token",
            None,
            vec![paper(), qr()],
            vec![("rejected", Some("unauthorized")), ("created", None)],
        ),
    ];
    let mut created = BTreeSet::new();
    for (what, token, items, expected) in cases {
        // Act
        let results = app.submit(&items, token).await;

        // Assert
        let got: Vec<(&str, Option<&str>)> = results
            .iter()
            .map(|r| {
                (
                    r["status"].as_str().unwrap_or("?"),
                    r["error"]["code"].as_str(),
                )
            })
            .collect();
        assert_eq!(got, expected, "{what}: {results:?}");
        for (item, result) in items.iter().zip(&results) {
            if result["status"] == "created" {
                created.insert(item["id"].as_str().expect("id").to_owned());
            }
        }
    }
    assert_stored_exactly(&app, &created).await;
}

/// (query, status, error code).
type StatsCase<'a> = (&'a [(&'a str, &'a str)], u16, &'a str);

async fn nul_characters_and_sql_in_parameters_never_yield_a_500(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let token = app.admin_token().await;
    let nul = "a\u{0}b";

    // Act and Assert: a point code with a NUL in a batch …
    let results = app
        .submit(
            &[
                express_with(|v| v["point"] = json!(nul)),
                data::express(&new_id(), "a-express", "qr"),
            ],
            None,
        )
        .await;
    assert_eq!(results[0]["error"]["code"], "unknown_point", "{results:?}");
    assert_eq!(results[1]["status"], "created", "{results:?}");

    // … in a path …
    for path in [
        "/api/v1/points/a%00b",
        "/api/v1/points/%27%3B%20drop%20table%20responses%3B%20--",
        "/api/v1/questionnaires/a%00b/1",
    ] {
        assert_error(
            app.get(path).await,
            404,
            if path.contains("questionnaires") {
                "unknown_version"
            } else {
                "unknown_point"
            },
        )
        .await;
    }
    assert_error(
        app.get("/api/v1/questionnaires/express/-1").await,
        400,
        "bad_parameter",
    )
    .await;
    assert_error(
        app.get("/api/v1/questionnaires/express/99999999999").await,
        400,
        "bad_parameter",
    )
    .await;

    // … in a login …
    for login in [nul, SQL, &"x".repeat(10_000)] {
        assert_error(
            app.post_login(login, "whatever-password").await,
            401,
            "invalid_credentials",
        )
        .await;
    }
    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(r#"{"login": 5}"#)
        .send()
        .await
        .expect("login");
    assert_error(res, 400, "malformed_json").await;

    // … and in /stats parameters.
    let stats_cases: [StatsCase<'_>; 9] = [
        (
            &[("org", nul), ("questionnaire", "express")],
            404,
            "unknown_org",
        ),
        (
            &[("org", SQL), ("questionnaire", "express")],
            404,
            "unknown_org",
        ),
        (
            &[("org", "reg"), ("questionnaire", nul)],
            404,
            "unknown_questionnaire",
        ),
        (
            &[("org", "reg"), ("questionnaire", SQL)],
            404,
            "unknown_questionnaire",
        ),
        (
            &[("org", "reg"), ("questionnaire", "express"), ("point", nul)],
            200,
            "",
        ),
        (
            &[
                ("org", "reg"),
                ("questionnaire", "express"),
                ("life_situation", nul),
            ],
            200,
            "",
        ),
        (
            &[
                ("org", "reg"),
                ("questionnaire", "express"),
                ("from", "2026-13-45"),
            ],
            400,
            "bad_parameter",
        ),
        (
            &[
                ("org", "reg"),
                ("questionnaire", "express"),
                ("from", "2026-05-01"),
                ("to", "2026-04-01"),
            ],
            400,
            "bad_parameter",
        ),
        (&[("questionnaire", "express")], 400, "bad_parameter"),
    ];
    for (query, status, code) in stats_cases {
        let res = app.get_stats(Some(&token), query).await;
        if status == 200 {
            let got = res.status();
            let body: Value = res.json().await.expect("JSON");
            assert_eq!(got, 200, "{query:?}: {body}");
            assert_eq!(body["responses"], 0, "{query:?}: nothing matches: {body}");
        } else {
            assert_error(res, status, code).await;
        }
    }

    // … and in the kiosk paths: a device id in an item, an enrolment code, a device name.
    let results = app
        .submit(
            &[express_with(|v| {
                v["channel"] = json!("kiosk");
                v["device"] = json!(nul);
                v["seq"] = json!(1);
            })],
            Some(&token),
        )
        .await;
    assert_eq!(results[0]["error"]["code"], "unauthorized", "{results:?}");
    let enrol = |body: Value| {
        app.client
            .post(app.url("/api/v1/devices/enrol"))
            .json(&body)
            .send()
    };
    let res = enrol(json!({"code": nul, "name": "Планшет"}))
        .await
        .expect("enrol");
    assert_error(res, 404, "code_unknown").await;
    let res = app
        .client
        .post(app.url("/api/v1/devices/enrolment-codes"))
        .bearer_auth(&token)
        .json(&json!({"org": "inst-a"}))
        .send()
        .await
        .expect("enrolment code");
    let status = res.status();
    let minted: Value = res.json().await.expect("JSON");
    assert_eq!(status, 201, "{minted}");
    let code = minted["code"].as_str().expect("a code");
    let res = enrol(json!({"code": code, "name": nul}))
        .await
        .expect("enrol");
    assert_error(res, 422, "invalid_name").await;
    let res = app
        .client
        .delete(app.url("/api/v1/devices/a%00b"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("revoke");
    assert_error(res, 404, "unknown_device").await;
    let res = enrol(json!({"code": code, "name": "Планшет у входа"}))
        .await
        .expect("enrol");
    assert_eq!(
        res.status(),
        201,
        "the code was not used up by the refused attempts"
    );

    assert_eq!(app.sql.count_responses().await, 1);
    assert!(app.server_running());
}

async fn unknown_api_routes_answer_the_404_envelope(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;

    // Act and Assert
    for path in [
        "/api/v1/nope",
        "/api/v1/",
        "/api/v2/responses",
        "/api/v1/points/a/b/c",
    ] {
        assert_error(app.get(path).await, 404, "not_found").await;
    }
    let res = app
        .client
        .post(app.url("/api/v1/nope"))
        .json(&json!({}))
        .send()
        .await
        .expect("POST");
    assert_error(res, 404, "not_found").await;
    let res = app.get("/api/v1/responses").await;
    let status = res.status().as_u16();
    assert!(
        status == 404 || status == 405,
        "GET on the POST-only /responses is 404 or 405, got {status}"
    );
    let body: Value = res.json().await.expect("an error envelope");
    assert_envelope(&body);
}

/// Found by schemathesis (`scripts/schemathesis.sh`): a six-byte period whose fifth byte is
/// inside a character was cut at byte 4 to read `YYYYQn`, the slice panicked and the connection
/// closed without an answer.
async fn a_baseline_period_with_a_character_across_its_year_is_a_422_not_a_dropped_connection(
    backend: Backend,
) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let token = app.admin_token().await;

    // Act and Assert: `é` (2 bytes) and U+10000 (4 bytes) across byte 4 of a 6- or 7-byte period.
    for period in ["202é6", "20\u{10000}", "202\u{10000}"] {
        let res = app
            .client
            .put(app.url("/api/v1/nsi/baselines"))
            .bearer_auth(&token)
            .json(
                &json!({"org": "reg", "life_situation": "job-via-employment-centre",
                          "kpi": "satisfied", "value": 47.5, "period": period,
                          "source": "Самооценка"}),
            )
            .send()
            .await
            .unwrap_or_else(|e| panic!("period {period:?}: no answer ({e})"));
        let body = assert_error(res, 422, "invalid_nsi").await;
        assert_eq!(body["error"]["details"]["field"], "period", "{body}");
    }
}
