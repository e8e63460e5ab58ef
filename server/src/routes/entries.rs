//! `GET /api/v1/entries`: batches of keyed-in questionnaires.

use actix_web::{web, HttpResponse};

use crate::auth::Caller;
use crate::entries::{self, EntriesQuery};
use crate::error::ApiResult;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/entries", web::get().to(list_entries));
}

async fn list_entries(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<EntriesQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(entries::list(&state.db, &caller, &query).await?))
}
