//! Logging: `tracing` to stderr, pretty by default, JSON with `OTKLIK_LOG_FORMAT=json`.
//!
//! Privacy rule: logs carry ids, codes, counts and timings only — never answer texts, comments,
//! client addresses or user agents. The request log below is written by hand for that reason
//! (off-the-shelf request loggers record the peer address).

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use tracing_subscriber::EnvFilter;

use crate::state::AppState;

/// Installs the global subscriber; `RUST_LOG` filters (default `info`, sqlx quiet).
pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,actix_server=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let result = if std::env::var("OTKLIK_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
    // A second init (tests) keeps the first subscriber: nothing to do.
    drop(result);
}

/// Logs method, path (no query string), status and duration of each request, and counts it in
/// the metrics by its route pattern (one middleware for both: one more layer would cost every
/// request its own poll and timer).
///
/// # Errors
/// Passes on the inner service's error.
pub async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().to_string();
    let path = req.path().to_owned();
    let res = next.call(req).await?;
    let status = res.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if path.starts_with("/api/") || status >= 500 {
        tracing::info!(%method, %path, status, ms, "request");
    } else {
        tracing::debug!(%method, %path, status, ms, "request");
    }
    let req = res.request();
    if let Some(state) = req.app_data::<web::Data<AppState>>() {
        state
            .metrics
            .count_request(req.method(), req.match_pattern(), res.status());
    }
    Ok(res)
}
