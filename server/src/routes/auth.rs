//! `POST /api/v1/auth/login`: password → JWT.

use actix_web::{web, HttpRequest, HttpResponse};
use otklik_shared::api::LoginRequest;

use super::body::read_json;
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
    Ok(HttpResponse::Ok().json(auth::login(&state.db, &state.jwt, creds).await?))
}
