//! `otklik backup --to PATH`: a consistent copy while `serve` keeps ingesting.
//!
//! SQLite: `VACUUM INTO` writes a compacted copy from one read transaction, so it is consistent
//! and never blocks the writer under WAL; it needs no second SQLite binding (rusqlite's backup
//! API would). PostgreSQL: `pg_dump` in custom format, restorable with `pg_restore`.

use sqlx::AssertSqlSafe;
use std::path::Path;

use anyhow::{bail, Context};

use crate::db::Database;

/// Writes the backup to `to`, which must not exist yet.
///
/// # Errors
/// The target exists, or the copy failed.
pub async fn backup(db: &Database, database_url: &str, to: &Path) -> anyhow::Result<()> {
    if to.exists() {
        bail!("{} already exists; choose a new file", to.display());
    }
    match db {
        Database::Sqlite { read, .. } => {
            let target = to.to_str().context("The backup path is not valid UTF-8")?;
            sqlx::query(AssertSqlSafe(format!(
                "vacuum into '{}'",
                target.replace('\'', "''")
            )))
            .execute(read)
            .await
            .context("VACUUM INTO failed")?;
        }
        Database::Postgres(_) => {
            let status = tokio::process::Command::new("pg_dump")
                .arg("--format=custom")
                .arg("--file")
                .arg(to)
                .arg(database_url)
                .status()
                .await
                .context("Failed to run pg_dump (install postgresql-client)")?;
            if !status.success() {
                bail!("pg_dump failed with {status}");
            }
        }
    }
    Ok(())
}
