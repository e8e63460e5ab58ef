//! The operator PIN gate, checked offline against the hash from enrolment, so an operator
//! gets in without a network and the PIN itself is never stored.

use leptos::prelude::*;

use super::form::{Field, KioskForm};
use super::rules;
use crate::i18n::use_i18n;
use crate::storage::device::Enrolment;

/// The operator PIN, checked offline against the hash from enrolment.
#[component]
pub fn PinGate(
    enrolment: RwSignal<Enrolment>,
    opened: Callback<()>,
    cancelled: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let pin = RwSignal::new(String::new());
    let wrong = RwSignal::new(false);
    let check = move || {
        let right = enrolment.with_untracked(|e| {
            pin.with_untracked(|p| rules::pin_matches(&e.device, p, &e.pin_hash))
        });
        if right {
            opened.run(());
        } else {
            pin.set(String::new());
            wrong.set(true);
        }
    };
    move || {
        let t = i18n.t();
        view! {
            <h1>{t.kiosk.panel_title}</h1>
            <KioskForm on_submit=Callback::new(move |()| check())>
                <Field label=t.kiosk.pin>
                    // A text box masked by CSS, not type=password: the contract names it a textbox,
                    // and the digits keyboard comes up on tablets.
                    <input type="text" class="field pin" inputmode="numeric" autocomplete="off" bind:value=pin />
                </Field>
                {move || wrong.get().then(|| view! { <p class="error" role="alert">{t.kiosk.pin_wrong}</p> })}
                <div class="nav">
                    <button type="button" class="button secondary" on:click=move |_| cancelled.run(())>
                        {t.kiosk.cancel}
                    </button>
                    <button type="submit" class="button primary">{t.kiosk.pin_open}</button>
                </div>
            </KioskForm>
        }
    }
}
