//! The pure rules of the «Точки опроса» and «Планшеты» sections: how a tablet's `seq` gaps and
//! times are written, which API refusal of a new point means what to the person filling the
//! form, where points and tablets may go, and the stages a life situation offers.

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use otklik_shared::api::Org;
use otklik_shared::catalog::Stage;
use otklik_shared::org::{Code, OrgKind};

use super::client::Situation;
use crate::api::ApiError;

/// The gaps of a tablet's sequence as text («58–63, 70»); `None` when nothing is missing.
pub fn gap_ranges(missing: &[[i64; 2]]) -> Option<String> {
    (!missing.is_empty()).then(|| {
        missing
            .iter()
            .map(|&[from, to]| {
                if from == to {
                    from.to_string()
                } else {
                    format!("{from}–{to}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// An RFC 3339 time in the viewer's `offset`, as «04.12.2026 09:30»; the text as given when it
/// does not parse (a newer server's format is still shown, not hidden).
pub fn moment(rfc3339: &str, offset: FixedOffset) -> String {
    DateTime::parse_from_rfc3339(rfc3339).map_or_else(
        |_| rfc3339.to_owned(),
        // Written by hand: chrono's `format` would add its whole formatting engine to the
        // bundle for one pattern.
        |t| {
            let t = t.with_timezone(&offset);
            format!(
                "{:02}.{:02}.{} {:02}:{:02}",
                t.day(),
                t.month(),
                t.year(),
                t.hour(),
                t.minute()
            )
        },
    )
}

/// Whether an org of this kind holds survey points and kiosks (`contract.md` §5, §6).
pub fn holds_points(kind: OrgKind) -> bool {
    matches!(kind, OrgKind::Institution | OrgKind::Department)
}

/// The orgs of a subtree a tablet may be enrolled at, in the order given.
pub fn enrolment_orgs<'a>(subtree: &[&'a Org]) -> Vec<&'a Org> {
    subtree
        .iter()
        .copied()
        .filter(|o| holds_points(o.kind))
        .collect()
}

/// Whether `code` is a point code the server takes (checked before sending, with the server's
/// own rule).
pub fn code_ok(code: &str) -> bool {
    Code::parse(code).is_ok()
}

/// The stages a point of `situation` may name: none without a situation.
pub fn stages<'a>(situations: &'a [Situation], situation: Option<&str>) -> &'a [Stage] {
    situation
        .and_then(|code| situations.iter().find(|s| s.code == code))
        .map_or(&[], |s| s.stages.as_slice())
}

/// Why the server refused a new point, as the form explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PointRefusal {
    /// The code breaks the code rule.
    BadCode,
    /// Another point has the code.
    CodeTaken,
    /// The org cannot hold points.
    BadOrg,
    /// The questionnaire does not exist or does not fit the institution.
    BadQuestionnaire,
    /// The life situation does not exist.
    BadSituation,
    /// The stage is not the situation's.
    BadStage,
    /// Another refusal, with the server's message.
    Other(String),
}

/// What a failed `POST /points` means: the field its 422 envelope names, or the 409 of a taken
/// code; `None` for a failure that is not a refusal of the point (network, 401, 403), which the
/// dashboard explains as any failed request.
pub fn point_refusal(error: &ApiError) -> Option<PointRefusal> {
    let ApiError::Http { status, body } = error else {
        return None;
    };
    let detail = body.as_ref().map(|b| &b.error);
    match status {
        409 => Some(PointRefusal::CodeTaken),
        422 => {
            let field = detail
                .and_then(|d| d.details.as_ref())
                .and_then(|d| d.get("field"))
                .and_then(|f| f.as_str());
            Some(match field {
                Some("code") => PointRefusal::BadCode,
                Some("org") => PointRefusal::BadOrg,
                Some("questionnaire") => PointRefusal::BadQuestionnaire,
                Some("life_situation") => PointRefusal::BadSituation,
                Some("stage") => PointRefusal::BadStage,
                _ => PointRefusal::Other(detail.map(|d| d.message.clone()).unwrap_or_default()),
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use otklik_shared::api::{ErrorBody, ErrorDetail};
    use serde_json::json;

    use super::*;

    fn refusal(status: u16, code: &str, details: Option<serde_json::Value>) -> ApiError {
        ApiError::Http {
            status,
            body: Some(ErrorBody {
                error: ErrorDetail {
                    code: code.into(),
                    message: "the server's words".into(),
                    details,
                },
            }),
        }
    }

    fn org(code: &str, kind: OrgKind) -> Org {
        Org {
            code: code.into(),
            name: code.into(),
            kind,
            parent: None,
            sector: None,
            tz: "Europe/Moscow".into(),
            settlement: None,
            bus_gov_id: None,
        }
    }

    #[test]
    fn gaps_read_as_ranges_and_single_numbers() {
        assert_eq!(gap_ranges(&[]), None);
        assert_eq!(gap_ranges(&[[58, 63]]).as_deref(), Some("58–63"));
        assert_eq!(
            gap_ranges(&[[3, 4], [9, 9], [58, 63]]).as_deref(),
            Some("3–4, 9, 58–63")
        );
    }

    #[test]
    fn moments_are_shown_in_the_viewers_offset() {
        let moscow = FixedOffset::east_opt(3 * 3600).expect("an offset");
        assert_eq!(moment("2026-12-04T06:30:00Z", moscow), "04.12.2026 09:30");
        assert_eq!(
            moment("2026-12-31T22:15:00+00:00", moscow),
            "01.01.2027 01:15"
        );
        assert_eq!(moment("yesterday", moscow), "yesterday");
    }

    #[test]
    fn each_named_field_is_its_own_refusal() {
        let field = |f: &str| refusal(422, "invalid_point", Some(json!({ "field": f })));
        assert_eq!(point_refusal(&field("code")), Some(PointRefusal::BadCode));
        assert_eq!(point_refusal(&field("org")), Some(PointRefusal::BadOrg));
        assert_eq!(
            point_refusal(&field("questionnaire")),
            Some(PointRefusal::BadQuestionnaire)
        );
        assert_eq!(
            point_refusal(&field("life_situation")),
            Some(PointRefusal::BadSituation)
        );
        assert_eq!(point_refusal(&field("stage")), Some(PointRefusal::BadStage));
        assert_eq!(
            point_refusal(&refusal(409, "already_exists", None)),
            Some(PointRefusal::CodeTaken)
        );
        assert_eq!(
            point_refusal(&refusal(422, "invalid_json", None)),
            Some(PointRefusal::Other("the server's words".into()))
        );
        // Not a refusal of the point: the dashboard's usual explanations apply.
        assert_eq!(point_refusal(&refusal(403, "out_of_scope", None)), None);
        assert_eq!(point_refusal(&ApiError::Network("offline".into())), None);
    }

    #[test]
    fn codes_follow_the_servers_rule() {
        assert!(code_ok("kcson-zarechye-2"));
        assert!(code_ok("a.b_c"));
        assert!(!code_ok(""));
        assert!(!code_ok("точка"));
        assert!(!code_ok("with space"));
        assert!(!code_ok(&"x".repeat(65)));
    }

    #[test]
    fn tablets_and_points_go_to_institutions_and_departments_only() {
        let (region, school, wing) = (
            org("demo", OrgKind::Region),
            org("school", OrgKind::Institution),
            org("wing", OrgKind::Department),
        );
        let found: Vec<&str> = enrolment_orgs(&[&region, &school, &wing])
            .into_iter()
            .map(|o| o.code.as_str())
            .collect();
        assert_eq!(found, ["school", "wing"]);
    }

    #[test]
    fn a_stage_is_offered_only_from_the_chosen_situation() {
        let stage = |code: &str| Stage {
            code: code.into(),
            name: code.into(),
        };
        let situations = [
            Situation {
                code: "job".into(),
                no: 8,
                name: "Работа".into(),
                stages: vec![stage("visit"), stage("offer")],
            },
            Situation {
                code: "care".into(),
                no: 1,
                name: "Уход".into(),
                stages: vec![stage("assess")],
            },
        ];
        let codes = |s: Option<&str>| -> Vec<String> {
            stages(&situations, s)
                .iter()
                .map(|s| s.code.clone())
                .collect()
        };
        assert_eq!(codes(Some("job")), ["visit", "offer"]);
        assert_eq!(codes(Some("care")), ["assess"]);
        assert!(codes(None).is_empty());
        assert!(codes(Some("unknown")).is_empty());
    }
}
