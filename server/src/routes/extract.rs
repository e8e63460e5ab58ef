//! What handlers take from a request besides its body: the bearer token and the [`Caller`] it
//! names, the client address.

use std::future::{ready, Ready};
use std::net::IpAddr;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The token of `Authorization: Bearer <token>`, trimmed; `None` without one.
pub fn bearer(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
}

/// The address of the peer the request came from (`0.0.0.0` when unknown, as in tests).
pub fn client_ip(req: &HttpRequest) -> IpAddr {
    req.peer_addr()
        .map_or(IpAddr::from([0, 0, 0, 0]), |a| a.ip())
}

fn caller_from(req: &HttpRequest) -> ApiResult<Caller> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("application state is missing")))?;
    if req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .is_none()
    {
        return Err(ApiError::unauthorized(
            "unauthorized",
            "log in first: Authorization: Bearer <token>",
        ));
    }
    let token = bearer(req).ok_or_else(|| {
        ApiError::unauthorized("unauthorized", "expected Authorization: Bearer <token>")
    })?;
    let claims = state.jwt.verify(token)?;
    Ok(Caller::from_claims(claims)?)
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(caller_from(req))
    }
}
