//! The enrolled kiosk at work: which screen is up (attract, questionnaire, PIN gate, operator
//! panel), the idle reset, the repeated-tap guard and the time of the last upload.

use leptos::logging::warn;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::attract::Attract;
use super::operator_panel::OperatorPanel;
use super::pin_gate::PinGate;
use super::rules;
use crate::browser;
use crate::points::{self, Load};
use crate::storage::device::{self, Enrolment};
use crate::survey::{Mode, Survey};
use crate::sync::use_sync;

/// Which kiosk screen is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Screen {
    Attract,
    Survey,
    Pin,
    Panel,
}

/// The kiosk for `enrolment`; `left` runs once the operator has ended kiosk mode.
#[component]
pub fn Session(enrolment: Enrolment, idle_ms: u32, left: Callback<()>) -> impl IntoView {
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
                let _ = load.try_set(Some(points::load(&code).await));
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
        browser::set_timeout(rules::THANKS_MS, move || {
            if screen.try_get_untracked() == Some(Screen::Survey) {
                screen.set(Screen::Attract);
            }
        });
    });
    let wait_hint = RwSignal::new(false);
    let start = Callback::new(move |()| {
        if rules::start_allowed(last_saved.get_value(), browser::now_ms()) {
            wait_hint.set(false);
            screen.set(Screen::Survey);
        } else {
            wait_hint.set(true);
        }
    });

    let to_attract = Callback::new(move |()| screen.set(Screen::Attract));
    let to_pin = Callback::new(move |()| screen.set(Screen::Pin));
    let opened = Callback::new(move |()| screen.set(Screen::Panel));
    let point_changed = Callback::new(move |()| reload());
    let attract = move || {
        view! {
            <Attract load=load wait_hint=wait_hint start=start retry=point_changed operator=to_pin />
        }
    };
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
