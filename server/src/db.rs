//! Storage: one [`Database`] over SQLite (the embedded default) or PostgreSQL (several server
//! instances), with one query module per concern written once for both backends.
//!
//! Each query function matches on the backend through [`with_pool!`], which expands the same
//! code for `SqlitePool` and `PgPool`: sqlx's runtime-checked queries are generic over the
//! executor, `$1` placeholders work on both, and UUIDs, timestamps and dates bind to native
//! types on each side (BLOB/TEXT on SQLite, `uuid`/`timestamptz`/`date` on PostgreSQL). Only the
//! DDL differs (`migrations/sqlite`, `migrations/postgres`), and the three statements of ingest
//! whose SQL differs sit behind one `Dialect` (`db/ingest/dialect.rs`). One contract test suite
//! runs on both.
//!
//! Rows come out typed ([`values`]: kinds, paths, roles, time zones decoded at this edge), and
//! every error names the query it came from.

pub mod audit;
pub mod catalog;
pub mod devices;
pub mod entries;
pub mod exports;
pub mod ingest;
pub mod nok;
pub mod nsi;
pub mod orgs;
pub mod points;
pub mod respondents;
pub mod reviews;
pub mod settings;
pub mod stats;
pub mod users;
pub mod values;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

/// Expands `$body` once per backend with `$p` bound to the backend's pool.
#[macro_export]
#[doc(hidden)]
macro_rules! __with_pool {
    ($pool:expr, |$p:ident| $body:expr) => {
        match $pool {
            $crate::db::Pool::Sqlite($p) => $body,
            $crate::db::Pool::Postgres($p) => $body,
        }
    };
}
pub use crate::__with_pool as with_pool;

/// Which database engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `sqlite://path`: one file, one writer, the embedded default.
    Sqlite,
    /// `postgres://…`: shared by any number of server instances.
    Postgres,
}

impl Backend {
    /// The backend a database URL names.
    ///
    /// # Errors
    /// The URL is neither `sqlite:` nor `postgres(ql)://`.
    pub fn of_url(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            anyhow::bail!(
                "OTKLIK_DATABASE_URL / --database-url must start with sqlite: or postgres://"
            )
        }
    }
}

/// A borrowed pool of either backend; the argument of [`with_pool!`].
pub enum Pool<'a> {
    /// SQLite.
    Sqlite(&'a SqlitePool),
    /// PostgreSQL.
    Postgres(&'a PgPool),
}

/// The database, cheap to clone (pools are reference-counted).
#[derive(Clone)]
pub enum Database {
    /// SQLite has one writer at a time: a one-connection pool takes every write, so writes
    /// queue in-process instead of failing with `SQLITE_BUSY`; reads use their own pool and run
    /// beside it thanks to WAL.
    Sqlite {
        /// The single write connection.
        write: SqlitePool,
        /// Read connections.
        read: SqlitePool,
    },
    /// PostgreSQL: one pool for everything.
    Postgres(PgPool),
}

/// One durability setting as a live connection reports it ([`Database::durability`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The pool the connection belongs to: `write` or `read` on SQLite, `pool` on PostgreSQL.
    pub pool: &'static str,
    /// `synchronous` and `journal_mode` (SQLite), `synchronous_commit` and `fsync` (PostgreSQL).
    pub name: &'static str,
    /// The value, lower case, as the database names it (`full`, `wal`, `on`).
    pub value: String,
}

impl Setting {
    /// Whether the value keeps the promise that `created` means on disk, even on power loss:
    /// SQLite `synchronous` full (or extra) with an on-disk journal (we set `wal`); PostgreSQL
    /// `fsync` on and `synchronous_commit` anything but off (every other level flushes locally
    /// first). Documented in `docs/reliability.md`.
    pub fn is_durable(&self) -> bool {
        matches!(
            (self.name, self.value.as_str()),
            ("synchronous", "full" | "extra")
                | ("journal_mode", "wal" | "delete" | "truncate" | "persist")
                | (
                    "synchronous_commit",
                    "on" | "local" | "remote_write" | "remote_apply"
                )
                | ("fsync", "on")
        )
    }

    fn new(pool: &'static str, name: &'static str, value: &str) -> Self {
        Self {
            pool,
            name,
            value: value.to_owned(),
        }
    }
}

/// One pool's connections at a moment ([`Database::pool_stats`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    /// `write` or `read` on SQLite, `pool` on PostgreSQL.
    pub name: &'static str,
    /// Connections open, idle or in use.
    pub size: u32,
    /// Connections open and idle.
    pub idle: u32,
    /// The most the pool opens: at `size == max` with none idle, requests wait for one.
    pub max: u32,
}

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// No such row.
    #[error("not found")]
    NotFound,
    /// A unique constraint refused the write.
    #[error("{what} already exists")]
    Conflict {
        /// What collided.
        what: &'static str,
    },
    /// A stored value that its typed field cannot hold (a kind, path, role or time zone written
    /// by hand or by an older version): a bug in the data, never defaulted over.
    #[error("stored {table} row {key}: {column} {value:?} does not decode")]
    Corrupt {
        /// The table the row comes from.
        table: &'static str,
        /// The row's code, login or id.
        key: String,
        /// The column.
        column: &'static str,
        /// The stored text.
        value: String,
    },
    /// Anything else: a bug or an outage, never the client's fault. The message names the
    /// query that failed, then the cause.
    #[error("{0:#}")]
    Other(#[from] anyhow::Error),
}

impl DbError {
    /// A failed query's error, naming the query: no row is [`DbError::NotFound`], a unique
    /// violation [`DbError::Conflict`], anything else [`DbError::Other`] with the name as
    /// context.
    fn of_query(e: sqlx::Error, query: &'static str) -> Self {
        match &e {
            sqlx::Error::RowNotFound => Self::NotFound,
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                Self::Conflict { what: "record" }
            }
            _ => Self::Other(anyhow::Error::new(e).context(query)),
        }
    }

    /// A conflict reported as one on `what` (`org`, `user`): the caller knows what it inserted.
    fn conflict_on(self, what: &'static str) -> Self {
        match self {
            Self::Conflict { .. } => Self::Conflict { what },
            other => other,
        }
    }
}

/// Names the query a sqlx result comes from. There is no `From<sqlx::Error>` for
/// [`DbError`], so no query's error can leave this module without its name.
trait Named<T> {
    /// The result, its error naming `query` ([`DbError::of_query`]).
    fn named(self, query: &'static str) -> DbResult<T>;
}

impl<T> Named<T> for Result<T, sqlx::Error> {
    fn named(self, query: &'static str) -> DbResult<T> {
        self.map_err(|e| DbError::of_query(e, query))
    }
}

/// Result of the storage layer.
pub type DbResult<T> = Result<T, DbError>;

/// The page cache of each SQLite read connection: up to 32 MB, for the dashboard's reads of the
/// rollups, which come back to the same pages (`/stats`, `/rankings`; docs/benchmarks.md).
const READ_CACHE_PRAGMA: &str = "-32000";

/// The page cache of the SQLite write connection: 2 MB. Ingest appends (the PWA's ids are
/// UUIDv7, in time order), so what it comes back to is the tail of each index and today's
/// rollups; a 32 MB cache filled with pages it never wrote again, the largest part of what the
/// server grew by under load (120 → 92 MB RSS with 200 clients posting at 8 MB, the binary
/// otherwise the same, and no fewer responses a second). Ingest into a growing 1 GB file ran
/// as fast with 2, 4 or 8 MB (81–86 k responses/s up to 10⁶ stored; docs/benchmarks.md). The
/// operating system's file cache still serves what falls out.
const WRITE_CACHE_PRAGMA: &str = "-2000";

impl Database {
    /// Connects and runs the migrations.
    ///
    /// # Errors
    /// Bad URL, unreachable server, failed migration.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let db = match Backend::of_url(url)? {
            Backend::Sqlite => {
                let opts = SqliteConnectOptions::from_str(url)
                    .context("Failed to parse the SQLite URL")?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    // FULL: a commit is on disk before we answer `created`, even on power loss.
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10));
                let write = SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect_with(opts.clone().pragma("cache_size", WRITE_CACHE_PRAGMA))
                    .await
                    .context("Failed to open the SQLite database")?;
                sqlx::migrate!("../migrations/sqlite")
                    .run(&write)
                    .await
                    .context("Failed to migrate the SQLite database")?;
                let read = SqlitePoolOptions::new()
                    .max_connections(4)
                    .connect_with(opts.pragma("cache_size", READ_CACHE_PRAGMA))
                    .await
                    .context("Failed to open SQLite read connections")?;
                Self::Sqlite { write, read }
            }
            Backend::Postgres => {
                let opts = PgConnectOptions::from_str(url)
                    .context("Failed to parse the PostgreSQL URL")?;
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(opts)
                    .await
                    .context("Failed to connect to PostgreSQL")?;
                // sqlx takes an advisory lock, so concurrent instances migrate one at a time.
                sqlx::migrate!("../migrations/postgres")
                    .run(&pool)
                    .await
                    .context("Failed to migrate the PostgreSQL database")?;
                Self::Postgres(pool)
            }
        };
        Ok(db)
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite { .. } => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    /// The pool for reads.
    pub fn reader(&self) -> Pool<'_> {
        match self {
            Self::Sqlite { read, .. } => Pool::Sqlite(read),
            Self::Postgres(p) => Pool::Postgres(p),
        }
    }

    /// The pool for writes.
    pub fn writer(&self) -> Pool<'_> {
        match self {
            Self::Sqlite { write, .. } => Pool::Sqlite(write),
            Self::Postgres(p) => Pool::Postgres(p),
        }
    }

    /// Whether the database answers (for `/healthz`).
    ///
    /// # Errors
    /// The database is unreachable.
    pub async fn ping(&self) -> DbResult<()> {
        with_pool!(self.reader(), |p| {
            sqlx::query("select 1").execute(p).await.named("ping")?;
        });
        Ok(())
    }

    /// The durability settings in force, read back from the live connections: the promise
    /// that `created` means on disk (see [`Database::ingest`]) rests on them, and a connect
    /// option or a server setting changed by someone else would break it silently.
    ///
    /// SQLite's `synchronous` is per connection, so every connection each pool may hold is
    /// opened and asked (its `journal_mode` with it). PostgreSQL's `synchronous_commit` and
    /// `fsync` come from the server, database and role, never from us: one session speaks for
    /// every session of the pool.
    ///
    /// # Errors
    /// Database failure.
    pub async fn durability(&self) -> DbResult<Vec<Setting>> {
        let mut out = Vec::new();
        match self {
            Self::Sqlite { write, read } => {
                for (pool, name) in [(write, "write"), (read, "read")] {
                    let max = pool.options().get_max_connections();
                    // Held together, so that each is a different connection.
                    let held = futures_util::future::try_join_all((0..max).map(|_| pool.acquire()))
                        .await
                        .named("acquire every SQLite connection")?;
                    for mut conn in held {
                        let level: i64 = sqlx::query_scalar("pragma synchronous")
                            .fetch_one(&mut *conn)
                            .await
                            .named("read pragma synchronous")?;
                        let mode: String = sqlx::query_scalar("pragma journal_mode")
                            .fetch_one(&mut *conn)
                            .await
                            .named("read pragma journal_mode")?;
                        let level = match level {
                            0 => "off",
                            1 => "normal",
                            2 => "full",
                            3 => "extra",
                            _ => "unknown",
                        };
                        out.push(Setting::new(name, "synchronous", level));
                        out.push(Setting::new(name, "journal_mode", &mode.to_lowercase()));
                    }
                }
            }
            Self::Postgres(p) => {
                let (commit, fsync): (String, String) = sqlx::query_as(
                    "select current_setting('synchronous_commit'), current_setting('fsync')",
                )
                .fetch_one(p)
                .await
                .named("read PostgreSQL durability settings")?;
                out.push(Setting::new("pool", "synchronous_commit", &commit));
                out.push(Setting::new("pool", "fsync", &fsync));
            }
        }
        Ok(out)
    }

    /// The pools' connections now, for the metrics: `write` and `read` on SQLite, `pool` on
    /// PostgreSQL (the names of [`Setting::pool`]).
    pub fn pool_stats(&self) -> Vec<PoolStats> {
        let stats = |name, pool: Pool<'_>| {
            with_pool!(pool, |p| PoolStats {
                name,
                size: p.size(),
                idle: u32::try_from(p.num_idle()).unwrap_or(u32::MAX),
                max: p.options().get_max_connections(),
            })
        };
        match self {
            Self::Sqlite { write, read } => vec![
                stats("write", Pool::Sqlite(write)),
                stats("read", Pool::Sqlite(read)),
            ],
            Self::Postgres(p) => vec![stats("pool", Pool::Postgres(p))],
        }
    }

    /// Closes every connection (graceful shutdown, end of a CLI command).
    pub async fn close(&self) {
        match self {
            Self::Sqlite { write, read } => {
                read.close().await;
                write.close().await;
            }
            Self::Postgres(p) => p.close().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_settings_that_keep_a_commit_through_power_loss_are_durable() {
        let cases = [
            ("synchronous", "full", true),
            ("synchronous", "extra", true),
            ("synchronous", "normal", false),
            ("synchronous", "off", false),
            ("journal_mode", "wal", true),
            ("journal_mode", "memory", false),
            ("journal_mode", "off", false),
            ("synchronous_commit", "on", true),
            ("synchronous_commit", "local", true),
            ("synchronous_commit", "off", false),
            ("fsync", "on", true),
            ("fsync", "off", false),
        ];
        for (name, value, durable) in cases {
            assert_eq!(
                Setting::new("pool", name, value).is_durable(),
                durable,
                "{name} = {value}"
            );
        }
    }

    #[test]
    fn a_query_error_names_the_query_then_the_cause() {
        let e = Err::<(), _>(sqlx::Error::PoolClosed).named("select org by code");
        let message = e.unwrap_err().to_string();
        assert!(
            message.starts_with("select org by code: ") && message.len() > 20,
            "{message}"
        );
        let missing = Err::<(), _>(sqlx::Error::RowNotFound).named("select org by code");
        assert!(matches!(missing, Err(DbError::NotFound)));
    }
}
