//! The 4-point questions as stacked bars: Да / Скорее да / Скорее нет / Нет.

use leptos::prelude::*;
use otklik_shared::answer::Likert4;
use otklik_shared::api::QuestionStats;

use super::format;
use super::geometry::{self, coord, shares_tenths};
use super::{
    chart_figure, filled_rect, hatch_defs, strings, text_width, with_note, wrap, ChartIds, Fill,
    Rendered, TableData,
};
use crate::i18n::{fill, Lang};

/// One 4-point question's figures, as `/stats` gives them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LikertQuestion {
    /// The question as officials know it (its text, or a short name).
    pub label: String,
    /// Answers.
    pub n: u64,
    /// Answers per option, in scale order: Да, Скорее да, Скорее нет, Нет.
    pub counts: [u64; 4],
    /// Share of «Да» + «Скорее да», 0–100; `None` without answers.
    pub satisfied_pct: Option<f64>,
    /// Its 95 % interval.
    pub ci95: Option<[f64; 2]>,
    /// Fewer answers than the minimum n.
    pub low_n: bool,
}

impl LikertQuestion {
    /// From a question's `/stats` figures (`StatsReply::questions[id]`); `None` unless it is
    /// a 4-point question.
    pub(crate) fn from_stats(label: impl Into<String>, stats: &QuestionStats) -> Option<Self> {
        let QuestionStats::Likert4 {
            n,
            counts,
            satisfied_pct,
            ci95,
            low_n,
        } = stats
        else {
            return None;
        };
        Some(Self {
            label: label.into(),
            n: *n,
            counts: Likert4::ALL.map(|v| counts.get(v.as_str()).copied().unwrap_or(0)),
            satisfied_pct: *satisfied_pct,
            ci95: *ci95,
            low_n: *low_n,
        })
    }
}

/// The column names of [`likert_rows`].
fn likert_head(lang: Lang) -> [String; 13] {
    let t = strings(lang);
    let options = lang.strings().likert;
    let share = options.map(|o| format!("{o}{}", t.share_suffix));
    let count = options.map(|o| format!("{o}{}", t.count_suffix));
    [
        t.question.to_owned(),
        t.answers.to_owned(),
        share[0].clone(),
        share[1].clone(),
        share[2].clone(),
        share[3].clone(),
        count[0].clone(),
        count[1].clone(),
        count[2].clone(),
        count[3].clone(),
        t.satisfied.to_owned(),
        t.interval.to_owned(),
        t.note.to_owned(),
    ]
}

/// The table under the bars, one row per question: the question, n, each option's share (one
/// decimal, adding up to 100,0) and count, the share satisfied and its interval as `/stats`
/// gives them, and a note («мало ответов», «нет ответов»).
pub(crate) fn likert_rows(lang: Lang, questions: &[LikertQuestion]) -> Vec<[String; 13]> {
    let t = strings(lang);
    questions
        .iter()
        .map(|q| {
            let total: u64 = q.counts.iter().sum();
            let shares = shares_tenths(&q.counts);
            let share = |i: usize| {
                if total == 0 {
                    format::NONE.to_owned()
                } else {
                    format::decimal(lang, f64::from(shares[i]) / 10.0, 1)
                }
            };
            let note = if total == 0 {
                t.no_answers
            } else if q.low_n {
                t.low_n
            } else {
                ""
            };
            [
                q.label.clone(),
                q.n.to_string(),
                share(0),
                share(1),
                share(2),
                share(3),
                q.counts[0].to_string(),
                q.counts[1].to_string(),
                q.counts[2].to_string(),
                q.counts[3].to_string(),
                format::value1(lang, q.satisfied_pct),
                format::interval(lang, q.ci95),
                note.to_owned(),
            ]
        })
        .collect()
}

/// A sentence per question: the share satisfied with its interval and n.
pub(crate) fn likert_summary(lang: Lang, questions: &[LikertQuestion]) -> String {
    let t = strings(lang);
    questions
        .iter()
        .map(|q| match q.satisfied_pct {
            Some(value) => {
                let line = fill(
                    t.likert_line,
                    &[
                        ("question", &q.label),
                        ("value", &format::percent(lang, value, 1)),
                        ("ci", &format::interval(lang, q.ci95)),
                        ("n", &format::count(lang, q.n)),
                    ],
                );
                if q.low_n {
                    with_note(&line, t.low_n)
                } else {
                    line
                }
            }
            None => fill(t.likert_empty, &[("question", &q.label)]),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `viewBox` width, and the layout's vertical measures.
const WIDE: f64 = 640.0;
const LEGEND: f64 = 34.0;
const LINE: f64 = 17.0;
const BAR: f64 = 28.0;
const GAP: f64 = 18.0;
/// Font sizes: question labels, shares inside the bars.
const LABEL_FONT: f64 = 13.0;
const SHARE_FONT: f64 = 12.0;

/// One stacked bar per 4-point question (Да / Скорее да / Скорее нет / Нет) with each
/// option's share written in its segment where it fits, n above the bar's end, a legend, the share satisfied in the
/// summary, and the table of [`likert_rows`]. Options are told apart by lightness and
/// hatching as well as hue, so a greyscale print keeps them apart.
///
/// Wiring: one [`LikertQuestion::from_stats`] per `likert4` entry of `StatsReply::questions`,
/// labelled with the question's text from the questionnaire.
#[component]
pub(crate) fn LikertBar(
    /// The chart's title, its accessible name and the table's caption.
    #[prop(into)]
    title: String,
    /// The questions, one bar each, in questionnaire order.
    questions: Vec<LikertQuestion>,
) -> impl IntoView {
    chart_figure("chart-likert", WIDE, move |lang, ids, width| {
        render(lang, ids, width, &title, &questions)
    })
}

fn render(
    lang: Lang,
    ids: &ChartIds,
    width: f64,
    title: &str,
    questions: &[LikertQuestion],
) -> Rendered {
    let t = strings(lang);
    let options = lang.strings().likert;

    let mut legend_x = 0.0;
    let legend = options
        .iter()
        .zip(Fill::LIKERT)
        .map(|(label, fill)| {
            let x = legend_x;
            legend_x += 22.0 + text_width(label, SHARE_FONT) + 22.0;
            view! {
                <g class="legend-item">
                    {filled_rect(ids, fill, x, 6.0, 16.0, 16.0)}
                    <rect x=coord(x) y="6" width="16" height="16" class="swatch-edge" fill="none" />
                    <text x=coord(x + 22.0) y="18.5" class="legend-label">{*label}</text>
                </g>
            }
        })
        .collect_view();

    // Room for «n = 12 345» at the right of the label's last line.
    let max_chars = ((width - 100.0) / (LABEL_FONT * 0.56)) as usize;
    let mut top = LEGEND;
    let bars = questions
        .iter()
        .map(|q| {
            let mut label = q.label.clone();
            if q.low_n {
                label = format!("{label} — {}", t.low_n);
            }
            let lines = wrap(&label, max_chars, if width < 500.0 { 3 } else { 2 });
            let label_top = top;
            let bar_y = top + lines.len() as f64 * LINE + 4.0;
            top = bar_y + BAR + GAP;
            let label_view = lines
                .into_iter()
                .enumerate()
                .map(|(i, line)| {
                    view! {
                        <text x="0" y=coord(label_top + (i as f64 + 1.0) * LINE - 4.0) class="bar-label">{line}</text>
                    }
                })
                .collect_view();
            let n_label = view! {
                <text x=coord(width) y=coord(bar_y - 6.0) text-anchor="end" class="count-label">
                    {format!("n = {}", format::count(lang, q.n))}
                </text>
            };
            let total: u64 = q.counts.iter().sum();
            let shares = shares_tenths(&q.counts);
            let segments = geometry::stack(&q.counts, width);
            let body = if total == 0 {
                view! {
                    <rect x="0" y=coord(bar_y) width=coord(width) height=coord(BAR) class="empty-bar" fill="none" />
                    <text x=coord(width / 2.0) y=coord(bar_y + BAR / 2.0) dy="0.35em" text-anchor="middle" class="share-label on-light">
                        {t.no_answers}
                    </text>
                }
                .into_any()
            } else {
                segments
                    .iter()
                    .zip(Fill::LIKERT)
                    .zip(shares)
                    .filter(|((segment, _), _)| segment.width > 0.0)
                    .map(|((segment, fill), tenths)| {
                        let text = format::percent(lang, f64::from(tenths) / 10.0, 1);
                        let fits = text_width(&text, SHARE_FONT) + 8.0 <= segment.width;
                        let share = fits.then(|| {
                            view! {
                                <text
                                    x=coord(segment.x + segment.width / 2.0)
                                    y=coord(bar_y + BAR / 2.0)
                                    dy="0.35em"
                                    text-anchor="middle"
                                    class=format!("share-label {}", fill.text_class())
                                >
                                    {text}
                                </text>
                            }
                        });
                        view! {
                            <g>
                                {filled_rect(ids, fill, segment.x, bar_y, segment.width, BAR)}
                                {share}
                            </g>
                        }
                    })
                    .collect_view()
                    .into_any()
            };
            let class = if q.low_n { "bar low-n" } else { "bar" };
            view! {
                <g class=class>
                    {label_view}
                    {n_label}
                    {body}
                </g>
            }
        })
        .collect_view();
    let height = top - GAP + 4.0;

    let body = view! {
        {hatch_defs(ids)}
        <g class="legend">{legend}</g>
        <g class="bars">{bars}</g>
    }
    .into_any();
    Rendered {
        title: title.to_owned(),
        summary: likert_summary(lang, questions),
        size: (width, height.max(LEGEND + LINE)),
        body,
        table: TableData::new(
            title.to_owned(),
            likert_head(lang),
            likert_rows(lang, questions),
            [
                false, true, true, true, true, true, true, true, true, true, true, false, false,
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn question(
        counts: [u64; 4],
        satisfied_pct: Option<f64>,
        ci95: Option<[f64; 2]>,
        low_n: bool,
    ) -> LikertQuestion {
        LikertQuestion {
            label: "Процесс".to_owned(),
            n: counts.iter().sum(),
            counts,
            satisfied_pct,
            ci95,
            low_n,
        }
    }

    #[test]
    fn from_stats_reads_counts_in_scale_order() {
        let counts: BTreeMap<String, u64> = [
            ("no", 50),
            ("rather_no", 150),
            ("yes", 700),
            ("rather_yes", 300),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let stats = QuestionStats::Likert4 {
            n: 1200,
            counts,
            satisfied_pct: Some(83.33),
            ci95: Some([81.1, 85.3]),
            low_n: false,
        };
        let q = LikertQuestion::from_stats("Процесс", &stats).expect("likert4");
        assert_eq!(q.counts, [700, 300, 150, 50]);
        assert_eq!(q.n, 1200);
        assert_eq!(
            LikertQuestion::from_stats("x", &QuestionStats::Text { n: 1 }),
            None
        );
        let sparse = QuestionStats::Likert4 {
            n: 3,
            counts: [("yes".to_owned(), 3)].into_iter().collect(),
            satisfied_pct: Some(100.0),
            ci95: None,
            low_n: true,
        };
        assert_eq!(
            LikertQuestion::from_stats("x", &sparse)
                .expect("likert4")
                .counts,
            [3, 0, 0, 0]
        );
    }

    #[test]
    fn rows_hold_shares_counts_and_the_headline() {
        let rows = likert_rows(
            Lang::Ru,
            &[question(
                [700, 300, 150, 50],
                Some(83.33),
                Some([81.1, 85.3]),
                false,
            )],
        );
        assert_eq!(
            rows,
            [[
                "Процесс",
                "1200",
                "58,3",
                "25,0",
                "12,5",
                "4,2",
                "700",
                "300",
                "150",
                "50",
                "83,3",
                "[81,1; 85,3]",
                ""
            ]]
        );
    }

    #[test]
    fn shares_in_rows_add_up_to_one_hundred() {
        let rows = likert_rows(
            Lang::Ru,
            &[question(
                [1, 1, 1, 0],
                Some(66.67),
                Some([20.8, 93.9]),
                true,
            )],
        );
        assert_eq!(rows[0][2..6], ["33,4", "33,3", "33,3", "0,0"]);
        assert_eq!(rows[0][12], "мало ответов");
        let sum: f64 = rows[0][2..6]
            .iter()
            .map(|s| s.replace(',', ".").parse::<f64>().expect("number"))
            .sum();
        assert!((sum - 100.0).abs() < 1e-9);
    }

    #[test]
    fn all_in_one_option_and_no_answers() {
        let rows = likert_rows(
            Lang::En,
            &[question([0, 0, 0, 9], Some(0.0), Some([0.0, 29.9]), true)],
        );
        assert_eq!(rows[0][2..6], ["0.0", "0.0", "0.0", "100.0"]);
        let rows = likert_rows(Lang::Ru, &[question([0, 0, 0, 0], None, None, true)]);
        assert_eq!(rows[0][2..6], ["—", "—", "—", "—"]);
        assert_eq!(rows[0][10..], ["—", "—", "нет ответов"]);
    }

    #[test]
    fn draws_in_both_layouts_whatever_the_answers() {
        let long = LikertQuestion {
            label: "Очень длинный вопрос ".repeat(20),
            ..question([1, 0, 0, 1_000_000], Some(0.0), Some([0.0, 0.1]), false)
        };
        let questions = vec![
            question([700, 300, 150, 50], Some(83.33), Some([81.1, 85.3]), false),
            question([0, 0, 0, 0], None, None, true),
            question([0, 0, 5, 0], Some(0.0), Some([0.0, 43.4]), true),
            long,
        ];
        for qs in [questions, vec![]] {
            for width in [WIDE, super::super::COMPACT] {
                let r = render(Lang::En, &ChartIds::new(), width, "T", &qs);
                assert_eq!(r.size.0, width);
                assert!(r.size.1 > 0.0);
                assert_eq!(r.table.rows.len(), qs.len());
            }
        }
    }

    #[test]
    fn head_names_each_option() {
        let head = likert_head(Lang::Ru);
        assert_eq!(
            head[2..6],
            ["Да, %", "Скорее да, %", "Скорее нет, %", "Нет, %"]
        );
        assert_eq!(head[6], "Да, n");
        assert_eq!(head[10], "Доля удовлетворённых, %");
    }

    #[test]
    fn summary_per_question() {
        let qs = [
            question([700, 300, 150, 50], Some(83.33), Some([81.1, 85.3]), false),
            question([0, 0, 0, 0], None, None, true),
            question([2, 1, 0, 0], Some(100.0), Some([43.85, 100.0]), true),
        ];
        assert_eq!(
            likert_summary(Lang::Ru, &qs),
            "Процесс — «Да» и «Скорее да» 83,3\u{a0}%, 95 % интервал [81,1; 85,3], n = 1200. Процесс — нет ответов. \
             Процесс — «Да» и «Скорее да» 100,0\u{a0}%, 95 % интервал [43,9; 100,0], n = 3 (мало ответов)."
        );
    }
}
