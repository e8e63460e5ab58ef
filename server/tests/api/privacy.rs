//! What the server writes to its log: ids, codes, counts and timings, never what a citizen
//! wrote, a password or a token, or who sent a request (client address, forwarded address, user
//! agent). Checked on the real `serve` binary at `trace` (every level, every crate) in both log
//! formats, text and JSON, over a run that logs in, uses the token, stores responses with
//! comments, fails logins and fails on our side (a 500).

use serde_json::{json, Value};

use crate::data::{self, new_id};
use crate::helpers::{Backend, ServeProcess, TestApp, TestDb};
use crate::on_both_backends;

on_both_backends!(logs_hold_no_answer_text_password_token_or_client_identity);

/// Marks each piece of text that must not reach the log; each is unique to this test and ends
/// in an ASCII tag, searched for too, in case a log escapes the Cyrillic.
const COMMENT: &str = "МЕТКА-КОММЕНТАРИЙ-7731-cmt";
const SUGGESTION: &str = "МЕТКА-ПРЕДЛОЖЕНИЕ-7731-sug";
const ALTERED: &str = "МЕТКА-ИЗМЕНЁННЫЙ-7731-alt";
const BAD_VALUE: &str = "МЕТКА-НЕВЕРНОЕ-ЗНАЧЕНИЕ-7731-bad";
const BROKEN_BODY: &str = "МЕТКА-БИТЫЙ-JSON-7731-brk";
const FAILED_COMMENT: &str = "МЕТКА-НЕ-СОХРАНЁН-7731-500";
const PASSWORD: &str = "МЕТКА-ПАРОЛЬ-7731-pwd";
const WRONG_PASSWORD: &str = "МЕТКА-НЕВЕРНЫЙ-ПАРОЛЬ-7731-wpw";
/// A password typed into the login field: attempted logins must not be logged either.
const PASSWORD_AS_LOGIN: &str = "МЕТКА-ПАРОЛЬ-ВМЕСТО-ЛОГИНА-7731-pal";
const USER_AGENT: &str = "OtklikPrivacyProbe/7731-ua";
const FORWARDED_FOR: &str = "203.0.113.77";

fn with_texts(id: &str, comment: &str) -> Value {
    let mut item = data::nsi_satisfaction(id, "a-nsi");
    item["answers"][0]["comment"] = json!(comment);
    item["answers"][6]["v"] = json!(SUGGESTION);
    item
}

/// The ASCII tag a marker ends with.
fn tag(marker: &str) -> &str {
    marker.find("7731").map_or(marker, |at| &marker[at..])
}

async fn logs_hold_no_answer_text_password_token_or_client_identity(backend: Backend) {
    for format in ["text", "json"] {
        run_and_search_the_log(backend, format).await;
    }
}

async fn run_and_search_the_log(backend: Backend, format: &str) {
    // Arrange: the tests' address is a trusted proxy, so the forwarded address is the client
    // that the rate limit and the login throttle work with.
    let app = TestApp::start(TestDb::new(backend).await, |_| {}).await;
    app.seed_standard().await;
    app.add_user("official-a", PASSWORD, "official", Some("inst-a"))
        .await;
    let server = ServeProcess::start_logging(
        &app.db_url,
        &["--trusted-proxy", "127.0.0.0/8"],
        &[("RUST_LOG", "trace"), ("OTKLIK_LOG_FORMAT", format)],
    )
    .await;
    let client = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .build()
        .expect("HTTP client");
    let send = |method: reqwest::Method, path: &str, token: Option<&str>, body: String| {
        let mut req = client
            .request(method, format!("{}{path}", server.address))
            .header("content-type", "application/json")
            .header("x-forwarded-for", FORWARDED_FOR)
            .header("x-real-ip", FORWARDED_FOR)
            .body(body);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.send()
    };
    let post = |path: &str, body: String| send(reqwest::Method::POST, path, None, body);
    let id = new_id();
    let mut invalid = data::nsi_satisfaction(&new_id(), "a-nsi");
    invalid["answers"][5]["v"] = json!(BAD_VALUE);

    // Act: a login and a use of its token; a stored response, its altered copy (conflict), an
    // invalid one, a broken body; failed logins; then a response that fails on our side.
    let logged_in = post(
        "/api/v1/auth/login",
        json!({"login": "official-a", "password": PASSWORD}).to_string(),
    )
    .await
    .expect("POST /auth/login");
    assert_eq!(logged_in.status(), 200, "{format}: the login");
    let token = logged_in.json::<Value>().await.expect("login JSON")["token"]
        .as_str()
        .expect("a token")
        .to_owned();
    let stats = send(
        reqwest::Method::GET,
        "/api/v1/stats?org=inst-a&questionnaire=nsi-satisfaction",
        Some(&token),
        String::new(),
    )
    .await
    .expect("GET /stats")
    .status()
    .as_u16();
    let batch = json!({"responses": [with_texts(&id, COMMENT), with_texts(&id, ALTERED), invalid]});
    let stored = post("/api/v1/responses", batch.to_string())
        .await
        .expect("POST /responses");
    let stored_status = stored.status().as_u16();
    let results: Value = stored.json().await.expect("JSON reply");
    let broken = post(
        "/api/v1/responses",
        format!(r#"{{"responses": ["{BROKEN_BODY}"#),
    )
    .await
    .expect("POST broken body")
    .status()
    .as_u16();
    let mut failed_logins = Vec::new();
    for (login, password) in [
        ("official-a", WRONG_PASSWORD),
        (PASSWORD_AS_LOGIN, PASSWORD),
    ] {
        let res = post(
            "/api/v1/auth/login",
            json!({"login": login, "password": password}).to_string(),
        )
        .await
        .expect("POST /auth/login");
        failed_logins.push(res.status().as_u16());
    }
    app.sql.refuse_new_responses().await;
    let failed = send(
        reqwest::Method::POST,
        "/api/v1/responses",
        Some(&token),
        json!({"responses": [{
            "id": new_id(), "point": "a-express", "questionnaire": "express", "version": 1,
            "channel": "paper", "submitted_at": "2026-11-02T10:15:00+03:00",
            "answers": [{"q": "overall", "v": "no", "comment": FAILED_COMMENT}, {"q": "nps", "v": 0}]
        }]})
        .to_string(),
    )
    .await
    .expect("POST /responses that fails")
    .status()
    .as_u16();

    // Assert: the requests did what they should, and were logged at every level ...
    assert_eq!(stats, 200, "{format}: the token works");
    assert_eq!(stored_status, 200, "{format}");
    let statuses: Vec<&str> = results["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["status"].as_str().expect("status"))
        .collect();
    assert_eq!(statuses, ["created", "conflict", "rejected"], "{results}");
    assert_eq!(broken, 400, "{format}");
    assert_eq!(failed_logins, [401, 401], "{format}");
    assert_eq!(failed, 500, "{format}: the forced failure");
    let log = server.log_text();
    for (what, needle) in [
        ("the request log", "/api/v1/auth/login"),
        ("the ingest", "batch stored"),
        ("the 500's cause", "forced_failure"),
        ("trace-level events", "TRACE"),
    ] {
        assert!(
            log.contains(needle),
            "{format}: {what} is in the log: {log}"
        );
    }
    if format == "json" {
        let lines: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
        let unparsed: Vec<&&str> = lines
            .iter()
            .filter(|l| serde_json::from_str::<Value>(l).is_err())
            .collect();
        assert!(
            unparsed.is_empty(),
            "every line of the JSON log is JSON: {unparsed:?}"
        );
    }
    // ... without any of the texts, the passwords, the token or who sent them.
    let signature = token.rsplit('.').next().expect("a signature");
    for secret in [
        COMMENT,
        SUGGESTION,
        ALTERED,
        BAD_VALUE,
        BROKEN_BODY,
        FAILED_COMMENT,
        PASSWORD,
        WRONG_PASSWORD,
        PASSWORD_AS_LOGIN,
        USER_AGENT,
    ] {
        for needle in [secret, tag(secret)] {
            assert!(
                !log.contains(needle),
                "{format}: the log holds «{needle}»: {log}"
            );
        }
    }
    for (what, needle) in [
        ("the token", token.as_str()),
        ("the token's signature", signature),
        ("the forwarded client address", FORWARDED_FOR),
    ] {
        assert!(
            !log.contains(needle),
            "{format}: the log holds {what}: {log}"
        );
    }
    // Loopback addresses in the log may name the server itself or its database, nothing else.
    let port_after = |text: &str, at: usize| -> String {
        text[at + "127.0.0.1:".len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect()
    };
    let mut known = vec![port_after(&server.address, "http://".len())];
    if let Some(at) = app.db_url.find("127.0.0.1:") {
        known.push(port_after(&app.db_url, at));
    }
    for (at, _) in log.match_indices("127.0.0.1:") {
        let port = port_after(&log, at);
        assert!(
            known.contains(&port),
            "{format}: the log names a client address (127.0.0.1:{port}): {log}"
        );
    }
}
