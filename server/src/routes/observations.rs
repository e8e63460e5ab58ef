//! `GET /api/v1/observations`: the expert walk-throughs' own figures and batches (the points
//! to record them at, `/observations/points`, are listed beside the other point lists, in
//! `admin`).

use actix_web::{web, HttpResponse};

use crate::auth::Caller;
use crate::error::ApiResult;
use crate::observations::{self, ObservationsQuery};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/observations", web::get().to(get_observations));
}

async fn get_observations(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ObservationsQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(observations::report(state.stats(), &caller, &query).await?))
}
