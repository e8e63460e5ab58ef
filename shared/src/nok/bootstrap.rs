//! Bootstrap 95 % intervals for the composite НОК scores K1–K5 and Sn (`domain.md` §5).
//!
//! The criteria mix fixed checklist points with correlated survey shares, so no closed-form
//! interval fits them. We resample the institution's respondents with replacement (the
//! checklist stays fixed), score every replicate with the same [`score`] as the point
//! estimate, and take the 2.5 % and 97.5 % percentiles. The generator is a small SplitMix64
//! seeded from what the figure is about ([`seed_of`]), so the same data gives the same bounds
//! on every call and every instance — no random state, no extra crate.

use std::collections::BTreeMap;

use super::{score, Checklist, NokMethodology, YesNoCounts};
use crate::questionnaire::{QuestionKind, Questionnaire};

/// Replicates per interval: `domain.md` §5 asks for at least 1,000.
pub const REPLICATES: usize = 1_000;

/// SplitMix64 (Steele, Lea, Flood 2014): 64 bits of state, passes BigCrush, and is trivially
/// reproducible everywhere — all a resampling index needs.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform index below `n` (Lemire's multiply-shift; the bias is below 2⁻⁴⁰ for the
    /// sample sizes we see, far under the bootstrap's own noise). `n` must be positive.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

/// A seed from the parts that identify a figure (institution code, period, rule…): FNV-1a
/// over the parts with a separator, so `("ab", "c")` and `("a", "bc")` differ.
pub fn seed_of(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0xFF)) {
            h ^= u64::from(byte);
            h = h.wrapping_mul(0x0100_0000_01B3);
        }
    }
    h
}

/// The Да/Нет answers of an institution's respondents, over the questionnaire's yes/no items.
///
/// Stored by column: per item, one 0/1 counter per respondent for "answered" and one for «Да».
/// A replicate is then a multiplicity per respondent (how often the resample drew them), and
/// each item's counts are dot products of that with its columns — sequential, vectorised
/// arithmetic instead of a random row read per draw.
#[derive(Debug, Clone)]
pub struct Respondents {
    items: Vec<String>,
    /// `answered` columns of every item, then their `yes` columns.
    columns: Vec<Vec<u32>>,
}

impl Respondents {
    /// No respondents yet, over the yes/no items of `questionnaire`.
    pub fn new(questionnaire: &Questionnaire) -> Self {
        let items: Vec<String> = questionnaire
            .questions
            .iter()
            .filter(|q| q.kind == QuestionKind::YesNo)
            .map(|q| q.id.clone())
            .collect();
        let columns = vec![Vec::new(); 2 * items.len()];
        Self { items, columns }
    }

    /// Adds a respondent from their (question id, «Да») answers; other ids are ignored.
    pub fn push<'a>(&mut self, answers: impl IntoIterator<Item = (&'a str, bool)>) {
        let k = self.items.len();
        let mut row = vec![0u32; 2 * k];
        for (q, yes) in answers {
            if let Some(i) = self.items.iter().position(|id| id == q) {
                row[i] = 1;
                row[k + i] = u32::from(yes);
            }
        }
        for (column, value) in self.columns.iter_mut().zip(row) {
            column.push(value);
        }
    }

    /// How many respondents.
    pub fn len(&self) -> usize {
        self.columns.first().map_or(0, Vec::len)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The Да/Нет counts per item when respondent `i` is counted `times[i]` times.
    fn counts(&self, times: &[u32]) -> BTreeMap<String, YesNoCounts> {
        let dot = |column: &Vec<u32>| -> u64 {
            // u32 lanes vectorise twice as wide as u64; no resample counts 4 billion answers.
            let sum: u32 = column.iter().zip(times).map(|(a, t)| a * t).sum();
            u64::from(sum)
        };
        let k = self.items.len();
        self.items
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let counts = YesNoCounts {
                    yes: dot(&self.columns[k + i]),
                    n: dot(&self.columns[i]),
                };
                (id.clone(), counts)
            })
            .collect()
    }
}

/// Percentile 95 % intervals of K1–K5 (by criterion code) and of the total (key `"total"`);
/// `None` where no replicate has a value.
pub type Intervals = BTreeMap<String, Option<[f64; 2]>>;

/// The bootstrap intervals of an institution's criteria and total over `replicates` resamples
/// of its respondents, the checklist fixed. Each bound is widened, if need be, to hold the
/// point estimate from all respondents (as the Wilson interval holds its share), so a
/// ranking never shows a score outside its own interval.
pub fn intervals(
    m: &NokMethodology,
    questionnaire: &Questionnaire,
    respondents: &Respondents,
    checklist: Option<&Checklist>,
    seed: u64,
    replicates: usize,
) -> Intervals {
    let n = respondents.len();
    let point = score(
        m,
        questionnaire,
        &respondents.counts(&vec![1; n]),
        checklist,
    );
    let mut keys: Vec<String> = m.criteria.iter().map(|c| c.code.clone()).collect();
    keys.push("total".to_owned());
    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(replicates); keys.len()];
    if n > 0 {
        let mut rng = SplitMix64::new(seed);
        let mut times = vec![0u32; n];
        for _ in 0..replicates {
            times.fill(0);
            for _ in 0..n {
                times[rng.below(n)] += 1;
            }
            let s = score(m, questionnaire, &respondents.counts(&times), checklist);
            let values = m
                .criteria
                .iter()
                .map(|c| s.criteria.get(&c.code).copied().flatten())
                .chain(std::iter::once(s.total));
            for (sample, value) in samples.iter_mut().zip(values) {
                sample.extend(value);
            }
        }
    }
    let estimates = m
        .criteria
        .iter()
        .map(|c| point.criteria.get(&c.code).copied().flatten())
        .chain(std::iter::once(point.total));
    keys.into_iter()
        .zip(samples)
        .zip(estimates)
        .map(|((key, sample), estimate)| (key, percentile95(sample, estimate)))
        .collect()
}

/// The 2.5 % and 97.5 % order statistics of `values`, widened to hold `estimate`.
fn percentile95(mut values: Vec<f64>, estimate: Option<f64>) -> Option<[f64; 2]> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let last = values.len() - 1;
    let at = |q: f64| values[((q * last as f64).round() as usize).min(last)];
    let (mut lo, mut hi) = (at(0.025), at(0.975));
    if let Some(e) = estimate {
        lo = lo.min(e);
        hi = hi.max(e);
    }
    Some([lo, hi])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{builtin_questionnaires, nok_methodology};

    fn social() -> Questionnaire {
        builtin_questionnaires()
            .unwrap()
            .into_iter()
            .find(|q| q.id == "nok-social")
            .unwrap()
    }

    fn checklist() -> Checklist {
        serde_json::from_value(serde_json::json!({
            "1.1": {"stand_present": 9, "stand_required": 10, "site_present": 18, "site_required": 20},
            "1.2": ["phone", "email", "faq"],
            "2.1": ["waiting_zone", "navigation", "drinking_water"],
            "3.1": ["ramps"],
            "3.2": ["sound_visual", "braille"]
        }))
        .unwrap()
    }

    /// Respondents of a fixed pattern: everyone answers every item, «Да» with probability ~0.8.
    fn respondents(q: &Questionnaire, n: usize) -> Respondents {
        let mut r = Respondents::new(q);
        let mut rng = SplitMix64::new(7);
        let items: Vec<String> = r.items.clone();
        assert!(!items.is_empty());
        for _ in 0..n {
            let answers: Vec<(String, bool)> = items
                .iter()
                .map(|id| (id.clone(), rng.below(10) < 8))
                .collect();
            r.push(answers.iter().map(|(id, yes)| (id.as_str(), *yes)));
        }
        r
    }

    #[test]
    fn the_same_seed_gives_the_same_interval_and_another_seed_another() {
        let (m, q) = (nok_methodology().unwrap(), social());
        let r = respondents(&q, 300);
        let a = intervals(
            &m,
            &q,
            &r,
            Some(&checklist()),
            seed_of(&["inst", "2026"]),
            1000,
        );
        let b = intervals(
            &m,
            &q,
            &r,
            Some(&checklist()),
            seed_of(&["inst", "2026"]),
            1000,
        );
        let c = intervals(
            &m,
            &q,
            &r,
            Some(&checklist()),
            seed_of(&["inst", "2027"]),
            1000,
        );
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn the_interval_holds_the_point_estimate_and_narrows_with_n() {
        let (m, q) = (nok_methodology().unwrap(), social());
        let width = |n: usize| {
            let r = respondents(&q, n);
            let point = score(&m, &q, &r.counts(&vec![1; r.len()]), Some(&checklist()));
            let ci = intervals(&m, &q, &r, Some(&checklist()), 1, REPLICATES);
            for (key, bounds) in &ci {
                let estimate = if key == "total" {
                    point.total
                } else {
                    point.criteria[key]
                };
                let ([lo, hi], e) = (bounds.unwrap(), estimate.unwrap());
                assert!(lo <= e && e <= hi, "{key}: {lo} ≤ {e} ≤ {hi}");
                assert!(hi - lo < 30.0, "{key}: a plausible width");
            }
            let [lo, hi] = ci["total"].unwrap();
            hi - lo
        };
        assert!(width(1000) < width(50));
    }

    #[test]
    fn without_a_checklist_k1_to_k3_and_the_total_have_no_interval() {
        let (m, q) = (nok_methodology().unwrap(), social());
        let ci = intervals(&m, &q, &respondents(&q, 50), None, 1, 200);
        assert_eq!(ci["K1"], None);
        assert_eq!(ci["total"], None);
        assert!(ci["K4"].is_some());
    }

    #[test]
    fn no_respondents_no_intervals() {
        let (m, q) = (nok_methodology().unwrap(), social());
        let ci = intervals(&m, &q, &Respondents::new(&q), Some(&checklist()), 1, 100);
        assert!(ci.values().all(Option::is_none));
    }

    #[test]
    fn seeds_depend_on_the_split_between_parts() {
        assert_ne!(seed_of(&["ab", "c"]), seed_of(&["a", "bc"]));
        assert_eq!(seed_of(&["a", "b"]), seed_of(&["a", "b"]));
    }

    #[test]
    fn below_stays_below() {
        let mut rng = SplitMix64::new(0);
        assert!((0..10_000).all(|_| rng.below(7) < 7));
    }
}
