//! Building the application: state, routes, middleware; and running it with graceful shutdown.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::KeepAlive;
use actix_web::{middleware, web, App, HttpServer};
use anyhow::Context;

use crate::config::Settings;
use crate::error::ApiError;
use crate::state::AppState;
use crate::{demo, routes};

/// A built server, bound to its port (and the metrics port, if asked), not yet running.
pub struct Application {
    port: u16,
    server: Server,
    /// The `--metrics-bind` listener's port and server.
    metrics: Option<(u16, Server)>,
    state: web::Data<AppState>,
}

impl Application {
    /// Opens the state, loads the demo data if asked and the database is empty, binds the port.
    ///
    /// # Errors
    /// Database failure or a port that cannot be bound.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.serve.bind)
            .with_context(|| format!("Failed to bind {}", settings.serve.bind))?;
        let port = listener.local_addr()?.port();
        let metrics_listener = settings
            .serve
            .metrics_bind
            .map(|addr| {
                TcpListener::bind(addr).with_context(|| format!("Failed to bind metrics on {addr}"))
            })
            .transpose()?;
        let mut settings = settings;
        settings.serve.bind.set_port(port);
        let state = AppState::open(settings).await?;
        // Serving on weaker settings is the operator's choice (a test cluster), but never a
        // silent one: each `created` reply would then promise more than the disk keeps.
        for s in state.db.durability().await? {
            if !s.is_durable() {
                tracing::warn!(
                    pool = s.pool,
                    setting = s.name,
                    value = %s.value,
                    "a durability setting is weaker than documented: acknowledged responses may be lost on power failure"
                );
            }
        }
        if state.settings.serve.demo {
            demo::load_if_empty(state.ingest())
                .await
                .map_err(|e| anyhow::anyhow!("Failed to load the demo data: {e:?}"))?;
        }
        let state = web::Data::new(state);
        let server = serve(listener, state.clone())?;
        let metrics = match metrics_listener {
            Some(listener) => Some((
                listener.local_addr()?.port(),
                serve_metrics(listener, state.clone())?,
            )),
            None => None,
        };
        Ok(Self {
            port,
            server,
            metrics,
            state,
        })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The metrics listener's port, if `--metrics-bind` was given.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(port, _)| *port)
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
        // The metrics listener ignores signals and stops when the main server has: Prometheus
        // can watch the drain to the end.
        let metrics = self.metrics.map(|(_, server)| {
            let handle = server.handle();
            (handle, tokio::spawn(server))
        });
        let served = self.server.await.context("The HTTP server failed");
        if let Some((handle, task)) = metrics {
            handle.stop(true).await;
            drop(task.await);
        }
        served?;
        self.state.db.close().await;
        Ok(())
    }
}

/// Serves the app on `listener` with the connection limits of the settings.
///
/// A client must send its first request's head within `request_head_timeout` (else 408 and
/// the connection is closed), an idle keep-alive connection is closed after `keep_alive`, and
/// a closed connection gets `disconnect_timeout` to drain: so slow or idle clients cannot hold
/// connections for free. The head's size is bounded by actix-http itself, not configurable:
/// 128 KiB and 96 headers, beyond which it answers 431 and closes (README «Connection limits»).
fn serve(listener: TcpListener, state: web::Data<AppState>) -> anyhow::Result<Server> {
    let https = state
        .public_url
        .get(..8)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"));
    let limits = &state.settings.serve;
    let keep_alive = match limits.keep_alive {
        0 => KeepAlive::Disabled,
        secs => KeepAlive::Timeout(Duration::from_secs(secs)),
    };
    let request_head_timeout = Duration::from_secs(limits.request_head_timeout);
    let disconnect_timeout = Duration::from_secs(limits.disconnect_timeout);
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
                .wrap(security_headers(https))
                .configure(routes::configure)
                .default_service(web::to(routes::static_files::serve))
        })
        .keep_alive(keep_alive)
        .client_request_timeout(request_head_timeout)
        .client_disconnect_timeout(disconnect_timeout)
        .shutdown_timeout(30)
        .listen(listener)
        .context("Failed to listen")?
        .run();
    Ok(server)
}

/// The metrics listener: `/metrics` only, one worker, none of the API's middleware (a scrape
/// is not a request worth logging or counting).
fn serve_metrics(listener: TcpListener, state: web::Data<AppState>) -> anyhow::Result<Server> {
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .configure(routes::metrics::configure)
    })
    .workers(1)
    .disable_signals()
    .listen(listener)
    .context("Failed to listen for metrics")?
    .run();
    Ok(server)
}

/// The headers every response carries, API JSON, errors, the PWA's files and the server-made
/// pages alike (a route's own value wins, none sets these). `Strict-Transport-Security` only
/// when the public URL is https: sent over plain HTTP it would be ignored at best, and it would
/// bind browsers to HTTPS on a host that may not have it. It leaves out `includeSubDomains`: the
/// institution's other hosts are not ours to commit.
fn security_headers(https: bool) -> middleware::DefaultHeaders {
    let headers = middleware::DefaultHeaders::new()
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
        ));
    if https {
        headers.add((
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        ))
    } else {
        headers
    }
}

/// `Strict-Transport-Security` for an https public URL: a year.
pub const HSTS: &str = "max-age=31536000";

/// Content Security Policy: only our own origin; `'wasm-unsafe-eval'` lets the PWA compile its
/// WebAssembly, and the PWA's HTML has no inline script or style, so no hashes or nonces are
/// needed. (The survey page's first response is the one exception: `csp_allowing`.)
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; \
     base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// `CSP` that also allows exactly one inline script and at most one inline style element,
/// named by their hashes (`'sha256-…'`), for the survey page (`routes::survey_page`): its first
/// question must arrive styled and working in the first response, on slow mobile data, with no
/// request of its own. Still no `'unsafe-inline'`: any other inline text is refused.
pub fn csp_allowing(script: &str, style: Option<&str>) -> String {
    let csp = CSP.replacen(
        "script-src 'self' 'wasm-unsafe-eval';",
        &format!("script-src 'self' 'wasm-unsafe-eval' {script};"),
        1,
    );
    match style {
        Some(style) => csp.replacen(
            "style-src 'self';",
            &format!("style-src 'self' {style};"),
            1,
        ),
        None => csp,
    }
}
