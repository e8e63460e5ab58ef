//! One component per route, kept thin: it reads the address and runs a flow (`survey`,
//! `kiosk`, `dashboard`). No page imports another; what two routes share is a flow or a
//! service.

#[cfg(feature = "dashboard")]
pub mod dashboard;
#[cfg(feature = "kiosk")]
pub mod kiosk;
pub mod not_found;
pub mod survey;
