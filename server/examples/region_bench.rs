//! The officials' side at the size of a real region, recorded in `docs/benchmarks.md`: 2,000
//! institutions and 5,000,000 responses on one SQLite file, read through the HTTP API of an
//! in-process server.
//!
//! ```sh
//! cargo run --release -p otklik-server --example region_bench                  # 5,000,000 responses
//! cargo run --release -p otklik-server --example region_bench -- --responses 200000   # a smoke run
//! ```
//!
//! The data set is built once through the real ingest path (validation, hashing, rollups, the
//! hash chain) into `target/region-bench/<responses>.db` and reused by later runs. The region
//! has 4 municipalities of 500 institutions each (four time zones, urban and rural), one
//! `nsi-satisfaction` point per institution, each institution with its own level of
//! satisfaction, over 2024–2026; one more institution runs `nok-social` with 2,000 respondents
//! and a checklist, for the НОК bootstrap.
//!
//! Each figure is a latency (p50 and p95 of repeated requests after one warm-up) or a rate, and
//! each is printed beside a baseline measured in the same run on the same data:
//! - rankings and trends against `/stats` of the same region and period (the same rollups read);
//! - `stats.xlsx` against `stats.csv` (the same figures, another format);
//! - `responses.csv` against a plain scan of the same rows' stored JSON (the floor of reading
//!   them), with the process's resident memory sampled while it streams;
//! - a poster against the QR code's SVG of the same point; the ZIP of 500 posters against 500
//!   posters fetched one by one;
//! - `/stats` of the НОК institution (with its bootstrap) against `/stats` of an
//!   `nsi-satisfaction` institution of a similar size (no bootstrap).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use futures_util::StreamExt;
use otklik_server::orgs::{add_orgs, NewOrg};
use otklik_server::points::{add_point, NewPoint};
use otklik_server::state::AppState;
use otklik_shared::answer::NewResponse;
use serde_json::json;

// Not `common/mod.rs`: the workspace denies `mod.rs` files (`clippy::mod_module_files`).
#[path = "common/region.rs"]
mod common;
use common::{
    add_admin, add_nsi_points, arg, fail, load_batches, login, region, respondents, store, Bench,
    Dataset, Dates, BATCH, ZONES,
};

/// The server binary's allocator, so the in-process server measures as it runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// One municipality per time zone.
const MUNICIPALITIES: usize = ZONES.len();
const NOK_RESPONDENTS: usize = 2_000;

struct Options {
    responses: usize,
    institutions: usize,
    requests: usize,
    /// `--export-only`: only `responses.csv`, for iterating on the export.
    export_only: bool,
}

fn options() -> Options {
    Options {
        responses: arg("--responses", 5_000_000),
        institutions: arg("--institutions", 2_000),
        requests: arg("--requests", 21),
        export_only: std::env::args().any(|a| a == "--export-only"),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let opt = options();
    let data = Dataset::open(
        "region-bench",
        &format!("{}-{}-dense.db", opt.institutions, opt.responses),
    )
    .await?;
    let (base, state) = (data.base.clone(), data.state.clone());
    let client = reqwest::Client::new();
    data.build(opt.responses + NOK_RESPONDENTS, seed(&state, &opt))
        .await?;
    let token = login(&client, &base).await?;
    put_checklist(&client, &base, &token).await?;
    let bench = Bench {
        client: &client,
        base: &base,
        token: &token,
        requests: opt.requests,
    };
    if opt.export_only {
        export_responses(&bench, &state, &data.url).await?;
        data.close().await;
        return Ok(());
    }
    println!(
        "\n| {} institutions, {} responses, SQLite | p50 | p95 | ratio to baseline (p50) |",
        opt.institutions, opt.responses
    );
    println!("| --- | --- | --- | --- |");
    let quarter = "&from=2026-04-01&to=2026-06-30";
    let q = "org=bench&questionnaire=nsi-satisfaction";
    for (label, range) in [("all time", ""), ("one quarter", quarter)] {
        let stats = bench.latency(&format!("/api/v1/stats?{q}{range}")).await?;
        bench.row(&format!("baseline: /stats, region, {label}"), stats, stats);
        for (name, path) in [
            (
                "rankings satisfied",
                format!("/api/v1/rankings?{q}&metric=satisfied{range}"),
            ),
            (
                "rankings nps",
                format!("/api/v1/rankings?{q}&metric=nps{range}"),
            ),
            (
                "trends by quarter",
                format!("/api/v1/trends?{q}&question=process&grain=quarter{range}"),
            ),
            (
                "trends by month",
                format!("/api/v1/trends?{q}&question=process&grain=month{range}"),
            ),
        ] {
            let got = bench.latency(&path).await?;
            bench.row(&format!("{name}, region, {label}"), got, stats);
        }
    }
    let csv = bench
        .latency(&format!("/api/v1/export/stats.csv?{q}{quarter}"))
        .await?;
    bench.row("baseline: stats.csv, region, one quarter", csv, csv);
    let xlsx = bench
        .latency(&format!("/api/v1/export/stats.xlsx?{q}{quarter}"))
        .await?;
    bench.row("stats.xlsx, region, one quarter", xlsx, csv);

    let nsi_inst = bench
        .latency("/api/v1/stats?org=inst-0&questionnaire=nsi-satisfaction")
        .await?;
    bench.row(
        "baseline: /stats, one nsi-satisfaction institution",
        nsi_inst,
        nsi_inst,
    );
    let nok = bench
        .latency("/api/v1/stats?org=nok-inst&questionnaire=nok-social")
        .await?;
    bench.row(
        "/stats, НОК institution of 2,000 respondents, with the bootstrap (B = 1,000)",
        nok,
        nsi_inst,
    );

    let svg = bench.latency("/api/v1/points/p-0/qr.svg").await?;
    bench.row("baseline: qr.svg", svg, svg);
    let poster = bench.latency("/api/v1/points/p-0/poster.pdf").await?;
    bench.row("poster.pdf (A4)", poster, svg);
    let one_by_one = Instant::now();
    for i in 0..opt.institutions / MUNICIPALITIES {
        bench
            .fetch(&format!("/api/v1/points/p-{i}/poster.pdf"))
            .await?;
    }
    let one_by_one = one_by_one.elapsed();
    let started = Instant::now();
    let zip_bytes = bench.fetch("/api/v1/posters.zip?org=mun-0").await?;
    let zip = started.elapsed();
    println!(
        "| posters.zip of the {} points of one municipality ({} MB) | {:.2} s | | {:.2} (baseline: the same posters one by one, {:.2} s) |",
        opt.institutions / MUNICIPALITIES,
        zip_bytes / 1_000_000,
        zip.as_secs_f64(),
        zip.as_secs_f64() / one_by_one.as_secs_f64(),
        one_by_one.as_secs_f64()
    );

    export_responses(&bench, &state, &data.url).await?;
    data.close().await;
    Ok(())
}

/// `responses.csv` of one year of the region, streamed: rows per second and the resident
/// memory's growth while it streams, against a plain scan of the same rows' stored JSON.
///
/// The export is served by the release `otklik` binary in a process of its own, on the same
/// database file, so the memory sampled is the server's alone (not this benchmark's client,
/// nor the in-process server the other rows measure, with its warm caches).
async fn export_responses(bench: &Bench<'_>, state: &AppState, url: &str) -> anyhow::Result<()> {
    let (from, to) = ("2025-01-01", "2025-12-31");
    let rows: i64 = otklik_server::db::with_pool!(state.db.reader(), |p| sqlx::query_scalar(
        "select count(*) from responses \
         where questionnaire = 'nsi-satisfaction' and local_date between $1 and $2"
    )
    .bind(from)
    .bind(to)
    .fetch_one(p)
    .await?);
    let started = Instant::now();
    let mut scanned = 0usize;
    otklik_server::db::with_pool!(state.db.reader(), |p| {
        let mut stream = sqlx::query_scalar::<_, String>(
            "select raw from responses \
             where questionnaire = 'nsi-satisfaction' and local_date between $1 and $2",
        )
        .bind(from)
        .bind(to)
        .fetch(p);
        while let Some(raw) = stream.next().await {
            scanned += raw?.len();
        }
    });
    let scan = started.elapsed().as_secs_f64();

    let server = ServerProcess::start(url).await?;
    let token = login(bench.client, &server.base).await?;
    // One small request first, so the process has its usual pools and caches before `before`.
    bench
        .client
        .get(format!("{}/api/v1/orgs", server.base))
        .bearer_auth(&token)
        .send()
        .await?
        .error_for_status()?;
    let pid = server
        .child
        .id()
        .ok_or_else(|| anyhow::anyhow!("the server has exited"))?;
    let before = rss_kb(pid);
    let peak = Arc::new(std::sync::Mutex::new(before));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (peak.clone(), done.clone());
        tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                let now = rss_kb(pid);
                if let Ok(mut peak) = peak.lock() {
                    for (p, n) in peak.iter_mut().zip(now) {
                        *p = (*p).max(n);
                    }
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let started = Instant::now();
    let mut res = bench
        .client
        .get(format!(
            "{}/api/v1/export/responses.csv?org=bench&questionnaire=nsi-satisfaction&from={from}&to={to}",
            server.base
        ))
        .bearer_auth(&token)
        .send()
        .await?
        .error_for_status()?;
    let (mut bytes, mut lines) = (0usize, 0usize);
    while let Some(chunk) = res.chunk().await? {
        bytes += chunk.len();
        lines += chunk.iter().filter(|&&b| b == b'\n').count();
    }
    let export = started.elapsed().as_secs_f64();
    done.store(true, Ordering::Relaxed);
    sampler.await?;
    let peak = *peak
        .lock()
        .map_err(|_| anyhow::anyhow!("the sampler panicked"))?;
    let [growth_mb, anon_mb, file_mb] =
        [0, 1, 2].map(|i| peak[i].saturating_sub(before[i]) as f64 / 1024.0);
    server.stop().await;
    println!(
        "| responses.csv, region, 2025 ({rows} rows, {} MB, {} lines) | {:.0} rows/s | server RSS growth {growth_mb:.1} MB (anonymous {anon_mb:.1}, files {file_mb:.1}) | {:.2} (baseline: scan of the stored JSON, {:.0} rows/s, {} MB) |",
        bytes / 1_000_000,
        lines,
        rows as f64 / export,
        (rows as f64 / export) / (rows as f64 / scan),
        rows as f64 / scan,
        scanned / 1_000_000
    );
    Ok(())
}

/// Resident memory of process `pid`, in KiB: all of it, its anonymous part (heaps, SQLite's
/// page caches) and its file-backed part (mapped files).
fn rss_kb(pid: u32) -> [u64; 3] {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    ["VmRSS:", "RssAnon:", "RssFile:"].map(|field| {
        status
            .lines()
            .find(|l| l.starts_with(field))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    })
}

/// The release `otklik serve` in a process of its own on the benchmark's database.
struct ServerProcess {
    child: tokio::process::Child,
    base: String,
}

impl ServerProcess {
    /// Starts `target/release/otklik` (beside this example's own directory) on a free port
    /// and waits for `/healthz`.
    async fn start(url: &str) -> anyhow::Result<Self> {
        let exe = std::env::current_exe()?;
        let bin = exe
            .parent()
            .and_then(|examples| examples.parent())
            .map(|release| release.join("otklik"))
            .filter(|bin| bin.exists())
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "target/release/otklik is missing: cargo build --release -p otklik-server first"
                )
            })?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let base = format!("http://127.0.0.1:{port}");
        let child = tokio::process::Command::new(bin)
            .args([
                "serve",
                "--bind",
                &format!("127.0.0.1:{port}"),
                "--database-url",
                url,
            ])
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()?;
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if client
                .get(format!("{base}/healthz"))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return Ok(Self { child, base });
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("otklik serve did not answer /healthz within 30 s")
    }

    async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// The region's orgs, points and admin, then the responses through the ingest path.
async fn seed(state: &Arc<AppState>, opt: &Options) -> anyhow::Result<()> {
    let mut orgs = region();
    for i in 0..opt.institutions {
        orgs.push(NewOrg {
            code: format!("inst-{i}"),
            name: format!("КЦСОН № {} «Участие»", i + 1),
            kind: "institution".into(),
            parent: Some(format!("mun-{}", i % MUNICIPALITIES)),
            sector: Some("social".into()),
            settlement: Some(if i % 3 == 0 { "rural" } else { "urban" }.into()),
            ..Default::default()
        });
    }
    orgs.push(NewOrg {
        code: "nok-inst".into(),
        name: "Центр социального обслуживания «НОК»".into(),
        kind: "institution".into(),
        parent: Some("mun-0".into()),
        sector: Some("social".into()),
        ..Default::default()
    });
    add_orgs(&state.db, &orgs, |i| format!("row {i}"))
        .await
        .map_err(fail)?;
    add_nsi_points(state, 0..opt.institutions).await?;
    let nok_point = NewPoint {
        code: "p-nok".into(),
        org: "nok-inst".into(),
        questionnaire: "nok-social".into(),
        life_situation: None,
        stage: None,
    };
    add_point(&state.db, &state.catalog, &nok_point)
        .await
        .map_err(fail)?;
    add_admin(state).await?;

    // Batch b is point (7·b mod institutions)'s.
    let dates = Dates {
        start: Utc
            .with_ymd_and_hms(2024, 1, 1, 6, 0, 0)
            .single()
            .ok_or_else(|| anyhow::anyhow!("start date"))?,
        // Any day of three years.
        days: 1090,
    };
    let (institutions, total) = (opt.institutions, opt.responses);
    load_batches(state, total.div_ceil(BATCH), move |state, b| async move {
        let n = BATCH.min(total - b * BATCH);
        let point = (b * 7) % institutions;
        batch(&state, point, b, n, dates).await
    })
    .await?;
    let nok = respondents(state, "p-nok", NOK_RESPONDENTS, 0.8, 99, dates).await?;
    for chunk in nok.chunks(BATCH) {
        store(state, chunk).await?;
    }
    Ok(())
}

/// Batch `b`: `n` responses at point `p-<point>` over 2024–2026. Each institution
/// has its own level of satisfaction (spread from 45 % to 95 %), drifting up over the years.
async fn batch(
    state: &AppState,
    point: usize,
    b: usize,
    n: usize,
    dates: Dates,
) -> anyhow::Result<Vec<NewResponse>> {
    let level = 0.45 + 0.5 * ((point * 37) % 100) as f64 / 100.0;
    respondents(state, &format!("p-{point}"), n, level, b as u64, dates).await
}

/// The НОК institution's checklist for 2026, through the API.
async fn put_checklist(client: &reqwest::Client, base: &str, token: &str) -> anyhow::Result<()> {
    let res = client
        .put(format!("{base}/api/v1/nok/checklists/nok-inst/2026"))
        .bearer_auth(token)
        .json(&json!({
            "1.1": {"stand_present": 9, "stand_required": 10, "site_present": 18, "site_required": 20},
            "1.2": ["phone", "email", "e_services", "faq"],
            "2.1": ["waiting_zone", "navigation", "drinking_water", "sanitary_rooms"],
            "3.1": ["ramps", "parking", "adapted_doors"],
            "3.2": ["sound_visual", "braille", "escort", "remote_service"]
        }))
        .send()
        .await?;
    anyhow::ensure!(
        res.status().is_success(),
        "checklist: {}",
        res.text().await?
    );
    Ok(())
}
