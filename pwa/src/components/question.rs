//! One question screen's input: picks the control by question kind and opens the comment box
//! when the answer invites one.

use leptos::prelude::*;
use otklik_shared::i18n::{comment_prompt, options, scale_ends};
use otklik_shared::questionnaire::{Question, QuestionKind};
use serde_json::Value;

use super::number_field::NumberField;
use super::radio_group::{Layout, RadioGroup};
use super::text_box::{Purpose, TextBox};
use crate::draft::{self, Answers, Readiness};
use crate::i18n::use_i18n;

/// The input for `question`, reading and writing its entry in `answers`.
#[component]
pub fn QuestionView(question: Question, answers: RwSignal<Answers>) -> impl IntoView {
    let t = use_i18n().t();
    let qid = question.id.clone();
    let entry = {
        let qid = qid.clone();
        Memo::new(move |_| answers.with(|a| a.get(&qid).cloned().unwrap_or_default()))
    };
    let initial = entry.get_untracked();

    let select = {
        let qid = qid.clone();
        move |v: Value| answers.update(|a| a.entry(qid.clone()).or_default().value = Some(v))
    };
    let type_in = {
        let (qid, question) = (qid.clone(), question.clone());
        move |input: String| {
            answers.update(|a| {
                let entry = a.entry(qid.clone()).or_default();
                *entry = draft::with_input(&question, entry, input);
            });
        }
    };
    let comment = {
        let qid = qid.clone();
        move |text: String| answers.update(|a| a.entry(qid.clone()).or_default().comment = text)
    };

    let input = match question.kind {
        QuestionKind::Number => {
            let q = question.clone();
            let invalid = Signal::derive(move || {
                draft::readiness(&q, Some(&entry.get())) == Readiness::Invalid
            });
            view! {
                <NumberField
                    qid=qid.clone()
                    label=question.text.clone()
                    min=question.min
                    max=question.max
                    integer=question.integer
                    initial=initial.input.clone()
                    invalid=invalid
                    on_input=type_in
                />
            }
            .into_any()
        }
        QuestionKind::Text => view! {
            <TextBox
                id=qid.clone()
                label=question.text.clone()
                purpose=Purpose::Answer
                initial=initial.input.clone()
                on_input=type_in
            />
        }
        .into_any(),
        kind => {
            let (layout, ends) = if kind == QuestionKind::Nps {
                (Layout::Row, Some(scale_ends(&question, t)))
            } else {
                (Layout::Stack, None)
            };
            view! {
                <RadioGroup
                    qid=qid.clone()
                    legend=question.text.clone()
                    subtitle=question.subtitle.clone()
                    options=options(&question, t)
                    layout=layout
                    ends=ends
                    selected=Signal::derive(move || entry.get().value)
                    on_select=select
                />
            }
            .into_any()
        }
    };

    let prompt = comment_prompt(&question, t);
    let opens = move || draft::opens_comment(&question, &entry.get());
    view! {
        {input}
        <Show when=opens>
            <TextBox
                id=format!("{qid}-comment")
                label=prompt.clone()
                purpose=Purpose::Comment
                initial=entry.get_untracked().comment
                on_input=comment.clone()
            />
        </Show>
    }
}
