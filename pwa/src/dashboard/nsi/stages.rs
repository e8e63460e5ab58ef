//! «Проблемные этапы»: the stages of the life situation ranked by the share of negative
//! answers (`/nsi/stages`, most negative first, as the server sorts them), with n and the
//! tagged comments' counts by kind of loss. A server without the stage view answers 404: the
//! page then says so instead of failing.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::dashboard::client::nsi::StageRow;
use crate::dashboard::grid::{grid, Cell, Grid, Row};
use crate::dashboard::workspace::failure;
use crate::i18n::{fill, use_i18n};
use crate::numbers::value1;

/// The stage view of a year, from what `/nsi/stages` answered.
pub fn stages(reply: &Result<Vec<StageRow>, ApiError>, year: i32) -> AnyView {
    let i18n = use_i18n();
    let (lang, t) = (i18n.lang(), i18n.t().dashboard.nsi);
    let body = match reply {
        Err(ApiError::Http { status: 404, .. }) => {
            view! { <p class="notice">{t.stages_unavailable}</p> }.into_any()
        }
        Err(e) => failure(e.clone()),
        Ok(list) if list.iter().all(|s| s.n == 0) => {
            view! { <p class="notice">{t.no_stages}</p> }.into_any()
        }
        Ok(list) => {
            let rows = list
                .iter()
                .map(|s| {
                    let mut cells = vec![
                        Cell::new(s.n.to_string()),
                        Cell::new(s.negative.to_string()),
                        Cell::new(value1(lang, s.negative_pct)),
                        Cell::new(s.comments.to_string()),
                    ];
                    cells.extend(s.losses.counts().map(|n| Cell::new(n.to_string())));
                    Row::new(s.name.clone(), cells)
                })
                .collect();
            let mut columns = vec![t.stage, t.answers, t.negative, t.negative_pct, t.comments];
            columns.extend(i18n.t().dashboard.nsi_terms.losses);
            grid(Grid {
                id: "nsi-stages".into(),
                caption: fill(t.stages_caption, &[("year", &year.to_string())]),
                columns,
                groups: vec![rows],
            })
        }
    };
    view! {
        <h2>{t.stages}</h2>
        {body}
    }
    .into_any()
}
