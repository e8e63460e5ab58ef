//! НСИ vocabulary and arithmetic (`domain.md` §4, `contract.md` §5 «НСИ»): the three main KPIs of
//! a life situation, the methods a target is set by, the units a duration is measured in, the
//! range each KPI's value may take, the long-term benchmarks and the suggested `gap25` target.
//!
//! The names arrive as text and are parsed here (not by serde), so a wrong one is a 422 that
//! names its field rather than a malformed body.

use serde::{Deserialize, Serialize};

/// A main НСИ KPI of a life situation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kpi {
    /// Share satisfied, % (question `process`).
    Satisfied,
    /// NPS of the institutions visited, −100…100 (question `nps`).
    Nps,
    /// Time the process takes, a duration in its own unit.
    Time,
}

impl Kpi {
    /// Every KPI, in report order.
    pub const ALL: [Kpi; 3] = [Kpi::Satisfied, Kpi::Nps, Kpi::Time];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kpi::Satisfied => "satisfied",
            Kpi::Nps => "nps",
            Kpi::Time => "time",
        }
    }

    /// The KPI of this wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The long-term benchmark («долгосрочный ориентир», not a target): 90 % satisfied, NPS 30.
    /// Time has none in its own unit (its 90 % is a share, never compared with a duration).
    pub fn benchmark(self) -> Option<f64> {
        match self {
            Kpi::Satisfied => Some(90.0),
            Kpi::Nps => Some(30.0),
            Kpi::Time => None,
        }
    }

    /// Whether `value` may be a value of this KPI in `unit` (time only): a share 0–100, an NPS
    /// −100…100, a duration above zero and at most ten years.
    pub fn accepts(self, value: f64, unit: Option<TimeUnit>) -> bool {
        if !value.is_finite() {
            return false;
        }
        match self {
            Kpi::Satisfied => (0.0..=100.0).contains(&value),
            Kpi::Nps => (-100.0..=100.0).contains(&value),
            Kpi::Time => unit.is_some_and(|u| u.accepts(value)),
        }
    }
}

/// How an approved target was set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Baseline plus a quarter of the gap to the benchmark (the 2021 suggested default).
    Gap25,
    /// By the region's position among regions (the target models).
    Position,
    /// Anything else.
    Manual,
}

impl Method {
    /// Every method.
    pub const ALL: [Method; 3] = [Method::Gap25, Method::Position, Method::Manual];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Gap25 => "gap25",
            Method::Position => "position",
            Method::Manual => "manual",
        }
    }

    /// The method of this wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// The unit a duration is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Calendar days.
    Days,
    /// Hours.
    Hours,
    /// Minutes.
    Minutes,
}

impl TimeUnit {
    /// Every unit.
    pub const ALL: [TimeUnit; 3] = [TimeUnit::Days, TimeUnit::Hours, TimeUnit::Minutes];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeUnit::Days => "days",
            TimeUnit::Hours => "hours",
            TimeUnit::Minutes => "minutes",
        }
    }

    /// The unit of this wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.as_str() == s)
    }

    /// The longest sane duration in this unit: ten years (a typo like 1e6 days is refused).
    pub fn max(self) -> f64 {
        let days = 3650.0;
        match self {
            TimeUnit::Days => days,
            TimeUnit::Hours => days * 24.0,
            TimeUnit::Minutes => days * 24.0 * 60.0,
        }
    }

    /// Minutes in one of this unit.
    pub fn minutes(self) -> f64 {
        match self {
            TimeUnit::Days => 1440.0,
            TimeUnit::Hours => 60.0,
            TimeUnit::Minutes => 1.0,
        }
    }

    /// `value` of this unit in `to`.
    pub fn convert(self, value: f64, to: TimeUnit) -> f64 {
        value * self.minutes() / to.minutes()
    }

    /// Whether `value` is a sane duration in this unit: above zero, at most [`Self::max`].
    pub fn accepts(self, value: f64) -> bool {
        value.is_finite() && value > 0.0 && value <= self.max()
    }
}

/// The suggested `gap25` target: the baseline plus a quarter of the gap to the benchmark
/// (none for time, which has no benchmark in its unit). A baseline at or above the benchmark
/// stays where it is.
pub fn gap25(kpi: Kpi, baseline: f64) -> Option<f64> {
    let benchmark = kpi.benchmark()?;
    Some(baseline + ((benchmark - baseline) / 4.0).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_none() {
        for k in Kpi::ALL {
            assert_eq!(Kpi::parse(k.as_str()), Some(k));
        }
        for m in Method::ALL {
            assert_eq!(Method::parse(m.as_str()), Some(m));
        }
        for u in TimeUnit::ALL {
            assert_eq!(TimeUnit::parse(u.as_str()), Some(u));
        }
        assert_eq!(Kpi::parse("Satisfied"), None);
        assert_eq!(Method::parse("gap30"), None);
        assert_eq!(TimeUnit::parse("weeks"), None);
    }

    #[test]
    fn ranges_follow_each_kpi() {
        assert!(Kpi::Satisfied.accepts(0.0, None) && Kpi::Satisfied.accepts(100.0, None));
        assert!(!Kpi::Satisfied.accepts(100.1, None) && !Kpi::Satisfied.accepts(-0.1, None));
        assert!(Kpi::Nps.accepts(-100.0, None) && Kpi::Nps.accepts(100.0, None));
        assert!(!Kpi::Nps.accepts(-101.0, None) && !Kpi::Nps.accepts(f64::NAN, None));
        assert!(!Kpi::Time.accepts(14.0, None), "time needs a unit");
        assert!(Kpi::Time.accepts(14.0, Some(TimeUnit::Days)));
        assert!(!Kpi::Time.accepts(0.0, Some(TimeUnit::Days)));
        assert!(!Kpi::Time.accepts(-3.0, Some(TimeUnit::Hours)));
        assert!(!Kpi::Time.accepts(3651.0, Some(TimeUnit::Days)));
        assert!(Kpi::Time.accepts(3651.0, Some(TimeUnit::Hours)));
    }

    #[test]
    fn gap25_adds_a_quarter_of_the_gap_to_the_benchmark() {
        assert_eq!(gap25(Kpi::Satisfied, 46.0), Some(57.0));
        assert_eq!(gap25(Kpi::Nps, -10.0), Some(0.0));
        assert_eq!(gap25(Kpi::Satisfied, 95.0), Some(95.0));
        assert_eq!(gap25(Kpi::Time, 30.0), None);
    }

    #[test]
    fn durations_convert_between_units() {
        assert_eq!(TimeUnit::Days.convert(2.0, TimeUnit::Hours), 48.0);
        assert_eq!(TimeUnit::Minutes.convert(90.0, TimeUnit::Hours), 1.5);
    }
}
