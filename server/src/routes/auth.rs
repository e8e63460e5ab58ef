//! `POST /api/v1/auth/login`: password → JWT.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::SecondsFormat;
use otklik_shared::api::{LoginReply, LoginRequest};

use crate::auth::{decoy_hash, verify_password};
use crate::body::read_json;
use crate::error::{ApiError, ApiResult};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/auth/login", web::post().to(login));
}

async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let creds: LoginRequest = read_json(&req, payload).await?;
    let user = state.db.user_by_login(&creds.login).await?;
    let hash = user
        .as_ref()
        .map_or_else(|| decoy_hash().to_owned(), |u| u.password_hash.clone());
    // argon2 takes tens of milliseconds of CPU: keep it off the async workers.
    let ok = web::block(move || verify_password(&creds.password, &hash))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    let (Some(user), true) = (user, ok) else {
        return Err(ApiError::unauthorized(
            "invalid_credentials",
            "wrong login or password",
        ));
    };
    let scope = user
        .scope
        .clone()
        .zip(user.scope_path.clone().map(String::from));
    let (token, expires_at) = state.jwt.issue(user.id, &user.login, user.role, scope)?;
    tracing::info!(user = user.id, "login");
    Ok(HttpResponse::Ok().json(LoginReply {
        token,
        expires_at: expires_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        role: user.role.to_string(),
        scope: user.scope,
    }))
}
