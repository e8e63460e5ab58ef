//! The users part of «Управление»: the accounts the caller may manage (`GET /users`) in a
//! table, a new one added with the selected org as its scope (the tree is the one place an
//! org is chosen, at any size of region), and an account disabled after a confirmation, which
//! ends its sessions at once.

use leptos::prelude::*;
use leptos::task::spawn_local;
use otklik_shared::api::User;
use otklik_shared::org::Role;

use super::fields::{Choice, Feedback, ManageForm, Said, TextField};
use super::rules::{grantable_roles, USER_FIELDS};
use super::{explain, Subject};
use crate::api::ApiError;
use crate::browser;
use crate::dashboard::client::{self, manage as api};
use crate::dashboard::session::use_session;
use crate::dashboard::workspace::SectionContext;
use crate::i18n::{fill, DashboardStrings};

/// A role's name in the interface language.
fn role_name(role: Role, t: &DashboardStrings) -> &'static str {
    t.roles[Role::ALL.iter().position(|&r| r == role).unwrap_or(0)]
}

/// The users part.
#[component]
pub fn Users(ctx: SectionContext, t: &'static DashboardStrings) -> impl IntoView {
    let session = use_session();
    let m = t.manage;
    let said = RwSignal::new(Said::Nothing);
    // Bumped after a change: the list is read again.
    let version = RwSignal::new(0_u32);
    let token = ctx.session.token.clone();
    let list = LocalResource::new(move || {
        version.track();
        let token = token.clone();
        async move { api::users(&token).await }
    });
    // After a write: the list is read again and `done` (`{login}` filled) said in `said`, or
    // the refusal listed there.
    let finish =
        move |result: Result<User, ApiError>, said: RwSignal<Said>, done: &str| match result {
            Ok(user) => {
                said.set(Said::Done(fill(done, &[("login", &user.login)])));
                version.update(|v| *v += 1);
            }
            Err(e) => {
                client::expire_if_refused(&e, session);
                let subject = Subject {
                    fields: &USER_FIELDS,
                    problems: &m.user_problems,
                    exists: m.user_exists,
                };
                said.set(Said::Refused(None, explain(&e, t, &subject)));
            }
        };

    // The account waiting for its confirmation to be disabled.
    let confirming = RwSignal::new(None::<String>);
    let token = ctx.session.token.clone();
    let disable = move |login: String| {
        let token = token.clone();
        confirming.set(None);
        said.set(Said::Sending);
        spawn_local(async move {
            let result = api::disable_user(&token, &login).await;
            finish(result, said, m.user_disabled);
        });
    };
    let me = ctx.session.login.clone();
    let tree = ctx.tree.clone();
    let table = move || match list.get() {
        None => view! { <p class="notice">{t.loading}</p> }.into_any(),
        Some(Err(e)) => {
            client::expire_if_refused(&e, session);
            view! { <p class="error" role="alert">{client::explain(&e, t)}</p> }.into_any()
        }
        Some(Ok(users)) => {
            let rows = users
                .into_iter()
                .map(|user| {
                    let scope = user.scope.as_deref().map_or(m.everywhere.to_owned(), |code| {
                        tree.get(code).map_or(code.to_owned(), |o| o.name.clone())
                    });
                    let state = if user.active { m.active } else { m.disabled };
                    let offer = user.active && user.login != me;
                    let login = user.login.clone();
                    let action = offer.then(|| {
                        let named = fill(m.disable_named, &[("login", &login)]);
                        let ask = move |_| {
                            confirming.set(Some(login.clone()));
                            browser::set_timeout(0, || browser::focus(&["#confirm-disable"]));
                        };
                        view! {
                            <button type="button" class="button secondary" aria-label=named on:click=ask>
                                {m.disable}
                            </button>
                        }
                    });
                    view! {
                        <tr>
                            <th scope="row">{user.login}</th>
                            <td>{role_name(user.role, t)}</td>
                            <td>{scope}</td>
                            <td>{state}</td>
                            <td>{action}</td>
                        </tr>
                    }
                })
                .collect_view();
            let columns = m.user_columns.map(|c| view! { <th scope="col">{c}</th> });
            view! {
                <div class="users-scroll">
                    <table class="users">
                        <caption>{m.users}</caption>
                        <thead>
                            <tr>{columns}<th scope="col">{m.actions}</th></tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }
    };
    let confirm = move || {
        confirming.get().map(|login| {
            let question = fill(m.confirm_disable, &[("login", &login)]);
            let disable = disable.clone();
            view! {
                <div class="confirm" role="group" aria-labelledby="confirm-question">
                    <p id="confirm-question">{question}</p>
                    <button id="confirm-disable" type="button" class="button danger" on:click=move |_| disable(login.clone())>
                        {m.confirm}
                    </button>
                    <button type="button" class="button secondary" on:click=move |_| confirming.set(None)>
                        {m.cancel}
                    </button>
                </div>
            }
        })
    };
    view! {
        <section class="manage-part" aria-labelledby="manage-users">
            <h2 id="manage-users">{m.users}</h2>
            {table}
            {confirm}
            <Feedback said=said sending=m.sending />
            <AddUser ctx=ctx t=t finish=finish />
        </section>
    }
    .into_any()
}

/// Adds an account scoped to the selected org (an admin account has no scope).
#[component]
fn AddUser(
    ctx: SectionContext,
    t: &'static DashboardStrings,
    finish: impl Fn(Result<User, ApiError>, RwSignal<Said>, &'static str) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let m = t.manage;
    let roles = grantable_roles(ctx.session.role);
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new(roles.first().map_or("", |r| r.as_str()).to_owned());
    let said = RwSignal::new(Said::Nothing);
    let role_options = roles
        .iter()
        .map(|&r| (r.as_str().to_owned(), role_name(r, t).to_owned()))
        .collect();
    let admin = move || role.with(|r| r == Role::Admin.as_str());
    let scope = {
        let tree = ctx.tree.clone();
        move || {
            if admin() {
                return m.admin_scope.to_owned();
            }
            let name = ctx
                .selected
                .get()
                .and_then(|code| tree.get(&code).map(|o| o.name.clone()))
                .unwrap_or_default();
            fill(m.user_scope, &[("org", &name)])
        }
    };
    let selected = ctx.selected;
    let token = ctx.session.token.clone();
    let on_submit = Callback::new(move |()| {
        let new = api::NewUser {
            login: login.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            role: role.get_untracked(),
            scope: if admin() {
                None
            } else {
                selected.get_untracked()
            },
        };
        let token = token.clone();
        said.set(Said::Sending);
        spawn_local(async move {
            let result = api::create_user(&token, &new).await;
            if result.is_ok() {
                login.set(String::new());
                password.set(String::new());
            }
            finish(result, said, m.user_added);
        });
    });
    let fields = vec![
        view! { <TextField id="user-login" label=m.user_fields[0] value=login required=true /> }.into_any(),
        view! { <TextField id="user-password" label=m.user_fields[1] value=password kind="password" required=true /> }.into_any(),
        view! { <Choice id="user-role" label=m.user_fields[2] value=role options=role_options /> }.into_any(),
        view! { <p>{scope}</p> }.into_any(),
    ];
    view! {
        <ManageForm id="add-user-title" title=m.add_user_title.to_owned() fields=fields button=m.add_user said=said sending=m.sending on_submit=on_submit />
    }
}
