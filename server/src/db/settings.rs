//! Key–value settings kept in the database, shared by every instance (e.g. the JWT secret).

use super::{with_pool, Database, DbResult, Named};

impl Database {
    /// The value of `key`, inserting `make()` first if the key is absent. Concurrent callers on
    /// several instances all get the one value that won the insert.
    ///
    /// # Errors
    /// Database failure.
    pub async fn setting_or_insert(
        &self,
        key: &str,
        make: impl FnOnce() -> String,
    ) -> DbResult<String> {
        let value = make();
        let stored: String = with_pool!(self.writer(), |p| {
            sqlx::query(
                "insert into settings (key, value) values ($1, $2) on conflict (key) do nothing",
            )
            .bind(key)
            .bind(&value)
            .execute(p)
            .await
            .named("insert setting")?;
            sqlx::query_scalar("select value from settings where key = $1")
                .bind(key)
                .fetch_one(p)
                .await
                .named("select setting")?
        });
        Ok(stored)
    }
}
