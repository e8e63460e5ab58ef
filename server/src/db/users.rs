//! Staff accounts: admins, officials, observers and operators.

use otklik_shared::org::{OrgPath, Role};

use sqlx::AssertSqlSafe;

use super::values::{lookup_key, Decoder};
use super::{with_pool, Database, DbError, DbResult, Named};

/// A user as stored, with the scope org's code and path joined in.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRow {
    /// Surrogate id.
    pub id: i64,
    /// Login name.
    pub login: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// Scope org code (`None` for admins).
    pub scope: Option<String>,
    /// Scope org path (`None` for admins).
    pub scope_path: Option<OrgPath>,
    /// Whether the account may log in and its tokens are accepted.
    pub active: bool,
    /// Bumped on disabling and on a password change: tokens carry the one they were issued
    /// under.
    pub token_generation: i64,
}

/// [`UserRow`] as the query returns it.
#[derive(sqlx::FromRow)]
struct RawUser {
    id: i64,
    login: String,
    password_hash: String,
    role: String,
    scope: Option<String>,
    scope_path: Option<String>,
    active: bool,
    token_generation: i64,
}

impl TryFrom<RawUser> for UserRow {
    type Error = DbError;

    fn try_from(r: RawUser) -> DbResult<Self> {
        let d = Decoder {
            table: "users",
            key: &r.login,
        };
        Ok(Self {
            role: d.column("role", r.role)?,
            scope_path: d.optional("scope_path", r.scope_path)?,
            id: r.id,
            login: r.login,
            password_hash: r.password_hash,
            scope: r.scope,
            active: r.active,
            token_generation: r.token_generation,
        })
    }
}

const SELECT_USER: &str = "select u.id, u.login, u.password_hash, u.role, o.code as scope, \
     o.path as scope_path, u.active, u.token_generation \
     from users u left join orgs o on o.id = u.scope_org_id";

impl Database {
    /// Inserts a user.
    ///
    /// # Errors
    /// [`DbError::Conflict`] when the login exists.
    #[tracing::instrument(skip_all, fields(role = role.as_str(), scope = scope_org_id))]
    pub async fn insert_user(
        &self,
        login: &str,
        password_hash: &str,
        role: Role,
        scope_org_id: Option<i64>,
    ) -> DbResult<i64> {
        let id = with_pool!(self.writer(), |p| {
            sqlx::query_scalar(
            "insert into users (login, password_hash, role, scope_org_id) values ($1, $2, $3, $4) returning id"
        )
        .bind(login)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(scope_org_id)
        .fetch_one(p)
        .await
        .named("insert user")
.map_err(|e| e.conflict_on("user"))?
        });
        Ok(id)
    }

    /// The user with this login.
    ///
    /// # Errors
    /// Database failure.
    pub async fn user_by_login(&self, login: &str) -> DbResult<Option<UserRow>> {
        let Some(login) = lookup_key(login) else {
            return Ok(None);
        };
        let sql = format!("{SELECT_USER} where u.login = $1");
        let row: Option<RawUser> = with_pool!(self.reader(), |p| {
            sqlx::query_as(AssertSqlSafe(sql))
                .bind(login)
                .fetch_optional(p)
                .await
                .named("select user by login")?
        });
        row.map(UserRow::try_from).transpose()
    }

    /// Every user, by login (the service keeps those in the caller's scope: staff lists are
    /// hundreds of rows, not millions).
    ///
    /// # Errors
    /// Database failure.
    pub async fn list_users(&self) -> DbResult<Vec<UserRow>> {
        let sql = format!("{SELECT_USER} order by u.login");
        let rows: Vec<RawUser> = with_pool!(self.reader(), |p| {
            sqlx::query_as(AssertSqlSafe(sql))
                .fetch_all(p)
                .await
                .named("select users")?
        });
        rows.into_iter().map(UserRow::try_from).collect()
    }

    /// Whether the user is active and their token generation: what every authenticated request
    /// checks its token against. `None` when the user does not exist.
    ///
    /// # Errors
    /// Database failure.
    pub async fn user_token_state(&self, id: i64) -> DbResult<Option<(bool, i64)>> {
        Ok(with_pool!(self.reader(), |p| {
            sqlx::query_as("select active, token_generation from users where id = $1")
                .bind(id)
                .fetch_optional(p)
                .await
                .named("select user token state")?
        }))
    }

    /// Sets what is given of `active` and the password hash; `revoke` bumps the token
    /// generation in the same statement, so no earlier token outlives the change.
    ///
    /// # Errors
    /// [`DbError::NotFound`] for an unknown id.
    #[tracing::instrument(skip_all, fields(user = id, revoke))]
    pub async fn update_user(
        &self,
        id: i64,
        active: Option<bool>,
        password_hash: Option<&str>,
        revoke: bool,
    ) -> DbResult<()> {
        let done = with_pool!(self.writer(), |p| {
            sqlx::query(
                "update users set active = coalesce($2, active), \
                 password_hash = coalesce($3, password_hash), \
                 token_generation = token_generation + $4 where id = $1",
            )
            .bind(id)
            .bind(active)
            .bind(password_hash)
            .bind(i64::from(revoke))
            .execute(p)
            .await
            .named("update user")?
            .rows_affected()
        });
        if done == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    /// Replaces a user's password hash with a hash of the same password at another cost, only
    /// while the stored one is still `from`: a password changed in between stays changed. The
    /// token generation stays too, since the password is the same. Whether it was replaced.
    ///
    /// # Errors
    /// Database failures.
    #[tracing::instrument(skip_all, fields(user = id))]
    pub async fn rehash_password(&self, id: i64, from: &str, to: &str) -> DbResult<bool> {
        let done = with_pool!(self.writer(), |p| {
            sqlx::query("update users set password_hash = $3 where id = $1 and password_hash = $2")
                .bind(id)
                .bind(from)
                .bind(to)
                .execute(p)
                .await
                .named("rehash a password")?
                .rows_affected()
        });
        Ok(done == 1)
    }
}
