//! The checklist form («Чек-лист НОК», `contract.md` §5, §7): the year, indicator 1.1's counts,
//! one checkbox per item of each list named by the item's Russian name, and «Сохранить
//! чек-лист». The year's stored checklist is read first (GET), so saving edits it rather than
//! starting blank; what the server refuses is told in the interface language; after saving it
//! says the points the checklist yields and has the figures read again.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::checklist::{parse_year, problem_message, refusal_message, Form, ItemList};
use crate::api::ApiError;
use crate::dashboard::client;
use crate::dashboard::session::use_session;
use crate::i18n::{fill, use_i18n};
use crate::numbers::shown;

/// What the form last said: a confirmation or a problem.
#[derive(Debug, Clone, PartialEq)]
enum Said {
    Done(String),
    Problem(String),
}

/// The form for institution `org`, opening on `year`; `counts_legend` names indicator 1.1;
/// `reload` is bumped after a save.
#[component]
pub fn ChecklistForm(
    token: String,
    org: String,
    lists: Vec<ItemList>,
    counts_legend: String,
    year: i32,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_session();
    let t = move || i18n.t().dashboard.nok;
    let year_text = RwSignal::new(year.to_string());
    let form = RwSignal::new(Form::default());
    let said = RwSignal::new(None::<Said>);
    let saving = RwSignal::new(false);
    let lists = StoredValue::new(lists);
    let (token, org) = (StoredValue::new(token), StoredValue::new(org));

    // The stored checklist of the year in the field, whenever the field holds a valid year.
    let stored = LocalResource::new(move || {
        let year = parse_year(&year_text.get());
        async move {
            match year {
                Some(year) => {
                    client::nok::checklist(&token.get_value(), &org.get_value(), year).await
                }
                None => Ok(None),
            }
        }
    });
    Effect::new(move || match stored.get() {
        Some(Ok(found)) => {
            form.set(
                found
                    .as_ref()
                    .map(|s| Form::of(&s.checklist))
                    .unwrap_or_default(),
            );
            let year = year_text.get_untracked();
            said.set(
                found
                    .is_none()
                    .then(|| Said::Done(fill(t().none_yet, &[("year", &year)]))),
            );
        }
        Some(Err(e)) => {
            client::expire_if_refused(&e, context);
            said.set(Some(Said::Problem(client::explain(&e, i18n.t().dashboard))));
        }
        None => {}
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(year) = parse_year(&year_text.get_untracked()) else {
            said.set(Some(Said::Problem(t().bad_year.to_owned())));
            return;
        };
        let checklist = match form.with_untracked(|f| lists.with_value(|l| f.checklist(l))) {
            Ok(c) => c,
            Err(problem) => {
                said.set(Some(Said::Problem(problem_message(problem, t()))));
                return;
            }
        };
        saving.set(true);
        spawn_local(async move {
            let result =
                client::nok::save_checklist(&token.get_value(), &org.get_value(), year, &checklist)
                    .await;
            saving.set(false);
            let lang = i18n.lang();
            said.set(Some(match result {
                Ok(saved) => {
                    let points = saved
                        .indicators
                        .iter()
                        .map(|(code, v)| format!("{code} — {}", shown(lang, Some(*v))))
                        .collect::<Vec<_>>()
                        .join("; ");
                    reload.update(|n| *n += 1);
                    Said::Done(fill(
                        t().saved,
                        &[("year", &year.to_string()), ("points", &points)],
                    ))
                }
                Err(ApiError::Http { status: 422, body }) => {
                    Said::Problem(lists.with_value(|l| refusal_message(body.as_ref(), l, t())))
                }
                Err(e) => {
                    client::expire_if_refused(&e, context);
                    Said::Problem(client::explain(&e, i18n.t().dashboard))
                }
            }));
        });
    };

    let count_fields = (0..4)
        .map(|i| {
            let id = format!("nok-count-{i}");
            view! {
                <div class="filter">
                    <label for=id.clone()>{move || t().counts[i]}</label>
                    <input
                        id=id
                        class="field"
                        type="text"
                        inputmode="numeric"
                        autocomplete="off"
                        prop:value=move || form.with(|f| f.counts[i].clone())
                        on:input=move |ev| form.update(|f| f.counts[i] = event_target_value(&ev))
                    />
                </div>
            }
        })
        .collect_view();
    let item_lists = lists.with_value(|lists| {
        lists
            .iter()
            .map(|list| {
                let code = list.code.clone();
                let boxes = list
                    .items
                    .iter()
                    .map(|(id, name)| {
                        let dom_id = format!("nok-{}-{id}", code.replace('.', "-"));
                        let (code, id) = (code.clone(), id.clone());
                        let checked = {
                            let (code, id) = (code.clone(), id.clone());
                            move || form.with(|f| f.is_ticked(&code, &id))
                        };
                        let on_change = move |ev: leptos::ev::Event| {
                            let on = event_target_checked(&ev);
                            form.update(|f| f.set(&code, &id, on));
                        };
                        view! {
                            <li>
                                <input id=dom_id.clone() type="checkbox" prop:checked=checked on:change=on_change />
                                <label for=dom_id>{name.clone()}</label>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <fieldset class="nok-list">
                        <legend>{format!("{} {}", list.code, list.name)}</legend>
                        <ul>{boxes}</ul>
                    </fieldset>
                }
            })
            .collect_view()
    });
    let message = move || {
        said.get().map(|s| match s {
            Said::Done(text) => view! { <p class="notice" role="status">{text}</p> }.into_any(),
            Said::Problem(text) => view! { <p class="error" role="alert">{text}</p> }.into_any(),
        })
    };

    view! {
        <form class="nok-form" aria-labelledby="nok-form-title" on:submit=on_submit novalidate>
            <h2 id="nok-form-title">{move || t().form_title}</h2>
            <p class="hint">{move || t().form_hint}</p>
            <div class="filters">
                <div class="filter">
                    <label for="nok-year">{move || t().year}</label>
                    <input
                        id="nok-year"
                        class="field"
                        type="text"
                        inputmode="numeric"
                        autocomplete="off"
                        prop:value=year_text
                        on:change=move |ev| year_text.set(event_target_value(&ev))
                    />
                </div>
            </div>
            <fieldset class="nok-list">
                <legend>{counts_legend}</legend>
                <div class="filters">{count_fields}</div>
            </fieldset>
            {item_lists}
            <button type="submit" class="button" disabled=saving>
                {move || if saving.get() { t().saving } else { t().save }}
            </button>
            {message}
        </form>
    }
}
