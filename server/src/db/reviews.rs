//! The comment loop's storage (migration 0010): versioned reviews of citizens' comments,
//! append-only, and improvement measures.
//!
//! A review is never updated: each one appends the next version of its comment's key
//! `(response, question)` in one statement, so concurrent reviewers of one comment collide on
//! the primary key rather than lose an edit, and the current review is the highest version
//! (the `not exists` of [`LATEST`]).

use chrono::NaiveDate;
use otklik_shared::org::OrgPath;
use sqlx::QueryBuilder;
use uuid::Uuid;

use super::exports::{CommentFilter, ResponseWithPoint, StoredResponse};
use super::{with_pool, Database, DbResult, Named};

/// Keeps only the current version of each comment's review (`cr`).
const LATEST: &str = "not exists (select 1 from comment_reviews n \
    where n.response_id = cr.response_id and n.question = cr.question and n.version > cr.version)";

/// Appends the next version of a comment's review, copying the response's `submitted_at` (the
/// key the comments list pages by) from the response itself.
const APPEND_REVIEW: &str = "insert into comment_reviews (response_id, question, version, status, \
    stage, loss, public_answer, reviewed_by, reviewed_at, submitted_at) \
    select r.id, $2, (select coalesce(max(version), 0) + 1 from comment_reviews \
    where response_id = $1 and question = $2), $3, $4, $5, $6, $7, $8, r.submitted_at \
    from responses r where r.id = $1 returning version";

/// A review to append, checked by the service.
#[derive(Debug, Clone)]
pub struct NewReview<'a> {
    /// The response the comment belongs to.
    pub response: Uuid,
    /// The question it is on.
    pub question: &'a str,
    /// Status wire name.
    pub status: &'a str,
    /// Stage code of the point's life situation.
    pub stage: Option<&'a str>,
    /// Loss wire name.
    pub loss: Option<&'a str>,
    /// The official's public answer, masked.
    pub public_answer: Option<&'a str>,
    /// The reviewer's user id.
    pub reviewed_by: i64,
    /// When (UTC, RFC 3339).
    pub reviewed_at: &'a str,
}

/// The current review of one comment.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewRow {
    /// The response.
    pub response_id: Uuid,
    /// The question.
    pub question: String,
    /// Status wire name.
    pub status: String,
    /// Stage code.
    pub stage: Option<String>,
    /// Loss wire name.
    pub loss: Option<String>,
    /// Public answer.
    pub public_answer: Option<String>,
    /// When this version was stored.
    pub reviewed_at: String,
}

/// A current `done` review as the public page reads it: never the comment, never who.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublishedRow {
    /// The life situation of the response's point (names the stage).
    pub life_situation: Option<String>,
    /// Stage code.
    pub stage: Option<String>,
    /// The public answer.
    pub public_answer: String,
    /// When it was marked done (this version's time).
    pub reviewed_at: String,
}

/// An improvement measure to store.
#[derive(Debug, Clone)]
pub struct NewImprovement<'a> {
    /// The org that carried it out.
    pub org_id: i64,
    /// Life-situation code.
    pub life_situation: Option<&'a str>,
    /// Stage code of that situation.
    pub stage: Option<&'a str>,
    /// What was done.
    pub title: &'a str,
    /// When (local date).
    pub done_on: NaiveDate,
    /// Who entered it (user id).
    pub created_by: i64,
    /// When it was entered (UTC, RFC 3339).
    pub created_at: &'a str,
}

/// A stored improvement measure.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ImprovementRow {
    /// Id.
    pub id: i64,
    /// Org code.
    pub org: String,
    /// Org name.
    pub org_name: String,
    /// Life-situation code.
    pub life_situation: Option<String>,
    /// Stage code.
    pub stage: Option<String>,
    /// What was done.
    pub title: String,
    /// When (`YYYY-MM-DD`).
    pub done_on: String,
    /// When it was entered.
    pub created_at: String,
}

impl Database {
    /// Appends the next version of a comment's review; returns that version.
    ///
    /// # Errors
    /// [`super::DbError::NotFound`] when the response does not exist; a conflict when a
    /// concurrent review of the same comment took the version first; database failure.
    pub async fn append_review(&self, r: &NewReview<'_>) -> DbResult<i32> {
        Ok(with_pool!(self.writer(), |p| sqlx::query_scalar(
            APPEND_REVIEW
        )
        .bind(r.response)
        .bind(r.question)
        .bind(r.status)
        .bind(r.stage)
        .bind(r.loss)
        .bind(r.public_answer)
        .bind(r.reviewed_by)
        .bind(r.reviewed_at)
        .fetch_one(p)
        .await
        .named("append comment review")?))
    }

    /// The current review of every reviewed comment of these responses.
    ///
    /// # Errors
    /// Database failure.
    pub async fn latest_reviews(&self, responses: &[Uuid]) -> DbResult<Vec<ReviewRow>> {
        if responses.is_empty() {
            return Ok(Vec::new());
        }
        Ok(with_pool!(self.reader(), |p| {
            let mut qb = QueryBuilder::new(
                "select cr.response_id, cr.question, cr.status, cr.stage, cr.loss, \
                 cr.public_answer, cr.reviewed_at from comment_reviews cr where cr.response_id in (",
            );
            let mut ids = qb.separated(", ");
            for id in responses {
                ids.push_bind(*id);
            }
            qb.push(") and ").push(LATEST);
            qb.build_query_as()
                .fetch_all(p)
                .await
                .named("select latest comment reviews")?
        }))
    }

    /// A page of responses in the subtree with a comment whose current review has `status`,
    /// newest first by `(submitted_at, id)`, strictly before the cursor: a walk down
    /// `comment_reviews_by_status` that stops after `limit` rows. A response with several such
    /// comments comes once per comment, next to each other.
    ///
    /// # Errors
    /// Database failure.
    pub async fn reviewed_candidates(
        &self,
        f: &CommentFilter<'_>,
        status: &str,
        question: Option<&str>,
    ) -> DbResult<Vec<(StoredResponse, String)>> {
        let rows: Vec<ResponseWithPoint> = with_pool!(self.reader(), |p| {
            let mut qb = QueryBuilder::new(
                "select r.id, r.point_id, r.channel, r.submitted_at, r.raw, pt.code \
                     from comment_reviews cr join responses r on r.id = cr.response_id \
                     join points pt on pt.id = r.point_id join orgs o on o.id = pt.org_id \
                     where cr.status = ",
            );
            qb.push_bind(status).push(" and ").push(LATEST);
            if let Some(question) = question {
                qb.push(" and cr.question = ").push_bind(question);
            }
            qb.push(" and o.path like ")
                .push_bind(format!("{}%", f.under));
            f.push_narrowing(&mut qb);
            if let Some((at, id)) = f.before {
                qb.push(" and (cr.submitted_at, cr.response_id) < (")
                    .push_bind(at)
                    .push(", ")
                    .push_bind(id)
                    .push(")");
            }
            qb.push(" order by cr.submitted_at desc, cr.response_id desc limit ")
                .push_bind(i64::from(f.limit));
            qb.build_query_as()
                .fetch_all(p)
                .await
                .named("select reviewed comment candidates")?
        });
        Ok(rows.into_iter().map(StoredResponse::with_point).collect())
    }

    /// The current `done` reviews of comments at points of the subtree, most recently done
    /// first, at most `limit`.
    ///
    /// # Errors
    /// Database failure.
    pub async fn published_answers(
        &self,
        under: &OrgPath,
        limit: u32,
    ) -> DbResult<Vec<PublishedRow>> {
        let sql = format!(
            "select pt.life_situation, cr.stage, cr.public_answer, cr.reviewed_at \
             from comment_reviews cr join responses r on r.id = cr.response_id \
             join points pt on pt.id = r.point_id join orgs o on o.id = pt.org_id \
             where cr.status = 'done' and {LATEST} and o.path like $1 \
             order by cr.reviewed_at desc limit $2"
        );
        Ok(with_pool!(self.reader(), |p| sqlx::query_as(
            sqlx::AssertSqlSafe(sql)
        )
        .bind(format!("{under}%"))
        .bind(i64::from(limit))
        .fetch_all(p)
        .await
        .named("select published answers")?))
    }

    /// `(stage, loss)` of the current reviews tagged with a stage, of comments given at points
    /// of the subtree bound to the life situation, on local dates within `[from, to]`.
    ///
    /// # Errors
    /// Database failure.
    pub async fn stage_tags(
        &self,
        under: &OrgPath,
        life_situation: &str,
        (from, to): (Option<NaiveDate>, Option<NaiveDate>),
    ) -> DbResult<Vec<(String, Option<String>)>> {
        let sql = format!(
            "select cr.stage, cr.loss from comment_reviews cr \
             join responses r on r.id = cr.response_id join points pt on pt.id = r.point_id \
             join orgs o on o.id = pt.org_id \
             where cr.stage is not null and {LATEST} and o.path like $1 \
             and pt.life_situation = $2 \
             and ($3 is null or r.local_date >= $3) and ($4 is null or r.local_date <= $4)"
        );
        Ok(with_pool!(self.reader(), |p| sqlx::query_as(
            sqlx::AssertSqlSafe(sql)
        )
        .bind(format!("{under}%"))
        .bind(life_situation)
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await
        .named("select stage tags of reviews")?))
    }

    /// Stores an improvement measure; returns its id.
    ///
    /// # Errors
    /// Database failure.
    pub async fn add_improvement(&self, m: &NewImprovement<'_>) -> DbResult<i64> {
        Ok(with_pool!(self.writer(), |p| sqlx::query_scalar(
            "insert into improvements (org_id, life_situation, stage, title, done_on, \
             created_by, created_at) values ($1, $2, $3, $4, $5, $6, $7) returning id"
        )
        .bind(m.org_id)
        .bind(m.life_situation)
        .bind(m.stage)
        .bind(m.title)
        .bind(m.done_on.format("%Y-%m-%d").to_string())
        .bind(m.created_by)
        .bind(m.created_at)
        .fetch_one(p)
        .await
        .named("insert improvement")?))
    }

    /// The improvement measures of orgs in the subtree, optionally of one life situation, most
    /// recent first, at most `limit`.
    ///
    /// # Errors
    /// Database failure.
    pub async fn improvements(
        &self,
        under: &OrgPath,
        life_situation: Option<&str>,
        limit: u32,
    ) -> DbResult<Vec<ImprovementRow>> {
        Ok(with_pool!(self.reader(), |p| sqlx::query_as(
            "select m.id, o.code as org, o.name as org_name, m.life_situation, m.stage, m.title, \
             m.done_on, m.created_at from improvements m join orgs o on o.id = m.org_id \
             where o.path like $1 and ($2 is null or m.life_situation = $2) \
             order by m.done_on desc, m.id desc limit $3"
        )
        .bind(format!("{under}%"))
        .bind(life_situation)
        .bind(i64::from(limit))
        .fetch_all(p)
        .await
        .named("select improvements")?))
    }

    /// The stored response with this id and the code of its point.
    ///
    /// # Errors
    /// Database failure.
    pub async fn response_by_id(&self, id: Uuid) -> DbResult<Option<(StoredResponse, String)>> {
        let row: Option<ResponseWithPoint> = with_pool!(self.reader(), |p| sqlx::query_as(
            "select r.id, r.point_id, r.channel, r.submitted_at, r.raw, pt.code \
                 from responses r join points pt on pt.id = r.point_id where r.id = $1"
        )
        .bind(id)
        .fetch_optional(p)
        .await
        .named("select response by id")?);
        Ok(row.map(StoredResponse::with_point))
    }
}
