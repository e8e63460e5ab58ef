//! Entry point of the wasm binary: panic messages to the console, then mount the app.
#![forbid(unsafe_code)]

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(otklik_pwa::App);
}
