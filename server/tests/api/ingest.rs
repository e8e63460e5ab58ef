//! `POST /api/v1/responses` on the happy path: the reply shape, what is stored, every built-in
//! questionnaire, any UUID version.

use serde_json::{json, Value};

use crate::data::{self, utc, Generator};
use crate::helpers::{spawn_app, Backend};
use crate::on_both_backends;

on_both_backends!(
    a_valid_response_is_created_and_stored_as_sent,
    every_builtin_questionnaire_accepts_generated_responses,
    ids_of_any_uuid_version_are_accepted,
);

async fn a_valid_response_is_created_and_stored_as_sent(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let id = data::new_id();
    let item = data::nsi_satisfaction(&id, "a-nsi");

    // Act
    let res = app.post_responses(&json!({ "responses": [item] })).await;

    // Assert
    assert_eq!(res.status(), 200);
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let body: Value = res.json().await.expect("JSON");
    assert_eq!(
        body,
        json!({"results": [{"id": id, "status": "created"}]}),
        "a created item carries no error"
    );
    let rows = app.sql.stored_responses().await;
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(
        serde_json::from_str::<Value>(&row.raw).expect("raw is JSON"),
        item,
        "the item is kept as sent"
    );
    assert_eq!(
        (
            row.channel.as_str(),
            row.point.as_str(),
            row.local_date.to_string()
        ),
        ("qr", "a-nsi", "2026-11-02".to_owned())
    );
    assert_eq!(
        app.sql.scalar("select count(*) from response_log").await,
        1,
        "the response is sealed in the log"
    );
}

async fn every_builtin_questionnaire_accepts_generated_responses(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    app.add_orgs(&[
        (
            "clinic",
            "Поликлиника",
            "institution",
            Some("reg"),
            Some("health"),
            None,
        ),
        (
            "museum",
            "Музей",
            "institution",
            Some("reg"),
            Some("culture"),
            None,
        ),
    ])
    .await;
    app.add_point("clinic-nok", "clinic", "nok-health", None)
        .await;
    app.add_point("museum-nok", "museum", "nok-culture", None)
        .await;
    let points = [
        ("a-express", "express"),
        ("a-nsi", "nsi-satisfaction"),
        ("b-core", "nsi-core"),
        ("a-nok", "nok-social"),
        ("clinic-nok", "nok-health"),
        ("b-nok", "nok-education"),
        ("museum-nok", "nok-culture"),
    ];
    let mut gen = Generator::new(7);
    let mut items = Vec::new();
    for (point, questionnaire) in points {
        let q = data::questionnaire(questionnaire);
        for _ in 0..40 {
            let at = gen.instant(utc(2026, 1, 1), utc(2026, 11, 1));
            items.push(gen.response(point, &q, "qr", at));
        }
    }

    // Act
    let results = app.submit(&items, None).await;

    // Assert
    for (item, result) in items.iter().zip(&results) {
        assert_eq!(result["status"], "created", "{item} → {result}");
    }
    assert_eq!(app.sql.count_responses().await, items.len() as i64);
}

async fn ids_of_any_uuid_version_are_accepted(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let ids = [
        uuid::Builder::from_random_bytes(rand::random())
            .into_uuid()
            .to_string(),
        uuid::Uuid::now_v7().to_string(),
        "6ba7b810-9dad-11d1-80b4-00c04fd430c8".to_owned(), // v1
        "00000000-0000-0000-0000-000000000001".to_owned(),
    ];
    let items: Vec<Value> = ids
        .iter()
        .map(|id| data::express(id, "a-express", "link"))
        .collect();

    // Act
    let results = app.submit(&items, None).await;

    // Assert
    for (id, result) in ids.iter().zip(&results) {
        assert_eq!(result["status"], "created", "{id}: {result}");
        assert_eq!(result["id"], json!(id));
    }
}
