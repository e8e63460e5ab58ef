//! HTTP routes; each module exposes `configure` for its part of `/api/v1`, and `survey_page`
//! serves `/q/{code}` with its first question rendered in.

mod auth;
mod devices;
mod health;
mod openapi;
mod public;
mod responses;
mod stats;
mod survey_page;

use actix_web::web;

pub use survey_page::Bundle;

use crate::error::ApiError;

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.configure(health::configure)
        .configure(survey_page::configure)
        .service(
            web::scope("/api/v1")
                .wrap(
                    actix_web::middleware::DefaultHeaders::new()
                        .add((actix_web::http::header::CACHE_CONTROL, "no-store")),
                )
                .configure(public::configure)
                .configure(responses::configure)
                .configure(auth::configure)
                .configure(stats::configure)
                .configure(devices::configure)
                .configure(openapi::configure)
                .default_service(web::to(|req: actix_web::HttpRequest| async move {
                    Err::<actix_web::HttpResponse, _>(unmatched(&req))
                })),
        );
}

/// A request no API route took: 405 with `Allow` where the path is served with other methods,
/// else 404.
fn unmatched(req: &actix_web::HttpRequest) -> ApiError {
    match openapi::allowed_methods(req.path()) {
        Some(allow) => ApiError::method_not_allowed(allow),
        None => ApiError::not_found(
            "not_found",
            format!("no route {} {}", req.method(), req.path()),
        ),
    }
}
