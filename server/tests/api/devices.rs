//! Kiosk devices (contract §6): enrolment codes, device tokens on kiosk uploads, sequence gaps,
//! staff upload of a tablet's exported queue, revocation.

use serde_json::{json, Value};

use crate::data;
use crate::helpers::{
    assert_error, run_cli, spawn_app, spawn_app_with, Backend, TestApp, ADMIN_PASSWORD,
};
use crate::on_both_backends;
use crate::posters;

on_both_backends!(
    a_kiosk_enrols_once_uploads_with_its_token_and_gaps_are_listed,
    a_revoked_device_is_refused_whole_and_nothing_is_stored,
    enrolment_codes_are_single_use_and_scoped,
    a_code_comes_with_the_kiosk_address_as_text_and_as_a_qr_code,
);

/// A kiosk response for the `a-express` point.
fn kiosk_item(device: &str, seq: u64) -> Value {
    let mut item = data::express(&data::new_id(), "a-express", "kiosk");
    item["device"] = json!(device);
    item["seq"] = json!(seq);
    item
}

async fn mint(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/devices/enrolment-codes"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("POST enrolment-codes")
}

async fn enrol(app: &TestApp, code: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/devices/enrol"))
        .json(&json!({"code": code, "name": "Планшет у регистратуры"}))
        .send()
        .await
        .expect("POST enrol")
}

async fn devices(app: &TestApp, token: &str, org: &str) -> Vec<Value> {
    let body: Value = app
        .client
        .get(app.url(&format!("/api/v1/devices?org={org}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET devices")
        .json()
        .await
        .expect("devices JSON");
    body["devices"].as_array().cloned().unwrap_or_default()
}

/// Enrols a device for `inst-a` through the API and returns (device id, token).
async fn enrolled(app: &TestApp, admin: &str) -> (String, String) {
    let minted: Value = mint(
        app,
        admin,
        json!({"org": "inst-a", "point": "a-express", "pin": "2468"}),
    )
    .await
    .json()
    .await
    .expect("code JSON");
    let res = enrol(app, minted["code"].as_str().expect("a code")).await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.expect("enrol JSON");
    (
        body["device"].as_str().expect("device").to_owned(),
        body["token"].as_str().expect("token").to_owned(),
    )
}

async fn a_kiosk_enrols_once_uploads_with_its_token_and_gaps_are_listed(backend: Backend) {
    // Arrange: a code minted with the CLI, as an operator would on the server.
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let admin = app.admin_token().await;
    let out = run_cli(
        &app.db_url,
        &[
            "device",
            "code",
            "--org",
            "inst-a",
            "--point",
            "a-express",
            "--pin",
            "1357",
        ],
        None,
    )
    .await;
    assert!(out.success, "device code failed: {}", out.stderr);
    let code = out
        .stdout
        .split_whitespace()
        .last()
        .expect("the code is the last word")
        .to_owned();

    // Act: enrol, then upload seq 1, 2, 5 with the device token, and one without any token.
    let res = enrol(&app, &code).await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.expect("enrol JSON");
    let (device, token) = (
        body["device"].as_str().expect("device"),
        body["token"].as_str().expect("token"),
    );
    assert_eq!(
        (body["org"].as_str(), body["point"].as_str()),
        (Some("inst-a"), Some("a-express"))
    );
    let pin_hash = hex_sha256(&format!("{device}:1357"));
    assert_eq!(
        body["pin_hash"].as_str(),
        Some(pin_hash.as_str()),
        "the kiosk can check the PIN offline"
    );
    let with_token = app
        .submit(
            &[
                kiosk_item(device, 1),
                kiosk_item(device, 2),
                kiosk_item(device, 5),
            ],
            Some(token),
        )
        .await;
    let without = app.submit(&[kiosk_item(device, 3)], None).await;

    // Assert
    assert!(
        with_token.iter().all(|r| r["status"] == "created"),
        "{with_token:?}"
    );
    assert_eq!(without[0]["status"], "rejected");
    assert_eq!(without[0]["error"]["code"], "unauthorized");
    let list = devices(&app, &admin, "reg").await;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["last_seq"], 5);
    assert_eq!(list[0]["received"], 3);
    assert_eq!(list[0]["missing"], json!([[3, 4]]));
    assert_eq!(list[0]["revoked"], false);
    assert!(
        list[0]["last_seen"].is_string(),
        "an upload marks the device as seen"
    );
}

async fn a_revoked_device_is_refused_whole_and_nothing_is_stored(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let admin = app.admin_token().await;
    let (device, token) = enrolled(&app, &admin).await;
    assert_eq!(
        app.submit(&[kiosk_item(&device, 1)], Some(&token)).await[0]["status"],
        "created"
    );
    // A staff member in the device's org may upload the tablet's exported queue.
    app.add_user("op-a", ADMIN_PASSWORD, "operator", Some("inst-a"))
        .await;
    let operator = app.login("op-a", ADMIN_PASSWORD).await;
    assert_eq!(
        app.submit(&[kiosk_item(&device, 2)], Some(&operator)).await[0]["status"],
        "created"
    );
    app.add_user("op-c", ADMIN_PASSWORD, "operator", Some("inst-c"))
        .await;
    let stranger = app.login("op-c", ADMIN_PASSWORD).await;
    let refused = app.submit(&[kiosk_item(&device, 3)], Some(&stranger)).await;
    assert_eq!(
        refused[0]["error"]["code"], "unauthorized",
        "an operator of another org may not"
    );

    // Act
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/devices/{device}")))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("DELETE device");
    assert_eq!(res.status(), 200);
    let before = app.sql.count_responses().await;
    let after_revoke = app
        .post_responses_as(
            &json!({"responses": [kiosk_item(&device, 4)]}),
            Some(&token),
        )
        .await;

    // Assert
    assert_error(after_revoke, 401, "device_revoked").await;
    assert_eq!(
        app.sql.count_responses().await,
        before,
        "nothing is stored for a revoked device"
    );
    assert_eq!(devices(&app, &admin, "inst-a").await[0]["revoked"], true);
}

async fn enrolment_codes_are_single_use_and_scoped(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let admin = app.admin_token().await;
    app.add_user("off-c", ADMIN_PASSWORD, "official", Some("inst-c"))
        .await;
    let official_c = app.login("off-c", ADMIN_PASSWORD).await;
    app.add_user("obs", ADMIN_PASSWORD, "observer", Some("reg"))
        .await;
    let observer = app.login("obs", ADMIN_PASSWORD).await;

    // Act / Assert
    let minted: Value = mint(&app, &admin, json!({"org": "inst-a"}))
        .await
        .json()
        .await
        .expect("JSON");
    let pin = minted["pin"].as_str().expect("a generated PIN");
    assert!(
        pin.len() == 6 && pin.chars().all(|c| c.is_ascii_digit()),
        "{pin}"
    );
    let code = minted["code"].as_str().expect("code");
    assert_eq!(enrol(&app, code).await.status(), 201);
    assert_error(enrol(&app, code).await, 410, "code_used").await;
    assert_error(enrol(&app, "NOSUCHCODE").await, 404, "code_unknown").await;
    assert_error(
        mint(&app, &official_c, json!({"org": "inst-a"})).await,
        403,
        "out_of_scope",
    )
    .await;
    assert_error(
        mint(&app, &observer, json!({"org": "inst-a"})).await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        mint(&app, &admin, json!({"org": "inst-a", "pin": "12"})).await,
        422,
        "invalid_pin",
    )
    .await;
    assert_error(
        mint(&app, &admin, json!({"org": "reg"})).await,
        422,
        "invalid_org",
    )
    .await;
    let unauthenticated = app
        .client
        .post(app.url("/api/v1/devices/enrolment-codes"))
        .json(&json!({"org": "inst-a"}))
        .send()
        .await
        .expect("POST");
    assert_error(unauthenticated, 401, "unauthorized").await;
    assert_error(
        app.client
            .get(app.url("/api/v1/devices?org=inst-a"))
            .bearer_auth(&official_c)
            .send()
            .await
            .expect("GET"),
        403,
        "out_of_scope",
    )
    .await;
}

async fn a_code_comes_with_the_kiosk_address_as_text_and_as_a_qr_code(backend: Backend) {
    // Arrange: a public URL with a trailing slash, which is not part of the address.
    let app = spawn_app_with(backend, |s| {
        s.common.public_url = Some("https://otklik.example.ru/".into());
    })
    .await;
    app.seed_standard().await;
    let admin = app.admin_token().await;
    let dir = tempfile::tempdir().expect("a temp dir");

    // Act
    let res = mint(&app, &admin, json!({"org": "inst-a"})).await;
    assert_eq!(res.status(), 201);
    let minted: Value = res.json().await.expect("code JSON");

    // Assert: the address carries the code; the QR, rendered by librsvg, scans to it; and the
    // code still enrols (the address is a way to type it, not another credential).
    let code = minted["code"].as_str().expect("a code");
    let url = format!("https://otklik.example.ru/kiosk?code={code}");
    assert_eq!(minted["kiosk_url"].as_str(), Some(url.as_str()));
    assert!(minted["pin"].as_str().is_some_and(|p| p.len() == 6));
    let svg = minted["qr_svg"].as_str().expect("an SVG");
    let (svg_file, png_file) = (dir.path().join("code.svg"), dir.path().join("code.png"));
    std::fs::write(&svg_file, svg).expect("write the SVG");
    posters::run(
        "rsvg-convert",
        &[
            "-w",
            "400",
            "-o",
            posters::path(&png_file),
            posters::path(&svg_file),
        ],
    )
    .await;
    assert_eq!(posters::zbar(&png_file).await, [url]);
    assert_eq!(enrol(&app, code).await.status(), 201);
}

fn hex_sha256(s: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(s.as_bytes()))
}
