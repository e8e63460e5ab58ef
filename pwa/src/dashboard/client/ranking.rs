//! `GET /rankings` (`contract.md` §5): the institutions of a subtree ranked by one figure.

use otklik_shared::api::RankingsReply;

use super::encode;
use crate::api::{self, ApiError};
use crate::dashboard::period::Quarter;

/// `GET /rankings` of the institutions below `org` for `questionnaire`, by `metric` (its wire
/// name: `satisfied`, `yes`, `nps`, `nok_total`) over the days of `quarter`.
///
/// # Errors
/// As [`api::get_with_token`]; 422 for a metric the questionnaire does not carry.
pub async fn rankings(
    token: &str,
    org: &str,
    questionnaire: &str,
    metric: &str,
    quarter: Quarter,
) -> Result<RankingsReply, ApiError> {
    let (from, to) = quarter.days();
    let path = format!(
        "/rankings?org={}&questionnaire={}&metric={metric}&from={from}&to={to}",
        encode(org),
        encode(questionnaire)
    );
    api::get_with_token(&path, token).await
}
