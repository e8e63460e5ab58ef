//! Periods as the charts, their summaries and their tables show them (pure); the numbers are
//! written by [`crate::numbers`], re-exported here for the charts' modules.

pub(crate) use crate::numbers::{count, decimal, interval, percent, tick, value1, NONE};

use super::ChartStrings;

/// How long a period label is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Length {
    /// On an axis: «2026 — I кв.», «янв 2026».
    Short,
    /// In a table or a summary: «2026 — I квартал», «январь 2026».
    Long,
}

/// A period of `/trends` (`2026Q1`, `2026-03`, `2026`) as people read it; anything else as
/// it came.
pub(crate) fn period(t: &ChartStrings, period: &str, length: Length) -> String {
    let quarter = period
        .split_once('Q')
        .filter(|(year, _)| is_year(year))
        .and_then(|(year, q)| {
            Some((
                year,
                q.parse::<usize>().ok().filter(|q| (1..=4).contains(q))?,
            ))
        });
    if let Some((year, q)) = quarter {
        let template = match length {
            Length::Short => t.quarter_short,
            Length::Long => t.quarter_long,
        };
        return crate::i18n::fill(
            template,
            &[("year", year), ("q", ROMAN[q - 1]), ("n", &q.to_string())],
        );
    }
    let month = period
        .split_once('-')
        .filter(|(year, _)| is_year(year))
        .and_then(|(year, m)| {
            Some((
                year,
                m.parse::<usize>().ok().filter(|m| (1..=12).contains(m))?,
            ))
        });
    if let Some((year, m)) = month {
        let names = match length {
            Length::Short => &t.months_short,
            Length::Long => &t.months_long,
        };
        return format!("{} {year}", names[m - 1]);
    }
    period.to_owned()
}

/// Quarter numerals as Russian writes them.
const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];

/// Four ASCII digits.
fn is_year(text: &str) -> bool {
    text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::strings;
    use crate::i18n::Lang;

    #[test]
    fn quarters_read_as_russian_writes_them() {
        assert_eq!(
            period(strings(Lang::Ru), "2026Q1", Length::Short),
            "2026 — I кв."
        );
        assert_eq!(
            period(strings(Lang::Ru), "2026Q4", Length::Short),
            "2026 — IV кв."
        );
        assert_eq!(
            period(strings(Lang::Ru), "2026Q2", Length::Long),
            "2026 — II квартал"
        );
        assert_eq!(
            period(strings(Lang::En), "2026Q3", Length::Short),
            "Q3 2026"
        );
        assert_eq!(period(strings(Lang::En), "2026Q3", Length::Long), "Q3 2026");
    }

    #[test]
    fn months_and_years() {
        assert_eq!(
            period(strings(Lang::Ru), "2026-01", Length::Short),
            "янв 2026"
        );
        assert_eq!(
            period(strings(Lang::Ru), "2026-05", Length::Short),
            "май 2026"
        );
        assert_eq!(
            period(strings(Lang::Ru), "2026-12", Length::Long),
            "декабрь 2026"
        );
        assert_eq!(
            period(strings(Lang::En), "2026-03", Length::Short),
            "Mar 2026"
        );
        assert_eq!(
            period(strings(Lang::En), "2026-03", Length::Long),
            "March 2026"
        );
        assert_eq!(period(strings(Lang::Ru), "2026", Length::Short), "2026");
    }

    #[test]
    fn unknown_periods_pass_through() {
        for raw in [
            "2026Q5", "2026Q0", "2026-13", "2026-00", "26Q1", "abcd-01", "", "2026W01",
        ] {
            assert_eq!(period(strings(Lang::Ru), raw, Length::Short), raw);
        }
    }
}
