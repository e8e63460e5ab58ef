//! Login and the scope rules of `/stats`: 401 without a valid token, 403 outside the caller's
//! subtree or for operators, 200 inside.

use chrono::{DateTime, Utc};
use jsonwebtoken::{encode, EncodingKey, Header};
use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, spawn_app_with, Backend};
use crate::on_both_backends;

on_both_backends!(
    login_answers_a_token_or_401_invalid_credentials,
    stats_need_a_valid_token_and_a_role_and_scope_that_cover_the_org,
);

const SECRET: &str = "test-jwt-secret-that-only-the-tests-know";

async fn login_answers_a_token_or_401_invalid_credentials(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    app.add_user(
        "ivanova",
        "correct horse battery",
        "official",
        Some("inst-a"),
    )
    .await;

    // Act
    let ok = app.post_login("ivanova", "correct horse battery").await;

    // Assert
    assert_eq!(ok.status(), 200);
    let body: Value = ok.json().await.expect("login JSON");
    assert!(
        body["token"]
            .as_str()
            .is_some_and(|t| t.split('.').count() == 3),
        "a JWT: {body}"
    );
    assert_eq!(body["role"], "official", "{body}");
    assert_eq!(body["scope"], "inst-a", "{body}");
    let expires: DateTime<Utc> = body["expires_at"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("expires_at is RFC 3339: {body}"));
    assert!(expires > Utc::now(), "the token expires in the future");

    for (what, login, password) in [
        ("a wrong password", "ivanova", "correct horse battery!"),
        ("an unknown login", "petrov", "correct horse battery"),
        ("an empty password", "ivanova", ""),
    ] {
        let res = app.post_login(login, password).await;
        let www = res
            .headers()
            .get("www-authenticate")
            .map(|v| v.to_str().unwrap_or_default().to_owned());
        assert_error(res, 401, "invalid_credentials").await;
        assert_eq!(www.as_deref(), Some("Bearer"), "{what}: WWW-Authenticate");
    }
    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{\"login\": \"ivanova\"")
        .send()
        .await
        .expect("login");
    assert_error(res, 400, "malformed_json").await;
}

/// A token signed with `secret` for user id `sub` at token generation 0.
fn token(
    sub: i64,
    role: &str,
    scope: Option<(&str, &str)>,
    exp_offset_secs: i64,
    secret: &str,
) -> String {
    let now = Utc::now().timestamp();
    let claims = json!({
        "sub": sub, "login": "forged", "role": role,
        "scope": scope.map(|(code, _)| code), "scope_path": scope.map(|(_, path)| path),
        "generation": 0, "exp": now + exp_offset_secs, "iat": now - 3600,
    });
    encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("a token encodes")
}

async fn stats_need_a_valid_token_and_a_role_and_scope_that_cover_the_org(backend: Backend) {
    // Arrange
    let app = spawn_app_with(backend, |s| s.serve.jwt_secret = Some(SECRET.to_owned())).await;
    app.seed_standard().await;
    let users = [
        ("official-a", "official", Some("inst-a")),
        ("operator-a", "operator", Some("inst-a")),
        ("observer-a", "observer", Some("inst-a")),
        ("official-reg", "official", Some("reg")),
    ];
    let mut tokens = std::collections::HashMap::new();
    for (login, role, scope) in users {
        let password = format!("{login}-password");
        app.add_user(login, &password, role, scope).await;
        tokens.insert(login, app.login(login, &password).await);
    }
    let admin = app.admin_token().await;
    let admin_id = app
        .sql
        .scalar("select id from users where login = 'test-admin'")
        .await;
    let q = |org: &'static str| [("org", org), ("questionnaire", "nsi-satisfaction")];

    // Act and Assert: no or bad credentials …
    assert_error(app.get_stats(None, &q("inst-a")).await, 401, "unauthorized").await;
    for (what, header) in [
        ("a garbage token", "Bearer garbage".to_owned()),
        ("an empty bearer", "Bearer ".to_owned()),
        ("basic auth", "Basic YWRtaW46YWRtaW4=".to_owned()),
        (
            "a token signed with another secret",
            format!(
                "Bearer {}",
                token(admin_id, "admin", None, 3600, "another-secret")
            ),
        ),
    ] {
        let res = app
            .client
            .get(app.url("/api/v1/stats"))
            .query(&q("inst-a"))
            .header("authorization", header)
            .send()
            .await
            .expect("GET /stats");
        let body = assert_error(res, 401, "unauthorized").await;
        assert!(!body.to_string().contains("nsi"), "{what}: no figures leak");
    }
    let expired = token(admin_id, "admin", None, -120, SECRET);
    let res = app.get_stats(Some(&expired), &q("inst-a")).await;
    assert_error(res, 401, "token_expired").await;
    let forged_but_valid = token(admin_id, "admin", None, 3600, SECRET);
    assert_eq!(
        app.get_stats(Some(&forged_but_valid), &q("reg"))
            .await
            .status(),
        200,
        "the same claims unexpired pass: the expired one failed for its expiry"
    );
    // A validly signed token whose user does not exist is refused like a revoked one.
    let nobody = token(admin_id + 1000, "admin", None, 3600, SECRET);
    let res = app.get_stats(Some(&nobody), &q("reg")).await;
    assert_error(res, 401, "token_revoked").await;

    // … then scope and role.
    let cases: [(&str, &str, u16, &str); 14] = [
        ("official-a", "inst-a", 200, ""),
        ("official-a", "inst-a-dep", 200, ""),
        ("official-a", "reg", 403, "out_of_scope"),
        ("official-a", "mun", 403, "out_of_scope"),
        ("official-a", "inst-b", 403, "out_of_scope"),
        ("official-a", "inst-c", 403, "out_of_scope"),
        ("observer-a", "inst-a", 200, ""),
        ("observer-a", "reg", 403, "out_of_scope"),
        ("operator-a", "inst-a", 403, "forbidden"),
        ("operator-a", "reg", 403, "forbidden"),
        ("official-reg", "reg", 200, ""),
        ("official-reg", "inst-b", 200, ""),
        ("admin", "reg", 200, ""),
        ("admin", "inst-a-dep", 200, ""),
    ];
    for (who, org, status, code) in cases {
        let token = if who == "admin" { &admin } else { &tokens[who] };
        let res = app.get_stats(Some(token), &q(org)).await;
        if status == 200 {
            let got = res.status();
            let body: Value = res.json().await.expect("stats JSON");
            assert_eq!(got, 200, "{who} reads {org}: {body}");
            assert_eq!(body["org"], org, "{who} reads {org}");
        } else {
            let body = assert_error(res, status, code).await;
            assert!(
                body.get("responses").is_none(),
                "{who} on {org}: no figures in a refusal"
            );
        }
    }
}
