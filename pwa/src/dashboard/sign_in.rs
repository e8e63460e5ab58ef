//! The sign-in screen (`contract.md` §7: textbox «Логин», password «Пароль», button «Войти»),
//! with a plain Russian reason when it fails, and a note when the previous session ended by
//! itself. The address is not touched: after signing in, the view it names opens.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::session::{use_session, Ending, Session};
use crate::api::{self, ApiError};
use crate::browser;
use crate::i18n::{fill, use_i18n, DashboardStrings};

/// Why a sign-in failed, in words.
fn refusal(error: &ApiError, t: &DashboardStrings) -> String {
    match error {
        ApiError::Http { status: 401, .. } => t.bad_credentials.to_owned(),
        ApiError::Http { status: 429, .. } => t.rate_limited.to_owned(),
        ApiError::Http { status, .. } => fill(t.sign_in_failed, &[("status", &status.to_string())]),
        ApiError::Network(_) => t.no_connection.to_owned(),
        ApiError::Decode(_) => fill(t.sign_in_failed, &[("status", "200")]),
    }
}

/// The sign-in form.
#[component]
pub fn SignIn() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let t = move || i18n.t().dashboard;
    browser::set_document_title(t().title);
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let login_field = NodeRef::<leptos::html::Input>::new();
    // After «Выйти» or an expiry the person came here from the workspace: the keyboard focus
    // goes to where they will type, not back to the top of the page. On a fresh visit the page
    // starts at the top, as pages do.
    if session.ended().is_some() {
        Effect::new(move || {
            if let Some(field) = login_field.get() {
                let _ = field.focus();
            }
        });
    }

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let name = login.get_untracked().trim().to_owned();
        let secret = password.get_untracked();
        spawn_local(async move {
            let outcome = api::login(&name, &secret).await;
            let t = i18n.t().dashboard;
            let result = match outcome {
                Ok(reply) => Session::from_reply(&name, reply)
                    .ok_or_else(|| fill(t.sign_in_failed, &[("status", "role")])),
                Err(e) => Err(refusal(&e, t)),
            };
            let _ = busy.try_set(false);
            match result {
                Ok(s) => session.start(s),
                Err(message) => {
                    let _ = error.try_set(Some(message));
                }
            }
        });
    };

    view! {
        <section class="sign-in" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">{move || t().title}</h1>
            <Show when=move || session.ended() == Some(Ending::Expired)>
                <p class="notice" role="status">{move || t().session_expired}</p>
            </Show>
            <p>{move || t().sign_in_intro}</p>
            <form class="sign-in-form" on:submit=submit>
                <label for="login">{move || t().login}</label>
                <input
                    id="login"
                    class="field"
                    name="username"
                    type="text"
                    autocomplete="username"
                    autocapitalize="none"
                    spellcheck="false"
                    required
                    node_ref=login_field
                    aria-describedby="sign-in-error"
                    prop:value=move || login.get()
                    on:input=move |ev| login.set(event_target_value(&ev))
                />
                <label for="password">{move || t().password}</label>
                <input
                    id="password"
                    class="field"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                    aria-describedby="sign-in-error"
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev))
                />
                <p id="sign-in-error" class="error" role="alert">
                    {move || error.get()}
                </p>
                <button type="submit" class="button primary" aria-busy=move || busy.get().to_string()>
                    {move || t().sign_in}
                </button>
            </form>
        </section>
    }
}
