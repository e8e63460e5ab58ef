//! Group commit: batches stored in one transaction are judged exactly as if they had been sent
//! one after the other, and a batch the database refuses never sinks the others of its group.
//! The group is formed here by hand (`store_group`), so what it holds does not depend on timing.
//! Also the rule stored responses rely on in place of per-row foreign-key checks: survey points
//! are permanent.

use chrono::{NaiveDate, Utc};
use otklik_server::db::ingest::{Outcome, PreparedResponse};
use otklik_server::ingest::group_commit::store_group;
use uuid::Uuid;

use crate::data;
use crate::helpers::{spawn_app, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    batches_stored_as_one_group_are_judged_as_if_sent_one_after_another,
    a_batch_the_database_refuses_does_not_sink_the_batches_grouped_with_it,
    survey_points_can_be_neither_deleted_nor_renumbered,
);

/// A response to the standard `a-express` point, ready to store; `hash` stands for its payload
/// hash (only equality matters here; `audit verify` is tested where hashes are real).
async fn prepared(app: &TestApp, id: Uuid, hash: u8, seq: Option<i64>) -> PreparedResponse {
    let point = app
        .state
        .db
        .point_by_code("a-express")
        .await
        .expect("point lookup")
        .expect("the standard point");
    PreparedResponse {
        id,
        point_id: point.id,
        orgs: point.org_path.ids().collect(),
        questionnaire: "express".into(),
        version: 1,
        channel: "qr",
        device: None,
        seq,
        submitted_at: Utc::now(),
        local_date: NaiveDate::from_ymd_opt(2026, 11, 2).expect("a date"),
        raw: data::express(&id.to_string(), "a-express", "qr").to_string(),
        payload_hash: [hash; 32],
        counts: vec![(String::new(), String::new())],
        entry: None,
    }
}

async fn batches_stored_as_one_group_are_judged_as_if_sent_one_after_another(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let first = vec![
        prepared(&app, a, 1, None).await,
        prepared(&app, b, 1, None).await,
    ];
    let second = vec![
        prepared(&app, b, 1, None).await,
        prepared(&app, c, 1, None).await,
        prepared(&app, a, 2, None).await,
    ];

    // Act
    let results = store_group(&app.state.db, &[&first, &second]).await;

    // Assert
    let outcomes: Vec<Vec<Outcome>> = results
        .into_iter()
        .map(|r| r.expect("the group is stored"))
        .collect();
    assert_eq!(
        outcomes,
        [
            vec![Outcome::Created, Outcome::Created],
            vec![Outcome::Duplicate, Outcome::Created, Outcome::Conflict],
        ]
    );
    assert_eq!(app.sql.count_responses().await, 3);
    assert_eq!(
        app.sql.scalar("select count(*) from response_log").await,
        1,
        "one transaction, one log record"
    );
    let counted = match backend {
        Backend::Sqlite => "select sum(counts ->> '$.\"\"') from rollups where grain = 'day' and question = ''",
        Backend::Postgres => "select cast(sum((counts ->> '')::bigint) as bigint) from rollups where grain = 'day' and question = ''",
    };
    assert_eq!(app.sql.scalar(counted).await, 3);
}

async fn a_batch_the_database_refuses_does_not_sink_the_batches_grouped_with_it(backend: Backend) {
    // Arrange: the database refuses any response with seq -1.
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    app.sql
        .execute(match backend {
            Backend::Sqlite => {
                "create trigger refuse_marked before insert on responses when new.seq = -1 \
                 begin select raise(abort, 'refused by the test'); end"
            }
            Backend::Postgres => {
                "create function refuse_marked() returns trigger language plpgsql as $$ \
                 begin if new.seq = -1 then raise exception 'refused by the test'; end if; \
                 return new; end $$; \
                 create trigger refuse_marked before insert on responses \
                 for each row execute function refuse_marked()"
            }
        })
        .await;
    let good = vec![prepared(&app, Uuid::now_v7(), 1, None).await];
    let refused = vec![
        prepared(&app, Uuid::now_v7(), 1, None).await,
        prepared(&app, Uuid::now_v7(), 1, Some(-1)).await,
    ];
    let also_good = vec![prepared(&app, Uuid::now_v7(), 1, None).await];

    // Act
    let results = store_group(&app.state.db, &[&good, &refused, &also_good]).await;

    // Assert
    assert_eq!(results.len(), 3);
    assert_eq!(results[0].as_ref().ok(), Some(&vec![Outcome::Created]));
    assert!(results[1].is_err(), "the refused batch fails whole");
    assert_eq!(results[2].as_ref().ok(), Some(&vec![Outcome::Created]));
    assert_eq!(app.sql.count_responses().await, 2);
    assert_eq!(app.sql.scalar("select count(*) from response_log").await, 2);
}

async fn survey_points_can_be_neither_deleted_nor_renumbered(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let points = app.sql.scalar("select count(*) from points").await;

    // Act
    let deleted = app
        .sql
        .try_execute_with2(
            "delete from points where code = $1 or code = $2",
            "a-express",
            "a-nsi",
        )
        .await;
    let renumbered = app
        .sql
        .try_execute_with2(
            "update points set id = id + 1000 where code = $1 or code = $2",
            "a-express",
            "a-nsi",
        )
        .await;

    // Assert
    for refusal in [deleted, renumbered] {
        let message = refusal.expect_err("the database refuses");
        assert!(message.contains("survey points are permanent"), "{message}");
    }
    assert_eq!(app.sql.scalar("select count(*) from points").await, points);
    assert_eq!(
        app.sql
            .scalar("select count(*) from points where id > 1000")
            .await,
        0
    );
}
