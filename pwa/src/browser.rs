//! Thin wrappers over the browser APIs the app needs, so the rest of the code reads as Rust.
//!
//! Each wrapper degrades quietly where an API is missing (old browsers, private modes, plain
//! HTTP without a service worker): the survey must still work, only less durably.

use chrono::{DateTime, FixedOffset};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Where the chosen interface language is remembered between visits.
const LANG_KEY: &str = "otklik.lang";

fn window() -> web_sys::Window {
    web_sys::window().expect("the PWA only runs in a browser window")
}

fn local_storage() -> Option<web_sys::Storage> {
    // Throws in some privacy modes; a missing store only means the choice is not remembered.
    window().local_storage().ok().flatten()
}

/// The language tag remembered by [`remember_lang`], if any.
pub fn remembered_lang() -> Option<String> {
    local_storage()?.get_item(LANG_KEY).ok().flatten()
}

/// Remembers the interface language for the next visit.
pub fn remember_lang(tag: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(LANG_KEY, tag);
    }
}

/// The tab's `sessionStorage` (dashboard): missing in some privacy modes, where a reload
/// then signs out.
#[cfg(feature = "officials")]
fn session_storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

/// The value under `key` in the tab's `sessionStorage`.
#[cfg(feature = "officials")]
pub fn session_get(key: &str) -> Option<String> {
    session_storage()?.get_item(key).ok().flatten()
}

/// Keeps `value` under `key` in the tab's `sessionStorage`.
#[cfg(feature = "officials")]
pub fn session_set(key: &str, value: &str) {
    if let Some(storage) = session_storage() {
        let _ = storage.set_item(key, value);
    }
}

/// Removes `key` from the tab's `sessionStorage`.
#[cfg(feature = "officials")]
pub fn session_remove(key: &str) {
    if let Some(storage) = session_storage() {
        let _ = storage.remove_item(key);
    }
}

/// Sets `<html lang>`, which screen readers use to pick a voice.
pub fn set_document_lang(tag: &str) {
    if let Some(root) = window().document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", tag);
    }
}

/// Sets the document title (what a screen reader announces on page change, WCAG 2.4.2).
pub fn set_document_title(title: &str) {
    if let Some(document) = window().document() {
        document.set_title(title);
    }
}

/// Moves the keyboard focus to the element the first matching selector of `selectors` finds.
pub fn focus(selectors: &[&str]) {
    let Some(document) = window().document() else {
        return;
    };
    let found = selectors
        .iter()
        .find_map(|s| document.query_selector(s).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = found {
        let _ = element.focus();
    }
}

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Now, with the device's current UTC offset: `submitted_at` keeps the respondent's local time.
pub fn now_local() -> DateTime<FixedOffset> {
    let date = js_sys::Date::new_0();
    // getTimezoneOffset() is UTC minus local, in minutes (Moscow: -180).
    let east_seconds = (-date.get_timezone_offset() * 60.0) as i32;
    let offset = FixedOffset::east_opt(east_seconds)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset is valid"));
    DateTime::from_timestamp_millis(date.get_time() as i64)
        .unwrap_or_default()
        .with_timezone(&offset)
}

/// A random number in `[0, 1)` for retry jitter (not for anything secret).
pub fn random() -> f64 {
    js_sys::Math::random()
}

/// Runs `f` once after `ms` milliseconds; returns the id for [`clear_timeout`].
pub fn set_timeout(ms: u32, f: impl FnOnce() + 'static) -> Option<i32> {
    let callback = Closure::once_into_js(f);
    window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), ms as i32)
        .ok()
}

/// Cancels a timer started by [`set_timeout`].
pub fn clear_timeout(id: i32) {
    window().clear_timeout_with_handle(id);
}

/// Calls `f` every time the browser reports that the network is back.
pub fn on_online(f: impl FnMut() + 'static) {
    add_listener(window().unchecked_ref(), "online", f);
}

/// Calls `f` every time the page becomes visible again (phone unlocked, tab re-opened).
pub fn on_visible(mut f: impl FnMut() + 'static) {
    let Some(document) = window().document() else {
        return;
    };
    let probe = document.clone();
    add_listener(document.unchecked_ref(), "visibilitychange", move || {
        if probe.visibility_state() == web_sys::VisibilityState::Visible {
            f();
        }
    });
}

/// Listeners added here live as long as the page: the closure is intentionally leaked once.
fn add_listener(target: &web_sys::EventTarget, event: &str, f: impl FnMut() + 'static) {
    let closure = Closure::<dyn FnMut()>::new(f);
    if target
        .add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())
        .is_ok()
    {
        closure.forget();
    }
}

/// Whether `object` has the property `name` (feature detection without panics).
pub fn has(object: &JsValue, name: &str) -> bool {
    js_sys::Reflect::has(object, &JsValue::from_str(name)).unwrap_or(false)
}

/// Asks the browser not to evict our storage under pressure. Best effort: browsers decide by
/// their own rules, and the real guarantee is syncing soon.
pub fn request_persistent_storage() {
    wasm_bindgen_futures::spawn_local(async {
        persist_storage().await;
    });
}

/// Asks for persistent storage and returns the browser's answer (`None` where the API is
/// missing): the kiosk operator sees whether the queue is protected from eviction.
pub async fn persist_storage() -> Option<bool> {
    let navigator = window().navigator();
    if !has(&navigator, "storage") {
        return None;
    }
    let promise = navigator.storage().persist().ok()?;
    JsFuture::from(promise).await.ok()?.as_bool()
}

/// An RFC 3339 instant as the browser writes local dates and times for `lang` (the browser
/// parses the instant too, which costs the bundle no date parser); the text as it came when it
/// does not parse.
#[cfg(feature = "officials")]
pub fn local_time(instant: &str, lang: &str) -> String {
    let ms = js_sys::Date::parse(instant);
    if ms.is_nan() {
        instant.to_owned()
    } else {
        format_time(ms, lang)
    }
}

/// A time (ms since the epoch) as the browser writes dates and times for `lang`.
#[cfg(any(feature = "kiosk", feature = "officials"))]
pub fn format_time(ms: f64, lang: &str) -> String {
    js_sys::Date::new(&JsValue::from_f64(ms))
        .to_locale_string(lang, &JsValue::UNDEFINED)
        .into()
}

/// Offers `text` as a file download named `name` (the queue export).
#[cfg(feature = "kiosk")]
pub fn download(name: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    save_blob(&blob, name)
}

/// Hands `blob` to the browser's download as a file named `name`, through a temporary
/// `<a download>` on an object URL (the kiosk's queue export, the dashboard's exports).
#[cfg(any(feature = "kiosk", feature = "officials"))]
pub fn save_blob(blob: &web_sys::Blob, name: &str) -> Result<(), JsValue> {
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let document = window()
        .document()
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The click has started the download; the URL may go once the event loop moves on.
    set_timeout(0, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    Ok(())
}

/// The text of the first file chosen in the file input that fired `event`.
#[cfg(feature = "kiosk")]
pub async fn chosen_file_text(event: &web_sys::Event) -> Option<String> {
    let input: web_sys::HtmlInputElement = event.target()?.dyn_into().ok()?;
    let file = input.files()?.get(0)?;
    let text = JsFuture::from(file.text()).await.ok()?.as_string();
    // Choosing the same file again must fire `change` again.
    input.set_value("");
    text
}

/// The path of the page's address (`/dashboard/entry`).
#[cfg(feature = "officials")]
pub fn pathname() -> String {
    window().location().pathname().unwrap_or_default()
}

/// Loads `href` in place of the current page (no history entry for the page left), so the
/// boot script starts the bundle that serves it.
#[cfg(feature = "officials")]
pub fn replace_location(href: &str) {
    let _ = window().location().replace(href);
}

/// Loads the page again from its address (a path another bundle serves).
#[cfg(not(feature = "citizen"))]
pub fn reload() {
    let _ = window().location().reload();
}

/// Opens the browser's print dialog (the НСИ report, printed on A4 landscape by the print
/// stylesheet).
#[cfg(feature = "nsi")]
pub fn print() {
    let _ = window().print();
}
