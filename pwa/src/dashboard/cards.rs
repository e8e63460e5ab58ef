//! A figure card (`contract.md` §7): a `region` named by the figure («Доля удовлетворённых»)
//! whose text holds the value as shown («68,2»), n, the 95 % interval and the change against
//! the previous quarter; greyed with «мало ответов» below the minimum n.

use leptos::prelude::*;

use super::figures::{Card, CardKind};
use crate::i18n::{fill, use_i18n, DashboardStrings, Lang};
use crate::numbers::{count, shown, signed, signed_count};

/// The card's name (contract names in Russian).
fn title(kind: CardKind, t: &DashboardStrings) -> &'static str {
    match kind {
        CardKind::Responses => t.card_responses,
        CardKind::Satisfied => t.card_satisfied,
        CardKind::Nps => t.card_nps,
        CardKind::NokTotal => t.card_nok,
    }
}

/// How the card's value reads: a count for «Ответов», one decimal otherwise, with «%» after a
/// share.
fn value_text(lang: Lang, card: &Card, t: &DashboardStrings) -> String {
    match (card.kind, card.figure.value) {
        (_, None) => t.no_data.to_owned(),
        (CardKind::Responses, _) => count(lang, card.figure.n),
        (CardKind::Satisfied, v) => format!("{}{}", shown(lang, v), t.percent),
        (_, v) => shown(lang, v),
    }
}

/// How the change reads, when there is one.
fn change_text(lang: Lang, card: &Card, t: &DashboardStrings) -> String {
    match card.change() {
        None => t.no_previous.to_owned(),
        Some(delta) => {
            let delta = match card.kind {
                CardKind::Responses => signed_count(lang, delta.round() as i64),
                _ => signed(lang, delta),
            };
            fill(t.change, &[("delta", &delta)])
        }
    }
}

/// One card; `min_n` is the server's minimum n, named in the «мало ответов» note.
#[component]
pub fn FigureCard(card: Card, min_n: u64) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().dashboard;
    let id = format!("card-{:?}", card.kind).to_lowercase();
    let figure = card.figure;
    let n_text = move || {
        let lang = i18n.lang();
        let n = count(lang, figure.n);
        match figure.institutions {
            Some(institutions) => fill(
                t().nok_over,
                &[("n", &n), ("institutions", &count(lang, institutions))],
            ),
            None => fill(t().n, &[("n", &n)]),
        }
    };
    let interval = figure.ci95.map(|[lo, hi]| {
        move || {
            fill(
                t().interval,
                &[
                    ("lo", &shown(i18n.lang(), Some(lo))),
                    ("hi", &shown(i18n.lang(), Some(hi))),
                ],
            )
        }
    });
    view! {
        <section
            class="card"
            class:low-n=figure.low_n
            aria-labelledby=id
            tabindex="0"
        >
            <h3 id=id.clone()>{move || title(card.kind, t())}</h3>
            <p class="value">{move || value_text(i18n.lang(), &card, t())}</p>
            {figure.low_n.then(|| view! {
                <p class="low-n-note">
                    <strong>{move || t().low_n}</strong>
                    " ("
                    {move || fill(t().low_n_hint, &[("n", &min_n.to_string())])}
                    ")"
                </p>
            })}
            <p class="n">{n_text}</p>
            {interval.map(|text| view! { <p class="interval">{text}</p> })}
            <p class="change">{move || change_text(i18n.lang(), &card, t())}</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboard::figures::Figure;
    use crate::i18n::dashboard::RU;

    fn card(kind: CardKind, value: Option<f64>, previous: Option<f64>) -> Card {
        Card {
            kind,
            figure: Figure {
                value,
                n: 1234,
                ci95: None,
                low_n: false,
                institutions: None,
            },
            previous,
        }
    }

    #[test]
    fn values_and_changes_read_as_russian_numbers() {
        let share = card(CardKind::Satisfied, Some(68.24), Some(70.0));
        assert_eq!(value_text(Lang::Ru, &share, &RU), "68,2\u{a0}%");
        assert_eq!(
            change_text(Lang::Ru, &share, &RU),
            "\u{2212}1,8 к прошлому кварталу"
        );
        let nps = card(CardKind::Nps, Some(-12.0), None);
        assert_eq!(value_text(Lang::Ru, &nps, &RU), "\u{2212}12,0");
        assert_eq!(
            change_text(Lang::Ru, &nps, &RU),
            "в прошлом квартале данных нет"
        );
        let responses = card(CardKind::Responses, Some(1234.0), Some(1200.0));
        assert_eq!(value_text(Lang::Ru, &responses, &RU), "1234");
        assert_eq!(
            change_text(Lang::Ru, &responses, &RU),
            "+34 к прошлому кварталу"
        );
        assert_eq!(
            value_text(Lang::Ru, &card(CardKind::NokTotal, None, None), &RU),
            "нет данных"
        );
    }
}
