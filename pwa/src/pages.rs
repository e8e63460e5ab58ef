//! One component per route.

pub mod coming_soon;
#[cfg(feature = "kiosk")]
pub mod kiosk;
pub mod not_found;
pub mod survey;
