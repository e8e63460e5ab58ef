//! Takes over what the server rendered into the page on a first network visit to `/q/<point>`
//! (`server/src/routes/survey_page.rs`): the point, embedded as JSON, so the app needs no API
//! round trip; and the first question, which the respondent may already have answered — and
//! even left with «Далее» — while the app was still downloading on slow mobile data. Nothing
//! they did there is lost: the checked option and the comment become the draft's first entry.

use otklik_shared::api::PointInfo;
use serde_json::Value;
use wasm_bindgen::JsValue;

use crate::draft::Entry;

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// The point embedded in the page, if it is `code`'s. Removed from the page once read, so a
/// later visit to another point inside the app cannot pick it up.
pub fn embedded_point(code: &str) -> Option<PointInfo> {
    let element = document()?.get_element_by_id("point-data")?;
    let text = element.text_content();
    element.remove();
    let info: PointInfo = serde_json::from_str(&text?).ok()?;
    (info.point.code == code).then_some(info)
}

/// What the respondent did on the rendered first question.
#[derive(Debug, Clone, Default)]
pub struct Handoff {
    /// Their answer to the first question: the option picked (its wire value) and the comment.
    pub entry: Entry,
    /// «Далее» was pressed: go on as soon as the app has checked the answer.
    pub advance: bool,
    /// Where the keyboard focus was: keyboard and screen-reader users keep their place.
    pub focus: Focus,
}

/// Where in the rendered question the keyboard focus was.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Focus {
    /// Elsewhere (or nowhere).
    #[default]
    Outside,
    /// On an option or the buttons.
    Question,
    /// In the comment box.
    Comment,
}

/// Removes the rendered question from the page and returns what was done on it, if it was
/// `code`'s. Called as the survey first renders, in the same task as the app mounts, so the
/// browser never paints both.
pub fn take(code: &str) -> Option<Handoff> {
    let document = document()?;
    let root = document.get_element_by_id("prerender")?;
    let focus = match document.active_element() {
        Some(active) if root.contains(Some(&active)) => {
            if active.tag_name().eq_ignore_ascii_case("textarea") {
                Focus::Comment
            } else {
                Focus::Question
            }
        }
        _ => Focus::Outside,
    };
    let value = root
        .query_selector("input:checked")
        .ok()
        .flatten()
        .and_then(|input| input.get_attribute("value"))
        .and_then(|wire| serde_json::from_str::<Value>(&wire).ok());
    let comment = root
        .query_selector("textarea")
        .ok()
        .flatten()
        .and_then(|area| js_sys::Reflect::get(&area, &JsValue::from_str("value")).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    let advance = root
        .query_selector("form[data-advance]")
        .ok()
        .flatten()
        .is_some();
    let mine = root.get_attribute("data-point").as_deref() == Some(code);
    root.remove();
    mine.then(|| Handoff {
        entry: Entry {
            value,
            input: String::new(),
            comment,
        },
        advance,
        focus,
    })
}
