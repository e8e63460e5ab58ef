//! What the НСИ pages say about a figure (pure, tested on the host): the verdict against the
//! target, whether a quarter reaches it (a share or NPS at or above, a time at or below), the
//! quarters of a year and the quarter of a date (the report); a date as Russians write it
//! (both the report and «Данные НСИ»).

#[cfg(feature = "nsi")]
use otklik_shared::nsi::Kpi;

#[cfg(feature = "nsi")]
use crate::dashboard::period::Quarter;

/// What the report says about a KPI against its approved target.
#[cfg(feature = "nsi")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// «достигнут».
    Achieved,
    /// «не достигнут».
    NotAchieved,
    /// «нет цели».
    NoTarget,
    /// «нет данных»: a target, but no quarter with data yet.
    NoData,
}

#[cfg(feature = "nsi")]
impl Verdict {
    /// The verdict of `achieved` as the server computed it (null without a target or data).
    pub fn of(achieved: Option<bool>, has_target: bool) -> Self {
        match (achieved, has_target) {
            (Some(true), _) => Verdict::Achieved,
            (Some(false), _) => Verdict::NotAchieved,
            (None, false) => Verdict::NoTarget,
            (None, true) => Verdict::NoData,
        }
    }

    /// One quarter's value against the target, by the server's rule: a share or an NPS
    /// reaches it at or above, a time at or below.
    pub fn of_value(kpi: Kpi, value: Option<f64>, target: Option<f64>) -> Self {
        let achieved = value.zip(target).map(|(v, t)| match kpi {
            Kpi::Time => v <= t,
            Kpi::Satisfied | Kpi::Nps => v >= t,
        });
        Self::of(achieved, target.is_some())
    }

    /// Its place in the strings' `verdicts`.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The four quarters of `year`, first to last.
#[cfg(feature = "nsi")]
pub fn quarters_of(year: i32) -> Vec<Quarter> {
    (1..=4).filter_map(|q| Quarter::new(year, q)).collect()
}

/// The year, month and day of `text` (`YYYY-MM-DD`, or the date part of an RFC 3339 time).
/// Read by hand: chrono's parser and formatter would add tens of kilobytes to each bundle.
pub fn day(text: &str) -> Option<(i32, u32, u32)> {
    let part = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = text.get(range)?;
        digits
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| digits.parse().ok())?
    };
    let dashes = text.get(4..5) == Some("-") && text.get(7..8) == Some("-");
    let (year, month, day) = (part(0..4)?, part(5..7)?, part(8..10)?);
    (dashes && (1..=12).contains(&month) && (1..=31).contains(&day)).then_some((
        i32::try_from(year).ok()?,
        month,
        day,
    ))
}

/// A date as Russian documents write it («15.03.2026»); the text itself when it is no date.
pub fn date_shown(text: &str) -> String {
    day(text).map_or_else(|| text.to_owned(), |(y, m, d)| format!("{d:02}.{m:02}.{y}"))
}

/// The quarter a date falls in.
#[cfg(feature = "nsi")]
pub fn quarter_of(text: &str) -> Option<Quarter> {
    let (year, month, _) = day(text)?;
    Quarter::new(year, u8::try_from((month - 1) / 3 + 1).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_follows_the_servers_flag_and_says_why_there_is_none() {
        assert_eq!(Verdict::of(Some(true), true), Verdict::Achieved);
        assert_eq!(Verdict::of(Some(false), true), Verdict::NotAchieved);
        assert_eq!(Verdict::of(None, false), Verdict::NoTarget);
        assert_eq!(Verdict::of(None, true), Verdict::NoData);
        assert_eq!(Verdict::NoData.index(), 3);
    }

    #[test]
    fn a_share_reaches_its_target_at_or_above_and_a_time_at_or_below() {
        let s = |v, t| Verdict::of_value(Kpi::Satisfied, v, t);
        assert_eq!(s(Some(57.0), Some(57.0)), Verdict::Achieved);
        assert_eq!(s(Some(56.9), Some(57.0)), Verdict::NotAchieved);
        assert_eq!(s(None, Some(57.0)), Verdict::NoData);
        assert_eq!(s(Some(50.0), None), Verdict::NoTarget);
        let nps = Verdict::of_value(Kpi::Nps, Some(-4.0), Some(-5.0));
        assert_eq!(nps, Verdict::Achieved);
        let t = |v| Verdict::of_value(Kpi::Time, Some(v), Some(18.0));
        assert_eq!(t(18.0), Verdict::Achieved);
        assert_eq!(t(34.0), Verdict::NotAchieved);
    }

    #[test]
    fn dates_read_as_russians_write_them_and_fall_in_their_quarter() {
        assert_eq!(date_shown("2026-03-15"), "15.03.2026");
        assert_eq!(date_shown("2026-03-15T09:30:00.000Z"), "15.03.2026");
        assert_eq!(date_shown("по протоколу"), "по протоколу");
        assert_eq!(quarter_of("2026-04-01"), Quarter::new(2026, 2));
        assert_eq!(quarter_of("2026-03-31"), Quarter::new(2026, 1));
        assert_eq!(quarter_of("весной"), None);
        assert_eq!(day("2026-13-01"), None);
        assert_eq!(day("2026-1-015"), None);
        let q: Vec<String> = quarters_of(2026).iter().map(|q| q.to_string()).collect();
        assert_eq!(q, ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]);
    }
}
