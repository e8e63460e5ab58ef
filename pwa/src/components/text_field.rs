//! A free-text question: a multi-line box labelled by the question text.

use leptos::prelude::*;
use otklik_shared::questionnaire::MAX_TEXT_LEN;

/// A free-text question.
#[component]
pub fn TextField(
    /// The question id, used as the element id.
    qid: String,
    /// The question text: the box's label.
    label: String,
    /// What was typed before (shown again after «Назад»).
    initial: String,
    /// Called with the text on every change.
    #[prop(into)]
    on_input: Callback<String>,
) -> impl IntoView {
    view! {
        <div class="question">
            <label class="question-text" for=qid.clone()>{label}</label>
            <textarea
                class="field"
                id=qid
                rows="5"
                maxlength=MAX_TEXT_LEN.to_string()
                prop:value=initial
                on:input=move |ev| on_input.run(event_target_value(&ev))
            ></textarea>
        </div>
    }
}
