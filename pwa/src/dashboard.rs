//! The officials' dashboard (dashboard bundle only, feature `dashboard`): where an institution
//! head, a regional ministry or an expert group member reads their results every week.
//!
//! Screens: [`sign_in`] until there is a [`session`]; then the [`workspace`]: a top bar with
//! «Выйти» and the sections the role may open ([`sections`]): for readers of results, the
//! [`structure`] (the scope's org tree, searchable) beside the [`overview`] of the selected
//! org and quarter ([`cards`]); for those who list points, «Точки опроса» ([`points`], with
//! their QR codes and posters, and [`point_form`] to add one); for those who list kiosks,
//! «Планшеты» ([`devices`]: the fleet with its `seq` gaps and revocation, and [`enrolment`]
//! codes with their QR). What is shown lives in the address ([`address`]), so a view is
//! bookmarked, reloaded and sent as a link.
//!
//! Pure parts, tested on the host: [`address`], [`period`], [`tree`], [`figures`] (which
//! figure each card shows), [`format`] («68,2»), [`sections`], [`fleet_rules`] (gaps, times,
//! what a refused point means). [`client`] is the typed API of the endpoints the dashboard
//! reads; a 401 from any of them ends the session
//! ([`session::SessionContext::expire`]) and leaves the address alone, so signing in again
//! returns to the same view.

mod address;
mod cards;
mod client;
mod devices;
mod enrolment;
mod figures;
mod fleet_rules;
mod overview;
mod overview_charts;
mod period;
mod point_form;
mod points;
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
