//! The NPS distribution: answers per score 0–10 coloured by group, with the NPS.

use leptos::prelude::*;
use otklik_shared::api::QuestionStats;

use super::format;
use super::geometry::{self, coord, shares_tenths, NpsGroup};
use super::{
    chart_figure, filled_rect, hatch_defs, strings, text_width, with_note, ChartIds, Fill,
    Rendered, TableData,
};
use crate::i18n::{fill, Lang};

/// An NPS question's figures.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NpsFigures {
    /// Answers.
    pub n: u64,
    /// Answers per score 0–10.
    pub scores: [u64; 11],
    /// Answers per group: detractors (0–6), passives (7–8), promoters (9–10).
    pub groups: [u64; 3],
    /// NPS, −100…100; `None` without answers.
    pub nps: Option<f64>,
    /// Its 95 % interval.
    pub ci95: Option<[f64; 2]>,
    /// Fewer answers than the minimum n.
    pub low_n: bool,
}

impl NpsFigures {
    /// From an NPS question's `/stats` figures (`StatsReply::questions[id]`); `None` unless it
    /// is an NPS question.
    pub(crate) fn from_stats(stats: &QuestionStats) -> Option<Self> {
        let QuestionStats::Nps {
            n,
            scores,
            promoters,
            passives,
            detractors,
            nps,
            ci95,
            low_n,
        } = *stats
        else {
            return None;
        };
        Some(Self {
            n,
            scores,
            groups: [detractors, passives, promoters],
            nps,
            ci95,
            low_n,
        })
    }
}

/// The group's fill: promoters dark and solid, passives neutral, detractors dark and hatched.
fn group_fill(group: NpsGroup) -> Fill {
    match group {
        NpsGroup::Detractor => Fill::DarkHatched,
        NpsGroup::Passive => Fill::Neutral,
        NpsGroup::Promoter => Fill::Dark,
    }
}

/// «0–6», «7–8», «9–10».
fn group_scores(group: NpsGroup) -> String {
    let (first, last) = group.scores();
    format!("{first}–{last}")
}

/// The table under the NPS chart: one row per score, then one per group, then
/// the total — scores, group, answers, share (one decimal; the score rows add up to 100,0, and
/// so do the group rows). The NPS itself, with its interval and n, is in the caption.
pub(crate) fn nps_rows(lang: Lang, figures: &NpsFigures) -> Vec<[String; 4]> {
    let t = strings(lang);
    let total: u64 = figures.groups.iter().sum();
    let share = |tenths: u32| {
        if total == 0 {
            format::NONE.to_owned()
        } else {
            format::decimal(lang, f64::from(tenths) / 10.0, 1)
        }
    };
    let mut rows = Vec::new();
    let tenths = shares_tenths(&figures.scores);
    for (score, n) in figures.scores.iter().enumerate() {
        rows.push([
            score.to_string(),
            t.nps_groups[NpsGroup::of(score) as usize].to_owned(),
            n.to_string(),
            share(tenths[score]),
        ]);
    }
    let tenths = shares_tenths(&figures.groups);
    for group in NpsGroup::ALL {
        let i = group as usize;
        rows.push([
            group_scores(group),
            t.nps_groups[i].to_owned(),
            figures.groups[i].to_string(),
            share(tenths[i]),
        ]);
    }
    rows.push([
        "0–10".to_owned(),
        t.total.to_owned(),
        total.to_string(),
        share(if total == 0 { 0 } else { 1000 }),
    ]);
    rows
}

/// The sentence under the title: NPS, interval, n and the group shares.
pub(crate) fn nps_summary(lang: Lang, figures: &NpsFigures) -> String {
    let t = strings(lang);
    let total: u64 = figures.groups.iter().sum();
    if total == 0 && figures.nps.is_none() {
        return t.no_data.to_owned();
    }
    let tenths = shares_tenths(&figures.groups);
    let pct = |i: usize| format::percent(lang, f64::from(tenths[i]) / 10.0, 1);
    let mut line = fill(
        t.nps_line,
        &[
            ("value", &nps_value(lang, figures)),
            ("ci", &format::interval(lang, figures.ci95)),
            ("n", &format::count(lang, figures.n)),
            ("promoters", &pct(2)),
            ("passives", &pct(1)),
            ("detractors", &pct(0)),
        ],
    );
    if figures.low_n {
        line = with_note(&line, t.low_n);
    }
    line
}

/// The NPS with one decimal: the reply's, or computed from the groups when it has none.
fn nps_value(lang: Lang, figures: &NpsFigures) -> String {
    format::value1(lang, figures.nps.or_else(|| geometry::nps(figures.groups)))
}

/// The table caption: the title with NPS, interval and n.
fn nps_caption(lang: Lang, title: &str, figures: &NpsFigures) -> String {
    fill(
        strings(lang).nps_caption,
        &[
            ("title", title),
            ("value", &nps_value(lang, figures)),
            ("ci", &format::interval(lang, figures.ci95)),
            ("n", &figures.n.to_string()),
        ],
    )
}

/// `viewBox` size and layout.
const WIDE: f64 = 640.0;
const HEIGHT: f64 = 270.0;
const TOP: f64 = 40.0;
const BARS: f64 = 140.0;
const FONT: f64 = 12.0;

/// The NPS distribution: a bar per score 0–10 coloured by group (detractors dark and hatched,
/// passives grey, promoters dark), the groups bracketed under the axis with their shares, the
/// NPS in the summary, and the table of [`nps_rows`].
///
/// Wiring: [`NpsFigures::from_stats`] on the `nps` entry of `StatsReply::questions`.
#[component]
pub(crate) fn NpsChart(
    /// The chart's title, its accessible name and the start of the table's caption.
    #[prop(into)]
    title: String,
    /// The figures.
    figures: NpsFigures,
) -> impl IntoView {
    chart_figure("chart-nps", WIDE, move |lang, ids, width| {
        render(lang, ids, width, &title, &figures)
    })
}

fn render(lang: Lang, ids: &ChartIds, width: f64, title: &str, figures: &NpsFigures) -> Rendered {
    let t = strings(lang);
    // A bar per score, filled by its group.
    let counts = figures.scores;
    let fills: Vec<Fill> = (0..11).map(|s| group_fill(NpsGroup::of(s))).collect();
    let labels: Vec<String> = (0..11).map(|s| s.to_string()).collect();
    let count = counts.len();
    let left = 8.0;
    let plot_width = width - 2.0 * left;
    let slot = plot_width / count as f64;
    let bar_width = (slot * 0.7).min(80.0);
    let x_of = |i: usize| left + (i as f64 + 0.5) * slot;
    let base = TOP + BARS;
    let heights = geometry::bar_heights(&counts, BARS);

    let bars = counts
        .iter()
        .zip(&heights)
        .zip(fills.iter().zip(&labels))
        .enumerate()
        .map(|(i, ((n, height), (fill, label)))| {
            let x = x_of(i);
            view! {
                <g class="nps-bar">
                    {filled_rect(ids, *fill, x - bar_width / 2.0, base - height, bar_width, *height)}
                    <text x=coord(x) y=coord(base - height - 5.0) text-anchor="middle" class="count-label">
                        {format::count(lang, *n)}
                    </text>
                    <text x=coord(x) y=coord(base + 16.0) text-anchor="middle" class="tick-label">
                        {label.clone()}
                    </text>
                </g>
            }
        })
        .collect_view();

    // Group brackets under the score axis, with the group's name and share.
    let tenths = shares_tenths(&figures.groups);
    let total: u64 = figures.groups.iter().sum();
    let brackets = NpsGroup::ALL
        .iter()
        .map(|&group| {
            let i = group as usize;
            let (first, last) = group.scores();
            let (x0, x1) = (x_of(first) - bar_width / 2.0, x_of(last) + bar_width / 2.0);
            let y = base + 28.0;
            let share = if total == 0 {
                format::NONE.to_owned()
            } else {
                format::percent(lang, f64::from(tenths[i]) / 10.0, 1)
            };
            // The name where it fits between the neighbouring groups' (passives span two
            // scores only): the share always, the fill and the table tell the group.
            let room = x1 - x0 + slot - bar_width;
            let name = (text_width(t.nps_groups[i], FONT) <= room).then(|| {
                view! {
                    <text x=coord((x0 + x1) / 2.0) y=coord(y + 21.0) text-anchor="middle" class="group-label">
                        {t.nps_groups[i]}
                    </text>
                }
            });
            view! {
                <g class="bracket">
                    <path d=format!("M{},{} V{} H{} V{}", coord(x0), coord(y), coord(y + 6.0), coord(x1), coord(y)) fill="none" />
                    {name}
                    <text x=coord((x0 + x1) / 2.0) y=coord(y + 37.0) text-anchor="middle" class="group-share">
                        {share}
                    </text>
                </g>
            }
        })
        .collect_view();

    let headline = format!(
        "NPS {} {}",
        format::tick(
            lang,
            figures
                .nps
                .or_else(|| geometry::nps(figures.groups))
                .unwrap_or(f64::NAN),
            1
        ),
        format::interval(lang, figures.ci95),
    );
    let axis = t.score_axis;
    let body = view! {
        {hatch_defs(ids)}
        <text x=coord(left) y="16" class="axis-name">{headline}</text>
        <text x=coord(width - left) y="16" text-anchor="end" class="axis-note">
            {format!("{axis} · n = {}", format::count(lang, figures.n))}
        </text>
        <g class="bars">{bars}</g>
        <line x1=coord(left) x2=coord(width - left) y1=coord(base) y2=coord(base) class="axis" />
        <g class="brackets">{brackets}</g>
    }
    .into_any();
    Rendered {
        title: title.to_owned(),
        summary: nps_summary(lang, figures),
        size: (width, HEIGHT),
        body,
        table: TableData::new(
            nps_caption(lang, title, figures),
            [t.scores, t.group, t.answers, t.share],
            nps_rows(lang, figures),
            [false, false, true, true],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `/stats` figures of these answers per score.
    fn from_scores(scores: [u64; 11], nps: Option<f64>) -> NpsFigures {
        let [detractors, passives, promoters] = geometry::nps_groups(&scores);
        let stats = QuestionStats::Nps {
            n: scores.iter().sum(),
            scores,
            promoters,
            passives,
            detractors,
            nps,
            ci95: nps.map(|v| [v - 4.43, v + 4.43]),
            low_n: false,
        };
        NpsFigures::from_stats(&stats).expect("nps")
    }

    /// 200 detractors, 400 passives, 500 promoters.
    const SPREAD: [u64; 11] = [100, 0, 0, 0, 0, 0, 100, 200, 200, 250, 250];

    #[test]
    fn from_stats_takes_scores_and_groups() {
        let f = from_scores(SPREAD, Some(27.27));
        assert_eq!(f.groups, [200, 400, 500]);
        assert_eq!(f.scores, SPREAD);
        assert_eq!(
            nps_rows(Lang::Ru, &f)[11..],
            [
                ["0–6", "Критики", "200", "18,2"],
                ["7–8", "Нейтральные", "400", "36,4"],
                ["9–10", "Сторонники", "500", "45,4"],
                ["0–10", "Всего", "1100", "100,0"],
            ]
        );
        assert_eq!(
            nps_caption(Lang::Ru, "Рекомендация", &f),
            "Рекомендация: NPS 27,3, 95 % интервал [22,8; 31,7], n = 1100"
        );
        assert_eq!(NpsFigures::from_stats(&QuestionStats::Text { n: 1 }), None);
    }

    #[test]
    fn scores_come_first_then_the_groups() {
        let f = from_scores([1, 0, 0, 0, 0, 0, 1, 1, 0, 2, 2], None);
        assert_eq!(f.groups, [2, 1, 4]);
        let rows = nps_rows(Lang::Ru, &f);
        assert_eq!(rows.len(), 11 + 3 + 1);
        assert_eq!(rows[0], ["0", "Критики", "1", "14,3"]);
        assert_eq!(rows[7], ["7", "Нейтральные", "1", "14,3"]);
        assert_eq!(rows[10], ["10", "Сторонники", "2", "28,5"]);
        let score_sum: u32 = rows[..11]
            .iter()
            .map(|r| r[3].replace(',', "").parse::<u32>().expect("tenths"))
            .sum();
        assert_eq!(score_sum, 1000);
        assert_eq!(rows[11], ["0–6", "Критики", "2", "28,6"]);
        assert_eq!(rows[14], ["0–10", "Всего", "7", "100,0"]);
        // No NPS in the reply: computed from the groups (4 − 2 of 7).
        assert_eq!(nps_value(Lang::Ru, &f), "28,6");
    }

    #[test]
    fn draws_in_both_layouts() {
        for f in [
            from_scores(SPREAD, Some(27.27)),
            from_scores([0; 11], None),
            from_scores([5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 99_999], None),
        ] {
            for width in [WIDE, super::super::COMPACT] {
                let r = render(Lang::Ru, &ChartIds::new(), width, "Т", &f);
                assert_eq!(r.size, (width, HEIGHT));
                assert_eq!(r.table.rows.len(), 15);
            }
        }
    }

    #[test]
    fn no_answers() {
        let f = from_scores([0; 11], None);
        let rows = nps_rows(Lang::Ru, &f);
        assert_eq!(rows[14], ["0–10", "Всего", "0", "—"]);
        assert_eq!(rows[0][3], "—");
        assert_eq!(nps_summary(Lang::Ru, &f), "Нет ответов за эти периоды.");
        assert_eq!(nps_value(Lang::Ru, &f), "—");
    }

    #[test]
    fn all_promoters() {
        let f = from_scores([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 30], Some(100.0));
        let rows = nps_rows(Lang::En, &f);
        assert_eq!(rows[13], ["9–10", "Promoters", "30", "100.0"]);
        assert_eq!(rows[11], ["0–6", "Detractors", "0", "0.0"]);
    }

    #[test]
    fn low_n_is_said_in_the_summary() {
        let f = NpsFigures {
            low_n: true,
            ..from_scores([0, 0, 0, 1, 0, 0, 1, 2, 1, 2, 3], Some(30.0))
        };
        assert_eq!(
            nps_summary(Lang::Ru, &f),
            "NPS 30,0, 95 % интервал [25,6; 34,4], n = 10: сторонники 50,0\u{a0}%, нейтральные 30,0\u{a0}%, \
             критики 20,0\u{a0}% (мало ответов)."
        );
    }

    #[test]
    fn summary_gives_nps_and_group_shares() {
        let f = from_scores(SPREAD, Some(27.27));
        assert_eq!(
            nps_summary(Lang::Ru, &f),
            "NPS 27,3, 95 % интервал [22,8; 31,7], n = 1100: сторонники 45,4\u{a0}%, нейтральные 36,4\u{a0}%, \
             критики 18,2\u{a0}%."
        );
    }
}
