//! What the server writes to its log: ids, codes, counts and timings, never what a citizen
//! wrote, a password, or who sent a request (client address, forwarded address, user agent).
//! Checked on the real `serve` binary at `debug`, the most a production operator would turn on.

use serde_json::{json, Value};

use crate::data::{self, new_id};
use crate::helpers::{Backend, ServeProcess, TestApp, TestDb};
use crate::on_both_backends;

on_both_backends!(logs_hold_no_answer_text_password_or_client_identity);

/// Marks each piece of text that must not reach the log; each is unique to this test.
const COMMENT: &str = "МЕТКА-КОММЕНТАРИЙ-7731";
const SUGGESTION: &str = "МЕТКА-ПРЕДЛОЖЕНИЕ-7731";
const ALTERED: &str = "МЕТКА-ИЗМЕНЁННЫЙ-7731";
const BAD_VALUE: &str = "МЕТКА-НЕВЕРНОЕ-ЗНАЧЕНИЕ-7731";
const BROKEN_BODY: &str = "МЕТКА-БИТЫЙ-JSON-7731";
const PASSWORD: &str = "МЕТКА-ПАРОЛЬ-7731";
const USER_AGENT: &str = "OtklikPrivacyProbe/7731";
const FORWARDED_FOR: &str = "203.0.113.77";

fn with_texts(id: &str, comment: &str) -> Value {
    let mut item = data::nsi_satisfaction(id, "a-nsi");
    item["answers"][0]["comment"] = json!(comment);
    item["answers"][6]["v"] = json!(SUGGESTION);
    item
}

async fn logs_hold_no_answer_text_password_or_client_identity(backend: Backend) {
    // Arrange
    let app = TestApp::start(TestDb::new(backend).await, |_| {}).await;
    app.seed_standard().await;
    let server = ServeProcess::start_logging(&app.db_url, &[], "debug").await;
    let client = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .build()
        .expect("HTTP client");
    let post = |path: &str, body: String| {
        client
            .post(format!("{}{path}", server.address))
            .header("content-type", "application/json")
            .header("x-forwarded-for", FORWARDED_FOR)
            .header("x-real-ip", FORWARDED_FOR)
            .body(body)
            .send()
    };
    let id = new_id();
    let mut invalid = data::nsi_satisfaction(&new_id(), "a-nsi");
    invalid["answers"][5]["v"] = json!(BAD_VALUE);

    // Act: a stored response, its altered copy (conflict), an invalid one, a broken body and a
    // failed login.
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
    let login = post(
        "/api/v1/auth/login",
        json!({"login": "test-admin", "password": PASSWORD}).to_string(),
    )
    .await
    .expect("POST /auth/login")
    .status()
    .as_u16();

    // Assert: the requests did what they should, and were logged ...
    assert_eq!(stored_status, 200);
    let statuses: Vec<&str> = results["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["status"].as_str().expect("status"))
        .collect();
    assert_eq!(statuses, ["created", "conflict", "rejected"], "{results}");
    assert_eq!(broken, 400);
    assert_eq!(login, 401);
    let log = server.log_text();
    assert!(
        log.contains("batch stored") && log.contains("/api/v1/auth/login"),
        "the server logged the requests at debug: {log}"
    );
    // ... without any of the texts, the password or who sent them.
    for secret in [
        COMMENT,
        SUGGESTION,
        ALTERED,
        BAD_VALUE,
        BROKEN_BODY,
        PASSWORD,
        USER_AGENT,
        FORWARDED_FOR,
    ] {
        assert!(!log.contains(secret), "the log holds «{secret}»: {log}");
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
            "the log names a client address (127.0.0.1:{port}): {log}"
        );
    }
}
