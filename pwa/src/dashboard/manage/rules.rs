//! The pure parts of «Управление»: what a role is offered, which kinds of org may be added
//! under the selected one, and the API's refusals read into problems (an import file's line,
//! the field) that the page puts in the person's language.

use otklik_shared::access::{allows, Action};
use otklik_shared::api::ErrorDetail;
use otklik_shared::org::{OrgKind, Role};

/// The org fields as the API names them in errors, in the order the strings' `org_fields`
/// and `org_problems` follow.
pub use otklik_shared::api::ORG_FIELDS;

/// The user fields as the API names them in errors, in the order of the strings'
/// `user_problems` (`active` is refused when a person disables their own account).
pub const USER_FIELDS: [&str; 5] = ["login", "password", "role", "scope", "active"];

/// The kinds an org may have under `parent`, as the server's nesting rule allows them.
pub fn kinds_under(parent: OrgKind) -> Vec<OrgKind> {
    OrgKind::ALL
        .iter()
        .copied()
        .filter(|k| k.may_sit_under(Some(parent)))
        .collect()
}

/// The roles `role` may give a new account, the least powerful last but admin, which is
/// offered only to whoever may grant it and comes last so it is never the default.
pub fn grantable_roles(role: Role) -> Vec<Role> {
    if !allows(role, Action::ManageUsers) {
        return Vec::new();
    }
    let mut roles = vec![Role::Official, Role::Observer, Role::Operator];
    if allows(role, Action::GrantAdmin) {
        roles.push(Role::Admin);
    }
    roles
}

/// One thing the API said is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The import file's line, when the error is about one.
    pub line: Option<u64>,
    /// The field's index in the list of known fields, when it names one of them.
    pub field: Option<usize>,
    /// The server's own words without their «line N: » prefix, for what names no known field
    /// (a header that is not the expected one, a broken quote).
    pub detail: String,
}

/// The problems a 422 envelope lists: every `details.errors` entry (an import names each
/// broken line), else the one field of `details.field`, else the message alone.
pub fn problems(error: &ErrorDetail, fields: &[&str]) -> Vec<Problem> {
    let field_of = |value: Option<&serde_json::Value>| {
        value
            .and_then(serde_json::Value::as_str)
            .and_then(|f| fields.iter().position(|&known| known == f))
    };
    let details = error.details.as_ref();
    let listed = details
        .and_then(|d| d.get("errors"))
        .and_then(serde_json::Value::as_array);
    match listed {
        Some(errors) if !errors.is_empty() => errors
            .iter()
            .map(|e| Problem {
                line: e.get("line").and_then(serde_json::Value::as_u64),
                field: field_of(e.get("field")),
                detail: without_line(e.get("message").and_then(|m| m.as_str()).unwrap_or("")),
            })
            .collect(),
        _ => vec![Problem {
            line: None,
            field: field_of(details.and_then(|d| d.get("field"))),
            detail: without_line(&error.message),
        }],
    }
}

/// `message` without the «line N: » the server puts before an import line's error.
fn without_line(message: &str) -> String {
    message
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
        .filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
        .map_or(message, |(_, rest)| rest)
        .to_owned()
}

/// A form's text: trimmed, and `None` when nothing is left (the API's «not set»).
pub fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn envelope(message: &str, details: serde_json::Value) -> ErrorDetail {
        ErrorDetail {
            code: "invalid_org".into(),
            message: message.into(),
            details: Some(details),
        }
    }

    #[test]
    fn kinds_follow_the_nesting_rule() {
        assert_eq!(
            kinds_under(OrgKind::Region),
            [
                OrgKind::Municipality,
                OrgKind::Authority,
                OrgKind::Institution
            ]
        );
        assert_eq!(
            kinds_under(OrgKind::Municipality),
            [OrgKind::Authority, OrgKind::Institution]
        );
        assert_eq!(kinds_under(OrgKind::Institution), [OrgKind::Department]);
        assert!(kinds_under(OrgKind::Department).is_empty());
    }

    #[test]
    fn admin_is_offered_only_to_those_who_may_grant_it_and_never_first() {
        assert_eq!(grantable_roles(Role::Admin).last(), Some(&Role::Admin));
        assert_eq!(grantable_roles(Role::Admin)[0], Role::Official);
        assert_eq!(
            grantable_roles(Role::Official),
            [Role::Official, Role::Observer, Role::Operator]
        );
        assert!(grantable_roles(Role::Observer).is_empty());
        assert!(grantable_roles(Role::Operator).is_empty());
    }

    #[test]
    fn an_import_refusal_lists_every_line_with_its_field() {
        let error = envelope(
            "line 3: kind must be one of … (and 1 more)",
            json!({"field": "kind", "errors": [
                {"index": 1, "line": 3, "code": "x", "field": "kind", "message": "line 3: kind must be one of …"},
                {"index": 2, "line": 4, "code": "y", "field": "tz", "message": "line 4: unknown time zone"},
            ]}),
        );
        assert_eq!(
            problems(&error, &ORG_FIELDS),
            [
                Problem {
                    line: Some(3),
                    field: Some(2),
                    detail: "kind must be one of …".into()
                },
                Problem {
                    line: Some(4),
                    field: Some(5),
                    detail: "unknown time zone".into()
                },
            ]
        );
    }

    #[test]
    fn an_unreadable_file_keeps_the_servers_words_and_a_form_error_its_field() {
        let header = envelope(
            "line 1: the header must be code,name,kind,parent,sector,tz",
            json!({"errors": [{"line": 1, "field": null, "message": "line 1: the header must be code,name,kind,parent,sector,tz"}]}),
        );
        assert_eq!(
            problems(&header, &ORG_FIELDS),
            [Problem {
                line: Some(1),
                field: None,
                detail: "the header must be code,name,kind,parent,sector,tz".into()
            }]
        );
        let form = ErrorDetail {
            code: "invalid_user".into(),
            message: "the password must have at least 8 characters".into(),
            details: Some(json!({"field": "password"})),
        };
        assert_eq!(
            problems(&form, &USER_FIELDS),
            [Problem {
                line: None,
                field: Some(1),
                detail: "the password must have at least 8 characters".into()
            }]
        );
    }

    #[test]
    fn only_a_numbered_line_prefix_is_dropped() {
        assert_eq!(without_line("line 12: bad"), "bad");
        assert_eq!(without_line("line of text: kept"), "line of text: kept");
        assert_eq!(without_line("plain"), "plain");
    }

    #[test]
    fn blank_form_text_is_not_set() {
        assert_eq!(optional("  "), None);
        assert_eq!(optional(" Europe/Moscow "), Some("Europe/Moscow".into()));
    }
}
