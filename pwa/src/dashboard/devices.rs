//! «Планшеты»: the kiosks of the selected org's subtree in a table captioned «Планшеты»: name,
//! institution, when it enrolled and was last seen, the answers received, the `seq` ranges that
//! never arrived written out («пропуски: 58–63», marked, not told by colour alone) and its
//! state. Roles that revoke get «Отключить» per working tablet, which asks in the row itself
//! («Подтвердить отключение» / «Отмена») before `DELETE /devices/{id}`; roles that enrol get
//! the [`enrolment`](super::enrolment) part below.

use leptos::prelude::*;
use leptos::task::spawn_local;
use otklik_shared::access::{allows, Action};

use super::client::{self, fleet::Device};
use super::enrolment::Enrolment;
use super::fleet_rules;
use super::sections::Section;
use super::session::use_session;
use super::workspace::SectionContext;
use crate::browser;
use crate::i18n::{fill, use_i18n};

/// The kiosks section.
#[component]
pub fn Devices(ctx: SectionContext) -> impl IntoView {
    let org = ctx.titled_org(Section::Devices);
    let SectionContext {
        tree,
        selected,
        session,
        ..
    } = ctx;
    let i18n = use_i18n();
    let context = use_session();
    let t = move || i18n.t().dashboard;
    let f = move || i18n.t().dashboard.fleet;
    let revokes = allows(session.role, Action::RevokeDevices);
    let enrols = allows(session.role, Action::EnrolDevices);

    // Bumped after a revocation, so the list is read again from the server.
    let changed = RwSignal::new(0_u32);
    let token = session.token.clone();
    let devices = LocalResource::new(move || {
        let token = token.clone();
        let code = selected.get();
        changed.track();
        async move {
            match code {
                Some(code) => client::fleet::devices(&token, &code).await,
                None => Ok(Vec::new()),
            }
        }
    });
    Effect::new(move || {
        if let Some(Err(e)) = devices.get() {
            client::expire_if_refused(&e, context);
        }
    });

    // The device whose revocation waits for confirmation, and what the last one did.
    let confirming = RwSignal::new(None::<String>);
    let done = RwSignal::new(String::new());
    let failed = RwSignal::new(None::<String>);
    let token = StoredValue::new(session.token.clone());
    let revoke = move |device: Device| {
        let token = token.get_value();
        spawn_local(async move {
            match client::fleet::revoke(&token, &device.device).await {
                Ok(()) => {
                    let _ = confirming.try_set(None);
                    let _ = done.try_set(fill(f().revoked_done, &[("name", &device.name)]));
                    let _ = failed.try_set(None);
                    changed.update(|n| *n += 1);
                }
                Err(e) => {
                    client::expire_if_refused(&e, context);
                    let _ = failed.try_set(Some(client::explain(&e, t())));
                }
            }
        });
    };
    let offset = browser::now_local().offset().to_owned();

    let row = move |device: Device, org_name: String| {
        let name_id = format!("device-{}", device.device);
        let gaps = fleet_rules::gap_ranges(&device.missing);
        let last_seen = device
            .last_seen
            .as_deref()
            .map(|s| fleet_rules::moment(s, offset));
        let action = (revokes && !device.revoked).then(|| {
            let id = device.device.clone();
            let asking = move || confirming.with(|c| c.as_deref() == Some(id.as_str()));
            let described = name_id.clone();
            let device = device.clone();
            move || {
                if asking() {
                    let device = device.clone();
                    let question = fill(f().revoke_question, &[("name", &device.name)]);
                    let ask = format!("{}-ask", device.device);
                    let asked = ask.clone();
                    view! {
                        <div class="confirm" role="group" aria-labelledby=asked>
                            <p id=ask>{question}</p>
                            <button
                                type="button"
                                class="button danger"
                                id="confirm-revoke"
                                on:click=move |_| revoke(device.clone())
                            >
                                {f().revoke_confirm}
                            </button>
                            <button
                                type="button"
                                class="button secondary"
                                on:click=move |_| {
                                    confirming.set(None);
                                    focus_soon(".devices tbody button");
                                }
                            >
                                {f().cancel}
                            </button>
                        </div>
                    }
                    .into_any()
                } else {
                    let id = device.device.clone();
                    view! {
                        <button
                            type="button"
                            class="button secondary"
                            aria-describedby=described.clone()
                            on:click=move |_| {
                                confirming.set(Some(id.clone()));
                                focus_soon("#confirm-revoke");
                            }
                        >
                            {f().revoke}
                        </button>
                    }
                    .into_any()
                }
            }
        });
        view! {
            <tr class:revoked=device.revoked>
                <th scope="row" id=name_id>{device.name.clone()}</th>
                <td>{org_name}</td>
                <td>{fleet_rules::moment(&device.enrolled_at, offset)}</td>
                <td>{last_seen.unwrap_or_else(|| f().never.to_owned())}</td>
                <td class="number">{crate::numbers::count(i18n.lang(), device.received)}</td>
                <td>
                    {match gaps {
                        Some(ranges) => view! { <mark class="gap">{fill(f().gaps_text, &[("ranges", &ranges)])}</mark> }.into_any(),
                        None => f().no_gaps.into_any(),
                    }}
                </td>
                <td>{if device.revoked { f().revoked } else { f().active }}</td>
                {revokes.then(|| view! { <td>{action}</td> })}
            </tr>
        }
    };

    let table_tree = tree.clone();
    let table = move || match devices.get() {
        None => view! { <p class="notice">{t().loading}</p> }.into_any(),
        Some(Err(e)) if client::token_refused(&e) => ().into_any(),
        Some(Err(e)) => {
            view! { <p class="error" role="alert">{client::explain(&e, t())}</p> }.into_any()
        }
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="notice">{f().no_devices}</p> }.into_any()
        }
        Some(Ok(list)) => {
            let tree = table_tree.clone();
            view! {
                <div class="table-scroll">
                    <table class="devices">
                        <caption>{f().devices}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{f().name}</th>
                                <th scope="col">{f().institution}</th>
                                <th scope="col">{f().enrolled}</th>
                                <th scope="col">{f().last_seen}</th>
                                <th scope="col">{f().received}</th>
                                <th scope="col">{f().gaps}</th>
                                <th scope="col">{f().state}</th>
                                {revokes.then(|| view! { <th scope="col">{f().actions}</th> })}
                            </tr>
                        </thead>
                        <tbody>
                            {list
                                .into_iter()
                                .map(|device| {
                                    let org_name = tree.get(&device.org).map_or_else(|| device.org.clone(), |o| o.name.clone());
                                    row(device, org_name)
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any()
        }
    };

    let enrolment = enrols.then(|| {
        view! { <Enrolment tree=tree.clone() selected=selected token=session.token.clone() /> }
    });

    view! {
        <section class="fleet devices-section" aria-labelledby="devices-title">
            <h1 id="devices-title">
                {move || org.get().map(|o| fill(f().devices_title, &[("org", &o.name)]))}
            </h1>
            {move || {
                org.with(Option::is_none)
                    .then(|| view! { <p class="error" role="alert">{t().unknown_org}</p> })
            }}
            <p class="note" role="status">{move || done.get()}</p>
            <div role="alert">
                {move || failed.get().map(|text| view! { <p class="error">{text}</p> })}
            </div>
            {table}
            {enrolment}
        </section>
    }
}

/// Moves the focus to `selector` once the change just made is on screen (the step that asks
/// replaces the button the focus was on; leaving the focus on nothing would lose the place).
fn focus_soon(selector: &'static str) {
    browser::set_timeout(0, move || browser::focus(&[selector]));
}
