//! Otklik's citizen PWA: a Leptos client-side app that shows a survey point's questionnaire,
//! keeps every response in an IndexedDB outbox until the server receipts it, and works on a
//! cheap phone on weak mobile data.
//!
//! # Layout
//! - [`App`] — contexts, the header and the routes.
//! - `pages` — one component per route: `/q/:code` (the survey), `/kiosk` (the same survey on
//!   an enrolled tablet), `/dashboard` (not built yet; it says so), and the fallback.
//! - `kiosk` — kiosk mode's pure rules: PIN check, repeated-tap filter, idle timeout, the
//!   exported queue's format.
//! - `components` — presentational pieces: question controls, the comment box, the language
//!   switch.
//! - `draft` — the answers in progress: reachability, readiness, the response to queue (pure).
//! - `storage` — IndexedDB: the outbox, the dead-letter store, the cache of points, the kiosk
//!   enrolment and its sequence numbers.
//! - `sync` — uploads the outbox with per-item receipts and backoff; `sync::policy` is the
//!   pure decision table, `sync::credentials` which token sends which response.
//! - `handoff` — takes over the point and the first answer from the server-rendered page of a
//!   first visit, so a respondent on slow data can answer before the app has loaded.
//! - `api` — the typed HTTP client; `browser` — thin wrappers over browser APIs.
//! - `update` — the service worker: registration, update checks, switching versions only
//!   when nobody is mid-questionnaire.
//! - `i18n` — every interface string, Russian (the contract's names) and English.
//!
//! # Two bundles
//! Kiosk mode is compiled only with the `kiosk` feature: `pages::kiosk`, `kiosk`, and the
//! kiosk's storage writes. The build (`scripts/build-pwa.sh`) compiles the crate twice into
//! two sets of hashed files in `pwa/dist`, which the server embeds: the citizen bundle, whose
//! first visit on mobile data must stay within its size budget and which therefore has no
//! `/kiosk` route at all, and the kiosk bundle, which the boot script loads instead for paths
//! under `/kiosk`. Everything else is the same code in both.
#![forbid(unsafe_code)]

mod api;
mod browser;
mod components;
mod draft;
mod handoff;
mod i18n;
#[cfg(feature = "kiosk")]
mod kiosk;
mod pages;
mod storage;
mod sync;
mod update;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use components::lang_switch::LangSwitch;
use pages::coming_soon::DashboardPage;
use pages::not_found::NotFoundPage;
use pages::survey::SurveyPage;

/// The whole app. Mount it with `mount_to_body` (which also starts the task executor that the
/// sync engine needs).
#[component]
pub fn App() -> impl IntoView {
    i18n::provide_i18n_context();
    sync::provide_sync_context();
    update::start();
    let i18n = i18n::use_i18n();
    view! {
        <Router>
            <header class="topbar">
                <span class="brand">{move || i18n.t().app_name}</span>
                <LangSwitch />
            </header>
            <main class="page">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/q/:code") view=SurveyPage />
                    <Route path=path!("/dashboard") view=DashboardPage />
                    <KioskRoute />
                </Routes>
            </main>
        </Router>
    }
}

/// `/kiosk`, in the kiosk bundle.
#[cfg(feature = "kiosk")]
#[component(transparent)]
fn KioskRoute() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! { <Route path=path!("/kiosk") view=pages::kiosk::KioskPage /> }.into_inner()
}

/// No `/kiosk` in the citizen bundle (it falls through to the not-found page): the boot script
/// never starts this bundle there, and citizens must not download kiosk mode.
#[cfg(not(feature = "kiosk"))]
#[component(transparent)]
fn KioskRoute() -> impl leptos_router::MatchNestedRoutes + Clone {}
