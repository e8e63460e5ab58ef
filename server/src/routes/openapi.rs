//! `GET /api/v1/openapi.json`: the API described as OpenAPI 3.1 (`openapi.json` beside this
//! file, checked by a test against the routes actually served).

use actix_web::{web, HttpResponse};

/// The OpenAPI document.
pub const OPENAPI: &str = include_str!("openapi.json");

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/openapi.json", web::get().to(get_openapi));
}

async fn get_openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(OPENAPI)
}
