//! `/kiosk` (kiosk bundle only): reads the idle timeout from the address (`?idle=SECONDS`,
//! default 60 s) and runs kiosk mode (`kiosk`) with it.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::kiosk::{rules, Kiosk};

/// The page.
#[component]
pub fn KioskPage() -> impl IntoView {
    let idle_ms = rules::idle_timeout_ms(use_query_map().read_untracked().get("idle").as_deref());
    view! { <Kiosk idle_ms=idle_ms /> }
}
