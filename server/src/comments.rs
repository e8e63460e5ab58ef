//! `GET /api/v1/comments`: citizens' comments on answers and free-text answers of a subtree,
//! newest first, masked ([`mask`]) before they leave the server — nobody reads unmasked text
//! through the API.
//!
//! Paging is a keyset on `(submitted_at, response id)`, never an offset: a page costs the same
//! however deep it is, and responses arriving meanwhile never shift or repeat a page. A page
//! ends at a response boundary (all comments of one response travel together), so it may hold
//! a few more than `limit`; `next_cursor` is `null` after the last.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use otklik_shared::access::Action;
use otklik_shared::questionnaire::{Question, QuestionKind};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::auth::Caller;
use crate::catalog::Catalog;
use crate::db::exports::{CommentFilter, StoredResponse};
use crate::db::Database;
use crate::masking::mask;
use crate::service_error::{ServiceError, ServiceResult};
use crate::stats::day_range;

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
/// Bad dates or cursor (400), bad limit (422 `limit`), unknown org (404), denied role or scope
/// (403), internal on a database failure.
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
        let candidates = db
            .comment_candidates(&CommentFilter {
                under: &org.path,
                questionnaire: q.questionnaire.as_deref(),
                point: q.point.as_deref(),
                from,
                to,
                before,
                needles: &needles,
                limit,
            })
            .await?;
        let full = candidates.len() == limit as usize;
        let mut last = None;
        for (response, point) in &candidates {
            comments.extend(comments_of(response, point, &questions, q)?);
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

/// The comments of one response that the query wants, masked.
fn comments_of(
    r: &StoredResponse,
    point: &str,
    questions: &HashMap<String, HashMap<String, Question>>,
    q: &CommentsQuery,
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
        if q.question.as_ref().is_some_and(|only| *only != answer.q) {
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
