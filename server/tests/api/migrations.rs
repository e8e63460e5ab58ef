//! Migrations that reshape stored data keep every figure: run on a database holding data in the
//! previous shape, the stats inputs come out the same.

use serde_json::{json, Value};

use crate::helpers::{Backend, Sql, TestDb};
use crate::on_both_backends;

on_both_backends!(
    packing_the_rollups_per_question_keeps_every_count,
    subtree_rollups_are_built_from_the_stored_rollups
);

/// Every migration, in order: a test runs those before the one it tests, adds data in the old
/// shape, then runs that one.
fn migrations(backend: Backend) -> [&'static str; 7] {
    match backend {
        Backend::Sqlite => [
            include_str!("../../../migrations/sqlite/0001_create_schema.sql"),
            include_str!("../../../migrations/sqlite/0002_create_devices.sql"),
            include_str!("../../../migrations/sqlite/0003_points_permanent.sql"),
            include_str!("../../../migrations/sqlite/0004_rollups_packed_per_question.sql"),
            include_str!("../../../migrations/sqlite/0005_officials.sql"),
            include_str!("../../../migrations/sqlite/0006_responses_newest_first.sql"),
            include_str!("../../../migrations/sqlite/0007_subtree_rollups.sql"),
        ],
        Backend::Postgres => [
            include_str!("../../../migrations/postgres/0001_create_schema.sql"),
            include_str!("../../../migrations/postgres/0002_create_devices.sql"),
            include_str!("../../../migrations/postgres/0003_ingest_costs.sql"),
            include_str!("../../../migrations/postgres/0004_rollups_packed_per_question.sql"),
            include_str!("../../../migrations/postgres/0005_officials.sql"),
            include_str!("../../../migrations/postgres/0006_responses_newest_first.sql"),
            include_str!("../../../migrations/postgres/0007_subtree_rollups.sql"),
        ],
    }
}

/// A database migrated up to, not including, migration number `n` (1-based), and that one.
async fn migrated_before(backend: Backend, n: usize) -> (TestDb, Sql, &'static str) {
    let db = TestDb::new(backend).await;
    let sql = Sql::connect(&db.url, backend).await;
    let all = migrations(backend);
    for migration in &all[..n - 1] {
        sql.execute(migration).await;
    }
    (db, sql, all[n - 1])
}

async fn packing_the_rollups_per_question_keeps_every_count(backend: Backend) {
    // Arrange: rollups in the one-row-per-value shape.
    let (_db, sql, packing) = migrated_before(backend, 4).await;
    sql.execute(
        "insert into orgs (id, code, name, kind, path, tz) values (1, 'r', 'Регион', 'region', '1/', 'Europe/Moscow'); \
         insert into points (id, code, org_id, institution_id, questionnaire) values (7, 'p', 1, 1, 'express'); \
         insert into rollups (point_id, questionnaire, grain, period, channel, question, value, count) values \
         (7, 'express', 'day', '2026-03-02', 'qr', '', '', 3), \
         (7, 'express', 'day', '2026-03-02', 'qr', 'nps', '9', 2), \
         (7, 'express', 'day', '2026-03-02', 'qr', 'nps', '10', 1), \
         (7, 'express', 'day', '2026-03-02', 'kiosk', 'nps', '0', 4), \
         (7, 'express', 'year', '2026-01-01', 'qr', 'nps', '9', 20)",
    )
    .await;

    // Act
    sql.execute(packing).await;

    // Assert
    let counts = |grain: &str, channel: &str, question: &str| {
        let query = format!(
            "select cast(counts as text) from rollups where point_id = 7 and questionnaire = 'express' \
             and grain = '{grain}' and channel = '{channel}' and question = '{question}'"
        );
        let sql = sql.clone();
        async move {
            let text = sql.text(&query).await.expect("a packed row");
            serde_json::from_str::<Value>(&text).expect("JSON counts")
        }
    };
    assert_eq!(counts("day", "qr", "").await, json!({"": 3}));
    assert_eq!(counts("day", "qr", "nps").await, json!({"9": 2, "10": 1}));
    assert_eq!(counts("day", "kiosk", "nps").await, json!({"0": 4}));
    assert_eq!(counts("year", "qr", "nps").await, json!({"9": 20}));
    assert_eq!(sql.scalar("select count(*) from rollups").await, 4);
    sql.close().await;
}

async fn subtree_rollups_are_built_from_the_stored_rollups(backend: Backend) {
    // Arrange: region 1 > institution 2 > department 3, and region 10 beside it; points at the
    // institution (7), the department (8) and the other region (9); month, year and day rows
    // on citizen channels and observation.
    let (_db, sql, subtrees) = migrated_before(backend, 7).await;
    sql.execute(
        "insert into orgs (id, code, name, kind, parent_id, path, tz) values \
         (1, 'r', 'Регион', 'region', null, '/1/', 'Europe/Moscow'), \
         (2, 'i', 'Учреждение', 'institution', 1, '/1/2/', 'Europe/Moscow'), \
         (3, 'd', 'Отделение', 'department', 2, '/1/2/3/', 'Europe/Moscow'), \
         (10, 'r2', 'Другой регион', 'region', null, '/10/', 'Europe/Moscow'); \
         insert into points (id, code, org_id, institution_id, questionnaire) values \
         (7, 'p7', 2, 2, 'express'), (8, 'p8', 3, 2, 'express'), (9, 'p9', 10, 10, 'express'); \
         insert into rollups (point_id, questionnaire, grain, period, channel, question, counts) values \
         (7, 'express', 'month', '2026-03-01', 'qr', 'nps', '{\"9\": 2, \"10\": 1}'), \
         (7, 'express', 'month', '2026-03-01', 'kiosk', 'nps', '{\"9\": 1, \"0\": 4}'), \
         (7, 'express', 'month', '2026-03-01', 'observation', 'nps', '{\"0\": 50}'), \
         (7, 'express', 'day', '2026-03-02', 'qr', 'nps', '{\"9\": 2, \"10\": 1}'), \
         (8, 'express', 'month', '2026-03-01', 'paper', 'nps', '{\"10\": 5}'), \
         (8, 'express', 'year', '2026-01-01', 'paper', 'nps', '{\"10\": 5}'), \
         (9, 'express', 'month', '2026-03-01', 'qr', 'nps', '{\"1\": 100}')",
    )
    .await;

    // Act
    sql.execute(subtrees).await;

    // Assert: each org holds its whole subtree's citizen months and years, nothing else.
    let counts = |org: i64, grain: &str| {
        let query = format!(
            "select cast(counts as text) from subtree_rollups where org_id = {org} \
             and questionnaire = 'express' and grain = '{grain}' and question = 'nps'"
        );
        let sql = sql.clone();
        async move {
            let text = sql.text(&query).await.expect("a subtree row");
            serde_json::from_str::<Value>(&text).expect("JSON counts")
        }
    };
    let march = json!({"9": 3, "10": 6, "0": 4});
    assert_eq!(counts(1, "month").await, march);
    assert_eq!(counts(2, "month").await, march);
    assert_eq!(counts(3, "month").await, json!({"10": 5}));
    assert_eq!(counts(1, "year").await, json!({"10": 5}));
    assert_eq!(counts(10, "month").await, json!({"1": 100}));
    assert_eq!(
        sql.scalar("select count(*) from subtree_rollups").await,
        7,
        "months of 1, 2, 3, 10 and years of 1, 2, 3; no day rows"
    );
    sql.close().await;
}
