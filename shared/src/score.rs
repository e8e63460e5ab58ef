//! Share of satisfied, NPS, yes-shares and their 95 % intervals, computed from counts.
//!
//! Figures are computed here, in Rust, from `group by value` counts, never in SQL: both database
//! backends, the PWA and the tests then agree to the last bit. Everything keeps full precision;
//! only display rounds.

use serde::{Deserialize, Serialize};

use crate::answer::Likert4;

/// z for a two-sided 95 % interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Counts of the 4-point scale.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Likert4Counts {
    /// «Да».
    pub yes: u64,
    /// «Скорее да».
    pub rather_yes: u64,
    /// «Скорее нет».
    pub rather_no: u64,
    /// «Нет».
    pub no: u64,
}

impl Likert4Counts {
    /// Adds `count` answers of `value`.
    pub fn add(&mut self, value: Likert4, count: u64) {
        match value {
            Likert4::Yes => self.yes += count,
            Likert4::RatherYes => self.rather_yes += count,
            Likert4::RatherNo => self.rather_no += count,
            Likert4::No => self.no += count,
        }
    }

    /// Answers of `value`.
    pub fn get(&self, value: Likert4) -> u64 {
        match value {
            Likert4::Yes => self.yes,
            Likert4::RatherYes => self.rather_yes,
            Likert4::RatherNo => self.rather_no,
            Likert4::No => self.no,
        }
    }

    /// All answers.
    pub fn n(&self) -> u64 {
        self.yes + self.rather_yes + self.rather_no + self.no
    }

    /// «Да» + «Скорее да».
    pub fn satisfied(&self) -> u64 {
        self.yes + self.rather_yes
    }

    /// Share of satisfied = (yes + rather_yes) / answered × 100; `None` without answers.
    pub fn satisfied_pct(&self) -> Option<f64> {
        share_pct(self.satisfied(), self.n())
    }

    /// Wilson 95 % interval of the share of satisfied.
    pub fn ci95(&self) -> Option<[f64; 2]> {
        wilson95(self.satisfied(), self.n())
    }
}

/// `k / n × 100`, or `None` when `n` is 0.
pub fn share_pct(k: u64, n: u64) -> Option<f64> {
    (n > 0).then(|| k as f64 / n as f64 * 100.0)
}

/// Wilson score 95 % interval for `k` successes out of `n`, in percent; `None` when `n` is 0
/// (or `k > n`, which no counts can give).
///
/// Wilson rather than the normal ("Wald") interval because satisfaction shares sit near 100 %,
/// where Wald collapses to zero width and overshoots 100.
pub fn wilson95(k: u64, n: u64) -> Option<[f64; 2]> {
    if n == 0 || k > n {
        return None;
    }
    let (n, p, z2) = (n as f64, k as f64 / n as f64, Z95 * Z95);
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    // The Wilson interval always contains p; clamping to it also removes rounding residue at
    // the extremes (k = n gave 99.999…), so the bounds of 100 % are exactly 100.
    let pct = p * 100.0;
    Some([
        ((centre - half) * 100.0).clamp(0.0, pct),
        ((centre + half) * 100.0).clamp(pct, 100.0),
    ])
}

/// NPS counts by band.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NpsCounts {
    /// Scores 9–10.
    pub promoters: u64,
    /// Scores 7–8.
    pub passives: u64,
    /// Scores 0–6.
    pub detractors: u64,
}

impl NpsCounts {
    /// Adds `count` answers of `score` (0–10).
    pub fn add(&mut self, score: u8, count: u64) {
        match score {
            9..=10 => self.promoters += count,
            7..=8 => self.passives += count,
            _ => self.detractors += count,
        }
    }

    /// All answers.
    pub fn n(&self) -> u64 {
        self.promoters + self.passives + self.detractors
    }

    /// NPS = %promoters − %detractors, in −100…100; `None` without answers.
    pub fn nps(&self) -> Option<f64> {
        let n = self.n();
        (n > 0).then(|| (self.promoters as f64 - self.detractors as f64) / n as f64 * 100.0)
    }

    /// 95 % interval NPS ± z·100·√Var, Var = (p₊ + p₋ − (p₊ − p₋)²) / n, clamped to ±100.
    pub fn ci95(&self) -> Option<[f64; 2]> {
        let n = self.n();
        if n == 0 {
            return None;
        }
        let nf = n as f64;
        let (pp, pd) = (self.promoters as f64 / nf, self.detractors as f64 / nf);
        let var = (pp + pd - (pp - pd).powi(2)) / nf;
        let centre = (pp - pd) * 100.0;
        let half = Z95 * 100.0 * var.max(0.0).sqrt();
        Some([(centre - half).max(-100.0), (centre + half).min(100.0)])
    }
}

/// Mean and median of numbers given as `(value, count)` pairs; `None` without values.
///
/// The median of an even count is the mean of the two middle values.
pub fn mean_median(values: &[(f64, u64)]) -> Option<(f64, f64)> {
    let n: u64 = values.iter().map(|(_, c)| c).sum();
    if n == 0 {
        return None;
    }
    let mean = values.iter().map(|(v, c)| v * *c as f64).sum::<f64>() / n as f64;
    let mut sorted: Vec<(f64, u64)> = values.iter().copied().filter(|(_, c)| *c > 0).collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let nth = |k: u64| {
        let mut seen = 0;
        for (v, c) in &sorted {
            seen += c;
            if seen > k {
                return *v;
            }
        }
        sorted.last().map_or(f64::NAN, |(v, _)| *v)
    };
    let median = if n % 2 == 1 {
        nth(n / 2)
    } else {
        (nth(n / 2 - 1) + nth(n / 2)) / 2.0
    };
    Some((mean, median))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn close(actual: f64, expected: f64, tolerance: f64) -> bool {
        (actual - expected).abs() <= tolerance
    }

    fn nps_counts(promoters: u64, passives: u64, detractors: u64) -> NpsCounts {
        NpsCounts {
            promoters,
            passives,
            detractors,
        }
    }

    #[test]
    fn wilson_of_81_out_of_90_matches_the_contract_example() {
        let [low, high] = wilson95(81, 90).expect("n > 0");
        assert!(
            close(low, 82.08, 0.005) && close(high, 94.65, 0.005),
            "{low} {high}"
        );
    }

    #[test]
    fn wilson_stays_inside_0_100_at_the_extremes() {
        let [low, high] = wilson95(0, 10).expect("n > 0");
        assert!(low == 0.0 && close(high, 27.75, 0.01), "{low} {high}");
        let [low, high] = wilson95(10, 10).expect("n > 0");
        assert!(close(low, 72.25, 0.01) && high == 100.0, "{low} {high}");
    }

    #[test]
    fn shares_and_intervals_of_nothing_are_none() {
        assert_eq!(wilson95(0, 0), None);
        assert_eq!(wilson95(5, 4), None);
        assert_eq!(share_pct(0, 0), None);
        assert_eq!(Likert4Counts::default().satisfied_pct(), None);
        assert_eq!(NpsCounts::default().nps(), None);
        assert_eq!(NpsCounts::default().ci95(), None);
    }

    #[test]
    fn satisfied_share_of_the_contract_example_is_83_33_with_its_interval() {
        let mut counts = Likert4Counts::default();
        counts.add(Likert4::Yes, 700);
        counts.add(Likert4::RatherYes, 300);
        counts.add(Likert4::RatherNo, 150);
        counts.add(Likert4::No, 50);
        assert_eq!((counts.n(), counts.satisfied()), (1200, 1000));
        let pct = counts.satisfied_pct().expect("n > 0");
        assert!(close(pct, 83.333_333, 1e-5), "{pct}");
        let [low, high] = counts.ci95().expect("n > 0");
        assert!(
            close(low, 81.1, 0.05) && close(high, 85.3, 0.05),
            "{low} {high}"
        );
    }

    #[test]
    fn nps_of_the_contract_example_is_27_27_within_22_84_and_31_70() {
        let counts = nps_counts(500, 400, 200);
        let nps = counts.nps().expect("n > 0");
        assert!(close(nps, 27.2727, 1e-4), "{nps}");
        let [low, high] = counts.ci95().expect("n > 0");
        assert!(
            close(low, 22.84, 0.005) && close(high, 31.70, 0.005),
            "{low} {high}"
        );
    }

    #[test]
    fn nps_of_all_promoters_is_100() {
        let counts = nps_counts(42, 0, 0);
        assert_eq!(counts.nps(), Some(100.0));
        assert_eq!(counts.ci95(), Some([100.0, 100.0]));
    }

    #[test]
    fn nps_of_all_detractors_is_minus_100() {
        assert_eq!(nps_counts(0, 0, 7).nps(), Some(-100.0));
    }

    #[test]
    fn nps_bands_are_0_to_6_7_to_8_and_9_to_10() {
        let mut counts = NpsCounts::default();
        for score in 0..=10 {
            counts.add(score, 1);
        }
        assert_eq!(counts, nps_counts(2, 2, 7));
    }

    #[test]
    fn mean_and_median_of_an_even_count_average_the_middle_values() {
        let (mean, median) =
            mean_median(&[(10.0, 1), (1.0, 1), (3.0, 1), (2.0, 1)]).expect("values");
        assert_eq!((mean, median), (4.0, 2.5));
    }

    #[test]
    fn median_of_an_odd_count_is_the_middle_value_counting_repeats() {
        let (mean, median) = mean_median(&[(30.0, 3), (70.0, 2), (18.0, 0)]).expect("values");
        assert_eq!((mean, median), (46.0, 30.0));
    }

    #[test]
    fn mean_and_median_of_nothing_are_none() {
        assert_eq!(mean_median(&[]), None);
        assert_eq!(mean_median(&[(5.0, 0)]), None);
    }

    /// A list of NPS scores and the same list in another order.
    fn scores_and_permutation() -> impl Strategy<Value = (Vec<u8>, Vec<u8>)> {
        prop::collection::vec(0u8..=10, 0..200)
            .prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle()))
    }

    proptest! {
        #[test]
        fn nps_and_its_interval_stay_within_minus_100_and_100(p in 0u64..5000, q in 0u64..5000, d in 0u64..5000) {
            let counts = nps_counts(p, q, d);
            if let (Some(nps), Some([low, high])) = (counts.nps(), counts.ci95()) {
                prop_assert!((-100.0..=100.0).contains(&nps));
                prop_assert!(-100.0 <= low && low <= nps + 1e-9 && nps <= high + 1e-9 && high <= 100.0);
            } else {
                prop_assert_eq!(counts.n(), 0);
            }
        }

        #[test]
        fn wilson_bounds_stay_within_0_100_and_contain_the_share(n in 1u64..10_000, k_frac in 0.0f64..=1.0) {
            let k = (n as f64 * k_frac).round() as u64;
            let [low, high] = wilson95(k, n).expect("n > 0");
            let p = share_pct(k, n).expect("n > 0");
            prop_assert!(0.0 <= low && low <= p && p <= high && high <= 100.0, "{} {} {}", low, p, high);
        }

        #[test]
        fn the_order_of_answers_does_not_change_nps((scores, shuffled) in scores_and_permutation()) {
            let count = |list: &[u8]| list.iter().fold(NpsCounts::default(), |mut c, s| { c.add(*s, 1); c });
            prop_assert_eq!(count(&scores), count(&shuffled));
            prop_assert_eq!(count(&scores).nps(), count(&shuffled).nps());
        }

        #[test]
        fn the_order_of_count_additions_does_not_change_the_satisfied_share(
            (values, shuffled) in prop::collection::vec((0usize..4, 0u64..1000), 0..50)
                .prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle()))
        ) {
            let count = |list: &[(usize, u64)]| {
                list.iter().fold(Likert4Counts::default(), |mut c, (v, n)| { c.add(Likert4::ALL[*v], *n); c })
            };
            prop_assert_eq!(count(&values), count(&shuffled));
            prop_assert_eq!(count(&values).satisfied_pct(), count(&shuffled).satisfied_pct());
        }
    }
}
