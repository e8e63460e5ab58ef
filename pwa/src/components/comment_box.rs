//! The comment box a negative answer opens («Расскажите, что было не так?»): an invitation,
//! never a requirement.

use leptos::prelude::*;
use otklik_shared::questionnaire::MAX_TEXT_LEN;

/// The comment box.
#[component]
pub fn CommentBox(
    /// The question id, prefix of the element id.
    qid: String,
    /// The box's label (the questionnaire's prompt).
    prompt: String,
    /// What was typed before.
    initial: String,
    /// Called with the text on every change.
    #[prop(into)]
    on_input: Callback<String>,
) -> impl IntoView {
    let id = format!("{qid}-comment");
    view! {
        <div class="comment">
            <label class="comment-label" for=id.clone()>{prompt}</label>
            <textarea
                class="field"
                id=id
                rows="4"
                maxlength=MAX_TEXT_LEN.to_string()
                prop:value=initial
                on:input=move |ev| on_input.run(event_target_value(&ev))
            ></textarea>
        </div>
    }
}
