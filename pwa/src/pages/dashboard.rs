//! `/dashboard` (dashboard bundle only): the officials' dashboard. Its view (org, period,
//! questionnaire, search) is read from the address inside the flow, which also writes it.

use leptos::prelude::*;

use crate::dashboard::Dashboard;

/// The page.
#[component]
pub fn DashboardPage() -> impl IntoView {
    view! { <Dashboard /> }
}
