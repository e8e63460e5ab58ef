//! «Наблюдение»: the expert walk-throughs («контрольная закупка», channel `observation`) of
//! the selected org and quarter, on their own page and labelled as such — never among
//! citizens' figures. The same cards and charts as the overview (without its trend, which is
//! citizens'), from `GET /observations`, and the batches the walk-throughs were keyed in as.
//!
//! Its texts are drawn once per language rather than each through its own reactive closure:
//! the results bundle has a size budget, and every reactive text costs code.

use leptos::prelude::*;
use leptos::task::spawn_local;
use otklik_shared::api::{ObservationBatch, ObservationsReply};

use super::cards::FigureCard;
use super::client;
use super::figures;
use super::filters::{Filters, Selection};
use super::overview_charts::OverviewCharts;
use super::sections::Section;
use super::session::use_session;
use super::workspace::SectionContext;
use crate::api::ApiError;
use crate::browser;
use crate::i18n::{use_i18n, Lang};
use crate::numbers::count;

/// The page.
#[component]
pub fn ObservationPage(ctx: SectionContext) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_session();
    let org = ctx.titled_org(Section::Observation);
    let selected = ctx.selected;
    let selection = Selection::new(ctx.view_state, selected, &ctx.session);
    let (quarter, questionnaire) = (selection.quarter, selection.questionnaire);
    // A signal filled by a task rather than a resource: one more resource type costs the
    // results bundle generic code (≈0.7 KB brotli, measured).
    let reply = RwSignal::new(None::<Result<Option<ObservationsReply>, ApiError>>);
    let token = ctx.session.token.clone();
    Effect::new(move || {
        let token = token.clone();
        let asked = (selected.get(), questionnaire.get(), quarter.get());
        reply.set(None);
        spawn_local(async move {
            let got = match &asked {
                (Some(code), Some(id), period) => client::observations(&token, code, id, *period)
                    .await
                    .map(Some),
                _ => Ok(None),
            };
            // A later choice wins over a slower earlier read.
            let now = (
                selected.get_untracked(),
                questionnaire.get_untracked(),
                quarter.get_untracked(),
            );
            if now == asked {
                reply.set(Some(got));
            }
        });
    });
    let token = ctx.session.token.clone();
    let content = move || {
        let (lang, t) = (i18n.lang(), i18n.t().dashboard);
        let result = reply.get();
        if let Some(Err(e)) = &result {
            client::expire_if_refused(e, context);
        }
        let ObservationsReply { figures, batches } = match client::pending(result, t) {
            Ok(reply) => reply,
            Err(shown) => return shown,
        };
        if figures.responses == 0 {
            return view! { <p class="notice">{t.observation.none}</p> }.into_any();
        }
        let min_n = figures.min_n;
        let cards = figures::cards(&figures, None)
            .into_iter()
            .map(|card| view! { <FigureCard card=card min_n=min_n /> })
            .collect_view();
        let org_name = org.get_untracked().map(|o| o.name).unwrap_or_default();
        view! {
            <h2>{t.figures}</h2>
            <div class="cards">{cards}</div>
            <OverviewCharts
                token=token.clone()
                org_name=org_name
                quarter=quarter.get_untracked()
                stats=figures
                no_trend=true
            />
            {batch_table(batches, lang)}
        }
        .into_any()
    };
    let heading = move || {
        let t = i18n.t().dashboard;
        let name = t.section_names[Section::Observation.index()];
        let title = org
            .get()
            .map_or(name.to_owned(), |o| format!("{name} — {}", o.name));
        view! {
            <h1 id="observation-title">{title}</h1>
            <p class="observation-apart">
                <strong>{t.observation.apart}</strong>
            </p>
            <p class="hint">{t.observation.intro}</p>
        }
    };
    view! {
        <section class="observation" aria-labelledby="observation-title">
            {heading}
            <Filters selection=selection view_state=ctx.view_state />
            {content}
        </section>
    }
}

/// The batches: label, who recorded it (when the reader may see it), how many, when.
fn batch_table(batches: Vec<ObservationBatch>, lang: Lang) -> impl IntoView {
    let o = crate::i18n::strings(lang).dashboard.observation;
    let rows = batches
        .into_iter()
        .map(|b| {
            let cells = [
                b.entered_by.unwrap_or_else(|| o.hidden.to_owned()),
                count(lang, b.responses),
                browser::local_time(&b.first_at, lang.tag()),
                browser::local_time(&b.last_at, lang.tag()),
            ];
            let label = b.entry_batch.unwrap_or_else(|| o.no_label.to_owned());
            view! {
                <tr>
                    <th scope="row">{label}</th>
                    {cells.map(|c| view! { <td>{c}</td> })}
                </tr>
            }
        })
        .collect_view();
    let header = o.columns.map(|c| view! { <th scope="col">{c}</th> });
    view! {
        <div class="table-scroll" role="region" aria-labelledby="batches-caption" tabindex="0">
            <table class="batches">
                <caption id="batches-caption">{o.batches}</caption>
                <thead>
                    <tr>{header}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
