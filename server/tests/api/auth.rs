//! Login and the scope rules of `/stats`: 401 without a valid token (another algorithm, a
//! missing or disabled user included), 403 outside the caller's subtree or for operators, 200
//! inside; failed logins throttled per login and client address without a lockout a stranger
//! can cause; a password hash stored at a former cost made again at the next right login.

use chrono::{DateTime, Utc};
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use otklik_server::ratelimit::{FAILURES_PER_CLIENT, FAILURES_PER_LOGIN, LOGIN_WINDOW_SECONDS};
use serde_json::{json, Value};

use crate::helpers::{assert_error, retry_after, spawn_app, spawn_app_with, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    login_answers_a_token_or_401_invalid_credentials,
    stats_need_a_valid_token_and_a_role_and_scope_that_cover_the_org,
    tokens_of_another_algorithm_or_of_a_disabled_or_missing_user_are_refused,
    failed_logins_are_throttled_per_login_and_address_and_a_stranger_cannot_lock_the_owner_out,
    a_hash_stored_at_the_former_cost_is_made_again_at_the_next_right_login,
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

/// The claims of a token for user id `sub` at token `generation`, expiring in `exp_offset_secs`.
fn claims(
    sub: i64,
    role: &str,
    scope: Option<(&str, &str)>,
    exp_offset_secs: i64,
    generation: i64,
) -> Value {
    let now = Utc::now().timestamp();
    json!({
        "sub": sub, "login": "forged", "role": role,
        "scope": scope.map(|(code, _)| code), "scope_path": scope.map(|(_, path)| path),
        "generation": generation, "exp": now + exp_offset_secs, "iat": now - 3600,
    })
}

/// `claims` signed with `secret` by `alg`.
fn signed(alg: Algorithm, claims: &Value, secret: &str) -> String {
    encode(
        &Header::new(alg),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("a token encodes")
}

/// A token signed (HS256) with `secret` for user id `sub` at token generation 0.
fn token(
    sub: i64,
    role: &str,
    scope: Option<(&str, &str)>,
    exp_offset_secs: i64,
    secret: &str,
) -> String {
    signed(
        Algorithm::HS256,
        &claims(sub, role, scope, exp_offset_secs, 0),
        secret,
    )
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

/// `{"alg":"none","typ":"JWT"}`, base64url-encoded: the header of an unsigned token.
const ALG_NONE: &str = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0";

async fn tokens_of_another_algorithm_or_of_a_disabled_or_missing_user_are_refused(
    backend: Backend,
) {
    // Arrange
    let app = spawn_app_with(backend, |s| s.serve.jwt_secret = Some(SECRET.to_owned())).await;
    app.seed_standard().await;
    let admin = app.admin_token().await;
    let id_of = |login: &'static str| {
        let sql = app.sql.clone();
        async move {
            sql.scalar(&format!("select id from users where login = '{login}'"))
                .await
        }
    };
    let q = [("org", "reg"), ("questionnaire", "nsi-satisfaction")];
    let good = claims(id_of("test-admin").await, "admin", None, 3600, 0);
    let hs256 = signed(Algorithm::HS256, &good, SECRET);
    assert_eq!(
        app.get_stats(Some(&hs256), &q).await.status(),
        200,
        "the claims are good: below only the algorithm differs"
    );
    let [_, payload, signature] = hs256.split('.').collect::<Vec<_>>()[..] else {
        panic!("a JWT has three parts: {hs256}");
    };

    // Act and Assert: the same claims under another algorithm are refused.
    for (what, forged) in [
        ("alg none, unsigned", format!("{ALG_NONE}.{payload}.")),
        (
            "alg none with the HS256 signature",
            format!("{ALG_NONE}.{payload}.{signature}"),
        ),
        (
            "HS384 with the right secret",
            signed(Algorithm::HS384, &good, SECRET),
        ),
        (
            "HS512 with the right secret",
            signed(Algorithm::HS512, &good, SECRET),
        ),
    ] {
        let body = assert_error(app.get_stats(Some(&forged), &q).await, 401, "unauthorized").await;
        assert!(body.get("responses").is_none(), "{what}: no figures");
    }

    // A disabled user's tokens are refused: the one it was issued, and one forged with its
    // current token generation (so the refusal is for `active`, not for the generation).
    app.add_user("leaver", "leaver-password", "official", Some("reg"))
        .await;
    let issued = app.login("leaver", "leaver-password").await;
    assert_eq!(app.get_stats(Some(&issued), &q).await.status(), 200);
    let res = app
        .client
        .patch(app.url("/api/v1/users/leaver"))
        .bearer_auth(&admin)
        .json(&json!({"active": false}))
        .send()
        .await
        .expect("PATCH /users/leaver");
    assert_eq!(
        res.status(),
        200,
        "disabling: {}",
        res.text().await.unwrap_or_default()
    );
    let generation = app
        .sql
        .scalar("select token_generation from users where login = 'leaver'")
        .await;
    let reg_path = app.sql.org_path("reg").await;
    let current = claims(
        id_of("leaver").await,
        "official",
        Some(("reg", &reg_path)),
        3600,
        generation,
    );
    for forged in [issued, signed(Algorithm::HS256, &current, SECRET)] {
        assert_error(app.get_stats(Some(&forged), &q).await, 401, "token_revoked").await;
    }

    // A user that no longer exists: the token it was issued is refused.
    app.add_user("gone", "gone-password", "official", Some("reg"))
        .await;
    let issued = app.login("gone", "gone-password").await;
    assert_eq!(app.get_stats(Some(&issued), &q).await.status(), 200);
    app.sql
        .execute("delete from users where login = 'gone'")
        .await;
    assert_error(app.get_stats(Some(&issued), &q).await, 401, "token_revoked").await;
}

/// A stranger's address and the owner's, as a trusted proxy forwards them.
const STRANGER: &str = "203.0.113.66";
const OWNER: &str = "198.51.100.20";

/// `POST /auth/login` from `client` (forwarded by the tests' trusted proxy).
async fn login_from(app: &TestApp, client: &str, login: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", client)
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .expect("POST /auth/login")
}

/// Asserts a 429 `login_throttled` with a `Retry-After` within the throttle's window.
async fn assert_throttled(res: reqwest::Response, what: &str) {
    let wait = retry_after(&res);
    assert_error(res, 429, "login_throttled").await;
    assert!(
        wait.is_some_and(|w| (1..=LOGIN_WINDOW_SECONDS as u64).contains(&w)),
        "{what}: Retry-After within the window, got {wait:?}"
    );
}

async fn failed_logins_are_throttled_per_login_and_address_and_a_stranger_cannot_lock_the_owner_out(
    backend: Backend,
) {
    // Arrange: the tests' own address is a trusted proxy, so each forwarded address is a client.
    let app = spawn_app_with(backend, |s| {
        s.serve.trusted_proxies = vec!["127.0.0.0/8".parse().expect("a CIDR")];
    })
    .await;
    app.seed_standard().await;
    let password = "correct horse battery";
    app.add_user("ivanova", password, "official", Some("inst-a"))
        .await;

    // Act: a stranger guesses the owner's password from one address …
    for guess in 0..FAILURES_PER_LOGIN {
        let res = login_from(&app, STRANGER, "ivanova", &format!("guess-{guess}")).await;
        assert_error(res, 401, "invalid_credentials").await;
    }

    // Assert: … and is refused, even with the right password (a refusal reveals nothing) …
    let res = login_from(&app, STRANGER, "ivanova", password).await;
    assert_throttled(res, "the stranger on the owner's login").await;
    // … while the owner, from her own address, logs in, a typo or two included.
    for typo in ["correct horse", "Correct horse battery"] {
        let res = login_from(&app, OWNER, "ivanova", typo).await;
        assert_error(res, 401, "invalid_credentials").await;
    }
    let res = login_from(&app, OWNER, "ivanova", password).await;
    assert_eq!(res.status(), 200, "the owner is not locked out");

    // Act: the stranger turns to other logins from the same address.
    for i in FAILURES_PER_LOGIN..FAILURES_PER_CLIENT {
        let res = login_from(&app, STRANGER, &format!("user-{i}"), "guess").await;
        assert_error(res, 401, "invalid_credentials").await;
    }

    // Assert: the address's own budget is spent, for every login; the owner still logs in.
    let res = login_from(&app, STRANGER, "someone-else", "guess").await;
    assert_throttled(res, "the stranger on any login").await;
    let res = login_from(&app, OWNER, "ivanova", password).await;
    assert_eq!(res.status(), 200, "the owner is still not locked out");
}

/// "correct horse" hashed with argon2id at 19 MiB and 2 passes, the cost before 2026-12-05.
const FORMER_COST: &str = "$argon2id$v=19$m=19456,t=2,p=1$wgvrCMF7n7SwCKdEhmPccA$oRUR3eEeklqWhlF5txMSnLlRDOjNftHPe8sYJcoQVgs";

async fn a_hash_stored_at_the_former_cost_is_made_again_at_the_next_right_login(backend: Backend) {
    // Arrange: an official whose hash was stored at the former cost.
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    app.add_user("ivanova", "some other words", "official", Some("inst-a"))
        .await;
    app.sql
        .execute(&format!(
            "update users set password_hash = '{FORMER_COST}' where login = 'ivanova'"
        ))
        .await;
    let stored_as = |cost: &str| {
        format!(
            "select count(*) from users where login = 'ivanova' \
             and password_hash like '$argon2id$v=19${cost},p=1$%'"
        )
    };
    let q = [("org", "inst-a"), ("questionnaire", "nsi-satisfaction")];

    // Act and Assert: a wrong password changes nothing.
    assert_error(
        app.post_login("ivanova", "wrong horse").await,
        401,
        "invalid_credentials",
    )
    .await;
    assert_eq!(app.sql.scalar(&stored_as("m=19456,t=2")).await, 1);

    // Act: the right one.
    let first = app.login("ivanova", "correct horse").await;

    // Assert: stored again at the current cost, the same password, the token issued before
    // still good (the token generation untouched).
    assert_eq!(
        app.sql.scalar(&stored_as("m=7168,t=5")).await,
        1,
        "the hash is made again at 7 MiB and 5 passes"
    );
    assert_eq!(app.get_stats(Some(&first), &q).await.status(), 200);
    let second = app.login("ivanova", "correct horse").await;
    assert_eq!(app.get_stats(Some(&second), &q).await.status(), 200);
    // A rehash from a hash no longer stored (a password changed meanwhile) replaces nothing.
    let id = app
        .sql
        .scalar("select id from users where login = 'ivanova'")
        .await;
    let replaced = app
        .state
        .db
        .rehash_password(id, FORMER_COST, FORMER_COST)
        .await
        .expect("the update runs");
    assert!(!replaced, "only a hash still stored is replaced");
    assert_eq!(app.sql.scalar(&stored_as("m=7168,t=5")).await, 1);
    assert_error(
        app.post_login("ivanova", "wrong horse").await,
        401,
        "invalid_credentials",
    )
    .await;
}
