//! `GET /api/v1/trends` and `GET /api/v1/rankings`: the dashboard's figures from rollups.

use actix_web::{web, HttpResponse};

use crate::auth::Caller;
use crate::error::ApiResult;
use crate::rankings::{self, RankingsQuery};
use crate::state::AppState;
use crate::trends::{self, TrendsQuery};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/trends", web::get().to(get_trends))
        .route("/rankings", web::get().to(get_rankings));
}

async fn get_trends(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<TrendsQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(trends::compute(state.stats(), &caller, &query).await?))
}

async fn get_rankings(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<RankingsQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(rankings::compute(state.stats(), &caller, &query).await?))
}
