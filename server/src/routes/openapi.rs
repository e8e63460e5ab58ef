//! `GET /api/v1/openapi.json`: the API described as OpenAPI 3.1, checked by a test against the
//! routes actually served. The document is also the one list of routes and their methods that a
//! 405 `Allow` header is built from.
//!
//! It is written in parts, one per area of the API (`openapi/<area>.json` beside this file, each
//! with its `paths` and the `components.schemas` they use), merged into `openapi/base.json` once
//! at first use: an area's routes and their document change together, in one small file.

use std::sync::LazyLock;

use actix_web::{web, HttpResponse};
use serde_json::Value;

/// The base document and every area's part, in the order their paths are listed.
const PARTS: [&str; 15] = [
    include_str!("openapi/base.json"),
    include_str!("openapi/public.json"),
    include_str!("openapi/responses.json"),
    include_str!("openapi/auth.json"),
    include_str!("openapi/stats.json"),
    include_str!("openapi/devices.json"),
    include_str!("openapi/entries.json"),
    include_str!("openapi/observations.json"),
    include_str!("openapi/admin.json"),
    include_str!("openapi/figures.json"),
    include_str!("openapi/posters.json"),
    include_str!("openapi/exports.json"),
    include_str!("openapi/nsi.json"),
    include_str!("openapi/loop.json"),
    include_str!("openapi/questionnaires.json"),
];

/// The merged document, as served.
pub static OPENAPI: LazyLock<String> = LazyLock::new(|| merged(&PARTS).to_string());

/// The parts merged: each part's `paths` and `components.schemas` added to the first's; a path
/// two areas serve (`/points/{code}`: public `GET`, officials' `PATCH`) gets both areas'
/// operations. A name (or a path's method) defined twice is a bug in the parts (a unit test
/// merges them all).
fn merged(parts: &[&str]) -> Value {
    let mut parts = parts
        .iter()
        .map(|p| serde_json::from_str::<Value>(p).expect("every OpenAPI part is JSON (unit test)"));
    let mut doc = parts.next().unwrap_or_default();
    for part in parts {
        for section in ["paths", "components/schemas"] {
            let pointer = format!("/{section}");
            let Some(items) = part.pointer(&pointer).and_then(Value::as_object) else {
                continue;
            };
            let Some(target) = doc.pointer_mut(&pointer).and_then(Value::as_object_mut) else {
                continue;
            };
            for (name, item) in items {
                match (section, target.get_mut(name), item.as_object()) {
                    ("paths", Some(Value::Object(existing)), Some(operations)) => {
                        for (method, operation) in operations {
                            let previous = existing.insert(method.clone(), operation.clone());
                            debug_assert!(previous.is_none(), "{method} {name} is defined twice");
                        }
                    }
                    _ => {
                        let previous = target.insert(name.clone(), item.clone());
                        debug_assert!(previous.is_none(), "{section} {name} is defined twice");
                    }
                }
            }
        }
    }
    doc
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/openapi.json", web::get().to(get_openapi));
}

async fn get_openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(OPENAPI.as_str())
}

/// Each documented path as its segments (`{…}` stands for any one segment), with the value of
/// its `Allow` header.
static ROUTES: LazyLock<Vec<(Vec<String>, String)>> = LazyLock::new(|| {
    let doc: Value = serde_json::from_str(&OPENAPI).expect("the merged document is JSON");
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
    use super::{allowed_methods, merged, PARTS};

    /// Where a schema is too loose to tell a client anything: an array without `items`, an
    /// object without `properties` or `additionalProperties`, an empty schema (allowed only for
    /// the error envelope's free-form `details`).
    fn loose_schemas(schema: &serde_json::Value, at: &str, found: &mut Vec<String>) {
        let Some(obj) = schema.as_object() else {
            return;
        };
        // A schema that only describes (a value whose type depends on another field) is fine.
        if obj.is_empty() && !at.ends_with("/details") {
            found.push(format!("{at}: empty schema"));
        }
        let types: Vec<&str> = match &obj.get("type") {
            Some(serde_json::Value::String(t)) => vec![t.as_str()],
            Some(serde_json::Value::Array(ts)) => ts.iter().filter_map(|t| t.as_str()).collect(),
            _ => Vec::new(),
        };
        if types.contains(&"array") && !obj.contains_key("items") {
            found.push(format!("{at}: array without items"));
        }
        if types.contains(&"object")
            && !obj.contains_key("properties")
            && !obj.contains_key("additionalProperties")
        {
            found.push(format!("{at}: object without properties"));
        }
        for (key, child) in obj {
            match key.as_str() {
                "properties" => {
                    for (name, prop) in child.as_object().into_iter().flatten() {
                        loose_schemas(prop, &format!("{at}/{name}"), found);
                    }
                }
                "items" | "additionalProperties" => loose_schemas(child, &format!("{at}[]"), found),
                "oneOf" | "anyOf" | "allOf" => {
                    for (i, alt) in child.as_array().into_iter().flatten().enumerate() {
                        loose_schemas(alt, &format!("{at}/{key}{i}"), found);
                    }
                }
                _ => {}
            }
        }
    }

    #[test]
    fn every_request_and_reply_has_a_schema_that_says_something() {
        let doc = merged(&PARTS);
        let mut found = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let at = format!("{} {path}", method.to_uppercase());
                for (ct, media) in op["requestBody"]["content"]
                    .as_object()
                    .into_iter()
                    .flatten()
                {
                    match media.get("schema") {
                        Some(schema) => {
                            loose_schemas(schema, &format!("{at} request {ct}"), &mut found)
                        }
                        None => found.push(format!("{at} request {ct}: no schema")),
                    }
                }
                for (status, reply) in op["responses"].as_object().unwrap() {
                    let content = reply["content"].as_object();
                    if status.starts_with('2') && status != "204" && content.is_none() {
                        found.push(format!("{at} {status}: no content"));
                    }
                    for (ct, media) in content.into_iter().flatten() {
                        let binary = !ct.contains("json");
                        match media.get("schema") {
                            Some(schema) if !binary => {
                                loose_schemas(schema, &format!("{at} {status} {ct}"), &mut found)
                            }
                            Some(_) => {}
                            None => found.push(format!("{at} {status} {ct}: no schema")),
                        }
                    }
                }
            }
        }
        for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
            loose_schemas(schema, &format!("schema {name}"), &mut found);
        }
        assert!(
            found.is_empty(),
            "loose OpenAPI schemas:\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn the_parts_merge_without_a_name_defined_twice() {
        let mut seen = std::collections::HashSet::new();
        for part in &PARTS[1..] {
            let part: serde_json::Value = serde_json::from_str(part).unwrap();
            for section in ["paths", "components/schemas"] {
                let items = part.pointer(&format!("/{section}"));
                for (name, item) in items.and_then(|v| v.as_object()).into_iter().flatten() {
                    // A path may be shared by areas; each of its methods only once.
                    let keys: Vec<String> = match section {
                        "paths" => item
                            .as_object()
                            .into_iter()
                            .flat_map(|ops| ops.keys().map(|m| format!("{m} {name}")))
                            .collect(),
                        _ => vec![name.clone()],
                    };
                    for key in keys {
                        assert!(seen.insert((section, key.clone())), "{section} {key} twice");
                    }
                }
            }
        }
        let doc = merged(&PARTS);
        assert!(doc["paths"]["/api/v1/responses"]["post"].is_object());
        assert!(doc["components"]["schemas"]["Error"].is_object());
        let shared = &doc["paths"]["/api/v1/points/{code}"];
        assert!(
            shared["get"].is_object() && shared["patch"].is_object(),
            "a path two areas serve keeps both operations"
        );
        // Every $ref points into a schema the document defines.
        let text = doc.to_string();
        for reference in text.split("\"#/components/schemas/").skip(1) {
            let name = reference.split('"').next().unwrap();
            assert!(
                doc.pointer(&format!("/components/schemas/{name}"))
                    .is_some_and(serde_json::Value::is_object),
                "$ref to missing {name}"
            );
        }
    }

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
        assert_eq!(
            allowed_methods("/api/v1/questionnaires/express"),
            Some("GET")
        );
        assert_eq!(allowed_methods("/api/v1/questionnaires"), Some("POST"));
        assert_eq!(
            allowed_methods("/api/v1/questionnaires/express/1/extra"),
            None
        );
        assert_eq!(allowed_methods("/api/v1/nothing"), None);
    }
}
