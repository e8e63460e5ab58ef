//! `GET /api/v1/comments`.

use actix_web::{web, HttpResponse};

use crate::auth::Caller;
use crate::comments::{page, CommentsQuery};
use crate::error::ApiResult;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/comments", web::get().to(get_comments));
}

async fn get_comments(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<CommentsQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(page(&state.db, &state.catalog, &caller, &query).await?))
}
