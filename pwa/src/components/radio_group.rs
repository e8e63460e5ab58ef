//! A question answered by picking one option: the 4-point scale, NPS, yes/no and choice.
//!
//! Native radios in a `<fieldset>` with the question text as `<legend>`: screen readers announce
//! the group with its question, arrow keys move within it, and tests find the options by name
//! (`contract.md` §7). The inputs stay in the accessibility tree; only their look is replaced
//! by large, high-contrast tap targets.

use leptos::prelude::*;
use serde_json::Value;

/// How the options are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One option per row, full width: scales and choices with words.
    Stack,
    /// All options in one row that wraps when text is enlarged: the 0–10 scale.
    Row,
}

/// One option: its value in wire form and its visible (accessible) name.
pub type Choice = (Value, String);

/// A radio group for one question.
#[component]
pub fn RadioGroup(
    /// The question id: names the radios and prefixes element ids.
    qid: String,
    /// The question text, the group's accessible name.
    legend: String,
    /// A line under the question (NPS: «готовность рекомендовать»).
    subtitle: Option<String>,
    /// The options in display order.
    options: Vec<Choice>,
    /// Layout of the options.
    layout: Layout,
    /// Labels of the two ends of a scale, shown under it and read as the group's description.
    ends: Option<(String, String)>,
    /// The current answer.
    #[prop(into)]
    selected: Signal<Option<Value>>,
    /// Called with the chosen option's value.
    #[prop(into)]
    on_select: Callback<Value>,
) -> impl IntoView {
    let ends_id = format!("{qid}-ends");
    let described_by = ends.as_ref().map(|_| ends_id.clone());
    let class = match layout {
        Layout::Stack => "options options-stack",
        Layout::Row => "options options-row",
    };
    let radios = options
        .into_iter()
        .map(|(value, label)| {
            let mine = value.clone();
            let checked = move || selected.with(|s| s.as_ref() == Some(&mine));
            view! {
                <label class="option">
                    <input
                        type="radio"
                        name=qid.clone()
                        prop:checked=checked
                        on:change=move |_| on_select.run(value.clone())
                    />
                    <span class="option-label">{label}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="question" aria-describedby=described_by>
            <legend class="question-text">{legend}</legend>
            {subtitle.map(|s| view! { <p class="question-subtitle">{s}</p> })}
            <div class=class>{radios}</div>
            {ends.map(|(min, max)| view! {
                <p class="scale-ends" id=ends_id>
                    <span>{min}</span>
                    <span>{max}</span>
                </p>
            })}
        </fieldset>
    }
}
