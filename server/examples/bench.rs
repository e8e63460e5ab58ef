//! Ingest and stats benchmark on SQLite and PostgreSQL, recorded in `docs/benchmarks.md`.
//!
//! Long because one benchmark run measures the baseline and the product side by side, both
//! backends.
//!
//! ```sh
//! cargo run --release -p otklik-server --example bench            # full run (≈ 10 min)
//! cargo run --release -p otklik-server --example bench -- quick   # smaller sizes, for a smoke test
//! cargo run --release -p otklik-server --example bench -- ingest  # full ingest sizes, no stats
//! ```
//!
//! For each backend, in one run on one fresh database, five alternating rounds of (1), (2) and
//! (3), each on new rows, reported as medians (the raw rate of this VM swings by tens of
//! percent from one minute to the next; alternating puts all sides through the same spells):
//! 1. **Raw insert baseline** — the same response rows inserted with multi-row `insert`s of 500
//!    rows per committed transaction into a scratch table defined as `responses` is (columns,
//!    primary key, indexes), by 8 concurrent tasks.
//! 2. **Batch ingest** — the same responses through `POST /api/v1/responses` over loopback HTTP,
//!    500 per batch, 8 concurrent clients: parsing, validation, hashing, rollups, the hash
//!    chain, durable commit (concurrent batches share a commit: group commit).
//! 3. **Fair raw baseline** — as (1), but each transaction commits as many rows as the API's
//!    group commit did on average in the round just run (read from its own
//!    `group_commit_items` metric), so both sides pay the same number of commits and fsyncs
//!    for the same rows; without it, part of the 500-row ratio is only fewer fsyncs.
//! 4. **Stats latency** — `GET /api/v1/stats` for the region (all time and one quarter) with
//!    500,000 and then 1,000,000 responses stored, 200 requests each, p50/p95.
//!
//! PostgreSQL is `postgres://postgres@127.0.0.1:5432/postgres` (override: `BENCH_POSTGRES_URL`);
//! the bench creates and drops its own database.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Duration as Days, FixedOffset, Utc};
use otklik_server::config::Settings;
use otklik_server::db::Backend;
use otklik_server::orgs::{add_orgs, NewOrg};
use otklik_server::startup::Application;
use otklik_server::state::AppState;
use otklik_server::users::add_user;
use otklik_shared::answer::{Channel, NewResponse, RawAnswer};
use serde_json::json;

use sqlx::{AssertSqlSafe, Connection, QueryBuilder};

// Not `common/mod.rs`: the workspace denies `mod.rs` files (`clippy::mod_module_files`).
// The module serves the region benches; this one needs only its points helper.
#[allow(dead_code)]
#[path = "common/region.rs"]
mod common;
use common::add_nsi_point;

/// The server binary's allocator, so the in-process server measures as it runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CLIENTS: usize = 8;
/// Alternating raw/API rounds per backend; the medians are reported.
const ROUNDS: usize = 5;
const BATCH: usize = 500;
const INSTITUTIONS: usize = 20;
/// Where the fair baseline's rows start: far past every id the API and the stats load use.
const FAIR_OFFSET: u64 = 1 << 40;

struct Sizes {
    ingest: usize,
    stats_small: usize,
    stats_large: usize,
    stats_requests: usize,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mode = |name: &str| std::env::args().any(|a| a == name);
    let sizes = if mode("ingest") {
        // Iterating on ingest: the stats phase (loading 1,000,000 rows) would dominate the run.
        Sizes {
            ingest: 100_000,
            stats_small: 0,
            stats_large: 0,
            stats_requests: 0,
        }
    } else if mode("quick") {
        Sizes {
            ingest: 20_000,
            stats_small: 100_000,
            stats_large: 200_000,
            stats_requests: 50,
        }
    } else {
        Sizes {
            ingest: 100_000,
            stats_small: 500_000,
            stats_large: 1_000_000,
            stats_requests: 200,
        }
    };
    println!(
        "# Otklik benchmark ({}), {} cores",
        Utc::now().format("%Y-%m-%d %H:%M UTC"),
        std::thread::available_parallelism()?.get()
    );
    let tmp = tempfile::tempdir()?;
    let sqlite_url = format!("sqlite://{}", tmp.path().join("bench.db").display());
    run(Backend::Sqlite, &sqlite_url, &sizes).await?;

    let admin_url = std::env::var("BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("otklik_bench_{}", uuid::Uuid::now_v7().simple());
    let mut admin = sqlx::PgConnection::connect(&admin_url).await?;
    sqlx::query(AssertSqlSafe(format!("create database {name}")))
        .execute(&mut admin)
        .await?;
    let pg_url = format!(
        "{}/{name}",
        admin_url
            .rsplit_once('/')
            .map_or(admin_url.as_str(), |(base, _)| base)
    );
    let result = run(Backend::Postgres, &pg_url, &sizes).await;
    sqlx::query(AssertSqlSafe(format!("drop database {name} with (force)")))
        .execute(&mut admin)
        .await?;
    result
}

async fn run(backend: Backend, url: &str, sizes: &Sizes) -> anyhow::Result<()> {
    println!("\n## {backend:?}");
    // A free loopback port; no anonymous rate limit (one client sends everything).
    let mut settings = Settings::new(url);
    settings.serve.bind = ([127, 0, 0, 1], 0).into();
    settings.serve.anon_rate_limit = 0;
    settings.serve.metrics_bind = Some(([127, 0, 0, 1], 0).into());
    let app = Application::build(settings.clone()).await?;
    let base = format!("http://127.0.0.1:{}", app.port());
    let metrics = format!(
        "http://127.0.0.1:{}/metrics",
        app.metrics_port()
            .ok_or_else(|| anyhow::anyhow!("no metrics listener"))?
    );
    let state = AppState::open(settings).await?; // a second handle for direct loading
    let server = tokio::spawn(app.run_until_stopped());
    let points = seed(&state).await?;

    // 1, 2, 3: the same responses, raw and through the API, in alternating rounds so that a
    // slow or fast spell of this shared machine weighs on both sides alike.
    create_raw_table(&state).await?;
    let (mut raw_rates, mut api_rates) = (Vec::new(), Vec::new());
    let (mut fair_rates, mut group_sizes) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let responses = generate(&points, sizes.ingest, (round * sizes.ingest) as u64);
        raw_rates.push(raw_insert(&state, &responses, BATCH).await?);
        let bodies: Vec<String> = responses
            .chunks(BATCH)
            .map(|c| json!({ "responses": c }).to_string())
            .collect();
        let before = group_totals(&metrics).await?;
        api_rates.push(http_ingest(&base, bodies).await?);
        let after = group_totals(&metrics).await?;
        let group = ((after.0 - before.0) / (after.1 - before.1).max(1.0)).round() as usize;
        group_sizes.push(group as f64);
        // Rows of their own (the scratch table already holds this round's ids).
        let fair = generate(
            &points,
            sizes.ingest,
            FAIR_OFFSET + (round * sizes.ingest) as u64,
        );
        fair_rates.push(raw_insert(&state, &fair, group.max(1)).await?);
    }
    drop_raw_table(&state).await?;
    let rates = |r: &[f64]| {
        r.iter()
            .map(|x| format!("{x:.0}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (raw_rate, api_rate) = (median(&raw_rates), median(&api_rates));
    println!(
        "| raw insert, {ROUNDS} × {} rows, 500/tx, 8 tasks | median {raw_rate:.0} rows/s ({}) |",
        sizes.ingest,
        rates(&raw_rates)
    );
    println!(
        "| API ingest, {ROUNDS} × {} responses, 500/batch, 8 clients | median {api_rate:.0} responses/s ({}) |",
        sizes.ingest,
        rates(&api_rates)
    );
    let fair_rate = median(&fair_rates);
    println!(
        "| raw insert, {ROUNDS} × {} rows, the API's mean group per tx ({}), 8 tasks | median {fair_rate:.0} rows/s ({}) |",
        sizes.ingest,
        rates(&group_sizes),
        rates(&fair_rates)
    );
    // Each round pairs an API run with the raw runs around it; the median of the paired
    // ratios is the headline (the ratio of the two medians is shown beside it).
    for (label, raw, raw_rate) in [
        ("500 rows/tx", &raw_rates, raw_rate),
        ("fair: rows/tx = API group", &fair_rates, fair_rate),
    ] {
        let ratios: Vec<f64> = api_rates.iter().zip(raw).map(|(a, r)| a / r).collect();
        println!(
            "| ratio API / raw, {label} | median of rounds {:.2} (per round {}; ratio of medians {:.2}) |",
            median(&ratios),
            ratios
                .iter()
                .map(|r| format!("{r:.2}"))
                .collect::<Vec<_>>()
                .join(", "),
            api_rate / raw_rate
        );
    }

    // 4: stats latency at two sizes of the same region.
    let client = reqwest::Client::new();
    let token = login(&client, &base).await?;
    let mut stored = ROUNDS * sizes.ingest;
    let stats_sizes = [sizes.stats_small, sizes.stats_large];
    for target in stats_sizes.into_iter().filter(|_| sizes.stats_requests > 0) {
        while stored < target {
            let n = (target - stored).min(50_000);
            load_direct(&state, &generate(&points, n, stored as u64)).await?;
            stored += n;
        }
        for (label, range) in [
            ("all time", ""),
            ("one quarter", "&from=2026-04-01&to=2026-06-30"),
        ] {
            let url =
                format!("{base}/api/v1/stats?org=bench&questionnaire=nsi-satisfaction{range}");
            let (p50, p95, responses) =
                latency(&client, &url, &token, sizes.stats_requests).await?;
            println!("| stats, region, {label}, {stored} stored ({responses} in range) | p50 {p50:.2} ms, p95 {p95:.2} ms |");
        }
    }
    server.abort();
    state.db.close().await;
    Ok(())
}

/// A region with 20 institutions (two time zones), two `nsi-satisfaction` points each.
async fn seed(state: &AppState) -> anyhow::Result<Vec<String>> {
    let mut orgs = vec![NewOrg {
        code: "bench".into(),
        name: "Регион".into(),
        kind: "region".into(),
        ..Default::default()
    }];
    for i in 0..INSTITUTIONS {
        orgs.push(NewOrg {
            code: format!("inst-{i}"),
            name: format!("Учреждение {i}"),
            kind: "institution".into(),
            parent: Some("bench".into()),
            sector: Some("social".into()),
            tz: Some(
                if i % 2 == 0 {
                    "Europe/Moscow"
                } else {
                    "Asia/Novosibirsk"
                }
                .into(),
            ),
            ..Default::default()
        });
    }
    add_orgs(&state.db, &orgs, |i| format!("row {i}"))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut points = Vec::new();
    for i in 0..INSTITUTIONS {
        for j in 0..2 {
            let code = format!("p-{i}-{j}");
            add_nsi_point(state, code.clone(), format!("inst-{i}")).await?;
            points.push(code);
        }
    }
    add_user(&state.db, "bench-admin", "bench-password", "admin", None)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(points)
}

/// `n` responses; each run of 500 comes from one point over a few days, as a kiosk or a
/// busy QR poster syncs. Dates spread over 2026. Deterministic from `offset`.
fn generate(points: &[String], n: usize, offset: u64) -> Vec<NewResponse> {
    let start = "2026-01-01T09:00:00+03:00"
        .parse::<chrono::DateTime<FixedOffset>>()
        .unwrap_or_else(|_| Utc::now().fixed_offset());
    let likert = ["yes", "rather_yes", "rather_no", "no"];
    (0..n as u64)
        .map(|k| {
            let i = k + offset;
            let batch = i / BATCH as u64;
            let point = &points[(batch as usize * 7) % points.len()];
            let day = (batch * 3 + (i % 3)) % 330;
            let submitted_at = start + Days::days(day as i64) + Days::seconds((i % 28_800) as i64);
            let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            let pick = |shift: u32| likert[((h >> shift) % 4) as usize];
            let mut answers: Vec<RawAnswer> =
                ["process", "documents", "duration", "simplicity", "support"]
                    .iter()
                    .enumerate()
                    .map(|(q, id)| RawAnswer {
                        q: (*id).into(),
                        v: json!(pick(q as u32 * 2)),
                        comment: None,
                    })
                    .collect();
            answers.push(RawAnswer {
                q: "nps".into(),
                v: json!((h >> 20) % 11),
                comment: None,
            });
            if i.is_multiple_of(10) {
                answers[0].v = json!("no");
                answers[0].comment = Some("Долго ждали в очереди".into());
            }
            let random: [u8; 10] = std::array::from_fn(|b| (h >> (b % 8 * 8)) as u8 ^ b as u8);
            let id = uuid::Builder::from_unix_timestamp_millis(1_770_000_000_000 + i, &random)
                .into_uuid();
            NewResponse {
                id,
                point: point.clone(),
                questionnaire: "nsi-satisfaction".into(),
                version: 1,
                channel: Channel::Qr,
                device: None,
                seq: None,
                submitted_at,
                answers,
            }
        })
        .collect()
}

/// Loads responses through the ingest path without HTTP (the stats data set).
async fn load_direct(state: &AppState, responses: &[NewResponse]) -> anyhow::Result<()> {
    use otklik_server::ingest::{ingest_items, ParsedItem, Sender};
    let raws: Vec<String> = responses
        .iter()
        .map(serde_json::to_string)
        .collect::<Result<_, _>>()?;
    let sender = Sender {
        ip: [127, 0, 0, 1].into(),
        caller: None,
        device: None,
        entry_batch: None,
    };
    for (chunk, raw) in responses.chunks(BATCH).zip(raws.chunks(BATCH)) {
        let items = chunk
            .iter()
            .zip(raw)
            .map(|(r, raw)| ParsedItem::trusted(raw, r.clone()))
            .collect();
        ingest_items(state.ingest(), items, &sender, None)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(())
}

/// What the load generator reads of a batch reply.
#[derive(serde::Deserialize)]
struct Reply {
    results: Vec<ItemStatus>,
}

#[derive(serde::Deserialize)]
struct ItemStatus {
    status: String,
}

async fn http_ingest(base: &str, bodies: Vec<String>) -> anyhow::Result<f64> {
    let client = reqwest::Client::new();
    let bodies = Arc::new(bodies);
    let total: usize = bodies.len();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (client, bodies, next, url) = (
            client.clone(),
            bodies.clone(),
            next.clone(),
            format!("{base}/api/v1/responses"),
        );
        tasks.push(tokio::spawn(async move {
            let mut created = 0usize;
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(body) = bodies.get(i) else {
                    return Ok::<_, anyhow::Error>(created);
                };
                // Read as far as the statuses only: the load generator shares the server's
                // two cores, and every cycle it spends is one the server does not get.
                let reply: Reply = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await?
                    .error_for_status()?
                    .json()
                    .await?;
                created += reply
                    .results
                    .iter()
                    .filter(|r| r.status == "created")
                    .count();
            }
        }));
    }
    let mut created = 0;
    for t in tasks {
        created += t.await??;
    }
    let secs = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        created == total * BATCH || created > 0,
        "nothing was created"
    );
    Ok(created as f64 / secs)
}

/// The baseline's scratch table: the definition of `responses` (columns, primary key,
/// indexes), without its append-only triggers (they fire on update and delete only).
async fn create_raw_table(state: &AppState) -> anyhow::Result<()> {
    use otklik_server::db::{with_pool, Database};
    let ddl = match &state.db {
        Database::Sqlite { .. } => "create table bench_raw (id blob primary key, point_id integer not null, questionnaire text not null, \
            version integer not null, channel text not null, device text, seq integer, submitted_at text not null, \
            local_date text not null, received_at text not null, raw text not null, payload_hash blob not null)",
        Database::Postgres(_) => "create table bench_raw (id uuid primary key, point_id bigint not null, questionnaire text not null, \
            version integer not null, channel text not null, device text, seq bigint, submitted_at timestamptz not null, \
            local_date date not null, received_at timestamptz not null, raw text not null, payload_hash bytea not null)",
    };
    with_pool!(state.db.writer(), |p| {
        sqlx::query(ddl).execute(p).await?;
        sqlx::query("create index bench_raw_point_date on bench_raw(point_id, local_date)")
            .execute(p)
            .await?;
        sqlx::query(
            "create index bench_raw_device_seq on bench_raw(device, seq) where device is not null",
        )
        .execute(p)
        .await?;
        // As migration 0006 (comments newest first).
        sqlx::query("create index bench_raw_submitted on bench_raw(submitted_at, id)")
            .execute(p)
            .await?;
    });
    Ok(())
}

async fn drop_raw_table(state: &AppState) -> anyhow::Result<()> {
    use otklik_server::db::with_pool;
    with_pool!(state.db.writer(), |p| {
        sqlx::query("drop table bench_raw").execute(p).await?;
    });
    Ok(())
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

/// The group commit's totals so far: items stored and groups committed.
async fn group_totals(metrics: &str) -> anyhow::Result<(f64, f64)> {
    let text = reqwest::get(metrics)
        .await?
        .error_for_status()?
        .text()
        .await?;
    let value = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse::<f64>().ok())
            .ok_or_else(|| anyhow::anyhow!("{name} is missing from /metrics"))
    };
    Ok((
        value("otklik_group_commit_items_sum ")?,
        value("otklik_group_commit_items_count ")?,
    ))
}

/// The baseline: the same rows into the scratch table, `per_tx` per committed transaction (in
/// statements of at most 500 rows, within SQLite's bound-parameter limit), 8 tasks.
async fn raw_insert(
    state: &AppState,
    responses: &[NewResponse],
    per_tx: usize,
) -> anyhow::Result<f64> {
    use otklik_server::db::with_pool;
    use sha2::Digest;
    let mut point_ids = std::collections::HashMap::new();
    for r in responses {
        if !point_ids.contains_key(&r.point) {
            let id = state.db.point_by_code(&r.point).await?.map_or(0, |p| p.id);
            point_ids.insert(r.point.clone(), id);
        }
    }
    type Row = (
        uuid::Uuid,
        i64,
        chrono::DateTime<Utc>,
        chrono::NaiveDate,
        String,
        Vec<u8>,
    );
    let rows: Vec<Row> = responses
        .iter()
        .map(|r| {
            let raw = serde_json::to_string(r).unwrap_or_default();
            let hash = sha2::Sha256::digest(raw.as_bytes()).to_vec();
            (
                r.id,
                point_ids[&r.point],
                r.submitted_at.with_timezone(&Utc),
                r.submitted_at.date_naive(),
                raw,
                hash,
            )
        })
        .collect();
    let rows = Arc::new(rows);
    let started = Instant::now();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (db, rows, next) = (state.db.clone(), rows.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(tx_rows) = rows.chunks(per_tx).nth(i) else { return Ok::<_, anyhow::Error>(()) };
                let now = Utc::now();
                with_pool!(db.writer(), |p| {
                    let mut tx = p.begin().await?;
                    for chunk in tx_rows.chunks(BATCH) {
                        let mut qb = QueryBuilder::new(
                            "insert into bench_raw (id, point_id, questionnaire, version, channel, device, seq, submitted_at, \
                             local_date, received_at, raw, payload_hash) ",
                        );
                        qb.push_values(chunk, |mut b, (id, point, at, day, raw, hash)| {
                            b.push_bind(*id)
                                .push_bind(*point)
                                .push_bind("nsi-satisfaction")
                                .push_bind(1i64)
                                .push_bind("qr")
                                .push_bind(None::<String>)
                                .push_bind(None::<i64>)
                                .push_bind(*at)
                                .push_bind(*day)
                                .push_bind(now)
                                .push_bind(raw)
                                .push_bind(hash.as_slice());
                        });
                        qb.build().execute(&mut *tx).await?;
                    }
                    tx.commit().await?;
                });
            }
        }));
    }
    for t in tasks {
        t.await??;
    }
    Ok(rows.len() as f64 / started.elapsed().as_secs_f64())
}

async fn login(client: &reqwest::Client, base: &str) -> anyhow::Result<String> {
    let reply: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"login": "bench-admin", "password": "bench-password"}))
        .send()
        .await?
        .json()
        .await?;
    reply["token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("login failed: {reply}"))
}

async fn latency(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    n: usize,
) -> anyhow::Result<(f64, f64, u64)> {
    let mut times = Vec::with_capacity(n);
    let mut responses = 0;
    for _ in 0..n {
        let started = Instant::now();
        let reply: serde_json::Value = client
            .get(url)
            .bearer_auth(token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        times.push(started.elapsed());
        responses = reply["responses"].as_u64().unwrap_or(0);
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    Ok((ms(times[n / 2]), ms(times[n * 95 / 100]), responses))
}
