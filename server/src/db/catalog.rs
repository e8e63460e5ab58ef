//! Questionnaire versions and life situations as stored data, seeded from the built-in catalog.

use otklik_shared::catalog::LifeSituation;
use otklik_shared::questionnaire::Questionnaire;

use super::{with_pool, Database, DbResult, Named};

impl Database {
    /// Publishes the built-in questionnaires and life situations that are not stored yet.
    /// A stored version is never overwritten: published versions are immutable, and an admin's
    /// corrections live in newer versions.
    ///
    /// # Errors
    /// Database failure.
    #[tracing::instrument(skip_all, fields(questionnaires = questionnaires.len(), situations = situations.len()))]
    pub async fn seed_catalog(
        &self,
        questionnaires: &[Questionnaire],
        situations: &[LifeSituation],
    ) -> DbResult<()> {
        with_pool!(self.writer(), |p| {
            let mut tx = p.begin().await.named("begin seeding the catalog")?;
            for q in questionnaires {
                let json = serde_json::to_string(q).map_err(anyhow::Error::from)?;
                sqlx::query(
                    "insert into questionnaires (id, version, definition) values ($1, $2, $3) \
                     on conflict (id, version) do nothing",
                )
                .bind(&q.id)
                .bind(i64::from(q.version))
                .bind(json)
                .execute(&mut *tx)
                .await
                .named("insert questionnaire")?;
            }
            for ls in situations {
                let json = serde_json::to_string(ls).map_err(anyhow::Error::from)?;
                sqlx::query("insert into life_situations (code, definition) values ($1, $2) on conflict (code) do nothing")
                    .bind(&ls.code)
                    .bind(json)
                    .execute(&mut *tx)
                    .await.named("insert life situation")?;
            }
            tx.commit().await.named("commit the catalog seed")?;
        });
        Ok(())
    }

    /// Every published questionnaire version.
    ///
    /// # Errors
    /// Database failure or a stored definition that no longer parses.
    pub async fn questionnaires(&self) -> DbResult<Vec<Questionnaire>> {
        let rows: Vec<String> = with_pool!(self.reader(), |p| {
            sqlx::query_scalar("select definition from questionnaires order by id, version")
                .fetch_all(p)
                .await
                .named("select questionnaires")?
        });
        parse_all(&rows)
    }

    /// How many questionnaire versions are published: versions are never removed, so a count
    /// above what an instance loaded means another instance published one.
    ///
    /// # Errors
    /// Database failure.
    pub async fn questionnaire_version_count(&self) -> DbResult<u64> {
        let n: i64 = with_pool!(self.reader(), |p| {
            sqlx::query_scalar("select count(*) from questionnaires")
                .fetch_one(p)
                .await
                .named("count questionnaire versions")?
        });
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Publishes one new questionnaire version (checked by the service).
    ///
    /// # Errors
    /// [`DbError::Conflict`](super::DbError::Conflict) when that version exists (another
    /// publisher was first); database failure.
    pub async fn publish_questionnaire(&self, q: &Questionnaire) -> DbResult<()> {
        let json = serde_json::to_string(q).map_err(anyhow::Error::from)?;
        with_pool!(self.writer(), |p| {
            sqlx::query("insert into questionnaires (id, version, definition) values ($1, $2, $3)")
                .bind(&q.id)
                .bind(i64::from(q.version))
                .bind(json)
                .execute(p)
                .await
                .named("insert questionnaire version")?;
        });
        Ok(())
    }

    /// The frozen versions of a questionnaire, oldest first.
    ///
    /// # Errors
    /// Database failure.
    pub async fn questionnaire_freezes(&self, id: &str) -> DbResult<Vec<FreezeRow>> {
        Ok(with_pool!(self.reader(), |p| sqlx::query_as(
            "select f.version, f.life_situation, o.code as org, f.frozen_by, f.frozen_at \
             from questionnaire_freezes f join orgs o on o.id = f.org_id \
             where f.questionnaire = $1 order by f.version"
        )
        .bind(id)
        .fetch_all(p)
        .await
        .named("select questionnaire freezes")?))
    }

    /// Every life situation, by official number.
    ///
    /// # Errors
    /// Database failure or a stored definition that no longer parses.
    pub async fn life_situations(&self) -> DbResult<Vec<LifeSituation>> {
        let rows: Vec<String> = with_pool!(self.reader(), |p| {
            sqlx::query_scalar("select definition from life_situations")
                .fetch_all(p)
                .await
                .named("select life situations")?
        });
        let mut all: Vec<LifeSituation> = parse_all(&rows)?;
        all.sort_by_key(|ls| ls.no);
        Ok(all)
    }
}

/// A frozen questionnaire version: the baseline that froze it.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct FreezeRow {
    /// The version.
    pub version: i32,
    /// The life situation of the baseline.
    pub life_situation: String,
    /// The baseline's org code.
    pub org: String,
    /// Who recorded the baseline.
    pub frozen_by: String,
    /// When.
    pub frozen_at: String,
}

fn parse_all<T: serde::de::DeserializeOwned>(rows: &[String]) -> DbResult<Vec<T>> {
    rows.iter()
        .map(|json| {
            serde_json::from_str(json).map_err(|e| {
                anyhow::Error::from(e)
                    .context("Stored definition does not parse")
                    .into()
            })
        })
        .collect()
}
