//! `GET/POST /api/v1/users` and `PATCH /api/v1/users/{login}`: accounts in scope, the roles an
//! official may grant, and tokens refused at once (401 `token_revoked`) after disabling, a
//! password change, or deletion.

use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, Backend, ServeProcess, TestApp};
use crate::on_both_backends;
use crate::scope::{call, call_json, ok_json, user_token, Body};

on_both_backends!(
    users_are_listed_and_added_in_scope_with_the_roles_an_official_may_grant,
    disabling_a_user_or_changing_the_password_refuses_earlier_tokens_at_once,
    a_user_disabled_on_one_instance_is_refused_on_another_at_once,
);

async fn logins(app: &TestApp, token: &str) -> Vec<String> {
    let list = ok_json(
        call(app, "GET", "/api/v1/users", Some(token), Body::Empty).await,
        200,
    )
    .await;
    list["users"]
        .as_array()
        .unwrap_or_else(|| panic!("users: {list}"))
        .iter()
        .map(|u| u["login"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn users_are_listed_and_added_in_scope_with_the_roles_an_official_may_grant(
    backend: Backend,
) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let admin = app.admin_token().await;
    let official = user_token(&app, "official-mun", "official", "mun").await;
    let observer = user_token(&app, "observer-mun", "observer", "mun").await;
    let operator = user_token(&app, "operator-a", "operator", "inst-a").await;
    let user = |login: &str, role: &str, scope: Option<&str>| json!({"login": login, "password": "long-enough-1", "role": role, "scope": scope});

    // Act and Assert: an official adds the roles below admin inside the subtree.
    for (login, role, scope) in [
        ("new-official", "official", "mun"),
        ("new-observer", "observer", "inst-a"),
        ("new-operator", "operator", "inst-a-dep"),
    ] {
        let body = user(login, role, Some(scope));
        let created = ok_json(
            call_json(&app, "POST", "/api/v1/users", &official, &body).await,
            201,
        )
        .await;
        assert_eq!(
            created["user"],
            json!({"login": login, "role": role, "scope": scope, "active": true})
        );
        app.login(login, "long-enough-1").await;
    }
    let res = call_json(
        &app,
        "POST",
        "/api/v1/users",
        &official,
        &user("boss", "admin", None),
    )
    .await;
    assert_error(res, 403, "forbidden").await;
    let res = call_json(
        &app,
        "POST",
        "/api/v1/users",
        &official,
        &user("far", "official", Some("inst-b")),
    )
    .await;
    assert_error(res, 403, "out_of_scope").await;
    let res = call_json(
        &app,
        "POST",
        "/api/v1/users",
        &official,
        &user("up", "official", Some("reg")),
    )
    .await;
    assert_error(res, 403, "out_of_scope").await;
    for token in [&observer, &operator] {
        let res = call_json(
            &app,
            "POST",
            "/api/v1/users",
            token,
            &user("x1", "observer", Some("inst-a")),
        )
        .await;
        assert_error(res, 403, "forbidden").await;
        let res = call(&app, "GET", "/api/v1/users", Some(token), Body::Empty).await;
        assert_error(res, 403, "forbidden").await;
    }
    let created = ok_json(
        call_json(
            &app,
            "POST",
            "/api/v1/users",
            &admin,
            &user("boss", "admin", None),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(created["user"]["scope"], Value::Null);
    for (body, field) in [
        (
            json!({"login": "short", "password": "1234567", "role": "observer", "scope": "mun"}),
            "password",
        ),
        (
            json!({"login": "x", "password": "long-enough-1", "role": "observer", "scope": "mun"}),
            "login",
        ),
        (
            json!({"login": "bad login", "password": "long-enough-1", "role": "observer", "scope": "mun"}),
            "login",
        ),
        (
            json!({"login": "r1", "password": "long-enough-1", "role": "king", "scope": "mun"}),
            "role",
        ),
        (
            json!({"login": "r2", "password": "long-enough-1", "role": "observer"}),
            "scope",
        ),
        (
            json!({"login": "r3", "password": "long-enough-1", "role": "observer", "scope": "nowhere"}),
            "scope",
        ),
        (
            json!({"login": "new-observer", "password": "long-enough-1", "role": "observer", "scope": "mun"}),
            "login",
        ),
    ] {
        let res = call_json(&app, "POST", "/api/v1/users", &official, &body).await;
        if field == "login" && body["login"] == "new-observer" {
            assert_error(res, 409, "already_exists").await;
            continue;
        }
        let err = assert_error(res, 422, "invalid_user").await;
        assert_eq!(err["error"]["details"]["field"], field, "{body}: {err}");
    }
    let res = call(&app, "POST", "/api/v1/users", None, Body::Json("{}")).await;
    assert_error(res, 401, "unauthorized").await;
    let res = call(&app, "GET", "/api/v1/users", None, Body::Empty).await;
    assert_error(res, 401, "unauthorized").await;

    // Lists: an official sees the accounts of the subtree, never an admin; an admin sees all.
    assert_eq!(
        logins(&app, &official).await,
        [
            "new-observer",
            "new-official",
            "new-operator",
            "observer-mun",
            "official-mun",
            "operator-a"
        ]
    );
    let all = logins(&app, &admin).await;
    assert!(
        all.contains(&"boss".to_owned()) && all.contains(&"test-admin".to_owned()),
        "{all:?}"
    );
    assert_eq!(all.len(), 8, "{all:?}");
    let list = ok_json(
        call(&app, "GET", "/api/v1/users", Some(&admin), Body::Empty).await,
        200,
    )
    .await;
    assert!(!list.to_string().contains("argon2"), "no hashes: {list}");
}

async fn disabling_a_user_or_changing_the_password_refuses_earlier_tokens_at_once(
    backend: Backend,
) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let admin = app.admin_token().await;
    let official = user_token(&app, "official-reg", "official", "reg").await;
    let victim = user_token(&app, "victim", "official", "inst-a").await;
    let q = [("org", "inst-a"), ("questionnaire", "express")];
    assert_eq!(app.get_stats(Some(&victim), &q).await.status(), 200);
    let patch = |token: &str, login: &str, body: Value| {
        let (token, path) = (token.to_owned(), format!("/api/v1/users/{login}"));
        let app = &app;
        async move { call_json(app, "PATCH", &path, &token, &body).await }
    };

    // Act: disable.
    let res = patch(&official, "victim", json!({"active": false})).await;

    // Assert: the next request of the old token is refused, and so is a login.
    let body = ok_json(res, 200).await;
    assert_eq!(body["user"]["active"], false, "{body}");
    assert_error(app.get_stats(Some(&victim), &q).await, 401, "token_revoked").await;
    assert_error(
        app.post_login("victim", "victim-password").await,
        401,
        "invalid_credentials",
    )
    .await;
    let listed = ok_json(
        call(&app, "GET", "/api/v1/users", Some(&official), Body::Empty).await,
        200,
    )
    .await;
    assert!(
        listed["users"]
            .as_array()
            .expect("users")
            .iter()
            .any(|u| u["login"] == "victim" && u["active"] == false),
        "{listed}"
    );
    // Enabling again lets the user log in; the old token stays refused.
    ok_json(
        patch(&official, "victim", json!({"active": true})).await,
        200,
    )
    .await;
    assert_error(app.get_stats(Some(&victim), &q).await, 401, "token_revoked").await;
    let victim = app.login("victim", "victim-password").await;
    assert_eq!(app.get_stats(Some(&victim), &q).await.status(), 200);

    // A password change refuses the earlier token; the new password works, the old does not.
    ok_json(
        patch(
            &official,
            "victim",
            json!({"password": "brand-new-password"}),
        )
        .await,
        200,
    )
    .await;
    assert_error(app.get_stats(Some(&victim), &q).await, 401, "token_revoked").await;
    assert_error(
        app.post_login("victim", "victim-password").await,
        401,
        "invalid_credentials",
    )
    .await;
    let victim = app.login("victim", "brand-new-password").await;
    assert_eq!(app.get_stats(Some(&victim), &q).await.status(), 200);

    // Refusals.
    let res = patch(&official, "victim", json!({"password": "short"})).await;
    let err = assert_error(res, 422, "invalid_user").await;
    assert_eq!(err["error"]["details"]["field"], "password", "{err}");
    let res = patch(&official, "victim", json!({})).await;
    assert_error(res, 422, "invalid_user").await;
    let res = patch(&admin, "test-admin", json!({"active": false})).await;
    let err = assert_error(res, 422, "invalid_user").await;
    assert_eq!(err["error"]["details"]["field"], "active", "{err}");
    let res = patch(&official, "official-reg", json!({"active": false})).await;
    assert_error(res, 422, "invalid_user").await;
    let res = patch(&official, "test-admin", json!({"active": false})).await;
    assert_error(res, 403, "forbidden").await;
    let res = patch(&victim, "official-reg", json!({"active": false})).await;
    assert_error(res, 403, "out_of_scope").await;
    let res = patch(&official, "nobody", json!({"active": false})).await;
    assert_error(res, 404, "unknown_user").await;
    let res = patch(&official, "victim", json!({"role": "admin"})).await;
    assert_error(res, 400, "malformed_json").await;
    let res = call(
        &app,
        "PATCH",
        "/api/v1/users/victim",
        None,
        Body::Json("{\"active\": false}"),
    )
    .await;
    assert_error(res, 401, "unauthorized").await;
    assert_eq!(
        app.get_stats(Some(&victim), &q).await.status(),
        200,
        "refusals changed nothing"
    );

    // A deleted user's token is refused the same way.
    app.sql
        .execute("delete from users where login = 'victim'")
        .await;
    assert_error(app.get_stats(Some(&victim), &q).await, 401, "token_revoked").await;
    assert_eq!(
        app.get_stats(Some(&official), &q).await.status(),
        200,
        "others unaffected"
    );
}

async fn a_user_disabled_on_one_instance_is_refused_on_another_at_once(backend: Backend) {
    // Arrange: a second server process on the same database (they share the token secret).
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let admin = app.admin_token().await;
    let victim = user_token(&app, "victim", "official", "inst-a").await;
    let other = ServeProcess::start(&app.db_url, &[]).await;
    let stats_there = |token: &str| {
        app.client
            .get(format!("{}/api/v1/stats", other.address))
            .query(&[("org", "inst-a"), ("questionnaire", "express")])
            .bearer_auth(token)
            .send()
    };
    assert_eq!(stats_there(&victim).await.expect("GET").status(), 200);

    // Act: disabled through this instance …
    let res = call_json(
        &app,
        "PATCH",
        "/api/v1/users/victim",
        &admin,
        &json!({"active": false}),
    )
    .await;
    ok_json(res, 200).await;

    // Assert: … refused by the other on its very next request.
    let res = stats_there(&victim).await.expect("GET");
    assert_error(res, 401, "token_revoked").await;
    assert_eq!(stats_there(&admin).await.expect("GET").status(), 200);
}
