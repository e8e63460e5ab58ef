//! «Наблюдение»: the expert walk-throughs («контрольная закупка», channel `observation`) of
//! the selected org and quarter, on their own page and labelled as such — never among
//! citizens' figures. The same cards and charts as the overview (without its trend, which is
//! citizens'), from `GET /observations`, and the batches the walk-throughs were keyed in as.

use leptos::prelude::*;
use otklik_shared::api::{ObservationBatch, ObservationsReply};

use super::cards::FigureCard;
use super::client;
use super::comments::when;
use super::figures;
use super::filters::{Filters, Selection};
use super::overview_charts::OverviewCharts;
use super::sections::Section;
use super::session::use_session;
use super::workspace::SectionContext;
use crate::api::ApiError;
use crate::i18n::use_i18n;
use crate::numbers::count;

/// The page.
#[component]
pub fn ObservationPage(ctx: SectionContext) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_session();
    let t = move || i18n.t().dashboard;
    let org = ctx.titled_org(Section::Observation);
    let selected = ctx.selected;
    let selection = Selection::new(ctx.view_state, selected, &ctx.session);
    let Selection {
        quarter,
        questionnaire,
        ..
    } = selection;
    let token = ctx.session.token.clone();
    let reply = LocalResource::new(move || {
        let token = token.clone();
        let (code, id, period) = (selected.get(), questionnaire.get(), quarter.get());
        async move {
            let (Some(code), Some(id)) = (code, id) else {
                return Ok(None);
            };
            Ok::<_, ApiError>(Some(
                client::observations(&token, &code, &id, period).await?,
            ))
        }
    });
    Effect::new(move || {
        if let Some(Err(e)) = reply.get() {
            client::expire_if_refused(&e, context);
        }
    });
    let charts_token = ctx.session.token.clone();
    view! {
        <section class="observation" aria-labelledby="observation-title">
            <h1 id="observation-title">
                {move || t().section_names[Section::Observation.index()]}
                {move || org.get().map(|o| format!(" — {}", o.name))}
            </h1>
            <p class="observation-apart">
                <strong>{move || t().observation.apart}</strong>
            </p>
            <p class="hint">{move || t().observation.intro}</p>
            <Filters selection=selection view_state=ctx.view_state />
            {move || match client::pending(reply.get(), t()) {
                Err(shown) => shown,
                Ok(reply) => {
                    let org_name = org.get().map(|o| o.name).unwrap_or_default();
                    view! {
                        <Walkthroughs
                            reply=reply
                            org_name=org_name
                            token=charts_token.clone()
                            quarter=quarter.get()
                        />
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// The walk-throughs' cards, charts and batches.
#[component]
fn Walkthroughs(
    reply: ObservationsReply,
    org_name: String,
    token: String,
    quarter: super::period::Quarter,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().dashboard;
    let ObservationsReply { figures, batches } = reply;
    if figures.responses == 0 {
        return view! { <p class="notice">{move || t().observation.none}</p> }.into_any();
    }
    let min_n = figures.min_n;
    let cards = figures::cards(&figures, None)
        .into_iter()
        .map(|card| view! { <FigureCard card=card min_n=min_n /> })
        .collect_view();
    view! {
        <h2>{move || t().figures}</h2>
        <div class="cards">{cards}</div>
        <OverviewCharts token=token org_name=org_name quarter=quarter stats=figures no_trend=true />
        <Batches batches=batches />
    }
    .into_any()
}

/// The table of batches: label, who recorded it (when the reader may see it), how many, when.
#[component]
fn Batches(batches: Vec<ObservationBatch>) -> impl IntoView {
    let i18n = use_i18n();
    let o = move || i18n.t().dashboard.observation;
    let rows = batches
        .into_iter()
        .map(|b| {
            let label = b.entry_batch.clone();
            let who = b.entered_by.clone();
            view! {
                <tr>
                    <th scope="row">{move || label.clone().unwrap_or_else(|| o().no_label.to_owned())}</th>
                    <td>{move || who.clone().unwrap_or_else(|| o().hidden.to_owned())}</td>
                    <td>{move || count(i18n.lang(), b.responses)}</td>
                    <td>{move || when(&b.first_at, i18n.lang())}</td>
                    <td>{move || when(&b.last_at, i18n.lang())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" role="region" aria-labelledby="batches-caption" tabindex="0">
        <table class="batches">
            <caption id="batches-caption">{move || o().batches}</caption>
            <thead>
                <tr>
                    {move || {
                        o().columns
                            .iter()
                            .map(|c| view! { <th scope="col">{*c}</th> })
                            .collect_view()
                    }}
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        </div>
    }
}
