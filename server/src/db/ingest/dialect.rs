//! What SQLite and PostgreSQL do differently in an ingest transaction, behind one [`Dialect`]
//! implemented by each backend's pool: the insert text, the rollup upsert and the log append.
//! Everything else of [`crate::db::Database::ingest`] is one text for both.

use std::fmt::Write;
use std::sync::LazyLock;

use sqlx::{PgConnection, PgPool, SqliteConnection, SqlitePool};

use super::rollup::Increments;
use super::{link, Backend};
use crate::db::{DbResult, Named};

/// Rows per insert statement: 12 parameters each, far below both backends' limits.
pub(super) const INSERT_ROWS: usize = 500;

/// The backend-specific steps of an ingest transaction.
pub(super) trait Dialect {
    /// The connection a transaction runs on.
    type Connection;

    /// The plain insert of `rows` responses (1 to [`INSERT_ROWS`]), refused whole by a
    /// duplicate id.
    fn insert(&self, rows: usize) -> &'static str;

    /// Adds a batch's increments to the rollups: one statement, the rows in key order (the lock
    /// order on PostgreSQL).
    async fn upsert_rollups(
        &self,
        conn: &mut Self::Connection,
        increments: &Increments<'_>,
    ) -> DbResult<()>;

    /// Appends one record (`ids`, and the `sealed` bytes its link covers) to the log and moves
    /// the chain head. Its row lock is the last one a transaction takes.
    async fn append_log(
        &self,
        conn: &mut Self::Connection,
        ids: Vec<u8>,
        sealed: Vec<u8>,
    ) -> DbResult<()>;
}

/// The insert of [`INSERT_ROWS`] responses, and where each row's placeholders end in it.
struct InsertText {
    text: String,
    row_ends: Vec<usize>,
}

impl InsertText {
    /// Built once per backend: the insert of n rows is the first n rows of it, so no batch
    /// formats thousands of placeholders again (it showed in profiles of the ingest path).
    /// SQLite gets plain `?` placeholders: it resolves a numbered one (`$7`) by a linear search
    /// of the statement's parameter names, ten times slower at 6,000 parameters (measured).
    fn new(backend: Backend) -> Self {
        let mut text = String::from(
            "insert into responses (id, point_id, questionnaire, version, channel, device, seq, \
             submitted_at, local_date, received_at, raw, payload_hash) values ",
        );
        let mut row_ends = Vec::with_capacity(INSERT_ROWS);
        for row in 0..INSERT_ROWS {
            text.push_str(if row == 0 { "(" } else { ", (" });
            for column in 0..12 {
                if column > 0 {
                    text.push_str(", ");
                }
                match backend {
                    Backend::Sqlite => text.push('?'),
                    // Writing to a String cannot fail.
                    Backend::Postgres => {
                        let _ = write!(text, "${}", row * 12 + column + 1);
                    }
                }
            }
            text.push(')');
            row_ends.push(text.len());
        }
        Self { text, row_ends }
    }

    /// The insert of `rows` responses (1 to [`INSERT_ROWS`]).
    fn rows(&self, rows: usize) -> &str {
        &self.text[..self.row_ends[rows.clamp(1, INSERT_ROWS) - 1]]
    }
}

static INSERT_SQLITE: LazyLock<InsertText> = LazyLock::new(|| InsertText::new(Backend::Sqlite));
static INSERT_POSTGRES: LazyLock<InsertText> = LazyLock::new(|| InsertText::new(Backend::Postgres));

/// A rollup table: its name and its key columns with their PostgreSQL types, in primary-key
/// order; the packed `counts` column follows the keys.
struct RollupTable {
    name: &'static str,
    keys: &'static [(&'static str, &'static str)],
}

/// `rollups`: per point, questionnaire, grain, period, channel and question ([`Key`]).
const ROLLUPS: RollupTable = RollupTable {
    name: "rollups",
    keys: &[
        ("point_id", "int8"),
        ("questionnaire", "text"),
        ("grain", "text"),
        ("period", "date"),
        ("channel", "text"),
        ("question", "text"),
    ],
};

/// `subtree_rollups`: per org (and everything below it), questionnaire, grain, period and
/// question ([`SubtreeKey`]).
const SUBTREE_ROLLUPS: RollupTable = RollupTable {
    name: "subtree_rollups",
    keys: &[
        ("org_id", "int8"),
        ("questionnaire", "text"),
        ("grain", "text"),
        ("period", "date"),
        ("question", "text"),
    ],
};

impl RollupTable {
    fn columns(&self) -> String {
        let keys: Vec<&str> = self.keys.iter().map(|(name, _)| *name).collect();
        keys.join(", ")
    }

    /// The upsert on PostgreSQL: the rows as one array per column (`unnest`), the cheapest
    /// form it decodes; on conflict the stored and the new counts are summed per value.
    fn upsert_postgres(&self) -> String {
        let n = self.keys.len();
        let arrays: Vec<String> = (0..=n)
            .map(|i| {
                let ty = self.keys.get(i).map_or("text", |(_, ty)| ty);
                format!("${}::{ty}[]", i + 1)
            })
            .collect();
        let aliases: Vec<String> = (0..=n).map(|i| format!("c{i}")).collect();
        let mut selected = aliases[..n].to_vec();
        selected.push(format!("c{n}::jsonb"));
        format!(
            "insert into {table} ({columns}, counts) select {selected} from unnest({arrays}) \
             as t({aliases}) on conflict ({columns}) do update set counts = \
             (select jsonb_object_agg(key, n) from (select key, sum(value::bigint) as n from ( \
             select * from jsonb_each_text({table}.counts) \
             union all select * from jsonb_each_text(excluded.counts)) as both_counts \
             group by key) as summed)",
            table = self.name,
            columns = self.columns(),
            selected = selected.join(", "),
            arrays = arrays.join(", "),
            aliases = aliases.join(", "),
        )
    }

    /// The upsert on SQLite, which has no arrays: the rows as one JSON array (`json_each`),
    /// each element `[[key…], counts]`. `where true` tells SQLite's parser that `on conflict`
    /// starts the upsert clause.
    fn upsert_sqlite(&self) -> String {
        let mut selected: Vec<String> = (0..self.keys.len())
            .map(|i| format!("r.value ->> '$[0][{i}]'"))
            .collect();
        selected.push("r.value ->> '$[1]'".to_owned());
        format!(
            "insert into {table} ({columns}, counts) select {selected} from json_each($1) r \
             where true on conflict ({columns}) do update set counts = \
             (select json_group_object(key, n) from (select key, sum(value) as n from ( \
             select key, value from json_each({table}.counts) \
             union all select key, value from json_each(excluded.counts)) group by key))",
            table = self.name,
            columns = self.columns(),
            selected = selected.join(", "),
        )
    }
}

/// The upserts of both rollup tables per backend, built once: each text never changes, so it
/// is prepared once per connection whatever the number of rows.
static UPSERT_POSTGRES: LazyLock<[String; 2]> =
    LazyLock::new(|| [ROLLUPS.upsert_postgres(), SUBTREE_ROLLUPS.upsert_postgres()]);
static UPSERT_SQLITE: LazyLock<[String; 2]> =
    LazyLock::new(|| [ROLLUPS.upsert_sqlite(), SUBTREE_ROLLUPS.upsert_sqlite()]);

/// The log append on PostgreSQL (`$1` the ids, `$2` the sealed bytes): one statement takes the
/// chain head's row lock, links the record with the database's own `sha256` (the same hash as
/// [`link`]) and inserts it. The lock is held to the commit, so concurrent batches queue on it;
/// linking in the locking statement keeps that queue to one statement and the commit, instead
/// of a round trip to the server and back more.
const APPEND_LOG_POSTGRES: &str = "with head as (update chain_head set log_seq = log_seq + 1, \
     chain_hash = sha256(chain_hash || int8send(log_seq + 1) || $2) where id = 1 \
     returning log_seq, chain_hash) \
     insert into response_log (log_seq, response_ids, chain_hash) \
     select log_seq, $1, chain_hash from head";

/// The chain head bump on SQLite (no `sha256` in SQL): the new log_seq and the previous hash,
/// which [`link`] then chains in Rust.
const BUMP_HEAD_SQLITE: &str =
    "update chain_head set log_seq = log_seq + 1 where id = 1 returning log_seq, chain_hash";

/// The log append on SQLite after the head was bumped: the record and the head's new hash, two
/// statements in one round trip (`$1` log_seq, `$2` ids, `$3` chain hash).
const APPEND_LOG_SQLITE: &str =
    "insert into response_log (log_seq, response_ids, chain_hash) values ($1, $2, $3); \
     update chain_head set chain_hash = $3 where id = 1";

impl Dialect for PgPool {
    type Connection = PgConnection;

    fn insert(&self, rows: usize) -> &'static str {
        INSERT_POSTGRES.rows(rows)
    }

    async fn upsert_rollups(
        &self,
        conn: &mut PgConnection,
        increments: &Increments<'_>,
    ) -> DbResult<()> {
        let [rollups, subtree] = &*UPSERT_POSTGRES;
        let rows = &increments.rows;
        sqlx::query(rollups.as_str())
            .bind(column(rows, |(k, _)| k.0))
            .bind(column(rows, |(k, _)| k.1))
            .bind(column(rows, |(k, _)| k.2))
            .bind(column(rows, |(k, _)| k.3))
            .bind(column(rows, |(k, _)| k.4))
            .bind(column(rows, |(k, _)| k.5))
            .bind(column(rows, |(_, counts)| counts.as_str()))
            .execute(&mut *conn)
            .await
            .named("upsert rollups")?;
        let rows = &increments.subtree_rows;
        if !rows.is_empty() {
            sqlx::query(subtree.as_str())
                .bind(column(rows, |(k, _)| k.0))
                .bind(column(rows, |(k, _)| k.1))
                .bind(column(rows, |(k, _)| k.2))
                .bind(column(rows, |(k, _)| k.3))
                .bind(column(rows, |(k, _)| k.4))
                .bind(column(rows, |(_, counts)| counts.as_str()))
                .execute(conn)
                .await
                .named("upsert subtree rollups")?;
        }
        Ok(())
    }

    async fn append_log(
        &self,
        conn: &mut PgConnection,
        ids: Vec<u8>,
        sealed: Vec<u8>,
    ) -> DbResult<()> {
        sqlx::query(APPEND_LOG_POSTGRES)
            .bind(ids)
            .bind(sealed)
            .execute(conn)
            .await
            .named("append to the response log")?;
        Ok(())
    }
}

/// One column of the rows, for binding as a PostgreSQL array.
fn column<'r, K: 'r, T>(rows: &'r [(K, String)], f: impl Fn(&'r (K, String)) -> T) -> Vec<T> {
    rows.iter().map(f).collect()
}

impl Dialect for SqlitePool {
    type Connection = SqliteConnection;

    fn insert(&self, rows: usize) -> &'static str {
        INSERT_SQLITE.rows(rows)
    }

    async fn upsert_rollups(
        &self,
        conn: &mut SqliteConnection,
        increments: &Increments<'_>,
    ) -> DbResult<()> {
        let [rollups, subtree] = &*UPSERT_SQLITE;
        for (text, json, what) in [
            (
                rollups,
                serde_json::to_string(&increments.rows),
                "upsert rollups",
            ),
            (
                subtree,
                serde_json::to_string(&increments.subtree_rows),
                "upsert subtree rollups",
            ),
        ] {
            let json =
                json.map_err(|e| anyhow::Error::new(e).context("encode rollups for SQLite"))?;
            sqlx::query(text.as_str())
                .bind(json)
                .execute(&mut *conn)
                .await
                .named(what)?;
        }
        Ok(())
    }

    async fn append_log(
        &self,
        conn: &mut SqliteConnection,
        ids: Vec<u8>,
        sealed: Vec<u8>,
    ) -> DbResult<()> {
        let (log_seq, prev): (i64, Vec<u8>) = sqlx::query_as(BUMP_HEAD_SQLITE)
            .fetch_one(&mut *conn)
            .await
            .named("bump the chain head")?;
        sqlx::query(APPEND_LOG_SQLITE)
            .bind(log_seq)
            .bind(ids)
            .bind(link(&prev, log_seq, &sealed).as_slice())
            .execute(conn)
            .await
            .named("append to the response log")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_insert_of_n_rows_ends_after_the_nth_rows_placeholders() {
        let pg = |rows| INSERT_POSTGRES.rows(rows);
        assert!(pg(1).ends_with(" values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"));
        assert!(
            pg(2).ends_with("$12), ($13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)")
        );
        assert!(pg(INSERT_ROWS).ends_with(&format!("${})", INSERT_ROWS * 12)));
        assert_eq!(pg(INSERT_ROWS).matches('$').count(), INSERT_ROWS * 12);
        let sqlite = |rows| INSERT_SQLITE.rows(rows);
        assert!(sqlite(1).ends_with(" values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        for rows in [1, 2, 37, INSERT_ROWS] {
            assert_eq!(sqlite(rows).matches('?').count(), rows * 12);
            assert_eq!(
                pg(rows).matches('(').count(),
                rows + 1,
                "the column list and one per row"
            );
        }
    }
}
