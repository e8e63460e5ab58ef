//! Exactly-once storage: the same responses sent many times, concurrently, to one or two server
//! instances are stored once; equal payloads are `duplicate`, altered ones `conflict`.
//!
//! Long because each exactly-once scenario (concurrency, two instances, altered payloads) sets up
//! its own load.

use std::collections::HashMap;
use std::sync::Arc;

use otklik_shared::questionnaire::Questionnaire;
use serde_json::{json, Value};

use crate::data::{self, utc, Generator};
use crate::helpers::{
    outcome, run_cli, spawn_app, statuses, Backend, ServeProcess, TestApp, TestDb, STANDARD_POINTS,
};
use crate::on_both_backends;

on_both_backends!(
    ten_thousand_responses_sent_twice_concurrently_by_8_clients_are_stored_exactly_once,
    payloads_equal_after_parsing_are_duplicates_and_change_nothing,
    altered_payloads_under_a_used_id_are_conflicts_and_change_nothing,
    the_same_id_twice_in_one_batch_is_created_then_duplicate_or_conflict,
    a_batch_mixing_new_and_stored_ids_stores_counts_and_logs_only_the_new_ones,
);

const TOTAL: usize = 10_000;
const BATCH: usize = 500;
const CLIENTS: usize = 8;

/// The questionnaires of the standard points.
const QUESTIONNAIRES: [&str; 5] = [
    "express",
    "nsi-satisfaction",
    "nsi-core",
    "nok-social",
    "nok-education",
];

/// The definitions of the standard points' questionnaires, by id.
pub(crate) fn standard_questionnaires() -> HashMap<&'static str, Questionnaire> {
    QUESTIONNAIRES
        .iter()
        .map(|id| (*id, data::questionnaire(id)))
        .collect()
}

/// A valid anonymous response at a random standard point, dated through 2026.
pub(crate) fn any_standard_response(
    gen: &mut Generator,
    questionnaires: &HashMap<&str, Questionnaire>,
) -> Value {
    let (point, _, questionnaire, _) = *gen.pick(&STANDARD_POINTS);
    let channel = *gen.pick(&["qr", "qr", "link"]);
    let at = gen.instant(utc(2026, 1, 1), utc(2026, 11, 20));
    gen.response(point, &questionnaires[questionnaire], channel, at)
}

/// 10,000 valid anonymous responses over every standard point, dated through 2026.
fn ten_thousand_responses() -> Vec<Value> {
    let mut gen = Generator::new(10_000);
    let questionnaires = standard_questionnaires();
    (0..TOTAL)
        .map(|_| any_standard_response(&mut gen, &questionnaires))
        .collect()
}

/// One batch reply: which round and batch it answers, and its results.
struct Reply {
    round: usize,
    batch: usize,
    results: Vec<Value>,
}

/// Sends every batch twice at once: client `k` sends round `k % 2` of the batches `i` with
/// `i % 4 == k / 2`, in order, to `targets[k % targets.len()]`; so both copies of a batch are in
/// flight together (on different instances when there are two).
async fn send_every_batch_twice_concurrently(
    targets: &[String],
    batches: &[Vec<Value>],
) -> Vec<Reply> {
    let bodies: Arc<Vec<String>> = Arc::new(
        batches
            .iter()
            .map(|b| json!({ "responses": b }).to_string())
            .collect(),
    );
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|k| {
            let target = format!("{}/api/v1/responses", targets[k % targets.len()]);
            let bodies = Arc::clone(&bodies);
            tokio::spawn(async move {
                let client = reqwest::Client::builder()
                    .timeout(std::time::Duration::from_secs(300))
                    .build()
                    .expect("HTTP client");
                let (round, group) = (k % 2, k / 2);
                let mut replies = Vec::new();
                for batch in (0..bodies.len()).filter(|i| i % 4 == group) {
                    let res = client
                        .post(&target)
                        .header("content-type", "application/json")
                        .body(bodies[batch].clone())
                        .send()
                        .await
                        .unwrap_or_else(|e| panic!("client {k}: batch {batch} failed: {e}"));
                    let status = res.status();
                    let body: Value = res.json().await.expect("the batch reply is JSON");
                    assert_eq!(status, 200, "client {k}: batch {batch}: {body}");
                    let results = body["results"].as_array().cloned().unwrap_or_default();
                    replies.push(Reply {
                        round,
                        batch,
                        results,
                    });
                }
                replies
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in futures::future::join_all(tasks).await {
        all.extend(task.expect("a client task panicked"));
    }
    all
}

/// Checks the replies: every item created or duplicate, each id created exactly once.
fn assert_each_id_created_exactly_once(items: &[Value], replies: &[Reply]) {
    assert_eq!(
        replies.len(),
        2 * items.len().div_ceil(BATCH),
        "every batch is answered in both rounds"
    );
    let mut created: HashMap<&str, usize> = HashMap::new();
    for reply in replies {
        let sent = &items[reply.batch * BATCH..(reply.batch + 1) * BATCH];
        assert_eq!(
            reply.results.len(),
            sent.len(),
            "round {} batch {}: one result per item",
            reply.round,
            reply.batch
        );
        for (item, result) in sent.iter().zip(&reply.results) {
            assert_eq!(
                result["id"], item["id"],
                "round {} batch {}: results come in request order",
                reply.round, reply.batch
            );
            match result["status"].as_str() {
                Some("created") => {
                    *created
                        .entry(item["id"].as_str().expect("id"))
                        .or_default() += 1
                }
                Some("duplicate") => {}
                other => panic!(
                    "round {} batch {}: item {} came back {other:?}, not created or duplicate: {result}",
                    reply.round, reply.batch, item["id"]
                ),
            }
        }
    }
    let twice: Vec<_> = created.iter().filter(|(_, n)| **n != 1).collect();
    assert!(twice.is_empty(), "ids created more than once: {twice:?}");
    assert_eq!(
        created.len(),
        items.len(),
        "every id is created once across both rounds"
    );
}

/// The sum of `/stats` `responses` over the standard questionnaires for the whole region.
pub(crate) async fn stats_total(app_address: &str, token: &str) -> (u64, HashMap<String, u64>) {
    let client = reqwest::Client::new();
    let mut total = 0;
    let mut per = HashMap::new();
    for q in QUESTIONNAIRES {
        let res = client
            .get(format!("{app_address}/api/v1/stats"))
            .query(&[("org", "reg"), ("questionnaire", q)])
            .bearer_auth(token)
            .send()
            .await
            .expect("GET /stats");
        assert_eq!(res.status(), 200, "/stats for {q}");
        let body: Value = res.json().await.expect("stats JSON");
        let n = body["responses"].as_u64().expect("responses is a count");
        total += n;
        per.insert(q.to_owned(), n);
    }
    (total, per)
}

/// How many of `items` answer each questionnaire.
pub(crate) fn generated_per_questionnaire(items: &[Value]) -> HashMap<String, u64> {
    let mut per = HashMap::new();
    for item in items {
        *per.entry(item["questionnaire"].as_str().expect("q").to_owned())
            .or_default() += 1;
    }
    per
}

async fn ten_thousand_responses_sent_twice_concurrently_by_8_clients_are_stored_exactly_once(
    backend: Backend,
) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let token = app.admin_token().await;
    let items = ten_thousand_responses();
    let batches: Vec<Vec<Value>> = items.chunks(BATCH).map(<[Value]>::to_vec).collect();

    // Act
    let replies =
        send_every_batch_twice_concurrently(std::slice::from_ref(&app.address), &batches).await;

    // Assert
    assert_each_id_created_exactly_once(&items, &replies);
    assert_eq!(
        app.sql.count_responses().await,
        TOTAL as i64,
        "rows in responses"
    );
    let (total, per) = stats_total(&app.address, &token).await;
    assert_eq!(total, TOTAL as u64, "/stats responses over the region");
    assert_eq!(
        per,
        generated_per_questionnaire(&items),
        "/stats responses per questionnaire"
    );
    assert!(app.server_running(), "the server is still up");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_serve_processes_on_one_postgres_store_ten_thousand_responses_sent_twice_exactly_once()
{
    // Arrange: seed through an in-process app, then start two real `serve` processes on the
    // same database.
    let app = TestApp::start(TestDb::new(Backend::Postgres).await, |_| {}).await;
    app.seed_standard().await;
    let token = app.admin_token().await;
    let first = ServeProcess::start(&app.db_url, &["--anon-rate-limit", "0"]).await;
    let second = ServeProcess::start(&app.db_url, &["--anon-rate-limit", "0"]).await;
    let items = ten_thousand_responses();
    let batches: Vec<Vec<Value>> = items.chunks(BATCH).map(<[Value]>::to_vec).collect();

    // Act
    let replies = send_every_batch_twice_concurrently(
        &[first.address.clone(), second.address.clone()],
        &batches,
    )
    .await;

    // Assert
    assert_each_id_created_exactly_once(&items, &replies);
    assert_eq!(
        app.sql.count_responses().await,
        TOTAL as i64,
        "rows in responses"
    );
    for server in [&first, &second] {
        let (total, per) = stats_total(&server.address, &token).await;
        assert_eq!(
            total, TOTAL as u64,
            "/stats responses over the region on {}",
            server.address
        );
        assert_eq!(per, generated_per_questionnaire(&items));
    }
    let log = format!("{}{}", first.log_text(), second.log_text());
    assert!(!log.contains("ERROR"), "the servers logged errors: {log}");
}

/// The base payload as JSON text, and variants that are equal after parsing.
fn equal_variants(id: &str) -> Vec<(&'static str, String)> {
    let answers = r#"[{"q":"process","v":"rather_no","comment":"долго ждали"},{"q":"documents","v":"yes"},{"q":"duration","v":"yes"},{"q":"simplicity","v":"rather_yes"},{"q":"support","v":"no"},{"q":"nps","v":9},{"q":"suggestions","v":"больше окон"}]"#;
    let reversed = r#"[{"q":"suggestions","v":"больше окон"},{"q":"nps","v":9},{"q":"support","v":"no"},{"q":"simplicity","v":"rather_yes"},{"q":"duration","v":"yes"},{"q":"documents","v":"yes"},{"q":"process","v":"rather_no","comment":"долго ждали"}]"#;
    let keys_reordered = r#"[{"comment":"долго ждали","v":"rather_no","q":"process"},{"v":"yes","q":"documents"},{"v":"yes","q":"duration"},{"v":"rather_yes","q":"simplicity"},{"v":"no","q":"support"},{"v":9,"q":"nps"},{"v":"больше окон","q":"suggestions"}]"#;
    let nine_point_zero = answers.replace(r#""v":9}"#, r#""v":9.0}"#);
    let null_comments = answers.replace(r#""v":"yes"}"#, r#""v":"yes","comment":null}"#);
    let item = |submitted_at: &str, answers: &str, extra: &str| {
        format!(
            r#"{{"id":"{id}","point":"a-nsi","questionnaire":"nsi-satisfaction","version":1,"channel":"qr",{extra}"submitted_at":"{submitted_at}","answers":{answers}}}"#
        )
    };
    vec![
        (
            "Z instead of +03:00",
            item("2026-11-02T07:15:00Z", answers, ""),
        ),
        (
            "+10:00 instead of +03:00",
            item("2026-11-02T17:15:00+10:00", answers, ""),
        ),
        (
            "explicit zero fraction of a second",
            item("2026-11-02T07:15:00.000Z", answers, ""),
        ),
        (
            "answers in reverse order",
            item("2026-11-02T10:15:00+03:00", reversed, ""),
        ),
        (
            "9.0 for 9",
            item("2026-11-02T10:15:00+03:00", &nine_point_zero, ""),
        ),
        (
            "device and seq null instead of absent",
            item(
                "2026-11-02T10:15:00+03:00",
                answers,
                r#""device":null,"seq":null,"#,
            ),
        ),
        (
            "comment null instead of absent",
            item("2026-11-02T10:15:00+03:00", &null_comments, ""),
        ),
        (
            "keys in another order",
            format!(
                r#"{{"answers":{keys_reordered},"submitted_at":"2026-11-02T07:15:00Z","channel":"qr","version":1,"questionnaire":"nsi-satisfaction","point":"a-nsi","id":"{id}"}}"#
            ),
        ),
        (
            "everything at once",
            format!(
                r#"{{"seq":null,"answers":[{{"v":"больше окон","q":"suggestions"}},{{"v":9.0,"q":"nps"}},{{"v":"no","q":"support","comment":null}},{{"v":"rather_yes","q":"simplicity"}},{{"v":"yes","q":"duration"}},{{"v":"yes","q":"documents"}},{{"comment":"долго ждали","v":"rather_no","q":"process"}}],"device":null,"submitted_at":"2026-11-02T02:15:00-05:00","channel":"qr","version":1,"questionnaire":"nsi-satisfaction","point":"a-nsi","id":"{}"}}"#,
                id.to_uppercase()
            ),
        ),
    ]
}

async fn payloads_equal_after_parsing_are_duplicates_and_change_nothing(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let token = app.admin_token().await;
    let id = data::new_id();
    let original = data::nsi_satisfaction(&id, "a-nsi");
    let first = app.submit(std::slice::from_ref(&original), None).await;
    assert_eq!(statuses(&first), [("created".to_owned(), None)]);
    let query = [("org", "reg"), ("questionnaire", "nsi-satisfaction")];
    let stats_before = app.stats(&token, &query).await;
    let raw_before = app.sql.raw_of(&id).await.expect("the response is stored");

    for (what, variant) in equal_variants(&id) {
        // Act
        let res = app
            .post_raw(format!(r#"{{"responses":[{variant}]}}"#))
            .await;

        // Assert
        let status = res.status();
        let body: Value = res.json().await.expect("JSON reply");
        assert_eq!(status, 200, "{what}: {body}");
        assert_eq!(
            body["results"][0]["status"], "duplicate",
            "{what} is the same response: {body}"
        );
        assert_eq!(
            body["results"][0]["id"],
            json!(id),
            "{what}: the id is echoed"
        );
    }
    let all: Vec<String> = equal_variants(&id).into_iter().map(|(_, v)| v).collect();
    let res = app
        .post_raw(format!(r#"{{"responses":[{}]}}"#, all.join(",")))
        .await;
    let body: Value = res.json().await.expect("JSON reply");
    let results = body["results"].as_array().expect("results");
    assert!(
        results.iter().all(|r| r["status"] == "duplicate"),
        "every variant in one batch is a duplicate: {body}"
    );
    assert_eq!(app.sql.count_responses().await, 1, "still one row");
    assert_eq!(
        app.sql.raw_of(&id).await.as_deref(),
        Some(raw_before.as_str()),
        "the stored payload is the first one"
    );
    assert_eq!(
        app.stats(&token, &query).await,
        stats_before,
        "duplicates change no figure"
    );
}

async fn altered_payloads_under_a_used_id_are_conflicts_and_change_nothing(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let token = app.admin_token().await;
    let id = data::new_id();
    let original = data::nsi_satisfaction(&id, "a-nsi");
    assert_eq!(
        statuses(&app.submit(std::slice::from_ref(&original), None).await),
        [("created".to_owned(), None)]
    );
    let queries: Vec<[(&str, &str); 2]> = ["reg", "inst-a", "inst-b"]
        .into_iter()
        .map(|org| [("org", org), ("questionnaire", "nsi-satisfaction")])
        .collect();
    let mut before = Vec::new();
    for q in &queries {
        before.push(app.stats(&token, q).await);
    }
    let raw_before = app.sql.raw_of(&id).await.expect("stored");
    let altered = |what: &'static str, change: &dyn Fn(&mut Value)| {
        let mut v = original.clone();
        change(&mut v);
        (what, v)
    };
    let variants = [
        altered("another NPS score", &|v| v["answers"][5]["v"] = json!(8)),
        altered("one second later", &|v| {
            v["submitted_at"] = json!("2026-11-02T10:15:01+03:00")
        }),
        altered("another channel", &|v| v["channel"] = json!("link")),
        altered("another comment", &|v| {
            v["answers"][0]["comment"] = json!("ждали недолго")
        }),
        altered("an optional answer dropped", &|v| {
            v["answers"].as_array_mut().expect("answers").pop();
        }),
        altered("another point", &|v| v["point"] = json!("b-nsi")),
        altered("another 4-point answer", &|v| {
            v["answers"][1]["v"] = json!("rather_yes")
        }),
    ];

    for (what, variant) in &variants {
        // Act
        let results = app.submit(std::slice::from_ref(variant), None).await;

        // Assert
        assert_eq!(
            statuses(&results),
            [("conflict".to_owned(), Some("id_reused".to_owned()))],
            "{what}: {results:?}"
        );
        assert!(
            results[0]["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{what}: the conflict explains itself"
        );
    }
    assert_eq!(app.sql.count_responses().await, 1, "still one row");
    assert_eq!(
        app.sql.raw_of(&id).await.as_deref(),
        Some(raw_before.as_str()),
        "the stored payload is kept"
    );
    for (q, stats) in queries.iter().zip(&before) {
        assert_eq!(
            &app.stats(&token, q).await,
            stats,
            "conflicts change no figure ({q:?})"
        );
    }
}

async fn the_same_id_twice_in_one_batch_is_created_then_duplicate_or_conflict(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let (x, y, z, w) = (
        data::new_id(),
        data::new_id(),
        data::new_id(),
        data::new_id(),
    );
    let x_item = data::express(&x, "a-express", "qr");
    let y_item = data::express(&y, "a-express", "qr");
    let mut y_altered = y_item.clone();
    y_altered["answers"][1]["v"] = json!(3);
    let z_item = data::express(&z, "a-express", "qr");
    let mut z_same = z_item.clone();
    z_same["submitted_at"] = json!("2026-11-02T07:15:00Z");
    let w_item = data::express(&w, "a-express", "qr");
    let mut w_invalid = w_item.clone();
    w_invalid["answers"][1]["v"] = json!(11);

    // Act
    let results = app
        .submit(
            &[
                x_item.clone(),
                x_item,
                y_item,
                y_altered,
                z_same,
                z_item,
                w_invalid,
                w_item,
            ],
            None,
        )
        .await;

    // Assert
    let s = outcome;
    assert_eq!(
        statuses(&results),
        [
            s("created", None),
            s("duplicate", None),
            s("created", None),
            s("conflict", Some("id_reused")),
            s("created", None),
            s("duplicate", None),
            s("rejected", Some("invalid_answer")),
            s("created", None),
        ],
        "{results:?}"
    );
    assert_eq!(app.sql.count_responses().await, 4, "one row per id");
    let stored_y = app.sql.raw_of(&y).await.expect("y stored");
    assert!(
        stored_y.contains(r#""v":10"#),
        "the first copy of y is the one kept: {stored_y}"
    );
}

/// The usual batch is all new, and the storage may try it that way first (SQLite does); a batch
/// that also carries stored ids must still store, count and log exactly the new ones.
async fn a_batch_mixing_new_and_stored_ids_stores_counts_and_logs_only_the_new_ones(
    backend: Backend,
) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let token = app.admin_token().await;
    let (a, b, c, d) = (
        data::new_id(),
        data::new_id(),
        data::new_id(),
        data::new_id(),
    );
    let nps = |id: &str, score: u8| {
        let mut item = data::express(id, "a-express", "qr");
        item["answers"][1]["v"] = json!(score);
        item
    };
    let stored = app.submit(&[nps(&a, 10), nps(&b, 10)], None).await;
    assert_eq!(
        statuses(&stored),
        [outcome("created", None), outcome("created", None)]
    );

    // Act
    let results = app
        .submit(
            &[nps(&c, 3), nps(&a, 10), nps(&b, 3), nps(&c, 3), nps(&d, 10)],
            None,
        )
        .await;

    // Assert
    let s = outcome;
    assert_eq!(
        statuses(&results),
        [
            s("created", None),
            s("duplicate", None),
            s("conflict", Some("id_reused")),
            s("duplicate", None),
            s("created", None),
        ],
        "{results:?}"
    );
    assert_eq!(app.sql.count_responses().await, 4, "one row per id");
    let stats = app
        .stats(&token, &[("org", "reg"), ("questionnaire", "express")])
        .await;
    assert_eq!(stats["responses"], 4, "each id counted once: {stats}");
    let nps = &stats["questions"]["nps"];
    assert_eq!(
        (&nps["promoters"], &nps["detractors"]),
        (&json!(3), &json!(1)),
        "only the stored payloads are counted: {stats}"
    );
    let audit = run_cli(&app.db_url, &["audit", "verify"], None).await;
    assert!(
        audit.success && audit.stdout.contains("intact"),
        "the log lists each created response once: {audit:?}"
    );
}
