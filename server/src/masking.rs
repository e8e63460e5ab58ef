//! Personal data out of citizens' free text: phone numbers, e-mails, СНИЛС, passport and card
//! numbers and names after «меня зовут», «фамилия» and the like become «***» before any comment
//! or free-text answer leaves the server (comments API, exports). Nobody reads unmasked text
//! through the API; the stored response keeps what the citizen wrote.
//!
//! The rules err on the side of masking: any run of digits joined by spaces, dashes or brackets
//! that holds 7 digits or more is taken for a phone, a card, a СНИЛС or a passport, whatever its
//! grouping — except when it is a date (`2026-03-12`), a span of years (`2025–2026`) or a price
//! (`1 500 000 рублей`). Shorter numbers (windows, rooms, tickets, times, counts, years) stay.
//! The case table in the tests below is the specification.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex};

/// What masked data is replaced with.
pub const MASK: &str = "***";

/// Fewest digits in a run taken for a phone (a local number without the city code has 7).
const MIN_PHONE_DIGITS: usize = 7;

/// E-mail addresses (Cyrillic domains included: `\w` is Unicode).
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+").expect("the e-mail pattern compiles")
});

/// A name after the words that introduce one: the keyword (kept) and 1–3 capitalised words or
/// initials (masked). Only the keyword ignores case: «я — пенсионерка» is not a name.
static NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<lead>\b(?i:меня\s+зовут|моя\s+фамилия|фамилия|ф\.?\s?и\.?\s?о\.?|зовут|я\s*[—–-])[\s:—–-]*)(?P<name>\p{Lu}[\p{L}.-]*(?:\s+\p{Lu}[\p{L}.-]*){0,2})",
    )
    .expect("the name pattern compiles")
});

/// A document number after its keyword («паспорт 4506123456», «серия 45 06 номер 123456»):
/// any run of four or more digits within a few words of it.
static DOCUMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<lead>\b(?i:паспорт\w*|серии|серия|снилс|инн|полис\w*)[^\d\n]{0,20}?)(?P<number>\d(?:[\d \u{a0}№-]|(?i:номер))*\d)",
    )
    .expect("the document pattern compiles")
});

/// Numbers, leftmost alternative first: what must stay (dates, spans of years, prices) is
/// matched before the generic run of digits, so a run never starts inside one of them.
static NUMBERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        // ISO and Russian dates with dashes; times and dotted dates never join a run.
        r"(?P<keep>\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}-\d{1,2}-\d{4}\b",
        // Spans of years: 2025-2026, 2025 – 2026.
        r"|\b(?:19|20)\d{2}\s?[-–—]\s?(?:19|20)\d{2}\b",
        // Prices: 1 200 ₽, 1 500 000 рублей, 700 р.
        r"|\d{1,3}(?:[ \u{a0}\u{202f}]\d{3})+[ \u{a0}\u{202f}]?(?:₽|(?i:руб|р\.|тыс|млн))",
        r"|\d+[ \u{a0}\u{202f}]?(?:₽|(?i:руб|р\.|тыс|млн)))",
        // Any other run of digits joined by spaces, dashes or brackets, with an optional «+».
        r"|(?P<run>(?:\+\s?)?\(?\d(?:[\d()\- \u{a0}\u{202f}–]*[\d)])?)",
    ))
    .expect("the number pattern compiles")
});

/// The text with personal data replaced by [`MASK`]; borrowed when nothing was masked.
///
/// The e-mail rule runs only on text with an `@`, the number rules only on text with a digit
/// (`char::is_numeric` holds for every `\d` and more): most comments have neither, and the
/// Unicode word boundaries of these patterns cost most of an export's masking time.
pub fn mask(text: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    if text.contains('@') {
        replace(&mut out, &EMAIL, |_| MASK.to_owned());
    }
    replace(&mut out, &NAME, |c| format!("{}{MASK}", &c["lead"]));
    if out.chars().any(char::is_numeric) {
        replace(&mut out, &DOCUMENT, |c| format!("{}{MASK}", &c["lead"]));
        replace(&mut out, &NUMBERS, |c| match c.name("run") {
            Some(run) if digits(run.as_str()) >= MIN_PHONE_DIGITS => MASK.to_owned(),
            _ => c[0].to_owned(),
        });
    }
    out
}

/// Applies one rule, keeping the text borrowed when the rule changed nothing (a kept number
/// is a match replaced by itself).
fn replace(text: &mut Cow<'_, str>, rule: &Regex, with: impl FnMut(&Captures<'_>) -> String) {
    if let Cow::Owned(replaced) = rule.replace_all(text, with) {
        if replaced != **text {
            *text = Cow::Owned(replaced);
        }
    }
}

fn digits(s: &str) -> usize {
    s.bytes().filter(u8::is_ascii_digit).count()
}

#[cfg(test)]
mod tests;
