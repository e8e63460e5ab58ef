//! Reading request bodies with the 1 MiB limit and the JSON error envelope.
//!
//! actix's own extractors answer oversize or malformed bodies with plain-text errors; reading
//! the payload here keeps every failure inside the contract's envelope.

use actix_web::{web, HttpRequest};
use futures_util::StreamExt;
use otklik_shared::api::MAX_BODY_BYTES;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ApiResult};

/// Reads the whole body, refusing more than 1 MiB (413) before reading it when the length is
/// declared, and as soon as it is exceeded otherwise.
///
/// # Errors
/// 413 over the limit, 400 when the body breaks off.
pub async fn read_body(req: &HttpRequest, mut payload: web::Payload) -> ApiResult<web::BytesMut> {
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(ApiError::PayloadTooLarge);
    }
    let mut body = web::BytesMut::with_capacity(declared.unwrap_or(8192).min(MAX_BODY_BYTES));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::bad_request(
                "bad_body",
                format!("the request body could not be read: {e}"),
            )
        })?;
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(ApiError::PayloadTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Reads and parses a JSON body.
///
/// # Errors
/// 413 over the limit, 400 `malformed_json` when it does not parse into `T`.
pub async fn read_json<T: DeserializeOwned>(
    req: &HttpRequest,
    payload: web::Payload,
) -> ApiResult<T> {
    let body = read_body(req, payload).await?;
    serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(
            "malformed_json",
            format!("the body is not the expected JSON: {e}"),
        )
    })
}
