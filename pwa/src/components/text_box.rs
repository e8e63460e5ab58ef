//! A multi-line text box with its label: the answer to a free-text question, or the comment box
//! a negative answer opens («Расскажите, что было не так?») — an invitation, never a
//! requirement. Both are capped at the server's text limit.

use leptos::prelude::*;
use otklik_shared::questionnaire::MAX_TEXT_LEN;

/// What the box holds; sets its look and size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The answer to a free-text question, labelled by the question text.
    Answer,
    /// The comment on an answer (the server-rendered first question,
    /// `server/src/routes/survey_page.rs`, repeats this markup).
    Comment,
}

/// A labelled text box.
#[component]
pub fn TextBox(
    /// The element id (the question id, or `<question id>-comment`).
    id: String,
    /// The label: the question text, or the comment prompt.
    label: String,
    /// What the box holds.
    purpose: Purpose,
    /// What was typed before (shown again after «Назад»).
    initial: String,
    /// Called with the text on every change.
    #[prop(into)]
    on_input: Callback<String>,
) -> impl IntoView {
    let (class, label_class, rows) = match purpose {
        Purpose::Answer => ("question", "question-text", "5"),
        Purpose::Comment => ("comment", "comment-label", "4"),
    };
    view! {
        <div class=class>
            <label class=label_class for=id.clone()>{label}</label>
            <textarea
                class="field"
                id=id
                rows=rows
                maxlength=MAX_TEXT_LEN.to_string()
                prop:value=initial
                on:input=move |ev| on_input.run(event_target_value(&ev))
            ></textarea>
        </div>
    }
}
