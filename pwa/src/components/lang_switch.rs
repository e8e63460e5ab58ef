//! The language switch: one button naming the other language in that language.

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// Switches between the interface languages.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let other = move || i18n.lang().other();
    view! {
        <button
            type="button"
            class="lang-switch"
            lang=move || other().tag()
            title=move || i18n.t().switch_hint
            on:click=move |_| i18n.set(other())
        >
            {move || other().strings().own_name}
        </button>
    }
}
