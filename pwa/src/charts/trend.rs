//! The trend chart: a question's headline figure per period with its 95 % interval.

use leptos::prelude::*;
use otklik_shared::api::{QuestionStats, TrendPeriod};

use super::format::{self, Length};
use super::geometry::{self, coord, Linear, Plot};
use super::{chart_figure, strings, text_width, ChartIds, Rendered, TableData};
use crate::i18n::{fill, Lang};

/// Which headline figure a trend carries (`/trends`' `value`): it sets the axis bounds, the
/// unit and the column name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Metric {
    /// `satisfied_pct` of a 4-point question, 0–100 %.
    Satisfied,
    /// `nps` of an NPS question, −100…100.
    Nps,
    /// `yes_pct` of a yes/no question, 0–100 %.
    Yes,
}

impl Metric {
    /// The metric of a question's `/stats` figures (`None` for kinds without a headline).
    pub(crate) fn of(stats: &QuestionStats) -> Option<Self> {
        match stats {
            QuestionStats::Likert4 { .. } => Some(Self::Satisfied),
            QuestionStats::Nps { .. } => Some(Self::Nps),
            QuestionStats::YesNo { .. } => Some(Self::Yes),
            _ => None,
        }
    }

    /// The values the figure can take.
    fn bounds(self) -> (f64, f64) {
        match self {
            Self::Satisfied | Self::Yes => (0.0, 100.0),
            Self::Nps => (-100.0, 100.0),
        }
    }

    /// The smallest value axis drawn, so that noise does not look like a trend.
    fn min_span(self) -> f64 {
        match self {
            Self::Satisfied | Self::Yes => 20.0,
            Self::Nps => 40.0,
        }
    }

    /// The column and axis name.
    fn name(self, lang: Lang) -> &'static str {
        let t = strings(lang);
        match self {
            Self::Satisfied => t.satisfied,
            Self::Nps => t.nps,
            Self::Yes => t.yes_share,
        }
    }

    /// A value in prose: «68,2 %» for shares, «27,3» for NPS.
    fn show(self, lang: Lang, value: f64) -> String {
        match self {
            Self::Satisfied | Self::Yes => format::percent(lang, value, 1),
            Self::Nps => format::tick(lang, value, 1),
        }
    }
}

/// The table under a trend: period, value, n, interval, note — one row per period, empty ones
/// included («нет ответов»), low-n ones marked «мало ответов».
pub(crate) fn trend_rows(lang: Lang, periods: &[TrendPeriod]) -> Vec<[String; 5]> {
    let t = strings(lang);
    periods
        .iter()
        .map(|p| {
            let note = if p.value.is_none() || p.n == 0 {
                t.no_answers
            } else if p.low_n {
                t.low_n
            } else {
                ""
            };
            [
                format::period(t, &p.period, Length::Long),
                format::value1(lang, p.value),
                p.n.to_string(),
                format::interval(lang, p.ci95),
                note.to_owned(),
            ]
        })
        .collect()
}

/// The sentences under the trend's title: the last period with a value, the range, how many
/// periods are empty or under the minimum n.
pub(crate) fn trend_summary(lang: Lang, metric: Metric, periods: &[TrendPeriod]) -> String {
    let t = strings(lang);
    let valued: Vec<(&TrendPeriod, f64)> = periods
        .iter()
        .filter_map(|p| Some((p, p.value.filter(|v| v.is_finite())?)))
        .collect();
    let Some(&(last, last_value)) = valued.last() else {
        return t.no_data.to_owned();
    };
    let label = |p: &TrendPeriod| format::period(t, &p.period, Length::Long);
    let mut sentences = vec![fill(
        t.trend_last,
        &[
            ("period", &label(last)),
            ("value", &metric.show(lang, last_value)),
            ("ci", &format::interval(lang, last.ci95)),
            ("n", &format::count(lang, last.n)),
        ],
    )];
    if valued.len() > 1 {
        // The first of equal extremes, so the sentence names the earliest period.
        let min = valued
            .iter()
            .fold(valued[0], |m, &x| if x.1 < m.1 { x } else { m });
        let max = valued
            .iter()
            .fold(valued[0], |m, &x| if x.1 > m.1 { x } else { m });
        sentences.push(fill(
            t.trend_range,
            &[
                ("min", &metric.show(lang, min.1)),
                ("min_period", &label(min.0)),
                ("max", &metric.show(lang, max.1)),
                ("max_period", &label(max.0)),
            ],
        ));
    }
    let gaps = periods.len() - valued.len();
    if gaps > 0 {
        sentences.push(fill(t.trend_gaps, &[("n", &gaps.to_string())]));
    }
    let low = valued.iter().filter(|(p, _)| p.low_n).count();
    if low > 0 {
        sentences.push(fill(t.trend_low, &[("n", &low.to_string())]));
    }
    sentences.join(" ")
}

/// `viewBox` size of the trend.
const WIDE: f64 = 720.0;
const HEIGHT: f64 = 300.0;
/// Height of the phone layout.
const COMPACT_HEIGHT: f64 = 250.0;
/// Font size of tick labels.
const FONT: f64 = 12.0;

/// A headline figure over periods: the value as a line (broken at periods without answers),
/// its 95 % interval as a band, low-n periods hollow and dashed; and the table of
/// [`trend_rows`].
///
/// Wiring: `periods` = `TrendsReply::periods` of `/trends?…&question=Q&grain=…`, `metric`
/// from the question's kind ([`Metric::of`] on its `/stats` figures), `title` names the
/// question and the org (also the table's caption).
#[component]
pub(crate) fn TrendChart(
    /// The chart's title, its accessible name and the table's caption.
    #[prop(into)]
    title: String,
    /// Which figure the values are.
    metric: Metric,
    /// The periods, oldest first, empty ones included.
    periods: Vec<TrendPeriod>,
) -> impl IntoView {
    chart_figure("chart-trend", WIDE, move |lang, ids, width| {
        render(lang, ids, width, &title, metric, &periods)
    })
}

fn render(
    lang: Lang,
    _ids: &ChartIds,
    width: f64,
    title: &str,
    metric: Metric,
    periods: &[TrendPeriod],
) -> Rendered {
    let t = strings(lang);
    let height = if width < 500.0 {
        COMPACT_HEIGHT
    } else {
        HEIGHT
    };
    let plot = Plot {
        left: 52.0,
        top: 30.0,
        width: width - 52.0 - 16.0,
        height: height - 30.0 - 40.0,
    };
    let ticks = geometry::trend_ticks(periods, metric.bounds(), metric.min_span());
    let y = Linear {
        d0: ticks.lo,
        d1: ticks.hi,
        r0: plot.bottom(),
        r1: plot.top,
    };
    let shapes = geometry::trend_shapes(periods, plot, y);

    let grid = ticks
        .values
        .iter()
        .map(|&v| {
            let at = coord(y.map(v));
            view! {
                <g class="tick">
                    <line x1=coord(plot.left) x2=coord(plot.right()) y1=at.clone() y2=at.clone() class="grid" />
                    <text x=coord(plot.left - 6.0) y=at dy="0.32em" text-anchor="end" class="tick-label">
                        {format::tick(lang, v, ticks.decimals)}
                    </text>
                </g>
            }
        })
        .collect_view();

    let labels: Vec<String> = periods
        .iter()
        .map(|p| format::period(t, &p.period, Length::Short))
        .collect();
    let widest = labels
        .iter()
        .map(|l| text_width(l, FONT))
        .fold(0.0, f64::max);
    let stride = geometry::label_stride(periods.len(), plot.width, widest + 10.0);
    let x_labels = labels
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i.is_multiple_of(stride))
        .map(|(i, label)| {
            view! {
                <text x=coord(plot.slot(i, periods.len())) y=coord(plot.bottom() + 20.0) text-anchor="middle" class="tick-label">
                    {label}
                </text>
            }
        })
        .collect_view();

    let bands = shapes
        .bands
        .into_iter()
        .map(|points| view! { <polygon points=points class="band" /> })
        .collect_view();
    let whiskers = shapes
        .whiskers
        .into_iter()
        .map(|w| {
            let (x, x0, x1) = (coord(w.x), coord(w.x - 5.0), coord(w.x + 5.0));
            let (top, bottom) = (coord(w.y_hi), coord(w.y_lo));
            view! {
                <g class="whisker">
                    <line x1=x.clone() x2=x y1=top.clone() y2=bottom.clone() />
                    <line x1=x0.clone() x2=x1.clone() y1=top.clone() y2=top />
                    <line x1=x0 x2=x1 y1=bottom.clone() y2=bottom />
                </g>
            }
        })
        .collect_view();
    let strokes = shapes
        .strokes
        .into_iter()
        .map(|s| {
            let class = if s.dashed { "line dashed" } else { "line" };
            view! { <path d=s.d class=class fill="none" /> }
        })
        .collect_view();
    let markers = shapes
        .points
        .into_iter()
        .map(|p| {
            let class = if p.low_n { "marker low-n" } else { "marker" };
            let period = &periods[p.index];
            let hint = format!(
                "{}: {} {}, n = {}{}",
                format::period(t, &period.period, Length::Long),
                format::value1(lang, period.value),
                format::interval(lang, period.ci95),
                period.n,
                if p.low_n {
                    format!(" ({})", t.low_n)
                } else {
                    String::new()
                },
            );
            view! {
                <g class=class>
                    <title>{hint}</title>
                    <circle cx=coord(p.x) cy=coord(p.y) r="4.5" />
                </g>
            }
        })
        .collect_view();

    // What the band is, where it fits beside the axis name (the summary's reader knows the
    // interval from the numbers).
    let band_note = format!(" · {}", t.band);
    let band_note = (text_width(&format!("{}{band_note}", metric.name(lang)), 13.0)
        <= width - plot.left)
        .then_some(band_note);
    let body = view! {
        <text x=coord(plot.left) y="14" class="axis-name">
            {metric.name(lang)}
            <tspan class="axis-note">{band_note}</tspan>
        </text>
        <g class="grid-lines">{grid}</g>
        <line x1=coord(plot.left) x2=coord(plot.right()) y1=coord(plot.bottom()) y2=coord(plot.bottom()) class="axis" />
        <g class="bands">{bands}{whiskers}</g>
        <g class="lines">{strokes}</g>
        <g class="markers">{markers}</g>
        <g class="x-labels">{x_labels}</g>
    }
    .into_any();
    Rendered {
        title: title.to_owned(),
        summary: trend_summary(lang, metric, periods),
        size: (width, height),
        body,
        table: TableData::new(
            title.to_owned(),
            [t.period, metric.name(lang), t.answers, t.interval, t.note],
            trend_rows(lang, periods),
            [false, true, true, false, false],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(
        period: &str,
        n: u64,
        value: Option<f64>,
        ci95: Option<[f64; 2]>,
        low_n: bool,
    ) -> TrendPeriod {
        TrendPeriod {
            period: period.to_owned(),
            n,
            value,
            ci95,
            low_n,
        }
    }

    fn sample() -> Vec<TrendPeriod> {
        vec![
            period("2025Q3", 310, Some(65.0), Some([59.5, 70.1]), false),
            period("2025Q4", 0, None, None, false),
            period("2026Q1", 12, Some(58.33), Some([31.9, 80.67]), true),
            period("2026Q2", 340, Some(68.24), Some([61.0, 74.94]), false),
        ]
    }

    #[test]
    fn rows_hold_the_numbers_of_trends() {
        let rows = trend_rows(Lang::Ru, &sample());
        assert_eq!(
            rows,
            [
                ["2025 — III квартал", "65,0", "310", "[59,5; 70,1]", ""],
                ["2025 — IV квартал", "—", "0", "—", "нет ответов"],
                [
                    "2026 — I квартал",
                    "58,3",
                    "12",
                    "[31,9; 80,7]",
                    "мало ответов"
                ],
                ["2026 — II квартал", "68,2", "340", "[61,0; 74,9]", ""],
            ]
        );
        let rows = trend_rows(Lang::En, &sample());
        assert_eq!(rows[3], ["Q2 2026", "68.2", "340", "[61.0, 74.9]", ""]);
        assert_eq!(rows[2][4], "few answers");
    }

    #[test]
    fn months_and_negative_nps_in_rows() {
        let rows = trend_rows(
            Lang::Ru,
            &[period(
                "2026-01",
                1500,
                Some(-12.5),
                Some([-20.04, -4.96]),
                false,
            )],
        );
        assert_eq!(
            rows,
            [["январь 2026", "-12,5", "1500", "[-20,0; -5,0]", ""]]
        );
    }

    #[test]
    fn summary_tells_the_last_value_the_range_and_the_gaps() {
        let text = trend_summary(Lang::Ru, Metric::Satisfied, &sample());
        assert_eq!(
            text,
            "2026 — II квартал: 68,2\u{a0}%, 95 % интервал [61,0; 74,9], n = 340. \
             Наименьшее значение 58,3\u{a0}% (2026 — I квартал), наибольшее 68,2\u{a0}% (2026 — II квартал). \
             Периодов без ответов: 1. Периодов с малым числом ответов: 1."
        );
    }

    #[test]
    fn summary_of_one_period_and_of_none() {
        let one = [period("2026Q1", 50, Some(-5.0), Some([-20.0, 10.0]), false)];
        assert_eq!(
            trend_summary(Lang::Ru, Metric::Nps, &one),
            "2026 — I квартал: \u{2212}5,0, 95 % интервал [-20,0; 10,0], n = 50."
        );
        let empty = [period("2026Q1", 0, None, None, false)];
        assert_eq!(
            trend_summary(Lang::Ru, Metric::Nps, &empty),
            "Нет ответов за эти периоды."
        );
        assert_eq!(
            trend_summary(Lang::En, Metric::Nps, &[]),
            "No answers in these periods."
        );
    }

    #[test]
    fn draws_in_both_layouts_whatever_the_periods() {
        let gap = period("2026Q1", 0, None, None, false);
        let months: Vec<TrendPeriod> = (1..=36)
            .map(|m| {
                period(
                    &format!("{}-{:02}", 2024 + (m - 1) / 12, (m - 1) % 12 + 1),
                    40,
                    Some(-30.0 + f64::from(m)),
                    None,
                    m % 5 == 0,
                )
            })
            .collect();
        for periods in [
            sample(),
            vec![],
            vec![gap.clone()],
            vec![sample()[0].clone()],
            vec![gap.clone(), gap],
            months,
        ] {
            for width in [WIDE, super::super::COMPACT] {
                let r = render(
                    Lang::Ru,
                    &ChartIds::new(),
                    width,
                    "Т",
                    Metric::Nps,
                    &periods,
                );
                assert_eq!(r.size.0, width);
                assert_eq!(r.table.rows.len(), periods.len());
                assert_eq!(r.table.head.len(), 5);
            }
        }
    }

    #[test]
    fn metrics_from_stats() {
        let nps = QuestionStats::Nps {
            n: 0,
            scores: [0; 11],
            promoters: 0,
            passives: 0,
            detractors: 0,
            nps: None,
            ci95: None,
            low_n: true,
        };
        assert_eq!(Metric::of(&nps), Some(Metric::Nps));
        assert_eq!(Metric::of(&QuestionStats::Text { n: 3 }), None);
        assert_eq!(Metric::Nps.bounds(), (-100.0, 100.0));
    }
}
