//! The state every request handler shares: the narrow handles the services take, opened once.
//!
//! Only the web edge (`routes`, `startup`) sees [`AppState`]; a handler hands each service just
//! the handles it uses (`&Database`, `&Catalog`, `&GroupCommit`…), so services stay callable
//! from the CLI, the demo loader and the benchmarks without a server.

use anyhow::Context;
use otklik_shared::catalog;
use otklik_shared::nok::NokMethodology;
use rand::distributions::{Alphanumeric, DistString};

use crate::auth::JwtKeys;
use crate::catalog::Catalog;
use crate::config::Settings;
use crate::db::Database;
use crate::ingest::group_commit::GroupCommit;
use crate::ingest::IngestDeps;
use crate::metrics::Metrics;
use crate::pwa::Pwa;
use crate::ratelimit::{LoginThrottle, RateLimiter};
use crate::stats::StatsDeps;

/// Shared state of every request handler.
pub struct AppState {
    /// Storage.
    pub db: Database,
    /// The queue every response batch is stored through.
    pub committer: GroupCommit,
    /// Published questionnaires.
    pub catalog: Catalog,
    /// The settings the server started with.
    pub settings: Settings,
    /// Token keys.
    pub jwt: JwtKeys,
    /// Anonymous rate limit.
    pub limiter: RateLimiter,
    /// Failed-login budgets per login and client address (in memory, per instance).
    pub logins: LoginThrottle,
    /// НОК methodology in force.
    pub methodology: NokMethodology,
    /// Base URL for QR codes and links, without a trailing slash.
    pub public_url: String,
    /// The PWA's files.
    pub pwa: Pwa,
    /// Prometheus metrics of this server (served by `--metrics-bind`).
    pub metrics: Metrics,
}

impl AppState {
    /// Connects to the database (running migrations), seeds and loads the catalog, reads or
    /// mints the token secret and starts the group committer.
    ///
    /// # Errors
    /// Database or catalog failure.
    pub async fn open(settings: Settings) -> anyhow::Result<Self> {
        let db = Database::connect(&settings.common.database_url).await?;
        let loaded = Catalog::open(&db).await?;
        let methodology =
            catalog::nok_methodology().context("The НОК methodology does not load")?;
        let secret = match &settings.serve.jwt_secret {
            Some(secret) => secret.clone(),
            None => db
                .setting_or_insert("jwt_secret", || {
                    Alphanumeric.sample_string(&mut rand::rngs::OsRng, 64)
                })
                .await
                .context("Failed to read or store the JWT secret")?,
        };
        let metrics = Metrics::new();
        Ok(Self {
            jwt: JwtKeys::new(secret.as_bytes(), settings.serve.token_ttl_minutes),
            limiter: RateLimiter::new(settings.serve.anon_rate_limit),
            logins: LoginThrottle::default(),
            pwa: Pwa::new(settings.serve.pwa_dir.clone()),
            committer: GroupCommit::start(&db, &metrics),
            metrics,
            public_url: settings.public_url(),
            db,
            catalog: loaded,
            methodology,
            settings,
        })
    }

    /// What the ingest service uses.
    pub fn ingest(&self) -> IngestDeps<'_> {
        IngestDeps {
            db: &self.db,
            catalog: &self.catalog,
            committer: &self.committer,
            metrics: &self.metrics,
        }
    }

    /// What the figures (stats, trends, exports) use.
    pub fn stats(&self) -> StatsDeps<'_> {
        StatsDeps {
            db: &self.db,
            catalog: &self.catalog,
            methodology: &self.methodology,
            min_n: self.settings.serve.min_n,
        }
    }
}
