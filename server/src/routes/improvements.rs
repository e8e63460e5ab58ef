//! `POST /api/v1/improvements` and `GET /api/v1/improvements`: improvement measures.

use actix_web::{web, HttpRequest, HttpResponse};

use super::body::read_json;
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::improvements::{self, ImprovementInput, ImprovementsQuery};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/improvements", web::post().to(post_improvement))
        .route("/improvements", web::get().to(get_improvements));
}

async fn post_improvement(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let input: ImprovementInput = read_json(&req, payload).await?;
    Ok(HttpResponse::Created().json(improvements::add(&state.db, &caller, &input).await?))
}

async fn get_improvements(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<ImprovementsQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(improvements::list(&state.db, &caller, &q).await?))
}
