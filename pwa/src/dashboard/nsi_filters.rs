//! The НСИ pages' pickers (in the results' «НСИ» and the work's «Данные НСИ»): the combobox
//! «Жизненная ситуация» («ЖС-8 · …», and on the report the region-wide summary) and the
//! combobox «Год», both kept in the address; and [`read_with_situations`], how both pages
//! read their data with the catalogue the combobox lists.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use serde_json::Value;

use super::address::ViewState;
use super::client::{self, Situation};
use crate::api::{self, ApiError};
use crate::i18n::{fill, use_i18n};

/// How many years are offered, this one first.
const YEARS_OFFERED: i32 = 3;

/// The two comboboxes; `summary` names the option without a situation (none: a situation must
/// be chosen, and the empty option only says so).
#[component]
pub fn NsiFilters(
    view_state: Memo<ViewState>,
    situations: Signal<Vec<Situation>>,
    year: Memo<i32>,
    this_year: i32,
    summary: &'static str,
) -> impl IntoView {
    // Its words are drawn once: the pages draw it anew when the language changes.
    let t = use_i18n().t().dashboard.nsi_terms;
    let navigate = use_navigate();
    let go = move |view: ViewState| {
        let options = NavigateOptions {
            scroll: false,
            ..Default::default()
        };
        navigate(&view.href(), options);
    };
    let go_year = go.clone();
    let chosen = Memo::new(move |_| view_state.with(|v| v.life_situation.clone()));
    let situation_options = move || {
        let chosen = chosen.get();
        let list = situations
            .get()
            .into_iter()
            .map(|s| {
                let selected = chosen.as_deref() == Some(s.code.as_str());
                view! { <option value=s.code.clone() selected=selected>{s.label()}</option> }
            })
            .collect_view();
        view! {
            <option value="" selected=chosen.is_none()>{summary}</option>
            {list}
        }
    };
    let year_options = move || {
        let chosen = year.get();
        let mut years: Vec<i32> = (0..YEARS_OFFERED).map(|n| this_year - n).collect();
        // A year from an older address is offered too, in its place (newest first).
        if !years.contains(&chosen) {
            let at = years
                .iter()
                .position(|&y| y < chosen)
                .unwrap_or(years.len());
            years.insert(at, chosen);
        }
        years
            .into_iter()
            .map(|y| {
                view! {
                    <option value=y.to_string() selected=y == chosen>
                        {fill(t.year_value, &[("year", &y.to_string())])}
                    </option>
                }
            })
            .collect_view()
    };
    view! {
        <div class="filter">
            <label for="nsi-situation">{t.life_situation}</label>
            <select
                id="nsi-situation"
                class="field"
                on:change=move |ev| {
                    let code = event_target_value(&ev);
                    let code = (!code.is_empty()).then_some(code.as_str());
                    go(view_state.get_untracked().with_life_situation(code));
                }
            >
                {situation_options}
            </select>
        </div>
        <div class="filter">
            <label for="nsi-year">{t.year}</label>
            <select
                id="nsi-year"
                class="field"
                on:change=move |ev| {
                    if let Ok(y) = event_target_value(&ev).parse() {
                        go_year(view_state.get_untracked().with_year(y));
                    }
                }
            >
                {year_options}
            </select>
        </div>
    }
}

/// GETs `paths` with `token`, one after another through one call site (one request state
/// machine in the bundle, not one per endpoint), and returns their replies in order. On the
/// first visit (`situations` still empty) it reads the life situations first and puts them in
/// `situations` for the combobox.
pub async fn read_with_situations(
    token: &str,
    paths: Vec<String>,
    situations: RwSignal<Vec<Situation>>,
) -> std::vec::IntoIter<Result<Value, ApiError>> {
    let first_visit = situations.with_untracked(Vec::is_empty);
    let all = first_visit
        .then(|| client::SITUATIONS.to_owned())
        .into_iter()
        .chain(paths);
    let mut replies = Vec::new();
    for path in all {
        replies.push(api::get_with_token::<Value>(&path, token).await);
    }
    let mut replies = replies.into_iter();
    if first_visit {
        if let Some(Ok(list)) = replies.next() {
            situations.set(client::situations_of(&list));
        }
    }
    replies
}
