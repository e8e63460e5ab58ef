//! The public API as the PWA and integrators see it (`contract.md` §3, §5): points with their
//! questionnaire and siblings, questionnaire versions, life situations, the OpenAPI document,
//! `/healthz`, and the security headers.
//!
//! Long because it checks every public route and the OpenAPI document against the route list both
//! ways.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, spawn_app_with, Backend};
use crate::on_both_backends;

on_both_backends!(
    a_point_answers_with_its_org_questionnaire_and_siblings,
    questionnaire_versions_are_public_and_immutable,
    the_ten_life_situations_are_listed_with_their_numbers_and_stages,
    openapi_health_and_security_headers_are_served,
    the_survey_page_carries_the_first_question_and_the_point,
    a_served_path_asked_with_another_method_answers_405_with_allow,
);

async fn json_of(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.expect("a JSON body");
    assert_eq!(status, 200, "{body}");
    body
}

fn siblings(body: &Value) -> BTreeSet<(String, String, u64)> {
    body["siblings"]
        .as_array()
        .unwrap_or_else(|| panic!("siblings is a list: {body}"))
        .iter()
        .map(|s| {
            (
                s["code"].as_str().expect("code").to_owned(),
                s["questionnaire"]
                    .as_str()
                    .expect("questionnaire")
                    .to_owned(),
                s["version"].as_u64().expect("version"),
            )
        })
        .collect()
}

fn set(items: &[(&str, &str)]) -> BTreeSet<(String, String, u64)> {
    items
        .iter()
        .map(|(c, q)| ((*c).to_owned(), (*q).to_owned(), 1))
        .collect()
}

async fn a_point_answers_with_its_org_questionnaire_and_siblings(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;

    // Act
    let body = json_of(app.get("/api/v1/points/a-express").await).await;

    // Assert
    assert_eq!(
        body["point"],
        json!({"code": "a-express", "life_situation": null, "stage": null})
    );
    assert_eq!(
        body["org"],
        json!({"code": "inst-a", "name": "КЦСОН «Тест», филиал", "tz": "Europe/Moscow"})
    );
    let q = &body["questionnaire"];
    assert_eq!(
        (q["id"].as_str(), q["version"].as_u64()),
        (Some("express"), Some(1))
    );
    assert!(q["title"].as_str().is_some_and(|t| !t.is_empty()), "{q}");
    let questions: Vec<(&str, &str, bool)> = q["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .map(|x| {
            assert!(x["text"].as_str().is_some_and(|t| !t.is_empty()), "{x}");
            (
                x["id"].as_str().expect("id"),
                x["kind"].as_str().expect("kind"),
                x["required"].as_bool().expect("required"),
            )
        })
        .collect();
    assert_eq!(
        questions,
        [
            ("overall", "likert4", true),
            ("nps", "nps", true),
            ("suggestions", "text", false)
        ]
    );
    assert_eq!(
        q["questions"][0]["comment"]["on"],
        json!(["rather_no", "no"]),
        "comment invitations travel with the questions"
    );
    assert_eq!(
        siblings(&body),
        set(&[
            ("a-nsi", "nsi-satisfaction"),
            ("a-nok", "nok-social"),
            ("dep-nsi", "nsi-satisfaction")
        ]),
        "the other points of the institution, departments included"
    );

    let dep = json_of(app.get("/api/v1/points/dep-nsi").await).await;
    assert_eq!(
        dep["point"],
        json!({"code": "dep-nsi", "life_situation": "job-via-employment-centre", "stage": "registration"})
    );
    assert_eq!(
        dep["org"],
        json!({"code": "inst-a-dep", "name": "Отделение на дому", "tz": "Europe/Moscow"})
    );
    assert_eq!(
        siblings(&dep),
        set(&[
            ("a-express", "express"),
            ("a-nsi", "nsi-satisfaction"),
            ("a-nok", "nok-social")
        ])
    );

    let nok = json_of(app.get("/api/v1/points/b-nok").await).await;
    assert_eq!(nok["org"]["tz"], "Asia/Vladivostok");
    assert_eq!(nok["questionnaire"]["id"], "nok-education");
    let filter = nok["questionnaire"]["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .find(|x| x["id"] == "info_stand_used")
        .cloned()
        .expect("the stand filter");
    assert_eq!(
        filter["skip"],
        json!({"when": false, "questions": ["info_stand"]}),
        "skip rules travel with the questions"
    );
    assert_eq!(filter["kind"], "yes_no");
    assert_eq!(
        siblings(&nok),
        set(&[("b-nsi", "nsi-satisfaction"), ("b-core", "nsi-core")])
    );
    let lonely = json_of(app.get("/api/v1/points/c-nok").await).await;
    assert_eq!(lonely["siblings"], json!([]), "no other point, no siblings");

    assert_error(
        app.get("/api/v1/points/no-such-point").await,
        404,
        "unknown_point",
    )
    .await;
}

async fn questionnaire_versions_are_public_and_immutable(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let expected: [(&str, usize, bool); 7] = [
        ("nsi-satisfaction", 7, false),
        ("nsi-core", 6, false),
        ("express", 3, false),
        ("nok-social", 18, true),
        ("nok-health", 18, true),
        ("nok-education", 17, true),
        ("nok-culture", 17, true),
    ];

    for (id, questions, nok) in expected {
        // Act
        let res = app.get(&format!("/api/v1/questionnaires/{id}/1")).await;

        // Assert
        let cache = res
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = json_of(res).await;
        assert_eq!(
            (body["id"].as_str(), body["version"].as_u64()),
            (Some(id), Some(1))
        );
        assert_eq!(
            body["questions"].as_array().map(Vec::len),
            Some(questions),
            "{id}: questions"
        );
        assert_eq!(body["nok"].as_bool().unwrap_or(false), nok, "{id}: nok");
        assert!(
            cache.contains("max-age") && !cache.contains("no-store"),
            "{id}: a published version may be cached: {cache:?}"
        );
    }
    assert_error(
        app.get("/api/v1/questionnaires/express/2").await,
        404,
        "unknown_version",
    )
    .await;
    assert_error(
        app.get("/api/v1/questionnaires/no-such/1").await,
        404,
        "unknown_version",
    )
    .await;
    assert_error(
        app.get("/api/v1/questionnaires/express/one").await,
        400,
        "bad_parameter",
    )
    .await;
}

async fn the_ten_life_situations_are_listed_with_their_numbers_and_stages(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let three_stages = ["before", "visit", "after"].as_slice();
    let care = ["prevention", "diagnosis", "treatment", "rehabilitation"].as_slice();
    let expected: [(u64, &str, &str, &[&str]); 10] = [
        (1, "preschool-care", "education", three_stages),
        (2, "general-education", "education", three_stages),
        (3, "extra-education", "education", three_stages),
        (4, "outpatient-care", "health", care),
        (5, "inpatient-care", "health", care),
        (6, "high-tech-care", "health", care),
        (7, "home-social-service", "social", three_stages),
        (
            8,
            "job-via-employment-centre",
            "employment",
            &[
                "before",
                "registration",
                "job-matching",
                "extra-services",
                "deregistration",
                "after",
            ],
        ),
        (9, "rehab-equipment", "social", three_stages),
        (10, "first-child-payment", "social", three_stages),
    ];

    // Act
    let body = json_of(app.get("/api/v1/life-situations").await).await;

    // Assert
    let list = body["life_situations"].as_array().expect("life_situations");
    assert_eq!(list.len(), 10, "the ten pilot situations");
    for (item, (no, code, direction, stages)) in list.iter().zip(expected) {
        assert_eq!(item["no"], no, "{item}");
        assert_eq!(item["code"], code, "ЖС-{no}");
        assert_eq!(item["direction"], direction, "ЖС-{no}");
        assert!(
            item["name"].as_str().is_some_and(|n| !n.is_empty()),
            "ЖС-{no}"
        );
        let keys: BTreeSet<&str> = item
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        for key in [
            "code",
            "no",
            "direction",
            "name",
            "model_name",
            "boundary",
            "beneficiaries",
            "stages",
        ] {
            assert!(keys.contains(key), "ЖС-{no} has {key}");
        }
        let got: Vec<&str> = item["stages"]
            .as_array()
            .expect("stages")
            .iter()
            .map(|s| {
                assert!(s["name"].as_str().is_some_and(|n| !n.is_empty()), "{s}");
                s["code"].as_str().expect("stage code")
            })
            .collect();
        assert_eq!(got, stages, "ЖС-{no} stages");
    }
    assert_eq!(
        list[7]["model_name"], "Трудоустроиться через Центр занятости населения",
        "ЖС-8 carries its target model"
    );
}

/// Every route the server serves, with its method.
const ROUTES: &[(&str, &str)] = &[
    ("/api/v1/questionnaires", "post"),
    ("/api/v1/questionnaires/{id}", "get"),
    ("/api/v1/responses", "post"),
    ("/api/v1/devices/enrolment-codes", "post"),
    ("/api/v1/devices/enrol", "post"),
    ("/api/v1/devices", "get"),
    ("/api/v1/devices/{device}", "delete"),
    ("/api/v1/stats", "get"),
    ("/api/v1/orgs", "get"),
    ("/api/v1/orgs", "post"),
    ("/api/v1/orgs/import", "post"),
    ("/api/v1/orgs/{code}", "patch"),
    ("/api/v1/points", "get"),
    ("/api/v1/points", "post"),
    ("/api/v1/points/{code}", "patch"),
    ("/api/v1/users", "get"),
    ("/api/v1/users", "post"),
    ("/api/v1/users/{login}", "patch"),
    ("/api/v1/nok/checklists/{org}/{year}", "put"),
    ("/api/v1/nok/checklists/{org}/{year}", "get"),
    ("/api/v1/nok/methodology", "get"),
    ("/api/v1/nsi/targets", "put"),
    ("/api/v1/nsi/targets", "get"),
    ("/api/v1/nsi/baselines", "put"),
    ("/api/v1/nsi/baselines", "get"),
    ("/api/v1/nsi/time-measurements", "post"),
    ("/api/v1/nsi/report", "get"),
    ("/api/v1/nsi/overview", "get"),
    ("/api/v1/export/nsi-report.xlsx", "get"),
    ("/api/v1/trends", "get"),
    ("/api/v1/rankings", "get"),
    ("/api/v1/points/{code}/qr.svg", "get"),
    ("/api/v1/points/{code}/qr.png", "get"),
    ("/api/v1/points/{code}/poster.pdf", "get"),
    ("/api/v1/posters.zip", "get"),
    ("/api/v1/export/stats.csv", "get"),
    ("/api/v1/export/stats.xlsx", "get"),
    ("/api/v1/export/responses.csv", "get"),
    ("/api/v1/export/responses.sqlite", "get"),
    ("/api/v1/comments", "get"),
    ("/api/v1/comments/{response}/{question}/review", "put"),
    ("/api/v1/improvements", "post"),
    ("/api/v1/improvements", "get"),
    ("/api/v1/nsi/stages", "get"),
    ("/api/v1/public/orgs/{org}/answers", "get"),
    ("/api/v1/auth/login", "post"),
    ("/api/v1/points/{code}", "get"),
    ("/api/v1/questionnaires/{id}/{version}", "get"),
    ("/api/v1/life-situations", "get"),
    ("/api/v1/openapi.json", "get"),
    ("/healthz", "get"),
    ("/api/v1/entries", "get"),
];

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn openapi_health_and_security_headers_are_served(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;

    // Act
    let openapi = json_of(app.get("/api/v1/openapi.json").await).await;
    let health = app.get("/healthz").await;

    // Assert
    assert!(
        openapi["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.")),
        "OpenAPI 3: {}",
        openapi["openapi"]
    );
    let paths = openapi["paths"].as_object().expect("paths");
    for &(route, method) in ROUTES {
        assert!(
            paths.get(route).is_some_and(|p| p.get(method).is_some()),
            "openapi.json documents {} {route}",
            method.to_uppercase()
        );
    }
    // ... and everything documented is served: a request with made-up parameters reaches a
    // handler (which may refuse it), never the 404/405 of an unknown route.
    let client = reqwest::Client::new();
    for (route, item) in paths {
        let path = route
            .replace("{version}", "1")
            .replace("{code}", "x")
            .replace("{id}", "x")
            .replace("{device}", "x")
            .replace("{login}", "x")
            .replace("{org}", "x")
            .replace("{response}", "x")
            .replace("{question}", "x")
            .replace("{year}", "2026");
        for method in item.as_object().expect("path item").keys() {
            let method =
                reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
            let res = client
                .request(method.clone(), app.url(&path))
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .expect("a reply");
            let status = res.status().as_u16();
            let body: Value = res.json().await.unwrap_or_default();
            assert!(
                status != 405 && body["error"]["code"] != "not_found",
                "{method} {path} is documented but not served: {status} {body}"
            );
        }
    }
    assert_eq!(health.status(), 200);
    assert_eq!(
        health.json::<Value>().await.expect("JSON"),
        json!({"status": "ok"})
    );

    for path in [
        "/healthz",
        "/api/v1/life-situations",
        "/api/v1/nope",
        "/",
        "/q/a-express",
    ] {
        let res = app.get(path).await;
        assert_ne!(res.status(), 500, "{path}");
        let csp = header(&res, "content-security-policy");
        assert!(
            csp.contains("'wasm-unsafe-eval'") && csp.contains("default-src 'self'"),
            "{path}: CSP {csp:?}"
        );
        assert!(
            !csp.replace("'wasm-unsafe-eval'", "")
                .contains("'unsafe-eval'"),
            "{path}: no plain 'unsafe-eval': {csp:?}"
        );
        assert_eq!(header(&res, "x-content-type-options"), "nosniff", "{path}");
        assert!(
            !header(&res, "referrer-policy").is_empty(),
            "{path}: Referrer-Policy"
        );
        if path.starts_with("/api/") {
            assert_eq!(header(&res, "cache-control"), "no-store", "{path}");
        }
    }
}

async fn a_served_path_asked_with_another_method_answers_405_with_allow(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let client = reqwest::Client::new();
    let cases = [
        ("TRACE", "/api/v1/life-situations", Some("GET")),
        ("DELETE", "/api/v1/responses", Some("POST")),
        ("GET", "/api/v1/devices/some-device", Some("DELETE")),
        ("PUT", "/api/v1/questionnaires/express/1", Some("GET")),
        ("POST", "/healthz", Some("GET, HEAD")),
        ("DELETE", "/q/a-express", Some("GET, HEAD")),
        ("POST", "/r/reg", Some("GET, HEAD")),
        ("PUT", "/r/assets/public.css", Some("GET, HEAD")),
        ("DELETE", "/api/v1/questionnaires", Some("POST")),
        ("GET", "/api/v1/questionnaires/express/1/extra", None),
        ("POST", "/api/v1/nope", None),
    ];

    for (method, path, allow) in cases {
        // Act
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        let res = client
            .request(method.clone(), app.url(path))
            .send()
            .await
            .expect("a reply");

        // Assert
        match allow {
            Some(allow) => {
                assert_eq!(header(&res, "allow"), allow, "{method} {path}");
                assert_error(res, 405, "method_not_allowed").await;
            }
            None => {
                assert_error(res, 404, "not_found").await;
            }
        }
    }
}

/// A stand-in for the built PWA's shell, with the marks the survey page fills in.
const SHELL: &str = "<!doctype html><html lang=\"ru\"><head><title>Отклик</title>\n\
    <!--otklik:head-->\n</head><body>\n<!--otklik:body--><p id=\"boot\">Загрузка…</p>\
    <!--/otklik:body-->\n</body></html>";

async fn the_survey_page_carries_the_first_question_and_the_point(backend: Backend) {
    // Arrange: a PWA directory of its own, so the test does not depend on a PWA build.
    let pwa = tempfile::tempdir().expect("temp dir");
    std::fs::write(pwa.path().join("index.html"), SHELL).expect("shell");
    std::fs::write(
        pwa.path().join("bundles.json"),
        r#"{"citizen":{"glue":"/g-0123456789abcdef.js","wasm":"/w-0123456789abcdef.wasm"}}"#,
    )
    .expect("bundles");
    let dir = pwa.path().to_owned();
    let app = spawn_app_with(backend, move |s| s.serve.pwa_dir = Some(dir)).await;
    app.seed_standard().await;
    let api = json_of(app.get("/api/v1/points/a-express").await).await;

    // Act
    let page = app.get("/q/a-express").await;
    let unknown = app.get("/q/no-such-point").await;

    // Assert
    assert_eq!(page.status(), 200);
    assert!(header(&page, "content-type").starts_with("text/html"));
    assert_eq!(header(&page, "cache-control"), "no-cache");
    assert!(header(&page, "content-security-policy").contains("script-src 'self'"));
    let html = page.text().await.expect("HTML");
    assert!(!html.contains("Загрузка…"), "the placeholder gave way");
    assert!(html.contains("<link rel=\"modulepreload\" href=\"/g-0123456789abcdef.js\">"));
    assert!(html.contains("<h2 class=\"progress\" tabindex=\"-1\">Вопрос 1 из 3</h2>"));
    let first = api["questionnaire"]["questions"][0]["text"]
        .as_str()
        .expect("text");
    assert!(html.contains(&format!("<legend class=\"question-text\">{first}</legend>")));
    let (open, close) = ("id=\"point-data\">", "</script>");
    let start = html.find(open).expect("embedded point") + open.len();
    let data: Value =
        serde_json::from_str(&html[start..start + html[start..].find(close).expect("end")])
            .expect("embedded JSON");
    assert_eq!(data, api, "the page embeds what the API answers");

    assert_eq!(
        unknown.status(),
        200,
        "the app reports an unknown point itself"
    );
    assert_eq!(unknown.text().await.expect("HTML"), SHELL);
}
