//! The signed-in screen: who is signed in and «Выйти» on top, then the role's sections. A
//! reader of results gets the scope tree beside the overview; a role with no section yet (an
//! operator) gets a home screen saying so.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use otklik_shared::org::Role;

use super::address::ViewState;
use super::client;
use super::overview::Overview;
use super::sections::Section;
use super::session::{use_session, Session};
use super::structure::Structure;
use super::tree::OrgTree;
use crate::browser;
use crate::i18n::{fill, use_i18n};

/// The workspace of `session`.
#[component]
pub fn Workspace(session: Session) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_session();
    let t = move || i18n.t().dashboard;
    let login = session.login.clone();
    let role = session.role;
    let who = move || {
        let role_name = t().roles[Role::ALL.iter().position(|&r| r == role).unwrap_or(0)];
        fill(t().signed_in_as, &[("login", &login), ("role", role_name)])
    };
    let body = if Section::for_role(session.role).contains(&Section::Overview) {
        view! { <Results session=session /> }.into_any()
    } else {
        view! { <OperatorHome /> }.into_any()
    };
    view! {
        <div class="dashboard">
            <div class="dash-bar">
                <span class="dash-user">{who}</span>
                <button type="button" class="button secondary" on:click=move |_| context.sign_out()>
                    {move || t().sign_out}
                </button>
            </div>
            {body}
        </div>
    }
}

/// An operator's home: results are not theirs to see, and their sections are not built yet.
#[component]
fn OperatorHome() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().dashboard;
    browser::set_document_title(t().operator_title);
    view! {
        <section class="operator-home" aria-labelledby="operator-title">
            <h1 id="operator-title">{move || t().operator_title}</h1>
            <p>{move || t().operator_text}</p>
        </section>
    }
}

/// The scope tree and the overview of the org the address selects (its scope's top by
/// default).
#[component]
fn Results(session: Session) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_session();
    let t = move || i18n.t().dashboard;
    let query = use_query_map();
    let view_state = Memo::new(move |_| query.with(|q| ViewState::from_query(|k| q.get(k))));
    let token = session.token.clone();
    let orgs = LocalResource::new(move || {
        let token = token.clone();
        async move { client::orgs(&token).await }
    });
    Effect::new(move || {
        if let Some(Err(e)) = orgs.get() {
            client::expire_if_refused(&e, context);
        }
    });
    let session = StoredValue::new(session);
    move || match orgs.get() {
        None => view! { <p class="notice">{move || t().loading}</p> }.into_any(),
        // The effect above ends the session; the sign-in replaces this at once.
        Some(Err(e)) if client::token_refused(&e) => ().into_any(),
        Some(Err(e)) => {
            let message = client::explain(&e, t());
            view! { <p class="error" role="alert">{message}</p> }.into_any()
        }
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="notice">{move || t().empty_scope}</p> }.into_any()
        }
        Some(Ok(list)) => {
            let tree = Arc::new(OrgTree::new(list));
            let default = tree.default_org().map(|o| o.code.clone());
            let selected =
                Memo::new(move |_| view_state.with(|v| v.org.clone()).or(default.clone()));
            view! {
                <div class="dash-layout">
                    <Structure tree=tree.clone() view_state=view_state selected=selected />
                    <Overview
                        tree=tree
                        view_state=view_state
                        selected=selected
                        session=session.get_value()
                    />
                </div>
            }
            .into_any()
        }
    }
}
