//! `PUT /api/v1/comments/{response}/{question}/review`: an official takes up a citizen's
//! comment — tags it with a stage of the point's life situation and a lean loss, moves it new →
//! «принято в работу» → «сделано», and answers it publicly (`domain.md` §4, issue 16 item 5).
//!
//! Each review appends a version of the comment's key (`db::reviews`), so the history of who
//! moved it where stays; everything is checked before anything is stored. The public answer is
//! the official's own text, yet it goes through the same masking as citizens' comments before
//! it is stored: it is published on `/r/<org>` without login, and a phone number or e-mail
//! copied from the complaint must not be.

use std::collections::HashMap;

use chrono::{SecondsFormat, Utc};
use otklik_shared::access::Action;
use otklik_shared::review::{Loss, ReviewStatus, MAX_PUBLIC_ANSWER};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{comments_of, Only};
use crate::auth::Caller;
use crate::catalog::Catalog;
use crate::db::reviews::NewReview;
use crate::db::Database;
use crate::masking::mask;
use crate::nsi::{require_stage, retry_on_conflict, situation};
use crate::service_error::{ServiceError, ServiceResult};

/// The body of the `PUT`.
#[derive(Debug, Clone, Deserialize)]
pub struct ReviewInput {
    /// `new`, `in_progress` or `done`.
    pub status: String,
    /// A stage code of the point's life situation, or null.
    #[serde(default)]
    pub stage: Option<String>,
    /// A lean loss, or null.
    #[serde(default)]
    pub loss: Option<String>,
    /// The short public answer, up to 500 characters; required for `done`.
    #[serde(default)]
    pub public_answer: Option<String>,
}

/// A stored review version.
#[derive(Debug, Clone, Serialize)]
pub struct Review {
    /// The response's id.
    pub response: Uuid,
    /// The question the comment is on.
    pub question: String,
    /// Status.
    pub status: ReviewStatus,
    /// Stage code.
    pub stage: Option<String>,
    /// Lean loss.
    pub loss: Option<Loss>,
    /// The public answer as stored and published (masked).
    pub public_answer: Option<String>,
    /// The reviewer's login.
    pub reviewed_by: String,
    /// When (UTC).
    pub reviewed_at: String,
    /// 1 for the first review of this comment, then one more per review.
    pub version: i32,
}

fn invalid(field: &'static str, message: String) -> ServiceError {
    ServiceError::invalid_field("invalid_review", field, message)
}

/// Checks a review of one comment and appends it as the comment's next version.
///
/// # Errors
/// 404 `unknown_response` (no such response) or `unknown_comment` (the response has no comment
/// or free-text answer on that question); 403 when the caller may not review comments there;
/// 422 `invalid_review` naming the field (an unknown status or loss, a stage that is not one of
/// the point's life situation, a public answer over 500 characters) or
/// `public_answer_required` (`done` without one); internal on a database failure. Nothing is
/// stored on any error.
#[tracing::instrument(skip_all, fields(response = %response))]
pub async fn put_review(
    db: &Database,
    catalog: &Catalog,
    caller: &Caller,
    (response, question): (&str, &str),
    input: &ReviewInput,
) -> ServiceResult<Review> {
    let unknown = || ServiceError::not_found("unknown_response", format!("no response {response}"));
    let id = Uuid::parse_str(response).map_err(|_| unknown())?;
    let (stored, point_code) = db.response_by_id(id).await?.ok_or_else(unknown)?;
    let point = db
        .point_by_code(&point_code)
        .await?
        .ok_or_else(|| anyhow::anyhow!("response {id} names a point that is gone"))?;
    caller.require(Action::ReviewComments, &point)?;

    let questionnaire = stored.answers()?.questionnaire;
    let by_id = catalog
        .pooled_questions(&questionnaire)
        .into_iter()
        .map(|q| (q.id.clone(), q))
        .collect();
    let questions = HashMap::from([(questionnaire, by_id)]);
    let only = Only {
        question: Some(question),
        negative: false,
    };
    if comments_of(&stored, &point_code, &questions, &only)?.is_empty() {
        return Err(ServiceError::not_found(
            "unknown_comment",
            format!("response {id} has no comment or free-text answer on {question:?}"),
        ));
    }

    let status = ReviewStatus::parse(&input.status).ok_or_else(|| {
        invalid(
            "status",
            format!(
                "status must be new, in_progress or done, got {:?}",
                input.status
            ),
        )
    })?;
    let loss = match input.loss.as_deref() {
        None => None,
        Some(l) => Some(Loss::parse(l).ok_or_else(|| {
            invalid(
                "loss",
                format!(
                    "loss must be waiting, duplicate_actions, rework, excess_effort or \
                     redundant_steps, got {l:?}"
                ),
            )
        })?),
    };
    let stage = match (input.stage.as_deref(), point.life_situation.as_deref()) {
        (None, _) => None,
        (Some(stage), None) => {
            return Err(invalid(
                "stage",
                format!(
                    "stage {stage:?}: point {} is bound to no life situation, so its comments \
                     take no stage",
                    point.code
                ),
            ))
        }
        (Some(stage), Some(ls)) => {
            require_stage(&situation(db, ls).await?, stage, "invalid_review")?;
            Some(stage.to_owned())
        }
    };
    let public_answer = public_answer(input.public_answer.as_deref())?;
    if status == ReviewStatus::Done && public_answer.is_none() {
        return Err(ServiceError::Invalid {
            code: "public_answer_required",
            field: Some("public_answer"),
            message: "a comment is done only with a public answer: say what was done".into(),
            details: Some(serde_json::json!({ "field": "public_answer" })),
        });
    }

    let reviewed_at = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    let row = NewReview {
        response: id,
        question,
        status: status.as_str(),
        stage: stage.as_deref(),
        loss: loss.map(Loss::as_str),
        public_answer: public_answer.as_deref(),
        reviewed_by: caller.user_id,
        reviewed_at: &reviewed_at,
    };
    let version = retry_on_conflict(|| db.append_review(&row)).await?;
    tracing::info!(
        point = %point.code,
        status = status.as_str(),
        version,
        "comment reviewed"
    );
    Ok(Review {
        response: id,
        question: question.to_owned(),
        status,
        stage,
        loss,
        public_answer,
        reviewed_by: caller.login.clone(),
        reviewed_at,
        version,
    })
}

/// The public answer to store: trimmed, at most [`MAX_PUBLIC_ANSWER`] characters as written,
/// then masked; `None` when absent or blank.
fn public_answer(given: Option<&str>) -> ServiceResult<Option<String>> {
    let Some(text) = given.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > MAX_PUBLIC_ANSWER {
        return Err(invalid(
            "public_answer",
            format!("public_answer is longer than {MAX_PUBLIC_ANSWER} characters"),
        ));
    }
    Ok(Some(mask(text).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_answer_is_trimmed_masked_and_bounded() {
        assert_eq!(public_answer(None).unwrap(), None);
        assert_eq!(public_answer(Some("   ")).unwrap(), None);
        assert_eq!(
            public_answer(Some(" Открыли второе окно "))
                .unwrap()
                .as_deref(),
            Some("Открыли второе окно")
        );
        assert_eq!(
            public_answer(Some("Пишите на info@czn.ru"))
                .unwrap()
                .as_deref(),
            Some("Пишите на ***")
        );
        let long = "я".repeat(MAX_PUBLIC_ANSWER);
        assert!(public_answer(Some(&long)).is_ok());
        assert!(public_answer(Some(&format!("{long}!"))).is_err());
    }
}
