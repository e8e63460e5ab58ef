//! The overview of the selected org: the quarter («Период», the current one by default,
//! compared with the one before), the questionnaire when the subtree runs several, the cards
//! and the channel split, all from `/stats` of the two quarters.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use otklik_shared::access::{allows, Action};
use otklik_shared::api::StatsReply;
use otklik_shared::org::OrgKind;

use super::address::ViewState;
use super::cards::FigureCard;
use super::client;
use super::figures::{self, CHANNEL_ORDER};
use super::overview_charts::OverviewCharts;
use super::period::Quarter;
use super::session::{use_session, Session};
use super::tree::OrgTree;
use crate::api::ApiError;
use crate::browser;
use crate::i18n::{fill, use_i18n, DashboardStrings};
use crate::numbers::count;

/// How many quarters the period picker offers, newest first.
const QUARTERS_OFFERED: usize = 8;

/// The questionnaire ids the interface names, in the order it lists them (the same in every
/// language).
fn known_questionnaires() -> impl Iterator<Item = &'static str> {
    crate::i18n::dashboard::RU
        .questionnaires
        .iter()
        .map(|(id, _)| *id)
}

/// The questionnaires a subtree runs, as the picker lists them: the ones the interface names
/// in its order (the default is the first: НСИ before НОК), then any others by id.
fn in_menu_order(mut ran: Vec<String>) -> Vec<String> {
    let mut ordered: Vec<String> = known_questionnaires()
        .filter(|id| ran.iter().any(|r| r == id))
        .map(str::to_owned)
        .collect();
    ran.retain(|r| !ordered.contains(r));
    ran.sort();
    ordered.extend(ran);
    ordered
}

/// The kind's name in the interface language.
fn kind_name(kind: OrgKind, t: &DashboardStrings) -> &'static str {
    let index = OrgKind::ALL.iter().position(|&k| k == kind).unwrap_or(0);
    t.kinds[index.min(t.kinds.len() - 1)]
}

/// The overview.
#[component]
pub fn Overview(
    tree: Arc<OrgTree>,
    view_state: Memo<ViewState>,
    selected: Memo<Option<String>>,
    session: Session,
) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_session();
    let t = move || i18n.t().dashboard;
    let navigate = use_navigate();
    let this_quarter = Quarter::containing(browser::now_local().date_naive());
    let quarter = Memo::new(move |_| view_state.with(|v| v.period).unwrap_or(this_quarter));

    let org = {
        let tree = tree.clone();
        Memo::new(move |_| selected.get().and_then(|code| tree.get(&code).cloned()))
    };
    Effect::new(move || {
        if let Some(org) = org.get() {
            browser::set_document_title(&format!("{} — {}", org.name, t().title));
        }
    });

    // The questionnaires the subtree runs, from its points where the role lists points; a
    // role that does not (an observer) is offered every questionnaire the interface knows.
    let token = session.token.clone();
    let lists_points = allows(session.role, Action::ListPoints);
    let known = || {
        known_questionnaires()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let questionnaires: Signal<Option<Result<Vec<String>, ApiError>>> = if lists_points {
        let ran = LocalResource::new(move || {
            let token = token.clone();
            let code = selected.get();
            async move {
                let Some(code) = code else {
                    return Ok(known());
                };
                let ran = client::questionnaires(&token, &code).await?;
                // A subtree without points yet is offered everything (its figures are empty).
                Ok(if ran.is_empty() {
                    known()
                } else {
                    in_menu_order(ran)
                })
            }
        });
        Signal::derive(move || ran.get())
    } else {
        // Known at once: no request, and the figures need not wait for one.
        Signal::derive(move || Some(Ok(known())))
    };
    let questionnaire = Memo::new(move |_| {
        let list = questionnaires.get()?.ok()?;
        let wanted = view_state.with(|v| v.questionnaire.clone());
        wanted
            .filter(|w| list.contains(w))
            .or_else(|| list.first().cloned())
    });

    // This quarter's figures and the previous quarter's, to compare with. One resource for
    // both, so the two can never describe different selections; the previous one is optional
    // (its failure only hides the changes).
    let token = session.token.clone();
    let figures = LocalResource::new(move || {
        let token = token.clone();
        let code = selected.get();
        let id = questionnaire.get();
        let period = quarter.get();
        async move {
            let (Some(code), Some(id)) = (code, id) else {
                return Ok(None);
            };
            let (current, previous) =
                client::stats_with_previous(&token, &code, &id, period).await?;
            if let Err(e) = &previous {
                client::expire_if_refused(e, context);
            }
            Ok::<_, ApiError>(Some((current, previous.ok())))
        }
    });
    Effect::new(move || {
        if let Some(Err(e)) = figures.get() {
            client::expire_if_refused(&e, context);
        }
        if let Some(Err(e)) = questionnaires.get() {
            client::expire_if_refused(&e, context);
        }
    });

    let charts_token = session.token.clone();
    let go = move |view: ViewState| {
        navigate(
            &view.href(),
            NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    };
    let on_period = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            if let Some(q) = Quarter::parse(&event_target_value(&ev)) {
                go(view_state.get_untracked().with_period(q));
            }
        }
    };
    let on_questionnaire = move |ev: leptos::ev::Event| {
        go(view_state
            .get_untracked()
            .with_questionnaire(&event_target_value(&ev)));
    };

    let quarters = move || {
        let mut list = this_quarter.recent(QUARTERS_OFFERED);
        let chosen = quarter.get();
        if !list.contains(&chosen) {
            list.push(chosen);
            list.sort_by(|a, b| b.cmp(a));
        }
        list
    };
    // Right after signing in, the keyboard focus starts at the heading of what opened (the
    // sign-in form it was in is gone); later changes of org or period leave it where it is.
    let heading = NodeRef::<leptos::html::H1>::new();
    Effect::new(move || {
        if let (Some(h1), Some(_)) = (heading.get(), org.get()) {
            if context.take_arrival() {
                let _ = h1.focus();
            }
        }
    });

    view! {
        <section class="overview" aria-labelledby="overview-title">
            <h1 id="overview-title" tabindex="-1" node_ref=heading>
                {move || org.get().map(|o| o.name)}
            </h1>
            // Following a tree link leaves the focus on it (to drill further), so what opened
            // is said here for screen readers, once the org and period are known.
            <p class="visually-hidden" role="status">
                {move || {
                    org.get()
                        .map(|o| {
                            fill(
                                t().opened,
                                &[("org", &o.name), ("period", &quarter.get().label(t()))],
                            )
                        })
                }}
            </p>
            <p class="org-kind">
                {move || org.get().map(|o| format!("{} · {}", kind_name(o.kind, t()), o.code))}
            </p>
            <Show when=move || org.get().is_none()>
                <p class="error" role="alert">{move || t().unknown_org}</p>
            </Show>
            <div class="filters">
                <div class="filter">
                    <label for="period">{move || t().period}</label>
                    <select id="period" class="field" on:change=on_period>
                        {move || {
                            let chosen = quarter.get();
                            quarters()
                                .into_iter()
                                .map(|q| {
                                    view! {
                                        <option value=q.to_string() selected=q == chosen>
                                            {q.label(t())}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
                {move || {
                    let list = questionnaires.get().and_then(Result::ok).unwrap_or_default();
                    (list.len() > 1)
                        .then(|| {
                            let chosen = questionnaire.get();
                            let on_questionnaire = on_questionnaire.clone();
                            view! {
                                <div class="filter">
                                    <label for="questionnaire">{t().questionnaire}</label>
                                    <select id="questionnaire" class="field" on:change=on_questionnaire>
                                        {list
                                            .into_iter()
                                            .map(|id| {
                                                let selected = chosen.as_deref() == Some(id.as_str());
                                                view! {
                                                    <option value=id.clone() selected=selected>
                                                        {t().questionnaire_name(&id)}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                            }
                        })
                }}
            </div>
            <p class="hint">
                {move || {
                    fill(t().compared_with, &[("period", &quarter.get().previous().label(t()))])
                }}
            </p>
            {move || match figures.get() {
                None => view! { <p class="notice">{t().loading}</p> }.into_any(),
                Some(Err(e)) if client::token_refused(&e) => ().into_any(),
                Some(Err(e)) => {
                    view! { <p class="error" role="alert">{client::explain(&e, t())}</p> }
                        .into_any()
                }
                Some(Ok(None)) => ().into_any(),
                Some(Ok(Some((stats, previous)))) => {
                    let charts = view! {
                        <OverviewCharts
                            token=charts_token.clone()
                            org_name=org.get().map(|o| o.name).unwrap_or_default()
                            quarter=quarter.get()
                            stats=stats.clone()
                        />
                    };
                    view! {
                        <Figures stats=stats previous=previous />
                        {charts}
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// The cards and the channel table of one reply.
#[component]
fn Figures(stats: StatsReply, previous: Option<StatsReply>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().dashboard;
    let cards = figures::cards(&stats, previous.as_ref());
    let min_n = stats.min_n;
    let (listed, observation) = figures::channels(&stats);
    let channel_name = move |c| {
        let index = CHANNEL_ORDER.iter().position(|&o| o == c).unwrap_or(0);
        t().channel_names[index]
    };
    view! {
        <h2>{move || t().figures}</h2>
        <div class="cards">
            {cards
                .into_iter()
                .map(|card| view! { <FigureCard card=card min_n=min_n /> })
                .collect_view()}
        </div>
        <table class="channels">
            <caption>{move || t().channels}</caption>
            <thead>
                <tr>
                    <th scope="col">{move || t().channel}</th>
                    <th scope="col">{move || t().responses}</th>
                </tr>
            </thead>
            <tbody>
                {listed
                    .into_iter()
                    .map(|(channel, n)| {
                        view! {
                            <tr>
                                <th scope="row">{move || channel_name(channel)}</th>
                                <td>{move || count(i18n.lang(), n)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        {observation
            .map(|n| {
                view! {
                    <p class="hint">
                        {move || t().channel_names[6]}
                        ": "
                        {move || count(i18n.lang(), n)}
                        ". "
                        {move || t().observation_apart}
                    </p>
                }
            })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picker_lists_known_questionnaires_first_in_menu_order() {
        let ran = [
            "zz-local",
            "nok-social",
            "express",
            "nsi-satisfaction",
            "aa-local",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            in_menu_order(ran),
            [
                "nsi-satisfaction",
                "express",
                "nok-social",
                "aa-local",
                "zz-local"
            ]
        );
        assert!(in_menu_order(Vec::new()).is_empty());
    }
}
