//! `/stats` and `/rankings` as a region's data grows, recorded in `docs/benchmarks.md`
//! («Performance as users meet it»): p50/p99 at 10⁴, 10⁵, 10⁶ (and, given the time, 10⁷)
//! stored responses, then at the largest size while ingest runs alongside.
//!
//! ```sh
//! cargo run --release -p otklik-server --example growth_bench                       # up to 1,000,000
//! cargo run --release -p otklik-server --example growth_bench -- --max 10000000     # up to 10,000,000
//! ```
//!
//! The data set grows as a real region's does, not by cycling the same rollup rows: one SQLite
//! file (`target/growth-bench/growth.db`, rebuilt by every run and left for the cold-start
//! figure of `scripts/bench-load.sh`) is filled stage by stage, in date order, through the real
//! ingest path. Each stage adds institutions and their points (40, then 200, 800, 2,000), and
//! its responses are dated in the days after the previous stage's, so the history grows from
//! one quarter (10⁴) to a year (10⁵), three years (10⁶) and eight (10⁷); a point answers only
//! from the day it joins. After each stage the same questions are asked, relative to the
//! stage's last day: `/stats` of the region over all time and over the last quarter, and
//! `/rankings` of the region's institutions over the last year. The build rate of each stage
//! is printed, so the time 10⁷ needs can be read off before starting it.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Duration as Span, TimeZone, Utc};
use otklik_server::orgs::{add_orgs, NewOrg};
use otklik_server::state::AppState;
use serde_json::json;

// Not `common/mod.rs`: the workspace denies `mod.rs` files (`clippy::mod_module_files`).
// The module serves three benches; this one needs only part of it.
#[allow(dead_code)]
#[path = "common/region.rs"]
mod common;
use common::{
    add_admin, add_nsi_points, arg, fail, load_batches, login, region, respondents, Bench, Dataset,
    Dates, BATCH, ZONES,
};

/// The server binary's allocator, so the in-process server measures as it runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// (responses stored at the stage's end, its last day counted from [`start`], points by then).
const STAGES: [(usize, i64, usize); 4] = [
    (10_000, 91, 40),
    (100_000, 365, 200),
    (1_000_000, 3 * 365, 800),
    (10_000_000, 8 * 365, 2_000),
];

/// The region's first day: eight years before the benchmark's newest day (late 2026).
fn start() -> anyhow::Result<DateTime<Utc>> {
    Utc.with_ymd_and_hms(2018, 11, 1, 6, 0, 0)
        .single()
        .ok_or_else(|| anyhow::anyhow!("start date"))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let max = arg("--max", 1_000_000);
    let requests = arg("--requests", 101);
    let data = Dataset::open("growth-bench", "growth.db").await?;
    let (base, state) = (data.base.clone(), data.state.clone());
    let orgs = region();
    add_orgs(&state.db, &orgs, |i| format!("row {i}"))
        .await
        .map_err(fail)?;
    add_admin(&state).await?;
    let client = reqwest::Client::new();
    let token = login(&client, &base).await?;
    let bench = Bench {
        client: &client,
        base: &base,
        token: &token,
        requests,
    };
    println!(
        "# growth_bench ({}), SQLite, {requests} requests per figure",
        Utc::now().format("%Y-%m-%d %H:%M UTC")
    );
    println!("\n| stored | points | days | build (responses/s) | query | p50 | p99 |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    let (mut stored, mut day, mut points) = (0, 0, 0);
    let mut last = None;
    for &(size, end_day, end_points) in STAGES.iter().filter(|s| s.0 <= max) {
        add_institutions(&state, points, end_points).await?;
        let started = Instant::now();
        grow(&state, (stored, size), (day, end_day), (points, end_points)).await?;
        let rate = (size - stored) as f64 / started.elapsed().as_secs_f64();
        (stored, day, points) = (size, end_day, end_points);
        let stage = format!("{size} | {points} | {day} | {rate:.0}");
        for (label, path) in queries(day)? {
            let (p50, p99) = percentiles(&bench, &path).await?;
            println!("| {stage} | {label} | {p50:.1} ms | {p99:.1} ms |");
        }
        last = Some((size, day, points));
    }
    if let Some((size, day, points)) = last {
        while_ingesting(&bench, &state, size, day, points).await?;
    }
    data.close().await;
    Ok(())
}

/// The questions asked at each size, relative to the data's last day.
fn queries(day: i64) -> anyhow::Result<[(&'static str, String); 3]> {
    let last = (start()? + Span::days(day - 1)).date_naive();
    let date = |back: i64| last - Span::days(back);
    let q = "org=bench&questionnaire=nsi-satisfaction";
    Ok([
        ("/stats, region, all time", format!("/api/v1/stats?{q}")),
        (
            "/stats, region, last quarter",
            format!("/api/v1/stats?{q}&from={}&to={last}", date(90)),
        ),
        (
            "/rankings satisfied, region, last year",
            format!(
                "/api/v1/rankings?{q}&metric=satisfied&from={}&to={last}",
                date(364)
            ),
        ),
    ])
}

/// Institutions `inst-<from>`…`inst-<to - 1>` (in the municipalities in turn), one
/// `nsi-satisfaction` point `p-<i>` each.
async fn add_institutions(state: &AppState, from: usize, to: usize) -> anyhow::Result<()> {
    let orgs: Vec<NewOrg> = (from..to)
        .map(|i| NewOrg {
            code: format!("inst-{i}"),
            name: format!("КЦСОН № {} «Участие»", i + 1),
            kind: "institution".into(),
            parent: Some(format!("mun-{}", i % ZONES.len())),
            sector: Some("social".into()),
            settlement: Some(if i % 3 == 0 { "rural" } else { "urban" }.into()),
            ..Default::default()
        })
        .collect();
    add_orgs(&state.db, &orgs, |i| format!("row {i}"))
        .await
        .map_err(fail)?;
    add_nsi_points(state, from..to).await
}

/// Stores responses `stored.0`…`stored.1` through the ingest path, in date order from day
/// `days.0` to `days.1`: batch `b` of the stage is one point's week, and the points that
/// answer grow from `points.0` to `points.1` across the stage (a point joins, then answers).
async fn grow(
    state: &Arc<AppState>,
    stored: (usize, usize),
    days: (i64, i64),
    points: (usize, usize),
) -> anyhow::Result<()> {
    let start = start()?;
    let batches = (stored.1 - stored.0).div_ceil(BATCH);
    let first = stored.0 / BATCH;
    load_batches(state, batches, move |state, b| async move {
        let along = b as f64 / batches as f64;
        let day = days.0 + ((days.1 - days.0) as f64 * along) as i64;
        let active = (points.0 + ((points.1 - points.0) as f64 * along) as usize).max(1);
        let point = (b * 7) % active;
        let level = 0.45 + 0.5 * ((point * 37) % 100) as f64 / 100.0;
        let span = Dates {
            start: start + Span::days(day),
            days: 7.min(days.1 - day).max(1),
        };
        let n = BATCH.min(stored.1 - stored.0 - b * BATCH);
        let seed = (first + b) as u64;
        respondents(&state, &format!("p-{point}"), n, level, seed, span).await
    })
    .await
}

/// p50 and p99 in milliseconds of the bench's requests after one warm-up.
async fn percentiles(bench: &Bench<'_>, path: &str) -> anyhow::Result<(f64, f64)> {
    let times = bench.times(path).await?;
    let ms = |q: usize| times[(times.len() - 1) * q / 100].as_secs_f64() * 1000.0;
    Ok((ms(50), ms(99)))
}

/// The same questions while 4 clients post 500-response batches through the API (the last
/// week of the data, at every point), and the ingest rate they reach meanwhile.
async fn while_ingesting(
    bench: &Bench<'_>,
    state: &Arc<AppState>,
    size: usize,
    day: i64,
    points: usize,
) -> anyhow::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    let posted = Arc::new(AtomicUsize::new(0));
    let start = start()?;
    let mut clients = Vec::new();
    for c in 0..4 {
        let (stop, posted, state) = (stop.clone(), posted.clone(), state.clone());
        let (client, url) = (
            bench.client.clone(),
            format!("{}/api/v1/responses", bench.base),
        );
        clients.push(tokio::spawn(async move {
            let span = Dates {
                start: start + Span::days(day - 7),
                days: 7,
            };
            let mut b = c;
            while !stop.load(Ordering::Relaxed) {
                let point = format!("p-{}", (b * 7) % points);
                let seed = (size / BATCH + 1_000_000 + b) as u64;
                let items = respondents(&state, &point, BATCH, 0.7, seed, span).await?;
                client
                    .post(&url)
                    .json(&json!({ "responses": items }))
                    .send()
                    .await?
                    .error_for_status()?;
                posted.fetch_add(BATCH, Ordering::Relaxed);
                b += 4;
            }
            anyhow::Ok(())
        }));
    }
    // Let the clients reach their pace before measuring.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (before, started) = (posted.load(Ordering::Relaxed), Instant::now());
    let mut rows = Vec::new();
    for (label, path) in queries(day)? {
        rows.push((label, percentiles(bench, &path).await?));
    }
    let rate = (posted.load(Ordering::Relaxed) - before) as f64 / started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.await??;
    }
    for (label, (p50, p99)) in rows {
        println!(
            "| {size} + ingest at {rate:.0} responses/s (4 clients × 500/batch) | {points} | {day} | – | {label} | {p50:.1} ms | {p99:.1} ms |"
        );
    }
    Ok(())
}
