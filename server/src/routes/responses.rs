//! `POST /api/v1/responses`: the batch ingest endpoint.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::body::read_body;
use super::extract::{bearer, client_ip};
use crate::auth::Caller;
use crate::devices;
use crate::error::{ApiError, ApiResult};
use crate::ingest::{entry_batch_label, ingest_batch, Sender};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/responses", web::post().to(create_responses));
}

/// The body: items stay raw, so each is parsed (and stored) on its own and one bad item
/// cannot spoil the batch.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    responses: Vec<&'a RawValue>,
    /// The label staff give a batch of keyed-in questionnaires.
    #[serde(default)]
    entry_batch: Option<String>,
}

async fn create_responses(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Option<Caller>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let body = read_body(&req, payload).await?;
    let envelope: Envelope<'_> = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(
            "malformed_json",
            format!("expected {{\"responses\": [...]}}: {e}"),
        )
    })?;
    let device = devices::device_of(&state.db, bearer(&req)).await?;
    let sender = Sender {
        ip: client_ip(&req),
        caller: caller.as_ref(),
        device: device.as_ref(),
        entry_batch: entry_batch_label(envelope.entry_batch.as_deref())?,
    };
    let outcome =
        ingest_batch(state.ingest(), &envelope.responses, &sender, &state.limiter).await?;
    let mut res = HttpResponse::Ok();
    if let Some(wait) = outcome.retry_after {
        res.insert_header(("Retry-After", wait.to_string()));
    }
    Ok(res.json(outcome.reply))
}
