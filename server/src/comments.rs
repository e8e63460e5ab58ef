//! `GET /api/v1/comments`: citizens' comments on answers and free-text answers of a subtree,
//! newest first, masked ([`mask`]) before they leave the server — nobody reads unmasked text
//! through the API.
//!
//! Paging is a keyset on `(submitted_at, response id)`, never an offset: a page costs the same
//! however deep it is, and responses arriving meanwhile never shift or repeat a page. A page
//! ends at a response boundary (all comments of one response travel together), so it may hold
//! a few more than `limit`; `next_cursor` is `null` after the last.
//!
//! Each comment carries its current [`review`] (status `new` and nulls when nobody has reviewed
//! it). `&status=` filters on it without giving up the keyset: `in_progress` and `done` walk
//! the reviews of that status newest first (`comment_reviews_by_status`, migration 0010), so a
//! page costs what the reviewed comments it returns cost, however many comments there are;
//! `new` walks every comment as an unfiltered page does and drops the reviewed ones, so it
//! reads at most as many extra rows as there are reviewed comments in its way, and a page is
//! filled (the loop below reads on) rather than returned short or empty.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use otklik_shared::access::Action;
use otklik_shared::questionnaire::{Question, QuestionKind};
use otklik_shared::review::{Loss, ReviewStatus};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::auth::Caller;
use crate::catalog::Catalog;
use crate::db::exports::{CommentFilter, StoredResponse};
use crate::db::reviews::ReviewRow;
use crate::db::Database;
use crate::masking::mask;
use crate::service_error::{ServiceError, ServiceResult};
use crate::stats::day_range;

pub mod review;

/// Comments per page unless asked otherwise, and the most a page may ask for.
const DEFAULT_LIMIT: u32 = 100;
const MAX_LIMIT: u32 = 500;

/// Query parameters.
#[derive(Debug, Clone, Deserialize)]
pub struct CommentsQuery {
    /// Org code: the root of the subtree.
    pub org: String,
    /// Only this questionnaire.
    pub questionnaire: Option<String>,
    /// Only this point.
    pub point: Option<String>,
    /// Only this question.
    pub question: Option<String>,
    /// First local day, inclusive.
    pub from: Option<String>,
    /// Last local day, inclusive.
    pub to: Option<String>,
    /// Only comments on answers that invite one (`rather_no`, `no`…): the complaints.
    #[serde(default)]
    pub negative: bool,
    /// Only comments whose current review has this status (`new`, `in_progress`, `done`).
    pub status: Option<String>,
    /// Where the previous page ended (its `next_cursor`).
    pub cursor: Option<String>,
    /// Comments per page, 1–500 (default 100).
    pub limit: Option<u32>,
}

/// One comment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    /// The response's id.
    pub response: Uuid,
    /// Point code.
    pub point: String,
    /// Question id.
    pub question: String,
    /// The answer commented on (wire value); `null` for a free-text answer.
    pub answer: Option<Value>,
    /// The text, personal data masked.
    pub text: String,
    /// When the respondent finished (UTC).
    pub submitted_at: String,
    /// Where officials have got with it.
    pub review: ReviewState,
}

/// The current review of a comment, as the comments list shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReviewState {
    /// `new` (also when never reviewed), `in_progress` or `done`.
    pub status: ReviewStatus,
    /// Stage code of the point's life situation, if tagged.
    pub stage: Option<String>,
    /// Lean loss, if tagged.
    pub loss: Option<Loss>,
    /// The official's public answer (masked), if any.
    pub public_answer: Option<String>,
    /// When the current review was stored; null when never reviewed.
    pub reviewed_at: Option<String>,
}

impl ReviewState {
    /// The state a stored review row gives. A status or loss that does not decode is a bug in
    /// the data (the table's checks refuse it), never shown as something else.
    fn of(row: ReviewRow) -> ServiceResult<Self> {
        let corrupt = |column: &'static str, value: &str| {
            ServiceError::from(crate::db::DbError::Corrupt {
                table: "comment_reviews",
                key: format!("{} {}", row.response_id, row.question),
                column,
                value: value.to_owned(),
            })
        };
        let status =
            ReviewStatus::parse(&row.status).ok_or_else(|| corrupt("status", &row.status))?;
        let loss = match row.loss.as_deref() {
            Some(l) => Some(Loss::parse(l).ok_or_else(|| corrupt("loss", l))?),
            None => None,
        };
        Ok(Self {
            status,
            stage: row.stage,
            loss,
            public_answer: row.public_answer,
            reviewed_at: Some(row.reviewed_at),
        })
    }
}

/// A page of comments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentsReply {
    /// Newest first.
    pub comments: Vec<Comment>,
    /// Pass as `cursor` for the next page; `null` after the last.
    pub next_cursor: Option<String>,
}

/// A page of comments after checking the caller may read them.
///
/// # Errors
/// Bad dates or cursor (400), bad limit (422 `limit`), unknown status (422 `invalid_review`),
/// unknown org (404), denied role or scope (403), internal on a database failure.
#[tracing::instrument(skip_all, fields(org = %q.org))]
pub async fn page(
    db: &Database,
    catalog: &Catalog,
    caller: &Caller,
    q: &CommentsQuery,
) -> ServiceResult<CommentsReply> {
    let (from, to) = day_range(q.from.as_deref(), q.to.as_deref())?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ServiceError::Invalid {
            code: "out_of_range",
            field: Some("limit"),
            message: format!("limit must be 1–{MAX_LIMIT}"),
            details: Some(serde_json::json!({ "field": "limit" })),
        });
    }
    let status = q
        .status
        .as_deref()
        .map(|s| {
            ReviewStatus::parse(s).ok_or_else(|| {
                ServiceError::invalid_field(
                    "invalid_review",
                    "status",
                    format!("status must be new, in_progress or done, got {s:?}"),
                )
            })
        })
        .transpose()?;
    let mut before = q.cursor.as_deref().map(parse_cursor).transpose()?;
    let org = db
        .org_by_code(&q.org)
        .await?
        .ok_or_else(|| ServiceError::not_found("unknown_org", format!("no org {}", q.org)))?;
    caller.require(Action::ReadComments, &org)?;

    let questionnaires = match &q.questionnaire {
        Some(id) => vec![id.clone()],
        None => catalog.ids(),
    };
    let questions: HashMap<String, HashMap<String, Question>> = questionnaires
        .iter()
        .map(|id| {
            let by_id = catalog
                .pooled_questions(id)
                .into_iter()
                .map(|question| (question.id.clone(), question))
                .collect();
            (id.clone(), by_id)
        })
        .collect();
    let needles = needles(&questions, q.question.as_deref());

    let mut comments = Vec::new();
    let mut next_cursor = None;
    loop {
        let filter = CommentFilter {
            under: &org.path,
            questionnaire: q.questionnaire.as_deref(),
            point: q.point.as_deref(),
            from,
            to,
            before,
            needles: &needles,
            limit,
        };
        let mut candidates = match status {
            None | Some(ReviewStatus::New) => db.comment_candidates(&filter).await?,
            Some(reviewed) => {
                db.reviewed_candidates(&filter, reviewed.as_str(), q.question.as_deref())
                    .await?
            }
        };
        let full = candidates.len() == limit as usize;
        // A response with several comments of the status walked comes once per comment.
        candidates.dedup_by_key(|(r, _)| r.id);
        let ids: Vec<Uuid> = candidates.iter().map(|(r, _)| r.id).collect();
        let mut reviews: HashMap<(Uuid, String), ReviewRow> = db
            .latest_reviews(&ids)
            .await?
            .into_iter()
            .map(|row| ((row.response_id, row.question.clone()), row))
            .collect();
        let mut last = None;
        for (response, point) in &candidates {
            for mut comment in comments_of(response, point, &questions, &q.only())? {
                if let Some(row) = reviews.remove(&(comment.response, comment.question.clone())) {
                    comment.review = ReviewState::of(row)?;
                }
                if status.is_none_or(|s| s == comment.review.status) {
                    comments.push(comment);
                }
            }
            last = Some((response.submitted_at, response.id));
            if comments.len() >= limit as usize {
                break;
            }
        }
        before = last;
        if comments.len() >= limit as usize {
            next_cursor = before.map(|(at, id)| cursor(at, id));
            break;
        }
        if !full {
            break;
        }
    }
    tracing::debug!(comments = comments.len(), "comments page");
    Ok(CommentsReply {
        comments,
        next_cursor,
    })
}

/// What a response holding a wanted comment must contain somewhere in its raw JSON: the
/// question's id, or `"comment"` and the ids of the free-text questions.
fn needles(
    questions: &HashMap<String, HashMap<String, Question>>,
    only: Option<&str>,
) -> Vec<String> {
    if let Some(question) = only {
        return vec![question.to_owned()];
    }
    let mut out = vec!["\"comment\"".to_owned()];
    for by_id in questions.values() {
        for question in by_id.values() {
            if question.kind == QuestionKind::Text && !out.contains(&question.id) {
                out.push(question.id.clone());
            }
        }
    }
    out
}

/// Which of a response's comments are wanted.
#[derive(Debug, Clone, Copy, Default)]
struct Only<'a> {
    /// Only the comment on this question.
    question: Option<&'a str>,
    /// Only comments on answers that invite one (no free text).
    negative: bool,
}

impl CommentsQuery {
    fn only(&self) -> Only<'_> {
        Only {
            question: self.question.as_deref(),
            negative: self.negative,
        }
    }
}

/// The comments of one response that `q` wants, masked, each with no review yet.
fn comments_of(
    r: &StoredResponse,
    point: &str,
    questions: &HashMap<String, HashMap<String, Question>>,
    q: &Only<'_>,
) -> ServiceResult<Vec<Comment>> {
    let item = r.answers()?;
    let Some(known) = questions.get(&item.questionnaire) else {
        return Ok(Vec::new());
    };
    let submitted_at = r.submitted_at.to_rfc3339_opts(SecondsFormat::AutoSi, true);
    let mut out = Vec::new();
    for answer in item.answers {
        let Some(question) = known.get(&answer.q) else {
            continue;
        };
        if q.question.is_some_and(|only| only != answer.q) {
            continue;
        }
        let (answer_value, text) = match (question.kind, answer.v, answer.comment) {
            (QuestionKind::Text, Value::String(text), _) if !q.negative => (None, text),
            (_, v, Some(comment)) if !comment.trim().is_empty() => {
                let invited = question.comment.as_ref().is_some_and(|rule| {
                    v.as_str().is_some_and(|s| rule.on.iter().any(|on| on == s))
                });
                if q.negative && !invited {
                    continue;
                }
                (Some(v), comment)
            }
            _ => continue,
        };
        if text.trim().is_empty() {
            continue;
        }
        out.push(Comment {
            response: r.id,
            point: point.to_owned(),
            question: answer.q,
            answer: answer_value,
            text: mask(&text).into_owned(),
            submitted_at: submitted_at.clone(),
            review: ReviewState::default(),
        });
    }
    Ok(out)
}

/// The opaque cursor: the last response's instant (full precision) and id.
fn cursor(at: DateTime<Utc>, id: Uuid) -> String {
    format!(
        "{}_{}",
        at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        id.simple()
    )
}

fn parse_cursor(s: &str) -> ServiceResult<(DateTime<Utc>, Uuid)> {
    let bad = || ServiceError::bad_parameter("cursor is not one this API returned");
    let (at, id) = s.rsplit_once('_').ok_or_else(bad)?;
    let at = DateTime::parse_from_rfc3339(at).map_err(|_| bad())?;
    let id = Uuid::parse_str(id).map_err(|_| bad())?;
    Ok((at.with_timezone(&Utc), id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_exactly() {
        let at = DateTime::parse_from_rfc3339("2026-03-12T07:15:00.123456789Z")
            .unwrap()
            .with_timezone(&Utc);
        let id = Uuid::from_u128(0x0190_f3c2_6a1b_7c3d_8e4f_1234_5678_9abc);
        assert_eq!(parse_cursor(&cursor(at, id)).unwrap(), (at, id));
        assert!(parse_cursor("nonsense").is_err());
        assert!(parse_cursor("2026-03-12_zz").is_err());
    }
}
