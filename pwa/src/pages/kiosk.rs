//! `/kiosk` (kiosk bundle only): reads the idle timeout (`?idle=SECONDS`, default 60 s) and
//! an enrolment code (`?code=…`, what the dashboard's enrolment QR encodes) from the address
//! and runs kiosk mode (`kiosk`) with them.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::kiosk::{rules, Kiosk};

/// The page.
#[component]
pub fn KioskPage() -> impl IntoView {
    let query = use_query_map().read_untracked();
    let idle_ms = rules::idle_timeout_ms(query.get("idle").as_deref());
    let code = query.get("code").unwrap_or_default();
    view! { <Kiosk idle_ms=idle_ms code=code /> }
}
