//! A number question: a text box with a numeric keyboard, its range stated up front.
//!
//! `type="text"` with `inputmode` rather than `type="number"`: the respondent's own text stays
//! readable (a decimal comma, a stray letter) so we can say what is wrong instead of the browser
//! silently reporting an empty value.

use leptos::prelude::*;
use otklik_shared::answer::AnswerValue;

use crate::i18n::{fill, use_i18n};

/// Formats a bound as the wire does (`14`, not `14.0`). Going through the wire form rather than
/// `f64`'s `Display` keeps the standard library's float formatter out of the bundle.
fn bound(v: Option<f64>) -> String {
    v.map_or_else(
        || String::from("…"),
        |v| AnswerValue::Number(v).to_wire().to_string(),
    )
}

/// A number question.
#[component]
pub fn NumberField(
    /// The question id, prefix of element ids.
    qid: String,
    /// The question text: the field's label.
    label: String,
    /// Lowest allowed value.
    min: Option<f64>,
    /// Highest allowed value.
    max: Option<f64>,
    /// Whole numbers only (numeric keyboard without a decimal separator).
    integer: bool,
    /// What was typed before (shown again after «Назад»).
    initial: String,
    /// Whether the current text is not a valid answer.
    #[prop(into)]
    invalid: Signal<bool>,
    /// Called with the text on every change.
    #[prop(into)]
    on_input: Callback<String>,
) -> impl IntoView {
    let t = use_i18n().t();
    let (min, max) = (bound(min), bound(max));
    let range = [("min", min.as_str()), ("max", max.as_str())];
    let hint = fill(t.number_range, &range);
    let error = fill(t.number_invalid, &range);
    let hint_id = format!("{qid}-hint");
    let error_id = format!("{qid}-error");
    // The error is read with the field (not announced on every keystroke while typing).
    let described_by = format!("{hint_id} {error_id}");
    view! {
        <div class="question">
            <label class="question-text" for=qid.clone()>{label}</label>
            <p class="hint" id=hint_id.clone()>{hint}</p>
            <input
                class="field"
                id=qid
                type="text"
                inputmode=if integer { "numeric" } else { "decimal" }
                autocomplete="off"
                aria-describedby=described_by
                aria-invalid=move || if invalid.get() { "true" } else { "false" }
                prop:value=initial
                on:input=move |ev| on_input.run(event_target_value(&ev))
            />
            <p class="error" id=error_id>{move || invalid.get().then(|| error.clone())}</p>
        </div>
    }
}
