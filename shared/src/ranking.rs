//! Ranking institutions only where their intervals separate (`domain.md` §5), as tied groups.
//!
//! The institutions with enough answers are ordered by value, highest first. Group 1 starts
//! with the first; each next institution stays in the current group while its interval still
//! reaches the lower bound of the group's **first** member, and opens a new group when its
//! upper bound lies below that lower bound. Anchoring on the first member (not the previous
//! one) keeps a long chain of overlapping neighbours from tying the best with the worst.
//! Institutions under the minimum n, or without a value, are listed after the ranked ones with
//! neither rank nor group.

/// The human statement of the rule, as `GET /api/v1/rankings` returns it in `rule`.
pub const RULE: &str = "Учреждения с числом ответов не меньше минимального упорядочены по \
убыванию значения. Группа 1 начинается с первого; следующее учреждение открывает новую группу, \
если верхняя граница его 95 % интервала ниже нижней границы интервала первого учреждения \
текущей группы, иначе входит в текущую группу (различие внутри группы статистически не \
подтверждено). Учреждения с малым числом ответов или без значения перечислены в конце без \
места и группы.";

/// One institution's figure to rank.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry<K> {
    /// What the caller identifies the institution by (its code).
    pub key: K,
    /// The figure; `None` leaves the institution unranked.
    pub value: Option<f64>,
    /// Its 95 % interval; an interval-less value counts as the point `[value, value]`.
    pub ci95: Option<[f64; 2]>,
    /// Under the minimum n: unranked.
    pub low_n: bool,
}

/// An entry with its place: `rank` and `group` are 1-based, `None` for the unranked.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed<K> {
    /// The entry.
    pub entry: Entry<K>,
    /// Position among the ranked.
    pub rank: Option<u32>,
    /// Tied group.
    pub group: Option<u32>,
}

/// Orders `entries` (ranked by value descending, ties by key; then the unranked by key) and
/// gives the ranked their rank and tied group by the [module's rule](self).
pub fn rank<K: Ord>(entries: Vec<Entry<K>>) -> Vec<Placed<K>> {
    let (mut ranked, mut unranked): (Vec<_>, Vec<_>) = entries
        .into_iter()
        .partition(|e| e.value.is_some() && !e.low_n);
    ranked.sort_by(|a, b| {
        let (va, vb) = (a.value.unwrap_or(f64::MIN), b.value.unwrap_or(f64::MIN));
        vb.total_cmp(&va).then_with(|| a.key.cmp(&b.key))
    });
    unranked.sort_by(|a, b| a.key.cmp(&b.key));
    let bounds = |e: &Entry<K>| {
        let v = e.value.unwrap_or(0.0);
        e.ci95.unwrap_or([v, v])
    };
    let mut out = Vec::with_capacity(ranked.len() + unranked.len());
    let (mut group, mut first_lower) = (0u32, f64::NEG_INFINITY);
    for (i, entry) in ranked.into_iter().enumerate() {
        let [lower, upper] = bounds(&entry);
        if group == 0 || upper < first_lower {
            group += 1;
            first_lower = lower;
        }
        out.push(Placed {
            entry,
            rank: u32::try_from(i + 1).ok(),
            group: Some(group),
        });
    }
    out.extend(unranked.into_iter().map(|entry| Placed {
        entry,
        rank: None,
        group: None,
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(key: &'static str, value: f64, lo: f64, hi: f64) -> Entry<&'static str> {
        Entry {
            key,
            value: Some(value),
            ci95: Some([lo, hi]),
            low_n: false,
        }
    }

    fn places(placed: &[Placed<&'static str>]) -> Vec<(&'static str, Option<u32>, Option<u32>)> {
        placed
            .iter()
            .map(|p| (p.entry.key, p.rank, p.group))
            .collect()
    }

    #[test]
    fn overlapping_intervals_share_a_group_and_separated_ones_start_a_new_one() {
        let got = rank(vec![
            e("c", 70.0, 65.0, 75.0),
            e("a", 90.0, 85.0, 95.0),
            e("b", 88.0, 84.0, 92.0),
        ]);
        assert_eq!(
            places(&got),
            vec![
                ("a", Some(1), Some(1)),
                ("b", Some(2), Some(1)),
                ("c", Some(3), Some(2))
            ]
        );
    }

    #[test]
    fn the_group_is_anchored_on_its_first_member_not_the_previous_one() {
        // b overlaps a, c overlaps b but lies wholly below a's lower bound: c opens group 2.
        let got = rank(vec![
            e("a", 90.0, 86.0, 94.0),
            e("b", 86.0, 82.0, 90.0),
            e("c", 82.0, 78.0, 85.9),
        ]);
        assert_eq!(
            places(&got),
            vec![
                ("a", Some(1), Some(1)),
                ("b", Some(2), Some(1)),
                ("c", Some(3), Some(2))
            ]
        );
    }

    #[test]
    fn an_upper_bound_equal_to_the_lower_bound_still_ties() {
        let got = rank(vec![e("a", 90.0, 80.0, 95.0), e("b", 75.0, 70.0, 80.0)]);
        assert_eq!(got[1].group, Some(1));
    }

    #[test]
    fn low_n_and_valueless_entries_come_last_unranked_by_key() {
        let mut low = e("z-low", 99.0, 90.0, 100.0);
        low.low_n = true;
        let none = Entry {
            key: "m-none",
            value: None,
            ci95: None,
            low_n: false,
        };
        let got = rank(vec![low, e("a", 50.0, 40.0, 60.0), none]);
        assert_eq!(
            places(&got),
            vec![
                ("a", Some(1), Some(1)),
                ("m-none", None, None),
                ("z-low", None, None)
            ]
        );
    }

    #[test]
    fn equal_values_are_ordered_by_key() {
        let got = rank(vec![e("b", 50.0, 40.0, 60.0), e("a", 50.0, 40.0, 60.0)]);
        assert_eq!(places(&got)[0].0, "a");
    }

    #[test]
    fn nothing_to_rank() {
        assert!(rank::<&str>(Vec::new()).is_empty());
    }
}
