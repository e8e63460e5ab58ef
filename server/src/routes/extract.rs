//! What handlers take from a request besides its body: the bearer token and the [`Caller`] it
//! names (checked against the user's row on every request), the client address.

use std::net::IpAddr;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;

use crate::auth::{self, Caller};
use crate::error::{ApiError, ApiResult};
use crate::proxy::client_address;
use crate::state::AppState;

/// The token of `Authorization: Bearer <token>`, trimmed; `None` without one.
pub fn bearer(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
}

/// The client's address: the peer's (`0.0.0.0` when unknown, as in tests), or, when the peer is
/// one of `--trusted-proxy`, the client its `Forwarded` / `X-Forwarded-For` names.
pub fn client_ip(req: &HttpRequest) -> IpAddr {
    let peer = req
        .peer_addr()
        .map_or(IpAddr::from([0, 0, 0, 0]), |a| a.ip());
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return peer;
    };
    let text = |name: &str| req.headers().get(name).and_then(|h| h.to_str().ok());
    client_address(
        peer,
        &state.settings.serve.trusted_proxies,
        text("forwarded"),
        text("x-forwarded-for"),
    )
}

async fn caller_from(req: HttpRequest) -> ApiResult<Caller> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("application state is missing")))?;
    if req.headers().get(header::AUTHORIZATION).is_none() {
        return Err(ApiError::unauthorized(
            "unauthorized",
            "log in first: Authorization: Bearer <token>",
        ));
    }
    let token = bearer(&req).ok_or_else(|| {
        ApiError::unauthorized("unauthorized", "expected Authorization: Bearer <token>")
    })?;
    Ok(auth::authenticate(&state.db, &state.jwt, token).await?)
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(caller_from(req.clone()))
    }
}
