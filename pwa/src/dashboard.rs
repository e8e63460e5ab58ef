//! The officials' dashboard (feature `officials`, in the dashboard and desk bundles): where an
//! institution head, a regional ministry or an expert group member reads their results every
//! week, and where operators key in paper questionnaires and look after points and tablets.
//! Each section's modules are compiled only into the bundle that serves it (`dashboard`:
//! results; `desk`: the work; see [`sections`]).
//!
//! Screens: [`sign_in`] until there is a [`session`]; then the [`workspace`]: a top bar with
//! «Выйти» and the sections the role may open ([`sections`]): for readers of results, the
//! [`structure`] (the scope's org tree, searchable) beside the [`overview`] of the selected
//! org and quarter ([`cards`]) or its [`ranking`] (the institutions below it in tied groups,
//! with a forest plot); [`nok`], an institution's НОК figures (1.1–5.3, K1–K5, Sn) and, for
//! the roles that enter them, its expert checklist form; [`comments`], the masked feed with
//! its filters and keyset paging; [`observation`] («Наблюдение»), the expert walk-throughs'
//! own figures and batches, never citizens'; for those who key in questionnaires, «Ввод анкет»
//! ([`entry`]: paper, phone and interview entry through the outbox, and walk-throughs for the
//! expert group); for those who list
//! points, «Точки опроса» ([`points`], with their QR codes and posters, and [`point_form`] to
//! add one); for those who list kiosks, «Планшеты» ([`devices`]: the fleet with its `seq` gaps
//! and revocation, and [`enrolment`] codes with their QR); for officials and admins,
//! [`manage`] («Управление»: orgs added under the selection, corrected and imported from CSV,
//! staff accounts added and disabled). The result pages share the period and questionnaire
//! pickers ([`filters`]) and the downloads of the view's figures ([`exports`]: «Скачать
//! XLSX», «Скачать CSV»). What is shown lives in the address ([`address`]), so a view is
//! bookmarked, reloaded and sent as a link.
//!
//! Pure parts, tested on the host: [`address`], [`period`], [`tree`], [`figures`] (which
//! figure each card shows), [`sections`], [`ranking_order`] (metrics,
//! sorting, tied runs, the plot's axis), the checklist form's rules (`nok::checklist`),
//! `entry::keys` (which key picks which option, where Enter goes), [`fleet_rules`] (gaps,
//! times, what a refused point means), `manage::rules` (what a role is offered, the API's
//! refusals read line by line). [`client`] is the typed API of the endpoints the dashboard
//! reads and writes (a page's own in a submodule); a 401 from any of them ends the session
//! ([`session::SessionContext::expire`]) and leaves the address alone, so signing in again
//! returns to the same view.

mod address;
#[cfg(feature = "dashboard")]
mod cards;
mod client;
#[cfg(feature = "nsi")]
mod comments;
#[cfg(feature = "desk")]
mod devices;
#[cfg(feature = "desk")]
mod enrolment;
#[cfg(feature = "desk")]
mod entry;
#[cfg(any(feature = "dashboard", feature = "nsi"))]
mod exports;
#[cfg(feature = "dashboard")]
mod figures;
#[cfg(any(feature = "dashboard", feature = "nsi"))]
mod filters;
#[cfg(feature = "desk")]
mod fleet_rules;
mod grid;
#[cfg(feature = "desk")]
mod manage;
#[cfg(feature = "dashboard")]
mod nok;
#[cfg(feature = "nsi")]
mod nsi;
#[cfg(feature = "nsi")]
mod nsi_data;
mod nsi_filters;
mod nsi_rules;
#[cfg(feature = "dashboard")]
mod observation;
#[cfg(feature = "dashboard")]
mod overview;
#[cfg(feature = "dashboard")]
mod overview_charts;
mod period;
#[cfg(any(feature = "dashboard", feature = "nsi"))]
mod period_select;
#[cfg(feature = "desk")]
mod point_form;
#[cfg(feature = "desk")]
mod points;
#[cfg(feature = "dashboard")]
mod ranking;
#[cfg(feature = "dashboard")]
mod ranking_order;
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
    #[cfg(feature = "desk")]
    lend_token_to_sync(session);
    move || match session.get() {
        None => view! { <SignIn /> }.into_any(),
        Some(s) => view! { <Workspace session=s /> }.into_any(),
    }
}

/// While someone whose role may key in questionnaires is signed in, the sync engine holds
/// their token (in memory only) to upload what was keyed in on this browser ([`entry`]);
/// when the server refuses it for those items, the session ends like any refused token, and
/// the items wait in the outbox for the next sign-in. Only the desk bundle, which keys them
/// in, runs the sync engine.
#[cfg(feature = "desk")]
fn lend_token_to_sync(session: session::SessionContext) {
    let sync = crate::sync::use_sync();
    Effect::new(move || {
        let staff = session
            .get()
            .filter(|s| otklik_shared::access::keys_in(s.role))
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
}
