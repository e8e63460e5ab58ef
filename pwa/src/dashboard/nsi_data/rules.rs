//! The forms' rules (pure, tested on the host): a number as an official types it (a decimal
//! comma, a typographic minus), the `gap25` target the form proposes from the baseline and the
//! benchmark (the shared formula, `otklik_shared::nsi::gap25`), and what the server's refusal
//! (422 `invalid_nsi` naming its field) means in the interface's words.

use otklik_shared::api::ErrorBody;
use otklik_shared::nsi::{gap25, Kpi};

use crate::i18n::{fill, NsiDataStrings};

/// The number `text` holds: digits with a decimal comma or point, an optional minus (ASCII or
/// U+2212), spaces ignored; `None` for anything else.
pub fn parse_number(text: &str) -> Option<f64> {
    let clean: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            ',' => '.',
            '\u{2212}' => '-',
            c => c,
        })
        .collect();
    let ok = !clean.is_empty()
        && clean
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-');
    clean.parse::<f64>().ok().filter(|v| ok && v.is_finite())
}

/// What the target form proposes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Proposal {
    /// The `gap25` value, from the baseline toward the benchmark.
    Gap25 {
        /// The proposed target.
        value: f64,
        /// The baseline it starts from.
        baseline: f64,
        /// The long-term benchmark.
        benchmark: f64,
    },
    /// No proposal: time has no benchmark in its unit.
    NoneForTime,
    /// No proposal: no baseline entered.
    NoBaseline,
}

/// The proposal for `kpi` from its current `baseline`.
pub fn proposal(kpi: Kpi, baseline: Option<f64>) -> Proposal {
    match (kpi.benchmark(), baseline) {
        (None, _) => Proposal::NoneForTime,
        (Some(_), None) => Proposal::NoBaseline,
        (Some(benchmark), Some(b)) => {
            gap25(kpi, b).map_or(Proposal::NoneForTime, |value| Proposal::Gap25 {
                value,
                baseline: b,
                benchmark,
            })
        }
    }
}

/// The message of the field a refusal names, for a form about `kpi`; the server's own text
/// (in the «не сохранено» frame) for a field the interface does not know.
pub fn refusal(body: Option<&ErrorBody>, kpi: Kpi, t: &NsiDataStrings) -> String {
    let field = body
        .and_then(|b| b.error.details.as_ref())
        .and_then(|d| d.get("field"))
        .and_then(|f| f.as_str());
    let known = match field {
        Some("value") => Some(t.bad_value[Kpi::ALL.iter().position(|&k| k == kpi).unwrap_or(0)]),
        Some("year") => Some(t.bad_year),
        Some("source") => Some(t.bad_source),
        Some("approved_by") => Some(t.bad_approved_by),
        Some("approved_at") => Some(t.bad_approved_at),
        Some("period") => Some(t.bad_period),
        Some("stage") => Some(t.bad_stage),
        Some("measured_at") => Some(t.bad_measured_at),
        Some("org") => Some(t.bad_org),
        _ => None,
    };
    known.map_or_else(
        || {
            let reason = body.map_or("HTTP 422", |b| b.error.message.as_str());
            fill(t.not_saved, &[("reason", reason)])
        },
        str::to_owned,
    )
}

#[cfg(test)]
mod tests {
    use otklik_shared::api::ErrorDetail;

    use super::*;
    use crate::i18n::dashboard::nsi_data::RU;

    #[test]
    fn numbers_take_a_decimal_comma_and_either_minus() {
        assert_eq!(parse_number("57,5"), Some(57.5));
        assert_eq!(parse_number(" 57.5 "), Some(57.5));
        assert_eq!(parse_number("\u{2212}5"), Some(-5.0));
        assert_eq!(parse_number("1 000"), Some(1000.0));
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("57 %"), None);
        assert_eq!(parse_number("1e3"), None);
        assert_eq!(parse_number("inf"), None);
    }

    #[test]
    fn the_proposal_is_the_baseline_plus_a_quarter_of_the_gap() {
        assert_eq!(
            proposal(Kpi::Satisfied, Some(46.0)),
            Proposal::Gap25 {
                value: 57.0,
                baseline: 46.0,
                benchmark: 90.0
            }
        );
        assert_eq!(
            proposal(Kpi::Nps, Some(-5.0)),
            Proposal::Gap25 {
                value: 3.75,
                baseline: -5.0,
                benchmark: 30.0
            }
        );
        assert_eq!(proposal(Kpi::Satisfied, None), Proposal::NoBaseline);
        assert_eq!(proposal(Kpi::Time, Some(21.0)), Proposal::NoneForTime);
    }

    fn body(field: Option<&str>, message: &str) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: "invalid_nsi".into(),
                message: message.into(),
                details: field.map(|f| serde_json::json!({ "field": f })),
            },
        }
    }

    #[test]
    fn refusals_are_told_by_their_field_in_russian() {
        let value = body(Some("value"), "a share satisfied is 0–100 %, got 150");
        assert_eq!(
            refusal(Some(&value), Kpi::Satisfied, &RU),
            "«Значение»: доля удовлетворённых — от 0 до 100."
        );
        assert_eq!(refusal(Some(&value), Kpi::Time, &RU), RU.bad_value[2]);
        let period = body(Some("period"), "period must be …");
        assert_eq!(refusal(Some(&period), Kpi::Nps, &RU), RU.bad_period);
        let other = body(None, "something else");
        assert_eq!(
            refusal(Some(&other), Kpi::Nps, &RU),
            "Не сохранено: something else"
        );
        assert_eq!(refusal(None, Kpi::Nps, &RU), "Не сохранено: HTTP 422");
    }
}
