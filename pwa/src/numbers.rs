//! How the dashboard writes figures (pure): the one place a value from the API is changed, and
//! only for reading (data is never rounded, `contract.md` §2).
//!
//! Table cells hold what a spreadsheet in the interface's locale reads as a number: the
//! language's decimal separator (a comma in Russian: «68,2»), an ASCII minus, no thousands
//! separator. What is read rather than copied (cards, summaries, bar labels, axes) groups
//! thousands and uses the minus sign (U+2212), which screen readers say as «минус».

use crate::i18n::Lang;

/// What a table cell or a label shows for a figure that does not exist.
pub(crate) const NONE: &str = "—";

/// `value` rounded half away from zero to `decimals` places (as the browser's `toFixed`
/// rounds a value that is exact in binary), with the language's decimal separator; «—» when
/// it is not a finite number.
pub(crate) fn decimal(lang: Lang, value: f64, decimals: u32) -> String {
    if !value.is_finite() {
        return NONE.to_owned();
    }
    let scale = 10u64.pow(decimals);
    // Whole units of the last place; f64 → u64 saturates, far beyond any percentage or count.
    let units = (value.abs() * scale as f64).round() as u64;
    let mut text = String::new();
    if value < 0.0 && units != 0 {
        text.push('-');
    }
    text.push_str(&(units / scale).to_string());
    if decimals > 0 {
        text.push(decimal_separator(lang));
        text.push_str(&format!(
            "{:0width$}",
            units % scale,
            width = decimals as usize
        ));
    }
    text
}

/// The decimal separator of `lang`.
fn decimal_separator(lang: Lang) -> char {
    match lang {
        Lang::Ru => ',',
        Lang::En => '.',
    }
}

/// A figure with one decimal («68,2»), «—» for none.
pub(crate) fn value1(lang: Lang, value: Option<f64>) -> String {
    value.map_or_else(|| NONE.to_owned(), |v| decimal(lang, v, 1))
}

/// A 95 % interval with one decimal: «[61,0; 74,9]» (Russian: the semicolon, since the comma
/// is the decimal separator), «[61.0, 74.9]» (English); «—» for none.
pub(crate) fn interval(lang: Lang, ci95: Option<[f64; 2]>) -> String {
    let Some([lo, hi]) = ci95 else {
        return NONE.to_owned();
    };
    let between = match lang {
        Lang::Ru => "; ",
        Lang::En => ", ",
    };
    format!(
        "[{}{between}{}]",
        decimal(lang, lo, 1),
        decimal(lang, hi, 1)
    )
}

/// A count for prose: thousands grouped (a no-break space in Russian from 10 000, as Russian
/// typography does; a comma in English from 1,000). Tables use plain digits instead.
pub(crate) fn count(lang: Lang, n: u64) -> String {
    let digits = n.to_string();
    let (separator, from) = match lang {
        Lang::Ru => ('\u{a0}', 10_000),
        Lang::En => (',', 1_000),
    };
    if n < from {
        return digits;
    }
    let mut text = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            text.push(separator);
        }
        text.push(digit);
    }
    text
}

/// A percentage for prose and bar labels: «83,3 %» (a no-break space before the sign, as in
/// Russian), «83.3%».
pub(crate) fn percent(lang: Lang, value: f64, decimals: u32) -> String {
    let number = typographic(&decimal(lang, value, decimals));
    match lang {
        Lang::Ru => format!("{number}\u{a0}%"),
        Lang::En => format!("{number}%"),
    }
}

/// An axis tick: the step's decimals, a typographic minus («−20»).
pub(crate) fn tick(lang: Lang, value: f64, decimals: u32) -> String {
    typographic(&decimal(lang, value, decimals))
}

/// Replaces a leading ASCII minus by the typographic one, for text that is read, not copied.
fn typographic(number: &str) -> String {
    number
        .strip_prefix('-')
        .map_or_else(|| number.to_owned(), |rest| format!("\u{2212}{rest}"))
}

/// A figure as a card shows it: one decimal, the language's separator, the minus sign
/// («68,2», «−12,5»; never «−0,0»); «—» for none.
pub(crate) fn shown(lang: Lang, value: Option<f64>) -> String {
    typographic(&value1(lang, value))
}

/// A change, always signed: «+1,2», «−0,4», «0,0».
pub(crate) fn signed(lang: Lang, delta: f64) -> String {
    let text = shown(lang, Some(delta));
    if text.starts_with('\u{2212}') || (delta.abs() * 10.0).round() == 0.0 {
        text
    } else {
        format!("+{text}")
    }
}

/// A change of a count, always signed: «+35», «−12 000», «0».
pub(crate) fn signed_count(lang: Lang, delta: i64) -> String {
    let abs = count(lang, delta.unsigned_abs());
    match delta.signum() {
        1 => format!("+{abs}"),
        -1 => format!("\u{2212}{abs}"),
        _ => abs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_use_the_languages_separator_and_round_half_away_from_zero() {
        assert_eq!(decimal(Lang::Ru, 68.2, 1), "68,2");
        assert_eq!(decimal(Lang::En, 68.2, 1), "68.2");
        assert_eq!(decimal(Lang::Ru, 68.25, 1), "68,3");
        assert_eq!(decimal(Lang::Ru, -68.25, 1), "-68,3");
        assert_eq!(decimal(Lang::Ru, 83.333_333, 1), "83,3");
        assert_eq!(decimal(Lang::Ru, 99.96, 1), "100,0");
        assert_eq!(decimal(Lang::Ru, 0.0, 1), "0,0");
        assert_eq!(decimal(Lang::Ru, 100.0, 0), "100");
        assert_eq!(decimal(Lang::Ru, 2.5, 0), "3");
        assert_eq!(decimal(Lang::Ru, 0.05, 2), "0,05");
    }

    #[test]
    fn no_negative_zero_and_no_nan() {
        assert_eq!(decimal(Lang::Ru, -0.04, 1), "0,0");
        assert_eq!(decimal(Lang::Ru, -0.0, 1), "0,0");
        assert_eq!(decimal(Lang::Ru, f64::NAN, 1), "—");
        assert_eq!(decimal(Lang::Ru, f64::INFINITY, 1), "—");
        assert_eq!(value1(Lang::Ru, None), "—");
        assert_eq!(value1(Lang::Ru, Some(27.27)), "27,3");
    }

    #[test]
    fn intervals_as_the_contract_shows_them() {
        assert_eq!(interval(Lang::Ru, Some([61.0, 74.94])), "[61,0; 74,9]");
        assert_eq!(interval(Lang::En, Some([61.0, 74.94])), "[61.0, 74.9]");
        assert_eq!(interval(Lang::Ru, Some([-12.5, 3.04])), "[-12,5; 3,0]");
        assert_eq!(interval(Lang::Ru, None), "—");
    }

    #[test]
    fn counts_group_thousands_only_in_prose_sizes() {
        assert_eq!(count(Lang::Ru, 0), "0");
        assert_eq!(count(Lang::Ru, 1234), "1234");
        assert_eq!(count(Lang::Ru, 12_345), "12\u{a0}345");
        assert_eq!(count(Lang::Ru, 5_000_000), "5\u{a0}000\u{a0}000");
        assert_eq!(count(Lang::En, 1234), "1,234");
        assert_eq!(count(Lang::En, 999), "999");
        assert_eq!(count(Lang::En, 100_000), "100,000");
    }

    #[test]
    fn percentages_and_ticks_are_typeset_for_reading() {
        assert_eq!(percent(Lang::Ru, 83.33, 1), "83,3\u{a0}%");
        assert_eq!(percent(Lang::En, 83.33, 1), "83.3%");
        assert_eq!(percent(Lang::Ru, 58.0, 0), "58\u{a0}%");
        assert_eq!(tick(Lang::Ru, -20.0, 0), "\u{2212}20");
        assert_eq!(tick(Lang::Ru, 2.5, 1), "2,5");
        assert_eq!(tick(Lang::Ru, 0.0, 0), "0");
    }

    #[test]
    fn cards_use_the_minus_sign_and_never_show_minus_zero() {
        assert_eq!(shown(Lang::Ru, Some(68.24)), "68,2");
        assert_eq!(shown(Lang::En, Some(68.24)), "68.2");
        assert_eq!(shown(Lang::Ru, Some(-12.35)), "\u{2212}12,4");
        assert_eq!(shown(Lang::Ru, Some(-0.04)), "0,0");
        assert_eq!(shown(Lang::Ru, None), "—");
    }

    #[test]
    fn changes_carry_their_sign() {
        assert_eq!(signed(Lang::Ru, 1.24), "+1,2");
        assert_eq!(signed(Lang::Ru, -0.4), "\u{2212}0,4");
        assert_eq!(signed(Lang::Ru, 0.01), "0,0");
        assert_eq!(signed(Lang::Ru, -0.01), "0,0");
        assert_eq!(signed_count(Lang::Ru, 35), "+35");
        assert_eq!(signed_count(Lang::Ru, -12_000), "\u{2212}12\u{a0}000");
        assert_eq!(signed_count(Lang::En, -1200), "\u{2212}1,200");
        assert_eq!(signed_count(Lang::Ru, 0), "0");
    }
}
