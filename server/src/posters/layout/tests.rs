use super::{
    layout, Area, Item, Page, PosterFormat, PosterText, ANONYMITY, FRAME_INSET, FRAME_WIDTH,
    LINK_INTRO, MARGIN, MIN_TEXT,
};
use crate::posters::fonts::FONTS;

const SHORT: PosterText<'static> = PosterText {
    institution: "КЦСОН «Заречье»",
    department: None,
    url: "https://otklik.example.ru/q/mfc-kazan-1",
};

const LONG: PosterText<'static> = PosterText {
    institution: "Государственное бюджетное учреждение социального обслуживания населения \
                  Тестовой области «Комплексный центр социального обслуживания населения \
                  Заречного муниципального района имени Героя Советского Союза И. И. Иванова»",
    department: Some("Отделение социального обслуживания на дому граждан пожилого возраста и инвалидов № 12"),
    url: "https://otklik.uszn.testovaya-oblast.gosuslugi.example.ru/q/kcson-zarechye-otdelenie-12-na-domu",
};

fn pages() -> Vec<(PosterFormat, &'static str, Page)> {
    let mut out = Vec::new();
    for format in [PosterFormat::A4, PosterFormat::A6] {
        for (name, text) in [("short", SHORT), ("long", LONG)] {
            out.push((format, name, layout(format, &text, &*FONTS)));
        }
    }
    out
}

fn area(item: &Item) -> Area {
    match item {
        Item::Fill(a) | Item::Qr(a) => *a,
        Item::Text(line) => line.area(),
    }
}

fn texts(page: &Page) -> impl Iterator<Item = &super::TextLine> {
    page.items.iter().filter_map(|i| match i {
        Item::Text(line) => Some(line),
        _ => None,
    })
}

fn qr(page: &Page) -> Area {
    page.items
        .iter()
        .find_map(|i| match i {
            Item::Qr(a) => Some(*a),
            _ => None,
        })
        .expect("a QR code")
}

#[test]
fn everything_lies_inside_the_frame_top_to_bottom_without_overlapping() {
    for (format, name, page) in pages() {
        let s = page.width / 595.0;
        let inner = (FRAME_INSET + FRAME_WIDTH) * s;
        let content = page.width - 2.0 * MARGIN * s;
        let mut bottom = inner;
        // The frame's four sides come first; then the column, top to bottom.
        for item in &page.items[4..] {
            let a = area(item);
            let at = format!("{format:?} {name}: {item:?}");
            assert!(
                a.x >= inner && a.x + a.w <= page.width - inner,
                "{at} sticks out sideways"
            );
            assert!(a.w <= content + 0.01, "{at} is wider than the column");
            assert!(
                a.y >= bottom - 0.01,
                "{at} overlaps what is above it (bottom {bottom})"
            );
            bottom = a.y + a.h;
        }
        assert!(
            bottom <= page.height - inner,
            "{format:?} {name}: ends at {bottom}"
        );
    }
}

#[test]
fn text_is_never_below_the_minimum_size_and_a_table_tent_keeps_six_points() {
    for (format, name, page) in pages() {
        for line in texts(&page) {
            assert!(line.size >= MIN_TEXT, "{format:?} {name}: {line:?}");
            assert!(line.size >= 6.0, "{format:?} {name}: {line:?}");
        }
    }
}

#[test]
fn the_qr_code_stays_large_and_square() {
    for (format, name, page) in pages() {
        let q = qr(&page);
        assert_eq!(q.w, q.h);
        assert!(
            q.w >= 0.45 * page.width,
            "{format:?} {name}: QR of {} pt",
            q.w
        );
    }
}

#[test]
fn a_short_name_is_set_large_a_long_one_wraps_smaller_and_the_url_is_never_cut() {
    let short = layout(PosterFormat::A4, &SHORT, &*FONTS);
    let first = texts(&short).next().unwrap();
    assert_eq!((first.text.as_str(), first.size), (SHORT.institution, 30.0));

    let long = layout(PosterFormat::A4, &LONG, &*FONTS);
    let name: Vec<_> = texts(&long)
        .take_while(|l| l.size == texts(&long).next().unwrap().size)
        .collect();
    assert!(name.len() >= 2 && name.len() <= 4, "{name:?}");
    assert!(name[0].size < 30.0);
    for (page, want) in [
        (&short, SHORT.url),
        (&long, LONG.url),
        (&layout(PosterFormat::A6, &LONG, &*FONTS), LONG.url),
    ] {
        assert_eq!(url_of(page), want, "the URL is printed whole");
    }
}

/// The lines between «или откройте ссылку» and the line on anonymity, joined.
fn url_of(page: &Page) -> String {
    texts(page)
        .skip_while(|l| l.text != LINK_INTRO)
        .skip(1)
        .take_while(|l| !ANONYMITY.starts_with(l.text.as_str()))
        .map(|l| l.text.as_str())
        .collect()
}

#[test]
fn a_name_that_cannot_fit_is_cut_with_an_ellipsis() {
    let endless = "Учреждение ".repeat(80);
    let text = PosterText {
        institution: &endless,
        ..SHORT
    };
    let page = layout(PosterFormat::A6, &text, &*FONTS);
    let name: Vec<_> = texts(&page).take(4).collect();
    assert!(name[3].text.ends_with('…'), "{name:?}");
    assert_ne!(texts(&page).nth(4).unwrap().text, "Учреждение");
}

#[test]
fn the_same_input_gives_the_same_page() {
    assert_eq!(
        layout(PosterFormat::A6, &LONG, &*FONTS),
        layout(PosterFormat::A6, &LONG, &*FONTS)
    );
}
