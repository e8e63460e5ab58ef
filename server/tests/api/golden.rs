//! Golden vectors of the two hashes Otklik's promises rest on, committed as data
//! (`server/tests/golden/hashes.json`, computed outside the project from the documented forms):
//! the canonical payload hash, which decides `duplicate` versus `conflict` for every retry, and
//! the response log's hash chain, which `audit verify` checks. Either form changed by a deploy
//! would turn every retry of an earlier answer into a conflict and every stored record into an
//! audit failure; these tests fail first. PostgreSQL links the chain in SQL and SQLite in Rust,
//! so both are held to the same vector.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::helpers::{spawn_app, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(stored_payload_hashes_and_the_chain_equal_the_golden_vectors);

const GOLDEN: &str = include_str!("../golden/hashes.json");

/// A blob column as lowercase hex, per backend.
fn hex_of(backend: Backend, column: &str) -> String {
    match backend {
        Backend::Sqlite => format!("lower(hex({column}))"),
        Backend::Postgres => format!("encode({column}, 'hex')"),
    }
}

async fn stored_hex(app: &TestApp, sql: &str) -> String {
    app.sql
        .text(sql)
        .await
        .unwrap_or_else(|| panic!("no row for {sql}"))
}

async fn stored_payload_hashes_and_the_chain_equal_the_golden_vectors(backend: Backend) {
    // Arrange
    let golden: Value = serde_json::from_str(GOLDEN).expect("golden vectors are JSON");
    let payloads = golden["payloads"].as_array().expect("payloads");
    for v in payloads {
        let canonical = v["canonical"].as_str().expect("canonical text");
        assert_eq!(
            hex::encode(Sha256::digest(canonical.as_bytes())),
            v["sha256"],
            "the vector {} is its canonical text's SHA-256",
            v["name"]
        );
    }
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    assert_eq!(
        app.sql.scalar("select log_seq from chain_head").await,
        0,
        "nothing is logged before the batch"
    );
    let chain = golden["chain"].as_array().expect("chain");

    // Act: one batch per log record (the second links to the first, not to zeros).
    let mut results = Vec::new();
    for record in chain {
        let ids = record["responses"]
            .as_array()
            .expect("the record's responses");
        let items: Vec<Value> = payloads
            .iter()
            .filter(|v| ids.contains(&v["response"]["id"]))
            .map(|v| v["response"].clone())
            .collect();
        results.extend(app.submit(&items, None).await);
    }

    // Assert
    assert_eq!(
        results.len(),
        payloads.len(),
        "every payload is in a record"
    );
    for (v, result) in payloads.iter().zip(&results) {
        assert_eq!(result["status"], "created", "{}: {result}", v["name"]);
        let id = v["response"]["id"].as_str().expect("id");
        let sql = format!(
            "select {} from responses where id = {}",
            hex_of(backend, "payload_hash"),
            match backend {
                Backend::Sqlite => format!("x'{}'", id.replace('-', "")),
                Backend::Postgres => format!("'{id}'"),
            }
        );
        assert_eq!(
            stored_hex(&app, &sql).await,
            v["sha256"].as_str().expect("sha256"),
            "{}",
            v["name"]
        );
    }
    for record in chain {
        let sql = format!(
            "select {} from response_log where log_seq = {}",
            hex_of(backend, "chain_hash"),
            record["log_seq"]
        );
        assert_eq!(
            stored_hex(&app, &sql).await,
            record["chain_hash"].as_str().expect("chain_hash"),
            "log record {}",
            record["log_seq"]
        );
    }
}
