//! Properties of the request parsers and the validation, over generated hostile input: what the
//! server parses from the wire (a response, its answers, the names and codes parsed from text)
//! never panics, accepts exactly what the rules allow, and refuses the rest with a clear error.
//!
//! Case counts are set per property (the numbers in each `proptest_config`) so the whole file
//! runs in a few seconds in CI; `PROPTEST_CASES` raises every one of them for a long run.

use chrono::{DateTime, FixedOffset, TimeZone};
use otklik_shared::answer::{AnswerValue, Channel, Likert4, NewResponse, RawAnswer};
use otklik_shared::catalog::builtin_questionnaires;
use otklik_shared::nsi::{Kpi, Method, TimeUnit};
use otklik_shared::org::{Code, OrgPath};
use otklik_shared::questionnaire::{Question, QuestionKind, Questionnaire, MAX_TEXT_LEN};
use otklik_shared::review::{Loss, ReviewStatus};
use otklik_shared::validation::{parse_value, validate_answers, ErrorCode};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{json, Value};

/// `n` cases, or as many as `PROPTEST_CASES` says (a long run).
fn cases(n: u32) -> Config {
    let env = std::env::var("PROPTEST_CASES").ok();
    Config::with_cases(env.and_then(|s| s.parse().ok()).unwrap_or(n))
}

/// Field names and wire words, so generated objects often look like what the parser expects.
const WORDS: &[&str] = &[
    "id",
    "point",
    "questionnaire",
    "version",
    "channel",
    "device",
    "seq",
    "submitted_at",
    "answers",
    "q",
    "v",
    "comment",
    "qr",
    "kiosk",
    "yes",
    "rather_no",
    "0190f3c2-6a1b-7c3d-8e4f-123456789abc",
    "2026-11-22T10:15:00+03:00",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(WORDS).prop_map(str::to_owned),
        "\\PC{0,12}",
    ]
}

/// Any JSON value: every scalar, strings of any Unicode, nested arrays and objects.
fn any_json() -> impl Strategy<Value = Value> {
    json_with(any::<f64>())
}

/// JSON as clients write it: like [`any_json`], with decimals of at most 16 digits. serde_json
/// (without its `float_roundtrip` feature, as the server builds it) may read a longer or more
/// extreme decimal one unit in the last place off, so such a float does not survive a second
/// trip over the wire (docs/reliability.md «Known limits»).
fn client_json() -> impl Strategy<Value = Value> {
    json_with(
        (-1_000_000_000i64..1_000_000_000, 0..7u32)
            .prop_map(|(n, k)| n as f64 / 10f64.powi(k as i32)),
    )
}

fn json_with(float: impl Strategy<Value = f64> + 'static) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        float.prop_map(Value::from),
        word().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(word(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// An instant from 1970 to 2100, to the nanosecond, at any whole-minute offset.
fn any_instant() -> impl Strategy<Value = DateTime<FixedOffset>> {
    (0i64..4_102_444_800, 0u32..1_000_000_000, -840i32..=840).prop_map(|(secs, nanos, minutes)| {
        FixedOffset::east_opt(minutes * 60)
            .expect("within ±14 h")
            .timestamp_opt(secs, nanos)
            .single()
            .expect("in chrono's range")
    })
}

/// A response that fits the wire schema (not necessarily its questionnaire).
fn any_response() -> impl Strategy<Value = NewResponse> {
    let answer = ("\\PC{0,10}", client_json(), prop::option::of("\\PC{0,20}"))
        .prop_map(|(q, v, comment)| RawAnswer { q, v, comment });
    (
        (any::<u128>(), "\\PC{0,20}", "\\PC{0,20}", any::<u32>()),
        prop::sample::select(Channel::ALL.to_vec()),
        prop::option::of("\\PC{0,10}"),
        prop::option::of(any::<u64>()),
        any_instant(),
        prop::collection::vec(answer, 0..5),
    )
        .prop_map(
            |((id, point, questionnaire, version), channel, device, seq, submitted_at, answers)| {
                NewResponse {
                    id: uuid::Uuid::from_u128(id),
                    point,
                    questionnaire,
                    version,
                    channel,
                    device,
                    seq,
                    submitted_at,
                    answers,
                }
            },
        )
}

/// The fields of [`NewResponse`]; those after `channel` may be absent.
const FIELDS: [&str; 9] = [
    "id",
    "point",
    "questionnaire",
    "version",
    "channel",
    "submitted_at",
    "answers",
    "device",
    "seq",
];
const REQUIRED: usize = 7;

/// Parses JSON text as the server does (`ingest::parse_item`): a typed response, or an error
/// that says what is wrong and where. Never one of a text cut short: the text is whole JSON.
/// (serde_json files some data errors under syntax: `null` for an enum is "expected value".)
fn parse_or_clear_error(text: &str) -> Result<NewResponse, String> {
    match serde_json::from_str::<NewResponse>(text) {
        Ok(r) => Ok(r),
        Err(e) => {
            assert!(
                !e.is_eof() && !e.is_io(),
                "whole JSON refused as {:?}: {e}",
                e.classify()
            );
            let message = e.to_string();
            assert!(message.contains(" at line "), "no position: {message}");
            Err(message)
        }
    }
}

/// [`parse_or_clear_error`], and a typed response equals itself after another trip.
fn parse_checked(text: &str) -> Result<NewResponse, String> {
    parse_or_clear_error(text).inspect(|r| assert_same(&reparse(r), r))
}

fn reparse(r: &NewResponse) -> NewResponse {
    let text = serde_json::to_string(r).expect("a response serialises");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text} does not parse back: {e}"))
}

/// Equal, and at the same offset: `DateTime` equality compares instants only.
fn assert_same(a: &NewResponse, b: &NewResponse) {
    assert_eq!(a, b);
    assert_eq!(a.submitted_at.offset(), b.submitted_at.offset());
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn any_json_value_parses_to_a_response_or_a_clear_error(v in any_json()) {
        let _ = parse_or_clear_error(&v.to_string());
    }

    #[test]
    fn any_bytes_parse_to_a_response_or_an_error(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = serde_json::from_slice::<NewResponse>(&bytes);
    }

    #[test]
    fn a_response_with_one_field_replaced_or_removed_parses_or_names_the_field(
        r in any_response(),
        field in 0..FIELDS.len(),
        replacement in prop::option::of(client_json()),
    ) {
        let mut wire = serde_json::to_value(&r).expect("serialises");
        let name = FIELDS[field];
        match &replacement {
            Some(v) => wire[name] = v.clone(),
            None => { wire.as_object_mut().expect("an object").remove(name); }
        }
        match parse_checked(&wire.to_string()) {
            Ok(parsed) => {
                prop_assert!(replacement.is_some() || field >= REQUIRED, "{name} may be absent");
                // Whatever was accepted in the field, every other field is as sent.
                let mut back = serde_json::to_value(&parsed).expect("serialises");
                let mut sent = serde_json::to_value(&r).expect("serialises");
                back.as_object_mut().expect("an object").remove(name);
                sent.as_object_mut().expect("an object").remove(name);
                prop_assert_eq!(back, sent);
            }
            Err(message) => {
                if replacement.is_none() {
                    prop_assert!(field < REQUIRED, "optional {name} is required: {message}");
                    let missing = format!("missing field `{name}`");
                    prop_assert!(message.contains(&missing), "{message}");
                }
            }
        }
    }

    #[test]
    fn unknown_keys_and_null_optionals_change_nothing(
        r in any_response(),
        extra in prop::collection::btree_map("x_\\PC{0,8}", client_json(), 0..4),
    ) {
        let mut wire = serde_json::to_value(&r).expect("serialises");
        let object = wire.as_object_mut().expect("an object");
        object.extend(extra);
        for optional in ["device", "seq"] {
            object.entry(optional).or_insert(Value::Null);
        }
        let parsed = parse_checked(&wire.to_string()).expect("still a response");
        assert_same(&parsed, &r);
    }

    #[test]
    fn a_response_survives_serialise_then_parse_unchanged(r in any_response()) {
        assert_same(&reparse(&r), &r);
        let pretty = serde_json::to_string_pretty(&r).expect("serialises");
        assert_same(&serde_json::from_str(&pretty).expect("parses"), &r);
    }
}

fn questionnaire(id: &str) -> Questionnaire {
    builtin_questionnaires()
        .expect("built-in questionnaires load")
        .into_iter()
        .find(|q| q.id == id)
        .expect("questionnaire exists")
}

/// A valid value of each kind, as a respondent's phone may send it (NPS `9.0` as well as `9`).
fn valid_value(question: &Question) -> BoxedStrategy<Value> {
    match question.kind {
        QuestionKind::Likert4 => prop::sample::select(Likert4::ALL.to_vec())
            .prop_map(|v| json!(v.as_str()))
            .boxed(),
        QuestionKind::Nps => (0u8..=10, any::<bool>())
            .prop_map(|(n, float)| if float { json!(f64::from(n)) } else { json!(n) })
            .boxed(),
        QuestionKind::YesNo => any::<bool>().prop_map(Value::from).boxed(),
        QuestionKind::Choice => {
            let ids: Vec<String> = question.options.iter().map(|o| o.id.clone()).collect();
            prop::sample::select(ids).prop_map(Value::from).boxed()
        }
        QuestionKind::Number => {
            let (min, max) = (question.min.unwrap_or(0.0), question.max.unwrap_or(0.0));
            (min as i64..=max as i64).prop_map(Value::from).boxed()
        }
        QuestionKind::Text => "\\PC{0,40}[^\\s]".prop_map(Value::from).boxed(),
    }
}

/// A complete valid answer set for `q`: a value for every question, the filter answers decide
/// which are then dropped (skipped, or optional and left out).
fn valid_answers(q: &Questionnaire) -> impl Strategy<Value = Vec<RawAnswer>> {
    let values: Vec<_> = q.questions.iter().map(valid_value).collect();
    let keep = prop::collection::vec(any::<bool>(), q.questions.len());
    let q = q.clone();
    (values, keep, any::<prop::sample::Index>()).prop_map(move |(values, keep, rotate)| {
        let mut skipped: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        for ((question, v), keep) in q.questions.iter().zip(values).zip(keep) {
            if skipped.contains(&question.id.as_str()) || !(question.required || keep) {
                continue;
            }
            if let Some(rule) = question.skip.as_ref().filter(|rule| rule.when == v) {
                skipped.extend(rule.questions.iter().map(String::as_str));
            }
            out.push(RawAnswer {
                q: question.id.clone(),
                v,
                comment: None,
            });
        }
        // Answers come in any order.
        let by = rotate.index(out.len().max(1));
        out.rotate_left(by);
        out
    })
}

fn nok() -> Questionnaire {
    questionnaire("nok-social")
}

fn nsi() -> Questionnaire {
    questionnaire("nsi-satisfaction")
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn every_valid_answer_set_is_accepted_whatever_its_order(
        (q, answers) in prop_oneof![Just(nsi()), Just(nok())]
            .prop_flat_map(|q| (Just(q.clone()), valid_answers(&q)))
    ) {
        let typed = validate_answers(&q, &answers);
        prop_assert!(typed.is_ok(), "{:?}", typed);
        let mut reversed = answers.clone();
        reversed.reverse();
        prop_assert_eq!(typed, validate_answers(&q, &reversed));
    }

    #[test]
    fn a_valid_response_survives_serialise_then_parse_and_validates_alike(
        r in any_response(),
        answers in valid_answers(&nok()),
    ) {
        let r = NewResponse { answers, ..r };
        let back = reparse(&r);
        assert_same(&back, &r);
        let q = nok();
        prop_assert_eq!(validate_answers(&q, &back.answers), validate_answers(&q, &r.answers));
    }
}

/// A question of `kind` built from its wire form, as a custom questionnaire defines it.
fn question(kind: &str, extra: Value) -> Question {
    let mut wire = json!({"id": "x", "kind": kind, "text": "?", "required": true});
    wire.as_object_mut()
        .expect("an object")
        .extend(extra.as_object().expect("an object").clone());
    serde_json::from_value(wire).expect("a question")
}

/// Numbers near every boundary that matters: the range ends, whole and fractional, huge.
fn number_near(min: f64, max: f64) -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        (-1000i64..1000).prop_map(|n| n as f64),
        (-1000i64..1000).prop_map(|n| n as f64 / 4.0),
        prop::sample::select(vec![min, max]).prop_flat_map(|end| {
            prop::sample::select(vec![
                end,
                end - 1.0,
                end + 1.0,
                end - 0.5,
                end + 0.5,
                f64::from_bits(end.to_bits() + 1),
                f64::from_bits(end.to_bits().saturating_sub(1)),
            ])
        }),
    ]
}

fn is_invalid(result: Result<AnswerValue, otklik_shared::validation::ValidationError>) -> bool {
    result.is_err_and(|e| e.code == ErrorCode::InvalidAnswer && e.q == "x")
}

proptest! {
    #![proptest_config(cases(1024))]

    #[test]
    fn a_number_is_accepted_exactly_when_in_range_and_whole_if_asked(
        (min, max, n) in (-500i64..500, 0i64..500)
            .prop_flat_map(|(lo, span)| {
                let (min, max) = (lo as f64 / 2.0, (lo + span) as f64 / 2.0);
                (Just(min), Just(max), number_near(min, max))
            }),
        integer in any::<bool>(),
    ) {
        let q = question("number", json!({"min": min, "max": max, "integer": integer}));
        let wire = Value::from(n);
        let fits = n.is_finite() && min <= n && n <= max && (!integer || n.fract() == 0.0);
        let result = parse_value(&q, &wire);
        if fits {
            prop_assert_eq!(result, Ok(AnswerValue::Number(n)));
        } else {
            prop_assert!(is_invalid(result), "{n} in [{min}, {max}] integer {integer}");
        }
    }

    #[test]
    fn nps_takes_exactly_the_whole_numbers_0_to_10(
        n in prop_oneof![
            (-30i64..30).prop_map(|n| n as f64),
            (-30i64..30).prop_map(|n| n as f64 / 2.0),
            any::<f64>(),
        ],
    ) {
        let result = parse_value(&question("nps", json!({})), &Value::from(n));
        if n.fract() == 0.0 && (0.0..=10.0).contains(&n) {
            prop_assert_eq!(result, Ok(AnswerValue::Nps(n as u8)));
        } else {
            prop_assert!(is_invalid(result), "{n}");
        }
    }

    #[test]
    fn each_kind_accepts_exactly_the_values_of_its_shape(v in any_json()) {
        let likert = question("likert4", json!({}));
        let nps = question("nps", json!({}));
        let yes_no = question("yes_no", json!({}));
        let choice = question("choice", json!({"options": [{"id": "a", "text": "A"}]}));
        let number = question("number", json!({"min": -1e300, "max": 1e300}));
        let text = question("text", json!({}));
        let s = v.as_str();
        let checks = [
            (&likert, s.and_then(Likert4::parse).is_some()),
            (&nps, v.as_f64().is_some_and(|n| n.fract() == 0.0 && (0.0..=10.0).contains(&n))),
            (&yes_no, v.is_boolean()),
            (&choice, s == Some("a")),
            (&number, v.as_f64().is_some_and(|n| n.abs() <= 1e300)),
            (&text, s.is_some_and(|s| {
                let t = s.trim();
                !t.is_empty() && t.chars().count() <= MAX_TEXT_LEN
            })),
        ];
        for (q, accepted) in checks {
            let result = parse_value(q, &v);
            prop_assert_eq!(result.is_ok(), accepted, "{:?} given {}: {:?}", q.kind, v, result);
        }
    }

    #[test]
    fn likert_takes_exactly_its_four_wire_names(s in prop_oneof![
        prop::sample::select(Likert4::ALL.to_vec()).prop_map(|v| v.as_str().to_owned()),
        prop::sample::select(Likert4::ALL.to_vec()).prop_map(|v| v.as_str().to_uppercase()),
        prop::sample::select(Likert4::ALL.to_vec()).prop_map(|v| format!(" {}", v.as_str())),
        "\\PC{0,12}",
    ]) {
        let result = parse_value(&question("likert4", json!({})), &json!(s));
        match Likert4::ALL.into_iter().find(|v| v.as_str() == s) {
            Some(v) => prop_assert_eq!(result, Ok(AnswerValue::Likert4(v))),
            None => prop_assert!(is_invalid(result), "{s:?}"),
        }
    }
}

/// Text of about [`MAX_TEXT_LEN`] characters of 1 to 4 bytes each, with blanks at its ends: a
/// short run of characters repeated to the length (built whole, so a case costs microseconds).
fn long_text() -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        Just('a'),
        Just('я'),
        Just('€'),
        Just('🙂'),
        Just(' '),
        any::<char>(),
    ];
    let pad = "[ \t\n]{0,3}";
    (
        pad,
        prop::collection::vec(ch, 1..8),
        MAX_TEXT_LEN - 8..=MAX_TEXT_LEN + 8,
        pad,
    )
        .prop_map(|(a, run, n, b)| {
            let body: String = run.iter().cycle().take(n).collect();
            format!("{a}{body}{b}")
        })
}

/// The rule for texts and comments: trimmed, counted in characters, never in bytes.
fn trimmed_chars(s: &str) -> usize {
    s.trim().chars().count()
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn a_text_is_accepted_up_to_2000_characters_whatever_its_bytes(s in long_text()) {
        let result = parse_value(&question("text", json!({})), &json!(s));
        let n = trimmed_chars(&s);
        if n == 0 {
            prop_assert!(is_invalid(result));
        } else if n <= MAX_TEXT_LEN {
            prop_assert_eq!(result, Ok(AnswerValue::Text(s.trim().to_owned())));
        } else {
            prop_assert_eq!(result.map_err(|e| e.code), Err(ErrorCode::TextTooLong));
        }
    }

    #[test]
    fn a_comment_is_kept_up_to_2000_characters_whatever_its_bytes(
        comment in long_text(),
        answers in valid_answers(&nsi()),
    ) {
        let mut answers = answers;
        let process = answers.iter_mut().find(|a| a.q == "process").expect("required");
        process.v = json!("no");
        process.comment = Some(comment.clone());
        let result = validate_answers(&nsi(), &answers).map_err(|e| e.code);
        match trimmed_chars(&comment) {
            0 => prop_assert!(result.is_ok_and(|typed| typed[0].comment.is_none())),
            n if n <= MAX_TEXT_LEN => {
                let typed = result.expect("a comment within the limit");
                prop_assert_eq!(typed[0].comment.as_deref(), Some(comment.trim()));
            }
            _ => prop_assert_eq!(result, Err(ErrorCode::TextTooLong)),
        }
    }
}

/// `parse` accepts exactly the wire names of `all`, each to the value that writes it.
fn parses_exactly_its_names<T: Copy + PartialEq + std::fmt::Debug>(
    s: &str,
    all: &[T],
    parse: fn(&str) -> Option<T>,
    as_str: fn(T) -> &'static str,
) {
    let named = all.iter().copied().find(|v| as_str(*v) == s);
    assert_eq!(parse(s), named, "{s:?}");
}

/// Wire names, some altered, and any text.
fn name_like() -> impl Strategy<Value = String> {
    let names = [
        "new",
        "in_progress",
        "done",
        "waiting",
        "rework",
        "excess_effort",
        "satisfied",
        "nps",
        "time",
        "gap25",
        "manual",
        "days",
        "minutes",
    ];
    prop_oneof![
        prop::sample::select(names.to_vec()).prop_map(str::to_owned),
        prop::sample::select(names.to_vec()).prop_map(|s| s.to_uppercase()),
        prop::sample::select(names.to_vec()).prop_map(|s| format!("{s} ")),
        "\\PC{0,14}",
    ]
}

proptest! {
    #![proptest_config(cases(512))]

    #[test]
    fn names_parsed_from_text_are_exactly_the_wire_names(s in name_like()) {
        parses_exactly_its_names(&s, &ReviewStatus::ALL, ReviewStatus::parse, ReviewStatus::as_str);
        parses_exactly_its_names(&s, &Loss::ALL, Loss::parse, Loss::as_str);
        parses_exactly_its_names(&s, &Kpi::ALL, Kpi::parse, Kpi::as_str);
        parses_exactly_its_names(&s, &Method::ALL, Method::parse, Method::as_str);
        parses_exactly_its_names(&s, &TimeUnit::ALL, TimeUnit::parse, TimeUnit::as_str);
        parses_exactly_its_names(&s, &Channel::ALL, Channel::parse, Channel::as_str);
    }

    #[test]
    fn codes_are_exactly_1_to_64_ascii_letters_digits_dashes_underscores_dots(
        s in prop_oneof!["[A-Za-z0-9._-]{0,70}", "\\PC{0,70}", "[a-z]{1,5}[^A-Za-z0-9._-][a-z]{0,5}"],
    ) {
        let ok = (1..=Code::MAX_LEN).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
        match Code::parse(&s) {
            Ok(code) => prop_assert!(ok && code.as_str() == s, "{s:?}"),
            Err(e) => prop_assert!(!ok && e.to_string().contains("must be 1–64"), "{s:?}"),
        }
        // As a JSON field too: serde goes through the same check.
        prop_assert_eq!(serde_json::from_value::<Code>(json!(s)).is_ok(), ok);
    }

    #[test]
    fn org_paths_are_exactly_slash_separated_decimal_ids(
        s in prop_oneof!["(/[0-9]{1,4}){1,4}/", "[/0-9a ]{0,14}", "\\PC{0,14}"],
    ) {
        let inner = s.strip_prefix('/').and_then(|r| r.strip_suffix('/'));
        let ok = inner.is_some_and(|inner| {
            inner.split('/').all(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
        });
        match OrgPath::parse(&s) {
            Ok(path) => {
                prop_assert!(ok, "{s:?}");
                let ids: Vec<i64> = inner.unwrap_or_default().split('/')
                    .map(|id| id.parse().expect("digits")).collect();
                prop_assert_eq!(path.ids().collect::<Vec<_>>(), ids);
            }
            Err(_) => prop_assert!(!ok, "{s:?}"),
        }
    }

    #[test]
    fn kpi_values_are_accepted_exactly_in_their_ranges(
        value in prop_oneof![any::<f64>(), (-200i64..200).prop_map(|n| n as f64 / 2.0),
            prop::sample::select(vec![0.0, 3650.0, 87600.0, 5_256_000.0, 100.0, -100.0])
                .prop_flat_map(|v| prop::sample::select(vec![v, v + 0.5, v - 0.5]))],
        unit in prop::option::of(prop::sample::select(TimeUnit::ALL.to_vec())),
    ) {
        let finite = value.is_finite();
        prop_assert_eq!(Kpi::Satisfied.accepts(value, unit), finite && (0.0..=100.0).contains(&value));
        prop_assert_eq!(Kpi::Nps.accepts(value, unit), finite && (-100.0..=100.0).contains(&value));
        let time = unit.is_some_and(|u| finite && value > 0.0 && value <= u.max());
        prop_assert_eq!(Kpi::Time.accepts(value, unit), time);
    }
}
