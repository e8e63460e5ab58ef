//! Durable browser storage: the outbox of unsent responses, the dead-letter list of responses
//! the server refused, the cache of survey points, and the kiosk enrolment.
//!
//! Everything lives in one IndexedDB database whose schema is owned by [`db`]. Records are stored
//! as plain JS objects made from their JSON (wire) form, so what sits in the outbox is exactly
//! what will be uploaded, readable in the browser's developer tools and exportable as it is.
//! The IndexedDB crate stays private to this module so it can be swapped, and nothing here
//! imports the services above it (`sync`, `submit`, `points`): they decide, storage keeps.

mod db;
pub mod device;
pub mod outbox;
pub mod points;

pub use db::StorageError;
