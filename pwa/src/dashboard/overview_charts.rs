//! The overview's charts under the cards: the share satisfied (or the НОК question behind the
//! card) over the last eight quarters with its interval band (`/trends`), one stacked bar per
//! 4-point question and the NPS distribution 0–10 of the selected quarter (`/stats`, already
//! fetched for the cards). Each chart has its «Таблица»; the charts themselves are in
//! `crate::charts` and fetch nothing.

use std::collections::HashMap;

use leptos::prelude::*;
use otklik_shared::api::{QuestionStats, StatsReply};

use super::client;
use super::figures::satisfied_question_id;
use super::period::Quarter;
use super::session::use_session;
use crate::charts::{LikertBar, LikertQuestion, Metric, NpsChart, NpsFigures, TrendChart};
use crate::i18n::{fill, use_i18n};

/// Quarters the trend shows, the selected one last: two years, enough to see a season.
const TREND_QUARTERS: usize = 8;

/// The first of the `TREND_QUARTERS` quarters that end with `last`.
fn trend_start(last: Quarter) -> Quarter {
    (1..TREND_QUARTERS).fold(last, |q, _| q.previous())
}

/// The charts of one selection.
#[component]
pub fn OverviewCharts(
    /// The signed-in official's token.
    token: String,
    /// The org's name, for the titles.
    org_name: String,
    /// The selected quarter.
    quarter: Quarter,
    /// The quarter's `/stats`, which the cards show too.
    stats: StatsReply,
    /// Without the trend, which is citizens' (`/trends`): the walk-throughs' page.
    #[prop(optional)]
    no_trend: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_session();
    let t = move || i18n.t().dashboard;
    let question = satisfied_question_id(&stats).map(str::to_owned);
    let (org, questionnaire) = (stats.org.clone(), stats.questionnaire.clone());

    // The questions' texts label the bars and the trend; until they come, the ids do.
    let texts = {
        let (token, questionnaire) = (token.clone(), questionnaire.clone());
        LocalResource::new(move || {
            let (token, questionnaire) = (token.clone(), questionnaire.clone());
            async move {
                client::questionnaire(&token, &questionnaire)
                    .await
                    .map(|q| {
                        q.questions
                            .into_iter()
                            .enumerate()
                            .map(|(i, q)| (q.id, (i, q.text)))
                            .collect::<HashMap<_, _>>()
                    })
                    .unwrap_or_default()
            }
        })
    };
    let trend = {
        let question = question.clone();
        LocalResource::new(move || {
            let (token, org, questionnaire, question) = (
                token.clone(),
                org.clone(),
                questionnaire.clone(),
                question.clone(),
            );
            async move {
                let question = question.filter(|_| !no_trend)?;
                let range = (trend_start(quarter), quarter);
                match client::quarterly_trend(&token, &org, &questionnaire, &question, range).await
                {
                    Ok(reply) => Some(reply.periods),
                    Err(e) => {
                        client::expire_if_refused(&e, context);
                        None
                    }
                }
            }
        })
    };
    let metric = question
        .as_deref()
        .and_then(|q| stats.questions.get(q))
        .and_then(Metric::of);
    let nps = stats
        .questions
        .get("nps")
        .into_iter()
        .chain(stats.questions.values())
        .find_map(NpsFigures::from_stats);
    let likert: Vec<(String, QuestionStats)> = stats
        .questions
        .iter()
        .filter(|(_, q)| matches!(q, QuestionStats::Likert4 { .. }))
        .map(|(id, q)| (id.clone(), q.clone()))
        .collect();
    let label = move |id: &str| {
        texts
            .get()
            .and_then(|t| t.get(id).map(|(order, text)| (*order, text.clone())))
            .unwrap_or((usize::MAX, id.to_owned()))
    };
    let period = move || quarter.label(t());
    let (trend_org, likert_org, nps_org) = (org_name.clone(), org_name.clone(), org_name);

    view! {
        <h2>{move || t().charts}</h2>
        <div class="charts">
            {move || {
                let (Some(metric), Some(Some(periods))) = (metric, trend.get()) else {
                    return ().into_any();
                };
                let question = question.as_deref().map(|q| label(q).1).unwrap_or_default();
                let title = fill(
                    t().trend_title,
                    &[("question", &question), ("org", &trend_org)],
                );
                view! { <TrendChart title=title metric=metric periods=periods /> }.into_any()
            }}
            {move || {
                let mut bars: Vec<(usize, LikertQuestion)> = likert
                    .iter()
                    .filter_map(|(id, q)| {
                        let (order, text) = label(id);
                        LikertQuestion::from_stats(text, q).map(|bar| (order, bar))
                    })
                    .collect();
                bars.sort_by_key(|(order, _)| *order);
                let questions: Vec<LikertQuestion> = bars.into_iter().map(|(_, b)| b).collect();
                (!questions.is_empty())
                    .then(|| {
                        let title = fill(
                            t().likert_title,
                            &[("org", &likert_org), ("period", &period())],
                        );
                        view! { <LikertBar title=title questions=questions /> }
                    })
            }}
            {move || {
                nps.clone()
                    .map(|figures| {
                        let title = fill(
                            t().nps_title,
                            &[("org", &nps_org), ("period", &period())],
                        );
                        view! { <NpsChart title=title figures=figures /> }
                    })
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trend_covers_two_years_ending_with_the_selected_quarter() {
        let last = Quarter::parse("2026Q3").expect("a quarter");
        assert_eq!(
            trend_start(last),
            Quarter::parse("2024Q4").expect("a quarter")
        );
        let first = Quarter::parse("2026Q1").expect("a quarter");
        assert_eq!(
            trend_start(first),
            Quarter::parse("2024Q2").expect("a quarter")
        );
    }
}
