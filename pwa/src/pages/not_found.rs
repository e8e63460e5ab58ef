//! Any address the app does not know (also `/`): says how to reach a survey.

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// The fallback page.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::browser::set_document_title(i18n.t().not_found_title);
    view! {
        <h1>{move || i18n.t().not_found_title}</h1>
        <p>{move || i18n.t().not_found_text}</p>
    }
}
