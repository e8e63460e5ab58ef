//! «Сводка НСИ»: every life situation × KPI of the selected org's subtree for a year, the
//! latest quarter against its approved target (`/nsi/overview`), so one screen tells the
//! governor's office where the region stands. Each situation's name links to its report.

use leptos::prelude::*;
use otklik_shared::nsi::Kpi;

use super::{kpi_name, verdict_cell};
use crate::dashboard::address::ViewState;
use crate::dashboard::client::nsi::{OverviewKpi, OverviewRow};
use crate::dashboard::grid::{grid, Cell, Grid, Head, Row};
use crate::dashboard::nsi_rules::Verdict;
use crate::dashboard::period::Quarter;
use crate::i18n::{fill, use_i18n};
use crate::numbers::{value1, NONE};

/// The summary table of the org named `name` for `year`, from `/nsi/overview`'s rows.
pub fn summary(
    rows: &[OverviewRow],
    name: &str,
    year: i32,
    view_state: Memo<ViewState>,
) -> AnyView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let d = i18n.t().dashboard;
    let (t, terms) = (d.nsi, d.nsi_terms);
    let list = rows;
    let groups = list
        .iter()
        .map(|row| {
            let ls = &row.life_situation;
            let href = view_state.with_untracked(|v| v.with_life_situation(Some(&ls.code)).href());
            let mut head = Some(Head::Link {
                href,
                text: format!("ЖС-{} · {}", ls.no, ls.name),
                span: 3,
            });
            [
                (Kpi::Satisfied, &row.satisfied),
                (Kpi::Nps, &row.nps),
                (Kpi::Time, &row.time),
            ]
            .into_iter()
            .map(|(kpi, k)| {
                let OverviewKpi {
                    quarter,
                    n,
                    value,
                    unit,
                    target,
                    achieved,
                } = k;
                let (n, value, target, achieved) = (*n, *value, *target, *achieved);
                let quarter = quarter
                    .as_deref()
                    .and_then(Quarter::parse)
                    .map_or_else(|| NONE.to_owned(), |q| q.label(d));
                let unit = unit.as_deref().unwrap_or("days");
                Row {
                    head: head.take().unwrap_or(Head::Spanned),
                    cells: vec![
                        Cell::new(kpi_name(terms, kpi, unit)),
                        Cell::new(quarter),
                        Cell::new(n.map(|n| n.to_string()).unwrap_or_default()),
                        Cell::new(value1(lang, value)),
                        Cell::new(value1(lang, target)),
                        verdict_cell(t, Verdict::of(achieved, target.is_some())),
                    ],
                    low_n: false,
                }
            })
            .collect()
        })
        .collect();
    grid(Grid {
        id: "nsi-summary".into(),
        caption: fill(
            t.summary_caption,
            &[("org", name), ("year", &year.to_string())],
        ),
        columns: vec![
            t.situation,
            t.kpi,
            t.quarter,
            t.answers,
            t.value,
            t.target,
            t.result,
        ],
        groups,
    })
}
