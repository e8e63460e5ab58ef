//! The security headers on every kind of response: API JSON, every error status (a forced 500
//! included), the PWA's files, the server-made pages (`/q/<point>`, `/r/<org>`; HEAD as GET) and posters;
//! `Strict-Transport-Security` exactly when the public URL is https.

use serde_json::json;

use crate::data::{self, new_id};
use crate::helpers::{spawn_app_with, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(every_response_carries_the_security_headers_and_hsts_only_under_https);

/// A stand-in for the built PWA, so the test does not depend on a PWA build.
const PWA_FILES: [(&str, &str); 5] = [
    (
        "index.html",
        "<!doctype html><html lang=\"ru\"><head><title>Отклик</title>\n<!--otklik:head-->\n\
         </head><body>\n<!--otklik:body--><p>Загрузка…</p><!--/otklik:body-->\n</body></html>",
    ),
    (
        "service-worker.js",
        "self.addEventListener('fetch', () => {});",
    ),
    ("manifest.webmanifest", "{\"name\": \"Отклик\"}"),
    ("otklik_pwa-0123456789abcdef.wasm", "\0asm"),
    (
        "bundles.json",
        r#"{"citizen":{"glue":"/g-0123456789abcdef.js","wasm":"/otklik_pwa-0123456789abcdef.wasm"}}"#,
    ),
];

const STATS_OF_REG: &str = "/api/v1/stats?org=reg&questionnaire=express";
const STATS_OF_NOWHERE: &str = "/api/v1/stats?org=nowhere&questionnaire=express";
const POSTER: &str = "/api/v1/points/a-express/poster.pdf";

/// Asks `app` for one representative of every kind of response and checks each one's headers;
/// returns how many were checked.
async fn check_every_kind(app: &TestApp, https: bool) -> usize {
    let admin = app.admin_token().await;
    let qr = || json!({"responses": [data::express(&new_id(), "a-express", "qr")]});
    let login = json!({"login": "test-admin", "password": "wrong"});
    // (method, path, admin's bearer, JSON body — a JSON string standing for a raw body —,
    // expected status); the anonymous limit is 1 a minute, so the second qr response is the 429.
    let cases: Vec<(&str, &str, bool, Option<serde_json::Value>, u16)> = vec![
        ("GET", "/healthz", false, None, 200),
        ("GET", "/api/v1/openapi.json", false, None, 200),
        ("GET", "/api/v1/points/a-express", false, None, 200),
        ("GET", STATS_OF_REG, true, None, 200),
        ("POST", "/api/v1/responses", false, Some(qr()), 200),
        ("POST", "/api/v1/responses", false, Some(qr()), 429),
        ("POST", "/api/v1/responses", false, Some(json!("{")), 400),
        ("POST", "/api/v1/auth/login", false, Some(login), 401),
        ("GET", STATS_OF_REG, false, None, 401),
        ("GET", STATS_OF_NOWHERE, true, None, 404),
        ("GET", "/api/v1/nope", false, None, 404),
        ("DELETE", "/api/v1/responses", false, None, 405),
        ("GET", "/api/v1/points/a-express/qr.svg", false, None, 200),
        ("GET", "/api/v1/points/a-express/qr.png", false, None, 200),
        ("GET", POSTER, true, None, 200),
        ("GET", "/", false, None, 200),
        ("GET", "/q/a-express", false, None, 200),
        ("GET", "/dashboard", false, None, 200),
        ("GET", "/service-worker.js", false, None, 200),
        ("GET", "/manifest.webmanifest", false, None, 200),
        ("GET", "/otklik_pwa-0123456789abcdef.wasm", false, None, 200),
        ("GET", "/missing-0123456789abcdef.js", false, None, 404),
        ("GET", "/r/reg", false, None, 200),
        ("GET", "/r/nowhere", false, None, 404),
        ("GET", "/r/assets/public.css", false, None, 200),
        ("GET", "/r/assets/public.js", false, None, 200),
    ];
    let mut checked = 0;
    let mut check = |what: String, res: &reqwest::Response| {
        let header = |name: &str| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let csp = header("content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{what}: CSP {csp:?}"
        );
        // Inline code only ever by its hash (the survey page's first question).
        assert!(!csp.contains("unsafe-inline"), "{what}: CSP {csp:?}");
        assert_eq!(
            header("x-content-type-options").as_deref(),
            Some("nosniff"),
            "{what}"
        );
        assert_eq!(
            header("referrer-policy").as_deref(),
            Some("no-referrer"),
            "{what}"
        );
        assert_eq!(header("x-frame-options").as_deref(), Some("DENY"), "{what}");
        let hsts = header("strict-transport-security");
        if https {
            assert_eq!(hsts.as_deref(), Some("max-age=31536000"), "{what}: HSTS");
        } else {
            assert_eq!(hsts, None, "{what}: no HSTS for a plain-HTTP public URL");
        }
        checked += 1;
    };
    for (method, path, auth, body, status) in cases {
        let mut req = app
            .client
            .request(method.parse().expect("a method"), app.url(path))
            .header("accept-encoding", "br, gzip");
        if auth {
            req = req.bearer_auth(&admin);
        }
        req = match body {
            Some(serde_json::Value::String(raw)) => {
                req.header("content-type", "application/json").body(raw)
            }
            Some(value) => req.json(&value),
            None => req,
        };
        let res = req.send().await.expect("a reply");
        let what = format!("{method} {path} ({status})");
        assert_eq!(res.status().as_u16(), status, "{what}");
        check(what, &res);
    }

    // HEAD mirrors GET on the server-made pages: the same status and headers, no body (it was
    // once left to the static fallback: the shell's CSP, and 200 for an unknown org).
    for path in [
        "/q/a-express",
        "/r/reg",
        "/r/nowhere",
        "/r/assets/public.css",
    ] {
        let get = app.client.get(app.url(path)).send().await.expect("a reply");
        let head = app
            .client
            .head(app.url(path))
            .send()
            .await
            .expect("a reply");
        let what = format!("HEAD {path}");
        assert_eq!(head.status(), get.status(), "{what}");
        for name in ["content-type", "content-security-policy", "cache-control"] {
            assert_eq!(
                head.headers().get(name),
                get.headers().get(name),
                "{what}: {name}"
            );
        }
        check(what.clone(), &head);
        assert!(head.bytes().await.expect("a body").is_empty(), "{what}");
    }

    // A 500: a constraint the server does not expect refuses a staff member's paper response.
    app.sql.refuse_new_responses().await;
    let res = app
        .client
        .post(app.url("/api/v1/responses"))
        .bearer_auth(&admin)
        .json(&json!({"responses": [data::express(&new_id(), "a-express", "paper")]}))
        .send()
        .await
        .expect("a reply");
    assert_eq!(res.status(), 500, "the forced failure");
    check("the forced 500".to_owned(), &res);
    checked
}

async fn every_response_carries_the_security_headers_and_hsts_only_under_https(backend: Backend) {
    for https in [true, false] {
        // Arrange
        let pwa = tempfile::tempdir().expect("temp dir");
        for (name, content) in PWA_FILES {
            std::fs::write(pwa.path().join(name), content).expect("a PWA file");
        }
        let dir = pwa.path().to_owned();
        let app = spawn_app_with(backend, move |s| {
            s.serve.pwa_dir = Some(dir);
            s.serve.anon_rate_limit = 1;
            if https {
                s.common.public_url = Some("https://otklik.example.ru".to_owned());
            }
        })
        .await;
        app.seed_standard().await;

        // Act and Assert
        let checked = check_every_kind(&app, https).await;
        assert_eq!(checked, 31, "every case was checked (https: {https})");
    }
}
