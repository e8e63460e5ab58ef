//! `/dashboard`: the route exists so links and bookmarks keep working; it says plainly that the
//! feature is not there yet rather than pretending to work.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Strings};

/// A page that only says its feature is coming.
#[component]
fn ComingSoon(
    title: fn(&Strings) -> &'static str,
    text: fn(&Strings) -> &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    crate::browser::set_document_title(title(i18n.t()));
    view! {
        <h1>{move || title(i18n.t())}</h1>
        <p>{move || text(i18n.t())}</p>
    }
}

/// `/dashboard`.
#[component]
pub fn DashboardPage() -> impl IntoView {
    view! { <ComingSoon title=|t| t.dashboard_title text=|t| t.dashboard_soon /> }
}
