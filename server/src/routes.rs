//! The web edge: HTTP handlers, one module per area, each exposing `configure` for its part of
//! `/api/v1`; `survey_page` serves `/q/{code}` with its first question rendered in,
//! `public_page` the public page `/r/{org}`, and `static_files` the PWA; `metrics` is the one
//! route of the separate metrics listener.
//!
//! A handler extracts (path, query, [`body`], the [`Caller`](crate::auth::Caller) of
//! [`extract`]), calls one service with the narrow handles of [`AppState`](crate::state::AppState)
//! it needs, and returns the typed reply; a service's error becomes the JSON envelope through
//! `From<ServiceError> for ApiError`.

mod admin;
mod auth;
pub mod body;
mod comments;
mod devices;
mod entries;
mod exports;
pub mod extract;
mod figures;
mod health;
mod improvements;
pub mod metrics;
mod nok;
mod nsi;
mod observations;
mod openapi;
mod posters;
mod public;
mod public_page;
mod questionnaires;
mod responses;
pub mod static_files;
mod stats;
mod survey_page;

use actix_web::web;

use crate::error::ApiError;

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.configure(health::configure)
        .configure(survey_page::configure)
        .configure(public_page::configure)
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
                .configure(admin::configure)
                .configure(devices::configure)
                .configure(entries::configure)
                .configure(nok::configure)
                .configure(nsi::configure)
                .configure(observations::configure)
                .configure(questionnaires::configure)
                .configure(figures::configure)
                .configure(posters::configure)
                .configure(exports::configure)
                .configure(comments::configure)
                .configure(improvements::configure)
                .configure(openapi::configure)
                .default_service(web::to(|req: actix_web::HttpRequest| async move {
                    Err::<actix_web::HttpResponse, _>(unmatched(&req))
                })),
        );
}

/// A page's resource: `handler` answers GET and HEAD alike, any other method gets the JSON 405
/// with `Allow: GET, HEAD` as everywhere else. A HEAD left to the static fallback would be
/// answered as the PWA's shell, with the shell's headers (its CSP, its status), not the page's;
/// actix sends a HEAD's reply without its body.
fn page<F, Args>(path: &str, handler: F) -> actix_web::Resource
where
    F: actix_web::Handler<Args> + Clone,
    Args: actix_web::FromRequest + 'static,
    F::Output: actix_web::Responder + 'static,
{
    web::resource(path)
        .route(web::get().to(handler.clone()))
        .route(web::head().to(handler))
        .default_service(web::to(|| async {
            Err::<actix_web::HttpResponse, _>(ApiError::method_not_allowed("GET, HEAD"))
        }))
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
