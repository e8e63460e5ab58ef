//! The overview of the selected org: the quarter («Период», the current one by default,
//! compared with the one before) and the questionnaire when the subtree runs several (the
//! pickers of [`super::filters`]), the downloads of the view ([`super::exports`]), the cards
//! and the channel split, all from `/stats` of the two quarters.

use std::sync::Arc;

use leptos::prelude::*;
use otklik_shared::api::StatsReply;
use otklik_shared::org::OrgKind;

use super::address::ViewState;
use super::cards::FigureCard;
use super::client;
use super::exports::Exports;
use super::figures::{self, CHANNEL_ORDER};
use super::filters::{Filters, Selection};
use super::overview_charts::OverviewCharts;
use super::session::{use_session, Session};
use super::tree::OrgTree;
use crate::api::ApiError;
use crate::browser;
use crate::i18n::{fill, use_i18n, DashboardStrings};
use crate::numbers::count;

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
    let selection = Selection::new(view_state, selected, &session);
    let Selection {
        quarter,
        questionnaire,
        ..
    } = selection;

    let org = {
        let tree = tree.clone();
        Memo::new(move |_| selected.get().and_then(|code| tree.get(&code).cloned()))
    };
    Effect::new(move || {
        if let Some(org) = org.get() {
            browser::set_document_title(&format!("{} — {}", org.name, t().title));
        }
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
    });

    let charts_token = session.token.clone();
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
            <Filters selection=selection view_state=view_state />
            <Exports token=session.token.clone() selected=selected selection=selection />
            <p class="hint">
                {move || {
                    fill(t().compared_with, &[("period", &quarter.get().previous().label(t()))])
                }}
            </p>
            {move || match client::pending(figures.get(), t()) {
                Err(shown) => shown,
                Ok((stats, previous)) => {
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
