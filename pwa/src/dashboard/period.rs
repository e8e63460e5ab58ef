//! Calendar quarters, the dashboard's period: parsing the address's `2026Q1`, the dates
//! `/stats` takes, the previous quarter to compare with, and names like «2026 — I квартал».
//!
//! The server counts periods in each institution's time zone; the client only names them and
//! turns them into `from`/`to` days, so no time-zone arithmetic happens here.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::i18n::{fill, DashboardStrings};

/// One calendar quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: i32,
    /// 1–4.
    number: u8,
}

impl Quarter {
    /// The quarter `number` (1–4) of `year`; `None` for any other number or a year outside
    /// 1000–9999 (the four digits the address and `/stats` dates carry).
    pub fn new(year: i32, number: u8) -> Option<Self> {
        ((1..=4).contains(&number) && (1000..=9999).contains(&year))
            .then_some(Self { year, number })
    }

    /// Parses the address form `2026Q1` (what `/trends` calls a quarter, too).
    pub fn parse(s: &str) -> Option<Self> {
        let (year, number) = s.split_once('Q')?;
        if year.len() != 4 || number.len() != 1 {
            return None;
        }
        Self::new(year.parse().ok()?, number.parse().ok()?)
    }

    /// The quarter `date` falls in.
    pub fn containing(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            number: (date.month0() / 3 + 1) as u8,
        }
    }

    /// The quarter before this one.
    pub fn previous(self) -> Self {
        if self.number == 1 {
            Self {
                year: self.year - 1,
                number: 4,
            }
        } else {
            Self {
                year: self.year,
                number: self.number - 1,
            }
        }
    }

    /// `from` and `to` of `/stats` (both inclusive): `2026-01-01`, `2026-03-31`.
    pub fn days(self) -> (String, String) {
        let first_month = u32::from(self.number - 1) * 3 + 1;
        let last_day = match self.number {
            1 => 31,
            2 => 30,
            3 => 30,
            _ => 31,
        };
        (
            format!("{:04}-{first_month:02}-01", self.year),
            format!("{:04}-{:02}-{last_day}", self.year, first_month + 2),
        )
    }

    /// This quarter and the `count - 1` before it, newest first: the period picker's options.
    pub fn recent(self, count: usize) -> Vec<Self> {
        std::iter::successors(Some(self), |q| Some(q.previous()))
            .take(count)
            .collect()
    }

    /// The quarter's name in the interface language («2026 — I квартал»).
    pub fn label(self, t: &DashboardStrings) -> String {
        let numeral = t.quarter_numerals[usize::from(self.number - 1)];
        fill(
            t.quarter,
            &[("year", &self.year.to_string()), ("q", numeral)],
        )
    }
}

/// The address form, `2026Q1`.
impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}Q{}", self.year, self.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::dashboard::{EN, RU};

    fn q(year: i32, number: u8) -> Quarter {
        Quarter::new(year, number).unwrap()
    }

    #[test]
    fn parses_the_address_form_and_nothing_else() {
        assert_eq!(Quarter::parse("2026Q1"), Some(q(2026, 1)));
        assert_eq!(Quarter::parse("1999Q4"), Some(q(1999, 4)));
        for bad in [
            "", "2026", "2026Q0", "2026Q5", "2026Q", "26Q1", "2026q1", "2026Q11", "Q1",
        ] {
            assert_eq!(Quarter::parse(bad), None, "{bad:?}");
        }
        assert_eq!(q(2026, 3).to_string(), "2026Q3");
        assert_eq!(Quarter::parse(&q(2030, 2).to_string()), Some(q(2030, 2)));
    }

    #[test]
    fn names_quarters_as_the_contract_does() {
        assert_eq!(q(2026, 1).label(&RU), "2026 — I квартал");
        assert_eq!(q(2026, 2).label(&RU), "2026 — II квартал");
        assert_eq!(q(2025, 3).label(&RU), "2025 — III квартал");
        assert_eq!(q(2025, 4).label(&RU), "2025 — IV квартал");
        assert_eq!(q(2026, 1).label(&EN), "Q1 2026");
    }

    #[test]
    fn days_cover_the_whole_quarter() {
        assert_eq!(
            q(2026, 1).days(),
            ("2026-01-01".into(), "2026-03-31".into())
        );
        assert_eq!(
            q(2026, 2).days(),
            ("2026-04-01".into(), "2026-06-30".into())
        );
        assert_eq!(
            q(2026, 3).days(),
            ("2026-07-01".into(), "2026-09-30".into())
        );
        assert_eq!(
            q(2026, 4).days(),
            ("2026-10-01".into(), "2026-12-31".into())
        );
        // Every day of a year lands in the quarter whose days contain it.
        let mut day = NaiveDate::from_ymd_opt(2028, 1, 1).unwrap();
        while day.year() == 2028 {
            let (from, to) = Quarter::containing(day).days();
            let iso = day.format("%Y-%m-%d").to_string();
            assert!(from <= iso && iso <= to, "{iso} outside {from}…{to}");
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn previous_crosses_the_year_and_recent_lists_newest_first() {
        assert_eq!(q(2026, 1).previous(), q(2025, 4));
        assert_eq!(q(2026, 3).previous(), q(2026, 2));
        assert_eq!(
            q(2026, 2).recent(3),
            vec![q(2026, 2), q(2026, 1), q(2025, 4)]
        );
        let date = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        assert_eq!(Quarter::containing(date), q(2026, 4));
    }
}
