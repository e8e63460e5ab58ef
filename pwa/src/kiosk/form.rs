//! The markup the kiosk's forms share (enrolment, PIN gate, operator panel).

use leptos::prelude::*;

/// A kiosk form: submitting it (button or Enter) runs `on_submit`, never a page load.
#[component]
pub fn KioskForm(on_submit: Callback<()>, children: Children) -> impl IntoView {
    view! {
        <form
            class="kiosk-form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                on_submit.run(());
            }
        >
            {children()}
        </form>
    }
}

/// A labelled field of a kiosk form: the label wraps its input, which names it.
#[component]
pub fn Field(label: &'static str, children: Children) -> impl IntoView {
    view! {
        <label class="kiosk-field">
            <span class="comment-label">{label}</span>
            {children()}
        </label>
    }
}
