//! `GET /comments` (`contract.md` §5): the masked feed of a subtree, newest first, a page at a
//! time by the server's keyset cursor (so a page costs the same however deep it is, and new
//! comments never shift or repeat one); and the review of one comment (`PUT
//! /comments/{response}/{question}/review`): the loop from complaint to fix.

use otklik_shared::review::{Loss, ReviewStatus};
use serde::{Deserialize, Serialize};

use super::encode;
use crate::api::{self, ApiError, Body};

/// A comment's review as it stands: `New` with nothing else when nobody has reviewed it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Review {
    /// Where it stands.
    #[serde(default)]
    pub status: ReviewStatus,
    /// The stage of the point's life situation it is about.
    #[serde(default)]
    pub stage: Option<String>,
    /// The loss it names.
    #[serde(default)]
    pub loss: Option<Loss>,
    /// The official's answer to citizens (published once `Done`).
    #[serde(default)]
    pub public_answer: Option<String>,
}

/// The body of a review: the whole new state (each review is a new version on the server).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewInput {
    /// The new status.
    pub status: ReviewStatus,
    /// The stage, if tagged.
    pub stage: Option<String>,
    /// The loss, if tagged.
    pub loss: Option<Loss>,
    /// The public answer; required for `Done`.
    pub public_answer: Option<String>,
}

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
    /// Where it stands in the loop.
    #[serde(default)]
    pub review: Review,
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
    /// Only comments in this state of their review.
    pub status: Option<ReviewStatus>,
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
            ("status", self.status.map(ReviewStatus::as_str)),
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

/// Stores a new review of the comment on `question` of `response`.
///
/// # Errors
/// 422 `public_answer_required` for «Сделано» without an answer, 422 naming the field for an
/// unknown stage or loss; else as [`api::send_with_token`].
pub async fn review(
    token: &str,
    response: &str,
    question: &str,
    input: &ReviewInput,
) -> Result<Review, ApiError> {
    let body = serde_json::to_string(input).map_err(|e| ApiError::Decode(e.to_string()))?;
    let path = format!("/comments/{}/{}/review", encode(response), encode(question));
    api::send_with_token("PUT", &path, Some(Body::Json(body)), token).await
}
