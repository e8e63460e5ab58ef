//! `POST /api/v1/auth/login`: password → JWT, throttled per login and client address
//! ([`crate::ratelimit::LoginThrottle`]).

use actix_web::{web, HttpRequest, HttpResponse};
use otklik_shared::api::LoginRequest;

use super::body::read_json;
use super::extract::client_ip;
use crate::auth;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/auth/login", web::post().to(login));
}

async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let creds: LoginRequest = read_json(&req, payload).await?;
    let reply = auth::login(&state.db, &state.jwt, &state.logins, client_ip(&req), creds).await?;
    Ok(HttpResponse::Ok().json(reply))
}
