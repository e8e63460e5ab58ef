//! `GET /comments` (`contract.md` §5): the masked feed of a subtree, newest first, a page at a
//! time by the server's keyset cursor (so a page costs the same however deep it is, and new
//! comments never shift or repeat one).

use serde::Deserialize;

use super::encode;
use crate::api::{self, ApiError};

/// One comment, as the server masked it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Comment {
    /// The response it belongs to (several comments of one response share it).
    pub response: String,
    /// Point code.
    pub point: String,
    /// Question id.
    pub question: String,
    /// The answer commented on (wire value: `"no"`, `7`…); `null` for a free-text answer.
    pub answer: Option<serde_json::Value>,
    /// The text, personal data already replaced by «***».
    pub text: String,
    /// When the respondent finished (UTC, RFC 3339).
    pub submitted_at: String,
}

/// A page of the feed.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CommentsPage {
    /// Newest first.
    pub comments: Vec<Comment>,
    /// Where the next page starts; `None` after the last.
    pub next_cursor: Option<String>,
}

/// What the feed is narrowed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommentFilter {
    /// The subtree's root.
    pub org: String,
    /// Only this point.
    pub point: Option<String>,
    /// Only this question.
    pub question: Option<String>,
    /// First and last local day, inclusive.
    pub days: Option<(String, String)>,
    /// Only comments on answers that invite one («Скорее нет», «Нет»).
    pub negative: bool,
}

impl CommentFilter {
    /// The query of the page after `cursor` (the first page without one), without `?`.
    pub fn query(&self, cursor: Option<&str>) -> String {
        let mut query = format!("org={}", encode(&self.org));
        let optional = [
            ("point", self.point.as_deref()),
            ("question", self.question.as_deref()),
            ("from", self.days.as_ref().map(|d| d.0.as_str())),
            ("to", self.days.as_ref().map(|d| d.1.as_str())),
            ("cursor", cursor),
        ];
        for (key, value) in optional {
            if let Some(value) = value {
                query.push_str(&format!("&{key}={}", encode(value)));
            }
        }
        if self.negative {
            query.push_str("&negative=true");
        }
        query
    }
}

/// The page of `filter` after `cursor`.
///
/// # Errors
/// As [`api::get_with_token`].
pub async fn page(
    token: &str,
    filter: &CommentFilter,
    cursor: Option<&str>,
) -> Result<CommentsPage, ApiError> {
    api::get_with_token(&format!("/comments?{}", filter.query(cursor)), token).await
}

/// The codes of the points of `org`'s subtree, sorted: the point filter's options.
///
/// # Errors
/// As [`api::get_with_token`]; 403 for a role that lists no points.
pub async fn point_codes(token: &str, org: &str) -> Result<Vec<String>, ApiError> {
    let reply: otklik_shared::api::PointsReply =
        api::get_with_token(&format!("/points?org={}", encode(org)), token).await?;
    let mut codes: Vec<String> = reply.points.into_iter().map(|p| p.code).collect();
    codes.sort();
    Ok(codes)
}
