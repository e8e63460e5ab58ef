//! `GET /api/v1/comments`: masked texts, filters, keyset paging that returns every comment once
//! in order (ties on `submitted_at` included), and who may read them.

use std::collections::HashSet;

use serde_json::{json, Value};

use crate::data;
use crate::helpers::{assert_error, spawn_app, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    comments_are_masked_and_filtered,
    cursor_paging_returns_every_comment_once_newest_first,
    comments_refuse_other_regions_and_operators_but_not_observers,
);

/// A page of `/api/v1/comments` that must be answered 200.
pub(crate) async fn comments(app: &TestApp, token: &str, query: &[(&str, &str)]) -> Value {
    let res = app.get_as("/api/v1/comments", Some(token), query).await;
    let status = res.status();
    let body: Value = res.json().await.expect("JSON");
    assert_eq!(status, 200, "{query:?}: {body}");
    body
}

/// An `nsi-satisfaction` response at `point` and `at` with a comment on `process` (answered
/// `process`) and an optional free-text suggestion.
fn response(
    point: &str,
    at: &str,
    process: &str,
    comment: &str,
    suggestion: Option<&str>,
) -> Value {
    let mut r = data::nsi_satisfaction(&data::new_id(), point);
    r["submitted_at"] = json!(at);
    r["answers"][0] = json!({"q": "process", "v": process, "comment": comment});
    match suggestion {
        Some(s) => r["answers"][6]["v"] = json!(s),
        None => {
            r["answers"].as_array_mut().unwrap().pop();
        }
    }
    r
}

async fn comments_are_masked_and_filtered(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let token = app.admin_token().await;
    app.submit(
        &[
            response(
                "a-nsi",
                "2026-03-02T10:00:00+03:00",
                "no",
                "звоните 8 912 345 67 89",
                Some("пишите anna@mail.ru"),
            ),
            response(
                "b-nsi",
                "2026-03-03T10:00:00+03:00",
                "rather_no",
                "окно 5 не работало",
                None,
            ),
            response(
                "a-nsi",
                "2026-01-10T10:00:00+03:00",
                "rather_no",
                "ждала 40 минут",
                None,
            ),
        ],
        None,
    )
    .await;

    // Act
    let all = comments(&app, &token, &[("org", "reg")]).await;
    let negative = comments(&app, &token, &[("org", "reg"), ("negative", "true")]).await;
    let suggestions = comments(&app, &token, &[("org", "reg"), ("question", "suggestions")]).await;
    let march_a = comments(
        &app,
        &token,
        &[
            ("org", "inst-a"),
            ("from", "2026-03-01"),
            ("questionnaire", "nsi-satisfaction"),
        ],
    )
    .await;
    let at_b = comments(&app, &token, &[("org", "reg"), ("point", "b-nsi")]).await;

    // Assert
    let texts = |v: &Value| -> Vec<String> {
        v["comments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["text"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        texts(&all),
        [
            "окно 5 не работало",
            "звоните ***",
            "пишите ***",
            "ждала 40 минут"
        ],
        "newest first, masked: {all}"
    );
    assert_eq!(all["next_cursor"], Value::Null);
    let first = &all["comments"][1];
    assert_eq!(
        (
            first["point"].as_str(),
            first["question"].as_str(),
            &first["answer"]
        ),
        (Some("a-nsi"), Some("process"), &json!("no"))
    );
    assert_eq!(
        all["comments"][2]["answer"],
        Value::Null,
        "a free-text answer has no answer value"
    );
    assert_eq!(
        texts(&negative),
        ["окно 5 не работало", "звоните ***", "ждала 40 минут"],
        "no free text"
    );
    assert_eq!(texts(&suggestions), ["пишите ***"]);
    assert_eq!(texts(&march_a), ["звоните ***", "пишите ***"]);
    assert_eq!(texts(&at_b), ["окно 5 не работало"]);
}

async fn cursor_paging_returns_every_comment_once_newest_first(backend: Backend) {
    // Arrange: 90 responses with a comment, some sharing one instant, some with a suggestion
    // too, and responses without any comment between them.
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let token = app.admin_token().await;
    let mut items = Vec::new();
    let mut expected = 0;
    for i in 0..90 {
        let at = format!("2026-02-{:02}T{:02}:00:00Z", 1 + i / 8, (i % 4) * 3);
        let suggestion = (i % 3 == 0).then_some("больше окон");
        expected += 1 + usize::from(suggestion.is_some());
        items.push(response(
            ["a-nsi", "dep-nsi", "b-nsi"][i % 3],
            &at,
            "rather_no",
            &format!("комментарий {i}"),
            suggestion,
        ));
        let mut plain = data::nsi_satisfaction(&data::new_id(), "a-nsi");
        plain["answers"][0] = json!({"q": "process", "v": "yes"});
        plain["answers"].as_array_mut().unwrap().pop();
        items.push(plain);
    }
    app.submit(&items, None).await;

    // Act: pages of 7.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let mut q = vec![("org", "reg"), ("limit", "7")];
        if let Some(c) = &cursor {
            q.push(("cursor", c));
        }
        let page = comments(&app, &token, &q).await;
        for c in page["comments"].as_array().unwrap() {
            seen.push((
                c["submitted_at"].as_str().unwrap().to_owned(),
                c["response"].as_str().unwrap().to_owned(),
                c["question"].as_str().unwrap().to_owned(),
            ));
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }

    // Assert: each once, newest first by (submitted_at, response).
    assert_eq!(seen.len(), expected);
    let distinct: HashSet<_> = seen.iter().collect();
    assert_eq!(distinct.len(), expected, "no comment twice");
    for pair in seen.windows(2) {
        assert!(
            (&pair[0].0, &pair[0].1) >= (&pair[1].0, &pair[1].1),
            "order: {pair:?}"
        );
    }
    let all = comments(&app, &token, &[("org", "reg"), ("limit", "500")]).await;
    assert_eq!(all["comments"].as_array().unwrap().len(), expected);
    assert_error(
        app.get_as(
            "/api/v1/comments",
            Some(&token),
            &[("org", "reg"), ("cursor", "garbage")],
        )
        .await,
        400,
        "bad_parameter",
    )
    .await;
    for limit in ["0", "501"] {
        let res = app
            .get_as(
                "/api/v1/comments",
                Some(&token),
                &[("org", "reg"), ("limit", limit)],
            )
            .await;
        let body = assert_error(res, 422, "out_of_range").await;
        assert_eq!(body["error"]["details"]["field"], "limit", "{body}");
    }
}

async fn comments_refuse_other_regions_and_operators_but_not_observers(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    app.add_orgs(&[(
        "reg2",
        "Другая область",
        "region",
        None,
        None,
        Some("Europe/Moscow"),
    )])
    .await;
    for (login, role, scope) in [
        ("other", "official", "reg2"),
        ("op", "operator", "inst-a"),
        ("obs", "observer", "inst-a"),
    ] {
        app.add_user(login, "password-123", role, Some(scope)).await;
    }
    app.submit(
        &[response(
            "a-nsi",
            "2026-03-02T10:00:00+03:00",
            "no",
            "тел. 345-67-89",
            None,
        )],
        None,
    )
    .await;
    let q = [("org", "inst-a")];

    // Act + Assert
    assert_error(
        app.get_as("/api/v1/comments", None, &q).await,
        401,
        "unauthorized",
    )
    .await;
    let other = app.login("other", "password-123").await;
    assert_error(
        app.get_as("/api/v1/comments", Some(&other), &q).await,
        403,
        "out_of_scope",
    )
    .await;
    let operator = app.login("op", "password-123").await;
    assert_error(
        app.get_as("/api/v1/comments", Some(&operator), &q).await,
        403,
        "forbidden",
    )
    .await;
    let observer = app.login("obs", "password-123").await;
    let page = comments(&app, &observer, &q).await;
    assert_eq!(
        page["comments"][0]["text"], "тел. ***",
        "observers read masked text"
    );
    assert_error(
        app.get_as("/api/v1/comments", Some(&observer), &[("org", "reg")])
            .await,
        403,
        "out_of_scope",
    )
    .await;
    assert_error(
        app.get_as("/api/v1/comments", Some(&observer), &[("org", "nowhere")])
            .await,
        404,
        "unknown_org",
    )
    .await;
    assert_error(
        app.get_as("/api/v1/comments", Some(&observer), &[]).await,
        400,
        "bad_parameter",
    )
    .await;
}
