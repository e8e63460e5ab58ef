//! One component per route, kept thin: it reads the address and runs a flow (`survey`,
//! `kiosk`, `dashboard`). No page imports another; what two routes share is a flow or a
//! service.

#[cfg(not(feature = "citizen"))]
pub mod citizen_elsewhere;
#[cfg(feature = "officials")]
pub mod dashboard;
#[cfg(feature = "kiosk")]
pub mod kiosk;
pub mod not_found;
#[cfg(feature = "citizen")]
pub mod survey;
