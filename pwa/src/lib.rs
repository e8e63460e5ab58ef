//! Otklik's PWA: a Leptos client-side app that shows a survey point's questionnaire, keeps
//! every response in an IndexedDB outbox until the server receipts it, and works on a cheap
//! phone on weak mobile data; built also as the kiosk and as the officials' dashboard.
//!
//! # Layout
//! From the routes down: a module imports from its own group and the groups below it, never
//! from one above, and no page imports another.
//! - [`App`] — contexts, the header and the routes; which bundle a build is (below).
//! - `pages` — one thin component per route: it reads the address and runs a flow.
//!   `/q/:code` (the survey), `/kiosk` (kiosk bundle), `/dashboard` and
//!   `/dashboard/:section` (dashboard bundle), and the fallback.
//! - Flows, which own screens and their state:
//!   - `survey` — the questionnaire, one question per screen, the save and the thanks screen;
//!     `survey::PointLoader` opens the point first. The citizen page and the kiosk both run it.
//!   - `kiosk` (kiosk bundle) — enrolment, attract screen, PIN gate, operator panel, the
//!     session that switches between them, and `kiosk::rules` (PIN check, repeated-tap
//!     filter, idle timeout, the exported queue's format; pure).
//!   - `dashboard` (dashboard bundle) — the officials' sign-in (token in `sessionStorage`),
//!     the «Структура» org tree with search, the overview of an org and quarter (cards,
//!     channels), the «Рейтинг» of the institutions below it (tied groups, forest plot), the
//!     «Скачать XLSX/CSV» exports of the view, an institution's НОК figures with the
//!     checklist form, the masked comments feed, «Точки опроса» (points, QR codes, posters,
//!     adding a point), «Планшеты» (the kiosk fleet, revocation, enrolment codes), «Ввод
//!     анкет» (operators key in paper and phone questionnaires into the outbox), «Управление»
//!     (orgs added, corrected and imported from CSV; staff accounts added and disabled), and
//!     the sections a role may open; its pure parts (`address`, `period`, `tree`, `figures`,
//!     `format`, `sections`, `ranking_order`, `nok::checklist`, `fleet_rules`, `entry::keys`,
//!     `manage::rules`) are tested on the host.
//! - Services, which the flows call and which know no screen:
//!   - `points` — opening a point: cached copy first, network otherwise, siblings prefetched.
//!   - `submit` — saving a finished response: the outbox (numbered on a kiosk; with its batch
//!     label when keyed in on the dashboard), or straight to the server when storage is
//!     unavailable.
//!   - `sync` — uploads the outbox with per-item receipts and backoff; `sync::policy` is the
//!     pure decision table, `sync::credentials` which token sends which response (a kiosk's
//!     device token; a staff token, the dashboard session's held in memory, for imported
//!     queues and keyed-in questionnaires).
//!   - `update` — the service worker: registration, update checks, switching versions only
//!     when nobody is mid-questionnaire.
//! - Ground floor, importing none of the above:
//!   - `storage` — IndexedDB: the outbox, the dead-letter store, the cache of points, the
//!     kiosk enrolment and its sequence numbers.
//!   - `api` — the typed HTTP client (reads, and in the dashboard bundle the officials'
//!     writes with a JSON or file body); `browser` — thin wrappers over browser APIs.
//!   - `draft` — the answers in progress: reachability, readiness, the response to queue (pure).
//!   - `handoff` — takes over the point and the first answer from the server-rendered page of
//!     a first visit, so a respondent on slow data can answer before the app has loaded.
//!   - `components` — presentational pieces: question controls, the comment box, the language
//!     switch.
//!   - `charts` (dashboard bundle) — the officials' SVG charts (trend with its interval band,
//!     4-point stacked bars, NPS distribution), each with a «Таблица» table of the same
//!     numbers; plain data in, nothing fetched; `charts::geometry` and `charts::format` pure.
//!   - `numbers` (dashboard bundle) — how figures are written: decimal comma, minus sign,
//!     grouped thousands, intervals (pure; the one place a value is changed for reading).
//!   - `i18n` — every interface string, Russian (the contract's names) and English; the
//!     kiosk's and the dashboard's own tables only in their bundles.
//!
//! # Bundles
//! One crate, one bundle per set of cargo features: `scripts/build-pwa.sh` compiles the crate
//! once per bundle into hashed files in `pwa/dist` (which the server embeds), and the boot
//! script (`pwa/tools/postbuild.mjs`) picks one by path. Code only some bundles need sits
//! behind a feature, so no other bundle downloads it; the routes only they have are in this
//! file (`BundleRoutes`), the one place that says what a build serves.
//! - **citizen** (`citizen`, the default): `/q/…` and the fallback. Its first visit on mobile
//!   data must stay within a size budget, so it has neither a `/kiosk` nor a `/dashboard`
//!   route.
//! - **kiosk** (`kiosk`, which includes `citizen`): the same plus `/kiosk`, the `kiosk` flow,
//!   the kiosk's strings and its storage writes (`storage::device`'s `write`); loaded for
//!   paths under `/kiosk`.
//! - **dashboard**, **nsi** and **desk** (`dashboard`, `nsi`, `desk`, each with the
//!   `officials` frame and without `citizen`): `/dashboard` and `/dashboard/<section>`, the
//!   `dashboard` flow, its strings, the authenticated calls in `api` and the `sessionStorage`
//!   wrappers in `browser`. The results sections are in the dashboard bundle (no sync engine:
//!   it keys nothing in), НСИ and the comment loop in the nsi bundle, the operators' work in
//!   the desk bundle (`dashboard::sections` says which); all three share a stylesheet
//!   (`assets/dashboard.css`) and are never precached by the service worker. `/q/…` in them loads the page afresh for the citizen bundle
//!   (`pages::citizen_elsewhere`).
//!
//! A further bundle plugs in the same way: a feature; its flow in a module declared behind
//! it over the same ground floor (`api`, `browser`, `i18n`, `components`); its routes in
//! `BundleRoutes` here; a `bundle <name> --features <name>` line in
//! `scripts/build-pwa.sh`; and its path rule in postbuild's boot script (and, if it must work
//! offline, in the service worker's template, as the kiosk's).
#![forbid(unsafe_code)]
// The officials' three bundles are built from a subset of the crate: the citizen's and the
// other officials' bundles' code they share modules with is compiled into them but never linked
// (LTO drops it), so dead code is not judged there. It is judged where everything is built:
// the citizen, kiosk and all-features builds of scripts/test.sh.
#![cfg_attr(not(feature = "citizen"), allow(dead_code))]

mod api;
mod browser;
#[cfg(feature = "dashboard")]
mod charts;
mod components;
#[cfg(feature = "officials")]
mod dashboard;
mod draft;
#[cfg(feature = "citizen")]
mod handoff;
mod i18n;
#[cfg(feature = "kiosk")]
mod kiosk;
#[cfg(feature = "officials")]
mod numbers;
mod pages;
mod points;
mod storage;
mod submit;
#[cfg(feature = "citizen")]
mod survey;
mod sync;
mod update;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use components::lang_switch::LangSwitch;
#[cfg(not(feature = "citizen"))]
use pages::citizen_elsewhere::CitizenElsewherePage as SurveyPage;
use pages::not_found::NotFoundPage;
#[cfg(feature = "citizen")]
use pages::survey::SurveyPage;

/// The whole app. Mount it with `mount_to_body` (which also starts the task executor that the
/// sync engine needs).
#[component]
pub fn App() -> impl IntoView {
    i18n::provide_i18n_context();
    // The officials' results bundle keys nothing in, so it has no outbox to upload.
    #[cfg(any(feature = "citizen", feature = "desk"))]
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
                    <BundleRoutes />
                </Routes>
            </main>
        </Router>
    }
}

/// The routes only some bundles have: `/kiosk` in the kiosk bundle, `/dashboard` in the
/// dashboard bundle, none in the citizen bundle (the boot script never starts it there, and
/// citizens must not download kiosk mode or the dashboard: those paths fall through to the
/// not-found page). One component for all of them because leptos_router's empty route set
/// `()` matches every path, so an empty one must come last and alone.
#[component(transparent)]
fn BundleRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    #[cfg(all(feature = "kiosk", feature = "officials"))]
    let routes = view! {
        <Route path=path!("/kiosk") view=pages::kiosk::KioskPage />
        <Route path=path!("/dashboard") view=pages::dashboard::DashboardPage />
        <Route path=path!("/dashboard/:section") view=pages::dashboard::DashboardPage />
    };
    #[cfg(all(feature = "kiosk", not(feature = "officials")))]
    let routes = view! { <Route path=path!("/kiosk") view=pages::kiosk::KioskPage /> };
    #[cfg(all(feature = "officials", not(feature = "kiosk")))]
    let routes = view! {
        <Route path=path!("/dashboard") view=pages::dashboard::DashboardPage />
        <Route path=path!("/dashboard/:section") view=pages::dashboard::DashboardPage />
    };
    #[cfg(any(feature = "kiosk", feature = "officials"))]
    return routes.into_inner();
}
