//! `GET /api/v1/stats`.

use actix_web::{web, HttpResponse};

use crate::auth::Caller;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::stats::{compute, StatsQuery};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/stats", web::get().to(get_stats));
}

async fn get_stats(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<StatsQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(compute(state.stats(), &caller, &query).await?))
}
