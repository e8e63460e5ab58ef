//! Staff accounts: adding one with its rules checked before anything is written.

use otklik_shared::access;
use otklik_shared::org::Role;

use crate::auth::hash_password;
use crate::db::Database;
use crate::service_error::{ServiceError, ServiceResult};

/// Checks and inserts a user; every role but admin needs a scope org.
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
    let invalid =
        |field: &'static str, msg: String| ServiceError::invalid_field("invalid_user", field, msg);
    let login_ok = (2..=64).contains(&login.len())
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if !login_ok {
        return Err(invalid(
            "login",
            "login must be 2–64 letters, digits, '.', '_', '-' or '@'".into(),
        ));
    }
    if password.chars().count() < 8 {
        return Err(invalid(
            "password",
            "the password must have at least 8 characters".into(),
        ));
    }
    let role = Role::parse(role)
        .ok_or_else(|| invalid("role", format!("role must be one of {}", Role::choices())))?;
    let scope_id = match (access::is_scoped(role), scope) {
        (false, None) => None,
        (false, Some(_)) => return Err(invalid("scope", "an admin has no scope".into())),
        (true, None) => {
            return Err(invalid(
                "scope",
                format!("a {} needs a scope org", role.as_str()),
            ))
        }
        (true, Some(code)) => Some(
            db.org_by_code(code)
                .await?
                .ok_or_else(|| invalid("scope", format!("org {code} does not exist")))?
                .id,
        ),
    };
    let hash = hash_password(password)?;
    Ok(db.insert_user(login, &hash, role, scope_id).await?)
}
