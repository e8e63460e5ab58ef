//! The НСИ report and the region-wide НСИ table at the size of a pilot region, recorded in
//! `docs/benchmarks.md`: 500 institutions, the 10 pilot life situations and 2,000,000
//! `nsi-satisfaction` responses on one SQLite file, read through the HTTP API of an in-process
//! server.
//!
//! ```sh
//! cargo run --release -p otklik-server --example nsi_bench                       # 2,000,000 responses
//! cargo run --release -p otklik-server --example nsi_bench -- --responses 50000  # a smoke run
//! ```
//!
//! The data set is built once through the real ingest path (validation, hashing, rollups, the
//! hash chain) into `target/nsi-bench/<institutions>-<responses>.db` and reused by later runs.
//! The region has 4 municipalities (four time zones), every third institution rural. Each
//! institution belongs to one НСИ direction (education, health, social, employment: each four
//! consecutive institutions, one per municipality, take the next) and has an `nsi-satisfaction`
//! point for every life situation of its direction at each of the situation's stages inside
//! the institution (its stages but «before» and «after», at most three): 124 or 128
//! institutions per situation, 124 to 384 points each, 2,244 points at 500 institutions. The
//! responses fall on any day of 2025 and of 2026 up to 1 December, so the report of 2026 has
//! four quarters and the last one is under way. The region has a baseline (2025) and an
//! approved 2026 target for each situation × KPI, entered through the service as an official
//! would; every fifth institution of a situation has process-time measurements in each quarter
//! of 2026, a third of them fewer than ten (the report's warning). Each institution of ЖС-8
//! also has an exit point («после») whose own questionnaire asks how many days the situation
//! took (a `time_unit` question), so the report reads respondents' reported time too; its
//! share of the responses is its share of the points.
//!
//! Each figure is p50 and p95 of repeated requests after one warm-up, beside a baseline measured
//! in the same run on the same data:
//! - `/nsi/report` of ЖС-8 (the situation with the most points) for the region and 2026 against
//!   `/stats` of the same region, questionnaire and life situation over the report's latest
//!   quarter: the same rollups of the same points. `/stats` reads every question of one quarter,
//!   the report two questions (`process`, `nps`) of four quarters, and the targets, baselines
//!   and measurements besides;
//! - `/nsi/overview` (every situation × KPI) against `/stats` of the whole region over the same
//!   quarter: every point the overview reads, without the life-situation filter.

use std::sync::Arc;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use otklik_server::nsi::{self, BaselineInput, MeasurementInput, TargetInput};
use otklik_server::orgs::{add_orgs, NewOrg};
use otklik_server::points::{add_point, NewPoint};
use otklik_server::questionnaires;
use otklik_server::state::AppState;
use otklik_shared::catalog::LifeSituation;
use otklik_shared::org::Sector;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

// Not `common/mod.rs`: the workspace denies `mod.rs` files (`clippy::mod_module_files`).
// The module serves three benches; this one needs only part of it (its points are its own).
#[allow(dead_code)]
#[path = "common/region.rs"]
mod common;
use common::{
    add_admin, arg, fail, load_batches, login, region, respondents, Bench, Dataset, Dates, BATCH,
    ZONES,
};

/// The server binary's allocator, so the in-process server measures as it runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The directions institutions take in turn.
const DIRECTIONS: [Sector; 4] = [
    Sector::Education,
    Sector::Health,
    Sector::Social,
    Sector::Employment,
];
/// The year reported: the data's current year.
const YEAR: i32 = 2026;
/// The report measured: ЖС-8, with three stage points per institution.
const SITUATION: &str = "job-via-employment-centre";
/// Its latest quarter, for the baselines.
const QUARTER: &str = "from=2026-10-01&to=2026-12-31";
/// The budgets of issue 16, p50 in milliseconds.
const REPORT_BUDGET: f64 = 200.0;
const OVERVIEW_BUDGET: f64 = 300.0;

struct Options {
    responses: usize,
    institutions: usize,
    requests: usize,
}

/// The questionnaire of ЖС-8's exit points: the reported time.
const EXIT_QUESTIONNAIRE: &str = r#"{"id": "bench-exit", "version": 1, "title": "Сколько времени",
    "questions": [{"id": "took_days", "kind": "number", "required": true, "integer": true,
      "text": "Сколько дней прошло от обращения до трудоустройства?", "min": 0, "max": 365,
      "time_unit": "days"}]}"#;

/// One survey point of the plan.
struct PlannedPoint {
    code: String,
    questionnaire: &'static str,
    institution: usize,
    situation: String,
    stage: String,
    /// The satisfaction level of its answers at the start of 2025.
    level: f64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let opt = Options {
        responses: arg("--responses", 2_000_000),
        institutions: arg("--institutions", 500),
        requests: arg("--requests", 21),
    };
    // `-t`: the data set with the reported-time exit points.
    let data = Dataset::open(
        "nsi-bench",
        &format!("{}-{}-t.db", opt.institutions, opt.responses),
    )
    .await?;
    let state = data.state.clone();
    println!("data set: {}", data.url);
    data.build(opt.responses, seed(&state, &opt)).await?;
    let client = reqwest::Client::new();
    let token = login(&client, &data.base).await?;
    let bench = Bench {
        client: &client,
        base: &data.base,
        token: &token,
        requests: opt.requests,
    };
    check(&bench).await?;

    println!("load average before: {}", load_average());
    println!(
        "\n| {} institutions, 10 life situations, {} responses, SQLite | p50 | p95 | ratio to baseline (p50) |",
        opt.institutions, opt.responses
    );
    println!("| --- | --- | --- | --- |");
    let q = "org=bench&questionnaire=nsi-satisfaction";
    let stats_one = bench
        .latency(&format!(
            "/api/v1/stats?{q}&life_situation={SITUATION}&{QUARTER}"
        ))
        .await?;
    bench.row(
        "baseline: /stats, ЖС-8, region, 2026Q4",
        stats_one,
        stats_one,
    );
    let report = bench
        .latency(&format!(
            "/api/v1/nsi/report?org=bench&life_situation={SITUATION}&year={YEAR}"
        ))
        .await?;
    bench.row(
        "/nsi/report, ЖС-8, region, 2026 (latest quarter 2026Q4)",
        report,
        stats_one,
    );
    let stats_all = bench
        .latency(&format!("/api/v1/stats?{q}&{QUARTER}"))
        .await?;
    bench.row(
        "baseline: /stats, region, every life situation, 2026Q4",
        stats_all,
        stats_all,
    );
    let overview = bench
        .latency(&format!("/api/v1/nsi/overview?org=bench&year={YEAR}"))
        .await?;
    bench.row(
        "/nsi/overview, region, 2026 (10 situations × 3 KPIs)",
        overview,
        stats_all,
    );
    println!("\nload average after: {}", load_average());
    for (name, (p50, _), budget) in [
        ("/nsi/report", report, REPORT_BUDGET),
        ("/nsi/overview", overview, OVERVIEW_BUDGET),
    ] {
        let verdict = if p50 <= budget { "met" } else { "NOT met" };
        println!("{name}: p50 {p50:.1} ms against ≤ {budget:.0} ms: {verdict}");
    }
    data.close().await;
    Ok(())
}

/// `/proc/loadavg`'s three averages.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `path`'s body as JSON.
async fn json(bench: &Bench<'_>, path: &str) -> anyhow::Result<Value> {
    Ok(serde_json::from_slice(&bench.body(path).await?)?)
}

/// Fails unless the report and the overview show what the data set was built to have: ten
/// situations, four quarters with answers, the institutions and both settlements of the latest
/// quarter, targets and baselines, and the time KPI with its warning.
async fn check(bench: &Bench<'_>) -> anyhow::Result<()> {
    let situations = json(bench, "/api/v1/life-situations").await?;
    let count = situations["life_situations"].as_array().map_or(0, Vec::len);
    anyhow::ensure!(count == 10, "{count} life situations, not 10");
    let report = json(
        bench,
        &format!("/api/v1/nsi/report?org=bench&life_situation={SITUATION}&year={YEAR}"),
    )
    .await?;
    let kpis = &report["kpis"];
    let quarters = kpis["satisfied"]["quarters"].as_array().map_or(0, Vec::len);
    let institutions = report["institutions"].as_array().map_or(0, Vec::len);
    let answers: u64 = kpis["satisfied"]["quarters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|q| q["n"].as_u64())
        .sum();
    let time = kpis["time"]["quarters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let warned = time.iter().filter(|t| !t["warning"].is_null()).count();
    println!(
        "report of ЖС-8, {YEAR}: latest quarter {}, {quarters} quarters, {answers} answers to `process`, \
         {institutions} institutions in the latest quarter (urban {}, rural {} answers), \
         satisfied target {} achieved {}, time: {} quarters ({} with the warning), worst {} {}",
        report["latest_quarter"],
        report["settlement"]["urban"]["satisfied"]["n"],
        report["settlement"]["rural"]["satisfied"]["n"],
        kpis["satisfied"]["target"]["value"],
        kpis["satisfied"]["achieved"],
        time.len(),
        warned,
        time.last().map_or(Value::Null, |t| t["worst"].clone()),
        kpis["time"]["unit"],
    );
    anyhow::ensure!(
        report["latest_quarter"] == "2026Q4" && quarters == 4 && institutions > 0,
        "the report lacks quarters or institutions"
    );
    anyhow::ensure!(
        !kpis["nps"]["baseline"].is_null() && !kpis["time"]["target"].is_null(),
        "the report lacks baselines or targets"
    );
    anyhow::ensure!(
        time.len() == 4 && warned > 0,
        "the time KPI lacks quarters or warnings"
    );
    let reported = kpis["time"]["reported"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let reported_n: u64 = reported.iter().filter_map(|q| q["n"].as_u64()).sum();
    println!(
        "reported time: {} quarters, {reported_n} answers, latest median {}",
        reported.len(),
        reported.last().map_or(Value::Null, |q| q["median"].clone())
    );
    anyhow::ensure!(reported.len() == 4, "the report lacks the reported time");
    let overview = json(
        bench,
        &format!("/api/v1/nsi/overview?org=bench&year={YEAR}"),
    )
    .await?;
    let rows = overview["rows"].as_array().cloned().unwrap_or_default();
    let complete = rows
        .iter()
        .filter(|r| {
            ["satisfied", "nps", "time"]
                .iter()
                .all(|k| !r[k]["value"].is_null() && !r[k]["achieved"].is_null())
        })
        .count();
    println!(
        "overview {YEAR}: {} rows, {complete} with every KPI's value against its target",
        rows.len()
    );
    anyhow::ensure!(
        rows.len() == 10 && complete == 10,
        "the overview lacks rows or values"
    );
    Ok(())
}

/// The points: institution `i` is in municipality `i mod 4` and direction `(i / 4) mod 4`, with
/// a point per situation of its direction and stage inside the institution.
fn plan(situations: &[LifeSituation], institutions: usize) -> Vec<PlannedPoint> {
    let mut points = Vec::new();
    for i in 0..institutions {
        let direction = DIRECTIONS[(i / ZONES.len()) % DIRECTIONS.len()];
        let level = 0.45 + 0.5 * ((i * 37) % 100) as f64 / 100.0;
        for ls in situations.iter().filter(|ls| ls.direction == direction) {
            let inside = ls
                .stages
                .iter()
                .filter(|s| s.code != "before" && s.code != "after")
                .take(3);
            let level = level + 0.02 * (ls.no % 5) as f64 - 0.04;
            for stage in inside {
                points.push(PlannedPoint {
                    code: format!("p-{i}-{}-{}", ls.no, stage.code),
                    questionnaire: "nsi-satisfaction",
                    institution: i,
                    situation: ls.code.clone(),
                    stage: stage.code.clone(),
                    level,
                });
            }
            if ls.code == SITUATION {
                points.push(PlannedPoint {
                    code: format!("p-{i}-{}-exit", ls.no),
                    questionnaire: "bench-exit",
                    institution: i,
                    situation: ls.code.clone(),
                    stage: "after".into(),
                    level,
                });
            }
        }
    }
    points
}

fn sector_name(direction: Sector) -> &'static str {
    match direction {
        Sector::Education => "Образовательный центр",
        Sector::Health => "Поликлиника",
        Sector::Employment => "Центр занятости",
        _ => "Центр социального обслуживания",
    }
}

/// The region's orgs, points, admin, baselines, targets and measurements, then the responses
/// through the ingest path.
async fn seed(state: &Arc<AppState>, opt: &Options) -> anyhow::Result<()> {
    let mut situations = state.db.life_situations().await?;
    situations.sort_by_key(|ls| ls.no);
    let mut orgs = region();
    for i in 0..opt.institutions {
        let direction = DIRECTIONS[(i / ZONES.len()) % DIRECTIONS.len()];
        orgs.push(NewOrg {
            code: format!("inst-{i}"),
            name: format!("{} № {}", sector_name(direction), i + 1),
            kind: "institution".into(),
            parent: Some(format!("mun-{}", i % ZONES.len())),
            sector: Some(direction.as_str().into()),
            settlement: Some(if i % 3 == 0 { "rural" } else { "urban" }.into()),
            ..Default::default()
        });
    }
    add_orgs(&state.db, &orgs, |i| format!("row {i}"))
        .await
        .map_err(fail)?;
    let exit = serde_json::from_str(EXIT_QUESTIONNAIRE)?;
    questionnaires::publish(&state.db, &state.catalog, None, exit)
        .await
        .map_err(fail)?;
    let points = Arc::new(plan(&situations, opt.institutions));
    for p in points.iter() {
        let point = NewPoint {
            code: p.code.clone(),
            org: format!("inst-{}", p.institution),
            questionnaire: p.questionnaire.into(),
            life_situation: Some(p.situation.clone()),
            stage: Some(p.stage.clone()),
        };
        add_point(&state.db, &state.catalog, &point)
            .await
            .map_err(fail)?;
    }
    add_admin(state).await?;
    let measurements = nsi_figures(state, &situations, &points).await?;
    println!(
        "{} points, {measurements} process-time measurements",
        points.len()
    );

    // Batch b is point (7·b mod points)'s, of as many responses as give every point some.
    let dates = Dates {
        start: Utc
            .with_ymd_and_hms(2025, 1, 1, 6, 0, 0)
            .single()
            .ok_or_else(|| anyhow::anyhow!("start date"))?,
        // 2025 and 2026 up to 1 December.
        days: 700,
    };
    let total = opt.responses;
    let per = (total / points.len()).clamp(1, BATCH);
    load_batches(state, total.div_ceil(per), move |state, b| {
        let points = points.clone();
        async move {
            let p = &points[(b * 7) % points.len()];
            let n = per.min(total - b * per);
            respondents(&state, &p.code, n, p.level, b as u64, dates).await
        }
    })
    .await?;
    Ok(())
}

/// The region's 2025 baselines and approved 2026 targets of every situation × KPI, and the
/// process-time measurements of 2026: every fifth institution of a situation, twelve a quarter
/// (six at a third of them). Returns how many measurements.
async fn nsi_figures(
    state: &AppState,
    situations: &[LifeSituation],
    points: &[PlannedPoint],
) -> anyhow::Result<usize> {
    let db = &state.db;
    for ls in situations {
        let no = f64::from(ls.no);
        for (kpi, baseline, target, unit) in [
            ("satisfied", 55.0 + no, 63.0 + no, None),
            ("nps", 2.0 * no - 5.0, 2.0 * no + 10.0, None),
            ("time", 20.0 + no, 17.0 + no, Some("days")),
        ] {
            let b = BaselineInput {
                org: "bench".into(),
                life_situation: ls.code.clone(),
                kpi: kpi.into(),
                value: baseline,
                unit: unit.map(Into::into),
                period: "2025".into(),
                source: "Опрос по методике НСИ, пилотный регион".into(),
            };
            nsi::put_baseline(db, None, &b).await.map_err(fail)?;
            let t = TargetInput {
                org: "bench".into(),
                life_situation: ls.code.clone(),
                kpi: kpi.into(),
                year: YEAR,
                value: target,
                unit: unit.map(Into::into),
                method: if unit.is_some() { "manual" } else { "gap25" }.into(),
                source: "Протокол регионального штаба".into(),
                approved_by: "Региональный проектный офис".into(),
                approved_at: format!("{YEAR}-02-15"),
            };
            nsi::put_target(db, None, &t).await.map_err(fail)?;
        }
    }
    let mut rng = StdRng::seed_from_u64(16);
    let last_day = NaiveDate::from_ymd_opt(YEAR, 12, 1).ok_or_else(|| anyhow::anyhow!("date"))?;
    let mut count = 0;
    for ls in situations {
        let mut served: Vec<usize> = points
            .iter()
            .filter(|p| p.situation == ls.code)
            .map(|p| p.institution)
            .collect();
        served.dedup();
        for (k, institution) in served.iter().enumerate().step_by(5) {
            let per_quarter = if (k / 5) % 3 == 0 { 6 } else { 12 };
            for q in 0..4 {
                let first = NaiveDate::from_ymd_opt(YEAR, q * 3 + 1, 1)
                    .ok_or_else(|| anyhow::anyhow!("quarter"))?;
                let days = (last_day - first).num_days().min(90);
                for j in 0..per_quarter {
                    let day = first + Duration::days(days * j / per_quarter);
                    let m = MeasurementInput {
                        org: format!("inst-{institution}"),
                        life_situation: ls.code.clone(),
                        stage: None,
                        value: f64::from(rng.gen_range(10..40_u32) + ls.no),
                        unit: "days".into(),
                        measured_at: day.to_string(),
                    };
                    nsi::add_measurement(db, None, &m).await.map_err(fail)?;
                    count += 1;
                }
            }
        }
    }
    Ok(count)
}
