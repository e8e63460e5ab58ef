//! A data table drawn from plain rows (the НСИ report, its summary and stages, the versions of
//! targets and baselines): a caption, column headers with `scope="col"`, a row header per row
//! (`scope="row"`, or a `scope="rowgroup"` link spanning a group's rows), cells of text with an
//! optional second line, all in a named, focusable region that scrolls on a phone. One
//! component for every such table keeps each bundle small: every distinct `view!` shape is
//! compiled anew, data is not.

use leptos::prelude::*;

use super::workspace::table_head;

/// A cell: its text, an optional second line (greyed), an optional class.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// The text.
    pub text: String,
    /// A second line under it.
    pub detail: Option<String>,
    /// Its class (a verdict, a warning).
    pub class: Option<&'static str>,
}

impl Cell {
    /// A cell of `text`.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }

    /// With a second line.
    pub fn detail(self, detail: Option<String>) -> Self {
        Self { detail, ..self }
    }

    /// With a class.
    pub fn class(self, class: &'static str) -> Self {
        Self {
            class: Some(class),
            ..self
        }
    }
}

/// A row's header.
#[derive(Debug, Clone, PartialEq)]
pub enum Head {
    /// `th scope="row"` of this text.
    Text(String),
    /// `th scope="rowgroup"` spanning `span` rows, a link to `href` named `text`.
    Link {
        /// Where it leads.
        href: String,
        /// Its name.
        text: String,
        /// How many rows it heads.
        span: usize,
    },
    /// Headed by the row group's link above.
    Spanned,
}

/// A row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Its header.
    pub head: Head,
    /// Its cells.
    pub cells: Vec<Cell>,
    /// Greyed: too few answers.
    pub low_n: bool,
}

impl Row {
    /// A row headed by `head`'s text.
    pub fn new(head: impl Into<String>, cells: Vec<Cell>) -> Self {
        Self {
            head: Head::Text(head.into()),
            cells,
            low_n: false,
        }
    }
}

/// A table.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// The caption's id (the region is named by it).
    pub id: String,
    /// The caption: the table's accessible name.
    pub caption: String,
    /// Column headers, the row headers' column first.
    pub columns: Vec<&'static str>,
    /// Row groups (one `tbody` each).
    pub groups: Vec<Vec<Row>>,
}

/// Draws `grid`.
pub fn grid(grid: Grid) -> AnyView {
    let Grid {
        id,
        caption,
        columns,
        groups,
    } = grid;
    let bodies = groups
        .into_iter()
        .map(|rows| {
            let rows = rows.into_iter().map(row).collect_view();
            view! { <tbody>{rows}</tbody> }
        })
        .collect_view();
    let region = id.clone();
    view! {
        <div class="table-scroll" role="region" aria-labelledby=region tabindex="0">
            <table class="grid">
                <caption id=id>{caption}</caption>
                {table_head(&columns)}
                {bodies}
            </table>
        </div>
    }
    .into_any()
}

fn row(r: Row) -> impl IntoView {
    let head = match r.head {
        Head::Text(text) => Some(view! { <th scope="row">{text}</th> }.into_any()),
        Head::Link { href, text, span } => Some(
            view! {
                <th scope="rowgroup" rowspan=span>
                    <a href=href>{text}</a>
                </th>
            }
            .into_any(),
        ),
        Head::Spanned => None,
    };
    let cells = r
        .cells
        .into_iter()
        .map(|c| {
            let detail = c.detail.map(|d| view! { <span class="detail">{d}</span> });
            view! { <td class=c.class>{c.text}{detail}</td> }
        })
        .collect_view();
    view! { <tr class:low-n=r.low_n>{head}{cells}</tr> }
}
