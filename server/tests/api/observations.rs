//! Expert walk-throughs («контрольная закупка», channel `observation`): who may record them
//! (admins, officials, the expert group's observers; not operators, and observers nothing
//! else), their own figures on `GET /api/v1/observations` equal to an independent recount of
//! the walk-throughs alone, and citizens' `/stats` unchanged by them.

use serde_json::{json, Value};

use crate::data::{self, new_id, utc, Generator};
use crate::entries::post;
use crate::helpers::{
    assert_error, outcome, spawn_app, statuses, Backend, TestApp, STANDARD_POINTS,
};
use crate::on_both_backends;
use crate::stats::{check_question, load_rows, Row};

on_both_backends!(
    walk_throughs_have_their_own_figures_and_leave_citizens_stats_alone,
    walk_throughs_are_recorded_by_experts_and_officials_only,
    observers_list_points_only_to_record_walk_throughs_and_operators_read_none,
);

const PASSWORD: &str = "observations-password-1";

/// The standard tree with an official and an observer of the region, an observer of `inst-a`
/// only and an operator of `inst-a`: their tokens in that order.
async fn staff(app: &TestApp) -> [String; 4] {
    app.seed_standard().await;
    for (login, role, scope) in [
        ("ivanova", "official", "reg"),
        ("expert", "observer", "reg"),
        ("expert-a", "observer", "inst-a"),
        ("petrov", "operator", "inst-a"),
    ] {
        app.add_user(login, PASSWORD, role, Some(scope)).await;
    }
    [
        app.login("ivanova", PASSWORD).await,
        app.login("expert", PASSWORD).await,
        app.login("expert-a", PASSWORD).await,
        app.login("petrov", PASSWORD).await,
    ]
}

/// `GET /observations` that must succeed.
async fn observations(app: &TestApp, token: &str, query: &[(&str, &str)]) -> Value {
    let res = app.get_as("/api/v1/observations", Some(token), query).await;
    let status = res.status();
    let body: Value = res.json().await.expect("JSON");
    assert_eq!(status, 200, "/observations {query:?}: {body}");
    body
}

/// Generated responses at every standard point through 2026, `channel` each.
fn generated(gen: &mut Generator, channel: &str, per_point: usize) -> Vec<Value> {
    let mut out = Vec::new();
    for (point, _, questionnaire, _) in STANDARD_POINTS {
        let q = data::questionnaire(questionnaire);
        for _ in 0..per_point {
            let at = gen.instant(utc(2026, 1, 1), utc(2026, 11, 20));
            out.push(gen.response(point, &q, channel, at));
        }
    }
    out
}

/// The queries compared: org × questionnaire × range.
fn queries() -> Vec<Vec<(&'static str, &'static str)>> {
    let mut out = Vec::new();
    for org in ["reg", "mun", "inst-a", "inst-b"] {
        for questionnaire in ["nsi-satisfaction", "express", "nok-social", "nsi-core"] {
            for range in [
                None,
                Some(("2026-01-01", "2026-03-31")),
                Some(("2026-04-15", "2026-11-30")),
            ] {
                let mut q = vec![("org", org), ("questionnaire", questionnaire)];
                if let Some((from, to)) = range {
                    q.extend([("from", from), ("to", to)]);
                }
                out.push(q);
            }
        }
    }
    out
}

/// The stored walk-throughs `query` selects, by the test's own reading of it.
fn selected<'a>(rows: &'a [Row], org_path: &str, query: &[(&str, &str)]) -> Vec<&'a Row> {
    let param = |k: &str| query.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
    rows.iter()
        .filter(|r| r.stored.channel == "observation")
        .filter(|r| r.stored.org_path.starts_with(org_path))
        .filter(|r| Some(r.item["questionnaire"].as_str().unwrap_or("")) == param("questionnaire"))
        .filter(|r| param("from").is_none_or(|f| r.local_date >= crate::stats::day(f)))
        .filter(|r| param("to").is_none_or(|t| r.local_date <= crate::stats::day(t)))
        .collect()
}

async fn walk_throughs_have_their_own_figures_and_leave_citizens_stats_alone(backend: Backend) {
    // Arrange: citizens' answers (QR and paper), and the figures they give.
    let app = spawn_app(backend).await;
    let [official, expert, _, _] = staff(&app).await;
    let mut gen = Generator::new(2027);
    let anonymous = generated(&mut gen, "qr", 60);
    for chunk in anonymous.chunks(400) {
        app.submit(chunk, None).await;
    }
    let paper = generated(&mut gen, "paper", 10);
    post(&app, &official, &paper, Some("Пачка 1")).await;
    let mut before = Vec::new();
    for q in queries() {
        before.push(app.stats(&official, &q).await);
    }

    // Act: the expert group walks through in two batches, an official in one.
    let walks = generated(&mut gen, "observation", 12);
    let third = |k: usize| -> Vec<Value> {
        walks
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 3 == k)
            .map(|(_, w)| w.clone())
            .collect()
    };
    let (first, second, by_official) = (third(0), third(1), third(2));
    for (token, batch, label) in [
        (&expert, &first, "Контрольная закупка 1"),
        (&expert, &second, "Контрольная закупка 2"),
        (&official, &by_official, "Обход руководителя"),
    ] {
        let results = post(&app, token, batch, Some(label)).await;
        assert!(
            results.iter().all(|r| r["status"] == "created"),
            "{label}: {results:?}"
        );
    }

    // Assert: citizens' figures are exactly as before; the channel split names the
    // walk-throughs apart.
    let rows = load_rows(&app).await;
    for (q, before) in queries().into_iter().zip(before) {
        let mut after = app.stats(&official, &q).await;
        let path = app.sql.org_path(q[0].1).await;
        let walked = selected(&rows, &path, &q).len() as u64;
        let observed = after["channels"]
            .as_object_mut()
            .expect("channels")
            .remove("observation");
        assert_eq!(
            observed.and_then(|v| v.as_u64()).unwrap_or(0),
            walked,
            "{q:?}"
        );
        let mut before = before;
        before["channels"]
            .as_object_mut()
            .expect("channels")
            .remove("observation");
        assert_eq!(after, before, "citizens' /stats moved for {q:?}");
    }

    // … and the walk-throughs' figures are their own recount, for whoever reads results.
    let mut walked_somewhere = 0;
    for q in queries() {
        let path = app.sql.org_path(q[0].1).await;
        let mine = selected(&rows, &path, &q);
        walked_somewhere += mine.len();
        let reply = observations(&app, &expert, &q).await;
        let figures = &reply["figures"];
        let ctx = format!("{q:?}");
        assert_eq!(figures["responses"], json!(mine.len()), "{ctx}");
        assert_eq!(figures["nok"], Value::Null, "{ctx}");
        let channels = if mine.is_empty() {
            json!({})
        } else {
            json!({"observation": mine.len()})
        };
        assert_eq!(figures["channels"], channels, "{ctx}");
        let questionnaire = data::questionnaire(q[1].1);
        for question in &questionnaire.questions {
            check_question(&ctx, question, &mine, &figures["questions"][&question.id]);
        }
        // The batches hold exactly these walk-throughs.
        let listed: u64 = reply["batches"]
            .as_array()
            .expect("batches")
            .iter()
            .map(|b| b["responses"].as_u64().expect("a count"))
            .sum();
        assert_eq!(listed, mine.len() as u64, "{ctx}: {reply}");
    }
    assert!(walked_somewhere > 0, "the recount compared walk-throughs");

    // Who recorded a batch: an observer sees their own name and no one else's; an official
    // sees every name.
    let q = [("org", "reg"), ("questionnaire", "nsi-satisfaction")];
    let who = |reply: &Value| {
        let mut got: Vec<(String, Value)> = reply["batches"]
            .as_array()
            .expect("batches")
            .iter()
            .map(|b| {
                (
                    b["entry_batch"].as_str().unwrap_or_default().to_owned(),
                    b["entered_by"].clone(),
                )
            })
            .collect();
        got.sort_by(|a, b| a.0.cmp(&b.0));
        got
    };
    assert_eq!(
        who(&observations(&app, &expert, &q).await),
        [
            ("Контрольная закупка 1".to_owned(), json!("expert")),
            ("Контрольная закупка 2".to_owned(), json!("expert")),
            ("Обход руководителя".to_owned(), Value::Null),
        ]
    );
    assert_eq!(
        who(&observations(&app, &official, &q).await),
        [
            ("Контрольная закупка 1".to_owned(), json!("expert")),
            ("Контрольная закупка 2".to_owned(), json!("expert")),
            ("Обход руководителя".to_owned(), json!("ivanova")),
        ]
    );
}

async fn walk_throughs_are_recorded_by_experts_and_officials_only(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let [official, expert, expert_a, operator] = staff(&app).await;
    let admin = app.admin_token().await;
    let item = |point: &str, channel: &str| {
        let mut item = data::nsi_satisfaction(&new_id(), point);
        item["channel"] = json!(channel);
        item
    };
    let created = || outcome("created", None);
    let refused = |code| outcome("rejected", Some(code));

    // Act and Assert: who sends what, and what becomes of it.
    let cases = [
        ("observer", &expert, item("a-nsi", "observation"), created()),
        (
            "observer of inst-a",
            &expert_a,
            item("a-nsi", "observation"),
            created(),
        ),
        (
            "official",
            &official,
            item("b-nsi", "observation"),
            created(),
        ),
        ("admin", &admin, item("b-nsi", "observation"), created()),
        // The expert group walks through; it keys in no one's paper, phone or interview.
        (
            "observer",
            &expert,
            item("a-nsi", "paper"),
            refused("forbidden"),
        ),
        (
            "observer",
            &expert,
            item("a-nsi", "phone"),
            refused("forbidden"),
        ),
        (
            "observer",
            &expert,
            item("a-nsi", "interview"),
            refused("forbidden"),
        ),
        // A point outside the observer's scope.
        (
            "observer of inst-a",
            &expert_a,
            item("b-nsi", "observation"),
            refused("out_of_scope"),
        ),
        // Operators key in paper and phone; walk-throughs are not theirs.
        (
            "operator",
            &operator,
            item("a-nsi", "observation"),
            refused("forbidden"),
        ),
        ("operator", &operator, item("a-nsi", "paper"), created()),
        ("operator", &operator, item("a-nsi", "phone"), created()),
    ];
    for (who, token, item, want) in cases {
        let results = post(&app, token, std::slice::from_ref(&item), Some("пачка")).await;
        assert_eq!(
            statuses(&results),
            [want],
            "{who} sending {}: {results:?}",
            item["channel"]
        );
    }
    assert_eq!(
        app.sql
            .scalar("select count(*) from responses where channel = 'observation'")
            .await,
        4,
        "only the accepted walk-throughs are stored"
    );
}

async fn observers_list_points_only_to_record_walk_throughs_and_operators_read_none(
    backend: Backend,
) {
    // Arrange
    let app = spawn_app(backend).await;
    let [official, expert, expert_a, operator] = staff(&app).await;
    app.add_orgs(&[("reg-b", "Другая область", "region", None, None, None)])
        .await;
    let figures = [("org", "inst-a"), ("questionnaire", "express")];
    let codes = |body: Value| {
        let mut codes: Vec<String> = body["points"]
            .as_array()
            .unwrap_or_else(|| panic!("points: {body}"))
            .iter()
            .filter_map(|p| p["code"].as_str().map(str::to_owned))
            .collect();
        codes.sort();
        codes
    };

    // Act and Assert: the points to record walk-throughs at, in scope only.
    let res = app
        .get_as(
            "/api/v1/observations/points",
            Some(&expert_a),
            &[("org", "inst-a")],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        codes(res.json().await.expect("JSON")),
        ["a-express", "a-nok", "a-nsi", "dep-nsi"]
    );
    let res = app
        .get_as(
            "/api/v1/observations/points",
            Some(&official),
            &[("org", "inst-b")],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        codes(res.json().await.expect("JSON")),
        ["b-core", "b-nok", "b-nsi"]
    );
    for (who, token, path, query, status, code) in [
        // The observer's point list is for walk-throughs only: the officials' list stays closed.
        (
            "observer",
            &expert,
            "/api/v1/points",
            &[("org", "reg")][..],
            403,
            "forbidden",
        ),
        (
            "observer of inst-a",
            &expert_a,
            "/api/v1/observations/points",
            &[("org", "inst-b")][..],
            403,
            "out_of_scope",
        ),
        (
            "observer of inst-a",
            &expert_a,
            "/api/v1/observations/points",
            &[("org", "reg")][..],
            403,
            "out_of_scope",
        ),
        (
            "operator",
            &operator,
            "/api/v1/observations/points",
            &[("org", "inst-a")][..],
            403,
            "forbidden",
        ),
        (
            "official",
            &official,
            "/api/v1/observations/points",
            &[("org", "reg-b")][..],
            403,
            "out_of_scope",
        ),
        (
            "official",
            &official,
            "/api/v1/observations/points",
            &[("org", "nowhere")][..],
            404,
            "unknown_org",
        ),
        // The figures are results: operators read none, and nobody outside their scope.
        (
            "operator",
            &operator,
            "/api/v1/observations",
            &figures[..],
            403,
            "forbidden",
        ),
        (
            "observer of inst-a",
            &expert_a,
            "/api/v1/observations",
            &[("org", "inst-b"), ("questionnaire", "express")][..],
            403,
            "out_of_scope",
        ),
        (
            "official",
            &official,
            "/api/v1/observations",
            &[("org", "reg-b"), ("questionnaire", "express")][..],
            403,
            "out_of_scope",
        ),
        (
            "official",
            &official,
            "/api/v1/observations",
            &[("org", "nowhere"), ("questionnaire", "express")][..],
            404,
            "unknown_org",
        ),
        (
            "official",
            &official,
            "/api/v1/observations",
            &[("org", "reg"), ("questionnaire", "nothing")][..],
            404,
            "unknown_questionnaire",
        ),
        (
            "official",
            &official,
            "/api/v1/observations",
            &[
                ("org", "reg"),
                ("questionnaire", "express"),
                ("from", "2026-13-01"),
            ][..],
            400,
            "bad_parameter",
        ),
    ] {
        let res = app.get_as(path, Some(token), query).await;
        let body = assert_error(res, status, code).await;
        assert!(
            !body.to_string().contains("Другая"),
            "{who} {path} {query:?}: {body}"
        );
    }
    for path in ["/api/v1/observations", "/api/v1/observations/points"] {
        assert_error(app.get_as(path, None, &figures).await, 401, "unauthorized").await;
    }
    // An observer of one institution reads its walk-throughs.
    let reply = observations(&app, &expert_a, &figures).await;
    assert_eq!(reply["figures"]["responses"], json!(0), "{reply}");
    assert_eq!(reply["batches"], json!([]));
}
