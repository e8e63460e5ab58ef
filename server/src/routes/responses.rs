//! `POST /api/v1/responses`: the batch ingest endpoint.

use actix_web::{web, HttpRequest, HttpResponse};

use crate::auth::Caller;
use crate::body::read_body;
use crate::devices;
use crate::error::ApiResult;
use crate::ingest::{ingest_batch, Sender};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/responses", web::post().to(create_responses));
}

async fn create_responses(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Option<Caller>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let body = read_body(&req, payload).await?;
    let ip = req
        .peer_addr()
        .map_or(std::net::IpAddr::from([0, 0, 0, 0]), |a| a.ip());
    let device = devices::device_of(&state, &req).await?;
    let sender = Sender {
        ip,
        caller: caller.as_ref(),
        device: device.as_ref(),
    };
    let outcome = ingest_batch(&state, &body, &sender).await?;
    let mut res = HttpResponse::Ok();
    if let Some(wait) = outcome.retry_after {
        res.insert_header(("Retry-After", wait.to_string()));
    }
    Ok(res.json(outcome.reply))
}
