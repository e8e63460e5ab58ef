//! Kiosk mode (kiosk bundle only, feature `kiosk`): a tablet on a stand in a waiting room,
//! enrolled once, running one respondent after another for days, offline if need be.
//!
//! Screens: [`enrolment`] (once; the enrolment lives in IndexedDB, so reloads and browser
//! restarts keep it) → [`attract`] → the same survey flow as `/q/<point>` (`survey`, in
//! `Mode::Kiosk`) → «Спасибо» → back to the attract screen. [`session`] switches between them
//! and drops a half-answered questionnaire after the idle timeout; saved answers never are. The
//! [`operator_panel`] and leaving kiosk mode sit behind the [`pin_gate`], checked offline.
//! [`rules`] are the pure rules all of them apply, [`form`] the markup their forms share.

mod attract;
mod enrolment;
mod form;
mod operator_panel;
mod pin_gate;
pub mod rules;
mod session;

use leptos::logging::warn;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser;
use crate::i18n::{use_i18n, Strings};
use crate::storage::device::{self, Enrolment};
use enrolment::Enrol;
use session::Session;

/// A message chosen from the interface strings.
type Text = fn(&Strings) -> &'static str;

/// Kiosk mode: enrolment first (its code filled in with `code`, from the address the
/// dashboard's enrolment QR encodes), then the kiosk itself; a half-answered questionnaire is
/// dropped after `idle_ms` without a touch.
#[component]
pub fn Kiosk(idle_ms: u32, code: String) -> impl IntoView {
    let i18n = use_i18n();
    browser::set_document_title(i18n.t().kiosk.kiosk_title);
    // None while reading storage; then the enrolment, if any. Set only on enrol and exit, so the
    // running kiosk is never rebuilt under a respondent.
    let state = RwSignal::new(None::<Option<Enrolment>>);
    spawn_local(async move {
        let enrolment = device::get().await.unwrap_or_else(|e| {
            warn!("cannot read the kiosk enrolment: {e}");
            None
        });
        let _ = state.try_set(Some(enrolment));
    });
    let enrolled = Callback::new(move |e: Enrolment| state.set(Some(Some(e))));
    let left = Callback::new(move |()| state.set(Some(None)));
    move || match state.get() {
        None => view! { <p class="notice">{move || i18n.t().loading}</p> }.into_any(),
        Some(None) => view! { <Enrol enrolled=enrolled code=code.clone() /> }.into_any(),
        Some(Some(e)) => view! { <Session enrolment=e idle_ms=idle_ms left=left /> }.into_any(),
    }
}
