//! «Новый код подключения»: mints a one-time enrolment code for an institution (or department)
//! of the selection and shows what the person setting up the tablet needs: the code, the
//! operator PIN, until when the code works, and the kiosk's address with the code in it, as
//! text and as a QR code the tablet's camera opens (`/kiosk?code=…` fills the code in). The QR
//! comes from the server with the code, drawn like the points' codes, and is shown as an image
//! (a `data:` URL, which the CSP allows for images), never as markup put into the page.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::client::{self, fleet::Invite};
use super::fleet_rules;
use super::session::use_session;
use super::tree::OrgTree;
use crate::browser;
use crate::i18n::{fill, use_i18n};

/// The enrolment part of the kiosks section.
#[component]
pub fn Enrolment(
    tree: Arc<OrgTree>,
    selected: Memo<Option<String>>,
    token: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_session();
    let t = move || i18n.t().dashboard;
    let f = move || i18n.t().dashboard.fleet;
    // The institutions and departments of the selection: (code, name).
    let places = Memo::new(move |_| {
        let code = selected.get().unwrap_or_default();
        fleet_rules::enrolment_orgs(&tree.subtree(&code))
            .into_iter()
            .map(|o| (o.code.clone(), o.name.clone()))
            .collect::<Vec<_>>()
    });
    let place = RwSignal::new(String::new());
    // A new selection starts from its first place.
    Effect::new(move || {
        let first = places.with(|p| p.first().map(|(code, _)| code.clone()));
        place.set(first.unwrap_or_default());
    });
    let invite = RwSignal::new(None::<Invite>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let token = StoredValue::new(token);
    let offset = browser::now_local().offset().to_owned();

    let mint = move |_| {
        let org = place.get_untracked();
        if org.is_empty() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let token = token.get_value();
        spawn_local(async move {
            let result = client::fleet::invite(&token, &org).await;
            let _ = busy.try_set(false);
            match result {
                Ok(minted) => {
                    let _ = invite.try_set(Some(minted));
                }
                Err(e) => {
                    client::expire_if_refused(&e, context);
                    let _ = error.try_set(Some(client::explain(&e, t())));
                }
            }
        });
    };

    let shown = move || {
        invite.get().map(|minted| {
            let qr = format!(
                "data:image/svg+xml;charset=utf-8,{}",
                String::from(js_sys::encode_uri_component(&minted.qr_svg))
            );
            let alt = fill(f().enrol_qr_alt, &[("url", &minted.kiosk_url)]);
            view! {
                <div class="invite">
                    <img class="qr" src=qr alt=alt width="200" height="200" />
                    <div>
                        <dl>
                            <dt>{f().enrol_code}</dt>
                            <dd class="code">{minted.code.clone()}</dd>
                            <dt>{f().pin}</dt>
                            <dd class="code">{minted.pin.clone()}</dd>
                            <dt>{f().kiosk_url}</dt>
                            <dd class="url">{minted.kiosk_url.clone()}</dd>
                        </dl>
                        <p class="hint">
                            {fill(f().expires, &[("time", &fleet_rules::moment(&minted.expires_at, offset))])}
                        </p>
                        <p class="hint">{f().enrol_howto}</p>
                    </div>
                </div>
            }
        })
    };

    view! {
        <section class="enrolment" aria-labelledby="enrolment-title">
            <h2 id="enrolment-title">{move || f().enrolment}</h2>
            <p class="hint">{move || f().enrolment_intro}</p>
            {move || {
                if places.with(Vec::is_empty) {
                    return view! { <p class="notice">{f().no_institution}</p> }.into_any();
                }
                view! {
                    <div class="filters">
                        <div class="filter">
                            <label for="enrol-org">{f().enrol_for}</label>
                            <select
                                id="enrol-org"
                                class="field"
                                on:change=move |ev| place.set(event_target_value(&ev))
                            >
                                {places
                                    .get()
                                    .into_iter()
                                    .map(|(code, name)| {
                                        let chosen = place.with_untracked(|p| *p == code);
                                        view! { <option value=code selected=chosen>{name}</option> }
                                    })
                                    .collect_view()}
                            </select>
                        </div>
                        <button type="button" class="button primary" on:click=mint disabled=move || busy.get()>
                            {f().new_code}
                        </button>
                    </div>
                }
                .into_any()
            }}
            <div role="alert">{move || error.get().map(|text| view! { <p class="error">{text}</p> })}</div>
            <div role="status">{shown}</div>
        </section>
    }
}
