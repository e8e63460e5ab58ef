//! Serves the PWA's files with precompressed `.br`/`.gz` siblings, cache headers, and the SPA
//! fallback that lets a never-visited `/q/<point>` open.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::ApiError;
use crate::state::AppState;

/// Files whose names carry a content hash (`name-0123456789abcdef.ext`) never change.
fn is_hashed(name: &str) -> bool {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    stem.rsplit_once('-')
        .is_some_and(|(_, h)| h.len() >= 16 && h.chars().all(|c| c.is_ascii_hexdigit()))
}

/// GET handler for everything outside `/api/` and `/healthz`.
pub async fn serve(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let path = req.path().trim_start_matches('/');
    if req.path().starts_with("/api/") {
        return Err(ApiError::not_found(
            "not_found",
            format!("no API route {}", req.path()),
        ));
    }
    if req.method() != actix_web::http::Method::GET && req.method() != actix_web::http::Method::HEAD
    {
        return Err(ApiError::method_not_allowed("GET, HEAD"));
    }
    let last = path.rsplit('/').next().unwrap_or("");
    // Routes of the app (`/`, `/q/abc`, `/kiosk`) get the shell; a missing asset is a 404, never
    // the shell, or the browser would try to run HTML as wasm.
    let file = if last.contains('.') {
        path
    } else {
        "index.html"
    };
    let accepts = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut found = None;
    for (suffix, encoding) in [(".br", "br"), (".gz", "gzip")] {
        if accepts.contains(encoding) {
            if let Some(data) = state.pwa.get(&format!("{file}{suffix}")) {
                found = Some((data, Some(encoding)));
                break;
            }
        }
    }
    let Some((data, encoding)) = found.or_else(|| state.pwa.get(file).map(|d| (d, None))) else {
        return Ok(if file == "index.html" {
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body("The PWA is not built: run scripts/build-pwa.sh")
        } else {
            HttpResponse::NotFound()
                .content_type("text/plain; charset=utf-8")
                .body("not found")
        });
    };
    let mime = mime_guess::from_path(file).first_or_octet_stream();
    let cache = if is_hashed(file.rsplit('/').next().unwrap_or(file)) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut res = HttpResponse::Ok();
    res.insert_header((header::CONTENT_TYPE, mime.as_ref()))
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static(cache)))
        .insert_header((header::VARY, HeaderValue::from_static("accept-encoding")));
    if let Some(encoding) = encoding {
        res.insert_header((header::CONTENT_ENCODING, encoding));
    }
    Ok(res.body(data.into_owned()))
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn hashed_names_are_recognised() {
        assert!(is_hashed("otklik_pwa-3f2a9c0d1e2b4a5c.wasm"));
        assert!(is_hashed("boot-0123456789abcdef.js"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("sw.js"));
        assert!(!is_hashed("icon-192.png"));
    }
}
