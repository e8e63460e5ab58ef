//! Survey points: the QR targets binding a place, a questionnaire and maybe a life situation.

use otklik_shared::org::OrgPath;
use sqlx::AssertSqlSafe;

use super::values::{lookup_key, Decoder, Tz};
use super::{with_pool, Database, DbError, DbResult, Named};

/// A point with what ingest and the PWA need of its org and institution.
#[derive(Debug, Clone, PartialEq)]
pub struct PointRow {
    /// Surrogate id.
    pub id: i64,
    /// Point code.
    pub code: String,
    /// Questionnaire id.
    pub questionnaire: String,
    /// Life situation code.
    pub life_situation: Option<String>,
    /// Stage code.
    pub stage: Option<String>,
    /// The point's org code.
    pub org_code: String,
    /// The point's org name.
    pub org_name: String,
    /// The point's org path (for scope checks).
    pub org_path: OrgPath,
    /// The institution the point reports to.
    pub institution_id: i64,
    /// The institution's time zone: periods are counted in it.
    pub tz: Tz,
}

/// [`PointRow`] as the query returns it.
#[derive(sqlx::FromRow)]
struct RawPoint {
    id: i64,
    code: String,
    questionnaire: String,
    life_situation: Option<String>,
    stage: Option<String>,
    org_code: String,
    org_name: String,
    org_path: String,
    institution_id: i64,
    tz: String,
}

impl TryFrom<RawPoint> for PointRow {
    type Error = DbError;

    fn try_from(r: RawPoint) -> DbResult<Self> {
        let d = Decoder {
            table: "points",
            key: &r.code,
        };
        Ok(Self {
            org_path: d.column("org_path", r.org_path)?,
            tz: d.column("tz", r.tz)?,
            id: r.id,
            code: r.code,
            questionnaire: r.questionnaire,
            life_situation: r.life_situation,
            stage: r.stage,
            org_code: r.org_code,
            org_name: r.org_name,
            institution_id: r.institution_id,
        })
    }
}

/// A point to insert, validated.
#[derive(Debug, Clone)]
pub struct NewPointRow {
    /// Code.
    pub code: String,
    /// Org id.
    pub org_id: i64,
    /// Institution id.
    pub institution_id: i64,
    /// Questionnaire id.
    pub questionnaire: String,
    /// Life situation.
    pub life_situation: Option<String>,
    /// Stage.
    pub stage: Option<String>,
}

const SELECT_POINT: &str = "select pt.id, pt.code, pt.questionnaire, pt.life_situation, pt.stage, \
     o.code as org_code, o.name as org_name, o.path as org_path, pt.institution_id, i.tz \
     from points pt join orgs o on o.id = pt.org_id join orgs i on i.id = pt.institution_id";

impl Database {
    /// Inserts a point.
    ///
    /// # Errors
    /// [`DbError::Conflict`] when the code exists.
    #[tracing::instrument(skip_all, fields(org = row.org_id))]
    pub async fn insert_point(&self, row: &NewPointRow) -> DbResult<i64> {
        let id = with_pool!(self.writer(), |p| {
            sqlx::query_scalar(
            "insert into points (code, org_id, institution_id, questionnaire, life_situation, stage) \
             values ($1, $2, $3, $4, $5, $6) returning id"
        )
        .bind(&row.code)
        .bind(row.org_id)
        .bind(row.institution_id)
        .bind(&row.questionnaire)
        .bind(&row.life_situation)
        .bind(&row.stage)
        .fetch_one(p)
        .await
        .named("insert point")
.map_err(|e| e.conflict_on("point"))?
        });
        Ok(id)
    }

    /// The point with this code.
    ///
    /// # Errors
    /// Database failure.
    pub async fn point_by_code(&self, code: &str) -> DbResult<Option<PointRow>> {
        let Some(code) = lookup_key(code) else {
            return Ok(None);
        };
        let sql = format!("{SELECT_POINT} where pt.code = $1");
        let row: Option<RawPoint> =
            with_pool!(self.reader(), |p| sqlx::query_as(AssertSqlSafe(sql))
                .bind(code)
                .fetch_optional(p)
                .await
                .named("select point by code")?);
        row.map(PointRow::try_from).transpose()
    }

    /// The points with these codes; unknown codes are absent. One query per distinct code keeps
    /// the statement cacheable (a batch nearly always names one point).
    ///
    /// # Errors
    /// Database failure.
    pub async fn points_by_codes(&self, codes: &[&str]) -> DbResult<Vec<PointRow>> {
        let mut out = Vec::with_capacity(codes.len());
        for code in codes {
            out.extend(self.point_by_code(code).await?);
        }
        Ok(out)
    }

    /// Points of an institution (the institution and its departments), by code.
    ///
    /// # Errors
    /// Database failure.
    pub async fn points_of_institution(&self, institution_id: i64) -> DbResult<Vec<PointRow>> {
        let sql = format!("{SELECT_POINT} where pt.institution_id = $1 order by pt.code");
        let rows: Vec<RawPoint> = with_pool!(self.reader(), |p| sqlx::query_as(AssertSqlSafe(sql))
            .bind(institution_id)
            .fetch_all(p)
            .await
            .named("select points of institution")?);
        rows.into_iter().map(PointRow::try_from).collect()
    }

    /// Points of every org in the subtree at `under` (a path prefix), by code.
    ///
    /// # Errors
    /// Database failure.
    pub async fn points_under(&self, under: &str) -> DbResult<Vec<PointRow>> {
        let sql = format!("{SELECT_POINT} where o.path like $1 order by pt.code");
        let rows: Vec<RawPoint> = with_pool!(self.reader(), |p| sqlx::query_as(AssertSqlSafe(sql))
            .bind(format!("{under}%"))
            .fetch_all(p)
            .await
            .named("select points in subtree")?);
        rows.into_iter().map(PointRow::try_from).collect()
    }

    /// Sets a point's life situation and stage (validated by the service).
    ///
    /// # Errors
    /// [`DbError::NotFound`] for an unknown id.
    #[tracing::instrument(skip_all, fields(point = id))]
    pub async fn update_point_situation(
        &self,
        id: i64,
        life_situation: Option<&str>,
        stage: Option<&str>,
    ) -> DbResult<()> {
        let done = with_pool!(self.writer(), |p| {
            sqlx::query("update points set life_situation = $2, stage = $3 where id = $1")
                .bind(id)
                .bind(life_situation)
                .bind(stage)
                .execute(p)
                .await
                .named("update point situation")?
                .rows_affected()
        });
        if done == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }
}

/// A point as its poster names it: the institution, and the department when the point sits in
/// one.
#[derive(Debug, Clone, PartialEq)]
pub struct PosterPointRow {
    /// Point code.
    pub code: String,
    /// The institution's name (the point's own org, or the department's institution).
    pub institution: String,
    /// The department's name, for a point of a department.
    pub department: Option<String>,
    /// The point's org path (for scope checks).
    pub org_path: OrgPath,
}

/// [`PosterPointRow`] as the query returns it.
#[derive(sqlx::FromRow)]
struct RawPosterPoint {
    code: String,
    institution: String,
    department: Option<String>,
    org_path: String,
}

impl TryFrom<RawPosterPoint> for PosterPointRow {
    type Error = DbError;

    fn try_from(r: RawPosterPoint) -> DbResult<Self> {
        let d = Decoder {
            table: "points",
            key: &r.code,
        };
        Ok(Self {
            org_path: d.column("org_path", r.org_path)?,
            code: r.code,
            institution: r.institution,
            department: r.department,
        })
    }
}

const SELECT_POSTER_POINT: &str = "select pt.code, i.name as institution, \
     case when pt.org_id = pt.institution_id then null else o.name end as department, \
     o.path as org_path \
     from points pt join orgs o on o.id = pt.org_id join orgs i on i.id = pt.institution_id";

impl Database {
    /// The point with this code as its poster names it.
    ///
    /// # Errors
    /// Database failure.
    pub async fn poster_point(&self, code: &str) -> DbResult<Option<PosterPointRow>> {
        let Some(code) = lookup_key(code) else {
            return Ok(None);
        };
        let sql = format!("{SELECT_POSTER_POINT} where pt.code = $1");
        let row: Option<RawPosterPoint> =
            with_pool!(self.reader(), |p| sqlx::query_as(AssertSqlSafe(sql))
                .bind(code)
                .fetch_optional(p)
                .await
                .named("select poster point")?);
        row.map(PosterPointRow::try_from).transpose()
    }

    /// Every point whose org lies in the subtree at `under` (the root included), by code: the
    /// pages of `posters.zip`. Paths hold only digits and `/`, so the prefix needs no escaping.
    ///
    /// # Errors
    /// Database failure.
    pub async fn points_for_posters(&self, under: &OrgPath) -> DbResult<Vec<PosterPointRow>> {
        let sql = format!("{SELECT_POSTER_POINT} where o.path like $1 order by pt.code");
        let rows: Vec<RawPosterPoint> =
            with_pool!(self.reader(), |p| sqlx::query_as(AssertSqlSafe(sql))
                .bind(format!("{under}%"))
                .fetch_all(p)
                .await
                .named("select points for posters")?);
        rows.into_iter().map(PosterPointRow::try_from).collect()
    }
}
