//! Publishing questionnaire versions and frozen measurement (issue 16): a НСИ baseline freezes
//! the questionnaire versions that measured it; their successors keep every core question word
//! for word and may only append an approved auxiliary block; bad or forbidden publications
//! store nothing; the core figures pool the versions unchanged.

use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, Backend, TestApp};
use crate::nsi::{call, json_status};
use crate::on_both_backends;

on_both_backends!(a_baseline_freezes_what_measured_it_and_only_an_auxiliary_block_may_follow);

const PASSWORD: &str = "password-12345";
const LS: &str = "job-via-employment-centre";

/// The published version `v` of nsi-satisfaction, as the public endpoint serves it.
async fn published(app: &TestApp, v: u32) -> reqwest::Response {
    app.get(&format!("/api/v1/questionnaires/nsi-satisfaction/{v}"))
        .await
}

fn auxiliary(id: &str) -> Value {
    json!({"id": id, "kind": "yes_no", "required": false,
           "text": "Пользовались ли Вы электронной очередью?",
           "auxiliary": {"approved_by": "Штаб по НСИ", "approved_at": "2026-10-01"}})
}

fn response(version: u32, process: &str, extra: Option<(&str, Value)>) -> Value {
    let mut answers = vec![json!({"q": "process", "v": process})];
    for q in ["documents", "duration", "simplicity", "support"] {
        answers.push(json!({"q": q, "v": "yes"}));
    }
    answers.push(json!({"q": "nps", "v": 9}));
    if let Some((q, v)) = extra {
        answers.push(json!({"q": q, "v": v}));
    }
    json!({"id": uuid::Uuid::now_v7().to_string(), "point": "dep-nsi",
           "questionnaire": "nsi-satisfaction", "version": version, "channel": "qr",
           "submitted_at": "2026-11-02T10:00:00+03:00", "answers": answers})
}

async fn a_baseline_freezes_what_measured_it_and_only_an_auxiliary_block_may_follow(
    backend: Backend,
) {
    // Arrange: the standard tree, whose `dep-nsi` point runs nsi-satisfaction for ЖС-8.
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let admin = app.admin_token().await;
    app.add_user("official-a", PASSWORD, "official", Some("reg"))
        .await;
    let official = app.login("official-a", PASSWORD).await;
    let v1 = json_status(published(&app, 1).await, 200).await;
    let versions = "/api/v1/questionnaires/nsi-satisfaction";

    // A time baseline is timed, not asked: nothing is frozen by it.
    let time = json!({"org": "reg", "life_situation": LS, "kpi": "time", "value": 21,
                      "unit": "days", "period": "2025Q4", "source": "Хронометраж"});
    json_status(
        call(
            &app,
            "PUT",
            "/api/v1/nsi/baselines",
            Some(&official),
            Some(&time),
        )
        .await,
        200,
    )
    .await;
    let list = json_status(
        call(&app, "GET", versions, Some(&official), None).await,
        200,
    )
    .await;
    assert_eq!(list["versions"][0]["frozen"], Value::Null, "{list}");
    // Before a freeze, a version may reword anything (express is never frozen here).
    let mut express = json_status(app.get("/api/v1/questionnaires/express/1").await, 200).await;
    express["version"] = json!(2);
    express["questions"][0]["text"] = json!("Довольны ли Вы обслуживанием?");
    json_status(
        call(
            &app,
            "POST",
            "/api/v1/questionnaires",
            Some(&admin),
            Some(&express),
        )
        .await,
        201,
    )
    .await;

    // Act: the satisfied baseline freezes nsi-satisfaction v1.
    let satisfied = json!({"org": "reg", "life_situation": LS, "kpi": "satisfied", "value": 46,
                           "period": "2025Q4", "source": "Самооценка"});
    json_status(
        call(
            &app,
            "PUT",
            "/api/v1/nsi/baselines",
            Some(&official),
            Some(&satisfied),
        )
        .await,
        200,
    )
    .await;

    // Assert: frozen, by whom, for what.
    let list = json_status(
        call(&app, "GET", versions, Some(&official), None).await,
        200,
    )
    .await;
    let frozen = &list["versions"][0]["frozen"];
    assert_eq!(frozen["life_situation"], LS, "{list}");
    assert_eq!(frozen["org"], "reg", "{list}");
    assert_eq!(frozen["frozen_by"], "official-a", "{list}");

    // A reworded, removed, or added core question: 422, nothing published.
    let mut reworded = v1.clone();
    reworded["version"] = json!(2);
    reworded["questions"][0]["text"] = json!("Довольны ли Вы процессом?");
    let mut removed = v1.clone();
    removed["version"] = json!(2);
    removed["questions"]
        .as_array_mut()
        .expect("questions")
        .remove(1);
    let mut added = v1.clone();
    added["version"] = json!(2);
    let mut core = auxiliary("e_queue");
    core.as_object_mut().expect("object").remove("auxiliary");
    added["questions"]
        .as_array_mut()
        .expect("questions")
        .push(core);
    for (what, body) in [
        ("reworded", &reworded),
        ("removed", &removed),
        ("added", &added),
    ] {
        let res = call(
            &app,
            "POST",
            "/api/v1/questionnaires",
            Some(&admin),
            Some(body),
        )
        .await;
        let err = assert_error(res, 422, "frozen_questionnaire").await;
        let message = err["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("frozen"), "{what}: {err}");
    }
    // An auxiliary question without its approval, or a version that skips one: 422.
    let mut unstamped = v1.clone();
    unstamped["version"] = json!(2);
    let mut question = auxiliary("e_queue");
    question["auxiliary"]["approved_by"] = json!("");
    unstamped["questions"]
        .as_array_mut()
        .expect("questions")
        .push(question);
    let res = call(
        &app,
        "POST",
        "/api/v1/questionnaires",
        Some(&admin),
        Some(&unstamped),
    )
    .await;
    assert_error(res, 422, "invalid_questionnaire").await;
    let mut next = v1.clone();
    next["questions"]
        .as_array_mut()
        .expect("questions")
        .push(auxiliary("e_queue"));
    next["version"] = json!(3);
    let res = call(
        &app,
        "POST",
        "/api/v1/questionnaires",
        Some(&admin),
        Some(&next),
    )
    .await;
    assert_error(res, 422, "invalid_questionnaire").await;
    // An official may not publish at all.
    next["version"] = json!(2);
    let res = call(
        &app,
        "POST",
        "/api/v1/questionnaires",
        Some(&official),
        Some(&next),
    )
    .await;
    assert_error(res, 403, "forbidden").await;
    // Nor may an observer or an operator; without a token both calls are refused.
    for (login, role, scope) in [
        ("observer-a", "observer", "reg"),
        ("operator-a", "operator", "inst-a"),
    ] {
        app.add_user(login, PASSWORD, role, Some(scope)).await;
        let token = app.login(login, PASSWORD).await;
        let res = call(
            &app,
            "POST",
            "/api/v1/questionnaires",
            Some(&token),
            Some(&next),
        )
        .await;
        assert_error(res, 403, "forbidden").await;
    }
    let res = call(&app, "POST", "/api/v1/questionnaires", None, Some(&next)).await;
    assert_error(res, 401, "unauthorized").await;
    assert_error(
        call(&app, "GET", versions, None, None).await,
        401,
        "unauthorized",
    )
    .await;
    assert_eq!(
        published(&app, 2).await.status(),
        404,
        "nothing was published"
    );

    // The same core with an approved auxiliary block appended: published.
    let reply = json_status(
        call(
            &app,
            "POST",
            "/api/v1/questionnaires",
            Some(&admin),
            Some(&next),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(reply["questionnaire"]["version"], 2, "{reply}");
    let list = json_status(
        call(&app, "GET", versions, Some(&official), None).await,
        200,
    )
    .await;
    assert_eq!(
        list["versions"][1]["auxiliary"],
        json!(["e_queue"]),
        "{list}"
    );
    assert_eq!(list["versions"][1]["frozen"], Value::Null, "{list}");
    // Next quarter's block replaces this one's; the frozen core still rules.
    let mut v3 = next.clone();
    v3["version"] = json!(3);
    v3["questions"].as_array_mut().expect("questions").pop();
    v3["questions"]
        .as_array_mut()
        .expect("questions")
        .push(auxiliary("site_booking"));
    json_status(
        call(
            &app,
            "POST",
            "/api/v1/questionnaires",
            Some(&admin),
            Some(&v3),
        )
        .await,
        201,
    )
    .await;

    // The core figures pool the versions as before: one satisfied answer on v1, one
    // dissatisfied on v2 whose auxiliary answer the core share never sees.
    let results = app
        .submit(
            &[
                response(1, "yes", None),
                response(2, "no", Some(("e_queue", json!(true)))),
            ],
            None,
        )
        .await;
    assert!(
        results.iter().all(|r| r["status"] == "created"),
        "{results:?}"
    );
    let stats = app
        .stats(
            &official,
            &[
                ("org", "reg"),
                ("questionnaire", "nsi-satisfaction"),
                ("point", "dep-nsi"),
            ],
        )
        .await;
    assert_eq!(stats["questions"]["process"]["n"], 2, "{stats}");
    assert_eq!(
        stats["questions"]["process"]["satisfied_pct"], 50.0,
        "{stats}"
    );
    assert_eq!(stats["questions"]["e_queue"]["n"], 1, "{stats}");
}
