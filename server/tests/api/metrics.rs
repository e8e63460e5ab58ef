//! Prometheus metrics on the `--metrics-bind` listener: each request, ingest item and group
//! commit moves its series by exactly its own amount, labels carry route patterns and never a
//! code, id or token, and the main port has no `/metrics`.

use std::collections::HashMap;

use serde_json::json;

use crate::data;
use crate::helpers::{spawn_app, spawn_app_with, Backend, TestApp};
use crate::on_both_backends;
use crate::ratelimit::early_in_a_minute;

on_both_backends!(
    requests_ingest_items_and_groups_move_their_series_by_exactly_their_own_amount,
    metrics_are_served_only_on_their_own_listener,
    items_over_the_anonymous_limit_count_as_rate_limited_not_rejected,
);

/// One scrape: each sample's name with its labels, as the text writes them, to its value.
async fn scrape(app: &TestApp) -> HashMap<String, f64> {
    let address = app
        .metrics_address
        .as_ref()
        .expect("the app was started with a metrics listener");
    let res = app
        .client
        .get(format!("{address}/metrics"))
        .send()
        .await
        .expect("GET /metrics");
    assert_eq!(res.status(), 200);
    let content_type = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    let text = res.text().await.expect("the exposition text");
    assert!(text.ends_with("# EOF\n"), "a complete exposition: {text}");
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let (sample, value) = l.rsplit_once(' ').expect("`sample value` lines");
            let value = value.parse().unwrap_or_else(|_| panic!("a number in {l}"));
            (sample.to_owned(), value)
        })
        .collect()
}

/// How much each sample grew from `before` to `after` (absent before: from 0).
fn delta(before: &HashMap<String, f64>, after: &HashMap<String, f64>, sample: &str) -> f64 {
    let at = |m: &HashMap<String, f64>| m.get(sample).copied().unwrap_or(0.0);
    at(after) - at(before)
}

fn requests(method: &str, route: &str, status: u16) -> String {
    format!(
        "otklik_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}}"
    )
}

fn items(outcome: &str) -> String {
    format!("otklik_ingest_items_total{{outcome=\"{outcome}\"}}")
}

async fn requests_ingest_items_and_groups_move_their_series_by_exactly_their_own_amount(
    backend: Backend,
) {
    // Arrange
    let app = spawn_app_with(backend, |s| {
        s.serve.metrics_bind = Some(([127, 0, 0, 1], 0).into());
    })
    .await;
    app.seed_standard().await;
    let token = app.admin_token().await;
    let before = scrape(&app).await;
    let missing = uuid::Uuid::now_v7().to_string();
    let (first, second) = (data::new_id(), data::new_id());
    let mut changed = data::express(&second, "a-express", "qr");
    changed["answers"][0]["v"] = json!("no");

    // Act
    for _ in 0..2 {
        assert_eq!(app.get("/healthz").await.status(), 200);
    }
    assert_eq!(app.get("/api/v1/points/a-express").await.status(), 200);
    assert_eq!(
        app.get(&format!("/api/v1/no-such-route/{missing}"))
            .await
            .status(),
        404
    );
    let created = app
        .submit(
            &[
                data::express(&first, "a-express", "qr"),
                data::express(&second, "a-express", "qr"),
            ],
            Some(&token),
        )
        .await;
    let mixed = app
        .submit(
            &[
                data::express(&first, "a-express", "qr"),
                changed,
                data::express(&data::new_id(), "no-such-point", "qr"),
            ],
            Some(&token),
        )
        .await;
    let after = scrape(&app).await;

    // Assert
    let statuses: Vec<&str> = created
        .iter()
        .chain(&mixed)
        .map(|r| r["status"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        statuses,
        ["created", "created", "duplicate", "conflict", "rejected"]
    );
    let expected = [
        (requests("GET", "/healthz", 200), 2.0),
        (requests("GET", "/api/v1/points/{code}", 200), 1.0),
        (requests("GET", "unmatched", 404), 1.0),
        (requests("POST", "/api/v1/responses", 200), 2.0),
        // The login of `admin_token` came before the first scrape.
        (requests("POST", "/api/v1/auth/login", 200), 0.0),
        (items("created"), 2.0),
        (items("duplicate"), 1.0),
        (items("conflict"), 1.0),
        (items("rejected"), 1.0),
        (items("rate_limited"), 0.0),
        // Two batches one after the other: two groups of 2 stored items (the rejected item is
        // never queued).
        ("otklik_group_commit_items_count".to_owned(), 2.0),
        ("otklik_group_commit_items_sum".to_owned(), 4.0),
        ("otklik_group_commit_seconds_count".to_owned(), 2.0),
    ];
    for (sample, grew) in &expected {
        assert_eq!(
            delta(&before, &after, sample),
            *grew,
            "{sample} grew by another amount; after: {after:#?}"
        );
    }
    assert_eq!(
        after.get(&requests("POST", "/api/v1/auth/login", 200)),
        Some(&1.0),
        "the login is counted"
    );
    let all_requests: f64 = after
        .iter()
        .filter(|(k, _)| k.starts_with("otklik_http_requests_total"))
        .map(|(_, v)| v)
        .sum();
    assert_eq!(
        all_requests, 7.0,
        "one login, seven requests, and scrapes are not counted: {after:#?}"
    );
    assert_eq!(after.get("otklik_ingest_queue_batches"), Some(&0.0));
    let pools: &[(&str, f64)] = match backend {
        Backend::Sqlite => &[("write", 1.0), ("read", 4.0)],
        Backend::Postgres => &[("pool", 16.0)],
    };
    for (pool, max) in pools {
        let max_sample = format!("otklik_db_pool_max_connections{{pool=\"{pool}\"}}");
        assert_eq!(after.get(&max_sample), Some(max), "{after:#?}");
        let open = after[&format!("otklik_db_pool_connections{{pool=\"{pool}\"}}")];
        let idle = after[&format!("otklik_db_pool_idle_connections{{pool=\"{pool}\"}}")];
        assert!(
            (1.0..=*max).contains(&open) && idle <= open,
            "{pool}: {open} open, {idle} idle"
        );
    }
    let labels: String = after.keys().map(String::as_str).collect();
    for raw in [
        missing.as_str(),
        "a-express",
        "no-such-route",
        &first,
        &second,
        &token,
    ] {
        assert!(!labels.contains(raw), "{raw} reached a label: {after:#?}");
    }
}

async fn metrics_are_served_only_on_their_own_listener(backend: Backend) {
    // Arrange
    let without = spawn_app(backend).await;
    let with = spawn_app_with(backend, |s| {
        s.serve.metrics_bind = Some(([127, 0, 0, 1], 0).into());
    })
    .await;

    // Act
    let main_port = with.get("/metrics").await;
    let status = main_port.status();
    let body = main_port.text().await.expect("a body");
    let scraped = scrape(&with).await;

    // Assert
    assert!(
        without.metrics_address.is_none(),
        "no listener without --metrics-bind"
    );
    assert!(
        !body.contains("otklik_"),
        "the main port serves no metrics ({status}): {body}"
    );
    assert!(scraped.contains_key("otklik_ingest_queue_batches"));
    let other = with
        .client
        .get(format!(
            "{}/api/v1/openapi.json",
            with.metrics_address.as_deref().unwrap_or_default()
        ))
        .send()
        .await
        .expect("a request to the metrics listener");
    assert_eq!(
        other.status(),
        404,
        "the metrics listener serves only /metrics"
    );
}

/// Items over the anonymous limit are `rejected` to the client but their own outcome here, in
/// a batch partly over the limit (200) and in one wholly over it (429): the alert on broken
/// clients must not fire on busy ones.
async fn items_over_the_anonymous_limit_count_as_rate_limited_not_rejected(backend: Backend) {
    // Arrange
    let app = spawn_app_with(backend, |s| {
        s.serve.metrics_bind = Some(([127, 0, 0, 1], 0).into());
        s.serve.anon_rate_limit = 2;
    })
    .await;
    app.seed_standard().await;
    let qr = || data::express(&data::new_id(), "a-express", "qr");
    early_in_a_minute().await;
    let before = scrape(&app).await;

    // Act
    let partly = app.submit(&[qr(), qr(), qr()], None).await;
    let wholly = app
        .post_responses(&json!({ "responses": [qr(), qr()] }))
        .await
        .status();
    let after = scrape(&app).await;

    // Assert
    let statuses: Vec<&str> = partly
        .iter()
        .map(|r| r["status"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(statuses, ["created", "created", "rejected"]);
    assert_eq!(wholly, 429);
    for (sample, grew) in [
        (items("created"), 2.0),
        (items("rate_limited"), 1.0 + 2.0),
        (items("rejected"), 0.0),
        (requests("POST", "/api/v1/responses", 200), 1.0),
        (requests("POST", "/api/v1/responses", 429), 1.0),
    ] {
        assert_eq!(
            delta(&before, &after, &sample),
            grew,
            "{sample} grew by another amount; after: {after:#?}"
        );
    }
}
