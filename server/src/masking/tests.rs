//! The masking rules as a table of cases (input → expected), then a property: whatever shape a
//! phone number or an e-mail takes inside Russian text, none survives masking.

use proptest::prelude::*;

use super::*;

/// Input → expected output. The first block must be masked, the second must stay as written.
const CASES: &[(&str, &str)] = &[
    // Phones in every common Russian form.
    ("звоните +7 (912) 345-67-89", "звоните ***"),
    ("мой номер 8 912 345 67 89, жду", "мой номер ***, жду"),
    ("89123456789", "***"),
    ("тел.89123456789!", "тел.***!"),
    ("+7-912-345-67-89 спросить Олю", "*** спросить Олю"),
    ("+79123456789", "***"),
    ("+7 912 3456789", "***"),
    ("8(912)345-67-89", "***"),
    ("8 (8432) 12-34-56 регистратура", "*** регистратура"),
    ("(843) 212-34-56", "***"),
    ("наберите 345-67-89 после обеда", "наберите *** после обеда"),
    ("телефон 3456789", "телефон ***"),
    ("7 912 345 67 89", "***"),
    ("+7 912 345\u{a0}67\u{a0}89", "***"),
    ("8–912–345–67–89", "***"),
    // E-mails.
    ("пишите ivan.petrov@mail.ru", "пишите ***"),
    ("почта: anna_89123456@yandex.ru.", "почта: ***."),
    ("Olga+mfc@gov.example.org или звоните", "*** или звоните"),
    ("адрес жалоба@почта.рф", "адрес ***"),
    // СНИЛС, passports, cards.
    ("СНИЛС 123-456-789 01", "СНИЛС ***"),
    ("мой снилс 12345678901", "мой снилс ***"),
    ("паспорт 45 06 123456", "паспорт ***"),
    ("паспорт 4506 123456 выдан", "паспорт *** выдан"),
    ("паспорт 4506123456", "паспорт ***"),
    ("паспорт серия 45 06 номер 123456", "паспорт серия ***"),
    ("номер паспорта: 123456", "номер паспорта: ***"),
    ("карта 4276 1234 5678 9012", "карта ***"),
    ("карта 4276123456789012 списали", "карта *** списали"),
    ("ИНН 7701234567", "ИНН ***"),
    // Names after the words that introduce them.
    (
        "Меня зовут Иван Петров, помогите",
        "Меня зовут ***, помогите",
    ),
    ("меня зовут Анна", "меня зовут ***"),
    (
        "Я — Сидорова Мария Ивановна, пенсионерка",
        "Я — ***, пенсионерка",
    ),
    ("я - Кузнецов", "я - ***"),
    ("Фамилия: Смирнов", "Фамилия: ***"),
    ("ФИО Петрова А.В.", "ФИО ***"),
    (
        "моя фамилия Волков и я недоволен",
        "моя фамилия *** и я недоволен",
    ),
    ("врача зовут Елена Сергеевна", "врача зовут ***"),
    // Must stay: prices, dates, times, rooms, windows, tickets, years, counts, plain words.
    ("заплатили 500 рублей", "заплатили 500 рублей"),
    ("цена 1 200 ₽ за справку", "цена 1 200 ₽ за справку"),
    (
        "ремонт обошёлся в 1 500 000 рублей",
        "ремонт обошёлся в 1 500 000 рублей",
    ),
    ("штраф 700 р. ни за что", "штраф 700 р. ни за что"),
    ("пришла 12.03.2026 в 10:30", "пришла 12.03.2026 в 10:30"),
    ("запись на 2026-03-12 10:30", "запись на 2026-03-12 10:30"),
    (
        "в 2025-2026 годах было лучше",
        "в 2025-2026 годах было лучше",
    ),
    ("окно 5 не работало", "окно 5 не работало"),
    ("кабинет 214, второй этаж", "кабинет 214, второй этаж"),
    ("талон А123, ждала 40 минут", "талон А123, ждала 40 минут"),
    (
        "в очереди 15 человек, работает 2 окна из 6",
        "в очереди 15 человек, работает 2 окна из 6",
    ),
    ("с 9:00 до 18:00, обед 13-14", "с 9:00 до 18:00, обед 13-14"),
    ("в 2026 году стало лучше", "в 2026 году стало лучше"),
    (
        "я — пенсионерка, мне 72 года",
        "я — пенсионерка, мне 72 года",
    ),
    ("всё хорошо, спасибо!", "всё хорошо, спасибо!"),
    ("кабинет №214 (3 этаж)", "кабинет №214 (3 этаж)"),
    ("ждали 2-3 часа", "ждали 2-3 часа"),
];

#[test]
fn the_case_table_holds() {
    assert!(CASES.len() >= 40, "at least 40 cases");
    let failures: Vec<String> = CASES
        .iter()
        .filter_map(|&(input, want)| {
            let got = mask(input);
            (got != want).then(|| format!("{input:?}\n   got {got:?}\n  want {want:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn clean_text_is_borrowed_not_copied() {
    assert!(matches!(mask("окно 5, кабинет 214"), Cow::Borrowed(_)));
}

/// A Russian phone number in one of many shapes: prefix, optional brackets round the code,
/// separators between the groups (none, space, dash, non-breaking space).
fn phone() -> impl Strategy<Value = String> {
    let prefix = prop::sample::select(vec!["+7", "8", "7", "+7 ", "8 ", "+7-", "8-", ""]);
    let sep = prop::sample::select(vec!["", " ", "-", "\u{a0}", " - "]);
    (
        prefix,
        any::<bool>(),
        sep,
        prop::collection::vec(0u8..10, 10),
    )
        .prop_map(|(prefix, brackets, sep, d)| {
            let d: Vec<String> = d.iter().map(u8::to_string).collect();
            let code = d[..3].concat();
            let code = if brackets { format!("({code})") } else { code };
            let groups = [d[3..6].concat(), d[6..8].concat(), d[8..].concat()];
            if prefix.is_empty() {
                // A local number: the last seven digits only.
                groups.join(sep)
            } else {
                format!("{prefix}{code}{sep}{}", groups.join(sep))
            }
        })
}

fn email() -> impl Strategy<Value = String> {
    (
        "[a-z][a-z0-9._-]{0,12}",
        "[a-z0-9-]{1,10}",
        prop::sample::select(vec!["ru", "com", "рф", "org.ru"]),
    )
        .prop_map(|(user, host, tld)| format!("{user}@{host}.{tld}"))
}

const WORDS: &[&str] = &[
    "звоните",
    "по",
    "номеру",
    "пишите",
    "на",
    "почту",
    "спасибо",
    "очередь",
    "долго",
    "вежливо",
    "окно",
    "меня",
    "после",
    "обеда",
    "и",
    "не",
    "ответили",
    "Тел.:",
    "—",
    ",",
];

/// Russian words (no digits, no «@») with the personal data somewhere among them.
fn text_with(data: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop::sample::select(WORDS), 0..8),
        data,
        prop::collection::vec(prop::sample::select(WORDS), 0..8),
        prop::sample::select(vec![" ", "", ": ", "\n", "("]),
    )
        .prop_map(|(before, data, after, glue)| {
            format!("{}{glue}{data} {}", before.join(" "), after.join(" "))
        })
}

/// The test's own notion of a phone shape, independent of the module: 7 or more digits in a
/// run of digits, spaces, dashes and brackets.
fn has_phone_shape(s: &str) -> bool {
    let mut run_digits = 0;
    for c in s.chars() {
        if c.is_ascii_digit() {
            run_digits += 1;
            if run_digits >= MIN_PHONE_DIGITS {
                return true;
            }
        } else if !matches!(c, ' ' | '-' | '(' | ')' | '+' | '\u{a0}' | '–') {
            run_digits = 0;
        }
    }
    false
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn no_phone_survives(text in text_with(phone())) {
        let masked = mask(&text);
        prop_assert!(!has_phone_shape(&masked), "{text:?} → {masked:?}");
    }

    #[test]
    fn no_email_survives(text in text_with(email())) {
        let masked = mask(&text);
        prop_assert!(!masked.contains('@'), "{text:?} → {masked:?}");
    }

    #[test]
    fn several_pieces_in_one_text_are_all_masked(
        a in phone(), b in email(), c in phone(), words in text_with(Just(String::new())),
    ) {
        let text = format!("{a} {words} {b}, {c}");
        let masked = mask(&text);
        prop_assert!(!has_phone_shape(&masked) && !masked.contains('@'), "{text:?} → {masked:?}");
    }
}
