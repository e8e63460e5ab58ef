//! The anonymous rate limit: per client address and point per minute, counted on arrival;
//! staff channels are not limited; behind a trusted proxy the client is the forwarded address.

use std::time::Duration;

use chrono::Utc;
use serde_json::{json, Value};

use crate::data::{self, new_id};
use crate::helpers::{assert_error, retry_after, spawn_app_with, statuses, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    anonymous_items_over_the_limit_are_rejected_and_staff_items_are_not,
    forwarded_clients_count_apart_only_behind_a_trusted_proxy,
);

async fn post(app: &TestApp, items: &[Value], token: Option<&str>) -> (u16, Option<u64>, Value) {
    let res = app
        .post_responses_as(&json!({ "responses": items }), token)
        .await;
    let status = res.status().as_u16();
    let wait = retry_after(&res);
    (status, wait, res.json().await.expect("JSON reply"))
}

async fn anonymous_items_over_the_limit_are_rejected_and_staff_items_are_not(backend: Backend) {
    // Arrange
    let app = spawn_app_with(backend, |s| s.serve.anon_rate_limit = 3).await;
    app.seed_standard().await;
    app.add_user("op-a", "operator-password", "operator", Some("inst-a"))
        .await;
    let operator = app.login("op-a", "operator-password").await;
    let qr = |point: &str| data::express(&new_id(), point, "qr");
    // The limit counts per calendar minute: start early in one so the steps share it.
    early_in_a_minute().await;

    // Act: five anonymous items for one point in one batch.
    let (status, wait, body) = post(
        &app,
        &(0..5).map(|_| qr("a-express")).collect::<Vec<_>>(),
        None,
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{body}");
    let results = body["results"].as_array().expect("results");
    let s = |status: &str, code: Option<&str>| (status.to_owned(), code.map(str::to_owned));
    assert_eq!(
        statuses(results),
        [
            s("created", None),
            s("created", None),
            s("created", None),
            s("rejected", Some("rate_limited")),
            s("rejected", Some("rate_limited")),
        ],
        "{body}"
    );
    assert!(
        wait.is_some_and(|w| (1..=60).contains(&w)),
        "a partly limited batch carries Retry-After in seconds: {wait:?}"
    );

    // Act and Assert: a batch wholly over the limit (link counts with qr) is a 429.
    let res = app
        .post_responses(
            &json!({"responses": [qr("a-express"), data::express(&new_id(), "a-express", "link")]}),
        )
        .await;
    let wait = retry_after(&res);
    assert_error(res, 429, "rate_limited").await;
    assert!(
        wait.is_some_and(|w| (1..=60).contains(&w)),
        "a 429 carries Retry-After: {wait:?}"
    );

    // Staff items are not limited, and another point has its own budget.
    let paper: Vec<Value> = (0..5)
        .map(|_| data::express(&new_id(), "a-express", "paper"))
        .collect();
    let (status, wait, body) = post(&app, &paper, Some(&operator)).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body["results"]
            .as_array()
            .expect("results")
            .iter()
            .all(|r| r["status"] == "created"),
        "paper items with a staff token are never limited: {body}"
    );
    assert_eq!(wait, None, "no Retry-After when nothing was limited");
    let (status, wait, body) = post(&app, &[qr("b-core-never"), qr("a-express")], None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["results"][0]["error"]["code"], "unknown_point");
    assert_eq!(body["results"][1]["error"]["code"], "rate_limited");
    assert!(wait.is_some(), "Retry-After when one item was limited");
    let mut other = data::nsi_satisfaction(&new_id(), "b-nsi");
    other["channel"] = json!("link");
    let (status, _, body) = post(&app, &[other], None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["results"][0]["status"], "created",
        "another point: {body}"
    );
    assert_eq!(app.sql.count_responses().await, 3 + 5 + 1);
}

/// Starts early in a calendar minute, so the steps of a test share one window.
pub async fn early_in_a_minute() {
    let second = Utc::now().timestamp().rem_euclid(60);
    if second >= 45 {
        tokio::time::sleep(Duration::from_secs((61 - second) as u64)).await;
    }
}

/// One anonymous response for `a-express` sent with these forwarding headers; its status.
async fn forwarded(app: &TestApp, headers: &[(&str, &str)]) -> String {
    let mut req = app
        .client
        .post(app.url("/api/v1/responses"))
        .json(&json!({"responses": [data::express(&new_id(), "a-express", "qr")]}));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let res = req.send().await.expect("POST /responses");
    let body: Value = res.json().await.expect("JSON reply");
    match body["results"][0]["status"].as_str() {
        Some(status) => status.to_owned(),
        None => body["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    }
}

async fn forwarded_clients_count_apart_only_behind_a_trusted_proxy(backend: Backend) {
    // Arrange: the tests' own address (the peer) is the proxy, trusted or not.
    let trusted = spawn_app_with(backend, |s| {
        s.serve.anon_rate_limit = 1;
        s.serve.trusted_proxies = vec!["127.0.0.0/8".parse().expect("a CIDR")];
    })
    .await;
    trusted.seed_standard().await;
    let untrusted = spawn_app_with(backend, |s| s.serve.anon_rate_limit = 1).await;
    untrusted.seed_standard().await;
    let xff = |v: &'static str| [("x-forwarded-for", v)];
    early_in_a_minute().await;

    // Act and Assert: behind a trusted proxy each forwarded client has its own budget …
    assert_eq!(forwarded(&trusted, &xff("203.0.113.1")).await, "created");
    assert_eq!(forwarded(&trusted, &xff("203.0.113.2")).await, "created");
    assert_eq!(
        forwarded(&trusted, &[("forwarded", "for=\"[2001:db8::7]:443\"")]).await,
        "created"
    );
    assert_eq!(
        forwarded(&trusted, &xff("198.51.100.9, 203.0.113.1")).await,
        "rate_limited",
        "the right-most untrusted entry is the client; a forged left one changes nothing"
    );
    assert_eq!(
        forwarded(&trusted, &xff("203.0.113.2")).await,
        "rate_limited"
    );

    // … and without one the header is the client's own claim: one shared counter.
    assert_eq!(forwarded(&untrusted, &xff("203.0.113.1")).await, "created");
    assert_eq!(
        forwarded(&untrusted, &xff("203.0.113.2")).await,
        "rate_limited",
        "an untrusted peer's X-Forwarded-For is ignored"
    );
}
