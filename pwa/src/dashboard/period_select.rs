//! The «Период» combobox every page with a period shows (in the overview's and ranking's
//! [`Filters`](super::filters::Filters), on the НОК and comments pages): the recent quarters,
//! newest first, the chosen one kept in the address; optionally an «all time» option, which
//! leaves the address without a period.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use super::address::ViewState;
use super::period::Quarter;
use crate::i18n::use_i18n;

/// How many quarters are offered.
const QUARTERS_OFFERED: usize = 8;

/// The combobox; an address without a period shows `this_quarter`, or, with `all_time`, the
/// «all time» option.
#[component]
pub fn PeriodSelect(
    view_state: Memo<ViewState>,
    this_quarter: Quarter,
    #[prop(optional)] all_time: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().dashboard;
    let navigate = use_navigate();
    let chosen =
        Memo::new(move |_| view_state.with(|v| v.period.or((!all_time).then_some(this_quarter))));
    let on_change = move |ev: leptos::ev::Event| {
        let view = view_state
            .get_untracked()
            .with_period(Quarter::parse(&event_target_value(&ev)));
        let options = NavigateOptions {
            scroll: false,
            ..Default::default()
        };
        navigate(&view.href(), options);
    };
    let options = move || {
        let chosen = chosen.get();
        let mut list = this_quarter.recent(QUARTERS_OFFERED);
        if let Some(q) = chosen.filter(|q| !list.contains(q)) {
            list.push(q);
            list.sort_by(|a, b| b.cmp(a));
        }
        let all = all_time.then(|| {
            view! { <option value="" selected=chosen.is_none()>{t().all_time}</option> }
        });
        let quarters = list
            .into_iter()
            .map(|q| {
                view! {
                    <option value=q.to_string() selected=Some(q) == chosen>
                        {q.label(t())}
                    </option>
                }
            })
            .collect_view();
        view! { {all} {quarters} }
    };
    view! {
        <div class="filter">
            <label for="period">{move || t().period}</label>
            <select id="period" class="field" on:change=on_change>
                {options}
            </select>
        </div>
    }
}
