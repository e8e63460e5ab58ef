//! One component per route.

pub mod coming_soon;
pub mod not_found;
pub mod survey;
