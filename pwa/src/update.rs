//! The service worker's life cycle as the page drives it: registration, update checks, and
//! switching to a new version only at a moment when nobody loses anything.
//!
//! A new deploy gives a byte-different `/sw.js`, which the browser installs next to the running
//! one and leaves *waiting* (the worker never calls `skipWaiting()` by itself). The old worker
//! keeps serving the old files, so a page never mixes old HTML with new wasm. This module
//! decides when the waiting worker takes over:
//!
//! - [`Moment::Idle`] (nothing entered yet: a questionnaire's first screen, the kiosk's attract
//!   screen, any page without a questionnaire): activate it and reload at once — the respondent
//!   sees question 1 again, as before.
//! - [`Moment::Done`] (the «Спасибо» screen, once its delivery attempt has settled): activate
//!   it, but keep the page as it is (its code is already in memory), so the thanks and the
//!   delivery status stay on screen; the reload happens at the next `Idle` moment, or the next
//!   visit simply starts on the new version.
//! - [`Moment::Busy`] (mid-questionnaire, or thanked while the answer is still being sent):
//!   wait.
//!
//! Why not switch while the answer is being sent: browsers stop an idle worker after about
//! 30 s, so after a questionnaire the old worker is usually stopped, and the delivery request
//! (a fetch event) starts it again. Chromium defers a `skipWaiting()` that arrives while the
//! old worker is *starting* until that worker times out idle (30 s; 5 min with DevTools
//! attached), whereas one that arrives while it *runs* has it stopped at once. Once the
//! attempt has settled the old worker runs (or was stopped again), so the switch is immediate.
//!
//! Nothing the respondent cares about lives in the worker's caches: the outbox and the cached
//! points are in IndexedDB, which an update neither clears nor migrates away (the worker deletes
//! only its own `otklik-shell-*` caches, and only once the new one is active).
//!
//! Checks: the browser re-checks `/sw.js` on navigations; a page that stays open for days (a
//! kiosk, a forgotten tab) checks on start and every [`CHECK_EVERY_MS`].

use std::cell::{Cell, RefCell};

use leptos::logging::warn;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};

/// How often an open page asks the server for a new `/sw.js`.
const CHECK_EVERY_MS: i32 = 30 * 60_000;

/// Whether switching versions now would cost the person on the page anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Moment {
    /// Nothing entered: a reload costs nothing.
    #[default]
    Idle,
    /// Answers in progress, or the thanked answer still being sent: never switch.
    Busy,
    /// The answer is safe and thanked, and its delivery attempt settled (sent, queued or
    /// refused): switch, but do not reload the thanks away.
    Done,
}

/// What the page knows about its workers. One per page (the wasm runs on one thread).
#[derive(Default)]
struct State {
    moment: Cell<Moment>,
    registration: RefCell<Option<ServiceWorkerRegistration>>,
    /// The page was controlled by a worker, so a controller change is an update (and not the
    /// first install claiming the page).
    controlled: Cell<bool>,
    /// `SKIP_WAITING` was posted; not again until the switch happened.
    activating: Cell<bool>,
    /// A new worker controls the page, which still runs the old code: reload when `Idle`.
    stale: Cell<bool>,
}

thread_local! {
    static STATE: State = State::default();
}

/// Tells the update flow where the person on the page is; pages with a questionnaire call it
/// as they change phase, and reset it to [`Moment::Idle`] when they go away.
pub fn set_moment(moment: Moment) {
    STATE.with(|s| s.moment.set(moment));
    consider();
}

/// Registers `/sw.js` (scope `/`) and starts watching for updates. Where service workers are
/// missing (plain HTTP, some embedded browsers) the app still works, only not offline.
pub fn start() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    if !crate::browser::has(&navigator, "serviceWorker") {
        return;
    }
    let container = navigator.service_worker();
    let was_controlled = container.controller().is_some();
    STATE.with(|s| s.controlled.set(was_controlled));
    listen(&container, "controllerchange", |_| {
        STATE.with(|s| {
            // A change while controlled is a new version taking over (posted by this page or
            // by another tab); the first install claiming a fresh page is not.
            if s.controlled.replace(true) {
                s.stale.set(true);
            }
            s.activating.set(false);
        });
        consider();
    });
    let registering = container.register("/sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        let registration = match JsFuture::from(registering).await {
            Ok(r) => r.unchecked_into::<ServiceWorkerRegistration>(),
            Err(e) => {
                warn!("service worker registration failed: {e:?}");
                return;
            }
        };
        listen(&registration, "updatefound", |_| watch_installing());
        STATE.with(|s| *s.registration.borrow_mut() = Some(registration));
        // A worker may already be waiting (installed during an earlier visit).
        watch_installing();
        consider();
        // A first visit has just installed the current version: no need to ask again.
        if was_controlled {
            check();
        }
        let every = Closure::<dyn FnMut()>::new(check);
        if window
            .set_interval_with_callback_and_timeout_and_arguments_0(
                every.as_ref().unchecked_ref(),
                CHECK_EVERY_MS,
            )
            .is_ok()
        {
            every.forget();
        }
    });
}

/// Asks the server whether `/sw.js` changed. Offline this simply fails; the next check retries.
fn check() {
    let Some(update) = STATE.with(|s| {
        s.registration
            .borrow()
            .as_ref()
            .and_then(|r| r.update().ok())
    }) else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let _ = JsFuture::from(update).await;
    });
}

/// Re-considers once the worker being installed finishes installing (it is then `waiting`).
fn watch_installing() {
    let installing = STATE.with(|s| s.registration.borrow().as_ref()?.installing());
    if let Some(worker) = installing {
        listen(&worker, "statechange", |_| consider());
    }
}

/// What the page does about versions now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    /// Nothing (yet).
    Wait,
    /// Tell the waiting worker to take over.
    Activate,
    /// Reload onto the worker that took over.
    Reload,
}

/// The rule of this module (see the top), pure: `stale` — a new worker controls the page,
/// which still runs the old code; `waiting` — a new worker is installed and waits (and no
/// `SKIP_WAITING` was posted to it yet).
fn decide(moment: Moment, stale: bool, waiting: bool) -> Action {
    match (moment, stale, waiting) {
        (Moment::Idle, true, _) => Action::Reload,
        (_, true, _) | (Moment::Busy, _, _) | (_, _, false) => Action::Wait,
        (Moment::Idle | Moment::Done, false, true) => Action::Activate,
    }
}

/// Applies [`decide`] to the page's state.
fn consider() {
    let (moment, stale) = STATE.with(|s| (s.moment.get(), s.stale.get()));
    let waiting: Option<ServiceWorker> = STATE.with(|s| {
        if s.activating.get() {
            return None;
        }
        s.registration.borrow().as_ref()?.waiting()
    });
    let waiting = waiting.filter(|w| w.state() == ServiceWorkerState::Installed);
    match decide(moment, stale, waiting.is_some()) {
        Action::Wait => {}
        Action::Reload => {
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
            }
        }
        Action::Activate => {
            let Some(worker) = waiting else { return };
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&message, &"type".into(), &"SKIP_WAITING".into());
            if worker.post_message(&message).is_ok() {
                STATE.with(|s| s.activating.set(true));
            }
        }
    }
}

/// Adds a listener for the page's lifetime (the closure is leaked once, on purpose).
fn listen(target: &web_sys::EventTarget, event: &str, f: impl FnMut(JsValue) + 'static) {
    let closure = Closure::<dyn FnMut(JsValue)>::new(f);
    if target
        .add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())
        .is_ok()
    {
        closure.forget();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_switches_mid_questionnaire() {
        for stale in [false, true] {
            for waiting in [false, true] {
                assert_eq!(decide(Moment::Busy, stale, waiting), Action::Wait);
            }
        }
    }

    #[test]
    fn activates_before_the_first_answer_and_on_thanks() {
        assert_eq!(decide(Moment::Idle, false, true), Action::Activate);
        assert_eq!(decide(Moment::Done, false, true), Action::Activate);
        assert_eq!(decide(Moment::Idle, false, false), Action::Wait);
    }

    #[test]
    fn reloads_old_code_only_when_idle() {
        assert_eq!(decide(Moment::Idle, true, false), Action::Reload);
        assert_eq!(decide(Moment::Done, true, false), Action::Wait);
        assert_eq!(decide(Moment::Done, true, true), Action::Wait);
    }
}
