//! How figures are written on screen: one decimal with a comma («68,2»), a true minus sign,
//! thin groups of thousands («1 234»). Display rounds; data does not (`contract.md` §2), so
//! these functions are the only place a value from `/stats` is changed, and only for reading.

/// A non-breaking space: groups of digits and a unit stay on one line with their number.
const NBSP: char = '\u{a0}';
/// The minus sign (U+2212), not the hyphen: screen readers say «минус», and it lines up.
const MINUS: char = '\u{2212}';

/// `x` rounded to one decimal, half away from zero (as people round by hand): «68,2»,
/// «−12,5», never «−0,0».
pub fn decimal(x: f64) -> String {
    let tenths = (x.abs() * 10.0).round();
    let sign = if x < 0.0 && tenths > 0.0 {
        "\u{2212}"
    } else {
        ""
    };
    let whole = (tenths / 10.0).trunc();
    let tenth = (tenths - whole * 10.0) as u64;
    format!("{sign}{},{tenth}", group(whole as u64))
}

/// A change, always signed: «+1,2», «−0,4», «0,0».
pub fn signed_decimal(x: f64) -> String {
    let text = decimal(x);
    if text.starts_with(MINUS) || (x.abs() * 10.0).round() == 0.0 {
        text
    } else {
        format!("+{text}")
    }
}

/// A count with thin groups: «1 234 567».
pub fn count(n: u64) -> String {
    group(n)
}

/// A change of a count, always signed: «+35», «−1 200», «0».
pub fn signed_count(delta: i64) -> String {
    let abs = group(delta.unsigned_abs());
    match delta.signum() {
        1 => format!("+{abs}"),
        -1 => format!("{MINUS}{abs}"),
        _ => abs,
    }
}

/// Digits in groups of three from the right, joined by non-breaking spaces.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(NBSP);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_decimal_with_a_comma() {
        assert_eq!(decimal(68.2), "68,2");
        assert_eq!(decimal(68.24), "68,2");
        assert_eq!(decimal(68.25), "68,3", "half away from zero");
        assert_eq!(decimal(83.333_333), "83,3");
        assert_eq!(decimal(99.96), "100,0");
        assert_eq!(decimal(0.0), "0,0");
        assert_eq!(decimal(100.0), "100,0");
        assert_eq!(decimal(1234.5), "1\u{a0}234,5");
    }

    #[test]
    fn negatives_use_the_minus_sign_and_never_show_minus_zero() {
        assert_eq!(decimal(-12.34), "\u{2212}12,3");
        assert_eq!(decimal(-12.35), "\u{2212}12,4");
        assert_eq!(decimal(-0.04), "0,0");
        assert_eq!(decimal(-100.0), "\u{2212}100,0");
    }

    #[test]
    fn changes_carry_their_sign() {
        assert_eq!(signed_decimal(1.24), "+1,2");
        assert_eq!(signed_decimal(-0.4), "\u{2212}0,4");
        assert_eq!(signed_decimal(0.01), "0,0");
        assert_eq!(signed_decimal(-0.01), "0,0");
        assert_eq!(signed_count(35), "+35");
        assert_eq!(signed_count(-1200), "\u{2212}1\u{a0}200");
        assert_eq!(signed_count(0), "0");
    }

    #[test]
    fn counts_group_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1\u{a0}000");
        assert_eq!(count(1_234_567), "1\u{a0}234\u{a0}567");
    }
}
