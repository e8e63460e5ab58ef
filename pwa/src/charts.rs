//! The dashboard's charts (dashboard bundle): hand-drawn SVG that scales with its box and
//! prints in black on white, each with a «Таблица» button that shows the same numbers as a
//! real table — the accessible alternative, and what officials copy into a spreadsheet.
//!
//! Presentational only: each chart takes plain data (the reply types of `/trends` and
//! `/stats`) and fetches nothing.
//! - [`TrendChart`] — a headline figure per period (`TrendsReply::periods`): the value as a
//!   line, broken where a period has no answers, its 95 % interval as a band; periods under
//!   the minimum n hollow and dashed, and «мало ответов» in the table.
//! - [`LikertBar`] — one stacked bar per 4-point question: Да / Скорее да / Скорее нет / Нет,
//!   told apart in greyscale by lightness and hatching as well as colour, with shares.
//! - [`NpsChart`] — the NPS distribution 0–10 (or its three groups when only they are known),
//!   coloured by group, with the NPS and the group shares.
//!
//! Every chart is a `<figure>`: its caption (title and a sentence or two of summary) names and
//! describes an `<svg role="img">`; the table has a `<caption>`, plain numbers in cells
//! (`format`: one decimal with the language's separator, n, the interval «[61,0; 74,9]»).
//! The numbers come from pure functions (`trend_rows`, `likert_rows`, `nps_rows`), which the
//! tests check; `geometry` holds the drawing arithmetic. Styles are in `assets/dashboard.css`,
//! which only the dashboard loads; no inline styles (the CSP has `style-src 'self'`).

mod format;
mod geometry;
mod likert;
mod nps;
mod trend;

use std::sync::atomic::{AtomicU32, Ordering};

use leptos::prelude::*;

use crate::i18n::{ChartStrings, Lang};

/// Short SVG coordinates without float formatting, for drawings outside this module too.
pub(crate) use geometry::coord;
pub(crate) use likert::{LikertBar, LikertQuestion};
pub(crate) use nps::{NpsChart, NpsFigures};
pub(crate) use trend::{Metric, TrendChart};

/// The charts' strings in `lang`.
fn strings(lang: Lang) -> &'static ChartStrings {
    crate::i18n::strings(lang).charts
}

/// Element ids of one chart, unique in the document (labels and patterns refer to them).
#[derive(Debug, Clone)]
struct ChartIds {
    /// The chart's prefix; pattern ids are made from it.
    base: String,
}

impl ChartIds {
    fn new() -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        Self {
            base: format!("chart-{}", NEXT.fetch_add(1, Ordering::Relaxed)),
        }
    }

    /// `chart-7-{part}`.
    fn part(&self, part: &str) -> String {
        format!("{}-{part}", self.base)
    }
}

/// A chart's table: plain text cells, the first of each row heading it.
#[derive(Debug, Clone, PartialEq)]
struct TableData {
    caption: String,
    head: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Columns that hold numbers (aligned right).
    numeric: Vec<bool>,
}

impl TableData {
    fn new<H: Into<String>, const N: usize>(
        caption: String,
        head: [H; N],
        rows: Vec<[String; N]>,
        numeric: [bool; N],
    ) -> Self {
        Self {
            caption,
            head: head.into_iter().map(Into::into).collect(),
            rows: rows.into_iter().map(Vec::from).collect(),
            numeric: numeric.to_vec(),
        }
    }
}

/// What one chart shows in one language.
struct Rendered {
    /// The title (the figure's and the SVG's accessible name).
    title: String,
    /// Sentences under the title (the SVG's description).
    summary: String,
    /// `viewBox` width and height.
    size: (f64, f64),
    /// The SVG's content.
    body: AnyView,
    table: TableData,
}

/// The figure around every chart: caption, SVG, the «Таблица» disclosure and its table.
///
/// `render` draws the chart `wide` units across, and again [`COMPACT`] across for phones;
/// the stylesheet shows one of the two SVGs (the other is `display: none`, so out of the
/// accessibility tree too), by the width of the screen.
///
/// The button is a disclosure (`aria-expanded` + `aria-controls`), so its name stays
/// «Таблица» whether open or not; `render` runs again when the language changes, while
/// whether the table is open survives it.
fn chart_figure(
    class: &'static str,
    wide: f64,
    render: impl Fn(Lang, &ChartIds, f64) -> Rendered + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let ids = ChartIds::new();
    let compact_ids = ChartIds {
        base: format!("{}-compact", ids.base),
    };
    let open = RwSignal::new(false);
    move || {
        let lang = i18n.lang();
        let Rendered {
            title,
            summary,
            size: (width, height),
            body,
            table,
        } = render(lang, &ids, wide);
        let compact = render(lang, &compact_ids, COMPACT);
        let (compact_width, compact_height) = compact.size;
        let (title_id, summary_id, table_id) =
            (ids.part("title"), ids.part("summary"), ids.part("table"));
        let (figure_label, table_ref) = (title_id.clone(), table_id.clone());
        view! {
            <figure class=format!("chart {class}") aria-labelledby=figure_label>
                <figcaption>
                    <span class="chart-title" id=ids.part("title")>{title}</span>
                    <span class="chart-summary" id=ids.part("summary")>{summary}</span>
                </figcaption>
                <svg
                    class="chart-svg wide"
                    role="img"
                    aria-labelledby=title_id.clone()
                    aria-describedby=summary_id.clone()
                    viewBox=view_box(width, height)
                    preserveAspectRatio="xMidYMid meet"
                    focusable="false"
                >
                    {body}
                </svg>
                <svg
                    class="chart-svg compact"
                    role="img"
                    aria-labelledby=title_id
                    aria-describedby=summary_id
                    viewBox=view_box(compact_width, compact_height)
                    preserveAspectRatio="xMidYMid meet"
                    focusable="false"
                >
                    {compact.body}
                </svg>
                <button
                    type="button"
                    class="chart-toggle"
                    aria-expanded=move || if open.get() { "true" } else { "false" }
                    aria-controls=table_ref
                    on:click=move |_| open.update(|o| *o = !*o)
                >
                    {strings(lang).table}
                </button>
                <div
                    class="chart-table"
                    id=table_id
                    role="region"
                    aria-labelledby=ids.part("caption")
                    tabindex="0"
                    hidden=move || !open.get()
                >
                    {data_table(table, ids.part("caption"))}
                </div>
            </figure>
        }
    }
}

/// `viewBox` width of every chart's phone layout: drawn at about 1:1 on a phone, so its text
/// stays readable where the wide layout would shrink it to half.
const COMPACT: f64 = 360.0;

/// `0 0 {width} {height}`.
fn view_box(width: f64, height: f64) -> String {
    format!("0 0 {} {}", geometry::coord(width), geometry::coord(height))
}

/// A `<table>` from [`TableData`]: header cells with `scope`, numbers aligned right; its
/// caption (`caption_id`) also names the scrolling region around it, which is focusable so a
/// keyboard can scroll a wide table on a narrow screen.
fn data_table(table: TableData, caption_id: String) -> impl IntoView {
    let TableData {
        caption,
        head,
        rows,
        numeric,
    } = table;
    let class = move |i: usize| {
        if numeric.get(i).copied().unwrap_or(false) {
            "num"
        } else {
            ""
        }
    };
    let head = head
        .into_iter()
        .enumerate()
        .map(|(i, h)| view! { <th scope="col" class=class(i)>{h}</th> })
        .collect_view();
    let rows = rows
        .into_iter()
        .map(|row| {
            let cells = row
                .into_iter()
                .enumerate()
                .map(|(i, cell)| {
                    if i == 0 {
                        view! { <th scope="row">{cell}</th> }.into_any()
                    } else {
                        view! { <td class=class(i)>{cell}</td> }.into_any()
                    }
                })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <table>
            <caption id=caption_id>{caption}</caption>
            <thead>
                <tr>{head}</tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The hatching patterns of a chart (`{id}-hatch-dark`: dark lines for light fills,
/// `{id}-hatch-light`: light lines for dark fills), so fills stay apart in greyscale print.
fn hatch_defs(ids: &ChartIds) -> impl IntoView {
    view! {
        <defs>
            <pattern
                id=ids.part("hatch-dark")
                patternUnits="userSpaceOnUse"
                width="6"
                height="6"
                patternTransform="rotate(45)"
            >
                <line x1="0" y1="0" x2="0" y2="6" class="hatch-dark" stroke="#000" stroke-width="1.5" />
            </pattern>
            <pattern
                id=ids.part("hatch-light")
                patternUnits="userSpaceOnUse"
                width="6"
                height="6"
                patternTransform="rotate(45)"
            >
                <line x1="0" y1="0" x2="0" y2="6" class="hatch-light" stroke="#fff" stroke-width="1.5" />
            </pattern>
        </defs>
    }
}

/// A fill of the charts' palette: its CSS class and the hatching laid over it, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fill {
    /// Darkest, solid (Да; NPS promoters).
    Dark,
    /// Light, solid (Скорее да).
    Light,
    /// Light, hatched (Скорее нет).
    LightHatched,
    /// Dark, hatched (Нет; NPS detractors).
    DarkHatched,
    /// Neutral grey, solid (NPS passives).
    Neutral,
}

impl Fill {
    /// The 4-point scale's fills, Да first.
    const LIKERT: [Fill; 4] = [
        Self::Dark,
        Self::Light,
        Self::LightHatched,
        Self::DarkHatched,
    ];

    fn class(self) -> &'static str {
        match self {
            Self::Dark => "fill-dark",
            Self::Light => "fill-light",
            Self::LightHatched => "fill-light-alt",
            Self::DarkHatched => "fill-dark-alt",
            Self::Neutral => "fill-neutral",
        }
    }

    /// The hatching pattern's id over this fill.
    fn hatch(self, ids: &ChartIds) -> Option<String> {
        match self {
            Self::LightHatched => Some(ids.part("hatch-dark")),
            Self::DarkHatched => Some(ids.part("hatch-light")),
            _ => None,
        }
    }

    /// Class of text drawn on this fill (light text on dark fills).
    fn text_class(self) -> &'static str {
        match self {
            Self::Dark | Self::DarkHatched => "on-dark",
            _ => "on-light",
        }
    }
}

/// A rectangle in `fill`, with its hatching over it.
fn filled_rect(
    ids: &ChartIds,
    fill: Fill,
    x: f64,
    y: f64,
    width: f64,
    height: f64,
) -> impl IntoView {
    let (x, y, w, h) = (
        geometry::coord(x),
        geometry::coord(y),
        geometry::coord(width),
        geometry::coord(height),
    );
    let hatch = fill.hatch(ids).map(|id| {
        view! {
            <rect
                x=x.clone()
                y=y.clone()
                width=w.clone()
                height=h.clone()
                fill=format!("url(#{id})")
                class="hatch"
            />
        }
    });
    view! {
        <g>
            <rect x=x.clone() y=y.clone() width=w.clone() height=h.clone() class=fill.class() />
            {hatch}
        </g>
    }
}

/// `sentence` with `(note)` before its final full stop: «…, n = 3 (мало ответов).»
fn with_note(sentence: &str, note: &str) -> String {
    let body = sentence.strip_suffix('.').unwrap_or(sentence);
    format!("{body} ({note}).")
}

/// Rough width of `text` at the charts' small font size, in user units (for fitting labels).
fn text_width(text: &str, font_size: f64) -> f64 {
    text.chars().count() as f64 * font_size * 0.56
}

/// `text` cut into lines of at most `max_chars`, at spaces; at most `max_lines`, the last one
/// ending in «…» when something was left out.
fn wrap(text: &str, max_chars: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let fits =
            current.is_empty() || current.chars().count() + 1 + word.chars().count() <= max_chars;
        if !fits {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        let last = lines.last_mut().expect("max_lines > 0");
        let keep: String = last.chars().take(max_chars.saturating_sub(1)).collect();
        *last = format!("{}…", keep.trim_end());
    }
    let cut = |line: &String| {
        if line.chars().count() > max_chars {
            format!(
                "{}…",
                line.chars()
                    .take(max_chars.saturating_sub(1))
                    .collect::<String>()
            )
        } else {
            line.clone()
        }
    };
    lines.iter().map(cut).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_and_marks_what_it_leaves_out() {
        assert_eq!(wrap("Да", 10, 2), ["Да"]);
        assert_eq!(
            wrap("Удовлетворены ли Вы вежливостью сотрудников", 20, 2),
            ["Удовлетворены ли Вы", "вежливостью…"]
        );
        assert_eq!(wrap("один два три", 8, 3), ["один два", "три"]);
        assert_eq!(wrap("сверхдлинноеслово", 6, 2), ["сверх…"]);
        assert!(wrap("", 10, 2).is_empty());
    }

    #[test]
    fn notes_go_before_the_full_stop() {
        assert_eq!(with_note("n = 3.", "мало ответов"), "n = 3 (мало ответов).");
        assert_eq!(with_note("n = 3", "мало ответов"), "n = 3 (мало ответов).");
    }

    #[test]
    fn table_data_keeps_the_rows() {
        let t = TableData::new(
            "c".to_owned(),
            ["a", "b"],
            vec![["1".to_owned(), "2".to_owned()]],
            [false, true],
        );
        assert_eq!(t.head, ["a", "b"]);
        assert_eq!(t.rows, [["1", "2"]]);
        assert_eq!(t.numeric, [false, true]);
    }
}
