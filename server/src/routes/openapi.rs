//! `GET /api/v1/openapi.json`: the API described as OpenAPI 3.1 (`openapi.json` beside this
//! file, checked by a test against the routes actually served). The document is also the one
//! list of routes and their methods that a 405 `Allow` header is built from.

use std::sync::LazyLock;

use actix_web::{web, HttpResponse};

/// The OpenAPI document.
pub const OPENAPI: &str = include_str!("openapi.json");

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/openapi.json", web::get().to(get_openapi));
}

async fn get_openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(OPENAPI)
}

/// Each documented path as its segments (`{…}` stands for any one segment), with the value of
/// its `Allow` header.
static ROUTES: LazyLock<Vec<(Vec<String>, String)>> = LazyLock::new(|| {
    let doc: serde_json::Value =
        serde_json::from_str(OPENAPI).expect("openapi.json is JSON (a unit test parses it)");
    let Some(paths) = doc["paths"].as_object() else {
        return Vec::new();
    };
    paths
        .iter()
        .map(|(path, item)| {
            let segments = path.split('/').map(str::to_owned).collect();
            let methods: Vec<String> = item
                .as_object()
                .into_iter()
                .flat_map(|ops| ops.keys())
                .filter(|m| METHODS.contains(&m.as_str()))
                .map(|m| m.to_ascii_uppercase())
                .collect();
            (segments, methods.join(", "))
        })
        .collect()
});

/// The operation keys of an OpenAPI path item.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The `Allow` value for a request path the API serves with other methods, `None` for a path
/// it does not serve at all.
pub fn allowed_methods(path: &str) -> Option<&'static str> {
    let segments: Vec<&str> = path.split('/').collect();
    ROUTES
        .iter()
        .find(|(template, _)| {
            template.len() == segments.len()
                && template.iter().zip(&segments).all(|(t, s)| {
                    t == s || (t.starts_with('{') && t.ends_with('}') && !s.is_empty())
                })
        })
        .map(|(_, allow)| allow.as_str())
}

#[cfg(test)]
mod tests {
    use super::allowed_methods;

    #[test]
    fn documented_paths_name_their_methods_and_others_none() {
        assert_eq!(allowed_methods("/api/v1/responses"), Some("POST"));
        assert_eq!(allowed_methods("/api/v1/devices/abc"), Some("DELETE"));
        assert_eq!(
            allowed_methods("/api/v1/questionnaires/express/1"),
            Some("GET")
        );
        assert_eq!(
            allowed_methods("/api/v1/devices/"),
            None,
            "an empty segment"
        );
        assert_eq!(allowed_methods("/api/v1/questionnaires/express"), None);
        assert_eq!(allowed_methods("/api/v1/nothing"), None);
    }
}
