//! «Рейтинг»: the institutions below the selected org ranked by one figure for the selected
//! quarter and questionnaire (`/rankings`), in the tied groups the server forms. The ranked
//! ones are a table captioned «Рейтинг…» whose interval column draws each 95 % interval as a
//! forest plot on one common axis (point and whiskers, black on white in print; the written
//! interval beside it is the accessible form); the institutions with too few answers are a
//! second table, «мало ответов», never ranked among the others. Header buttons sort by name,
//! value or n (`aria-sort`); each name links to that institution's overview.

use leptos::prelude::*;
use otklik_shared::api::{RankedInstitution, RankingsReply};

use super::address::ViewState;
use super::client;
use super::exports::Exports;
use super::filters::{Filters, Selection};
use super::ranking_order::{
    self, axis_markup, order, ranked_row, runs, tied, unranked_row, Axis, RankMetric, Sort,
    SortKey, AXIS_VIEW_BOX,
};
use super::sections::Section;
use super::session::use_session;
use super::workspace::SectionContext;
use crate::api::ApiError;
use crate::browser;
use crate::i18n::{fill, use_i18n};
use crate::numbers::tick;

/// The ranking section of the view `ctx` describes.
#[component]
pub fn Ranking(ctx: SectionContext) -> impl IntoView {
    let SectionContext {
        tree,
        view_state,
        selected,
        session,
        ..
    } = ctx;
    let i18n = use_i18n();
    let context = use_session();
    let t = move || i18n.t().dashboard;
    let r = move || t().ranking;
    let selection = Selection::new(view_state, selected, &session);
    let Selection {
        quarter,
        questionnaire,
        ..
    } = selection;
    let org_name = Memo::new(move |_| {
        selected
            .get()
            .and_then(|code| tree.get(&code).map(|o| o.name.clone()))
    });
    Effect::new(move || {
        if let Some(name) = org_name.get() {
            browser::set_document_title(&format!(
                "{} — {}",
                fill(r().heading, &[("org", &name)]),
                t().title
            ));
        }
    });

    // One request chain per view: the questionnaire's definition says which figures it can
    // be ranked by, then `/rankings` of the chosen one (the first when none is chosen).
    let chosen = RwSignal::new(None::<RankMetric>);
    let token = session.token.clone();
    let data = LocalResource::new(move || {
        let token = token.clone();
        let (code, id, wanted, period) = (
            selected.get(),
            questionnaire.get(),
            chosen.get(),
            quarter.get(),
        );
        async move {
            let (Some(code), Some(id)) = (code, id) else {
                return Ok((Vec::new(), None));
            };
            let metrics = ranking_order::metrics(&client::questionnaire(&token, &id).await?);
            let Some(metric) = wanted
                .filter(|m| metrics.contains(m))
                .or_else(|| metrics.first().copied())
            else {
                return Ok((metrics, None));
            };
            let reply = client::rankings(&token, &code, &id, metric.wire(), period).await?;
            Ok::<_, ApiError>((metrics, Some((metric, reply))))
        }
    });
    Effect::new(move || {
        if let Some(Err(e)) = data.get() {
            client::expire_if_refused(&e, context);
        }
    });
    // The picker keeps its options (and the keyboard focus) while the next ranking loads.
    let offered = Memo::new(
        move |before: Option<&(Vec<RankMetric>, Option<RankMetric>)>| match data.get() {
            Some(Ok((list, ranked))) => (list, ranked.map(|(m, _)| m)),
            _ => before.cloned().unwrap_or_default(),
        },
    );

    let metric_picker = move || {
        let (list, current) = offered.get();
        (!list.is_empty()).then(|| {
            view! {
                <div class="filters">
                    <div class="filter">
                        <label for="metric">{r().metric}</label>
                        <select
                            id="metric"
                            class="field"
                            on:change=move |ev| {
                                let wire = event_target_value(&ev);
                                chosen.set(RankMetric::ALL.into_iter().find(|m| m.wire() == wire));
                            }
                        >
                            {list
                                .into_iter()
                                .map(|m| {
                                    view! {
                                        <option value=m.wire() selected=current == Some(m)>
                                            {r().metrics[m.index()]}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                </div>
            }
        })
    };
    let failed = move |e: &ApiError| {
        if client::token_refused(e) {
            ().into_any()
        } else {
            view! { <p class="error" role="alert">{client::explain(e, t())}</p> }.into_any()
        }
    };
    let body = move || match data.get() {
        Some(Err(e)) => failed(&e),
        Some(Ok((_, None))) if questionnaire.get().is_some() => {
            view! { <p class="notice">{r().no_metric}</p> }.into_any()
        }
        Some(Ok((_, Some((metric, reply))))) => {
            let caption = fill(
                r().caption,
                &[
                    ("metric", r().metrics[metric.index()]),
                    ("org", &org_name.get().unwrap_or_default()),
                    ("period", &quarter.get().label(t())),
                ],
            );
            view! { <Tables reply=reply metric=metric caption=caption view_state=view_state /> }
                .into_any()
        }
        _ => view! { <p class="notice">{t().loading}</p> }.into_any(),
    };

    // Right after signing in, the focus starts at the heading of what opened (as on the
    // overview: the sign-in form it was in is gone).
    let heading = NodeRef::<leptos::html::H1>::new();
    Effect::new(move || {
        if let (Some(h1), Some(_)) = (heading.get(), org_name.get()) {
            if context.take_arrival() {
                let _ = h1.focus();
            }
        }
    });

    view! {
        <section class="ranking" aria-labelledby="ranking-title">
            <h1 id="ranking-title" tabindex="-1" node_ref=heading>
                {move || org_name.get().map(|name| fill(r().heading, &[("org", &name)]))}
            </h1>
            <Filters selection=selection view_state=view_state />
            {metric_picker}
            <Exports token=session.token.clone() selected=selected selection=selection />
            {body}
        </section>
    }
}

/// The ranked table and the table of the institutions with too few answers, sorted alike.
#[component]
fn Tables(
    reply: RankingsReply,
    metric: RankMetric,
    caption: String,
    view_state: Memo<ViewState>,
) -> impl IntoView {
    // Static strings: the section redraws this whole part when the language changes.
    let i18n = use_i18n();
    let r = i18n.t().dashboard.ranking;
    let lang = i18n.lang();
    let (ranked, few): (Vec<_>, Vec<_>) = reply
        .institutions
        .into_iter()
        .partition(|i| i.rank.is_some());
    if ranked.is_empty() && few.is_empty() {
        return view! { <p class="notice">{r.empty}</p> }.into_any();
    }
    let axis = Axis::of(&ranked, metric);
    let ties = tied(&ranked);
    let sort = RwSignal::new(Sort::default());
    let (ranked, few) = (StoredValue::new(ranked), StoredValue::new(few));
    let link = move |row: &RankedInstitution| {
        view_state.with_untracked(|v| v.with_org(&row.org).with_section(Section::Overview).href())
    };
    let header = move |key: SortKey, label: &'static str| {
        view! {
            <th scope="col" aria-sort=move || sort.get().aria(key)>
                <button type="button" class="sort" on:click=move |_| sort.update(|s| *s = s.toggled(key))>
                    {label}
                </button>
            </th>
        }
    };
    let ranked_body = move || {
        let current = sort.get();
        ranked.with_value(|rows| {
            runs(rows, order(rows, current), current)
                .into_iter()
                .map(|run| {
                    let markup: String = run
                        .into_iter()
                        .map(|i| {
                            let row = &rows[i];
                            ranked_row(row, lang, axis, &link(row), ties[i].then_some(r.tie))
                        })
                        .collect();
                    view! { <tbody inner_html=markup></tbody> }
                })
                .collect_view()
        })
    };
    let few_body = move || {
        let current = sort.get();
        few.with_value(|rows| {
            order(rows, current)
                .into_iter()
                .map(|i| unranked_row(&rows[i], lang, &link(&rows[i])))
                .collect::<String>()
        })
    };
    let ticks = axis_markup(axis, axis.ticks().map(|v| tick(lang, v, 0)));
    view! {
        {(!ranked.with_value(Vec::is_empty)).then(|| view! {
            <div class="table-scroll" role="region" aria-labelledby="ranking-caption" tabindex="0">
                <table class="ranking-table">
                    <caption id="ranking-caption">{caption}</caption>
                    <thead>
                        <tr>
                            {header(SortKey::Rank, r.rank)}
                            {header(SortKey::Name, r.institution)}
                            {header(SortKey::Value, r.value)}
                            {header(SortKey::N, r.n)}
                            <th scope="col" class="interval">
                                <span>{r.interval}</span>
                                <svg
                                    class="forest"
                                    viewBox=AXIS_VIEW_BOX
                                    aria-hidden="true"
                                    inner_html=ticks
                                ></svg>
                            </th>
                            <th scope="col">{r.group}</th>
                        </tr>
                    </thead>
                    {ranked_body}
                </table>
            </div>
            <p class="hint">{reply.rule}</p>
        })}
        {(!few.with_value(Vec::is_empty)).then(|| view! {
            <div class="table-scroll" role="region" aria-labelledby="few-caption" tabindex="0">
                <table class="ranking-table low-n">
                    <caption id="few-caption">{r.low_n_caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{r.institution}</th>
                            <th scope="col">{r.value}</th>
                            <th scope="col">{r.n}</th>
                            <th scope="col">{r.interval}</th>
                        </tr>
                    </thead>
                    <tbody inner_html=few_body></tbody>
                </table>
            </div>
        })}
    }
    .into_any()
}
