//! The questionnaire catalog in memory: every published version, read from the database.
//!
//! Published versions are immutable, so caching them is safe; a version published by another
//! instance is picked up on the first miss.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use anyhow::Context;
use otklik_shared::catalog;
use otklik_shared::questionnaire::{Question, Questionnaire};

use crate::db::{Database, DbResult};

/// Published questionnaire versions by id, then version.
#[derive(Default)]
pub struct Catalog {
    versions: RwLock<BTreeMap<String, BTreeMap<u32, Arc<Questionnaire>>>>,
}

impl Catalog {
    /// Seeds the built-in questionnaires and life situations (idempotent), then loads the
    /// catalog: what every command that reads questionnaires starts with.
    ///
    /// # Errors
    /// A built-in data file that does not load, or a database failure.
    pub async fn open(db: &Database) -> anyhow::Result<Self> {
        let questionnaires =
            catalog::builtin_questionnaires().context("Built-in questionnaires do not load")?;
        let situations =
            catalog::life_situations().context("Built-in life situations do not load")?;
        db.seed_catalog(&questionnaires, &situations)
            .await
            .context("Failed to seed the catalog")?;
        Self::load(db)
            .await
            .context("Failed to load the questionnaire catalog")
    }

    /// Reads every published version from the database.
    ///
    /// # Errors
    /// Database failure.
    pub async fn load(db: &Database) -> DbResult<Self> {
        let catalog = Self::default();
        catalog.reload(db).await?;
        Ok(catalog)
    }

    async fn reload(&self, db: &Database) -> DbResult<()> {
        let mut map: BTreeMap<String, BTreeMap<u32, Arc<Questionnaire>>> = BTreeMap::new();
        for q in db.questionnaires().await? {
            map.entry(q.id.clone())
                .or_default()
                .insert(q.version, Arc::new(q));
        }
        *self.versions.write().unwrap_or_else(|e| e.into_inner()) = map;
        Ok(())
    }

    fn lookup(&self, id: &str, version: Option<u32>) -> Option<Arc<Questionnaire>> {
        let map = self.versions.read().unwrap_or_else(|e| e.into_inner());
        let versions = map.get(id)?;
        match version {
            Some(v) => versions.get(&v).cloned(),
            None => versions.values().next_back().cloned(),
        }
    }

    /// Reloads when the database holds versions this instance has not loaded: with several
    /// instances on one PostgreSQL, another may have published one. For readers that walk the
    /// whole catalog (which questionnaires carry a question) rather than look one version up,
    /// where [`Catalog::get`]'s reload on a miss never happens. One `count(*)` when nothing is new.
    ///
    /// # Errors
    /// Database failure.
    pub async fn refresh(&self, db: &Database) -> DbResult<()> {
        let loaded: usize = {
            let map = self.versions.read().unwrap_or_else(|e| e.into_inner());
            map.values().map(BTreeMap::len).sum()
        };
        if db.questionnaire_version_count().await? != loaded as u64 {
            self.reload(db).await?;
        }
        Ok(())
    }

    /// A published version (`None` = the latest), reloading once from the database on a miss.
    ///
    /// # Errors
    /// Database failure while reloading.
    pub async fn get(
        &self,
        db: &Database,
        id: &str,
        version: Option<u32>,
    ) -> DbResult<Option<Arc<Questionnaire>>> {
        if let Some(q) = self.lookup(id, version) {
            return Ok(Some(q));
        }
        self.reload(db).await?;
        Ok(self.lookup(id, version))
    }

    /// A published version from memory only (hot path of ingest; call [`Catalog::get`] on a miss).
    pub fn cached(&self, id: &str, version: u32) -> Option<Arc<Questionnaire>> {
        self.lookup(id, Some(version))
    }

    /// The ids of every questionnaire with a published version.
    pub fn ids(&self) -> Vec<String> {
        let map = self.versions.read().unwrap_or_else(|e| e.into_inner());
        map.keys().cloned().collect()
    }

    /// Every published version of `id`, oldest first: what the figures and exports pool.
    pub fn versions(&self, id: &str) -> Vec<Arc<Questionnaire>> {
        let map = self.versions.read().unwrap_or_else(|e| e.into_inner());
        map.get(id)
            .map(|versions| versions.values().cloned().collect())
            .unwrap_or_default()
    }

    /// The questions of every version of `id`, latest version's order first, then questions only
    /// older versions had: stats pool all versions under stable question ids.
    pub fn pooled_questions(&self, id: &str) -> Vec<Question> {
        let map = self.versions.read().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<Question> = Vec::new();
        if let Some(versions) = map.get(id) {
            for q in versions.values().rev() {
                for question in &q.questions {
                    if !out.iter().any(|o| o.id == question.id) {
                        out.push(question.clone());
                    }
                }
            }
        }
        out
    }
}
