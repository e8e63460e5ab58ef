//! `GET/POST /api/v1/orgs`, `PATCH /api/v1/orgs/{code}` and the CSV import (API and CLI) as
//! Russian spreadsheet programs save files: every success and every refusal of these routes.

use serde_json::{json, Value};

use crate::helpers::{assert_error, run_cli, spawn_app, Backend, TestApp};
use crate::on_both_backends;
use crate::scope::{call, call_json, ok_json, user_token, Body};

on_both_backends!(
    orgs_are_listed_in_scope_added_below_it_and_corrected,
    org_files_import_in_windows_1251_or_utf8_with_bom_all_or_nothing,
);

fn codes(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .map(|o| o["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn orgs_are_listed_in_scope_added_below_it_and_corrected(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let admin = app.admin_token().await;
    let official = user_token(&app, "official-mun", "official", "mun").await;
    let observer = user_token(&app, "observer-a", "observer", "inst-a").await;
    let operator = user_token(&app, "operator-a", "operator", "inst-a").await;
    let get = |token: &str, path: &str| {
        let token = token.to_owned();
        let path = path.to_owned();
        let app = &app;
        async move { call(app, "GET", &path, Some(&token), Body::Empty).await }
    };

    // Act and Assert: lists.
    let all = ok_json(get(&admin, "/api/v1/orgs").await, 200).await;
    assert_eq!(
        codes(&all["orgs"]),
        ["reg", "mun", "inst-a", "inst-a-dep", "inst-b", "inst-c"]
    );
    assert_eq!(
        all["orgs"][2],
        json!({"code": "inst-a", "name": "КЦСОН «Тест», филиал", "kind": "institution",
               "parent": "mun", "sector": "social", "tz": "Europe/Moscow",
               "settlement": null, "bus_gov_id": null})
    );
    // The shape the dashboard decodes (shared with the PWA) reads the same reply.
    let decoded: otklik_shared::api::OrgsReply =
        serde_json::from_value(all.clone()).expect("the shared OrgsReply shape");
    assert_eq!(
        decoded.orgs[2].kind,
        otklik_shared::org::OrgKind::Institution
    );
    assert_eq!(decoded.orgs[2].parent.as_deref(), Some("mun"));
    let mine = ok_json(get(&official, "/api/v1/orgs").await, 200).await;
    assert_eq!(
        codes(&mine["orgs"]),
        ["mun", "inst-a", "inst-a-dep"],
        "an official's subtree"
    );
    let children = ok_json(get(&admin, "/api/v1/orgs?parent=reg").await, 200).await;
    assert_eq!(codes(&children["orgs"]), ["mun", "inst-b", "inst-c"]);
    for token in [&observer, &operator] {
        let list = ok_json(get(token, "/api/v1/orgs").await, 200).await;
        assert_eq!(codes(&list["orgs"]), ["inst-a", "inst-a-dep"]);
    }
    assert_error(
        get(&official, "/api/v1/orgs?parent=reg").await,
        403,
        "out_of_scope",
    )
    .await;
    assert_error(
        get(&admin, "/api/v1/orgs?parent=nowhere").await,
        404,
        "unknown_org",
    )
    .await;
    let res = call(&app, "GET", "/api/v1/orgs", None, Body::Empty).await;
    assert_error(res, 401, "unauthorized").await;

    // Adding: below the scope only, every field checked by name.
    let new = json!({"code": "mun-school", "name": " Школа № 2 ", "kind": "institution",
                     "parent": "mun", "sector": "education", "settlement": "rural",
                     "bus_gov_id": "123456"});
    let created = ok_json(
        call_json(&app, "POST", "/api/v1/orgs", &official, &new).await,
        201,
    )
    .await;
    assert_eq!(
        created["org"],
        json!({"code": "mun-school", "name": "Школа № 2", "kind": "institution",
               "parent": "mun", "sector": "education", "tz": "Europe/Moscow",
               "settlement": "rural", "bus_gov_id": "123456"})
    );
    let res = call_json(&app, "POST", "/api/v1/orgs", &official, &new).await;
    let err = assert_error(res, 422, "invalid_org").await;
    assert_eq!(
        err["error"]["details"]["field"], "code",
        "an existing code: {err}"
    );
    let region = json!({"code": "reg-2", "name": "Вторая область", "kind": "region"});
    let res = call_json(&app, "POST", "/api/v1/orgs", &official, &region).await;
    assert_error(res, 403, "out_of_scope").await;
    let res = call_json(&app, "POST", "/api/v1/orgs", &observer, &new).await;
    assert_error(res, 403, "forbidden").await;
    ok_json(
        call_json(&app, "POST", "/api/v1/orgs", &admin, &region).await,
        201,
    )
    .await;
    let beside = json!({"code": "x", "name": "X", "kind": "institution", "parent": "reg"});
    let res = call_json(&app, "POST", "/api/v1/orgs", &official, &beside).await;
    assert_error(res, 403, "out_of_scope").await;
    for (body, field) in [
        (
            json!({"code": "d1", "name": "D", "kind": "department", "parent": "inst-a",
                "tz": "Asia/Vladivostok"}),
            "tz",
        ),
        (
            json!({"code": "d2", "name": "D", "kind": "galaxy", "parent": "mun"}),
            "kind",
        ),
        (
            json!({"code": "d3", "name": "", "kind": "institution", "parent": "mun"}),
            "name",
        ),
        (
            json!({"code": "d4", "name": "D", "kind": "institution", "parent": "mun",
                "sector": "space"}),
            "sector",
        ),
        (
            json!({"code": "d5", "name": "D", "kind": "institution", "parent": "mun",
                "tz": "Mars/Olympus"}),
            "tz",
        ),
        (
            json!({"code": "d6", "name": "D", "kind": "department", "parent": "mun"}),
            "parent",
        ),
        (
            json!({"code": "bad code!", "name": "D", "kind": "institution", "parent": "mun"}),
            "code",
        ),
        (
            json!({"name": "D", "kind": "institution", "parent": "mun"}),
            "code",
        ),
    ] {
        let res = call_json(&app, "POST", "/api/v1/orgs", &official, &body).await;
        let err = assert_error(res, 422, "invalid_org").await;
        assert_eq!(err["error"]["details"]["field"], field, "{body}: {err}");
    }
    // A department in its institution's own zone is fine (the rule is about a different one).
    let dep = json!({"code": "d7", "name": "D", "kind": "department", "parent": "inst-a",
                     "tz": "Europe/Moscow"});
    ok_json(
        call_json(&app, "POST", "/api/v1/orgs", &official, &dep).await,
        201,
    )
    .await;
    let res = call(
        &app,
        "POST",
        "/api/v1/orgs",
        Some(&official),
        Body::Json("{\"code\": "),
    )
    .await;
    assert_error(res, 400, "malformed_json").await;

    // Correcting: name, settlement, bus.gov.ru id; null clears; nothing else.
    let patch = json!({"name": "Школа № 2 им. Пушкина", "settlement": null, "bus_gov_id": "777"});
    let patched = ok_json(
        call_json(&app, "PATCH", "/api/v1/orgs/mun-school", &official, &patch).await,
        200,
    )
    .await;
    assert_eq!(patched["org"]["name"], "Школа № 2 им. Пушкина");
    assert_eq!(patched["org"]["settlement"], Value::Null);
    assert_eq!(patched["org"]["bus_gov_id"], "777");
    assert_eq!(
        patched["org"]["sector"], "education",
        "untouched fields stay"
    );
    let listed = ok_json(get(&official, "/api/v1/orgs?parent=mun").await, 200).await;
    let stored = listed["orgs"]
        .as_array()
        .expect("orgs")
        .iter()
        .find(|o| o["code"] == "mun-school")
        .cloned()
        .expect("mun-school listed");
    assert_eq!(stored, patched["org"], "the change is stored");
    for (body, field) in [
        (json!({"settlement": "suburban"}), "settlement"),
        (json!({"name": "  "}), "name"),
        (json!({"bus_gov_id": "9".repeat(65)}), "bus_gov_id"),
    ] {
        let res = call_json(&app, "PATCH", "/api/v1/orgs/mun-school", &official, &body).await;
        let err = assert_error(res, 422, "invalid_org").await;
        assert!(
            err["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains(field),
            "{err}"
        );
    }
    let res = call_json(
        &app,
        "PATCH",
        "/api/v1/orgs/mun-school",
        &official,
        &json!({"tz": "Asia/Omsk"}),
    )
    .await;
    assert_error(res, 400, "malformed_json").await;
    let res = call_json(&app, "PATCH", "/api/v1/orgs/nowhere", &official, &patch).await;
    assert_error(res, 404, "unknown_org").await;
    let res = call_json(&app, "PATCH", "/api/v1/orgs/inst-b", &official, &patch).await;
    assert_error(res, 403, "out_of_scope").await;
    let res = call_json(&app, "PATCH", "/api/v1/orgs/inst-a", &operator, &patch).await;
    assert_error(res, 403, "forbidden").await;
    let res = call(&app, "PATCH", "/api/v1/orgs/inst-a", None, Body::Json("{}")).await;
    assert_error(res, 401, "unauthorized").await;
}

const GOOD_CSV: &str = "code;name;kind;parent;sector;tz;settlement;bus_gov_id\r\n\
                        zar;Заречный район;municipality;reg;;;;\r\n\
                        zar-kcson;\"КЦСОН «Заречье»; филиал\";institution;zar;social;;rural;555\r\n";

async fn import(app: &TestApp, token: &str, bytes: Vec<u8>) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/orgs/import"))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(bytes)
        .send()
        .await
        .expect("POST /orgs/import")
}

async fn org_files_import_in_windows_1251_or_utf8_with_bom_all_or_nothing(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let official = user_token(&app, "official-reg", "official", "reg").await;
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(GOOD_CSV);
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(
        "code,name,kind,parent,sector,tz\nbom-inst,Библиотека «Чтение»,institution,reg,culture,\n"
            .as_bytes(),
    );

    // Act and Assert: Windows-1251 with `;` and CRLF, then UTF-8 with a BOM.
    let added = ok_json(import(&app, &official, cp1251.into_owned()).await, 201).await;
    assert_eq!(codes(&added["orgs"]), ["zar", "zar-kcson"]);
    assert_eq!(added["orgs"][1]["name"], "КЦСОН «Заречье»; филиал");
    assert_eq!(added["orgs"][1]["settlement"], "rural");
    assert_eq!(
        app.sql.org_name("zar-kcson").await.as_deref(),
        Some("КЦСОН «Заречье»; филиал")
    );
    let added = ok_json(import(&app, &official, bom).await, 201).await;
    assert_eq!(added["orgs"][0]["name"], "Библиотека «Чтение»");

    // Bad lines: 422 naming every one, and nothing of the file is stored.
    let bad = "code,name,kind,parent,sector,tz\nok-1,Хорошая,institution,reg,,\n\
               bad-1,Плохая,castle,reg,,\nbad-2,Тоже,institution,reg,,Mars/Base\n";
    let err = assert_error(
        import(&app, &official, bad.into()).await,
        422,
        "invalid_org",
    )
    .await;
    let lines: Vec<(Option<u64>, Option<&str>)> = err["error"]["details"]["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| (e["line"].as_u64(), e["field"].as_str()))
        .collect();
    assert_eq!(
        lines,
        [(Some(3), Some("kind")), (Some(4), Some("tz"))],
        "{err}"
    );
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .starts_with("line 3"),
        "{err}"
    );
    assert_eq!(app.sql.org_name("ok-1").await, None, "all or nothing");
    let ragged = "code;name;kind;parent;sector;tz\r\nr1;R;institution;reg;;\r\nr2;R\r\n";
    let err = assert_error(
        import(&app, &official, ragged.into()).await,
        422,
        "invalid_org",
    )
    .await;
    assert_eq!(err["error"]["details"]["errors"][0]["line"], 3, "{err}");
    let err = assert_error(
        import(&app, &official, b"name,code\n".to_vec()).await,
        422,
        "invalid_org",
    )
    .await;
    assert_eq!(err["error"]["details"]["errors"][0]["line"], 1, "{err}");
    // A row outside the scope refuses the whole file.
    let root = "code,name,kind,parent,sector,tz\nreg-x,Чужая область,region,,,\n";
    assert_error(
        import(&app, &official, root.into()).await,
        403,
        "out_of_scope",
    )
    .await;
    let observer = user_token(&app, "observer-reg", "observer", "reg").await;
    assert_error(
        import(&app, &observer, GOOD_CSV.into()).await,
        403,
        "forbidden",
    )
    .await;
    let res = call(
        &app,
        "POST",
        "/api/v1/orgs/import",
        None,
        Body::Csv(GOOD_CSV),
    )
    .await;
    assert_error(res, 401, "unauthorized").await;

    // The CLI reads the same files.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("orgs.csv");
    let (cli_file, _, _) = encoding_rs::WINDOWS_1251.encode(
        "code;name;kind;parent;sector;tz\r\ncli-inst;Центр «Занятость»;institution;reg;employment;\r\n",
    );
    std::fs::write(&file, &cli_file).expect("write the CSV");
    let path = file.display().to_string();
    let out = run_cli(&app.db_url, &["org", "import", &path], None).await;
    assert!(out.success, "{out:?}");
    assert_eq!(
        app.sql.org_name("cli-inst").await.as_deref(),
        Some("Центр «Занятость»")
    );
    std::fs::write(
        &file,
        "code,name,kind,parent,sector,tz\r\nc2,C,institution,reg,,\r\nc3,C,moon,reg,,\r\n",
    )
    .expect("write the CSV");
    let out = run_cli(&app.db_url, &["org", "import", &path], None).await;
    assert!(!out.success && out.stderr.contains("line 3"), "{out:?}");
    assert_eq!(app.sql.org_name("c2").await, None, "all or nothing");
    let out = run_cli(
        &app.db_url,
        &[
            "org",
            "add",
            "--code",
            "cli-dep",
            "--name",
            "Отдел",
            "--kind",
            "department",
            "--parent",
            "cli-inst",
            "--tz",
            "Asia/Omsk",
        ],
        None,
    )
    .await;
    assert!(
        !out.success && out.stderr.contains("--tz"),
        "a department's own zone: {out:?}"
    );
}
