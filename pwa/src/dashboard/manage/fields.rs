//! The form controls «Управление» repeats: a labelled text field and a labelled choice, each
//! bound to a signal, and what a form said after it was sent. One component each keeps the
//! bundle from carrying a copy of the markup per field; their words are plain text (the page
//! is drawn again when the language changes), which keeps reactive closures for what changes.

use leptos::prelude::*;

/// What a form said after it was sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Said {
    /// Nothing yet.
    #[default]
    Nothing,
    /// The request is on its way.
    Sending,
    /// It was done: what to tell the person.
    Done(String),
    /// It was refused: an optional heading and the problems, one per line.
    Refused(Option<&'static str>, Vec<String>),
}

/// One form of the page: a heading, its fields, the submit button and what it said. Every
/// form is this one component with other fields, so the bundle carries its markup once.
#[component]
pub fn ManageForm(
    /// The heading's id, which names the form.
    id: &'static str,
    /// The heading.
    title: String,
    /// The fields, in order.
    fields: Vec<AnyView>,
    /// The submit button's words.
    button: &'static str,
    /// What the form said after it was sent.
    said: RwSignal<Said>,
    /// What the status line says while the request is on its way.
    sending: &'static str,
    /// Sends the form (its default submission is prevented).
    on_submit: Callback<()>,
) -> impl IntoView {
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        on_submit.run(());
    };
    view! {
        <form class="manage-form" aria-labelledby=id on:submit=submit>
            <h3 id=id>{title}</h3>
            {fields}
            <button type="submit" class="button">{button}</button>
            <Feedback said=said sending=sending />
        </form>
    }
    .into_any()
}

/// A label above a text input bound to `value`; `hint` is tied to it as its description.
#[component]
pub fn TextField(
    /// The input's id (unique on the page).
    id: &'static str,
    /// The label.
    label: &'static str,
    /// The text.
    value: RwSignal<String>,
    /// `text` or `password`.
    #[prop(default = "text")]
    kind: &'static str,
    /// Whether the form may not be sent without it.
    #[prop(optional)]
    required: bool,
    /// A hint under the input.
    #[prop(optional)]
    hint: Option<String>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let described = hint.is_some().then(|| hint_id.clone());
    view! {
        <div class="form-row">
            <label for=id>{label}</label>
            <input
                id=id
                type=kind
                class="field"
                autocomplete="off"
                required=required
                aria-describedby=described
                bind:value=value
            />
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
        </div>
    }
    .into_any()
}

/// A label above a select of `options` (`(value, name)`) bound to `value`.
#[component]
pub fn Choice(
    /// The select's id (unique on the page).
    id: &'static str,
    /// The label.
    label: &'static str,
    /// The chosen option's value.
    value: RwSignal<String>,
    /// The options, `(value, name)`.
    options: Vec<(String, String)>,
) -> impl IntoView {
    let on_change = move |ev: leptos::ev::Event| value.set(event_target_value(&ev));
    let chosen = value.get_untracked();
    let options = options
        .into_iter()
        .map(|(v, name)| {
            let selected = v == chosen;
            view! { <option value=v selected=selected>{name}</option> }
        })
        .collect_view();
    view! {
        <div class="form-row">
            <label for=id>{label}</label>
            <select id=id class="field" on:change=on_change>
                {options}
            </select>
        </div>
    }
    .into_any()
}

/// What `said` tells: progress and success in a status line that is always there (so screen
/// readers hear it change), a refusal as an alert with its list of problems.
#[component]
pub fn Feedback(
    said: RwSignal<Said>,
    #[prop(into)] sending: Signal<&'static str>,
) -> impl IntoView {
    let status = move || match said.get() {
        Said::Sending => sending.get().to_owned(),
        Said::Done(message) => message,
        _ => String::new(),
    };
    let refused = move || match said.get() {
        Said::Refused(heading, problems) => Some(view! {
            <div class="error" role="alert">
                {heading.map(|h| view! { <p>{h}</p> })}
                <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            </div>
        }),
        _ => None,
    };
    view! {
        <p class="feedback" role="status">{status}</p>
        {refused}
    }
    .into_any()
}
