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
