//! One component per route, kept thin: it reads the address and runs a flow (`survey`,
//! `kiosk`). No page imports another; what two routes share is a flow or a service.

pub mod coming_soon;
#[cfg(feature = "kiosk")]
pub mod kiosk;
pub mod not_found;
pub mod survey;
