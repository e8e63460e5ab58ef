//! Building the application: database, catalog, keys, routes, middleware; and running it with
//! graceful shutdown.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{middleware, web, App, HttpServer};
use anyhow::Context;
use otklik_shared::catalog;
use otklik_shared::nok::NokMethodology;
use rand::distributions::{Alphanumeric, DistString};

use crate::auth::JwtKeys;
use crate::catalog::Catalog;
use crate::config::Settings;
use crate::db::Database;
use crate::error::ApiError;
use crate::ingest::group_commit::GroupCommit;
use crate::ratelimit::RateLimiter;
use crate::static_files::Pwa;
use crate::{demo, routes};

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
    /// НОК methodology in force.
    pub methodology: NokMethodology,
    /// Base URL for QR codes and links, without a trailing slash.
    pub public_url: String,
    /// The PWA's files.
    pub pwa: Pwa,
}

impl AppState {
    /// Connects to the database, runs migrations, seeds the built-in catalog and loads it.
    /// Every CLI command starts here, so migrations run on every command.
    ///
    /// # Errors
    /// Database or catalog failure.
    pub async fn open(settings: Settings) -> anyhow::Result<Self> {
        let db = Database::connect(&settings.database_url).await?;
        let questionnaires =
            catalog::builtin_questionnaires().context("Built-in questionnaires do not load")?;
        let situations =
            catalog::life_situations().context("Built-in life situations do not load")?;
        db.seed_catalog(&questionnaires, &situations)
            .await
            .context("Failed to seed the catalog")?;
        let loaded = Catalog::load(&db)
            .await
            .context("Failed to load the questionnaire catalog")?;
        let methodology =
            catalog::nok_methodology().context("The НОК methodology does not load")?;
        let secret = match &settings.jwt_secret {
            Some(secret) => secret.clone(),
            None => db
                .setting_or_insert("jwt_secret", || {
                    Alphanumeric.sample_string(&mut rand::rngs::OsRng, 64)
                })
                .await
                .context("Failed to read or store the JWT secret")?,
        };
        let public_url = settings
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", settings.bind))
            .trim_end_matches('/')
            .to_owned();
        Ok(Self {
            jwt: JwtKeys::new(secret.as_bytes(), settings.token_ttl_minutes),
            limiter: RateLimiter::new(settings.anon_rate_limit),
            pwa: Pwa::new(settings.pwa_dir.clone()),
            committer: GroupCommit::start(&db),
            db,
            catalog: loaded,
            methodology,
            public_url,
            settings,
        })
    }
}

/// A built server, bound to its port, not yet running.
pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
}

impl Application {
    /// Opens the state, loads the demo data if asked and the database is empty, binds the port.
    ///
    /// # Errors
    /// Database failure or a port that cannot be bound.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.bind)
            .with_context(|| format!("Failed to bind {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let mut settings = settings;
        settings.bind.set_port(port);
        let state = AppState::open(settings).await?;
        if state.settings.demo {
            demo::load_if_empty(&state)
                .await
                .context("Failed to load the demo data")?;
        }
        let state = web::Data::new(state);
        let server = serve(listener, state.clone())?;
        Ok(Self {
            port,
            server,
            state,
        })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The public base URL.
    pub fn public_url(&self) -> &str {
        &self.state.public_url
    }

    /// Runs until SIGINT/SIGTERM; in-flight requests finish (up to 30 s), then the database closes.
    ///
    /// # Errors
    /// The server failed.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.server.await.context("The HTTP server failed")?;
        self.state.db.close().await;
        Ok(())
    }
}

fn serve(listener: TcpListener, state: web::Data<AppState>) -> anyhow::Result<Server> {
    let server =
        HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(web::QueryConfig::default().error_handler(|e, _| {
                    ApiError::bad_request("bad_parameter", e.to_string()).into()
                }))
                .app_data(web::PathConfig::default().error_handler(|e, _| {
                    ApiError::bad_request("bad_parameter", e.to_string()).into()
                }))
                .wrap(middleware::Compress::default())
                .wrap(middleware::from_fn(crate::telemetry::log_request))
                .wrap(
                    middleware::DefaultHeaders::new()
                        .add((
                            header::X_CONTENT_TYPE_OPTIONS,
                            HeaderValue::from_static("nosniff"),
                        ))
                        .add((
                            header::REFERRER_POLICY,
                            HeaderValue::from_static("no-referrer"),
                        ))
                        .add((header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
                        .add((
                            header::CONTENT_SECURITY_POLICY,
                            HeaderValue::from_static(CSP),
                        ))
                        .add((
                            "Permissions-Policy",
                            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
                        )),
                )
                .configure(routes::configure)
                .default_service(web::to(crate::static_files::serve))
        })
        .shutdown_timeout(30)
        .listen(listener)
        .context("Failed to listen")?
        .run();
    Ok(server)
}

/// Content Security Policy: only our own origin; `'wasm-unsafe-eval'` lets the PWA compile its
/// WebAssembly, and the PWA's HTML has no inline script, so no hashes or nonces are needed.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; \
     base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
