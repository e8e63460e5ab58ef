//! `/q/<point>` in the officials' bundles, which leave the survey out: reached only by a link
//! followed inside them (a point's address on «Точки опроса»), it loads the page afresh, so the
//! boot script starts the citizen bundle that serves it.

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// The survey's route where the survey is not built in.
#[component]
pub fn CitizenElsewherePage() -> impl IntoView {
    let i18n = use_i18n();
    crate::browser::reload();
    view! { <p class="notice">{move || i18n.t().dashboard.loading}</p> }
}
