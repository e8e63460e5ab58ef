//! The typed client for the public API (`contract.md` §3), over the browser's `fetch`.
//!
//! Plain `web-sys` instead of an HTTP crate keeps the bundle small. Every request has a timeout:
//! on weak mobile data a request can hang for minutes, and a respondent must never wait on one.
//! Interpreting an upload's reply is [`crate::sync::policy`]'s job; this module only reports what
//! came back.

use otklik_shared::api::{ErrorBody, PointInfo, API_BASE};
#[cfg(any(feature = "kiosk", feature = "officials"))]
use otklik_shared::api::{LoginReply, LoginRequest};
use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// How long a questionnaire load may take before we fall back to the cached copy or an error.
const LOAD_TIMEOUT_MS: u32 = 15_000;
/// How long an upload may take; a late reply is harmless (the retry gets `duplicate`).
const UPLOAD_TIMEOUT_MS: u32 = 30_000;
/// How long an official's read may take: a region's `/stats` over millions of responses is
/// computed, not cached, and an office connection is not a phone's.
#[cfg(feature = "officials")]
const READ_TIMEOUT_MS: u32 = 60_000;

/// Why a request did not produce the expected data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// No HTTP answer at all: offline, DNS, reset, timeout.
    #[error("no answer: {0}")]
    Network(String),
    /// An HTTP error status, with the error envelope when the server sent one.
    #[error("HTTP {status}")]
    Http {
        /// The status code.
        status: u16,
        /// The decoded `{"error": …}` body, if the body was one.
        body: Option<ErrorBody>,
    },
    /// A success status whose body is not the expected JSON: a captive portal page, a proxy's
    /// answer, a truncated body. Never mistaken for data.
    #[error("unexpected reply: {0}")]
    Decode(String),
}

/// One HTTP exchange as it came back, before interpretation.
#[derive(Debug, Clone, PartialEq)]
pub struct RawReply {
    /// The status code.
    pub status: u16,
    /// `Retry-After` in seconds, when the server sent the seconds form.
    pub retry_after: Option<u32>,
    /// The body, only when the server labelled it JSON (anything else is not a receipt).
    pub json: Option<String>,
}

/// `GET /api/v1/points/{code}`: the point, its institution and its questionnaire.
///
/// # Errors
/// [`ApiError::Http`] with 404 for an unknown point, [`ApiError::Network`] when offline.
pub async fn get_point(code: &str) -> Result<PointInfo, ApiError> {
    let code = String::from(js_sys::encode_uri_component(code));
    let url = format!("{API_BASE}/points/{code}");
    decode(exchange("GET", &url, None, None, LOAD_TIMEOUT_MS).await?)
}

/// `POST /api/v1/devices/enrol`: turns a one-time code into a device token.
///
/// # Errors
/// [`ApiError::Http`] with 404 `code_unknown`, 410 `code_used`/`code_expired`.
#[cfg(feature = "kiosk")]
pub async fn enrol(code: &str, name: &str) -> Result<otklik_shared::api::EnrolReply, ApiError> {
    let body = serde_json::json!({ "code": code, "name": name }).to_string();
    post_json("/devices/enrol", body).await
}

/// `POST /api/v1/auth/login`: a staff member's token.
///
/// # Errors
/// [`ApiError::Http`] with 401 for a wrong login or password.
#[cfg(any(feature = "kiosk", feature = "officials"))]
pub async fn login(login: &str, password: &str) -> Result<LoginReply, ApiError> {
    let body = serde_json::to_string(&LoginRequest {
        login: login.to_owned(),
        password: password.to_owned(),
    })
    .map_err(|e| ApiError::Decode(e.to_string()))?;
    post_json("/auth/login", body).await
}

/// `POST` of a JSON `body` to an API path without a token (enrolment, sign-in), under the
/// load timeout.
#[cfg(any(feature = "kiosk", feature = "officials"))]
async fn post_json<T: serde::de::DeserializeOwned>(
    path: &str,
    body: String,
) -> Result<T, ApiError> {
    let url = format!("{API_BASE}{path}");
    let body = Some(Body::Json(body));
    decode(exchange("POST", &url, body, None, LOAD_TIMEOUT_MS).await?)
}

/// `GET` of an authenticated API path (`/orgs`, `/stats?…`; below [`API_BASE`], query
/// included and already encoded) with `token`.
///
/// # Errors
/// [`ApiError::Http`] with 401 for a refused token, 403 outside the caller's scope.
#[cfg(feature = "officials")]
pub async fn get_with_token<T: serde::de::DeserializeOwned>(
    path: &str,
    token: &str,
) -> Result<T, ApiError> {
    let url = format!("{API_BASE}{path}");
    decode(exchange("GET", &url, None, Some(token), READ_TIMEOUT_MS).await?)
}

/// A request's body.
pub enum Body {
    /// JSON text.
    Json(String),
    /// A CSV file a person picked, sent as its bytes (so an import saved in Windows-1251
    /// reaches the server undecoded).
    #[cfg(feature = "officials")]
    Csv(web_sys::File),
}

/// The data of a success reply, or the error it stands for.
fn decode<T: serde::de::DeserializeOwned>(reply: RawReply) -> Result<T, ApiError> {
    let json = reply.json.as_deref();
    if !(200..300).contains(&reply.status) {
        return Err(ApiError::Http {
            status: reply.status,
            body: json.and_then(|j| serde_json::from_str(j).ok()),
        });
    }
    let json = json.ok_or_else(|| ApiError::Decode("the reply is not JSON".into()))?;
    serde_json::from_str(json).map_err(|e| ApiError::Decode(e.to_string()))
}

/// The body of `POST /api/v1/responses`: typed responses sent at once, or stored ones (as the
/// outbox keeps them) sent from the queue.
#[derive(Serialize)]
struct Batch<'a, R> {
    responses: &'a [R],
    /// The label of keyed-in questionnaires (`entry_batch`); absent for everything else.
    #[serde(skip_serializing_if = "Option::is_none")]
    entry_batch: Option<&'a str>,
}

/// `POST /api/v1/responses` with `items`, with a bearer `token` when they need one (kiosk,
/// staff channels) and the batch label `entry_batch` of keyed-in questionnaires; returns what
/// came back, uninterpreted.
///
/// # Errors
/// [`ApiError::Network`] when no HTTP answer arrived.
pub async fn post_responses<R: Serialize>(
    items: &[R],
    token: Option<&str>,
    entry_batch: Option<&str>,
) -> Result<RawReply, ApiError> {
    let body = serde_json::to_string(&Batch {
        responses: items,
        entry_batch,
    })
    .map_err(|e| ApiError::Decode(e.to_string()))?;
    exchange(
        "POST",
        &format!("{API_BASE}/responses"),
        Some(Body::Json(body)),
        token,
        UPLOAD_TIMEOUT_MS,
    )
    .await
}

/// One request with a timeout; the body is read under the same timeout.
async fn exchange(
    method: &str,
    url: &str,
    body: Option<Body>,
    token: Option<&str>,
    timeout_ms: u32,
) -> Result<RawReply, ApiError> {
    let network = |e: wasm_bindgen::JsValue| ApiError::Network(format!("{e:?}"));
    let window = web_sys::window().ok_or_else(|| ApiError::Network("no window".into()))?;

    let headers = web_sys::Headers::new().map_err(network)?;
    headers.set("Accept", "application/json").map_err(network)?;
    if let Some(token) = token {
        headers
            .set("Authorization", &format!("Bearer {token}"))
            .map_err(network)?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        let (content_type, body): (&str, wasm_bindgen::JsValue) = match body {
            Body::Json(text) => ("application/json", text.into()),
            #[cfg(feature = "officials")]
            Body::Csv(file) => ("text/csv", file.into()),
        };
        headers.set("Content-Type", content_type).map_err(network)?;
        init.set_body(&body);
    }
    init.set_headers(&headers);
    // AbortController rather than AbortSignal.timeout(): the latter is missing on older phones.
    let controller = web_sys::AbortController::new().map_err(network)?;
    init.set_signal(Some(&controller.signal()));
    let timer = crate::browser::set_timeout(timeout_ms, move || controller.abort());

    let result = async {
        let response: web_sys::Response =
            JsFuture::from(window.fetch_with_str_and_init(url, &init))
                .await
                .map_err(network)?
                .dyn_into()
                .map_err(network)?;
        let header = |name: &str| response.headers().get(name).ok().flatten();
        let is_json = header("Content-Type").is_some_and(|t| t.contains("application/json"));
        let retry_after = header("Retry-After").and_then(|s| s.trim().parse().ok());
        let text = JsFuture::from(response.text().map_err(network)?)
            .await
            .map_err(network)?
            .as_string();
        Ok(RawReply {
            status: response.status(),
            retry_after,
            json: text.filter(|_| is_json),
        })
    }
    .await;
    if let Some(timer) = timer {
        crate::browser::clear_timeout(timer);
    }
    result
}

// The dashboard's own calls come last, so adding them moves no line of the code above: panic
// locations (file and line) are part of every bundle, and the citizen bundle must not change.

/// `method` (`POST`, `PUT`, `PATCH`, `DELETE`) of an authenticated API path with `token`
/// and, when given, a `body` (JSON text or a picked CSV file); the reply's JSON decoded.
///
/// # Errors
/// As [`get_with_token`]; 422 with the envelope naming the field for a refused body.
#[cfg(feature = "officials")]
pub async fn send_with_token<T: serde::de::DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<Body>,
    token: &str,
) -> Result<T, ApiError> {
    let url = format!("{API_BASE}{path}");
    decode(exchange(method, &url, body, Some(token), READ_TIMEOUT_MS).await?)
}

/// `GET` of an authenticated file (a poster, a subtree's ZIP) as a blob for the browser to
/// save: a plain link cannot carry the bearer token. Unlike [`exchange`] it has no timeout: a
/// region's ZIP is streamed as it is drawn and may take minutes, and the official waits for it.
///
/// # Errors
/// [`ApiError::Http`] with the envelope for a refusal, [`ApiError::Network`] when offline.
#[cfg(feature = "officials")]
pub async fn file_with_token(path: &str, token: &str) -> Result<web_sys::Blob, ApiError> {
    let network = |e: wasm_bindgen::JsValue| ApiError::Network(format!("{e:?}"));
    let window = web_sys::window().ok_or_else(|| ApiError::Network("no window".into()))?;
    let headers = web_sys::Headers::new().map_err(network)?;
    headers
        .set("Authorization", &format!("Bearer {token}"))
        .map_err(network)?;
    let init = web_sys::RequestInit::new();
    init.set_headers(&headers);
    let url = format!("{API_BASE}{path}");
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
        .await
        .map_err(network)?
        .dyn_into()
        .map_err(network)?;
    if !response.ok() {
        let text = JsFuture::from(response.text().map_err(network)?)
            .await
            .map_err(network)?
            .as_string();
        return Err(ApiError::Http {
            status: response.status(),
            body: text.and_then(|j| serde_json::from_str(&j).ok()),
        });
    }
    JsFuture::from(response.blob().map_err(network)?)
        .await
        .map_err(network)?
        .dyn_into()
        .map_err(network)
}
