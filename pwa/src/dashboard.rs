//! The officials' dashboard (dashboard bundle only, feature `dashboard`): where an institution
//! head, a regional ministry or an expert group member reads their results every week.
//!
//! Screens: [`sign_in`] until there is a [`session`]; then the [`workspace`]: a top bar with
//! «Выйти» and the sections the role may open ([`sections`]): for readers of results, the
//! [`structure`] (the scope's org tree, searchable) beside the [`overview`] of the selected
//! org and quarter ([`cards`]); for officials and admins, [`manage`] («Управление»: orgs
//! added under the selection, corrected and imported from CSV, staff accounts added and
//! disabled). What is shown lives in the address ([`address`]), so a view is bookmarked,
//! reloaded and sent as a link.
//!
//! Pure parts, tested on the host: [`address`], [`period`], [`tree`], [`figures`] (which
//! figure each card shows), [`format`] («68,2»), [`sections`], `manage::rules` (what a role is
//! offered, the API's refusals read line by line). [`client`] is the typed API of the
//! endpoints the dashboard reads and writes; a 401 from any of them ends the session
//! ([`session::SessionContext::expire`]) and leaves the address alone, so signing in again
//! returns to the same view.

mod address;
mod cards;
mod client;
mod figures;
mod manage;
mod overview;
mod overview_charts;
mod period;
mod sections;
mod session;
mod sign_in;
mod structure;
mod tree;
mod workspace;

use leptos::prelude::*;

use session::provide_session_context;
use sign_in::SignIn;
use workspace::Workspace;

/// The dashboard: the sign-in or, once signed in, the workspace.
#[component]
pub fn Dashboard() -> impl IntoView {
    let session = provide_session_context();
    move || match session.get() {
        None => view! { <SignIn /> }.into_any(),
        Some(s) => view! { <Workspace session=s /> }.into_any(),
    }
}
