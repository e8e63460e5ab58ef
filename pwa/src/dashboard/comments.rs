//! «Комментарии»: the masked feed of the selected org's subtree from `GET /comments`, newest
//! first, narrowed by period (in the address, «За всё время» without one), point, question,
//! status and «только негативные»; «Показать ещё» follows the server's keyset cursor, so paging
//! holds at any depth and never repeats a comment. Texts are shown as text nodes, never as HTML.
//!
//! Officials close the loop here ([`ReviewForm`]): a comment is tagged with a stage of its
//! point's life situation and a lean loss, moved new → «Принято в работу» → «Сделано», and
//! given a short public answer that the institution's page «Вы сказали — мы сделали» shows.

use leptos::prelude::*;
use leptos::task::spawn_local;
use otklik_shared::access::{allows, Action};

use otklik_shared::review::{Loss, ReviewStatus, MAX_PUBLIC_ANSWER};

use super::client::comments::{Comment, CommentFilter, Review, ReviewInput};
use super::client::{self, Situation};
use super::period::Quarter;
use super::period_select::PeriodSelect;
use super::sections::Section;
use super::session::use_session;
use super::workspace::SectionContext;
use crate::browser;
use crate::i18n::dashboard::CommentsStrings;
use crate::i18n::{fill, use_i18n};
use crate::i18n::{DashboardStrings, NsiTerms};
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

/// A status's name.
fn status_name(status: ReviewStatus, t: &CommentsStrings) -> &'static str {
    t.statuses[ReviewStatus::ALL
        .iter()
        .position(|s| *s == status)
        .unwrap_or(0)]
}

/// The name of `stage` of the point's `situation`, or the code when the catalogue lacks it.
fn stage_name(situations: &[Situation], situation: Option<&str>, stage: &str) -> String {
    client::stages(situations, situation)
        .iter()
        .find(|s| s.code == stage)
        .map_or_else(|| stage.to_owned(), |s| s.name.clone())
}

/// Why a review cannot be sent as it is: checked before sending with the server's rules.
fn review_problem(input: &ReviewInput, t: &CommentsStrings) -> Option<String> {
    let answer = input.public_answer.as_deref().unwrap_or("");
    if input.status == ReviewStatus::Done && answer.trim().is_empty() {
        Some(t.answer_required.to_owned())
    } else if answer.chars().count() > MAX_PUBLIC_ANSWER {
        Some(fill(
            t.answer_too_long,
            &[("max", &MAX_PUBLIC_ANSWER.to_string())],
        ))
    } else {
        None
    }
}

/// What a refused review means: the server's own message for a 422 (it names the field in
/// Russian), as any failed request otherwise.
fn review_refusal(error: &crate::api::ApiError, t: &DashboardStrings) -> String {
    match error {
        crate::api::ApiError::Http {
            status: 422,
            body: Some(body),
        } => body.error.message.clone(),
        other => client::explain(other, t),
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
    let status = RwSignal::new(None::<ReviewStatus>);
    let filter = Memo::new(move |_| {
        Some(CommentFilter {
            org: selected.get()?,
            point: point.get(),
            question: question.get(),
            days: view_state.with(|v| v.period).map(Quarter::days),
            negative: negative.get(),
            status: status.get(),
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
                    Some(code) => client::points(&token.get_value(), &code)
                        .await
                        .unwrap_or_default(),
                    None => Vec::new(),
                }
            }
        }
    });
    // Stage names, for the tags and the review form's choices.
    let situations = LocalResource::new(move || async move {
        client::situations(&token.get_value())
            .await
            .unwrap_or_default()
    });
    let situations = Signal::derive(move || situations.get().unwrap_or_default());
    // A point's life situation, when the caller lists points.
    let situation_of = move |code: &str| -> Option<String> {
        points.with(|p| {
            p.as_ref()?
                .iter()
                .find(|p| p.code == code)
                .and_then(|p| p.life_situation.clone())
        })
    };
    let reviews = allows(ctx.session.role, Action::ReviewComments);
    // The comment whose review form is open (one at a time, so its controls' names are unique
    // on the screen): (response, question).
    let open = RwSignal::new(None::<(String, String)>);
    let announced = RwSignal::new(None::<&'static str>);

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
    let point_codes = Signal::derive(move || {
        let mut codes: Vec<String> = points
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|p| p.code)
            .collect();
        codes.sort();
        codes.into_iter().map(|c| (c.clone(), c)).collect()
    });
    let questions = Signal::derive(move || {
        let chosen = question.get();
        comments
            .with(|list| questions_seen(list, chosen.as_deref()))
            .into_iter()
            .map(|q| (q.clone(), q))
            .collect()
    });
    let statuses = Signal::derive(move || {
        ReviewStatus::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), status_name(*s, ct()).to_owned()))
            .collect()
    });
    let status_text = RwSignal::new(None::<String>);
    Effect::new(move || status.set(status_text.get().as_deref().and_then(ReviewStatus::parse)));
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
                let situation = situation_of(&c.point);
                let key = (c.response.clone(), c.question.clone());
                let review = c.review.clone();
                let tags = {
                    let situation = situation.clone();
                    move || {
                        let d = i18n.t().dashboard;
                        review_tags(
                            &review,
                            situations,
                            situation.as_deref(),
                            d.comments,
                            d.nsi_terms,
                        )
                    }
                };
                let action = reviews.then(|| {
                    let comment = c.clone();
                    move || {
                        if open.with(|o| o.as_ref() == Some(&key)) {
                            let stages = situations
                                .with(|all| client::stages(all, situation.as_deref()).to_vec());
                            let key = key.clone();
                            let saved = move |review: Review| {
                                comments.update(|list| {
                                    for c in list
                                        .iter_mut()
                                        .filter(|c| c.response == key.0 && c.question == key.1)
                                    {
                                        c.review = review.clone();
                                    }
                                });
                                open.set(None);
                                announced.set(Some(ct().saved));
                            };
                            view! {
                                <ReviewForm
                                    comment=comment.clone()
                                    stages=stages
                                    token=token.get_value()
                                    on_saved=saved
                                    on_cancel=move || open.set(None)
                                />
                            }
                            .into_any()
                        } else {
                            let key = key.clone();
                            view! {
                                <button
                                    type="button"
                                    class="button secondary"
                                    on:click=move |_| {
                                        announced.set(None);
                                        open.set(Some(key.clone()));
                                    }
                                >
                                    {ct().review}
                                </button>
                            }
                            .into_any()
                        }
                    }
                });
                view! {
                    <li>
                        <p class="comment-meta">
                            {browser::local_time(&c.submitted_at, lang.tag())} " · "
                            {fill(ct().at_point, &[("point", &c.point)])} " · "
                            {c.question.clone()} " · " {answer}
                        </p>
                        <blockquote class="comment-text">{c.text}</blockquote>
                        {tags}
                        {action}
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
                <ChoiceFilter
                    id="comment-status"
                    label=move || ct().status
                    any=move || ct().any_status
                    options=statuses
                    value=status_text
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
                {move || announced.get().map(|text| format!(" {text}"))}
            </p>
            <ol class="comment-feed" aria-label=move || ct().feed>{items}</ol>
            {footer}
        </section>
    }
}

/// A filter's combobox: «any» (no value) or one of `options` (value, shown name).
#[component]
fn ChoiceFilter(
    id: &'static str,
    label: impl Fn() -> &'static str + Send + Sync + 'static,
    any: impl Fn() -> &'static str + Send + Sync + 'static,
    options: Signal<Vec<(String, String)>>,
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
            .map(|(option, text)| {
                let selected = chosen.as_deref() == Some(option.as_str());
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

/// A comment's review as listed: its status, and the stage, loss and public answer once set.
fn review_tags(
    review: &Review,
    situations: Signal<Vec<Situation>>,
    situation: Option<&str>,
    t: &CommentsStrings,
    terms: &NsiTerms,
) -> impl IntoView {
    let mut parts = vec![fill(
        t.status_line,
        &[("status", status_name(review.status, t))],
    )];
    if let Some(stage) = &review.stage {
        let name = situations.with(|all| stage_name(all, situation, stage));
        parts.push(fill(t.stage_line, &[("stage", &name)]));
    }
    if let Some(loss) = review.loss {
        parts.push(fill(t.loss_line, &[("loss", terms.loss(loss))]));
    }
    let answer = review
        .public_answer
        .as_ref()
        .map(|a| view! { <p class="comment-answer">{fill(t.answer_line, &[("answer", a)])}</p> });
    view! {
        <p class="comment-review">{parts.join(" · ")}</p>
        {answer}
    }
}

/// The review of one comment: its status as a radio group, the stage (from the point's life
/// situation, when it has one) and loss, and the public answer; checked before sending with
/// the server's rules, refusals explained next to the form.
#[component]
fn ReviewForm(
    comment: Comment,
    stages: Vec<otklik_shared::catalog::Stage>,
    token: String,
    on_saved: impl Fn(Review) + Clone + Send + Sync + 'static,
    on_cancel: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let ct = move || i18n.t().dashboard.comments;
    let context = use_session();
    let status = RwSignal::new(comment.review.status);
    let stage = RwSignal::new(comment.review.stage.clone());
    let loss = RwSignal::new(comment.review.loss);
    let answer = RwSignal::new(comment.review.public_answer.clone().unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let id = format!("review-{}-{}", comment.response, comment.question);
    let token = StoredValue::new(token);
    let key = StoredValue::new((comment.response.clone(), comment.question.clone()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = answer.get_untracked();
        let input = ReviewInput {
            status: status.get_untracked(),
            stage: stage.get_untracked(),
            loss: loss.get_untracked(),
            public_answer: Some(text.trim().to_owned()).filter(|a| !a.is_empty()),
        };
        if let Some(problem) = review_problem(&input, ct()) {
            error.set(Some(problem));
            return;
        }
        busy.set(true);
        let on_saved = on_saved.clone();
        spawn_local(async move {
            let (response, question) = key.get_value();
            let result =
                client::comments::review(&token.get_value(), &response, &question, &input).await;
            busy.set(false);
            match result {
                Ok(review) => on_saved(review),
                Err(e) => {
                    client::expire_if_refused(&e, context);
                    error.set(Some(review_refusal(&e, i18n.t().dashboard)));
                }
            }
        });
    };
    let radios = ReviewStatus::ALL
        .into_iter()
        .map(|s| {
            let radio = format!("{id}-{}", s.as_str());
            view! {
                <div class="choice">
                    <input
                        type="radio"
                        id=radio.clone()
                        name=format!("{id}-status")
                        prop:checked=move || status.get() == s
                        on:change=move |_| status.set(s)
                    />
                    <label for=radio>{move || status_name(s, ct())}</label>
                </div>
            }
        })
        .collect_view();
    let stage_field = (!stages.is_empty()).then(|| {
        let field = format!("{id}-stage");
        let options = stages
            .into_iter()
            .map(|s| {
                let selected = stage.get_untracked().as_deref() == Some(s.code.as_str());
                view! { <option value=s.code selected=selected>{s.name}</option> }
            })
            .collect_view();
        view! {
            <div class="field-row">
                <label for=field.clone()>{move || ct().stage}</label>
                <select
                    id=field
                    class="field"
                    on:change=move |ev| {
                        stage.set(Some(event_target_value(&ev)).filter(|v| !v.is_empty()))
                    }
                >
                    <option value="" selected=stage.get_untracked().is_none()>
                        {move || ct().no_stage}
                    </option>
                    {options}
                </select>
            </div>
        }
    });
    let loss_field = format!("{id}-loss");
    let losses = Loss::ALL
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let selected = loss.get_untracked() == Some(l);
            view! { <option value=i.to_string() selected=selected>{move || i18n.t().dashboard.nsi_terms.loss(l)}</option> }
        })
        .collect_view();
    let answer_field = format!("{id}-answer");
    let hint = format!("{id}-hint");
    view! {
        <form class="review-form" on:submit=submit>
            <fieldset class="choices">
                <legend>{move || ct().progress}</legend>
                {radios}
            </fieldset>
            {stage_field}
            <div class="field-row">
                <label for=loss_field.clone()>{move || ct().loss}</label>
                <select
                    id=loss_field
                    class="field"
                    on:change=move |ev| {
                        let chosen = event_target_value(&ev).parse::<usize>().ok();
                        loss.set(chosen.and_then(|i| Loss::ALL.get(i).copied()));
                    }
                >
                    <option value="" selected=loss.get_untracked().is_none()>
                        {move || ct().no_loss}
                    </option>
                    {losses}
                </select>
            </div>
            <div class="field-row">
                <label for=answer_field.clone()>{move || ct().public_answer}</label>
                <textarea
                    id=answer_field
                    class="field"
                    rows="3"
                    maxlength=MAX_PUBLIC_ANSWER.to_string()
                    aria-describedby=hint.clone()
                    prop:value=answer
                    on:input=move |ev| answer.set(event_target_value(&ev))
                ></textarea>
                <p class="hint" id=hint>{move || ct().public_hint}</p>
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="actions">
                <button type="submit" class="button" disabled=busy>{move || ct().save}</button>
                <button type="button" class="button secondary" on:click=move |_| on_cancel()>
                    {move || ct().cancel}
                </button>
            </div>
        </form>
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
            review: Review::default(),
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

    fn input(status: ReviewStatus, answer: Option<&str>) -> ReviewInput {
        ReviewInput {
            status,
            stage: None,
            loss: None,
            public_answer: answer.map(str::to_owned),
        }
    }

    #[test]
    fn done_needs_a_public_answer_and_an_answer_has_a_limit() {
        assert_eq!(
            review_problem(&input(ReviewStatus::Done, None), &RU).as_deref(),
            Some(RU.answer_required)
        );
        assert_eq!(
            review_problem(&input(ReviewStatus::Done, Some("   ")), &RU).as_deref(),
            Some(RU.answer_required)
        );
        assert_eq!(
            review_problem(&input(ReviewStatus::Done, Some("Открыли окно")), &RU),
            None
        );
        assert_eq!(
            review_problem(&input(ReviewStatus::InProgress, None), &RU),
            None
        );
        let long = "я".repeat(MAX_PUBLIC_ANSWER + 1);
        assert!(review_problem(&input(ReviewStatus::New, Some(&long)), &RU)
            .is_some_and(|p| p.contains("500")));
        let full = "я".repeat(MAX_PUBLIC_ANSWER);
        assert_eq!(
            review_problem(&input(ReviewStatus::Done, Some(&full)), &RU),
            None
        );
    }

    #[test]
    fn statuses_and_losses_are_named_and_read_back_from_the_wire() {
        assert_eq!(
            status_name(ReviewStatus::InProgress, &RU),
            "Принято в работу"
        );
        assert_eq!(status_name(ReviewStatus::Done, &RU), "Сделано");
        assert_eq!(
            crate::i18n::dashboard::nsi_terms::RU.loss(Loss::DuplicateActions),
            "Повторные действия"
        );
        for s in ReviewStatus::ALL {
            assert_eq!(ReviewStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ReviewStatus::parse("closed"), None);
        let review: Review = serde_json::from_value(json!({
            "status": "in_progress", "stage": "visit", "loss": "rework",
            "public_answer": null, "reviewed_at": "2026-03-12T07:15:00Z"
        }))
        .unwrap();
        assert_eq!(review.status, ReviewStatus::InProgress);
        assert_eq!(review.loss, Some(Loss::Rework));
        let unreviewed: Comment = serde_json::from_value(json!({
            "response": "r", "point": "p", "question": "q", "answer": "no",
            "text": "…", "submitted_at": "2026-03-12T07:15:00Z"
        }))
        .unwrap();
        assert_eq!(unreviewed.review.status, ReviewStatus::New);
    }

    #[test]
    fn a_stage_is_named_from_its_points_situation() {
        use otklik_shared::catalog::Stage;
        let situations = [Situation {
            code: "job".into(),
            no: 8,
            name: "Работа".into(),
            stages: vec![Stage {
                code: "visit".into(),
                name: "Визит в центр".into(),
            }],
        }];
        assert_eq!(
            stage_name(&situations, Some("job"), "visit"),
            "Визит в центр"
        );
        assert_eq!(stage_name(&situations, None, "visit"), "visit");
        assert_eq!(stage_name(&situations, Some("job"), "gone"), "gone");
    }
}
