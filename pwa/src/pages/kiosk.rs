//! `/kiosk`: a tablet on a stand in a waiting room, enrolled once, running one respondent after
//! another for days, offline if need be.
//!
//! Screens: enrolment (once; the enrolment lives in IndexedDB, so reloads and browser restarts
//! keep it) → attract screen → the same questionnaire as `/q/<point>` ([`Survey`] in
//! [`Mode::Kiosk`]) → «Спасибо» → back to the attract screen. A half-answered questionnaire is
//! dropped after the idle timeout (`?idle=SECONDS`, default 60 s); saved answers never are. The
//! operator panel and leaving kiosk mode sit behind the operator PIN, checked offline.

use leptos::logging::warn;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;

use crate::api::{self, ApiError};
use crate::browser;
use crate::i18n::{fill, use_i18n, Strings};
use crate::kiosk::{self, QueueFile};
use crate::pages::survey::{load_point, Load, Mode, Survey};
use crate::storage::device::{self, Enrolment};
use crate::storage::outbox::{self, Queued, Refused};
use crate::sync::use_sync;

/// A message chosen from the interface strings.
type Text = fn(&Strings) -> &'static str;

/// The page: enrolment first, then the kiosk itself.
#[component]
pub fn KioskPage() -> impl IntoView {
    let i18n = use_i18n();
    browser::set_document_title(i18n.t().kiosk.kiosk_title);
    let idle_ms = kiosk::idle_timeout_ms(use_query_map().read_untracked().get("idle").as_deref());
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
        Some(None) => view! { <Enrol enrolled=enrolled /> }.into_any(),
        Some(Some(e)) => view! { <Kiosk enrolment=e idle_ms=idle_ms left=left /> }.into_any(),
    }
}

/// The one-time enrolment: code (and a name for the fleet list) → device token.
#[component]
fn Enrol(enrolled: Callback<Enrolment>) -> impl IntoView {
    let i18n = use_i18n();
    let code = RwSignal::new(String::new());
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
                        load_point(point).await;
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

/// Which kiosk screen is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Screen {
    Attract,
    Survey,
    Pin,
    Panel,
}

/// The enrolled kiosk: attract screen, questionnaire, PIN gate, operator panel.
#[component]
fn Kiosk(enrolment: Enrolment, idle_ms: u32, left: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let enrolment = RwSignal::new(enrolment);
    let screen = RwSignal::new(Screen::Attract);
    // The point's questionnaire; `None` until the operator picks a point.
    let load = RwSignal::new(None::<Load>);
    let reload = move || match enrolment.with_untracked(|e| e.point.clone()) {
        None => load.set(None),
        Some(code) => {
            load.set(Some(Load::Loading));
            spawn_local(async move {
                let _ = load.try_set(Some(load_point(&code).await));
            });
        }
    };
    reload();

    // Idle reset: any screen but the attract screen returns to it after `idle_ms` without a
    // touch or a key; the draft goes with the unmounted questionnaire.
    let idle = StoredValue::new(None::<i32>);
    let disarm = move || {
        if let Some(timer) = idle.try_update_value(Option::take).flatten() {
            browser::clear_timeout(timer);
        }
    };
    let arm = move || {
        disarm();
        let timer = browser::set_timeout(idle_ms, move || {
            let _ = screen.try_set(Screen::Attract);
        });
        idle.set_value(timer);
    };
    Effect::new(move |_| {
        if screen.get() == Screen::Attract {
            disarm();
        } else {
            arm();
        }
    });
    on_cleanup(disarm);

    // Remember when an upload last got receipts, for the operator.
    Effect::new(move |_| {
        if sync.last_run().delivered.is_empty() {
            return;
        }
        spawn_local(async move {
            let now = browser::now_ms();
            match device::update(|e| e.last_sync_ms = Some(now)).await {
                Ok(e) => {
                    let _ = enrolment.try_set(e);
                }
                Err(e) => warn!("cannot record the sync time: {e}"),
            }
        });
    });

    let last_saved = StoredValue::new(None::<f64>);
    let saved = Callback::new(move |()| {
        last_saved.set_value(Some(browser::now_ms()));
        // THANKS_MS < REPEAT_GUARD_MS: this fires before the next questionnaire can start.
        browser::set_timeout(kiosk::THANKS_MS, move || {
            if screen.try_get_untracked() == Some(Screen::Survey) {
                screen.set(Screen::Attract);
            }
        });
    });
    let wait_hint = RwSignal::new(false);
    let start = move || {
        if kiosk::start_allowed(last_saved.get_value(), browser::now_ms()) {
            wait_hint.set(false);
            screen.set(Screen::Survey);
        } else {
            wait_hint.set(true);
        }
    };

    let attract = move || {
        let t = i18n.t();
        browser::set_document_title(t.kiosk.kiosk_title);
        let ready = move || matches!(load.get(), Some(Load::Ready(_)));
        view! {
            <section class="kiosk-attract">
                {move || match load.get() {
                    Some(Load::Ready(info)) => view! {
                        <h1 class="survey-title">{info.questionnaire.title.clone()}</h1>
                        <p class="org-name">{info.org.name.clone()}</p>
                        <p>{t.kiosk.kiosk_invite}</p>
                    }.into_any(),
                    other => {
                        let text: Text = match other {
                            None => |t| t.kiosk.kiosk_no_point,
                            Some(Load::Loading) => |t| t.loading,
                            Some(Load::NotFound) => |t| t.point_not_found,
                            Some(Load::Offline) => |t| t.load_offline,
                            _ => |t| t.load_failed,
                        };
                        let retry = matches!(other, Some(Load::Offline | Load::Failed));
                        view! {
                            <h1>{t.kiosk.kiosk_title}</h1>
                            <p class="notice">{text(t)}</p>
                            {retry.then(|| view! {
                                <button type="button" class="button secondary" on:click=move |_| reload()>
                                    {t.retry}
                                </button>
                            })}
                        }.into_any()
                    }
                }}
                <button
                    type="button"
                    class="button primary kiosk-start"
                    disabled=move || !ready()
                    on:click=move |_| start()
                >
                    {t.kiosk.kiosk_start}
                </button>
                <p class="hint" aria-live="polite">
                    {move || wait_hint.get().then_some(t.kiosk.kiosk_wait)}
                </p>
                <button type="button" class="button secondary kiosk-operator" on:click=move |_| screen.set(Screen::Pin)>
                    {t.kiosk.operator}
                </button>
            </section>
        }
    };

    let to_attract = Callback::new(move |()| screen.set(Screen::Attract));
    let opened = Callback::new(move |()| screen.set(Screen::Panel));
    let point_changed = Callback::new(move |()| reload());
    let current = move || match screen.get() {
        Screen::Attract => attract().into_any(),
        Screen::Survey => match load.get_untracked() {
            Some(Load::Ready(info)) => {
                view! { <Survey info=*info mode=Mode::Kiosk { saved } /> }.into_any()
            }
            _ => attract().into_any(),
        },
        Screen::Pin => {
            view! { <PinGate enrolment=enrolment opened=opened cancelled=to_attract /> }.into_any()
        }
        Screen::Panel => view! {
            <OperatorPanel
                enrolment=enrolment
                load=load
                closed=to_attract
                left=left
                point_changed=point_changed
            />
        }
        .into_any(),
    };
    // Every touch or key press on a screen restarts the idle timer.
    let activity = move || {
        if screen.get_untracked() != Screen::Attract {
            arm();
        }
    };
    view! {
        <div
            class="kiosk"
            on:pointerdown=move |_| activity()
            on:keydown=move |_| activity()
            on:input=move |_| activity()
        >
            {current}
        </div>
    }
}

/// The operator PIN, checked offline against the hash from enrolment.
#[component]
fn PinGate(
    enrolment: RwSignal<Enrolment>,
    opened: Callback<()>,
    cancelled: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let pin = RwSignal::new(String::new());
    let wrong = RwSignal::new(false);
    let check = move || {
        let right = enrolment.with_untracked(|e| {
            pin.with_untracked(|p| kiosk::pin_matches(&e.device, p, &e.pin_hash))
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

/// The operator panel: queue and storage status, refused answers, export and import of the
/// queue, a staff sign-in for imported queues, the point, and leaving kiosk mode.
#[component]
fn OperatorPanel(
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
            if !matches!(load_point(&code).await, Load::Ready(_)) {
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
                    .filter(|item| item.response.device.as_ref() == Some(&e.device))
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
                        let seq = r.response.seq.map(|s| format!(" · seq {s}")).unwrap_or_default();
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

/// A kiosk form: submitting it (button or Enter) runs `on_submit`, never a page load.
#[component]
fn KioskForm(on_submit: Callback<()>, children: Children) -> impl IntoView {
    view! {
        <form
            class="kiosk-form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                on_submit.run(());
            }
        >
            {children()}
        </form>
    }
}

/// A labelled field of a kiosk form: the label wraps its input, which names it.
#[component]
fn Field(label: &'static str, children: Children) -> impl IntoView {
    view! {
        <label class="kiosk-field">
            <span class="comment-label">{label}</span>
            {children()}
        </label>
    }
}
