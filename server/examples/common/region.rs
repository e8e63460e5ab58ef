//! What the benchmarks share (all of it the region-sized ones, `region_bench`, `nsi_bench`,
//! `growth_bench`; the points helper also `bench` and `bench_exports`): the data set on disk,
//! reused once complete; the in-process server; the region's orgs and admin; responses made
//! and stored through the real ingest path; and the latency measurements over HTTP.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Duration as Span, FixedOffset, Utc};
use otklik_server::config::Settings;
use otklik_server::demo::plausible_answers;
use otklik_server::ingest::{ingest_items, ParsedItem, Sender};
use otklik_server::orgs::NewOrg;
use otklik_server::points::{add_point, NewPoint};
use otklik_server::service_error::ServiceError;
use otklik_server::startup::Application;
use otklik_server::state::AppState;
use otklik_server::users::add_user;
use otklik_shared::answer::{Channel, NewResponse};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

/// Responses per ingest batch.
pub const BATCH: usize = 500;

/// One municipality per time zone.
pub const ZONES: [&str; 4] = [
    "Europe/Moscow",
    "Asia/Yekaterinburg",
    "Asia/Novosibirsk",
    "Asia/Vladivostok",
];

const ADMIN: (&str, &str) = ("bench-admin", "bench-password");

/// `--name N` of the command line, else `default`.
pub fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A data set's SQLite file and the in-process server on it.
pub struct Dataset {
    /// `sqlite://…` of the file.
    pub url: String,
    /// `http://127.0.0.1:<port>` of the in-process server.
    pub base: String,
    /// The benchmark's own handle on the database, for seeding.
    pub state: Arc<AppState>,
    /// Whether the data set is still to be built (no marker yet).
    pub fresh: bool,
    marker: PathBuf,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Dataset {
    /// Opens `target/<dir>/<file>` and serves it in-process on a free port. A data set is
    /// complete once its `.done` marker exists; an interrupted one is deleted, to build again.
    pub async fn open(dir: &str, file: &str) -> anyhow::Result<Self> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../target")
            .join(dir);
        std::fs::create_dir_all(&dir)?;
        let file = dir.join(file);
        let marker = file.with_extension("done");
        let fresh = !marker.exists();
        if fresh {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
        let url = format!("sqlite://{}", file.display());
        let mut settings = Settings::new(&url);
        settings.serve.bind = ([127, 0, 0, 1], 0).into();
        settings.serve.anon_rate_limit = 0;
        let app = Application::build(settings.clone()).await?;
        let base = format!("http://127.0.0.1:{}", app.port());
        let state = Arc::new(AppState::open(settings).await?);
        let server = tokio::spawn(app.run_until_stopped());
        Ok(Self {
            url,
            base,
            state,
            fresh,
            marker,
            server,
        })
    }

    /// Builds a fresh data set with `seed` and marks it complete, printing how long it took
    /// for `responses`; a complete one is left as it is.
    pub async fn build<F>(&self, responses: usize, seed: F) -> anyhow::Result<()>
    where
        F: std::future::Future<Output = anyhow::Result<()>>,
    {
        if !self.fresh {
            return Ok(());
        }
        let started = Instant::now();
        seed.await?;
        std::fs::write(&self.marker, b"")?;
        println!(
            "seeded {responses} responses in {:.0} s",
            started.elapsed().as_secs_f64()
        );
        Ok(())
    }

    /// Stops the server and closes the database.
    pub async fn close(self) {
        self.server.abort();
        self.state.db.close().await;
    }
}

/// A service failure as an `anyhow` error.
pub fn fail(e: ServiceError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// The region `bench` and one municipality `mun-<m>` per time zone of [`ZONES`].
pub fn region() -> Vec<NewOrg> {
    let mut orgs = vec![NewOrg {
        code: "bench".into(),
        name: "Область".into(),
        kind: "region".into(),
        ..Default::default()
    }];
    for (m, zone) in ZONES.iter().enumerate() {
        orgs.push(NewOrg {
            code: format!("mun-{m}"),
            name: format!("Район № {}", m + 1),
            kind: "municipality".into(),
            parent: Some("bench".into()),
            tz: Some((*zone).into()),
            ..Default::default()
        });
    }
    orgs
}

/// One `nsi-satisfaction` point `p-<i>` at each institution `inst-<i>`, `i` in `institutions`:
/// the region benches' points, one an institution.
pub async fn add_nsi_points(
    state: &AppState,
    institutions: std::ops::Range<usize>,
) -> anyhow::Result<()> {
    for i in institutions {
        add_nsi_point(state, format!("p-{i}"), format!("inst-{i}")).await?;
    }
    Ok(())
}

/// An `nsi-satisfaction` point `code` at the org `org`, with no life situation or stage.
pub async fn add_nsi_point(state: &AppState, code: String, org: String) -> anyhow::Result<()> {
    let point = NewPoint {
        code,
        org,
        questionnaire: "nsi-satisfaction".into(),
        life_situation: None,
        stage: None,
    };
    add_point(&state.db, &state.catalog, &point)
        .await
        .map_err(fail)?;
    Ok(())
}

/// The benchmark's admin account.
pub async fn add_admin(state: &AppState) -> anyhow::Result<()> {
    add_user(&state.db, ADMIN.0, ADMIN.1, "admin", None)
        .await
        .map_err(fail)?;
    Ok(())
}

/// A token of the benchmark's admin.
pub async fn login(client: &reqwest::Client, base: &str) -> anyhow::Result<String> {
    let reply: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"login": ADMIN.0, "password": ADMIN.1}))
        .send()
        .await?
        .json()
        .await?;
    reply["token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("login failed: {reply}"))
}

/// When the responses of [`respondents`] are dated.
#[derive(Clone, Copy)]
pub struct Dates {
    /// The first moment.
    pub start: DateTime<Utc>,
    /// How many days from `start` a response may fall on.
    pub days: i64,
}

/// `n` plausible responses at `point` with satisfaction `level` (rising 0.05 a year), on any
/// day of `span` (every institution answers every month, as in a real region, so the month
/// rollups read are as many as they will be), deterministic from `seed`.
pub async fn respondents(
    state: &AppState,
    point: &str,
    n: usize,
    level: f64,
    seed: u64,
    span: Dates,
) -> anyhow::Result<Vec<NewResponse>> {
    let row = state
        .db
        .point_by_code(point)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no point {point}"))?;
    let q = state
        .catalog
        .get(&state.db, &row.questionnaire, None)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no questionnaire {}", row.questionnaire))?;
    let mut rng = StdRng::seed_from_u64(seed);
    let msk = FixedOffset::east_opt(3 * 3600).ok_or_else(|| anyhow::anyhow!("offset"))?;
    Ok((0..n)
        .map(|_| {
            let day = rng.gen_range(0..span.days);
            let at = span.start + Span::days(day) + Span::seconds(rng.gen_range(0..36_000));
            let p = (level + 0.05 * day as f64 / 365.0).min(0.98);
            let random: [u8; 10] = rng.gen();
            NewResponse {
                id: uuid::Builder::from_unix_timestamp_millis(
                    at.timestamp_millis() as u64,
                    &random,
                )
                .into_uuid(),
                point: point.to_owned(),
                questionnaire: q.id.clone(),
                version: q.version,
                channel: if rng.gen_bool(0.8) {
                    Channel::Qr
                } else {
                    Channel::Link
                },
                device: None,
                seq: None,
                submitted_at: at.with_timezone(&msk),
                answers: plausible_answers(&q, p, &mut rng),
            }
        })
        .collect())
}

/// Stores responses through the ingest path (as the server's own data: no rate limit).
pub async fn store(state: &AppState, items: &[NewResponse]) -> anyhow::Result<()> {
    let raws: Vec<String> = items
        .iter()
        .map(serde_json::to_string)
        .collect::<Result<_, _>>()?;
    let parsed = items
        .iter()
        .zip(&raws)
        .map(|(item, raw)| ParsedItem::trusted(raw, item.clone()))
        .collect();
    let sender = Sender {
        ip: [127, 0, 0, 1].into(),
        caller: None,
        device: None,
        entry_batch: None,
    };
    ingest_items(state.ingest(), parsed, &sender, None)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}

/// Runs `batches` ingest batches on four tasks at once (they share group commits); `make(b)`
/// gives batch `b`'s responses.
pub async fn load_batches<F, Fut>(
    state: &Arc<AppState>,
    batches: usize,
    make: F,
) -> anyhow::Result<()>
where
    F: Fn(Arc<AppState>, usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = anyhow::Result<Vec<NewResponse>>> + Send,
{
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let (next, state, make) = (next.clone(), state.clone(), make.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let b = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if b >= batches {
                    return anyhow::Ok(());
                }
                let items = make(state.clone(), b).await?;
                store(&state, &items).await?;
            }
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(())
}

/// The HTTP side of the measurements.
pub struct Bench<'a> {
    pub client: &'a reqwest::Client,
    pub base: &'a str,
    pub token: &'a str,
    pub requests: usize,
}

impl Bench<'_> {
    /// Fetches `path` with the token, fails on an error status, returns the body.
    pub async fn body(&self, path: &str) -> anyhow::Result<impl std::ops::Deref<Target = [u8]>> {
        let res = self
            .client
            .get(format!("{}{path}", self.base))
            .bearer_auth(self.token)
            .send()
            .await?;
        let status = res.status();
        let body = res.bytes().await?;
        anyhow::ensure!(
            status.is_success(),
            "{path}: {status} {}",
            String::from_utf8_lossy(&body[..body.len().min(300)])
        );
        Ok(body)
    }

    /// Fetches `path` with the token, fails on an error status, returns the body's length.
    pub async fn fetch(&self, path: &str) -> anyhow::Result<usize> {
        Ok(self.body(path).await?.len())
    }

    /// The times of `requests` fetches after one warm-up, shortest first.
    pub async fn times(&self, path: &str) -> anyhow::Result<Vec<Duration>> {
        self.fetch(path).await?;
        let mut times = Vec::with_capacity(self.requests);
        for _ in 0..self.requests {
            let started = Instant::now();
            self.fetch(path).await?;
            times.push(started.elapsed());
        }
        times.sort();
        Ok(times)
    }

    /// p50 and p95 in milliseconds of `requests` fetches after one warm-up.
    pub async fn latency(&self, path: &str) -> anyhow::Result<(f64, f64)> {
        let times = self.times(path).await?;
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        Ok((
            ms(times[times.len() / 2]),
            ms(times[times.len() * 95 / 100]),
        ))
    }

    /// A table row: the figure and its p50's ratio to the baseline's.
    pub fn row(&self, label: &str, (p50, p95): (f64, f64), (base, _): (f64, f64)) {
        println!(
            "| {label} | {p50:.1} ms | {p95:.1} ms | {:.2} |",
            p50 / base
        );
    }
}
