//! The one-time enrolment: the code an official issued (and a name for the fleet list) is
//! exchanged for a device token, stored in IndexedDB with the operator PIN's hash.

use leptos::logging::warn;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::form::{Field, KioskForm};
use super::Text;
use crate::api::{self, ApiError};
use crate::i18n::use_i18n;
use crate::points;
use crate::storage::device::{self, Enrolment};

/// The one-time enrolment: code (and a name for the fleet list) → device token. `code` fills
/// the code in (a tablet that scanned the dashboard's QR has it in the address; empty when
/// typed by hand).
#[component]
pub fn Enrol(enrolled: Callback<Enrolment>, code: String) -> impl IntoView {
    let i18n = use_i18n();
    let code = RwSignal::new(code);
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Text>);
    let busy = RwSignal::new(false);
    let submit = move || {
        if busy.get_untracked() || code.with_untracked(|c| c.trim().is_empty()) {
            return;
        }
        busy.set(true);
        error.set(None);
        let code = code.get_untracked().trim().to_owned();
        let name = name.with_untracked(|n| n.trim().to_owned());
        let name = if name.is_empty() {
            i18n.t().kiosk.enrol_name_default.to_owned()
        } else {
            name
        };
        spawn_local(async move {
            let result = match api::enrol(&code, &name).await {
                Ok(r) => {
                    let enrolment = Enrolment {
                        device: r.device,
                        token: r.token,
                        org: r.org,
                        point: r.point,
                        pin_hash: r.pin_hash,
                        next_seq: 1,
                        staff_token: None,
                        last_sync_ms: None,
                    };
                    match device::enrol(&enrolment).await {
                        Ok(()) => Ok(enrolment),
                        Err(e) => {
                            warn!("cannot store the enrolment: {e}");
                            Err((|t| t.kiosk.storage_failed) as Text)
                        }
                    }
                }
                Err(ApiError::Http { status: 404, .. }) => Err((|t| t.kiosk.enrol_unknown) as Text),
                Err(ApiError::Http { status: 410, .. }) => Err((|t| t.kiosk.enrol_gone) as Text),
                Err(e) => {
                    warn!("enrolment failed: {e}");
                    Err((|t| t.kiosk.enrol_failed) as Text)
                }
            };
            match result {
                Ok(enrolment) => {
                    // Cache the point now, while the network is surely there.
                    if let Some(point) = &enrolment.point {
                        points::load(point).await;
                    }
                    enrolled.run(enrolment);
                }
                Err(text) => {
                    let _ = error.try_set(Some(text));
                    let _ = busy.try_set(false);
                }
            }
        });
    };
    move || {
        let t = i18n.t();
        view! {
            <h1>{t.kiosk.kiosk_title}</h1>
            <p>{t.kiosk.enrol_intro}</p>
            <KioskForm on_submit=Callback::new(move |()| submit())>
                <Field label=t.kiosk.enrol_code>
                    <input type="text" class="field" autocomplete="off" autocapitalize="characters" spellcheck="false" bind:value=code />
                </Field>
                <Field label=t.kiosk.enrol_name>
                    <input type="text" class="field" autocomplete="off" bind:value=name />
                </Field>
                {move || error.get().map(|text| view! { <p class="error" role="alert">{text(t)}</p> })}
                <button type="submit" class="button primary" disabled=move || busy.get()>
                    {t.kiosk.enrol_submit}
                </button>
            </KioskForm>
        }
    }
}
