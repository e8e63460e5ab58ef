//! The operator panel: queue and storage status, refused answers, export and import of the
//! queue, a staff sign-in for imported queues, the point, and leaving kiosk mode.
//!
//! Leaving is refused while this device's own answers wait unexported: they exist nowhere else.

use leptos::logging::warn;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::form::{Field, KioskForm};
use super::rules::QueueFile;
use crate::api;
use crate::browser;
use crate::i18n::{fill, use_i18n};
use crate::points::{self, Load};
use crate::storage::device::{self, Enrolment};
use crate::storage::outbox::{self, Queued, Refused};
use crate::sync::use_sync;

/// The panel over the running kiosk's `enrolment` and its point's `load`: `closed` returns to
/// the attract screen, `left` ends kiosk mode, `point_changed` reloads the questionnaire.
#[component]
pub fn OperatorPanel(
    enrolment: RwSignal<Enrolment>,
    load: RwSignal<Option<Load>>,
    closed: Callback<()>,
    left: Callback<()>,
    point_changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let queue = RwSignal::new(Vec::<Queued>::new());
    let refused = RwSignal::new(Vec::<Refused>::new());
    let refresh = move || {
        spawn_local(async move {
            match outbox::pending().await {
                Ok(items) => {
                    let _ = queue.try_set(items);
                }
                Err(e) => warn!("cannot read the outbox: {e}"),
            }
            match outbox::refused().await {
                Ok(items) => {
                    let _ = refused.try_set(items);
                }
                Err(e) => warn!("cannot read the refused answers: {e}"),
            }
        });
    };
    // Now, and after every upload run.
    Effect::new(move |_| {
        sync.last_run();
        refresh();
    });
    let persisted = RwSignal::new(None::<bool>);
    spawn_local(async move {
        let _ = persisted.try_set(browser::persist_storage().await);
    });
    // The outcome of the last action, announced politely.
    let message = RwSignal::new(None::<String>);
    let say = move |text: String| {
        let _ = message.try_set(Some(text));
    };
    let exported = RwSignal::new(false);
    let lang = move || i18n.lang().tag();
    let time = move |ms: Option<f64>| {
        ms.map_or_else(|| "—".to_owned(), |ms| browser::format_time(ms, lang()))
    };

    let export = move || {
        spawn_local(async move {
            let device = enrolment.with_untracked(|e| e.device.clone());
            let result = async {
                let items = outbox::pending().await.map_err(|e| e.to_string())?;
                let json = serde_json::to_string(&QueueFile::new(&device, items))
                    .map_err(|e| e.to_string())?;
                browser::download(&format!("otklik-queue-{device}.json"), &json)
                    .map_err(|e| format!("{e:?}"))
            }
            .await;
            match result {
                Ok(()) => exported.set(true),
                Err(e) => {
                    warn!("cannot export the queue: {e}");
                    say(i18n.t().kiosk.storage_failed.to_owned());
                }
            }
        });
    };
    let import = move |ev: web_sys::Event| {
        spawn_local(async move {
            let Some(items) = browser::chosen_file_text(&ev)
                .await
                .and_then(|text| QueueFile::parse(&text))
            else {
                say(i18n.t().kiosk.import_failed.to_owned());
                return;
            };
            match device::import(&items).await {
                Ok(added) => {
                    say(fill(i18n.t().kiosk.imported, &[("n", &added.to_string())]));
                    sync.request();
                    refresh();
                }
                Err(e) => {
                    warn!("cannot import the queue: {e}");
                    say(i18n.t().kiosk.storage_failed.to_owned());
                }
            }
        });
    };

    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let sign_in = move || {
        let (user, secret) = (login.get_untracked(), password.get_untracked());
        spawn_local(async move {
            let token = match api::login(user.trim(), &secret).await {
                Ok(reply) => reply.token,
                Err(e) => {
                    warn!("staff sign-in failed: {e}");
                    say(i18n.t().kiosk.sign_in_failed.to_owned());
                    return;
                }
            };
            match device::update(|e| e.staff_token = Some(token)).await {
                Ok(e) => {
                    enrolment.set(e);
                    let _ = password.try_set(String::new());
                    say(i18n.t().kiosk.signed_in.to_owned());
                    sync.request();
                }
                Err(e) => {
                    warn!("cannot store the staff token: {e}");
                    say(i18n.t().kiosk.storage_failed.to_owned());
                }
            }
        });
    };

    let point = RwSignal::new(enrolment.with_untracked(|e| e.point.clone().unwrap_or_default()));
    let choose = move |code: String| {
        spawn_local(async move {
            if !matches!(points::load(&code).await, Load::Ready(_)) {
                say(i18n.t().kiosk.point_failed.to_owned());
                return;
            }
            match device::update(|e| e.point = Some(code.clone())).await {
                Ok(e) => {
                    enrolment.set(e);
                    let _ = point.try_set(code);
                    point_changed.run(());
                }
                Err(e) => {
                    warn!("cannot store the point: {e}");
                    say(i18n.t().kiosk.storage_failed.to_owned());
                }
            }
        });
    };
    let siblings = move || match load.get() {
        Some(Load::Ready(info)) => info.siblings.iter().map(|s| s.code.clone()).collect(),
        _ => Vec::new(),
    };

    let leave = move || {
        let (device, own) = enrolment.with_untracked(|e| {
            let own = queue.with_untracked(|q| {
                q.iter()
                    .filter(|item| item.response.device() == Some(e.device.as_str()))
                    .count()
            });
            (e.device.clone(), own)
        });
        if own > 0 && !exported.get_untracked() {
            say(fill(
                i18n.t().kiosk.exit_blocked,
                &[("n", &own.to_string())],
            ));
            return;
        }
        spawn_local(async move {
            match device::forget(&device).await {
                Ok(()) => left.run(()),
                Err(e) => {
                    warn!("cannot leave kiosk mode: {e}");
                    say(i18n.t().kiosk.storage_failed.to_owned());
                }
            }
        });
    };

    move || {
        let t = i18n.t();
        view! {
            <section class="kiosk-panel" aria-labelledby="panel-title">
                <h1 id="panel-title">{t.kiosk.panel_title}</h1>
                <p class="status" role="status">
                    {move || fill(t.kiosk.waiting, &[("n", &queue.with(Vec::len).to_string())])}
                </p>
                {move || sync.last_run().denied.map(|code| {
                    let text = if code == "device_revoked" { t.kiosk.revoked.to_owned() } else { fill(t.kiosk.denied, &[("code", &code)]) };
                    view! { <p class="error" role="alert">{text}</p> }
                })}
                <dl class="facts">
                    <dt>{t.kiosk.oldest}</dt>
                    <dd>{move || time(queue.with(|q| q.iter().map(|i| i.queued_at).reduce(f64::min)))}</dd>
                    <dt>{t.kiosk.last_sync}</dt>
                    <dd>{move || time(enrolment.with(|e| e.last_sync_ms))}</dd>
                    <dt>{t.kiosk.persisted}</dt>
                    <dd>{move || {
                        persisted.get().map_or(t.kiosk.unknown, |p| if p { t.yes } else { t.no })
                    }}</dd>
                    <dt>{t.kiosk.version}</dt>
                    <dd>{env!("CARGO_PKG_VERSION")}</dd>
                    <dt>{t.kiosk.device}</dt>
                    <dd>{move || enrolment.with(|e| format!("{} ({})", e.device, e.org))}</dd>
                </dl>
                <p class="notice" aria-live="polite">{move || message.get()}</p>
                <div class="nav">
                    <button type="button" class="button primary" on:click=move |_| sync.request()>
                        {t.kiosk.sync_now}
                    </button>
                    <button type="button" class="button secondary" on:click=move |_| export()>
                        {t.kiosk.export}
                    </button>
                    <label class="button secondary file-button">
                        {t.kiosk.import}
                        <input type="file" accept=".json,application/json" on:change=import />
                    </label>
                </div>
                <h2>{move || fill(t.kiosk.refused, &[("n", &refused.with(Vec::len).to_string())])}</h2>
                <ul class="refused">
                    {move || refused.get().into_iter().map(|r| {
                        let seq = r.response.seq().map(|s| format!(" · seq {s}")).unwrap_or_default();
                        let reason = r.error.map(|e| format!(" · {}: {}", e.code, e.message)).unwrap_or_default();
                        view! { <li>{time(Some(r.refused_at))}{seq}{reason}</li> }
                    }).collect_view()}
                </ul>
                <KioskForm on_submit=Callback::new(move |()| choose(point.get_untracked().trim().to_owned()))>
                    <Field label=t.kiosk.point>
                        <input type="text" class="field" autocomplete="off" bind:value=point />
                    </Field>
                    <div class="nav">
                        <button type="submit" class="button secondary">{t.kiosk.choose_point}</button>
                        {move || siblings().into_iter().map(|code| {
                            let label = code.clone();
                            view! {
                                <button type="button" class="button secondary" on:click=move |_| choose(code.clone())>
                                    {label}
                                </button>
                            }
                        }).collect_view()}
                    </div>
                </KioskForm>
                <KioskForm on_submit=Callback::new(move |()| sign_in())>
                    <p>{t.kiosk.staff_hint}</p>
                    <Field label=t.kiosk.login>
                        <input type="text" class="field" autocomplete="username" bind:value=login />
                    </Field>
                    <Field label=t.kiosk.password>
                        <input type="password" class="field" autocomplete="current-password" bind:value=password />
                    </Field>
                    <button type="submit" class="button secondary">{t.kiosk.sign_in}</button>
                </KioskForm>
                <div class="nav">
                    <button type="button" class="button secondary" on:click=move |_| closed.run(())>
                        {t.kiosk.close}
                    </button>
                    <button type="button" class="button secondary" on:click=move |_| leave()>
                        {t.kiosk.exit}
                    </button>
                </div>
            </section>
        }
    }
}
