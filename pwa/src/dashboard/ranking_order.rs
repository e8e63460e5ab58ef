//! The ranking's pure parts (tested on the host): which figures a questionnaire can be ranked
//! by, the order the table shows (the server's ranks by default, or a column the person sorts
//! by), the tied groups as runs of rows, the common axis of the forest plot, and the rows'
//! markup.
//!
//! The rows are written as escaped HTML text rather than typed views: they never change once
//! drawn (a new sort draws them anew), and a typed view per cell costs the dashboard's bundle
//! several times what these few functions do. Their links are plain `<a href>`, which the
//! router follows like any other.

use otklik_shared::api::RankedInstitution;
use otklik_shared::questionnaire::{QuestionKind, Questionnaire};

use crate::charts::coord;
use crate::i18n::Lang;
use crate::numbers::{interval, value1};

/// A figure `/rankings` ranks by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RankMetric {
    /// The share satisfied of the 4-point `process` question.
    Satisfied,
    /// The share of «Да» of the yes/no `overall` question (НОК's satisfaction).
    Yes,
    /// The NPS of the `nps` question.
    Nps,
    /// The НОК total Sn.
    NokTotal,
}

impl RankMetric {
    /// Every metric, in the order the picker lists them (and of the strings' `metrics`).
    pub const ALL: [RankMetric; 4] = [Self::Satisfied, Self::Yes, Self::Nps, Self::NokTotal];

    /// The `metric` parameter of `/rankings`.
    pub fn wire(self) -> &'static str {
        match self {
            Self::Satisfied => "satisfied",
            Self::Yes => "yes",
            Self::Nps => "nps",
            Self::NokTotal => "nok_total",
        }
    }

    /// Its place in [`RankMetric::ALL`].
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|&m| m == self).unwrap_or(0)
    }

    /// The range the figure can take: shares and scores 0–100, NPS −100…100.
    fn bounds(self) -> (f64, f64) {
        match self {
            Self::Nps => (-100.0, 100.0),
            _ => (0.0, 100.0),
        }
    }
}

/// The metrics `questionnaire` can be ranked by: a figure for each default question
/// `/rankings` reads that the questionnaire has with the right kind, and Sn for a НОК one.
pub fn metrics(questionnaire: &Questionnaire) -> Vec<RankMetric> {
    let has =
        |id: &str, kind: QuestionKind| questionnaire.question(id).is_some_and(|q| q.kind == kind);
    RankMetric::ALL
        .into_iter()
        .filter(|m| match m {
            RankMetric::Satisfied => has("process", QuestionKind::Likert4),
            RankMetric::Yes => has("overall", QuestionKind::YesNo),
            RankMetric::Nps => has("nps", QuestionKind::Nps),
            RankMetric::NokTotal => questionnaire.nok,
        })
        .collect()
}

/// A column the table can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// The server's order: by rank, the unranked in the order they came.
    Rank,
    /// The institution's name.
    Name,
    /// The figure.
    Value,
    /// The number of answers.
    N,
}

/// How the table is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// The column.
    pub key: SortKey,
    /// Smallest (or first in the alphabet) first.
    pub ascending: bool,
}

impl Default for Sort {
    /// The ranking as the server made it.
    fn default() -> Self {
        Self {
            key: SortKey::Rank,
            ascending: true,
        }
    }
}

impl Sort {
    /// The sort after pressing `key`'s header button: the same column turns round; another
    /// starts where people expect it (places and names from the first, figures and n from
    /// the largest).
    pub fn toggled(self, key: SortKey) -> Self {
        if key == self.key {
            Self {
                key,
                ascending: !self.ascending,
            }
        } else {
            Self {
                key,
                ascending: matches!(key, SortKey::Rank | SortKey::Name),
            }
        }
    }

    /// The `aria-sort` of `key`'s column header.
    pub fn aria(self, key: SortKey) -> &'static str {
        match (key == self.key, self.ascending) {
            (false, _) => "none",
            (true, true) => "ascending",
            (true, false) => "descending",
        }
    }
}

/// The indices of `rows` in the order `sort` shows them. Rows without a figure come last in
/// either direction; ties keep the server's order (the sort is stable).
pub fn order(rows: &[RankedInstitution], sort: Sort) -> Vec<usize> {
    let mut indices: Vec<usize> = (0..rows.len()).collect();
    // Case-blind, and «ё» with «е» as Russian dictionaries order them.
    let names: Vec<String> = rows
        .iter()
        .map(|r| r.name.to_lowercase().replace('ё', "е"))
        .collect();
    let directed = |o: std::cmp::Ordering| if sort.ascending { o } else { o.reverse() };
    indices.sort_by(|&a, &b| {
        let (x, y) = (&rows[a], &rows[b]);
        match sort.key {
            SortKey::Rank => match (x.rank, y.rank) {
                (Some(p), Some(q)) => directed(p.cmp(&q)),
                (p, q) => p.is_none().cmp(&q.is_none()),
            },
            SortKey::Name => directed(names[a].cmp(&names[b]).then_with(|| x.org.cmp(&y.org))),
            SortKey::N => directed(x.n.cmp(&y.n)),
            SortKey::Value => match (x.value, y.value) {
                (Some(p), Some(q)) => directed(p.total_cmp(&q)),
                (p, q) => p.is_none().cmp(&q.is_none()),
            },
        }
    });
    indices
}

/// `ordered` cut into the runs the table shows as separate row groups: one per tied group
/// while the table is in the server's order, else one run.
pub fn runs(rows: &[RankedInstitution], ordered: Vec<usize>, sort: Sort) -> Vec<Vec<usize>> {
    if sort.key != SortKey::Rank {
        return vec![ordered];
    }
    let mut out: Vec<Vec<usize>> = Vec::new();
    for i in ordered {
        match out.last_mut() {
            Some(run) if rows[run[0]].group == rows[i].group => run.push(i),
            _ => out.push(vec![i]),
        }
    }
    out
}

/// Whether each row's tied group has other members (then its institutions «не различаются
/// статистически»).
pub fn tied(rows: &[RankedInstitution]) -> Vec<bool> {
    rows.iter()
        .map(|r| r.group.is_some() && rows.iter().filter(|o| o.group == r.group).count() > 1)
        .collect()
}

/// The forest plot's common axis: from `lo` to `hi` in the figure's units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Axis {
    /// The left end.
    pub lo: f64,
    /// The right end.
    pub hi: f64,
}

/// Width of the plot in SVG user units (the `viewBox`es say it too); the ends keep `MARGIN`
/// free for the caps and labels.
const PLOT_WIDTH: f64 = 200.0;
const MARGIN: f64 = 10.0;

impl Axis {
    /// The axis that holds every value and interval of `rows`, widened outward to tens (so
    /// its ends read as round numbers) and kept inside the range `metric` can take.
    pub fn of(rows: &[RankedInstitution], metric: RankMetric) -> Self {
        let (min, max) = metric.bounds();
        let (lo, hi) = rows
            .iter()
            .flat_map(|r| r.value.into_iter().chain(r.ci95.into_iter().flatten()))
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
        if lo > hi {
            return Self { lo: min, hi: max };
        }
        let lo = ((lo / 10.0).floor() * 10.0).max(min);
        let mut hi = ((hi / 10.0).ceil() * 10.0).min(max);
        if hi <= lo {
            hi = (lo + 10.0).min(max);
        }
        Self {
            lo: if hi <= lo { hi - 10.0 } else { lo },
            hi,
        }
    }

    /// Where `value` sits across the plot, in SVG user units (clamped to the plot).
    pub fn x(self, value: f64) -> f64 {
        let share = ((value - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0);
        MARGIN + share * (PLOT_WIDTH - 2.0 * MARGIN)
    }

    /// The tick values: both ends and the middle.
    pub fn ticks(self) -> [f64; 3] {
        [self.lo, (self.lo + self.hi) / 2.0, self.hi]
    }
}

/// The `viewBox` of a row's plot.
pub const ROW_VIEW_BOX: &str = "0 0 200 16";
/// The `viewBox` of the axis above the plots.
pub const AXIS_VIEW_BOX: &str = "0 0 200 18";

/// The markup inside a row's plot: the interval as a whisker with caps, the value as a square
/// point (drawn by class in the text colour, so they print black). Built as text: it never
/// changes once drawn, and one string costs the bundle far less than a typed view per shape.
pub fn whisker_markup(axis: Axis, value: Option<f64>, ci95: Option<[f64; 2]>) -> String {
    let mut out = String::new();
    if let Some([lo, hi]) = ci95 {
        let (a, b) = (coord(axis.x(lo)), coord(axis.x(hi)));
        out.push_str(&format!(
            r#"<path class="whisker" d="M{a} 4V12M{a} 8H{b}M{b} 4V12"/>"#
        ));
    }
    if let Some(v) = value {
        out.push_str(&format!(
            r#"<rect class="point" x="{}" y="5" width="6" height="6"/>"#,
            coord(axis.x(v) - 3.0)
        ));
    }
    out
}

/// The markup of the axis: a tick and its label (`labels`, as [`Axis::ticks`] orders them)
/// at both ends and the middle.
pub fn axis_markup(axis: Axis, labels: [String; 3]) -> String {
    axis.ticks()
        .into_iter()
        .zip(labels)
        .map(|(v, label)| {
            let x = coord(axis.x(v));
            format!(
                r#"<line class="grid" x1="{x}" x2="{x}" y1="0" y2="6"/><text x="{x}" y="16" text-anchor="middle">{label}</text>"#
            )
        })
        .collect()
}

/// `text` safe inside HTML text and double-quoted attributes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The cells every row starts its figures with: the name linking to `href`, the value and n.
fn name_value_n(row: &RankedInstitution, lang: Lang, href: &str) -> String {
    format!(
        r#"<th scope="row"><a href="{}">{}</a></th><td class="num">{}</td><td class="num">{}</td>"#,
        escape(href),
        escape(&row.name),
        value1(lang, row.value),
        row.n
    )
}

/// A ranked row: place, name, value, n, the interval written and drawn on `axis`, the group
/// (with `tie`, «не различаются статистически», when it has other members).
pub fn ranked_row(
    row: &RankedInstitution,
    lang: Lang,
    axis: Axis,
    href: &str,
    tie: Option<&str>,
) -> String {
    let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    let tie = tie
        .map(|t| format!(r#"<span class="tie"> · {}</span>"#, escape(t)))
        .unwrap_or_default();
    format!(
        r#"<tr><td class="num">{}</td>{}<td class="interval"><span>{}</span><svg class="forest" viewBox="{ROW_VIEW_BOX}" aria-hidden="true">{}</svg></td><td>{}{tie}</td></tr>"#,
        number(row.rank),
        name_value_n(row, lang, href),
        interval(lang, row.ci95),
        whisker_markup(axis, row.value, row.ci95),
        number(row.group)
    )
}

/// An unranked row (too few answers): name, value, n, the interval written.
pub fn unranked_row(row: &RankedInstitution, lang: Lang, href: &str) -> String {
    format!(
        r#"<tr>{}<td class="num">{}</td></tr>"#,
        name_value_n(row, lang, href),
        interval(lang, row.ci95)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        org: &str,
        name: &str,
        n: u64,
        value: Option<f64>,
        rank: Option<u32>,
        group: Option<u32>,
    ) -> RankedInstitution {
        RankedInstitution {
            org: org.into(),
            name: name.into(),
            n,
            value,
            ci95: value.map(|v| [v - 5.0, v + 5.0]),
            low_n: rank.is_none(),
            rank,
            group,
        }
    }

    fn sample() -> Vec<RankedInstitution> {
        vec![
            row("b", "Бета", 120, Some(80.0), Some(1), Some(1)),
            row("a", "альфа", 300, Some(78.0), Some(2), Some(1)),
            row("c", "Гамма", 90, Some(55.0), Some(3), Some(2)),
            row("d", "Дельта", 10, Some(90.0), None, None),
            row("e", "Ёлка", 5, None, None, None),
        ]
    }

    #[test]
    fn the_default_order_is_the_servers() {
        let rows = sample();
        assert_eq!(order(&rows, Sort::default()), [0, 1, 2, 3, 4]);
        let back = Sort::default().toggled(SortKey::Rank);
        assert_eq!(order(&rows, back), [2, 1, 0, 3, 4], "unranked stay last");
    }

    #[test]
    fn sorts_by_each_column_both_ways_with_missing_figures_last() {
        let rows = sample();
        let by = |key, ascending| order(&rows, Sort { key, ascending });
        assert_eq!(
            by(SortKey::Name, true),
            [1, 0, 2, 3, 4],
            "case does not matter"
        );
        assert_eq!(by(SortKey::Name, false), [4, 3, 2, 0, 1]);
        assert_eq!(by(SortKey::Value, false), [3, 0, 1, 2, 4]);
        assert_eq!(by(SortKey::Value, true), [2, 1, 0, 3, 4]);
        assert_eq!(by(SortKey::N, false), [1, 0, 2, 3, 4]);
        assert_eq!(by(SortKey::N, true), [4, 3, 2, 0, 1]);
    }

    #[test]
    fn header_buttons_turn_the_sort_round_and_say_so() {
        let by_name = Sort::default().toggled(SortKey::Name);
        assert_eq!(
            by_name,
            Sort {
                key: SortKey::Name,
                ascending: true
            }
        );
        assert_eq!(by_name.aria(SortKey::Name), "ascending");
        assert_eq!(by_name.aria(SortKey::Value), "none");
        let by_value = by_name.toggled(SortKey::Value);
        assert_eq!(by_value.aria(SortKey::Value), "descending");
        assert_eq!(
            by_value.toggled(SortKey::Value).aria(SortKey::Value),
            "ascending"
        );
    }

    #[test]
    fn tied_groups_are_runs_only_in_the_servers_order() {
        let rows: Vec<_> = sample().into_iter().take(3).collect();
        assert_eq!(tied(&rows), [true, true, false]);
        let sort = Sort::default();
        assert_eq!(
            runs(&rows, order(&rows, sort), sort),
            vec![vec![0, 1], vec![2]]
        );
        let by_n = sort.toggled(SortKey::N);
        assert_eq!(runs(&rows, order(&rows, by_n), by_n), vec![vec![1, 0, 2]]);
    }

    #[test]
    fn the_axis_holds_every_interval_in_round_numbers_within_the_metrics_range() {
        let rows = sample();
        let axis = Axis::of(&rows, RankMetric::Satisfied);
        assert_eq!(
            axis,
            Axis {
                lo: 50.0,
                hi: 100.0
            }
        );
        assert_eq!(axis.ticks(), [50.0, 75.0, 100.0]);
        assert_eq!(axis.x(50.0), 10.0);
        assert_eq!(axis.x(100.0), PLOT_WIDTH - 10.0);
        assert_eq!(axis.x(120.0), PLOT_WIDTH - 10.0, "clamped");
        let nps = [row("x", "X", 50, Some(-97.0), Some(1), Some(1))];
        assert_eq!(
            Axis::of(&nps, RankMetric::Nps),
            Axis {
                lo: -100.0,
                hi: -90.0
            }
        );
        assert_eq!(
            Axis::of(&[], RankMetric::Nps),
            Axis {
                lo: -100.0,
                hi: 100.0
            }
        );
        let full = [row("y", "Y", 50, Some(100.0), Some(1), Some(1))];
        assert_eq!(
            Axis::of(&full, RankMetric::NokTotal),
            Axis {
                lo: 90.0,
                hi: 100.0
            }
        );
    }

    #[test]
    fn plots_are_drawn_on_the_common_axis() {
        let axis = Axis {
            lo: 50.0,
            hi: 100.0,
        };
        assert_eq!(
            whisker_markup(axis, Some(75.0), Some([60.0, 90.0])),
            concat!(
                r#"<path class="whisker" d="M46 4V12M46 8H154M154 4V12"/>"#,
                r#"<rect class="point" x="97" y="5" width="6" height="6"/>"#
            )
        );
        assert_eq!(whisker_markup(axis, None, None), "");
        let labels = ["50".to_owned(), "75".to_owned(), "100".to_owned()];
        let markup = axis_markup(axis, labels);
        assert!(
            markup.starts_with(r#"<line class="grid" x1="10" x2="10""#),
            "{markup}"
        );
        assert!(markup.contains(r#"<text x="190" y="16" text-anchor="middle">100</text>"#));
    }

    #[test]
    fn rows_are_escaped_markup_with_the_figures_as_cells_show_them() {
        let mut inst = row(
            "a&b",
            "КЦСОН <«Заречье»>",
            120,
            Some(68.25),
            Some(2),
            Some(1),
        );
        inst.ci95 = Some([61.0, 74.94]);
        let axis = Axis {
            lo: 50.0,
            hi: 100.0,
        };
        let html = ranked_row(
            &inst,
            Lang::Ru,
            axis,
            "/dashboard?org=a%26b",
            Some("не различаются статистически"),
        );
        assert!(html.starts_with(r#"<tr><td class="num">2</td><th scope="row"><a href="/dashboard?org=a%26b">КЦСОН &lt;«Заречье»&gt;</a></th>"#), "{html}");
        assert!(
            html.contains(r#"<td class="num">68,3</td><td class="num">120</td>"#),
            "{html}"
        );
        assert!(html.contains("<span>[61,0; 74,9]</span>"), "{html}");
        assert!(html.contains(r#"class="whisker""#), "{html}");
        assert!(
            html.ends_with(
                r#"<td>1<span class="tie"> · не различаются статистически</span></td></tr>"#
            ),
            "{html}"
        );
        let alone = ranked_row(&inst, Lang::En, axis, "/x", None);
        assert!(
            alone.ends_with("<td>1</td></tr>") && alone.contains("68.3"),
            "{alone}"
        );
        inst.name = "\"'&".into();
        let few = unranked_row(&inst, Lang::Ru, "/y");
        assert!(few.contains("&quot;&#39;&amp;</a>"), "{few}");
        assert!(
            few.ends_with(r#"<td class="num">[61,0; 74,9]</td></tr>"#),
            "{few}"
        );
    }

    #[test]
    fn metrics_follow_the_questionnaires_questions() {
        let all = otklik_shared::catalog::builtin_questionnaires().unwrap();
        let of = |id: &str| metrics(all.iter().find(|q| q.id == id).unwrap());
        assert_eq!(
            of("nsi-satisfaction"),
            [RankMetric::Satisfied, RankMetric::Nps]
        );
        assert!(of("nok-social").contains(&RankMetric::NokTotal));
        assert!(!of("nok-social").contains(&RankMetric::Satisfied));
    }
}
