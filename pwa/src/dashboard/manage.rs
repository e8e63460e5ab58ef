//! «Управление» (officials and admins): the selected org corrected, orgs added under it one
//! by one or from a CSV file ([`orgs`]), and the staff accounts of the scope listed, added and
//! disabled ([`users`]). Only what the role may do is offered (`otklik_shared::access`); the
//! server checks the same table and the scope again.
//!
//! What the API refuses comes back as an envelope with a stable code and field names;
//! [`rules`] reads them into problems and [`explain`] says them in the interface language,
//! line by line for an import.

mod fields;
mod orgs;
mod rules;
mod users;

use leptos::prelude::*;
use otklik_shared::access::{allows, Action};

use super::workspace::SectionContext;
use crate::api::ApiError;
use crate::browser;
use crate::i18n::{fill, use_i18n, DashboardStrings};

/// The management page of the selected org.
#[component]
pub fn Manage(ctx: SectionContext) -> impl IntoView {
    let i18n = use_i18n();
    let users = allows(ctx.session.role, Action::ManageUsers);
    // Drawn again when the language changes: the words below are plain text.
    move || {
        let t = i18n.t().dashboard;
        browser::set_document_title(t.manage.title);
        let users = users.then(|| view! { <users::Users ctx=ctx.clone() t=t /> });
        view! {
            <section class="manage" aria-labelledby="manage-title">
                <h1 id="manage-title">{t.manage.title}</h1>
                <orgs::Orgs ctx=ctx.clone() t=t />
                {users}
            </section>
        }
        .into_any()
    }
}

/// Which of a kind of record a refusal is about: its field names as the API sends them, what
/// each means when wrong, and the conflict's sentence.
struct Subject {
    fields: &'static [&'static str],
    problems: &'static [&'static str],
    exists: &'static str,
}

/// The sentences a failed write shows: each problem of a 422 (with its import line), or the
/// one sentence of another refusal.
fn explain(error: &ApiError, t: &DashboardStrings, subject: &Subject) -> Vec<String> {
    let m = t.manage;
    let one = match error {
        ApiError::Http {
            status: 422,
            body: Some(body),
        } => {
            return rules::problems(&body.error, subject.fields)
                .into_iter()
                .map(|p| {
                    let problem = p.field.and_then(|i| subject.problems.get(i)).map_or_else(
                        || fill(m.unreadable, &[("reason", &p.detail)]),
                        |&text| text.to_owned(),
                    );
                    match p.line {
                        Some(line) => fill(
                            m.line,
                            &[
                                ("line", &line.to_string()),
                                ("problem", &lower_first(&problem)),
                            ],
                        ),
                        None => problem,
                    }
                })
                .collect()
        }
        ApiError::Http { status: 409, .. } => subject.exists.to_owned(),
        ApiError::Http { status: 403, .. } => m.out_of_scope.to_owned(),
        ApiError::Http { status, .. } => fill(m.failed, &[("status", &status.to_string())]),
        ApiError::Network(_) => t.no_connection.to_owned(),
        ApiError::Decode(reason) => fill(t.load_failed, &[("reason", reason)]),
    };
    vec![one]
}

/// `text` with its first letter in lower case: a problem said after «Строка N:» rather than
/// on its own. (Lower case, not upper: the bundle already has that table, for the search.)
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use otklik_shared::api::{ErrorBody, ErrorDetail};
    use serde_json::json;

    use super::*;
    use crate::i18n::dashboard::RU;

    fn orgs() -> Subject {
        Subject {
            fields: &rules::ORG_FIELDS,
            problems: &RU.manage.org_problems,
            exists: RU.manage.org_exists,
        }
    }

    fn refused(status: u16, details: serde_json::Value, message: &str) -> ApiError {
        ApiError::Http {
            status,
            body: Some(ErrorBody {
                error: ErrorDetail {
                    code: "invalid_org".into(),
                    message: message.into(),
                    details: Some(details),
                },
            }),
        }
    }

    #[test]
    fn import_errors_are_said_line_by_line_in_russian() {
        let error = refused(
            422,
            json!({"errors": [
                {"line": 3, "field": "kind", "message": "line 3: kind must be one of …"},
                {"line": 5, "field": null, "message": "line 5: found record with 4 fields"},
            ]}),
            "line 3: kind must be one of …",
        );
        let said = explain(&error, &RU, &orgs());
        assert_eq!(said.len(), 2);
        assert!(
            said[0].starts_with("Строка 3: такой вид организации"),
            "{said:?}"
        );
        assert_eq!(
            said[1],
            "Строка 5: файл не читается: found record with 4 fields"
        );
    }

    #[test]
    fn a_form_error_is_one_sentence_and_a_conflict_its_own() {
        let error = refused(
            422,
            json!({"field": "name"}),
            "name must be 1–500 characters",
        );
        assert_eq!(
            explain(&error, &RU, &orgs()),
            ["Название — от 1 до 500 знаков"]
        );
        let taken = ApiError::Http {
            status: 409,
            body: None,
        };
        assert_eq!(explain(&taken, &RU, &orgs()), [RU.manage.org_exists]);
    }
}
