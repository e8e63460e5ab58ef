//! Exports and comments benchmark, recorded in `docs/benchmarks.md` («Exports and comments»).
//!
//! ```sh
//! cargo run --release -p otklik-server --example bench_exports                  # SQLite, 500,000
//! cargo run --release -p otklik-server --example bench_exports -- postgres      # PostgreSQL
//! cargo run --release -p otklik-server --example bench_exports -- 100000        # another size
//! ```
//!
//! Loads N `nsi-satisfaction` responses (a fifth with a comment holding a phone number, a tenth
//! with a free-text suggestion) at 200 institutions × 2 points through the ingest service, then
//! over loopback HTTP against the in-process server measures: `responses.csv` rows/s and the
//! process's RSS growth while it streams (sampled every 20 ms from `/proc/self/status`; the
//! client only counts bytes), `responses.sqlite`, `stats.xlsx` and `stats.csv` times, and the
//! latency of comment pages (100 each) from the newest to 50 pages deep; then reviews every 25th
//! comment (alternately in progress and done, over the whole depth) and measures the pages of
//! each `&status=` the same way.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Duration as Span, FixedOffset};
use otklik_server::config::Settings;
use otklik_server::ingest::{ingest_items, ParsedItem, Sender};
use otklik_server::orgs::{add_orgs, NewOrg};
use otklik_server::startup::Application;
use otklik_server::state::AppState;
use otklik_server::users::add_user;
use otklik_shared::answer::{Channel, NewResponse, RawAnswer};
use serde_json::json;

// Not `common/mod.rs`: the workspace denies `mod.rs` files (`clippy::mod_module_files`).
// The module serves the region benches; this one needs only its points helper.
#[allow(dead_code)]
#[path = "common/region.rs"]
mod common;
use common::add_nsi_point;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const INSTITUTIONS: usize = 200;
const BATCH: usize = 500;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(500_000);
    let dir = tempfile::tempdir()?;
    let url = if args.iter().any(|a| a == "postgres") {
        let admin = std::env::var("BENCH_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let name = format!("otklik_bench_exports_{}", std::process::id());
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}")))
            .execute(&mut conn)
            .await?;
        admin
            .rsplit_once('/')
            .map_or(admin.clone(), |(base, _)| format!("{base}/{name}"))
    } else {
        format!("sqlite://{}", dir.path().join("bench.db").display())
    };
    let mut settings = Settings::new(url);
    settings.serve.bind = ([127, 0, 0, 1], 0).into();
    settings.serve.anon_rate_limit = 0;
    let app = Application::build(settings.clone()).await?;
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let state = AppState::open(settings).await?;

    let points = seed(&state).await?;
    let started = Instant::now();
    load(&state, &points, n).await?;
    println!(
        "loaded {n} responses in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    if let otklik_server::db::Database::Postgres(pool) = &state.db {
        // What autovacuum does within a minute of a bulk load: without statistics the planner
        // sorts the whole subtree for a comment page instead of walking `responses_submitted`.
        sqlx::query("analyze").execute(pool).await?;
    }
    let client = reqwest::Client::new();
    let token = login(&client, &base).await?;
    let q = "org=bench&questionnaire=nsi-satisfaction";

    let before = rss_kib();
    let peak = Arc::new(AtomicU64::new(before));
    let sampler = {
        let peak = peak.clone();
        tokio::spawn(async move {
            loop {
                peak.fetch_max(rss_kib(), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let started = Instant::now();
    let (bytes, lines) = stream(
        &client,
        &format!("{base}/api/v1/export/responses.csv?{q}"),
        &token,
    )
    .await?;
    let secs = started.elapsed().as_secs_f64();
    sampler.abort();
    let rows = lines - 1;
    println!(
        "responses.csv: {rows} rows, {:.1} MB in {secs:.2} s = {:.0} rows/s; RSS {:.1} MB before, peak {:.1} MB (growth {:.1} MB)",
        bytes as f64 / 1e6,
        rows as f64 / secs,
        before as f64 / 1024.0,
        peak.load(Ordering::Relaxed) as f64 / 1024.0,
        (peak.load(Ordering::Relaxed) - before) as f64 / 1024.0
    );

    for (name, path) in [
        ("responses.sqlite", "responses.sqlite"),
        ("stats.xlsx", "stats.xlsx"),
        ("stats.csv", "stats.csv"),
    ] {
        let mut times = Vec::new();
        let runs = if name == "responses.sqlite" { 1 } else { 5 };
        let mut size = 0;
        for _ in 0..runs {
            let started = Instant::now();
            size = stream(&client, &format!("{base}/api/v1/export/{path}?{q}"), &token)
                .await?
                .0;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{name}: {size} B, median {:.0} ms of {runs}",
            times[runs / 2]
        );
    }

    let (seen, times, _) = pages(&client, &base, &token, "", 50).await?;
    report("comments", seen, &times);

    // The comment loop's status filter: every 25th comment of the region reviewed (alternately
    // in progress and done), spread over the whole depth; then each status paged.
    let (_, _, all) = pages(&client, &base, &token, "", usize::MAX).await?;
    let started = Instant::now();
    let mut reviewed = 0;
    for (i, (response, question)) in all.iter().enumerate().filter(|(i, _)| i % 25 == 0) {
        let body = if i % 50 == 0 {
            json!({"status": "done", "public_answer": "Сделали"})
        } else {
            json!({"status": "in_progress"})
        };
        client
            .put(format!(
                "{base}/api/v1/comments/{response}/{question}/review"
            ))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await?
            .error_for_status()?;
        reviewed += 1;
    }
    println!(
        "reviewed {reviewed} of {} comments in {:.1} s",
        all.len(),
        started.elapsed().as_secs_f64()
    );
    if let otklik_server::db::Database::Postgres(pool) = &state.db {
        // As after the load: without statistics the planner sorts every review of a status
        // (26 ms at 1,980) instead of walking `comment_reviews_by_status` (1.5 ms).
        sqlx::query("analyze comment_reviews").execute(pool).await?;
    }
    for status in ["new", "in_progress", "done"] {
        let (seen, times, _) =
            pages(&client, &base, &token, &format!("&status={status}"), 50).await?;
        report(&format!("comments status={status}"), seen, &times);
    }
    Ok(())
}

/// The process's resident set, KiB.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Downloads `url`, counting bytes and lines, keeping nothing.
async fn stream(client: &reqwest::Client, url: &str, token: &str) -> anyhow::Result<(u64, u64)> {
    let mut res = client
        .get(url)
        .bearer_auth(token)
        .send()
        .await?
        .error_for_status()?;
    let (mut bytes, mut lines) = (0u64, 0u64);
    while let Some(chunk) = res.chunk().await? {
        bytes += chunk.len() as u64;
        lines += chunk.iter().filter(|&&b| b == b'\n').count() as u64;
    }
    Ok((bytes, lines))
}

async fn seed(state: &AppState) -> anyhow::Result<Vec<String>> {
    let mut orgs = vec![NewOrg {
        code: "bench".into(),
        name: "Регион".into(),
        kind: "region".into(),
        ..Default::default()
    }];
    for i in 0..INSTITUTIONS {
        orgs.push(NewOrg {
            code: format!("inst-{i:03}"),
            name: format!("Учреждение {i}"),
            kind: "institution".into(),
            parent: Some("bench".into()),
            sector: Some("social".into()),
            ..Default::default()
        });
    }
    add_orgs(&state.db, &orgs, |i| format!("row {i}"))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut points = Vec::new();
    for i in 0..INSTITUTIONS {
        for j in 0..2 {
            let code = format!("p-{i:03}-{j}");
            add_nsi_point(state, code.clone(), format!("inst-{i:03}")).await?;
            points.push(code);
        }
    }
    add_user(&state.db, "bench-admin", "bench-password", "admin", None)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(points)
}

/// `n` responses through the ingest service, 500 a batch, each batch at one point.
async fn load(state: &AppState, points: &[String], n: usize) -> anyhow::Result<()> {
    let start: chrono::DateTime<FixedOffset> = "2026-01-01T09:00:00+03:00".parse()?;
    let likert = ["yes", "rather_yes", "rather_no", "no"];
    let sender = Sender {
        ip: [127, 0, 0, 1].into(),
        caller: None,
        device: None,
        entry_batch: None,
    };
    for first in (0..n as u64).step_by(BATCH) {
        let batch: Vec<NewResponse> = (first..(first + BATCH as u64).min(n as u64))
            .map(|i| {
                let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
                let mut answers: Vec<RawAnswer> =
                    ["process", "documents", "duration", "simplicity", "support"]
                        .iter()
                        .enumerate()
                        .map(|(k, id)| RawAnswer {
                            q: (*id).into(),
                            v: json!(likert[((h >> (k * 2)) % 4) as usize]),
                            comment: None,
                        })
                        .collect();
                answers.push(RawAnswer {
                    q: "nps".into(),
                    v: json!((h >> 20) % 11),
                    comment: None,
                });
                if i % 5 == 0 {
                    answers[0].v = json!("no");
                    answers[0].comment = Some(format!(
                        "Долго ждали, звоните 8 912 {:03} {:02} {:02}",
                        i % 1000,
                        i % 97,
                        i % 89
                    ));
                }
                if i % 10 == 3 {
                    answers.push(RawAnswer {
                        q: "suggestions".into(),
                        v: json!("Больше окон, пишите ivan@mail.ru"),
                        comment: None,
                    });
                }
                let random: [u8; 10] = std::array::from_fn(|b| (h >> (b % 8 * 8)) as u8 ^ b as u8);
                NewResponse {
                    id: uuid::Builder::from_unix_timestamp_millis(1_770_000_000_000 + i, &random)
                        .into_uuid(),
                    point: points[(first as usize / BATCH * 7) % points.len()].clone(),
                    questionnaire: "nsi-satisfaction".into(),
                    version: 1,
                    channel: Channel::Qr,
                    device: None,
                    seq: None,
                    submitted_at: start
                        + Span::days(((first / BATCH as u64) * 3 % 330) as i64)
                        + Span::seconds((i % 28_800) as i64),
                    answers,
                }
            })
            .collect();
        let raws: Vec<String> = batch
            .iter()
            .map(serde_json::to_string)
            .collect::<Result<_, _>>()?;
        let items = batch
            .iter()
            .zip(&raws)
            .map(|(r, raw)| ParsedItem::trusted(raw, r.clone()))
            .collect();
        ingest_items(state.ingest(), items, &sender, None)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(())
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

/// Pages of 100 comments of the region from the newest, at most `max` pages, with `extra` in
/// the query: how many were read, each page's latency (ms), and every (response, question).
async fn pages(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    extra: &str,
    max: usize,
) -> anyhow::Result<(usize, Vec<f64>, Vec<(String, String)>)> {
    let mut cursor: Option<String> = None;
    let mut times = Vec::new();
    let mut keys = Vec::new();
    for _ in 0..max {
        let mut url = format!("{base}/api/v1/comments?org=bench&limit=100{extra}");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let started = Instant::now();
        let page: serde_json::Value = client
            .get(&url)
            .bearer_auth(token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        for c in page["comments"].as_array().into_iter().flatten() {
            keys.push((
                c["response"].as_str().unwrap_or_default().to_owned(),
                c["question"].as_str().unwrap_or_default().to_owned(),
            ));
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    Ok((keys.len(), times, keys))
}

/// One line of page latencies: first, last, median.
fn report(what: &str, seen: usize, times: &[f64]) {
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    println!(
        "{what}: {seen} read in {} pages; first page {:.0} ms, last {:.0} ms, median {:.0} ms",
        times.len(),
        times.first().copied().unwrap_or_default(),
        times.last().copied().unwrap_or_default(),
        sorted.get(sorted.len() / 2).copied().unwrap_or_default()
    );
}
