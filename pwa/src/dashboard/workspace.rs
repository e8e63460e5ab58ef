//! The signed-in screen: who is signed in and «Выйти» on top, the sections the role may open
//! ([`Section`], each a link named as the contract names it), then the open section; the
//! sections that hang off an org have the scope tree beside them.
//!
//! The sections are served by two bundles (results, and the operators' work: see
//! [`Section::in_this_bundle`]); a link to a section of the other one loads the page anew, so
//! the boot script starts the bundle that serves it.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};
use otklik_shared::api::Org;
use otklik_shared::org::Role;

use super::address::ViewState;
use super::client;
#[cfg(feature = "nsi")]
use super::comments::CommentsPage;
#[cfg(feature = "desk")]
use super::devices::Devices;
#[cfg(feature = "desk")]
use super::entry::EntryPage;
#[cfg(feature = "desk")]
use super::manage::Manage;
#[cfg(feature = "dashboard")]
use super::nok::NokPage;
#[cfg(feature = "nsi")]
use super::nsi::NsiPage;
#[cfg(feature = "nsi")]
use super::nsi_data::NsiDataPage;
#[cfg(feature = "dashboard")]
use super::observation::ObservationPage;
#[cfg(feature = "dashboard")]
use super::overview::Overview;
#[cfg(feature = "desk")]
use super::points::Points;
#[cfg(feature = "dashboard")]
use super::ranking::Ranking;
use super::sections::Section;
use super::session::{use_session, Session};
use super::structure::Structure;
use super::tree::OrgTree;
use crate::api::ApiError;
use crate::browser;
use crate::i18n::{fill, use_i18n};

/// What every section's content is given: the scope's tree, the view in the address, the org
/// it selects (the scope's top by default) and the session.
#[derive(Clone)]
pub struct SectionContext {
    /// The caller's scope as a tree.
    pub tree: Arc<OrgTree>,
    /// The view in the address.
    pub view_state: Memo<ViewState>,
    /// The selected org's code.
    pub selected: Memo<Option<String>>,
    /// Who is signed in.
    pub session: Session,
    /// Says the org list changed (an org added, renamed, imported) with what to tell the
    /// person: the list is read again, so the tree shows the change, and the message goes to
    /// the status line above the section, which outlives the section's redraw with the new
    /// tree.
    pub orgs_changed: Callback<String>,
}

impl SectionContext {
    /// The selected org (`None` for a code the scope does not hold), and, while it is shown,
    /// the document titled with its name and `section`'s, so tabs and history read as such.
    pub fn titled_org(&self, section: Section) -> Memo<Option<Org>> {
        let i18n = use_i18n();
        let (tree, selected) = (self.tree.clone(), self.selected);
        let org = Memo::new(move |_| selected.get().and_then(|code| tree.get(&code).cloned()));
        Effect::new(move || {
            if let Some(org) = org.get() {
                let name = i18n.t().dashboard.section_names[section.index()];
                browser::set_document_title(&format!("{} — {name}", org.name));
            }
        });
        org
    }
}

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
    let location = use_location();
    let query = use_query_map();
    let view_state = Memo::new(move |_| {
        let path = location.pathname.get();
        query.with(|q| ViewState::from_address(&path, |k| q.get(k)))
    });
    let shown = Memo::new(move |_| Section::shown(role, view_state.with(|v| v.section)));
    view! {
        <div class="dashboard">
            <div class="dash-bar">
                <span class="dash-user">{who}</span>
                <button type="button" class="button secondary" on:click=move |_| context.sign_out()>
                    {move || t().sign_out}
                </button>
            </div>
            <SectionLinks role=role view_state=view_state shown=shown />
            {move || {
                if shown.get().in_this_bundle() {
                    view! { <Results session=session.clone() view_state=view_state shown=shown /> }
                        .into_any()
                } else {
                    view! { <OtherBundle view_state=view_state shown=shown /> }.into_any()
                }
            }}
        </div>
    }
}

/// The role's section is served by the other officials' bundle (an operator signing in at
/// `/dashboard`, whose first section is «Ввод анкет»): the page is loaded at its address, so
/// the boot script starts that bundle. Were the boot script to start this bundle there again,
/// the page says so instead of loading itself forever.
#[component]
fn OtherBundle(view_state: Memo<ViewState>, shown: Memo<Section>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().dashboard;
    let href = view_state.with_untracked(|v| v.with_section(shown.get_untracked()).href());
    let path = href.split('?').next().unwrap_or_default().to_owned();
    let misrouted = browser::pathname() == path;
    if !misrouted {
        browser::replace_location(&href);
    }
    view! {
        <p class="notice" role=misrouted.then_some("alert")>
            {move || if misrouted { t().other_bundle_failed } else { t().loading }}
        </p>
    }
}

/// The links to the role's sections, the open one marked `aria-current`; none when the role
/// has a single section.
#[component]
fn SectionLinks(role: Role, view_state: Memo<ViewState>, shown: Memo<Section>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().dashboard;
    let sections = Section::for_role(role);
    (sections.len() > 1).then(|| {
        let links = sections
            .into_iter()
            .map(|section| {
                let href = move || view_state.with(|v| v.with_section(section).href());
                let current = move || (shown.get() == section).then_some("page");
                // The other bundle's sections are loaded afresh, not routed in this one.
                let rel = (!section.in_this_bundle()).then_some("external");
                view! {
                    <li>
                        <a href=href rel=rel aria-current=current>
                            {move || t().section_names[section.index()]}
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <nav class="sections" aria-label=move || t().sections>
                <ul>{links}</ul>
            </nav>
        }
    })
}

/// The scope tree (for the sections that hang off an org) and the open section.
#[component]
fn Results(session: Session, view_state: Memo<ViewState>, shown: Memo<Section>) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_session();
    let t = move || i18n.t().dashboard;
    let token = session.token.clone();
    // Bumped when a section changed the org list; the list is then read again.
    let version = RwSignal::new(0_u32);
    let orgs = LocalResource::new(move || {
        version.track();
        let token = token.clone();
        async move { client::orgs(&token).await }
    });
    let news = RwSignal::new(None::<String>);
    let orgs_changed = Callback::new(move |message: String| {
        news.set(Some(message));
        version.update(|v| *v += 1);
    });
    // What was said belongs to the section it was said in.
    Effect::new(move |previous: Option<Section>| {
        let now = shown.get();
        if previous.is_some_and(|p| p != now) {
            news.set(None);
        }
        now
    });
    Effect::new(move || {
        if let Some(Err(e)) = orgs.get() {
            client::expire_if_refused(&e, context);
        }
    });
    let session = StoredValue::new(session);
    let content = move || match orgs.get() {
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
            let ctx = SectionContext {
                tree,
                view_state,
                selected,
                session: session.get_value(),
                orgs_changed,
            };
            let with_tree = Memo::new(move |_| shown.get().uses_tree());
            let tree_view = {
                let tree = ctx.tree.clone();
                move || {
                    with_tree.get().then(|| {
                        view! {
                            <Structure tree=tree.clone() view_state=view_state selected=selected />
                        }
                    })
                }
            };
            let content = move || section_view(shown.get(), ctx.clone());
            view! {
                <div class="dash-layout" class:single=move || !with_tree.get()>
                    {tree_view}
                    {content}
                </div>
            }
            .into_any()
        }
    };
    view! {
        <p class="dash-news" role="status">{move || news.get()}</p>
        {content}
    }
}

/// The content of `section`: the one place that says which component shows which section.
/// Sections of the other bundle never get here ([`Workspace`] loads their page instead).
fn section_view(section: Section, ctx: SectionContext) -> AnyView {
    match section {
        #[cfg(feature = "dashboard")]
        Section::Overview => view! {
            <Overview
                tree=ctx.tree
                view_state=ctx.view_state
                selected=ctx.selected
                session=ctx.session
            />
        }
        .into_any(),
        #[cfg(feature = "dashboard")]
        Section::Ranking => view! { <Ranking ctx=ctx /> }.into_any(),
        #[cfg(feature = "dashboard")]
        Section::Nok => view! { <NokPage ctx=ctx /> }.into_any(),
        #[cfg(feature = "nsi")]
        Section::Nsi => view! { <NsiPage ctx=ctx /> }.into_any(),
        #[cfg(feature = "nsi")]
        Section::Comments => view! { <CommentsPage ctx=ctx /> }.into_any(),
        #[cfg(feature = "dashboard")]
        Section::Observation => view! { <ObservationPage ctx=ctx /> }.into_any(),
        #[cfg(feature = "nsi")]
        Section::NsiData => view! { <NsiDataPage ctx=ctx /> }.into_any(),
        #[cfg(feature = "desk")]
        Section::Points => view! { <Points ctx=ctx /> }.into_any(),
        #[cfg(feature = "desk")]
        Section::Devices => view! { <Devices ctx=ctx /> }.into_any(),
        #[cfg(feature = "desk")]
        Section::Entry => view! { <EntryPage ctx=ctx /> }.into_any(),
        #[cfg(feature = "desk")]
        Section::Manage => view! { <Manage ctx=ctx /> }.into_any(),
        #[cfg(not(all(feature = "dashboard", feature = "desk")))]
        _ => ().into_any(),
    }
}

/// What a failed read shows in a section (nothing for a refused token: the sign-in takes
/// over).
pub fn failure(e: ApiError) -> AnyView {
    if client::token_refused(&e) {
        return ().into_any();
    }
    let i18n = use_i18n();
    let message = client::explain(&e, i18n.t().dashboard);
    view! { <p class="error" role="alert">{message}</p> }.into_any()
}

/// A table's column headers, each `scope="col"`.
pub fn table_head(columns: &[&'static str]) -> impl IntoView {
    let cells = columns
        .iter()
        .map(|&c| view! { <th scope="col">{c}</th> })
        .collect_view();
    view! {
        <thead>
            <tr>{cells}</tr>
        </thead>
    }
}
