//! Staff entries: who keyed in a paper, phone or interview questionnaire and under which batch
//! label is stored beside the response (never in its hashed payload), once per response, and
//! listed for officials only.

use serde_json::{json, Value};

use crate::data::{express, new_id};
use crate::helpers::{assert_error, spawn_app, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    keyed_in_batches_are_listed_with_who_entered_them_once_per_response,
    the_batch_label_is_outside_the_payload_and_a_bad_one_stores_nothing,
    entries_are_for_officials_in_scope_only,
);

const PASSWORD: &str = "entries-password-1";

/// The standard tree with an official of the region, an operator of `inst-a` and an observer.
async fn seeded(app: &TestApp) -> (String, String, String) {
    app.seed_standard().await;
    app.add_point("b-express", "inst-b", "express", None).await;
    app.add_user("ivanova", PASSWORD, "official", Some("reg"))
        .await;
    app.add_user("petrov", PASSWORD, "operator", Some("inst-a"))
        .await;
    app.add_user("sidorova", PASSWORD, "observer", Some("reg"))
        .await;
    (
        app.login("ivanova", PASSWORD).await,
        app.login("petrov", PASSWORD).await,
        app.login("sidorova", PASSWORD).await,
    )
}

/// Posts items with a staff token and an optional batch label; the per-item results.
pub(crate) async fn post(
    app: &TestApp,
    token: &str,
    items: &[Value],
    label: Option<&str>,
) -> Vec<Value> {
    let res = app
        .post_responses_as(
            &json!({"responses": items, "entry_batch": label}),
            Some(token),
        )
        .await;
    let status = res.status();
    let body: Value = res.json().await.expect("JSON");
    assert_eq!(status, 200, "{body}");
    body["results"].as_array().expect("results").clone()
}

/// `(entry_batch, entered_by, channel, responses)` of each listed batch, sorted.
async fn batches(
    app: &TestApp,
    token: &str,
    query: &[(&str, &str)],
) -> Vec<(Value, String, String, i64)> {
    let res = app.get_as("/api/v1/entries", Some(token), query).await;
    let body: Value = res.json().await.expect("JSON");
    let mut got: Vec<_> = body["entries"]
        .as_array()
        .unwrap_or_else(|| panic!("entries: {body}"))
        .iter()
        .map(|e| {
            assert!(
                e["first_at"]
                    .as_str()
                    .is_some_and(|t| t <= e["last_at"].as_str().unwrap_or("")),
                "{e}"
            );
            (
                e["entry_batch"].clone(),
                e["entered_by"].as_str().unwrap_or_default().to_owned(),
                e["channel"].as_str().unwrap_or_default().to_owned(),
                e["responses"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    got.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    got
}

async fn keyed_in_batches_are_listed_with_who_entered_them_once_per_response(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let (official, operator, _) = seeded(&app).await;
    let paper: Vec<Value> = (0..3)
        .map(|_| express(&new_id(), "a-express", "paper"))
        .collect();
    let phone: Vec<Value> = (0..2)
        .map(|_| express(&new_id(), "a-express", "phone"))
        .collect();
    let by_official = [express(&new_id(), "b-express", "paper")];

    // Act: the operator keys in a labelled paper batch (twice: the retry stores nothing more)
    // and an unlabelled phone batch; the official a paper one elsewhere; a citizen scans a QR.
    post(&app, &operator, &paper, Some("  Пачка № 12 ")).await;
    let again = post(&app, &operator, &paper, Some("Пачка № 12")).await;
    post(&app, &operator, &phone, None).await;
    let b = post(&app, &official, &by_official, Some("пачка 2")).await;
    app.submit(&[express(&new_id(), "a-express", "qr")], None)
        .await;

    // Assert
    assert!(
        again.iter().all(|r| r["status"] == "duplicate"),
        "{again:?}"
    );
    assert_eq!(b[0]["status"], "created");
    assert_eq!(app.sql.scalar("select count(*) from entries").await, 6);
    let all = batches(&app, &official, &[("org", "reg")]).await;
    assert_eq!(
        all,
        vec![
            (Value::Null, "petrov".into(), "phone".into(), 2),
            (json!("Пачка № 12"), "petrov".into(), "paper".into(), 3),
            (json!("пачка 2"), "ivanova".into(), "paper".into(), 1),
        ]
    );
    // The subtree and the dates filter (the items are dated 2026-11-02 in Moscow).
    assert_eq!(
        batches(&app, &official, &[("org", "inst-b")]).await.len(),
        1
    );
    assert_eq!(
        batches(&app, &official, &[("org", "reg"), ("from", "2026-11-03")]).await,
        vec![]
    );
    assert_eq!(
        batches(
            &app,
            &official,
            &[("org", "reg"), ("from", "2026-11-02"), ("to", "2026-11-02")]
        )
        .await
        .len(),
        3
    );
}

async fn the_batch_label_is_outside_the_payload_and_a_bad_one_stores_nothing(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let (official, operator, _) = seeded(&app).await;
    let item = express(&new_id(), "a-express", "paper");

    // Act
    let too_long = "п".repeat(101);
    let refused = app
        .post_responses_as(
            &json!({"responses": [item.clone()], "entry_batch": too_long}),
            Some(&operator),
        )
        .await;
    let first = post(
        &app,
        &operator,
        std::slice::from_ref(&item),
        Some("пачка 1"),
    )
    .await;
    let relabelled = post(&app, &official, &[item], Some("пачка 9")).await;

    // Assert
    assert_error(refused, 422, "invalid_entry_batch").await;
    assert_eq!(first[0]["status"], "created");
    assert_eq!(relabelled[0]["status"], "duplicate", "{relabelled:?}");
    assert_eq!(
        batches(&app, &official, &[("org", "reg")]).await,
        vec![(json!("пачка 1"), "petrov".into(), "paper".into(), 1)]
    );
}

async fn entries_are_for_officials_in_scope_only(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let (official, operator, observer) = seeded(&app).await;
    app.add_orgs(&[("reg-b", "Другая область", "region", None, None, None)])
        .await;
    app.add_user("other", PASSWORD, "official", Some("reg-b"))
        .await;
    let other = app.login("other", PASSWORD).await;
    let admin = app.admin_token().await;

    // Act and assert
    assert_error(
        app.get_as("/api/v1/entries", None, &[("org", "reg")]).await,
        401,
        "unauthorized",
    )
    .await;
    assert_error(
        app.get_as("/api/v1/entries", Some(&operator), &[("org", "inst-a")])
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        app.get_as("/api/v1/entries", Some(&observer), &[("org", "reg")])
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        app.get_as("/api/v1/entries", Some(&other), &[("org", "reg")])
            .await,
        403,
        "out_of_scope",
    )
    .await;
    assert_error(
        app.get_as("/api/v1/entries", Some(&official), &[("org", "reg-b")])
            .await,
        403,
        "out_of_scope",
    )
    .await;
    assert_error(
        app.get_as("/api/v1/entries", Some(&official), &[("org", "nowhere")])
            .await,
        404,
        "unknown_org",
    )
    .await;
    assert_error(
        app.get_as(
            "/api/v1/entries",
            Some(&official),
            &[("org", "reg"), ("from", "2026-13-01")],
        )
        .await,
        400,
        "bad_parameter",
    )
    .await;
    for token in [&official, &admin] {
        let res = app
            .get_as("/api/v1/entries", Some(token), &[("org", "inst-a")])
            .await;
        assert_eq!(res.status(), 200);
    }
}
