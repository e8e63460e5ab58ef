//! The charts' geometry (pure): scales and nice ticks, the trend line and its interval band,
//! stacked-bar segments, shares that add up to 100 %, NPS bars and groups.
//!
//! Coordinates are SVG user units in a fixed `viewBox` (the SVG scales to its box); y grows
//! downwards. Path data is written with [`coord`], one decimal at most, so the markup stays
//! small.

use otklik_shared::api::TrendPeriod;

/// A linear map from a domain of values to a range of coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Linear {
    /// Domain start.
    pub d0: f64,
    /// Domain end.
    pub d1: f64,
    /// Where `d0` lands.
    pub r0: f64,
    /// Where `d1` lands.
    pub r1: f64,
}

impl Linear {
    /// Maps `value`; an empty domain maps everything to the middle of the range.
    pub(crate) fn map(&self, value: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span == 0.0 || !span.is_finite() {
            return (self.r0 + self.r1) / 2.0;
        }
        self.r0 + (value - self.d0) / span * (self.r1 - self.r0)
    }
}

/// Axis ticks: evenly spaced round values covering a domain.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ticks {
    /// The first tick (the axis starts here).
    pub lo: f64,
    /// The last tick (the axis ends here).
    pub hi: f64,
    /// Distance between ticks: 1, 2 or 5 times a power of ten.
    pub step: f64,
    /// The ticks from `lo` to `hi`.
    pub values: Vec<f64>,
    /// Decimals that show every tick exactly.
    pub decimals: u32,
}

/// The nicest step (1, 2 or 5 × 10ᵏ) that cuts `span` into at most `intervals` pieces.
pub(crate) fn nice_step(span: f64, intervals: usize) -> f64 {
    let span = if span > 0.0 && span.is_finite() {
        span
    } else {
        1.0
    };
    let raw = span / intervals.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude);
    clean(step)
}

/// Ticks covering `[min, max]` with at most about `intervals` steps, starting and ending on a
/// multiple of the step.
pub(crate) fn nice_ticks(min: f64, max: f64, intervals: usize) -> Ticks {
    let (min, max) = if min <= max { (min, max) } else { (max, min) };
    let step = nice_step(max - min, intervals);
    let lo = clean((min / step + 1e-9).floor() * step);
    let hi = clean((max / step - 1e-9).ceil() * step);
    let hi = if hi > lo { hi } else { clean(lo + step) };
    let count = ((hi - lo) / step).round() as usize;
    let values = (0..=count).map(|i| clean(lo + i as f64 * step)).collect();
    let decimals = (-step.log10().floor()).max(0.0) as u32;
    Ticks {
        lo,
        hi,
        step,
        values,
        decimals,
    }
}

/// Strips binary noise (`0.30000000000000004` → `0.3`): our ticks never need more than nine
/// decimals.
fn clean(value: f64) -> f64 {
    let cleaned = (value * 1e9).round() / 1e9;
    if cleaned == 0.0 {
        0.0
    } else {
        cleaned
    }
}

/// The value axis of a trend: every value and interval bound, widened to at least `min_span`
/// (so a wobble of two points does not fill the chart), kept within the metric's `bounds`
/// (0–100 for shares, −100…100 for NPS), as nice ticks. Without any figure: the whole bounds.
pub(crate) fn trend_ticks(periods: &[TrendPeriod], bounds: (f64, f64), min_span: f64) -> Ticks {
    let figures = periods
        .iter()
        .flat_map(|p| p.value.into_iter().chain(p.ci95.into_iter().flatten()))
        .filter(|v| v.is_finite());
    let (lo, hi) = figures
        .fold(None, |extent: Option<(f64, f64)>, v| {
            Some(extent.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
        })
        .unwrap_or(bounds);
    let span = (hi - lo).max(min_span.min(bounds.1 - bounds.0));
    let middle = (lo + hi) / 2.0;
    let lo = (middle - span / 2.0).max(bounds.0);
    let hi = (lo + span).min(bounds.1);
    let lo = (hi - span).max(bounds.0);
    let ticks = nice_ticks(lo, hi, 5);
    let (lo, hi) = (ticks.lo.max(bounds.0), ticks.hi.min(bounds.1));
    let values: Vec<f64> = ticks
        .values
        .iter()
        .copied()
        .filter(|v| (lo..=hi).contains(v))
        .collect();
    Ticks {
        lo,
        hi,
        values,
        ..ticks
    }
}

/// The plot area inside the `viewBox`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Plot {
    /// Left edge.
    pub left: f64,
    /// Top edge.
    pub top: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

impl Plot {
    /// The bottom edge.
    pub(crate) fn bottom(&self) -> f64 {
        self.top + self.height
    }

    /// The right edge.
    pub(crate) fn right(&self) -> f64 {
        self.left + self.width
    }

    /// The middle of slot `index` of `count` equal slots across the plot (a period's x).
    pub(crate) fn slot(&self, index: usize, count: usize) -> f64 {
        self.left + (index as f64 + 0.5) * self.width / count.max(1) as f64
    }
}

/// A period's point on the chart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Point {
    /// The period's index.
    pub index: usize,
    /// x.
    pub x: f64,
    /// y of the value.
    pub y: f64,
    /// Fewer answers than the minimum n: drawn hollow, joined by a dashed line.
    pub low_n: bool,
}

/// One stroke of the trend line: a run of joined points drawn alike.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Stroke {
    /// SVG path data.
    pub d: String,
    /// Touches a low-n period: dashed.
    pub dashed: bool,
}

/// An interval of a period whose neighbours have none: a vertical whisker.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Whisker {
    /// x.
    pub x: f64,
    /// y of the upper bound.
    pub y_hi: f64,
    /// y of the lower bound.
    pub y_lo: f64,
}

/// Everything drawn for a trend in the plot area.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TrendShapes {
    /// The periods with a value.
    pub points: Vec<Point>,
    /// The line: only between neighbouring periods that both have a value, so a period without
    /// one breaks it (never drawn through a gap).
    pub strokes: Vec<Stroke>,
    /// The 95 % band, one polygon (`points` attribute) per run of neighbouring periods with an
    /// interval.
    pub bands: Vec<String>,
    /// Intervals of periods alone in their run.
    pub whiskers: Vec<Whisker>,
}

/// The trend's shapes: `periods` in equal slots across `plot`, values on `y`.
pub(crate) fn trend_shapes(periods: &[TrendPeriod], plot: Plot, y: Linear) -> TrendShapes {
    let count = periods.len();
    let at = |i: usize| plot.slot(i, count);
    let points: Vec<Point> = periods
        .iter()
        .enumerate()
        .filter_map(|(index, p)| {
            let value = p.value.filter(|v| v.is_finite())?;
            Some(Point {
                index,
                x: at(index),
                y: y.map(value),
                low_n: p.low_n,
            })
        })
        .collect();

    let mut strokes: Vec<Stroke> = Vec::new();
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if b.index != a.index + 1 {
            continue;
        }
        let dashed = a.low_n || b.low_n;
        let continues = strokes
            .last_mut()
            .filter(|s| s.dashed == dashed && s.d.ends_with(&xy(a.x, a.y)));
        match continues {
            Some(stroke) => {
                stroke.d.push_str(" L");
                stroke.d.push_str(&xy(b.x, b.y));
            }
            None => strokes.push(Stroke {
                d: format!("M{} L{}", xy(a.x, a.y), xy(b.x, b.y)),
                dashed,
            }),
        }
    }

    let mut bands = Vec::new();
    let mut whiskers = Vec::new();
    let intervals: Vec<Option<[f64; 2]>> = periods
        .iter()
        .map(|p| p.ci95.filter(|[lo, hi]| lo.is_finite() && hi.is_finite()))
        .collect();
    let mut start = 0;
    while start < count {
        if intervals[start].is_none() {
            start += 1;
            continue;
        }
        let end = (start..count)
            .find(|&i| intervals[i].is_none())
            .unwrap_or(count);
        let run: Vec<(f64, [f64; 2])> = (start..end)
            .filter_map(|i| Some((at(i), intervals[i]?)))
            .collect();
        if let [(x, [lo, hi])] = run[..] {
            whiskers.push(Whisker {
                x,
                y_hi: y.map(hi),
                y_lo: y.map(lo),
            });
        } else {
            let upper = run.iter().map(|(x, [_, hi])| xy(*x, y.map(*hi)));
            let lower = run.iter().rev().map(|(x, [lo, _])| xy(*x, y.map(*lo)));
            bands.push(upper.chain(lower).collect::<Vec<_>>().join(" "));
        }
        start = end;
    }

    TrendShapes {
        points,
        strokes,
        bands,
        whiskers,
    }
}

/// Every how many periods an axis label fits, for `count` periods across `width` with labels
/// about `label_width` wide.
pub(crate) fn label_stride(count: usize, width: f64, label_width: f64) -> usize {
    if count == 0 || width <= 0.0 {
        return 1;
    }
    let slot = width / count as f64;
    ((label_width / slot).ceil() as usize).max(1)
}

/// One segment of a stacked bar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Segment {
    /// Left edge from the bar's start.
    pub x: f64,
    /// Width (0 for an option nobody chose).
    pub width: f64,
}

/// A stacked bar of `width` split by `counts`: the edges are the cumulative shares rounded to
/// a tenth of a unit and the last one is `width` itself, so the segments always fill the bar
/// exactly, whatever the rounding. Without answers every segment is empty.
pub(crate) fn stack(counts: &[u64], width: f64) -> Vec<Segment> {
    let total: u64 = counts.iter().sum();
    let mut cumulative = 0u64;
    let mut edge = 0.0;
    counts
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            cumulative += n;
            let next = if total == 0 {
                0.0
            } else if i + 1 == counts.len() || cumulative == total {
                width
            } else {
                (width * cumulative as f64 / total as f64 * 10.0).round() / 10.0
            };
            let segment = Segment {
                x: edge,
                width: next - edge,
            };
            edge = next;
            segment
        })
        .collect()
}

/// Each count's share in tenths of a percent, adding up to exactly 1000 (100,0 %) by the
/// largest-remainder method; all zero without answers. A count of zero always gets 0.
pub(crate) fn shares_tenths(counts: &[u64]) -> Vec<u32> {
    let total: u128 = counts.iter().map(|&n| u128::from(n)).sum();
    if total == 0 {
        return vec![0; counts.len()];
    }
    let exact = |n: u64| u128::from(n) * 1000;
    let mut tenths: Vec<u32> = counts.iter().map(|&n| (exact(n) / total) as u32).collect();
    let given: u32 = tenths.iter().sum();
    let mut by_remainder: Vec<usize> = (0..counts.len()).collect();
    // Largest remainder first; on a tie the larger count, then the earlier option.
    by_remainder.sort_by(|&a, &b| {
        (exact(counts[b]) % total)
            .cmp(&(exact(counts[a]) % total))
            .then(counts[b].cmp(&counts[a]))
            .then(a.cmp(&b))
    });
    for &i in by_remainder.iter().take((1000 - given) as usize) {
        tenths[i] += 1;
    }
    tenths
}

/// The NPS groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NpsGroup {
    /// Scores 0–6.
    Detractor,
    /// Scores 7–8.
    Passive,
    /// Scores 9–10.
    Promoter,
}

impl NpsGroup {
    /// The groups in score order.
    pub(crate) const ALL: [NpsGroup; 3] = [Self::Detractor, Self::Passive, Self::Promoter];

    /// The group of a score 0–10.
    pub(crate) fn of(score: usize) -> Self {
        match score {
            0..=6 => Self::Detractor,
            7..=8 => Self::Passive,
            _ => Self::Promoter,
        }
    }

    /// The scores of the group, first and last.
    pub(crate) fn scores(self) -> (usize, usize) {
        match self {
            Self::Detractor => (0, 6),
            Self::Passive => (7, 8),
            Self::Promoter => (9, 10),
        }
    }
}

/// Answers per group (detractors, passives, promoters) from answers per score 0–10: how the
/// tests build `/stats` figures (the server sends both).
#[cfg(test)]
pub(crate) fn nps_groups(scores: &[u64; 11]) -> [u64; 3] {
    let mut groups = [0; 3];
    for (score, &n) in scores.iter().enumerate() {
        groups[NpsGroup::of(score) as usize] += n;
    }
    groups
}

/// NPS = % promoters − % detractors, −100…100, from the group counts; `None` without answers.
pub(crate) fn nps(groups: [u64; 3]) -> Option<f64> {
    let total: u64 = groups.iter().sum();
    (total > 0).then(|| (groups[2] as f64 - groups[0] as f64) * 100.0 / total as f64)
}

/// Bar heights for `counts` with the largest bar `height` tall (a count of zero is 0 tall;
/// all 0 without answers).
pub(crate) fn bar_heights(counts: &[u64], height: f64) -> Vec<f64> {
    let max = counts.iter().copied().max().unwrap_or(0);
    counts
        .iter()
        .map(|&n| {
            if max == 0 {
                0.0
            } else {
                height * n as f64 / max as f64
            }
        })
        .collect()
}

/// A coordinate for SVG markup: at most one decimal, `.` as the separator, no `-0`.
pub(crate) fn coord(value: f64) -> String {
    let tenths = (value * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let (whole, tenth) = (tenths.abs() / 10, tenths.abs() % 10);
    if tenth == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{tenth}")
    }
}

/// `x,y` for path data and polygon points.
fn xy(x: f64, y: f64) -> String {
    format!("{},{}", coord(x), coord(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(value: Option<f64>, ci95: Option<[f64; 2]>, low_n: bool) -> TrendPeriod {
        TrendPeriod {
            period: "2026Q1".to_owned(),
            n: if value.is_some() { 100 } else { 0 },
            value,
            ci95,
            low_n,
        }
    }

    fn full(value: f64) -> TrendPeriod {
        period(Some(value), Some([value - 5.0, value + 5.0]), false)
    }

    const PLOT: Plot = Plot {
        left: 0.0,
        top: 0.0,
        width: 400.0,
        height: 100.0,
    };
    /// Values 0–100 onto y 100–0.
    const Y: Linear = Linear {
        d0: 0.0,
        d1: 100.0,
        r0: 100.0,
        r1: 0.0,
    };

    #[test]
    fn linear_maps_both_ways_and_survives_an_empty_domain() {
        assert_eq!(Y.map(0.0), 100.0);
        assert_eq!(Y.map(100.0), 0.0);
        assert_eq!(Y.map(25.0), 75.0);
        let flat = Linear {
            d0: 5.0,
            d1: 5.0,
            r0: 0.0,
            r1: 10.0,
        };
        assert_eq!(flat.map(5.0), 5.0);
    }

    #[test]
    fn steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(100.0, 5), 20.0);
        assert_eq!(nice_step(200.0, 5), 50.0);
        assert_eq!(nice_step(20.0, 5), 5.0);
        assert_eq!(nice_step(10.0, 5), 2.0);
        assert_eq!(nice_step(1.0, 5), 0.2);
        assert_eq!(nice_step(0.3, 3), 0.1);
        assert_eq!(nice_step(7.0, 7), 1.0);
        assert_eq!(nice_step(0.0, 5), 0.2);
        for span in [0.07, 0.9, 3.3, 13.0, 47.0, 99.9, 123.0, 1e6] {
            let step = nice_step(span, 5);
            let mantissa = step / 10f64.powf(step.log10().floor());
            assert!(
                [1.0, 2.0, 5.0].iter().any(|m| (mantissa - m).abs() < 1e-9),
                "{span} → {step}"
            );
            assert!(span / step <= 5.0 + 1e-9, "{span} → {step}: too many steps");
        }
    }

    #[test]
    fn ticks_cover_the_domain_on_round_values() {
        let t = nice_ticks(61.0, 74.9, 5);
        assert_eq!((t.lo, t.hi, t.step), (60.0, 75.0, 5.0));
        assert_eq!(t.values, vec![60.0, 65.0, 70.0, 75.0]);
        assert_eq!(t.decimals, 0);
        let t = nice_ticks(0.0, 1.0, 5);
        assert_eq!(t.values, vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(t.decimals, 1);
        let t = nice_ticks(-100.0, 100.0, 5);
        assert_eq!(t.values, vec![-100.0, -50.0, 0.0, 50.0, 100.0]);
        let t = nice_ticks(42.0, 42.0, 5);
        assert!(t.lo <= 42.0 && t.hi > t.lo, "{t:?}");
    }

    #[test]
    fn trend_axis_spans_at_least_the_minimum_within_the_bounds() {
        let t = trend_ticks(&[full(70.0), full(72.0)], (0.0, 100.0), 20.0);
        assert!(t.lo <= 65.0 && t.hi >= 77.0, "{t:?}");
        assert!(t.hi - t.lo >= 20.0, "{t:?}");
        let t = trend_ticks(&[full(97.0), full(99.0)], (0.0, 100.0), 20.0);
        assert_eq!(t.hi, 100.0);
        assert!(t.lo <= 80.0);
        assert!(t.values.iter().all(|v| (0.0..=100.0).contains(v)));
        let t = trend_ticks(&[full(1.0)], (0.0, 100.0), 20.0);
        assert_eq!(t.lo, 0.0);
        assert!(t.hi >= 20.0);
        let empty = trend_ticks(&[period(None, None, false)], (-100.0, 100.0), 20.0);
        assert_eq!((empty.lo, empty.hi), (-100.0, 100.0));
        let none = trend_ticks(&[], (0.0, 100.0), 20.0);
        assert_eq!((none.lo, none.hi), (0.0, 100.0));
        assert_eq!(none.values, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
    }

    #[test]
    fn a_gap_breaks_the_line() {
        let periods = [
            full(50.0),
            full(60.0),
            period(None, None, false),
            full(70.0),
            full(80.0),
        ];
        let s = trend_shapes(&periods, PLOT, Y);
        assert_eq!(s.points.len(), 4);
        assert_eq!(
            s.strokes,
            vec![
                Stroke {
                    d: "M40,50 L120,40".to_owned(),
                    dashed: false
                },
                Stroke {
                    d: "M280,30 L360,20".to_owned(),
                    dashed: false
                },
            ]
        );
        assert_eq!(
            s.bands,
            vec!["40,45 120,35 120,45 40,55", "280,25 360,15 360,25 280,35"]
        );
        assert!(s.whiskers.is_empty());
    }

    #[test]
    fn low_n_periods_are_hollow_and_joined_by_dashes() {
        let periods = [
            full(50.0),
            full(60.0),
            period(Some(40.0), Some([20.0, 60.0]), true),
            full(70.0),
        ];
        let s = trend_shapes(&periods, PLOT, Y);
        assert_eq!(
            s.points.iter().map(|p| p.low_n).collect::<Vec<_>>(),
            [false, false, true, false]
        );
        assert_eq!(
            s.strokes,
            vec![
                Stroke {
                    d: "M50,50 L150,40".to_owned(),
                    dashed: false
                },
                Stroke {
                    d: "M150,40 L250,60 L350,30".to_owned(),
                    dashed: true
                },
            ]
        );
        assert_eq!(
            s.bands.len(),
            1,
            "the interval runs on through a low-n period"
        );
    }

    #[test]
    fn a_single_period_is_a_point_with_a_whisker() {
        let s = trend_shapes(&[full(50.0)], PLOT, Y);
        assert_eq!(
            s.points,
            vec![Point {
                index: 0,
                x: 200.0,
                y: 50.0,
                low_n: false
            }]
        );
        assert!(s.strokes.is_empty());
        assert!(s.bands.is_empty());
        let [w] = s.whiskers[..] else {
            panic!("one whisker: {:?}", s.whiskers)
        };
        assert_eq!(
            (coord(w.x), coord(w.y_hi), coord(w.y_lo)),
            ("200".into(), "45".into(), "55".into())
        );
    }

    #[test]
    fn isolated_periods_between_gaps_get_whiskers() {
        let gap = period(None, None, false);
        let s = trend_shapes(
            &[
                full(50.0),
                gap.clone(),
                full(60.0),
                gap,
                full(70.0),
                full(75.0),
            ],
            PLOT,
            Y,
        );
        assert_eq!(s.strokes.len(), 1);
        assert_eq!(s.whiskers.len(), 2);
        assert_eq!(s.bands.len(), 1);
    }

    #[test]
    fn all_empty_periods_draw_nothing() {
        let gap = period(None, None, false);
        let s = trend_shapes(&[gap.clone(), gap.clone(), gap], PLOT, Y);
        assert!(
            s.points.is_empty()
                && s.strokes.is_empty()
                && s.bands.is_empty()
                && s.whiskers.is_empty()
        );
        let s = trend_shapes(&[], PLOT, Y);
        assert!(s.points.is_empty() && s.strokes.is_empty());
    }

    #[test]
    fn a_value_without_interval_still_joins_the_line() {
        let periods = [full(50.0), period(Some(55.0), None, false), full(60.0)];
        let s = trend_shapes(&periods, PLOT, Y);
        assert_eq!(s.strokes.len(), 1);
        assert_eq!(s.whiskers.len(), 2);
        assert!(s.bands.is_empty());
    }

    #[test]
    fn labels_thin_out_when_periods_crowd() {
        assert_eq!(label_stride(4, 560.0, 70.0), 1);
        assert_eq!(label_stride(8, 560.0, 70.0), 1);
        assert_eq!(label_stride(36, 560.0, 70.0), 5);
        assert_eq!(label_stride(0, 560.0, 70.0), 1);
    }

    fn assert_fills(segments: &[Segment], width: f64) {
        let sum: f64 = segments.iter().map(|s| s.width).sum();
        assert!((sum - width).abs() < 1e-9, "{segments:?}");
        let last = segments.last().expect("segments");
        assert_eq!(last.x + last.width, width);
        for pair in segments.windows(2) {
            assert_eq!(pair[0].x + pair[0].width, pair[1].x, "{segments:?}");
        }
        assert!(segments.iter().all(|s| s.width >= 0.0));
    }

    #[test]
    fn stacked_segments_always_fill_the_bar() {
        let s = stack(&[700, 300, 150, 50], 600.0);
        assert_fills(&s, 600.0);
        assert_eq!(s[0].width, 350.0);
        for counts in [
            [1, 1, 1, 0],
            [1, 1, 1, 1],
            [2, 3, 5, 7],
            [1, 0, 0, 1_000_000],
            [333, 333, 334, 0],
        ] {
            assert_fills(&stack(&counts, 600.0), 600.0);
            assert_fills(&stack(&counts, 517.3), 517.3);
        }
    }

    #[test]
    fn zero_and_full_shares() {
        let s = stack(&[0, 10, 0, 0], 600.0);
        assert_eq!(
            s.iter().map(|s| s.width).collect::<Vec<_>>(),
            [0.0, 600.0, 0.0, 0.0]
        );
        let s = stack(&[0, 0, 0, 5], 600.0);
        assert_eq!(
            s[3],
            Segment {
                x: 0.0,
                width: 600.0
            }
        );
        let s = stack(&[0, 0, 0, 0], 600.0);
        assert!(s.iter().all(|s| s.width == 0.0 && s.x == 0.0));
        assert_eq!(shares_tenths(&[0, 10, 0, 0]), [0, 1000, 0, 0]);
        assert_eq!(shares_tenths(&[0, 0, 0, 0]), [0, 0, 0, 0]);
        assert!(shares_tenths(&[]).is_empty());
    }

    #[test]
    fn rounded_shares_add_up_to_one_hundred() {
        assert_eq!(shares_tenths(&[1, 1, 1]), [334, 333, 333]);
        assert_eq!(shares_tenths(&[700, 300, 150, 50]), [583, 250, 125, 42]);
        assert_eq!(shares_tenths(&[1, 2, 3, 1]), [143, 286, 428, 143]);
        for counts in [
            [1u64, 1, 1, 1, 1, 1, 1],
            [1, 2, 4, 8, 16, 32, 64],
            [999_999, 1, 1, 1, 0, 0, 3],
            [5, 0, 0, 0, 0, 0, 6],
        ] {
            let tenths = shares_tenths(&counts);
            assert_eq!(tenths.iter().sum::<u32>(), 1000, "{counts:?} → {tenths:?}");
            for (n, t) in counts.iter().zip(&tenths) {
                let exact = *n as f64 * 1000.0 / counts.iter().sum::<u64>() as f64;
                assert!(
                    (f64::from(*t) - exact).abs() < 1.0,
                    "{counts:?} → {tenths:?}"
                );
                if *n == 0 {
                    assert_eq!(*t, 0);
                }
            }
        }
    }

    #[test]
    fn nps_groups_and_value() {
        assert_eq!(NpsGroup::of(0), NpsGroup::Detractor);
        assert_eq!(NpsGroup::of(6), NpsGroup::Detractor);
        assert_eq!(NpsGroup::of(7), NpsGroup::Passive);
        assert_eq!(NpsGroup::of(8), NpsGroup::Passive);
        assert_eq!(NpsGroup::of(9), NpsGroup::Promoter);
        assert_eq!(NpsGroup::of(10), NpsGroup::Promoter);
        let scores = [1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 3];
        assert_eq!(nps_groups(&scores), [7, 4, 6]);
        assert_eq!(
            nps([200, 400, 500]).map(|v| (v * 100.0).round() / 100.0),
            Some(27.27)
        );
        assert_eq!(nps([0, 0, 10]), Some(100.0));
        assert_eq!(nps([10, 0, 0]), Some(-100.0));
        assert_eq!(nps([0, 0, 0]), None);
        let all = NpsGroup::ALL.map(NpsGroup::scores);
        assert_eq!(all, [(0, 6), (7, 8), (9, 10)]);
    }

    #[test]
    fn bars_scale_to_the_largest() {
        assert_eq!(bar_heights(&[0, 5, 10], 100.0), [0.0, 50.0, 100.0]);
        assert_eq!(bar_heights(&[0, 0], 100.0), [0.0, 0.0]);
        assert_eq!(bar_heights(&[3], 80.0), [80.0]);
        assert!(bar_heights(&[], 80.0).is_empty());
    }

    #[test]
    fn coordinates_are_short() {
        assert_eq!(coord(12.0), "12");
        assert_eq!(coord(12.345), "12.3");
        assert_eq!(coord(12.96), "13");
        assert_eq!(coord(-0.01), "0");
        assert_eq!(coord(-3.25), "-3.3");
    }
}
