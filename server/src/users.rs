//! Staff accounts: adding one with its rules checked before anything is written (the CLI, the
//! demo, `POST /users`), listing those in a scope, disabling one or changing its password —
//! which refuses every earlier token of the account at once (`auth::authenticate`).

use otklik_shared::access::{self, Action};
use otklik_shared::org::{OrgPath, Role};
use serde::Deserialize;

use crate::auth::{argon2_in_turn, hash_password, Caller, Target};
use crate::db::orgs::OrgRow;
use crate::db::users::UserRow;
use crate::db::Database;
use crate::service_error::{ServiceError, ServiceResult};

/// A user as given by a person, before checking.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NewUser {
    /// Login name.
    pub login: String,
    /// Password, at least 8 characters.
    pub password: String,
    /// Role wire name.
    pub role: String,
    /// Scope org code (every role but admin).
    pub scope: Option<String>,
}

/// A user as the API shows it (the shared type the dashboard reads): never the hash.
pub type UserView = otklik_shared::api::User;

impl From<UserRow> for UserView {
    fn from(u: UserRow) -> Self {
        Self {
            login: u.login,
            role: u.role,
            scope: u.scope,
            active: u.active,
        }
    }
}

/// Hashes a password off the async workers ([`argon2_in_turn`]).
async fn hash(password: &str) -> ServiceResult<String> {
    let password = password.to_owned();
    argon2_in_turn(move || hash_password(&password))
        .await?
        .map_err(ServiceError::Internal)
}

fn invalid(field: &'static str, msg: impl Into<String>) -> ServiceError {
    ServiceError::invalid_field("invalid_user", field, msg)
}

/// The password rule: at least 8 characters.
fn check_password(password: &str) -> ServiceResult<()> {
    if password.chars().count() < 8 {
        return Err(invalid(
            "password",
            "the password must have at least 8 characters",
        ));
    }
    Ok(())
}

/// Checks a new user's fields; returns the role and the scope org.
async fn checked(db: &Database, new: &NewUser) -> ServiceResult<(Role, Option<OrgRow>)> {
    let login = &new.login;
    let login_ok = (2..=64).contains(&login.len())
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if !login_ok {
        return Err(invalid(
            "login",
            "login must be 2–64 letters, digits, '.', '_', '-' or '@'",
        ));
    }
    check_password(&new.password)?;
    let role = Role::parse(&new.role)
        .ok_or_else(|| invalid("role", format!("role must be one of {}", Role::choices())))?;
    let scope = match (access::is_scoped(role), new.scope.as_deref()) {
        (false, None) => None,
        (false, Some(_)) => return Err(invalid("scope", "an admin has no scope")),
        (true, None) => {
            return Err(invalid(
                "scope",
                format!("a {} needs a scope org", role.as_str()),
            ))
        }
        (true, Some(code)) => Some(
            db.org_by_code(code)
                .await?
                .ok_or_else(|| invalid("scope", format!("org {code} does not exist")))?,
        ),
    };
    Ok((role, scope))
}

async fn insert(
    db: &Database,
    new: &NewUser,
    role: Role,
    scope: Option<&OrgRow>,
) -> ServiceResult<i64> {
    let hash = hash(&new.password).await?;
    Ok(db
        .insert_user(&new.login, &hash, role, scope.map(|o| o.id))
        .await?)
}

/// Checks and inserts a user; every role but admin needs a scope org (the CLI and the demo:
/// no caller).
///
/// # Errors
/// 422 naming the rule broken, 409 when the login exists.
#[tracing::instrument(skip_all)]
pub async fn add_user(
    db: &Database,
    login: &str,
    password: &str,
    role: &str,
    scope: Option<&str>,
) -> ServiceResult<i64> {
    let new = NewUser {
        login: login.to_owned(),
        password: password.to_owned(),
        role: role.to_owned(),
        scope: scope.map(str::to_owned),
    };
    let (role, scope) = checked(db, &new).await?;
    insert(db, &new, role, scope.as_ref()).await
}

/// An account, as a permission is checked against it: its scope org, if any.
struct Account<'a> {
    login: &'a str,
    path: &'a OrgPath,
}

impl Target for Account<'_> {
    fn org_path(&self) -> &OrgPath {
        self.path
    }
    fn describe(&self) -> String {
        format!("user {}", self.login)
    }
}

/// May the caller manage an account of this scope: inside their subtree, and an admin account
/// (no scope) only with the right to grant admin.
fn require_over(caller: &Caller, login: &str, scope: Option<&OrgPath>) -> ServiceResult<()> {
    match scope {
        Some(path) => caller.require(Action::ManageUsers, &Account { login, path }),
        None => caller.require_everywhere(Action::GrantAdmin, &format!("user {login}")),
    }
}

/// Adds a user the caller may manage (`POST /users`).
///
/// # Errors
/// 403 for a scope outside the caller's or an admin without the right to grant it; 422
/// `invalid_user` naming the field; 409 when the login exists.
pub async fn create_user(db: &Database, caller: &Caller, new: &NewUser) -> ServiceResult<UserView> {
    caller.may(Action::ManageUsers)?;
    let (role, scope) = checked(db, new).await?;
    require_over(caller, &new.login, scope.as_ref().map(|o| &o.path))?;
    insert(db, new, role, scope.as_ref()).await?;
    tracing::info!(role = role.as_str(), "user added");
    Ok(UserView {
        login: new.login.clone(),
        role,
        scope: scope.map(|o| o.code),
        active: true,
    })
}

/// The users the caller may manage, by login.
///
/// # Errors
/// 403 for a role that manages no users.
pub async fn list_users(db: &Database, caller: &Caller) -> ServiceResult<Vec<UserView>> {
    caller.may(Action::ManageUsers)?;
    Ok(db
        .list_users()
        .await?
        .into_iter()
        .filter(|u| require_over(caller, &u.login, u.scope_path.as_ref()).is_ok())
        .map(UserView::from)
        .collect())
}

/// What `PATCH /users/{login}` may change.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    /// `false` disables the account, `true` enables it again.
    pub active: Option<bool>,
    /// A new password.
    pub password: Option<String>,
}

/// Disables or enables an account, or changes its password. Disabling and a new password bump
/// the account's token generation: every token issued before is refused from the next request
/// on, on every instance.
///
/// # Errors
/// 404 `unknown_user`, 403 outside the scope, 422 `invalid_user` naming the field (an empty
/// change, a short password, disabling oneself).
pub async fn update_user(
    db: &Database,
    caller: &Caller,
    login: &str,
    patch: &UserPatch,
) -> ServiceResult<UserView> {
    caller.may(Action::ManageUsers)?;
    let user = db
        .user_by_login(login)
        .await?
        .ok_or_else(|| ServiceError::not_found("unknown_user", format!("no user {login}")))?;
    require_over(caller, &user.login, user.scope_path.as_ref())?;
    if patch.active.is_none() && patch.password.is_none() {
        return Err(invalid("active", "give active and/or password"));
    }
    if patch.active == Some(false) && user.id == caller.user_id {
        return Err(invalid(
            "active",
            "you cannot disable your own account; ask another admin",
        ));
    }
    let hash = match &patch.password {
        Some(password) => {
            check_password(password)?;
            Some(hash(password).await?)
        }
        None => None,
    };
    let revoke = patch.active == Some(false) || hash.is_some();
    db.update_user(user.id, patch.active, hash.as_deref(), revoke)
        .await?;
    tracing::info!(user = user.id, revoke, "user updated");
    Ok(UserView {
        active: patch.active.unwrap_or(user.active),
        ..user.into()
    })
}
