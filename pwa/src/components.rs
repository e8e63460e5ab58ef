//! Presentational components: props in, callbacks out, no storage or network.

pub mod lang_switch;
pub mod number_field;
pub mod question;
pub mod radio_group;
pub mod text_box;
