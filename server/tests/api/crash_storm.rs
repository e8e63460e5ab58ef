//! The crash storm (issue 17 item 1): the real `serve` is SIGKILLed at random moments while
//! concurrent clients ingest batches, each client retrying a batch until it is answered. After
//! the storm every response a client saw acknowledged is stored, none twice, each as it was
//! sent, nothing unsent is stored, `otklik audit verify --rollups` passes (the log's chain, and
//! every rollup row equal to its recount from the raw responses), and `/stats` counts per
//! questionnaire what the clients sent (an independent count, held by the test).
//!
//! It exists because a graceful stop proves nothing about a crash, and the `kill -9` of the
//! browser tests usually lands before any commit; here a kill lands before, during and after
//! commits (a random delay of up to [`MAX_KILL_DELAY_MS`] after each restart, while the clients
//! keep batches in flight), and the report counts the kills that found requests in flight.
//! One restart in [`START_UP_KILL_EVERY`] is preceded by one more kill, of a `serve` still
//! starting on the same database (0–[`MAX_START_UP_KILL_MS`] ms after its spawn, most of them
//! before it serves): a crash while it opens the database and checks its migrations must not
//! harm what the next one serves.
//!
//! Variants: SQLite; PostgreSQL; three `serve` processes on one PostgreSQL database behind a
//! round-robin on loopback, the killer killing a random one of them each time. The round-robin is
//! done by the clients (each request goes to the next address in turn, as a DNS round-robin
//! does), not by a forwarder in the test: a forwarder is one more buffer between client and
//! server, whose own handling of a reset connection could hide or invent a lost reply. A killed
//! server comes back on a new port (a fixed port could be taken in between); the clients read the
//! addresses afresh for every attempt, as clients re-resolve a name.
//!
//! Bounded by count, never by time: `OTKLIK_CRASH_STORM_KILLS` kills per variant (default 50, the
//! CI run), `OTKLIK_CRASH_STORM_SEED` to replay the kill delays, the killed processes and the
//! generated responses of a reported storm (the seed is printed; the interleaving with the
//! clients is the machine's). The long run (docs/reliability.md):
//!
//! ```sh
//! OTKLIK_CRASH_STORM_KILLS=300 cargo test --locked -p otklik-server --test api crash_storm -- --nocapture
//! ```

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use crate::data::Generator;
use crate::helpers::{
    run_cli, Backend, ServeProcess, Sql, TestDb, ADMIN_PASSWORD, STANDARD_ORGS, STANDARD_POINTS,
};
use crate::idempotency::{
    any_standard_response, generated_per_questionnaire, standard_questionnaires, stats_total,
};
use crate::on_both_backends;

on_both_backends!(acknowledged_responses_survive_a_sigkill_storm_exactly_once);
on_both_backends!(a_first_start_killed_while_it_sets_up_the_database_is_completed_by_the_next);

/// Clients sending at once: enough to keep a batch in flight at nearly every kill.
const CLIENTS: usize = 5;
/// Responses per batch.
const BATCH: usize = 20;
/// The longest wait, after a restart, before the next kill: a batch commits in a few
/// milliseconds to tens of them, so uniform delays up to this land before, during and after.
const MAX_KILL_DELAY_MS: u64 = 1_000;
/// One restart in this many is preceded by a kill during start-up: a `serve` spawned on the
/// same database and killed after a random delay of up to [`MAX_START_UP_KILL_MS`], before or
/// after it has announced itself (it opens the database, checks the migrations, loads its
/// secret and catalog on the way).
const START_UP_KILL_EVERY: u32 = 3;
/// The longest wait before a kill during start-up: about what the debug build takes to
/// announce itself (18–38 ms measured here), so most kills land before it serves.
const MAX_START_UP_KILL_MS: u64 = 40;
/// First starts killed, each on a database of its own with no schema yet.
const FIRST_START_KILLS: usize = 8;
/// The longest wait before such a kill: a first start (the migrations, the token secret, the
/// built-in questionnaires) took 72–104 ms in the debug build here.
const MAX_FIRST_START_KILL_MS: u64 = 120;
/// A client's pause before it retries: the killed server is down for a restart.
const RETRY_PAUSE: Duration = Duration::from_millis(20);
/// The arguments of every `serve`: one address sends everything, so no anonymous rate limit.
const SERVE_ARGS: [&str; 2] = ["--anon-rate-limit", "0"];
/// The admin who reads `/stats` after the storm.
const ADMIN: &str = "storm-admin";

async fn acknowledged_responses_survive_a_sigkill_storm_exactly_once(backend: Backend) {
    storm(backend, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_responses_survive_a_sigkill_storm_on_three_serves_on_one_postgres() {
    storm(Backend::Postgres, 3).await;
}

/// A `serve` killed during its first start on a fresh database, wherever in setting it up the
/// kill lands, leaves a database the next `serve` completes: it serves, takes orgs, points and
/// a user, stores a batch, and the log and the rollups verify.
async fn a_first_start_killed_while_it_sets_up_the_database_is_completed_by_the_next(
    backend: Backend,
) {
    let plan = Plan::from_env();
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let mut gen = Generator::new(plan.seed);
    let questionnaires = standard_questionnaires();
    let mut before_serving = 0;
    for round in 0..FIRST_START_KILLS {
        // Arrange: a database with no schema yet.
        let db = TestDb::new(backend).await;

        // Act: a kill while the first `serve` sets it up, then the next `serve`.
        let mut first = ServeProcess::spawn(&db.url, &SERVE_ARGS);
        let delay = rng.gen_range(0..=MAX_FIRST_START_KILL_MS);
        tokio::time::sleep(Duration::from_millis(delay)).await;
        before_serving += usize::from(!first.announced());
        first.kill();
        let next = ServeProcess::start(&db.url, &SERVE_ARGS).await;
        seed_with_cli(&db.url).await;
        let batch: Vec<Value> = (0..BATCH)
            .map(|_| any_standard_response(&mut gen, &questionnaires))
            .collect();
        let reply: Value = reqwest::Client::new()
            .post(format!("{}/api/v1/responses", next.address))
            .json(&json!({ "responses": batch }))
            .send()
            .await
            .expect("POST /api/v1/responses")
            .json()
            .await
            .expect("a JSON reply");

        // Assert
        let what = format!(
            "round {round}, killed after {delay} ms (seed {})",
            plan.seed
        );
        let created = reply["results"].as_array().map_or(0, |results| {
            results.iter().filter(|r| r["status"] == "created").count()
        });
        assert_eq!(created, BATCH, "{what}: every item created: {reply}");
        for args in [&["audit", "verify"][..], &["audit", "verify", "--rollups"]] {
            cli_ok(&db.url, args, None).await;
        }
        let (total, _) = stats_total(&next.address, &login(&next.address).await).await;
        assert_eq!(total, BATCH as u64, "{what}: /stats");
        let errors: Vec<String> = [&first, &next].into_iter().flat_map(error_lines).collect();
        assert!(
            errors.is_empty(),
            "{what}: the servers logged errors: {errors:#?}"
        );
    }
    eprintln!(
        "first starts killed ({backend:?}, seed {}): {FIRST_START_KILLS}, {before_serving} of \
         them before the server announced itself; each completed by the next start",
        plan.seed
    );
}

/// How many kills and which seed: from the environment, else 50 and a fresh seed.
struct Plan {
    kills: usize,
    seed: u64,
}

impl Plan {
    fn from_env() -> Self {
        let var = |name: &str| {
            std::env::var(name).ok().map(|v| {
                v.parse::<u64>()
                    .unwrap_or_else(|e| panic!("{name}={v:?} is not a whole number: {e}"))
            })
        };
        Self {
            kills: var("OTKLIK_CRASH_STORM_KILLS").map_or(50, |k| k as usize),
            seed: var("OTKLIK_CRASH_STORM_SEED").unwrap_or_else(rand::random),
        }
    }
}

/// What the clients and the killer share: the servers' current addresses, the requests in
/// flight to each, and the signal to finish.
struct Storm {
    addresses: RwLock<Vec<String>>,
    in_flight: Vec<AtomicUsize>,
    stop: AtomicBool,
    started: Instant,
}

/// How one attempt to send a batch ended.
enum Attempt {
    /// 200 with the per-item results.
    Answered(Vec<Value>),
    /// No answer (connection refused or reset, timeout) or a 5xx: send it again.
    Failed { server_error: bool },
}

impl Storm {
    /// Sends a batch to the server in `slot`, counted in flight until its reply is read.
    async fn send(&self, http: &reqwest::Client, slot: usize, body: &str) -> Attempt {
        let address = self.addresses.read().expect("the address table")[slot].clone();
        self.in_flight[slot].fetch_add(1, Ordering::SeqCst);
        let attempt = post(http, &address, body).await;
        self.in_flight[slot].fetch_sub(1, Ordering::SeqCst);
        attempt
    }
}

/// Posts one batch; anything but a 200 or a sign that the server is down (or failing) fails the
/// test, since every batch is valid.
async fn post(http: &reqwest::Client, address: &str, body: &str) -> Attempt {
    let sent = http
        .post(format!("{address}/api/v1/responses"))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await;
    let Ok(res) = sent else {
        return Attempt::Failed {
            server_error: false,
        };
    };
    let status = res.status();
    let Ok(text) = res.text().await else {
        return Attempt::Failed {
            server_error: false,
        };
    };
    if status.is_server_error() {
        return Attempt::Failed { server_error: true };
    }
    assert_eq!(
        status, 200,
        "a batch of valid responses was refused: {text}"
    );
    let reply: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("the batch reply is not JSON ({e}): {text}"));
    Attempt::Answered(
        reply["results"]
            .as_array()
            .unwrap_or_else(|| panic!("the reply has no results: {reply}"))
            .clone(),
    )
}

/// An acknowledgement a client saw.
struct Ack {
    id: String,
    /// When, since the storm began.
    at: Duration,
}

/// What one client sent and saw.
#[derive(Default)]
struct ClientLog {
    sent: Vec<Value>,
    acks: Vec<Ack>,
    /// Items answered `duplicate`: stored by an attempt whose reply the kill cut off.
    duplicates: usize,
    retries: usize,
    server_errors: usize,
}

/// Sends fresh batches until the storm is over, each until it is answered; items must come
/// back `created`, or `duplicate` when an earlier attempt of their batch may have been stored.
async fn client(k: usize, seed: u64, storm: Arc<Storm>) -> ClientLog {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("HTTP client");
    let mut gen = Generator::new(seed.wrapping_add(k as u64 + 1));
    let questionnaires = standard_questionnaires();
    let mut log = ClientLog::default();
    let mut turn = k;
    while !storm.stop.load(Ordering::SeqCst) {
        let batch: Vec<Value> = (0..BATCH)
            .map(|_| any_standard_response(&mut gen, &questionnaires))
            .collect();
        let body = json!({ "responses": batch }).to_string();
        let mut attempts = 0;
        let results = loop {
            attempts += 1;
            let slot = turn % storm.in_flight.len();
            turn += 1;
            match storm.send(&http, slot, &body).await {
                Attempt::Answered(results) => break results,
                Attempt::Failed { server_error } => {
                    log.retries += 1;
                    log.server_errors += usize::from(server_error);
                    tokio::time::sleep(RETRY_PAUSE).await;
                }
            }
        };
        let at = storm.started.elapsed();
        assert_eq!(
            results.len(),
            batch.len(),
            "client {k}: one result per item"
        );
        for (item, result) in batch.iter().zip(&results) {
            assert_eq!(
                result["id"], item["id"],
                "client {k}: results come in request order"
            );
            match result["status"].as_str() {
                Some("created") => {}
                Some("duplicate") if attempts > 1 => log.duplicates += 1,
                other => panic!(
                    "client {k}: item {} came back {other:?} on attempt {attempts}: {result}",
                    item["id"]
                ),
            }
            let id = item["id"].as_str().expect("an id").to_owned();
            log.acks.push(Ack { id, at });
        }
        log.sent.extend(batch);
    }
    log
}

/// What the killer did.
struct Kills {
    /// When each kill happened, since the storm began.
    at: Vec<Duration>,
    /// Kills that found at least one request in flight to the killed server.
    in_flight: usize,
    /// Extra kills of a `serve` spawned while the killed one was down, and how many of them
    /// landed before it had announced itself.
    start_ups: usize,
    during_start_up: usize,
    /// ERROR lines the killed servers had logged.
    errors: Vec<String>,
}

/// Kills a random server after a random delay, restarts it on the same database and publishes
/// its new address, `kills` times; then tells the clients to finish.
async fn killer(db_url: &str, servers: &mut [ServeProcess], storm: &Storm, plan: &Plan) -> Kills {
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let mut kills = Kills {
        at: Vec::with_capacity(plan.kills),
        in_flight: 0,
        start_ups: 0,
        during_start_up: 0,
        errors: Vec::new(),
    };
    for _ in 0..plan.kills {
        let delay = rng.gen_range(0..=MAX_KILL_DELAY_MS);
        tokio::time::sleep(Duration::from_millis(delay)).await;
        let slot = rng.gen_range(0..servers.len());
        kills.in_flight += usize::from(storm.in_flight[slot].load(Ordering::SeqCst) > 0);
        kills.at.push(storm.started.elapsed());
        servers[slot].kill();
        kills.errors.extend(error_lines(&servers[slot]));
        if rng.gen_ratio(1, START_UP_KILL_EVERY) {
            let mut starting = ServeProcess::spawn(db_url, &SERVE_ARGS);
            let delay = rng.gen_range(0..=MAX_START_UP_KILL_MS);
            tokio::time::sleep(Duration::from_millis(delay)).await;
            kills.during_start_up += usize::from(!starting.announced());
            kills.start_ups += 1;
            starting.kill();
            kills.errors.extend(error_lines(&starting));
        }
        servers[slot] = ServeProcess::start(db_url, &SERVE_ARGS).await;
        storm.addresses.write().expect("the address table")[slot] = servers[slot].address.clone();
    }
    storm.stop.store(true, Ordering::SeqCst);
    kills
}

/// The lines of a server's log that report an error or a panic.
fn error_lines(server: &ServeProcess) -> Vec<String> {
    server
        .log_text()
        .lines()
        .filter(|l| l.contains("ERROR") || l.contains("panicked"))
        .map(str::to_owned)
        .collect()
}

/// Seeds the standard orgs and points and an admin with the CLI, so that no process but the
/// storm's `serve` holds the database open (a restart then recovers it on its own).
async fn seed_with_cli(db_url: &str) {
    for (code, name, kind, parent, sector, tz) in STANDARD_ORGS {
        let mut args = vec!["org", "add", "--code", code, "--name", name, "--kind", kind];
        for (flag, value) in [("--parent", parent), ("--sector", sector), ("--tz", tz)] {
            if let Some(value) = value {
                args.extend([flag, value]);
            }
        }
        cli_ok(db_url, &args, None).await;
    }
    for (code, org, questionnaire, life_situation) in STANDARD_POINTS {
        let mut args = vec![
            "point",
            "add",
            "--code",
            code,
            "--org",
            org,
            "--questionnaire",
            questionnaire,
        ];
        if let Some((situation, stage)) = life_situation {
            args.extend(["--life-situation", situation, "--stage", stage]);
        }
        cli_ok(db_url, &args, None).await;
    }
    let password = format!("{ADMIN_PASSWORD}\n");
    let admin = [
        "user",
        "add",
        "--login",
        ADMIN,
        "--role",
        "admin",
        "--password-stdin",
    ];
    cli_ok(db_url, &admin, Some(&password)).await;
}

/// Runs a CLI command that must succeed.
async fn cli_ok(db_url: &str, args: &[&str], stdin: Option<&str>) {
    let out = run_cli(db_url, args, stdin).await;
    assert!(
        out.success,
        "otklik {args:?} failed: stdout {:?}, stderr {:?}",
        out.stdout, out.stderr
    );
}

/// Seeds a fresh database, starts `instances` servers on it, runs the storm and checks what it
/// left.
async fn storm(backend: Backend, instances: usize) {
    // Arrange
    let plan = Plan::from_env();
    let variant = match (backend, instances) {
        (Backend::Sqlite, _) => "SQLite".to_owned(),
        (Backend::Postgres, 1) => "PostgreSQL".to_owned(),
        (Backend::Postgres, n) => format!("{n} serve on one PostgreSQL"),
    };
    eprintln!(
        "crash storm ({variant}): seed {} (OTKLIK_CRASH_STORM_SEED), {} kills",
        plan.seed, plan.kills
    );
    let db = TestDb::new(backend).await;
    seed_with_cli(&db.url).await;
    let mut servers = Vec::with_capacity(instances);
    for _ in 0..instances {
        servers.push(ServeProcess::start(&db.url, &SERVE_ARGS).await);
    }
    let storm = Arc::new(Storm {
        addresses: RwLock::new(servers.iter().map(|s| s.address.clone()).collect()),
        in_flight: (0..instances).map(|_| AtomicUsize::new(0)).collect(),
        stop: AtomicBool::new(false),
        started: Instant::now(),
    });

    // Act: the clients send until the last restart, then finish their batch in hand.
    let limit = Duration::from_secs(120 + 10 * plan.kills as u64);
    let (kills, logs) = tokio::time::timeout(limit, async {
        let clients: Vec<_> = (0..CLIENTS)
            .map(|k| tokio::spawn(client(k, plan.seed, Arc::clone(&storm))))
            .collect();
        let kills = killer(&db.url, &mut servers, &storm, &plan).await;
        let mut logs = Vec::with_capacity(CLIENTS);
        for task in clients {
            logs.push(task.await.expect("a client panicked"));
        }
        (kills, logs)
    })
    .await
    .unwrap_or_else(|_| {
        panic!(
            "the storm ({variant}, seed {}) did not finish within {limit:?}: a server that \
             never came back, or a batch never answered",
            plan.seed
        )
    });
    let storm_time = storm.started.elapsed();

    // Assert
    let checks = Instant::now();
    let sent = assert_stored_exactly_as_acknowledged(&db, &logs, &kills).await;
    for args in [&["audit", "verify"][..], &["audit", "verify", "--rollups"]] {
        cli_ok(&db.url, args, None).await;
    }
    let address = &servers[0].address;
    let token = login(address).await;
    let (total, per) = stats_total(address, &token).await;
    assert_eq!(total, sent.len() as u64, "/stats responses over the region");
    assert_eq!(
        per,
        generated_per_questionnaire(&sent),
        "/stats responses per questionnaire"
    );
    assert_no_errors_logged(&servers, &kills);
    eprintln!(
        "crash storm ({variant}): seed {}, {} kills ({} with requests in flight) and {} of a \
         starting serve ({} before it announced itself), {} responses acknowledged ({} of \
         them `duplicate` after a retry), {} retries ({} of them 5xx), \
         storm {:.1} s; stored exactly once, audit verify --rollups and /stats pass ({:.1} s)",
        plan.seed,
        kills.at.len(),
        kills.in_flight,
        kills.start_ups,
        kills.during_start_up,
        sent.len(),
        logs.iter().map(|l| l.duplicates).sum::<usize>(),
        logs.iter().map(|l| l.retries).sum::<usize>(),
        logs.iter().map(|l| l.server_errors).sum::<usize>(),
        storm_time.as_secs_f64(),
        checks.elapsed().as_secs_f64(),
    );
}

/// No server, killed or still running, logged an error or a panic.
fn assert_no_errors_logged(running: &[ServeProcess], kills: &Kills) {
    let mut errors = kills.errors.clone();
    errors.extend(running.iter().flat_map(error_lines));
    assert!(errors.is_empty(), "the servers logged errors: {errors:#?}");
}

/// Every acknowledged response is stored once, as sent; nothing else is stored. Returns what
/// was sent.
async fn assert_stored_exactly_as_acknowledged(
    db: &TestDb,
    logs: &[ClientLog],
    kills: &Kills,
) -> Vec<Value> {
    let mut sent: HashMap<&str, &Value> = HashMap::new();
    for item in logs.iter().flat_map(|l| &l.sent) {
        let id = item["id"].as_str().expect("an id");
        assert!(sent.insert(id, item).is_none(), "id {id} generated twice");
    }
    let sql = Sql::connect(&db.url, db.backend).await;
    let raws = sql.texts("select raw from responses").await;
    sql.close().await;
    let mut stored: HashMap<String, Vec<Value>> = HashMap::new();
    for raw in &raws {
        let value: Value = serde_json::from_str(raw)
            .unwrap_or_else(|e| panic!("a stored raw response is not JSON ({e}): {raw}"));
        let id = value["id"].as_str().expect("a stored id").to_owned();
        stored.entry(id).or_default().push(value);
    }

    let lost: Vec<String> = logs
        .iter()
        .flat_map(|l| &l.acks)
        .filter(|ack| !stored.contains_key(&ack.id))
        .map(|ack| {
            let kill = kills.at.iter().rposition(|k| *k <= ack.at);
            format!(
                "{} acknowledged at {:?}, after kill {kill:?}",
                ack.id, ack.at
            )
        })
        .collect();
    assert!(lost.is_empty(), "acknowledged but not stored: {lost:#?}");
    let twice: Vec<&String> = stored
        .iter()
        .filter(|(_, rows)| rows.len() > 1)
        .map(|(id, _)| id)
        .collect();
    assert!(twice.is_empty(), "stored more than once: {twice:?}");
    let unsent: Vec<&String> = stored
        .keys()
        .filter(|id| !sent.contains_key(id.as_str()))
        .collect();
    assert!(unsent.is_empty(), "stored but never sent: {unsent:?}");
    let altered: Vec<&str> = sent
        .iter()
        .filter(|(id, item)| stored.get(**id).and_then(|rows| rows.first()) != Some(**item))
        .map(|(id, _)| *id)
        .collect();
    assert!(
        altered.is_empty(),
        "stored otherwise than sent: {altered:?}"
    );
    assert_eq!(raws.len(), sent.len(), "rows stored against responses sent");
    logs.iter().flat_map(|l| l.sent.iter().cloned()).collect()
}

/// Logs in the storm's admin on a server and returns the token.
async fn login(address: &str) -> String {
    let res = reqwest::Client::new()
        .post(format!("{address}/api/v1/auth/login"))
        .json(&json!({ "login": ADMIN, "password": ADMIN_PASSWORD }))
        .send()
        .await
        .expect("POST /api/v1/auth/login");
    let body: Value = res.json().await.expect("the login reply is JSON");
    body["token"]
        .as_str()
        .unwrap_or_else(|| panic!("no token in {body}"))
        .to_owned()
}
