//! What keeps stored answers honest (issue 17 items 1 and 2): the durability settings the
//! connections run with, the triggers that keep `responses` and the response log append-only,
//! the audit that finds every kind of tampering with the log, and the rollups held against —
//! and rebuilt from — a recount of the raw responses.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::data;
use crate::helpers::{run_cli, spawn_app, spawn_app_with, Backend, CliOutput, TestApp};
use crate::on_both_backends;
use crate::stats::{check, load_rows, Query};

on_both_backends!(
    the_connections_run_with_the_documented_durability_settings,
    responses_and_the_log_refuse_update_delete_and_truncate,
    audit_verify_names_each_kind_of_tampering_with_the_log,
    a_rollup_that_differs_from_its_recount_is_found_and_rebuilt,
);

fn assert_verdict(what: &str, out: &CliOutput, ok: bool, mentions: &[&str]) {
    assert_eq!(
        out.success, ok,
        "{what}: expected success {ok}; stdout {:?}, stderr {:?}",
        out.stdout, out.stderr
    );
    let text = if ok { &out.stdout } else { &out.stderr };
    for m in mentions {
        assert!(text.contains(m), "{what}: the output names {m:?}: {text:?}");
    }
}

async fn the_connections_run_with_the_documented_durability_settings(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;

    // Act: through the app's own pools, every connection of them on SQLite.
    let settings = app
        .state
        .db
        .durability()
        .await
        .expect("durability settings");

    // Assert: what docs/reliability.md documents, spelled out here rather than taken from the
    // code under test.
    let mut found: BTreeMap<(&str, &str), Vec<String>> = BTreeMap::new();
    for s in &settings {
        found
            .entry((s.pool, s.name))
            .or_default()
            .push(s.value.clone());
    }
    let expected: &[((&str, &str), &str)] = match backend {
        Backend::Sqlite => &[
            (("read", "journal_mode"), "wal"),
            (("read", "synchronous"), "full"),
            (("write", "journal_mode"), "wal"),
            (("write", "synchronous"), "full"),
        ],
        Backend::Postgres => &[
            (("pool", "fsync"), "on"),
            (("pool", "synchronous_commit"), "on"),
        ],
    };
    assert_eq!(
        found.keys().copied().collect::<Vec<_>>(),
        expected.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
        "every pool reports every setting: {settings:?}"
    );
    for (key, value) in expected {
        let values = &found[key];
        assert!(
            values.iter().all(|v| v == value),
            "{key:?} is {value} on every connection: {values:?}"
        );
    }
    if backend == Backend::Sqlite {
        assert!(
            found[&("read", "synchronous")].len() > 1,
            "each read connection is asked, not one of them: {settings:?}"
        );
    }
}

/// An app on the standard points with `records` batches of three responses stored: as many
/// log records.
async fn with_log_records(backend: Backend, records: i64) -> TestApp {
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    for _ in 0..records {
        let items: Vec<Value> = (0..3)
            .map(|_| data::express(&data::new_id(), "a-express", "qr"))
            .collect();
        app.submit(&items, None).await;
    }
    assert_eq!(
        app.sql.scalar("select count(*) from response_log").await,
        records
    );
    app
}

/// Statements someone might run to change or empty the append-only tables, per backend.
fn forbidden(backend: Backend) -> Vec<&'static str> {
    let mut both = vec![
        "update responses set channel = channel",
        "delete from responses where channel = 'qr'",
        "delete from responses",
        "update response_log set chain_hash = chain_hash",
        "delete from response_log where log_seq = 1",
        "delete from response_log",
    ];
    if backend == Backend::Postgres {
        // TRUNCATE fires no row trigger; SQLite has none (its `delete` without `where` is above).
        both.extend([
            "truncate responses cascade",
            "truncate response_log",
            "truncate responses, response_log cascade",
            "truncate nsi_targets",
            "truncate nsi_baselines",
            "truncate comment_reviews",
            "truncate improvements",
        ]);
    }
    both
}

async fn responses_and_the_log_refuse_update_delete_and_truncate(backend: Backend) {
    // Arrange
    let app = with_log_records(backend, 2).await;
    let count = |table: &'static str| {
        let sql = app.sql.clone();
        async move { sql.scalar(&format!("select count(*) from {table}")).await }
    };
    let before = (count("responses").await, count("response_log").await);
    assert_eq!(before, (6, 2), "two batches of three are stored");

    for statement in forbidden(backend) {
        // Act
        let refused = app.sql.try_execute(statement).await;

        // Assert
        assert!(
            refused.as_ref().is_err_and(|e| e.contains("append-only")),
            "{statement:?} is refused as append-only: {refused:?}"
        );
        assert_eq!(
            (count("responses").await, count("response_log").await),
            before,
            "{statement:?} changed nothing"
        );
    }
}

/// The tampering cases: what is done, the statements, and what the refusal names.
fn tamperings(backend: Backend) -> Vec<(&'static str, String, Vec<&'static str>)> {
    let pg = backend == Backend::Postgres;
    let new_id = if pg {
        "gen_random_uuid()"
    } else {
        "randomblob(16)"
    };
    let copied_record = "insert into response_log (log_seq, response_ids, chain_hash) \
        select 4, response_ids, chain_hash from response_log where log_seq = 3";
    vec![
        (
            "an altered log record (its chain hash)",
            "update response_log set chain_hash = \
             (select chain_hash from response_log where log_seq = 1) where log_seq = 2"
                .to_owned(),
            vec!["log record 2", "chain hash"],
        ),
        (
            "an altered log record (one id fewer)",
            if pg {
                "update response_log set response_ids = \
                 substring(response_ids from 1 for length(response_ids) - 16) where log_seq = 2"
            } else {
                "update response_log set response_ids = \
                 substr(response_ids, 1, length(response_ids) - 16) where log_seq = 2"
            }
            .to_owned(),
            vec!["log record 2", "chain hash"],
        ),
        (
            "a removed log record in the middle",
            "delete from response_log where log_seq = 2".to_owned(),
            vec!["log record 2 is missing"],
        ),
        (
            "the last log record removed",
            "delete from response_log where log_seq = 3".to_owned(),
            vec!["ends at record 2", "head says 3"],
        ),
        (
            "a log record added after the head",
            copied_record.to_owned(),
            vec!["log record 4", "after the head"],
        ),
        (
            "a log record added and the head moved to it",
            format!(
                "{copied_record}; update chain_head set log_seq = 4, chain_hash = \
                 (select chain_hash from response_log where log_seq = 4)"
            ),
            vec!["log record 4", "chain hash"],
        ),
        (
            "two log records swapped",
            "update response_log set log_seq = 100 where log_seq = 1; \
             update response_log set log_seq = 1 where log_seq = 2; \
             update response_log set log_seq = 2 where log_seq = 100"
                .to_owned(),
            vec!["log record 1", "chain hash"],
        ),
        (
            "a sealed response removed",
            "delete from responses where id = (select id from responses order by id limit 1)"
                .to_owned(),
            vec!["is missing"],
        ),
        (
            "a response added outside the log",
            format!(
                "insert into responses (id, point_id, questionnaire, version, channel, device, \
                 seq, submitted_at, local_date, received_at, raw, payload_hash) \
                 select {new_id}, point_id, questionnaire, version, channel, device, seq, \
                 submitted_at, local_date, received_at, raw, payload_hash \
                 from responses order by id limit 1"
            ),
            vec!["10 responses are stored but the log seals 9"],
        ),
    ]
}

async fn audit_verify_names_each_kind_of_tampering_with_the_log(backend: Backend) {
    for (what, tamper, mentions) in tamperings(backend) {
        // Arrange: an intact log of three records.
        let app = with_log_records(backend, 3).await;
        let intact = run_cli(&app.db_url, &["audit", "verify"], None).await;
        assert_verdict(what, &intact, true, &["intact", "3 records, 9 responses"]);
        app.sql.drop_append_only_triggers().await;
        app.sql.execute(&tamper).await;

        // Act
        let out = run_cli(&app.db_url, &["audit", "verify"], None).await;

        // Assert
        assert_verdict(what, &out, false, &mentions);
        assert_eq!(out.stderr.trim().lines().count(), 1, "{what}: one line");
    }
}

/// Tampering with the rollups: one point's counts inflated (altered rows), a subtree row
/// removed, and a row added in a year without responses.
const ROLLUP_TAMPERING: &str = "update rollups set counts = '{\"\": 100000}' where question = '' \
       and point_id = (select min(point_id) from rollups); \
     delete from subtree_rollups where (org_id, questionnaire, grain, period, question) = \
       (select org_id, questionnaire, grain, period, question from subtree_rollups limit 1); \
     insert into rollups (point_id, questionnaire, grain, period, channel, question, counts) \
       select point_id, questionnaire, grain, date('1999-01-01'), channel, question, counts \
       from rollups where grain = 'year' limit 1";

async fn a_rollup_that_differs_from_its_recount_is_found_and_rebuilt(backend: Backend) {
    // Arrange: the demo data (every channel, kiosk and walk-throughs included, a region of
    // nested orgs), whose rollups ingest wrote.
    let app = spawn_app_with(backend, |s| s.serve.demo = true).await;
    let token = app.admin_token().await;
    let responses = app.sql.count_responses().await;
    let rollup_rows = app
        .sql
        .scalar("select (select count(*) from rollups) + (select count(*) from subtree_rollups)")
        .await;
    let intact = run_cli(&app.db_url, &["audit", "verify", "--rollups"], None).await;
    assert_verdict(
        "verify --rollups on what ingest wrote",
        &intact,
        true,
        &[&format!(
            "rollups equal the recount of {responses} responses: {rollup_rows} rows"
        )],
    );
    let queries: Vec<Query> = ["express", "nsi-satisfaction", "nok-social", "nok-health"]
        .into_iter()
        .map(|questionnaire| Query {
            org: "demo",
            questionnaire,
            from: None,
            to: None,
            point: None,
            life_situation: None,
        })
        .collect();
    let mut before = Vec::new();
    for q in &queries {
        before.push(app.stats(&token, &q.params()).await);
    }
    app.sql.execute(ROLLUP_TAMPERING).await;
    let mut after_tampering = Vec::new();
    for q in &queries {
        after_tampering.push(app.stats(&token, &q.params()).await);
    }
    assert_ne!(before, after_tampering, "the tampering shows in /stats");

    // Act
    let found = run_cli(&app.db_url, &["audit", "verify", "--rollups"], None).await;
    let repaired = run_cli(&app.db_url, &["audit", "repair-rollups"], None).await;
    let verified = run_cli(&app.db_url, &["audit", "verify", "--rollups"], None).await;

    // Assert
    assert_verdict(
        "verify --rollups after tampering",
        &found,
        false,
        &["rollup rows differ from the recount", "repair-rollups"],
    );
    assert_verdict(
        "repair-rollups",
        &repaired,
        true,
        &[&format!("rebuilt from {responses} responses")],
    );
    assert_verdict(
        "verify --rollups after the repair",
        &verified,
        true,
        &[&format!("{rollup_rows} rows")],
    );
    let mut after_repair = Vec::new();
    for q in &queries {
        after_repair.push(app.stats(&token, &q.params()).await);
    }
    assert_eq!(after_repair, before, "/stats is back to what ingest made");
    let rows = load_rows(&app).await;
    let kinds = BTreeMap::from([("demo", "region".to_owned())]);
    for q in &queries {
        check(&app, &token, &rows, q, &kinds).await;
    }

    // A repair stands on responses the log vouches for: with one removed, it refuses and
    // leaves every rollup as it was.
    app.sql.drop_append_only_triggers().await;
    app.sql
        .execute("delete from responses where id = (select id from responses order by id limit 1)")
        .await;
    let refused = run_cli(&app.db_url, &["audit", "repair-rollups"], None).await;
    assert_verdict(
        "repair-rollups on a broken log",
        &refused,
        false,
        &[
            "response log broken, rollups left as they are",
            "is missing",
        ],
    );
    let mut after_refusal = Vec::new();
    for q in &queries {
        after_refusal.push(app.stats(&token, &q.params()).await);
    }
    assert_eq!(
        after_refusal, before,
        "the refused repair changed no rollup"
    );
}
