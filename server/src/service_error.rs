//! The services' one error type: what went wrong, in domain terms, with a stable code.
//!
//! Services know nothing of HTTP or of the command line. The web edge turns a
//! [`ServiceError`] into the JSON envelope and its status, the CLI into one line
//! for a person (naming the flag where [`ServiceError::Invalid`] names a field), so the same
//! rule speaks the right language on each side.

use otklik_shared::access::Denied;
use serde_json::Value;

use crate::db::DbError;

/// Why a service refused or failed.
#[derive(thiserror::Error)]
pub enum ServiceError {
    /// A request parameter is malformed (a date that is not `YYYY-MM-DD`…).
    #[error("{message}")]
    BadParameter {
        /// Human message.
        message: String,
    },
    /// No valid credentials (`unauthorized`, `invalid_credentials`, `token_expired`,
    /// `device_revoked`).
    #[error("{message}")]
    Unauthenticated {
        /// Stable code.
        code: &'static str,
        /// Human message.
        message: String,
    },
    /// The permission table or the caller's scope refuses; `what` names the target.
    #[error("{}", denial_message(*.denied, what))]
    Denied {
        /// Which rule refused.
        denied: Denied,
        /// The target, for the message ("org reg-a").
        what: String,
    },
    /// No such thing (`unknown_org`, `unknown_point`…).
    #[error("{message}")]
    NotFound {
        /// Stable code.
        code: &'static str,
        /// Human message.
        message: String,
    },
    /// The thing already exists.
    #[error("{message}")]
    Conflict {
        /// Human message.
        message: String,
    },
    /// The thing existed and is used up (an enrolment code: `code_used`, `code_expired`).
    #[error("{message}")]
    Gone {
        /// Stable code.
        code: &'static str,
        /// Human message.
        message: String,
    },
    /// Well-formed input that breaks a rule; `field` names the input it is about, if one.
    #[error("{message}")]
    Invalid {
        /// Stable code (`invalid_org`, `batch_size`…).
        code: &'static str,
        /// The input field the rule is about (`life_situation`), for the CLI to name its flag.
        field: Option<&'static str>,
        /// Human message.
        message: String,
        /// Structured details for API clients.
        details: Option<Value>,
    },
    /// Over a limit kept in memory (`crate::ratelimit`): every item of a batch over the
    /// anonymous limit (`rate_limited`), or too many failed logins (`login_throttled`).
    #[error("{message}")]
    RateLimited {
        /// Stable code.
        code: &'static str,
        /// Human message.
        message: String,
        /// Seconds until the window resets.
        retry_after: u64,
    },
    /// Our fault: a bug or an outage. The message for people stays generic.
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

fn denial_message(denied: Denied, what: &str) -> String {
    match denied {
        Denied::Role(action) => action.refusal().to_owned(),
        Denied::OutOfScope => format!("{what} is outside your scope"),
    }
}

impl std::fmt::Debug for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Internal(e) => write!(f, "internal error: {e:?}"),
            other => write!(f, "{other}"),
        }
    }
}

/// Result of a service.
pub type ServiceResult<T> = Result<T, ServiceError>;

impl ServiceError {
    /// A broken rule about no particular field.
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            code,
            field: None,
            message: message.into(),
            details: None,
        }
    }

    /// A broken rule about one input field, named for API clients in `details.field`.
    pub fn invalid_field(
        code: &'static str,
        field: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self::Invalid {
            code,
            field: Some(field),
            message: message.into(),
            details: Some(serde_json::json!({ "field": field })),
        }
    }

    /// No such thing.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::NotFound {
            code,
            message: message.into(),
        }
    }

    /// No valid credentials.
    pub fn unauthenticated(code: &'static str, message: impl Into<String>) -> Self {
        Self::Unauthenticated {
            code,
            message: message.into(),
        }
    }

    /// A bad request parameter.
    pub fn bad_parameter(message: impl Into<String>) -> Self {
        Self::BadParameter {
            message: message.into(),
        }
    }

    /// A refusal of the permission table or the scope, about `what`.
    pub fn denied(denied: Denied, what: impl Into<String>) -> Self {
        Self::Denied {
            denied,
            what: what.into(),
        }
    }
}

impl From<DbError> for ServiceError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::NotFound => Self::not_found("not_found", "not found"),
            DbError::Conflict { what } => Self::Conflict {
                message: format!("{what} already exists"),
            },
            e @ DbError::Corrupt { .. } => Self::Internal(e.into()),
            DbError::Other(e) => Self::Internal(e),
        }
    }
}
