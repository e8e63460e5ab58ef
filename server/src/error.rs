//! The one API error type: every failure becomes the contract's JSON envelope with a stable code.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use otklik_shared::api::{ErrorBody, ErrorDetail};

use otklik_shared::access::Denied;

use crate::db::DbError;
use crate::service_error::ServiceError;

/// An error answered to an HTTP client.
#[derive(thiserror::Error)]
pub enum ApiError {
    /// 400: the request is not well-formed JSON or has bad parameters.
    #[error("{message}")]
    BadRequest {
        /// Stable code (`malformed_json`, `bad_parameter`…).
        code: &'static str,
        /// Human message.
        message: String,
    },
    /// 401: no token, a bad one, or bad credentials (`WWW-Authenticate: Bearer`).
    #[error("{message}")]
    Unauthorized {
        /// Stable code (`unauthorized`, `invalid_credentials`, `token_expired`).
        code: &'static str,
        /// Human message.
        message: String,
    },
    /// 403: the caller's role or org scope does not cover the target.
    #[error("{message}")]
    Forbidden {
        /// Stable code (`out_of_scope`, `forbidden`).
        code: &'static str,
        /// Human message.
        message: String,
    },
    /// 404: no such thing.
    #[error("{message}")]
    NotFound {
        /// Stable code (`not_found`, `unknown_point`…).
        code: &'static str,
        /// Human message.
        message: String,
    },
    /// 405: the path is served, with other methods (`Allow` lists them).
    #[error("this path is served with {allow} only")]
    MethodNotAllowed {
        /// The methods served, as the `Allow` header carries them.
        allow: &'static str,
    },
    /// 409: the thing already exists.
    #[error("{message}")]
    Conflict {
        /// Stable code (`already_exists`).
        code: &'static str,
        /// Human message.
        message: String,
    },
    /// 410: the thing existed but is used up (an enrolment code).
    #[error("{message}")]
    Gone {
        /// Stable code (`code_used`, `code_expired`).
        code: &'static str,
        /// Human message.
        message: String,
    },
    /// 413: the body is over 1 MiB; the client halves its batch and retries.
    #[error("request body is larger than 1 MiB")]
    PayloadTooLarge,
    /// 422: well-formed but invalid.
    #[error("{message}")]
    Unprocessable {
        /// Stable code (`batch_size`, `invalid_org`…).
        code: &'static str,
        /// Human message.
        message: String,
        /// Structured details.
        details: Option<serde_json::Value>,
    },
    /// 429: over the anonymous rate limit or the login throttle; retry after the given seconds
    /// (`Retry-After`).
    #[error("{message}")]
    RateLimited {
        /// Stable code (`rate_limited`, `login_throttled`).
        code: &'static str,
        /// Human message.
        message: String,
        /// Seconds until the window resets.
        retry_after: u64,
    },
    /// 500: our fault. The body stays generic; the cause chain goes to the log.
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl std::fmt::Debug for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Internal(e) => write!(f, "internal error: {e:?}"),
            other => write!(f, "{other}"),
        }
    }
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// 400 with a code and message.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            message: message.into(),
        }
    }

    /// 401 with a code and message.
    pub fn unauthorized(code: &'static str, message: impl Into<String>) -> Self {
        Self::Unauthorized {
            code,
            message: message.into(),
        }
    }

    /// 404 with a code and message.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::NotFound {
            code,
            message: message.into(),
        }
    }

    /// 405 naming the methods that are served at the path.
    pub fn method_not_allowed(allow: &'static str) -> Self {
        Self::MethodNotAllowed { allow }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::BadRequest { code, .. }
            | Self::Unauthorized { code, .. }
            | Self::Forbidden { code, .. }
            | Self::NotFound { code, .. }
            | Self::Conflict { code, .. }
            | Self::Gone { code, .. }
            | Self::Unprocessable { code, .. }
            | Self::RateLimited { code, .. } => code,
            Self::MethodNotAllowed { .. } => "method_not_allowed",
            Self::PayloadTooLarge => "payload_too_large",
            Self::Internal(_) => "internal",
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::BadParameter { message } => Self::bad_request("bad_parameter", message),
            ServiceError::Unauthenticated { code, message } => Self::unauthorized(code, message),
            ServiceError::Denied { denied, .. } => Self::Forbidden {
                code: match denied {
                    Denied::Role(_) => "forbidden",
                    Denied::OutOfScope => "out_of_scope",
                },
                message: e.to_string(),
            },
            ServiceError::NotFound { code, message } => Self::not_found(code, message),
            ServiceError::Conflict { message } => Self::Conflict {
                code: "already_exists",
                message,
            },
            ServiceError::Gone { code, message } => Self::Gone { code, message },
            ServiceError::Invalid {
                code,
                message,
                details,
                ..
            } => Self::Unprocessable {
                code,
                message,
                details,
            },
            ServiceError::RateLimited {
                code,
                message,
                retry_after,
            } => Self::RateLimited {
                code,
                message,
                retry_after,
            },
            ServiceError::Internal(e) => Self::Internal(e),
        }
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        ServiceError::from(e).into()
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            Self::Forbidden { .. } => StatusCode::FORBIDDEN,
            Self::NotFound { .. } => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::Gone { .. } => StatusCode::GONE,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(e) = self {
            tracing::error!(error = ?e, "request failed");
        }
        let details = match self {
            Self::Unprocessable { details, .. } => details.clone(),
            _ => None,
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code().to_owned(),
                message: self.to_string(),
                details,
            },
        };
        let mut res = HttpResponse::build(self.status_code());
        match self {
            Self::Unauthorized { .. } => {
                res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            Self::MethodNotAllowed { allow } => {
                res.insert_header((header::ALLOW, *allow));
            }
            Self::RateLimited { retry_after, .. } => {
                res.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            _ => {}
        }
        res.json(body)
    }
}
