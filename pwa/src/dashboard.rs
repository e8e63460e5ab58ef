//! The officials' dashboard (dashboard bundle only, feature `dashboard`): where an institution
//! head, a regional ministry or an expert group member reads their results every week.
//!
//! Screens: [`sign_in`] until there is a [`session`]; then the [`workspace`]: a top bar with
//! «Выйти» and the sections the role may open ([`sections`]): for readers of results, the
//! [`structure`] (the scope's org tree, searchable) beside the [`overview`] of the selected
//! org and quarter ([`cards`]); for those who key in questionnaires, «Ввод анкет» ([`entry`]:
//! paper, phone and interview entry through the outbox). What is shown lives in the address
//! ([`address`]), so a view is bookmarked, reloaded and sent as a link.
//!
//! Pure parts, tested on the host: [`address`], [`period`], [`tree`], [`figures`] (which
//! figure each card shows), [`format`] («68,2»), [`sections`], `entry::keys` (which key picks
//! which option, where Enter goes). [`client`] is the typed API of
//! the endpoints the dashboard reads; a 401 from any of them ends the session
//! ([`session::SessionContext::expire`]) and leaves the address alone, so signing in again
//! returns to the same view.

mod address;
mod cards;
mod client;
mod entry;
mod figures;
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
use otklik_shared::access::{allows, Action};

use session::provide_session_context;
use sign_in::SignIn;
use workspace::Workspace;

/// The dashboard: the sign-in or, once signed in, the workspace.
///
/// While someone whose role may key in questionnaires is signed in, the sync engine holds
/// their token (in memory only) to upload what was keyed in on this browser ([`entry`]);
/// when the server refuses it for those items, the session ends like any refused token, and
/// the items wait in the outbox for the next sign-in.
#[component]
pub fn Dashboard() -> impl IntoView {
    let session = provide_session_context();
    let sync = crate::sync::use_sync();
    Effect::new(move || {
        let staff = session
            .get()
            .filter(|s| allows(s.role, Action::UploadStaffChannels))
            .map(|s| s.token);
        sync.set_staff_token(staff);
    });
    // Only a new run's report counts (the session is read untracked), so signing in again
    // after a refusal is not ended by the old report.
    Effect::new(move || {
        let refused = sync.last_run().denied.as_deref() == Some(crate::sync::policy::TOKEN_REFUSED);
        if refused && untrack(|| session.get()).is_some() {
            session.expire();
        }
    });
    move || match session.get() {
        None => view! { <SignIn /> }.into_any(),
        Some(s) => view! { <Workspace session=s /> }.into_any(),
    }
}
