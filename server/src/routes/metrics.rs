//! `GET /metrics` on the `--metrics-bind` listener: Prometheus' scrape, outside the public API
//! (not in the OpenAPI document, absent from the main port).

use actix_web::{web, HttpResponse};

use crate::metrics::CONTENT_TYPE;
use crate::state::AppState;

/// Registers the one route of the metrics listener.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/metrics", web::get().to(get_metrics));
}

async fn get_metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(CONTENT_TYPE)
        .insert_header(("Cache-Control", "no-store"))
        .body(state.metrics.encode(&state.db))
}
