//! The harness: an in-process app on a fresh database of either backend, direct SQL access for
//! checks, seeding through the real code paths, and the `otklik` binary for CLI and
//! multi-process tests.
//!
//! Long by design: it is the one harness every test file shares (app, databases, SQL checks,
//! seeding, the binary), kept in one place so no test builds its own.
//!
//! SQLite databases are files in a [`tempfile::TempDir`]; PostgreSQL databases are created as
//! `otklik_test_<uuid>` on `TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`)
//! and dropped when the [`TestDb`] is dropped. An unreachable PostgreSQL fails the test: it never
//! skips. Logs stay hidden unless `TEST_LOG` is set.

use std::path::PathBuf;
use std::process::Stdio;
use std::str::FromStr;
use std::sync::Once;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use otklik_server::config::Settings;
use otklik_server::orgs::NewOrg;
use otklik_server::points::NewPoint;
use otklik_server::startup::Application;
use otklik_server::state::AppState;
use serde_json::{json, Value};
use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::{AssertSqlSafe, Connection};
use tempfile::TempDir;

/// Which database engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A fresh SQLite file.
    Sqlite,
    /// A fresh PostgreSQL database.
    Postgres,
}

/// Writes `sqlite_<name>` and `postgres_<name>` tests around `async fn <name>(backend: Backend)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        $(
            paste::paste! {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn [<sqlite_ $name>]() {
                    $name($crate::helpers::Backend::Sqlite).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn [<postgres_ $name>]() {
                    $name($crate::helpers::Backend::Postgres).await;
                }
            }
        )+
    };
}

static TRACING: Once = Once::new();

/// Shows the server's logs when `TEST_LOG` is set.
fn init_logs() {
    TRACING.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            otklik_server::telemetry::init();
        }
    });
}

/// The PostgreSQL server the tests create their databases on.
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[after_scheme..]
        .find('/')
        .map_or(base.len(), |i| after_scheme + i);
    format!("{}/{name}{query}", &base[..host_end])
}

enum Guard {
    Sqlite { _dir: TempDir },
    Postgres { admin_url: String, name: String },
}

/// A fresh, empty database; removed on drop.
pub struct TestDb {
    /// Its URL, as `--database-url` / `OTKLIK_DATABASE_URL` take it.
    pub url: String,
    /// Its backend.
    pub backend: Backend,
    guard: Guard,
}

impl TestDb {
    /// Creates a fresh database (no schema yet: every command migrates on start).
    pub async fn new(backend: Backend) -> Self {
        init_logs();
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("cannot create a temporary directory");
                let url = format!("sqlite://{}", dir.path().join("otklik.db").display());
                Self {
                    url,
                    backend,
                    guard: Guard::Sqlite { _dir: dir },
                }
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let name = format!("otklik_test_{}", uuid::Uuid::now_v7().simple());
                let mut conn = PgConnection::connect(&admin_url).await.unwrap_or_else(|e| {
                    panic!(
                        "PostgreSQL is required for the postgres_* tests and is unreachable at \
                         {admin_url} (set TEST_POSTGRES_URL): {e}"
                    )
                });
                sqlx::query(AssertSqlSafe(format!("create database \"{name}\"")))
                    .execute(&mut conn)
                    .await
                    .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
                let _ = conn.close().await;
                Self {
                    url: with_database(&admin_url, &name),
                    backend,
                    guard: Guard::Postgres { admin_url, name },
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Guard::Postgres { admin_url, name } = &self.guard {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop may run inside the test's runtime: use a thread with its own.
            let dropped = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime for dropping the test database");
                rt.block_on(async move {
                    let mut conn = PgConnection::connect(&admin_url).await?;
                    sqlx::query(AssertSqlSafe(format!(
                        "drop database if exists \"{name}\" with (force)"
                    )))
                    .execute(&mut conn)
                    .await?;
                    conn.close().await
                })
            })
            .join();
            if !matches!(dropped, Ok(Ok(()))) {
                eprintln!("warning: could not drop a PostgreSQL test database");
            }
        }
    }
}

/// Direct SQL access to a test database, for checks the API cannot make.
#[derive(Clone)]
pub enum Sql {
    /// SQLite.
    Sqlite(SqlitePool),
    /// PostgreSQL.
    Postgres(PgPool),
}

/// Runs the same sqlx expression on whichever pool `Sql` holds.
macro_rules! on_pool {
    ($sql:expr, |$p:ident| $body:expr) => {
        match $sql {
            Sql::Sqlite($p) => $body,
            Sql::Postgres($p) => $body,
        }
    };
}

/// One stored response with what the stats recomputation needs of its point and orgs.
#[derive(Debug, Clone)]
pub struct StoredRow {
    /// The item exactly as submitted.
    pub raw: String,
    /// Channel.
    pub channel: String,
    /// The local date the server stored.
    pub local_date: NaiveDate,
    /// Point code.
    pub point: String,
    /// Path of the point's org.
    pub org_path: String,
    /// Time zone of the point's institution.
    pub tz: String,
    /// The point's life situation.
    pub life_situation: Option<String>,
    /// The point's institution code.
    pub institution: String,
}

type StoredTuple = (
    String,
    String,
    NaiveDate,
    String,
    String,
    String,
    Option<String>,
    String,
);

impl Sql {
    /// Connects to a test database (a SQLite file is created if missing).
    pub async fn connect(url: &str, backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let opts = SqliteConnectOptions::from_str(url)
                    .expect("SQLite URL")
                    .create_if_missing(true)
                    .busy_timeout(Duration::from_secs(30));
                Self::Sqlite(
                    SqlitePoolOptions::new()
                        .max_connections(2)
                        .connect_with(opts)
                        .await
                        .expect("cannot open the test SQLite database"),
                )
            }
            Backend::Postgres => Self::Postgres(
                PgPoolOptions::new()
                    .max_connections(2)
                    .connect(url)
                    .await
                    .expect("cannot connect to the test PostgreSQL database"),
            ),
        }
    }

    /// A `select count(*) …` or other single integer.
    pub async fn scalar(&self, sql: &str) -> i64 {
        let sql = sql.to_owned();
        let result: Result<i64, sqlx::Error> =
            on_pool!(self, |p| sqlx::query_scalar(AssertSqlSafe(sql.clone()))
                .fetch_one(p)
                .await);
        result.unwrap_or_else(|e| panic!("query {sql:?} failed: {e}"))
    }

    /// Rows in `responses`.
    pub async fn count_responses(&self) -> i64 {
        self.scalar("select count(*) from responses").await
    }

    /// Runs statements with no parameters.
    pub async fn execute(&self, sql: &str) {
        self.try_execute(sql)
            .await
            .unwrap_or_else(|e| panic!("statement {sql:?} failed: {e}"));
    }

    /// Runs statements with no parameters, returning the database's refusal.
    pub async fn try_execute(&self, sql: &str) -> Result<(), String> {
        let result: Result<_, sqlx::Error> =
            on_pool!(self, |p| sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
                .execute(p)
                .await
                .map(|_| ()));
        result.map_err(|e| e.to_string())
    }

    /// Drops the triggers that keep `responses` and the response log append-only, so a test
    /// can tamper as someone with the database's own rights could.
    pub async fn drop_append_only_triggers(&self) {
        self.execute(match self {
            Sql::Sqlite(_) => {
                "drop trigger responses_append_only_update; \
                 drop trigger responses_append_only_delete; \
                 drop trigger response_log_append_only_update; \
                 drop trigger response_log_append_only_delete"
            }
            Sql::Postgres(_) => {
                "drop trigger responses_append_only on responses; \
                 drop trigger response_log_append_only on response_log"
            }
        })
        .await;
    }

    /// Runs a statement with two text parameters, returning the database's refusal.
    pub async fn try_execute_with2(&self, sql: &str, a: &str, b: &str) -> Result<(), String> {
        let result: Result<_, sqlx::Error> =
            on_pool!(self, |p| sqlx::query(AssertSqlSafe(sql.to_owned()))
                .bind(a)
                .bind(b)
                .execute(p)
                .await
                .map(|_| ()));
        result.map_err(|e| e.to_string())
    }

    /// The first column of the first row, as text (`None` without rows).
    pub async fn text(&self, sql: &str) -> Option<String> {
        self.texts(sql).await.into_iter().next()
    }

    /// The first column of every row, as text.
    pub async fn texts(&self, sql: &str) -> Vec<String> {
        let result: Result<Vec<String>, sqlx::Error> =
            on_pool!(self, |p| sqlx::query_scalar(AssertSqlSafe(sql.to_owned()))
                .fetch_all(p)
                .await);
        result.unwrap_or_else(|e| panic!("query {sql:?} failed: {e}"))
    }

    /// Every stored response, with its point, org path, institution and time zone.
    pub async fn stored_responses(&self) -> Vec<StoredRow> {
        let sql = "select r.raw, r.channel, r.local_date, p.code, o.path, i.tz, p.life_situation, i.code \
                   from responses r join points p on p.id = r.point_id join orgs o on o.id = p.org_id \
                   join orgs i on i.id = p.institution_id";
        let rows: Result<Vec<StoredTuple>, sqlx::Error> =
            on_pool!(self, |p| sqlx::query_as(sql).fetch_all(p).await);
        rows.expect("reading the stored responses failed")
            .into_iter()
            .map(
                |(raw, channel, local_date, point, org_path, tz, life_situation, institution)| {
                    StoredRow {
                        raw,
                        channel,
                        local_date,
                        point,
                        org_path,
                        tz,
                        life_situation,
                        institution,
                    }
                },
            )
            .collect()
    }

    /// The raw text stored for a response id (as the client sent it).
    pub async fn raw_of(&self, id: &str) -> Option<String> {
        // Ids are stored natively (uuid / blob), so match on the raw text's id instead: the
        // test data never repeats an id string in another field.
        let rows: Result<Vec<String>, sqlx::Error> = on_pool!(self, |p| sqlx::query_scalar(
            "select raw from responses where raw like $1"
        )
        .bind(format!("%{id}%"))
        .fetch_all(p)
        .await);
        let rows = rows.expect("reading a stored response failed");
        assert!(rows.len() <= 1, "id {id} appears in {} rows", rows.len());
        rows.into_iter().next()
    }

    /// The path of an org.
    pub async fn org_path(&self, code: &str) -> String {
        let path: Result<String, sqlx::Error> = on_pool!(self, |p| sqlx::query_scalar(
            "select path from orgs where code = $1"
        )
        .bind(code)
        .fetch_one(p)
        .await);
        path.unwrap_or_else(|e| panic!("org {code} has no path: {e}"))
    }

    /// The stored name of an org, if it exists.
    pub async fn org_name(&self, code: &str) -> Option<String> {
        let name: Result<Option<String>, sqlx::Error> = on_pool!(self, |p| sqlx::query_scalar(
            "select name from orgs where code = $1"
        )
        .bind(code)
        .fetch_optional(p)
        .await);
        name.expect("reading an org failed")
    }

    /// Makes the database refuse every new response under the running server, as a constraint
    /// the server does not expect would: an honest internal error, for tests of the 500 path.
    pub async fn refuse_new_responses(&self) {
        self.execute(match self {
            Sql::Sqlite(_) => {
                "create trigger forced_failure before insert on responses \
                 begin select raise(abort, 'forced_failure'); end"
            }
            Sql::Postgres(_) => {
                "alter table responses add constraint forced_failure check (false) not valid"
            }
        })
        .await;
    }

    /// Closes the pool.
    pub async fn close(&self) {
        on_pool!(self, |p| p.close().await);
    }
}

/// A running app on its own database.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// `http://127.0.0.1:<port>` of the metrics listener, if `metrics_bind` was set.
    pub metrics_address: Option<String>,
    /// An HTTP client for the tests.
    pub client: reqwest::Client,
    /// The database URL.
    pub db_url: String,
    /// A second state on the same database, to seed orgs, points and users through the real code.
    pub state: AppState,
    /// Direct SQL access for checks.
    pub sql: Sql,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
    /// The database; dropped last.
    _db: TestDb,
}

/// Spawns an app with the defaults of [`Settings::new`] (minimum n 30) on a free loopback port
/// and without the anonymous rate limit (many tests send from one address).
pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// Spawns an app on a fresh database with adjusted settings.
pub async fn spawn_app_with(backend: Backend, tweak: impl FnOnce(&mut Settings)) -> TestApp {
    TestApp::start(TestDb::new(backend).await, tweak).await
}

impl TestApp {
    /// Builds and spawns the app in-process on an existing test database.
    pub async fn start(db: TestDb, tweak: impl FnOnce(&mut Settings)) -> Self {
        let mut settings = Settings::new(db.url.clone());
        settings.serve.bind = ([127, 0, 0, 1], 0).into();
        settings.serve.anon_rate_limit = 0;
        tweak(&mut settings);
        let app = Application::build(settings.clone())
            .await
            .unwrap_or_else(|e| panic!("the app does not start on {:?}: {e:#}", db.backend));
        let address = format!("http://127.0.0.1:{}", app.port());
        let metrics_address = app
            .metrics_port()
            .map(|port| format!("http://127.0.0.1:{port}"));
        let server = tokio::spawn(app.run_until_stopped());
        // The seeding state never loads the demo again: the app has done it already.
        settings.serve.demo = false;
        let state = AppState::open(settings)
            .await
            .unwrap_or_else(|e| panic!("cannot open a second state on the test database: {e:#}"));
        let sql = Sql::connect(&db.url, db.backend).await;
        Self {
            address,
            metrics_address,
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(120))
                .build()
                .expect("HTTP client"),
            db_url: db.url.clone(),
            state,
            sql,
            server,
            _db: db,
        }
    }

    /// `address + path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path} failed: {e}"))
    }

    /// `GET path` with query parameters and an optional bearer token.
    pub async fn get_as(
        &self,
        path: &str,
        token: Option<&str>,
        query: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut req = self.client.get(self.url(path)).query(query);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.send()
            .await
            .unwrap_or_else(|e| panic!("GET {path} failed: {e}"))
    }

    /// `POST /api/v1/responses` with a JSON body, anonymously.
    pub async fn post_responses(&self, body: &Value) -> reqwest::Response {
        self.post_responses_as(body, None).await
    }

    /// `POST /api/v1/responses` with a JSON body and an optional bearer token.
    pub async fn post_responses_as(&self, body: &Value, token: Option<&str>) -> reqwest::Response {
        let mut req = self.client.post(self.url("/api/v1/responses")).json(body);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.send()
            .await
            .unwrap_or_else(|e| panic!("POST /api/v1/responses failed: {e}"))
    }

    /// `POST /api/v1/responses` with raw bytes.
    pub async fn post_raw(&self, body: impl Into<reqwest::Body>) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/responses"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST /api/v1/responses failed: {e}"))
    }

    /// Posts a batch that must be answered 200 and returns its `results`.
    pub async fn submit(&self, items: &[Value], token: Option<&str>) -> Vec<Value> {
        let res = self
            .post_responses_as(&json!({ "responses": items }), token)
            .await;
        let status = res.status();
        let body: Value = res.json().await.expect("the batch reply is JSON");
        assert_eq!(status, 200, "the batch was not accepted: {body}");
        let results = body["results"]
            .as_array()
            .unwrap_or_else(|| panic!("the reply has no results array: {body}"))
            .clone();
        assert_eq!(
            results.len(),
            items.len(),
            "one result per item expected: {body}"
        );
        results
    }

    /// `POST /api/v1/auth/login`.
    pub async fn post_login(&self, login: &str, password: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({"login": login, "password": password}))
            .send()
            .await
            .expect("POST /api/v1/auth/login failed")
    }

    /// Logs in and returns the token.
    pub async fn login(&self, login: &str, password: &str) -> String {
        let res = self.post_login(login, password).await;
        let status = res.status();
        let body: Value = res.json().await.expect("the login reply is JSON");
        assert_eq!(status, 200, "login of {login} failed: {body}");
        body["token"]
            .as_str()
            .unwrap_or_else(|| panic!("no token in {body}"))
            .to_owned()
    }

    /// `GET /api/v1/stats` with query parameters and an optional token.
    pub async fn get_stats(
        &self,
        token: Option<&str>,
        query: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut req = self.client.get(self.url("/api/v1/stats")).query(query);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.send().await.expect("GET /api/v1/stats failed")
    }

    /// `/stats` that must succeed, as JSON.
    pub async fn stats(&self, token: &str, query: &[(&str, &str)]) -> Value {
        let res = self.get_stats(Some(token), query).await;
        let status = res.status();
        let body: Value = res.json().await.expect("the stats reply is JSON");
        assert_eq!(status, 200, "/stats {query:?} failed: {body}");
        body
    }

    /// Adds orgs through `otklik_server::orgs::add_orgs`:
    /// `(code, name, kind, parent, sector, tz)`.
    pub async fn add_orgs(&self, orgs: &[OrgSpec<'_>]) {
        let rows: Vec<NewOrg> = orgs
            .iter()
            .map(|&(code, name, kind, parent, sector, tz)| NewOrg {
                code: code.into(),
                name: name.into(),
                kind: kind.into(),
                parent: parent.map(Into::into),
                sector: sector.map(Into::into),
                tz: tz.map(Into::into),
                settlement: None,
                bus_gov_id: None,
            })
            .collect();
        otklik_server::orgs::add_orgs(&self.state.db, &rows, |i| format!("test org {i}"))
            .await
            .unwrap_or_else(|e| panic!("seeding orgs failed: {e}"));
    }

    /// Adds a point through `otklik_server::points::add_point`.
    pub async fn add_point(
        &self,
        code: &str,
        org: &str,
        questionnaire: &str,
        life_situation: Option<(&str, &str)>,
    ) {
        otklik_server::points::add_point(
            &self.state.db,
            &self.state.catalog,
            &NewPoint {
                code: code.into(),
                org: org.into(),
                questionnaire: questionnaire.into(),
                life_situation: life_situation.map(|(ls, _)| ls.into()),
                stage: life_situation.map(|(_, stage)| stage.into()),
            },
        )
        .await
        .unwrap_or_else(|e| panic!("seeding point {code} failed: {e}"));
    }

    /// Adds a user through `otklik_server::users::add_user`.
    pub async fn add_user(&self, login: &str, password: &str, role: &str, scope: Option<&str>) {
        otklik_server::users::add_user(&self.state.db, login, password, role, scope)
            .await
            .unwrap_or_else(|e| panic!("seeding user {login} failed: {e}"));
    }

    /// Adds an admin and returns a token for it.
    pub async fn admin_token(&self) -> String {
        self.add_user("test-admin", ADMIN_PASSWORD, "admin", None)
            .await;
        self.login("test-admin", ADMIN_PASSWORD).await
    }

    /// Seeds the standard org tree and points (see [`STANDARD_ORGS`], [`STANDARD_POINTS`]).
    pub async fn seed_standard(&self) {
        self.add_orgs(&STANDARD_ORGS).await;
        for (code, org, questionnaire, ls) in STANDARD_POINTS {
            self.add_point(code, org, questionnaire, ls).await;
        }
    }

    /// Whether the in-process server is still running (it never should stop by itself).
    pub fn server_running(&self) -> bool {
        !self.server.is_finished()
    }
}

/// Password of the admin made by [`TestApp::admin_token`].
pub const ADMIN_PASSWORD: &str = "admin-password-1";

/// `(code, name, kind, parent, sector, tz)`.
pub type OrgSpec<'a> = (
    &'a str,
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

/// The standard org tree:
/// ```text
/// reg (region, Europe/Moscow)
/// ├── mun (municipality)
/// │   └── inst-a (institution, social)
/// │       └── inst-a-dep (department)
/// ├── inst-b (institution, education, Asia/Vladivostok)
/// └── inst-c (institution, social, Asia/Vladivostok)
/// ```
pub const STANDARD_ORGS: [OrgSpec<'static>; 6] = [
    (
        "reg",
        "Тестовая область",
        "region",
        None,
        None,
        Some("Europe/Moscow"),
    ),
    (
        "mun",
        "Тестовый район",
        "municipality",
        Some("reg"),
        None,
        None,
    ),
    (
        "inst-a",
        "КЦСОН «Тест», филиал",
        "institution",
        Some("mun"),
        Some("social"),
        None,
    ),
    (
        "inst-a-dep",
        "Отделение на дому",
        "department",
        Some("inst-a"),
        None,
        None,
    ),
    (
        "inst-b",
        "Школа № 1",
        "institution",
        Some("reg"),
        Some("education"),
        Some("Asia/Vladivostok"),
    ),
    (
        "inst-c",
        "КЦСОН «Восток»",
        "institution",
        Some("reg"),
        Some("social"),
        Some("Asia/Vladivostok"),
    ),
];

/// `(code, org, questionnaire, (life situation, stage))`.
pub type PointSpec = (
    &'static str,
    &'static str,
    &'static str,
    Option<(&'static str, &'static str)>,
);

/// The standard points.
pub const STANDARD_POINTS: [PointSpec; 8] = [
    ("a-express", "inst-a", "express", None),
    (
        "a-nsi",
        "inst-a",
        "nsi-satisfaction",
        Some(("home-social-service", "visit")),
    ),
    ("a-nok", "inst-a", "nok-social", None),
    (
        "dep-nsi",
        "inst-a-dep",
        "nsi-satisfaction",
        Some(("job-via-employment-centre", "registration")),
    ),
    ("b-nsi", "inst-b", "nsi-satisfaction", None),
    ("b-nok", "inst-b", "nok-education", None),
    ("b-core", "inst-b", "nsi-core", None),
    ("c-nok", "inst-c", "nok-social", None),
];

/// Asserts that a response is the error envelope with this status and code; returns the body.
pub async fn assert_error(res: reqwest::Response, status: u16, code: &str) -> Value {
    let got = res.status().as_u16();
    let headers = res.headers().clone();
    let text = res.text().await.expect("the error body is readable");
    let body: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("the {got} body is not JSON ({e}): {text:?}"));
    assert_eq!(got, status, "expected {status} {code}, got {got}: {body}");
    assert_envelope(&body);
    assert_eq!(
        body["error"]["code"], code,
        "expected error code {code}: {body}"
    );
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        content_type.starts_with("application/json"),
        "an error is JSON, got content-type {content_type:?}"
    );
    body
}

/// The `Retry-After` header in seconds, if the response carries one.
pub fn retry_after(res: &reqwest::Response) -> Option<u64> {
    res.headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

/// Asserts the `{"error": {"code", "message", "details"?}}` shape.
pub fn assert_envelope(body: &Value) {
    let error = body
        .get("error")
        .and_then(Value::as_object)
        .unwrap_or_else(|| panic!("no error envelope in {body}"));
    assert_eq!(
        body.as_object().map(|o| o.len()),
        Some(1),
        "the envelope has only `error`: {body}"
    );
    let code = error
        .get("code")
        .and_then(Value::as_str)
        .unwrap_or_default();
    assert!(
        !code.is_empty()
            && code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
        "the code is stable snake_case: {body}"
    );
    assert!(
        error
            .get("message")
            .and_then(Value::as_str)
            .is_some_and(|m| !m.is_empty()),
        "the error has a message: {body}"
    );
    assert!(
        error
            .keys()
            .all(|k| ["code", "message", "details"].contains(&k.as_str())),
        "the error holds only code, message, details: {body}"
    );
}

/// One expected entry of [`statuses`]: a status and, for refusals, its error code.
pub fn outcome(status: &str, code: Option<&str>) -> (String, Option<String>) {
    (status.to_owned(), code.map(str::to_owned))
}

/// `(status, error code)` of each item result.
pub fn statuses(results: &[Value]) -> Vec<(String, Option<String>)> {
    results
        .iter()
        .map(|r| {
            (
                r["status"].as_str().unwrap_or("?").to_owned(),
                r["error"]["code"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

/// The built `otklik` binary.
pub fn otklik_bin() -> &'static str {
    env!("CARGO_BIN_EXE_otklik")
}

/// A `tokio::process::Command` for the binary on a database, with a clean environment.
pub fn otklik(db_url: &str) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(otklik_bin());
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("OTKLIK_") {
            cmd.env_remove(&key);
        }
    }
    cmd.env("OTKLIK_DATABASE_URL", db_url)
        .env("RUST_LOG", "error")
        .kill_on_drop(true)
        .stdin(Stdio::null());
    cmd
}

/// What a finished CLI command printed.
#[derive(Debug)]
pub struct CliOutput {
    /// Exit success.
    pub success: bool,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs `otklik <args>` on a database, feeding `stdin` if given; bounded to two minutes.
pub async fn run_cli(db_url: &str, args: &[&str], stdin: Option<&str>) -> CliOutput {
    use tokio::io::AsyncWriteExt;
    let mut cmd = otklik(db_url);
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    if stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run otklik {args:?}: {e}"));
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        pipe.write_all(input.as_bytes())
            .await
            .expect("writing to otklik's stdin");
        drop(pipe);
    }
    let out = tokio::time::timeout(Duration::from_secs(120), child.wait_with_output())
        .await
        .unwrap_or_else(|_| panic!("otklik {args:?} did not finish in two minutes"))
        .expect("waiting for otklik");
    CliOutput {
        success: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A `serve` process of the real binary; killed on drop.
pub struct ServeProcess {
    /// `http://127.0.0.1:<port>`, as the server announced it; empty until it has.
    pub address: String,
    child: std::process::Child,
    log: PathBuf,
    /// Its stdout, where it announces its address.
    out: PathBuf,
    _log_dir: TempDir,
}

/// How `otklik serve` begins the line that says where it serves.
const ANNOUNCED: &str = "Otklik is serving on ";

impl ServeProcess {
    /// Starts `otklik serve` with extra arguments, logging warnings and errors only, and waits
    /// (at most a minute) for `/healthz`.
    pub async fn start(db_url: &str, extra: &[&str]) -> Self {
        Self::start_logging(db_url, extra, &[("RUST_LOG", "warn")]).await
    }

    /// [`Self::start`] with the logging variables `log_env` (`RUST_LOG`, `OTKLIK_LOG_FORMAT`).
    ///
    /// The server binds port 0 and the address is read from the line it prints: a port picked
    /// here and freed for it could be taken by another test's server in between (the crash
    /// storm restarts servers ~150 times a run).
    pub async fn start_logging(db_url: &str, extra: &[&str], log_env: &[(&str, &str)]) -> Self {
        let mut process = Self::spawn_logging(db_url, extra, log_env);
        process.address = process.wait_announced().await;
        process.wait_healthy().await;
        process
    }

    /// Starts `otklik serve` like [`Self::start`] but returns at once, while it is starting
    /// (for a kill during start-up); `address` stays empty.
    pub fn spawn(db_url: &str, extra: &[&str]) -> Self {
        Self::spawn_logging(db_url, extra, &[("RUST_LOG", "warn")])
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether it has announced its address by now.
    pub fn announced(&self) -> bool {
        std::fs::read_to_string(&self.out).is_ok_and(|out| out.contains(ANNOUNCED))
    }

    fn spawn_logging(db_url: &str, extra: &[&str], log_env: &[(&str, &str)]) -> Self {
        let log_dir = tempfile::tempdir().expect("temporary directory for the server log");
        let log = log_dir.path().join("serve.log");
        let out = log_dir.path().join("serve.out");
        let log_file = std::fs::File::create(&log).expect("server log file");
        let out_file = std::fs::File::create(&out).expect("server stdout file");
        let mut cmd = std::process::Command::new(otklik_bin());
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("OTKLIK_") {
                cmd.env_remove(&key);
            }
        }
        let child = cmd
            .args(["serve", "--bind", "127.0.0.1:0", "--database-url", db_url])
            .args(extra)
            .envs(log_env.iter().copied())
            .stdin(Stdio::null())
            .stdout(out_file)
            .stderr(log_file)
            .spawn()
            .expect("cannot start otklik serve");
        Self {
            address: String::new(),
            child,
            log,
            out,
            _log_dir: log_dir,
        }
    }

    /// Waits (at most a minute) for the `Otklik is serving on <address>` line.
    async fn wait_announced(&mut self) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let printed = std::fs::read_to_string(&self.out).unwrap_or_default();
            if let Some(line) = printed.lines().find(|l| l.starts_with(ANNOUNCED)) {
                return line[ANNOUNCED.len()..].to_owned();
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "otklik serve exited with {status} before serving: {}",
                    self.log_text()
                );
            }
            assert!(
                Instant::now() < deadline,
                "otklik serve did not say where it serves within a minute: {}",
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn wait_healthy(&mut self) {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "otklik serve exited with {status} before it was healthy: {}",
                    self.log_text()
                );
            }
            let healthy = client
                .get(format!("{}/healthz", self.address))
                .timeout(Duration::from_secs(2))
                .send()
                .await
                .is_ok_and(|r| r.status() == 200);
            if healthy {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "otklik serve at {} was not healthy within a minute: {}",
                self.address,
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// What the server wrote to stderr.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Sends SIGTERM, as a service manager stopping the server does.
    pub fn terminate(&self) {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("running kill");
        assert!(status.success(), "kill -TERM failed");
    }

    /// Sends SIGKILL, as a power cut or the OOM killer would end the server: no handler runs,
    /// and the kernel closes its sockets and releases its file locks. Waits for the process so
    /// a restart never races the dead one for its database.
    pub fn kill(&mut self) {
        self.child.kill().expect("sending SIGKILL to otklik serve");
        self.child.wait().expect("reaping the killed otklik serve");
    }

    /// Waits (at most `limit`) for the process to exit by itself and returns its status.
    pub async fn exit_status(&mut self, limit: Duration) -> std::process::ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("waiting for otklik serve") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "otklik serve did not exit within {limit:?}: {}",
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
