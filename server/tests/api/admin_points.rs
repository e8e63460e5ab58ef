//! `GET/POST /api/v1/points` and `PATCH /api/v1/points/{code}`: the links the QR codes encode,
//! additions and life-situation changes in scope, the НОК-at-employment rule, and the link
//! `otklik point add` prints.

use serde_json::{json, Value};

use crate::helpers::{assert_error, run_cli, spawn_app_with, Backend};
use crate::on_both_backends;
use crate::scope::{call, call_json, ok_json, user_token, Body};

on_both_backends!(
    points_are_listed_with_their_links_added_and_changed_in_scope,
    a_nok_questionnaire_is_refused_at_an_employment_org_by_api_and_cli,
);

const PUBLIC_URL: &str = "https://otklik.example.ru/";

async fn points_are_listed_with_their_links_added_and_changed_in_scope(backend: Backend) {
    // Arrange
    let app = spawn_app_with(backend, |s| s.common.public_url = Some(PUBLIC_URL.into())).await;
    app.seed_standard().await;
    let official = user_token(&app, "official-a", "official", "inst-a").await;
    let operator = user_token(&app, "operator-a", "operator", "inst-a").await;
    let observer = user_token(&app, "observer-a", "observer", "inst-a").await;
    let get = |token: Option<&str>, path: &str| {
        let (token, path) = (token.map(str::to_owned), path.to_owned());
        let app = &app;
        async move { call(app, "GET", &path, token.as_deref(), Body::Empty).await }
    };

    // Act and Assert: the subtree's points, with the link of each.
    let list = ok_json(get(Some(&official), "/api/v1/points?org=inst-a").await, 200).await;
    let points = list["points"].as_array().expect("points");
    let codes: Vec<&str> = points.iter().filter_map(|p| p["code"].as_str()).collect();
    assert_eq!(codes, ["a-express", "a-nok", "a-nsi", "dep-nsi"]);
    assert_eq!(
        points[2],
        json!({"code": "a-nsi", "org": "inst-a", "questionnaire": "nsi-satisfaction",
               "life_situation": "home-social-service", "stage": "visit",
               "url": "https://otklik.example.ru/q/a-nsi"})
    );
    assert_eq!(points[3]["org"], "inst-a-dep");
    // The shape the dashboard decodes (shared with the PWA) reads the same reply.
    let decoded: otklik_shared::api::PointsReply =
        serde_json::from_value(list.clone()).expect("the shared PointsReply shape");
    assert_eq!(decoded.points[2].questionnaire, "nsi-satisfaction");
    let list = ok_json(
        get(Some(&operator), "/api/v1/points?org=inst-a-dep").await,
        200,
    )
    .await;
    assert_eq!(
        list["points"].as_array().map(Vec::len),
        Some(1),
        "operators see their points"
    );
    assert_error(
        get(Some(&observer), "/api/v1/points?org=inst-a").await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        get(Some(&official), "/api/v1/points?org=inst-b").await,
        403,
        "out_of_scope",
    )
    .await;
    assert_error(
        get(Some(&official), "/api/v1/points?org=nowhere").await,
        404,
        "unknown_org",
    )
    .await;
    assert_error(
        get(Some(&official), "/api/v1/points").await,
        400,
        "bad_parameter",
    )
    .await;
    assert_error(
        get(None, "/api/v1/points?org=inst-a").await,
        401,
        "unauthorized",
    )
    .await;

    // Adding.
    let new = json!({"code": "a-new", "org": "inst-a-dep", "questionnaire": "nsi-satisfaction",
                     "life_situation": "home-social-service", "stage": "visit"});
    let created = ok_json(
        call_json(&app, "POST", "/api/v1/points", &official, &new).await,
        201,
    )
    .await;
    assert_eq!(created["point"]["url"], "https://otklik.example.ru/q/a-new");
    assert_eq!(created["point"]["org"], "inst-a-dep");
    let public = ok_json(app.get("/api/v1/points/a-new").await, 200).await;
    assert_eq!(
        public["point"]["stage"], "visit",
        "the public route serves it"
    );
    let res = call_json(&app, "POST", "/api/v1/points", &official, &new).await;
    assert_error(res, 409, "already_exists").await;
    let res = call_json(&app, "POST", "/api/v1/points", &observer, &new).await;
    assert_error(res, 403, "forbidden").await;
    let res = call_json(&app, "POST", "/api/v1/points", &operator, &new).await;
    assert_error(res, 403, "forbidden").await;
    let elsewhere = json!({"code": "b-new", "org": "inst-b", "questionnaire": "express"});
    let res = call_json(&app, "POST", "/api/v1/points", &official, &elsewhere).await;
    assert_error(res, 403, "out_of_scope").await;
    for (body, field) in [
        (
            json!({"code": "p1", "org": "inst-a", "questionnaire": "nope"}),
            "questionnaire",
        ),
        (
            json!({"code": "p2", "org": "nowhere", "questionnaire": "express"}),
            "org",
        ),
        (
            json!({"code": "p3", "org": "inst-a", "questionnaire": "express", "stage": "visit"}),
            "life_situation",
        ),
        (
            json!({"code": "p4", "org": "inst-a", "questionnaire": "express", "life_situation": "moon"}),
            "life_situation",
        ),
        (
            json!({"code": "p5", "org": "inst-a", "questionnaire": "express",
                "life_situation": "home-social-service", "stage": "moon"}),
            "stage",
        ),
        (
            json!({"code": "", "org": "inst-a", "questionnaire": "express"}),
            "code",
        ),
    ] {
        let res = call_json(&app, "POST", "/api/v1/points", &official, &body).await;
        let err = assert_error(res, 422, "invalid_point").await;
        assert_eq!(err["error"]["details"]["field"], field, "{body}: {err}");
    }

    // Changing the life situation and stage, checked the same way.
    let path = "/api/v1/points/a-express";
    let change = json!({"life_situation": "job-via-employment-centre", "stage": "registration"});
    let changed = ok_json(
        call_json(&app, "PATCH", path, &official, &change).await,
        200,
    )
    .await;
    assert_eq!(
        (
            changed["point"]["life_situation"].clone(),
            changed["point"]["stage"].clone()
        ),
        (json!("job-via-employment-centre"), json!("registration"))
    );
    assert_eq!(
        changed["point"]["url"],
        "https://otklik.example.ru/q/a-express"
    );
    let public = ok_json(app.get("/api/v1/points/a-express").await, 200).await;
    assert_eq!(public["point"]["stage"], "registration", "stored: {public}");
    let res = call_json(&app, "PATCH", path, &official, &json!({"stage": "visit"})).await;
    let err = assert_error(res, 422, "invalid_point").await;
    assert_eq!(err["error"]["details"]["field"], "stage", "{err}");
    let res = call_json(
        &app,
        "PATCH",
        path,
        &official,
        &json!({"life_situation": "moon"}),
    )
    .await;
    let err = assert_error(res, 422, "invalid_point").await;
    assert_eq!(err["error"]["details"]["field"], "life_situation", "{err}");
    let cleared = ok_json(
        call_json(
            &app,
            "PATCH",
            path,
            &official,
            &json!({"life_situation": null}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        (
            cleared["point"]["life_situation"].clone(),
            cleared["point"]["stage"].clone()
        ),
        (Value::Null, Value::Null),
        "a cleared life situation takes its stage along"
    );
    let res = call_json(
        &app,
        "PATCH",
        path,
        &official,
        &json!({"questionnaire": "express"}),
    )
    .await;
    assert_error(res, 400, "malformed_json").await;
    let res = call_json(&app, "PATCH", "/api/v1/points/nowhere", &official, &change).await;
    assert_error(res, 404, "unknown_point").await;
    let res = call_json(&app, "PATCH", "/api/v1/points/b-nsi", &official, &change).await;
    assert_error(res, 403, "out_of_scope").await;
    let res = call_json(&app, "PATCH", path, &observer, &change).await;
    assert_error(res, 403, "forbidden").await;
    let res = call(&app, "PATCH", path, None, Body::Json("{}")).await;
    assert_error(res, 401, "unauthorized").await;
}

async fn a_nok_questionnaire_is_refused_at_an_employment_org_by_api_and_cli(backend: Backend) {
    // Arrange: an employment centre with a department.
    let app = spawn_app_with(backend, |_| {}).await;
    app.seed_standard().await;
    app.add_orgs(&[
        (
            "czn",
            "ЦЗН «Работа»",
            "institution",
            Some("reg"),
            Some("employment"),
            None,
        ),
        (
            "czn-dep",
            "Отдел выплат",
            "department",
            Some("czn"),
            None,
            None,
        ),
    ])
    .await;
    let admin = app.admin_token().await;

    // Act and Assert
    for org in ["czn", "czn-dep"] {
        let body = json!({"code": format!("{org}-nok"), "org": org, "questionnaire": "nok-social"});
        let res = call_json(&app, "POST", "/api/v1/points", &admin, &body).await;
        let err = assert_error(res, 422, "invalid_point").await;
        assert!(
            err["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("НОК")),
            "{err}"
        );
        assert_eq!(err["error"]["details"]["field"], "questionnaire", "{err}");
    }
    let ok = json!({"code": "czn-nsi", "org": "czn-dep", "questionnaire": "nsi-satisfaction"});
    ok_json(
        call_json(&app, "POST", "/api/v1/points", &admin, &ok).await,
        201,
    )
    .await;
    let out = run_cli(
        &app.db_url,
        &[
            "point",
            "add",
            "--code",
            "czn-nok",
            "--org",
            "czn",
            "--questionnaire",
            "nok-social",
        ],
        None,
    )
    .await;
    assert!(
        !out.success && out.stderr.contains("--questionnaire"),
        "{out:?}"
    );

    // The link `point add` prints honours --public-url, and never names port 0.
    let out = run_cli(
        &app.db_url,
        &[
            "--public-url",
            PUBLIC_URL,
            "point",
            "add",
            "--code",
            "cli-p",
            "--org",
            "czn",
            "--questionnaire",
            "express",
        ],
        None,
    )
    .await;
    assert!(out.success, "{out:?}");
    assert!(
        out.stdout.contains("https://otklik.example.ru/q/cli-p"),
        "{out:?}"
    );
    let out = run_cli(
        &app.db_url,
        &[
            "point",
            "add",
            "--code",
            "cli-q",
            "--org",
            "czn",
            "--questionnaire",
            "express",
        ],
        None,
    )
    .await;
    assert!(
        out.success && out.stdout.contains("http://127.0.0.1:8080/q/cli-q"),
        "{out:?}"
    );
    assert!(!out.stdout.contains(":0/"), "{out:?}");
}
