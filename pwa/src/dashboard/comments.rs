//! «Комментарии»: the masked feed of the selected org's subtree from `GET /comments`, newest
//! first, narrowed by period (in the address, «За всё время» without one), point, question and
//! «только негативные»; «Показать ещё» follows the server's keyset cursor, so paging holds at
//! any depth and never repeats a comment. Texts are shown as text nodes, never as HTML.

use leptos::prelude::*;
use leptos::task::spawn_local;
use otklik_shared::access::{allows, Action};

use super::client;
use super::client::comments::{Comment, CommentFilter};
use super::period::Quarter;
use super::period_select::PeriodSelect;
use super::sections::Section;
use super::session::use_session;
use super::workspace::SectionContext;
use crate::browser;
use crate::i18n::dashboard::CommentsStrings;
use crate::i18n::{fill, use_i18n, Lang};
use crate::numbers::count;

/// The answer commented on, as the respondent saw it: the 4-point and yes/no options by name,
/// other values (an NPS score) as they are; `None` for a free-text answer.
fn answer_text(answer: Option<&serde_json::Value>, t: &CommentsStrings) -> Option<String> {
    let answer = answer?;
    let named = ["yes", "rather_yes", "rather_no", "no"]
        .iter()
        .position(|w| answer.as_str() == Some(w))
        .map(|i| t.answers[i].to_owned());
    Some(named.unwrap_or_else(|| answer.to_string().trim_matches('"').to_owned()))
}

/// The question ids in `comments`, each once, in order of first appearance, with `chosen`
/// kept: the question filter's options.
fn questions_seen(comments: &[Comment], chosen: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = chosen.map(str::to_owned).into_iter().collect();
    for c in comments {
        if !out.contains(&c.question) {
            out.push(c.question.clone());
        }
    }
    out
}

/// When a comment was left, as the browser writes local dates and times (the browser parses
/// the RFC 3339 instant too, which costs the bundle no date parser).
pub(super) fn when(submitted_at: &str, lang: Lang) -> String {
    let ms = js_sys::Date::parse(submitted_at);
    if ms.is_nan() {
        submitted_at.to_owned()
    } else {
        browser::format_time(ms, lang.tag())
    }
}

/// The page.
#[component]
pub fn CommentsPage(ctx: SectionContext) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_session();
    let t = move || i18n.t().dashboard;
    let this_quarter = Quarter::containing(browser::now_local().date_naive());
    let view_state = ctx.view_state;
    let selected = ctx.selected;
    let org = ctx.titled_org(Section::Comments);
    let token = StoredValue::new(ctx.session.token.clone());
    let point = RwSignal::new(None::<String>);
    let question = RwSignal::new(None::<String>);
    let negative = RwSignal::new(false);
    let filter = Memo::new(move |_| {
        Some(CommentFilter {
            org: selected.get()?,
            point: point.get(),
            question: question.get(),
            days: view_state.with(|v| v.period).map(Quarter::days),
            negative: negative.get(),
        })
    });
    // Another org's points are not this one's.
    Effect::new(move || {
        selected.track();
        point.set(None);
    });
    let points = LocalResource::new({
        let lists_points = allows(ctx.session.role, Action::ListPoints);
        move || {
            let code = selected.get();
            async move {
                match code.filter(|_| lists_points) {
                    Some(code) => client::comments::point_codes(&token.get_value(), &code)
                        .await
                        .unwrap_or_default(),
                    None => Vec::new(),
                }
            }
        }
    });

    let comments = RwSignal::new(Vec::<Comment>::new());
    let cursor = RwSignal::new(None::<String>);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // Which filter the pages in `comments` belong to: a late page of a previous filter is
    // dropped, never mixed in.
    let generation = StoredValue::new(0u32);
    let load = move |first: bool| {
        let Some(f) = filter.get_untracked() else {
            return;
        };
        if first {
            generation.update_value(|g| *g += 1);
            // The old filter's cursor means nothing for the new one.
            cursor.set(None);
        }
        let mine = generation.get_value();
        let after = if first { None } else { cursor.get_untracked() };
        loading.set(true);
        spawn_local(async move {
            let result = client::comments::page(&token.get_value(), &f, after.as_deref()).await;
            if generation.get_value() != mine {
                return;
            }
            loading.set(false);
            match result {
                Ok(page) => {
                    error.set(None);
                    cursor.set(page.next_cursor);
                    comments.update(|list| {
                        if first {
                            list.clear();
                        }
                        list.extend(page.comments);
                    });
                }
                Err(e) => {
                    client::expire_if_refused(&e, context);
                    error.set(Some(client::explain(&e, i18n.t().dashboard)));
                }
            }
        });
    };
    Effect::new(move || {
        filter.track();
        load(true);
    });

    let ct = move || t().comments;
    let point_codes = Signal::derive(move || points.get().unwrap_or_default());
    let questions = Signal::derive(move || {
        let chosen = question.get();
        comments.with(|list| questions_seen(list, chosen.as_deref()))
    });
    let items = move || {
        let lang = i18n.lang();
        comments
            .get()
            .into_iter()
            .map(|c| {
                let answer = answer_text(c.answer.as_ref(), ct()).map_or_else(
                    || ct().free_text.to_owned(),
                    |a| fill(ct().answered, &[("answer", &a)]),
                );
                view! {
                    <li>
                        <p class="comment-meta">
                            {when(&c.submitted_at, lang)} " · "
                            {fill(ct().at_point, &[("point", &c.point)])} " · "
                            {c.question.clone()} " · " {answer}
                        </p>
                        <p class="comment-text">{c.text}</p>
                    </li>
                }
            })
            .collect_view()
    };
    let footer = move || {
        // The button stays (disabled) while its page loads, so the keyboard focus stays on it.
        if cursor.with(Option::is_some) {
            view! {
                <button
                    type="button"
                    class="button secondary"
                    disabled=loading
                    on:click=move |_| load(false)
                >
                    {ct().more}
                </button>
            }
            .into_any()
        } else if loading.get() {
            view! { <p class="notice">{t().loading}</p> }.into_any()
        } else if comments.with(Vec::is_empty) {
            view! { <p class="notice">{ct().none}</p> }.into_any()
        } else {
            view! { <p class="hint">{ct().all_shown}</p> }.into_any()
        }
    };

    view! {
        <section class="comments" aria-labelledby="comments-title">
            <h1 id="comments-title">{move || org.get().map(|o| o.name)}</h1>
            <p class="org-kind">{move || ct().subtitle}</p>
            <div class="filters">
                <PeriodSelect view_state=view_state this_quarter=this_quarter all_time=true />
                <ChoiceFilter
                    id="comment-point"
                    label=move || ct().point
                    any=move || ct().any_point
                    options=point_codes
                    value=point
                />
                <ChoiceFilter
                    id="comment-question"
                    label=move || ct().question
                    any=move || ct().any_question
                    options=questions
                    value=question
                />
                <div class="filter check">
                    <input
                        id="comment-negative"
                        type="checkbox"
                        prop:checked=negative
                        on:change=move |ev| negative.set(event_target_checked(&ev))
                    />
                    <label for="comment-negative">{move || ct().negative}</label>
                </div>
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <p class="hint" role="status">
                {move || fill(ct().shown, &[("n", &count(i18n.lang(), comments.with(Vec::len) as u64))])}
            </p>
            <ol class="comment-feed" aria-label=move || ct().feed>{items}</ol>
            {footer}
        </section>
    }
}

/// A filter's combobox: «any» (no value) or one of `options`.
#[component]
fn ChoiceFilter(
    id: &'static str,
    label: impl Fn() -> &'static str + Send + Sync + 'static,
    any: impl Fn() -> &'static str + Send + Sync + 'static,
    options: Signal<Vec<String>>,
    value: RwSignal<Option<String>>,
) -> impl IntoView {
    let on_change = move |ev: leptos::ev::Event| {
        value.set(Some(event_target_value(&ev)).filter(|v| !v.is_empty()));
    };
    let listed = move || {
        let chosen = value.get();
        options
            .get()
            .into_iter()
            .map(|option| {
                let selected = chosen.as_deref() == Some(option.as_str());
                let text = option.clone();
                view! { <option value=option selected=selected>{text}</option> }
            })
            .collect_view()
    };
    view! {
        <div class="filter">
            <label for=id>{label}</label>
            <select id=id class="field" on:change=on_change>
                <option value="" selected=move || value.with(Option::is_none)>{any}</option>
                {listed}
            </select>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::i18n::dashboard::comments::RU;

    fn comment(question: &str) -> Comment {
        Comment {
            response: "r".into(),
            point: "p".into(),
            question: question.into(),
            answer: None,
            text: "…".into(),
            submitted_at: "2026-03-12T07:15:00Z".into(),
        }
    }

    #[test]
    fn answers_read_as_the_respondent_chose_them() {
        assert_eq!(
            answer_text(Some(&json!("rather_no")), &RU).as_deref(),
            Some("Скорее нет")
        );
        assert_eq!(answer_text(Some(&json!("no")), &RU).as_deref(), Some("Нет"));
        assert_eq!(answer_text(Some(&json!(3)), &RU).as_deref(), Some("3"));
        assert_eq!(answer_text(None, &RU), None);
    }

    #[test]
    fn the_question_filter_offers_each_seen_question_once_and_keeps_the_chosen_one() {
        let seen = [comment("process"), comment("overall"), comment("process")];
        assert_eq!(questions_seen(&seen, None), ["process", "overall"]);
        assert_eq!(questions_seen(&[], Some("nps")), ["nps"]);
        assert_eq!(
            questions_seen(&seen, Some("overall")),
            ["overall", "process"]
        );
    }
}
