//! `/stats` equals an independent recomputation from the raw stored responses: every row of
//! `responses` is read with SQL, dated in its institution's time zone by the test, filtered,
//! and counted with the test's own formulas.
//!
//! Long because it holds the independent recomputation (the test's own formulas) beside the
//! scenarios that use it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, NaiveDate};
use otklik_shared::questionnaire::{Question, QuestionKind, Questionnaire};
use serde_json::{json, Value};

use crate::data::{self, utc, Generator};
use crate::helpers::{spawn_app_with, Backend, StoredRow, TestApp, STANDARD_POINTS};
use crate::on_both_backends;

on_both_backends!(
    stats_equal_a_recomputation_from_raw_responses_over_orgs_ranges_and_filters,
    a_response_at_20_00_utc_on_march_31_counts_on_april_1_in_vladivostok,
);

pub(crate) const Z: f64 = 1.959_963_984_540_054;
pub(crate) const MIN_N: u64 = 30;

/// Every built-in questionnaire.
const ALL_QUESTIONNAIRES: [&str; 7] = [
    "nsi-satisfaction",
    "nsi-core",
    "express",
    "nok-social",
    "nok-health",
    "nok-education",
    "nok-culture",
];

/// A stored response, parsed and dated by the test.
pub(crate) struct Row {
    pub(crate) stored: StoredRow,
    pub(crate) item: Value,
    pub(crate) local_date: NaiveDate,
}

impl Row {
    pub(crate) fn answer(&self, q: &str) -> Option<&Value> {
        self.item["answers"]
            .as_array()?
            .iter()
            .find(|a| a["q"] == q)
            .map(|a| &a["v"])
    }
}

/// Reads every stored response and dates it in its institution's time zone.
pub(crate) async fn load_rows(app: &TestApp) -> Vec<Row> {
    let rows: Vec<Row> = app
        .sql
        .stored_responses()
        .await
        .into_iter()
        .map(|stored| {
            let item: Value = serde_json::from_str(&stored.raw).expect("stored raw is JSON");
            let at = DateTime::parse_from_rfc3339(item["submitted_at"].as_str().expect("date"))
                .expect("submitted_at is RFC 3339");
            let tz: chrono_tz::Tz = stored.tz.parse().expect("institution time zone");
            let local_date = at.with_timezone(&tz).date_naive();
            Row {
                stored,
                item,
                local_date,
            }
        })
        .collect();
    for row in &rows {
        assert_eq!(
            row.stored.local_date, row.local_date,
            "the stored local date of {} is its date in {}",
            row.item["submitted_at"], row.stored.tz
        );
    }
    rows
}

/// One `/stats` query.
#[derive(Debug, Clone)]
pub(crate) struct Query {
    pub(crate) org: &'static str,
    pub(crate) questionnaire: &'static str,
    pub(crate) from: Option<&'static str>,
    pub(crate) to: Option<&'static str>,
    pub(crate) point: Option<&'static str>,
    pub(crate) life_situation: Option<&'static str>,
}

impl Query {
    pub(crate) fn params(&self) -> Vec<(&'static str, &'static str)> {
        let mut p = vec![("org", self.org), ("questionnaire", self.questionnaire)];
        for (k, v) in [
            ("from", self.from),
            ("to", self.to),
            ("point", self.point),
            ("life_situation", self.life_situation),
        ] {
            if let Some(v) = v {
                p.push((k, v));
            }
        }
        p
    }
}

pub(crate) fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// The rows `/stats` must count for `q`: in the subtree, questionnaire, dates and filters,
/// observation excluded.
pub(crate) fn select<'a>(rows: &'a [Row], org_path: &str, q: &Query) -> Vec<&'a Row> {
    rows.iter()
        .filter(|r| r.stored.org_path.starts_with(org_path))
        .filter(|r| r.item["questionnaire"] == q.questionnaire)
        .filter(|r| r.stored.channel != "observation")
        .filter(|r| q.from.is_none_or(|f| r.local_date >= day(f)))
        .filter(|r| q.to.is_none_or(|t| r.local_date <= day(t)))
        .filter(|r| q.point.is_none_or(|p| r.stored.point == p))
        .filter(|r| {
            q.life_situation
                .is_none_or(|ls| r.stored.life_situation.as_deref() == Some(ls))
        })
        .collect()
}

pub(crate) fn pct(k: u64, n: u64) -> Option<f64> {
    (n > 0).then(|| 100.0 * k as f64 / n as f64)
}

/// Wilson score interval in percent, clamped to contain the share.
pub(crate) fn wilson(k: u64, n: u64) -> Option<[f64; 2]> {
    if n == 0 {
        return None;
    }
    let (nf, p) = (n as f64, k as f64 / n as f64);
    let z2 = Z * Z;
    let centre = (p + z2 / (2.0 * nf)) / (1.0 + z2 / nf);
    let half = Z / (1.0 + z2 / nf) * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    Some([
        ((centre - half) * 100.0).max(0.0).min(p * 100.0),
        ((centre + half) * 100.0).min(100.0).max(p * 100.0),
    ])
}

/// The NPS normal interval, clamped to ±100.
pub(crate) fn nps_interval(promoters: u64, detractors: u64, n: u64) -> Option<[f64; 2]> {
    if n == 0 {
        return None;
    }
    let nf = n as f64;
    let (pp, pd) = (promoters as f64 / nf, detractors as f64 / nf);
    let sd = ((pp + pd - (pp - pd) * (pp - pd)) / nf).sqrt();
    let nps = (pp - pd) * 100.0;
    Some([
        (nps - Z * 100.0 * sd).max(-100.0),
        (nps + Z * 100.0 * sd).min(100.0),
    ])
}

pub(crate) fn assert_close(ctx: &str, actual: &Value, expected: Option<f64>, tolerance: f64) {
    match expected {
        None => assert!(actual.is_null(), "{ctx}: expected null, got {actual}"),
        Some(e) => {
            let a = actual
                .as_f64()
                .unwrap_or_else(|| panic!("{ctx}: expected {e}, got {actual}"));
            assert!(
                (a - e).abs() <= tolerance * e.abs().max(1.0),
                "{ctx}: expected {e}, got {a}"
            );
        }
    }
}

pub(crate) fn assert_interval(ctx: &str, actual: &Value, expected: Option<[f64; 2]>) {
    match expected {
        None => assert!(
            actual.is_null(),
            "{ctx}: expected no interval, got {actual}"
        ),
        Some([lo, hi]) => {
            assert_close(&format!("{ctx} low"), &actual[0], Some(lo), 1e-9);
            assert_close(&format!("{ctx} high"), &actual[1], Some(hi), 1e-9);
        }
    }
}

fn assert_count(ctx: &str, actual: &Value, expected: u64) {
    assert_eq!(actual.as_u64(), Some(expected), "{ctx}: got {actual}");
}

/// Checks one question's figures against the selected rows.
pub(crate) fn check_question(ctx: &str, question: &Question, rows: &[&Row], got: &Value) {
    let ctx = format!("{ctx} {}", question.id);
    let values: Vec<&Value> = rows.iter().filter_map(|r| r.answer(&question.id)).collect();
    let n = values.len() as u64;
    let kind = got["kind"].as_str().unwrap_or_default();
    assert_count(&format!("{ctx} n"), &got["n"], n);
    let count = |pred: &dyn Fn(&Value) -> bool| values.iter().filter(|v| pred(v)).count() as u64;
    match question.kind {
        QuestionKind::Likert4 => {
            assert_eq!(kind, "likert4", "{ctx}");
            let mut counts = BTreeMap::new();
            for value in ["yes", "rather_yes", "rather_no", "no"] {
                counts.insert(value, count(&|v| *v == value));
            }
            for (value, c) in &counts {
                assert_count(&format!("{ctx} counts.{value}"), &got["counts"][value], *c);
            }
            let satisfied = counts["yes"] + counts["rather_yes"];
            assert_close(
                &format!("{ctx} satisfied_pct"),
                &got["satisfied_pct"],
                pct(satisfied, n),
                1e-12,
            );
            assert_interval(&format!("{ctx} ci95"), &got["ci95"], wilson(satisfied, n));
            assert_eq!(got["low_n"], json!(n < MIN_N), "{ctx} low_n");
        }
        QuestionKind::Nps => {
            assert_eq!(kind, "nps", "{ctx}");
            let score = |v: &Value| v.as_f64().expect("NPS score is a number");
            let promoters = count(&|v| score(v) >= 9.0);
            let passives = count(&|v| (7.0..9.0).contains(&score(v)));
            let detractors = count(&|v| score(v) <= 6.0);
            assert_count(&format!("{ctx} promoters"), &got["promoters"], promoters);
            assert_count(&format!("{ctx} passives"), &got["passives"], passives);
            assert_count(&format!("{ctx} detractors"), &got["detractors"], detractors);
            let nps = (n > 0).then(|| 100.0 * (promoters as f64 - detractors as f64) / n as f64);
            assert_close(&format!("{ctx} nps"), &got["nps"], nps, 1e-12);
            assert_interval(
                &format!("{ctx} ci95"),
                &got["ci95"],
                nps_interval(promoters, detractors, n),
            );
            assert_eq!(got["low_n"], json!(n < MIN_N), "{ctx} low_n");
        }
        QuestionKind::YesNo => {
            assert_eq!(kind, "yes_no", "{ctx}");
            let yes = count(&|v| *v == json!(true));
            assert_count(&format!("{ctx} yes"), &got["yes"], yes);
            assert_close(
                &format!("{ctx} yes_pct"),
                &got["yes_pct"],
                pct(yes, n),
                1e-12,
            );
            assert_interval(&format!("{ctx} ci95"), &got["ci95"], wilson(yes, n));
            assert_eq!(got["low_n"], json!(n < MIN_N), "{ctx} low_n");
        }
        QuestionKind::Choice => {
            assert_eq!(kind, "choice", "{ctx}");
            let expected: BTreeMap<String, Value> = question
                .options
                .iter()
                .map(|o| (o.id.clone(), json!(count(&|v| *v == o.id.as_str()))))
                .collect();
            assert_eq!(
                got["counts"],
                json!(expected),
                "{ctx} counts (every option, zeros included)"
            );
        }
        QuestionKind::Number => {
            assert_eq!(kind, "number", "{ctx}");
            let mut numbers: Vec<f64> =
                values.iter().map(|v| v.as_f64().expect("number")).collect();
            numbers.sort_by(f64::total_cmp);
            let mean = (n > 0).then(|| numbers.iter().sum::<f64>() / n as f64);
            let median = (n > 0).then(|| {
                let mid = numbers.len() / 2;
                if numbers.len() % 2 == 1 {
                    numbers[mid]
                } else {
                    (numbers[mid - 1] + numbers[mid]) / 2.0
                }
            });
            assert_close(&format!("{ctx} mean"), &got["mean"], mean, 1e-12);
            assert_close(&format!("{ctx} median"), &got["median"], median, 1e-12);
        }
        QuestionKind::Text => assert_eq!(kind, "text", "{ctx}"),
    }
}

/// НОК survey indicators and the questionnaire items feeding them (344н).
pub(crate) const SURVEY_INDICATORS: [(&str, &[&str]); 10] = [
    ("1.3", &["info_stand", "info_site"]),
    ("2.2", &["timely"]),
    ("2.3", &["comfort"]),
    ("3.3", &["accessibility"]),
    ("4.1", &["courtesy_first"]),
    ("4.2", &["courtesy_service"]),
    ("4.3", &["courtesy_remote"]),
    ("5.1", &["recommend"]),
    ("5.2", &["org_conditions"]),
    ("5.3", &["overall"]),
];
/// Indicators from the expert checklist.
const CHECKLIST_INDICATORS: [&str; 5] = ["1.1", "1.2", "2.1", "3.1", "3.2"];
pub(crate) const K1: [(&str, f64); 3] = [("1.1", 0.3), ("1.2", 0.3), ("1.3", 0.4)];
pub(crate) const K2: [(&str, f64); 3] = [("2.1", 0.3), ("2.2", 0.4), ("2.3", 0.3)];
pub(crate) const K3: [(&str, f64); 3] = [("3.1", 0.3), ("3.2", 0.4), ("3.3", 0.3)];
pub(crate) const K4: [(&str, f64); 3] = [("4.1", 0.4), ("4.2", 0.4), ("4.3", 0.2)];
pub(crate) const K5: [(&str, f64); 3] = [("5.1", 0.3), ("5.2", 0.2), ("5.3", 0.5)];

type Figures = BTreeMap<String, Option<f64>>;

/// The checklist indicators by the test's own reading of `domain.md` §3: 1.1 is the mean of
/// the two present/required shares; the lists score their points per item up to 100.
pub(crate) fn checklist_indicators(c: &Value) -> BTreeMap<String, f64> {
    let counts = &c["1.1"];
    let share = |p: &str, r: &str| {
        counts[p].as_f64().expect("a count") / counts[r].as_f64().expect("a count")
    };
    let mut out = BTreeMap::new();
    out.insert(
        "1.1".to_owned(),
        (share("stand_present", "stand_required") + share("site_present", "site_required")) / 2.0
            * 100.0,
    );
    for (code, points) in [("1.2", 30.0), ("2.1", 20.0), ("3.1", 20.0), ("3.2", 20.0)] {
        let items = c[code].as_array().map_or(0, Vec::len) as f64;
        out.insert(code.to_owned(), (items * points).min(100.0));
    }
    out
}

/// The stored checklists of `year`, by institution code, as the test reads them.
async fn checklists_of(app: &TestApp, year: i32) -> BTreeMap<String, BTreeMap<String, f64>> {
    let rows = app
        .sql
        .texts(&format!(
            "select o.code || '|' || c.data from nok_checklists c join orgs o on o.id = c.org_id \
             where c.year = {year}"
        ))
        .await;
    rows.iter()
        .filter_map(|row| row.split_once('|'))
        .map(|(code, data)| {
            let body: Value = serde_json::from_str(data).expect("a stored checklist");
            (code.to_owned(), checklist_indicators(&body))
        })
        .collect()
}

/// НОК indicators, criteria and total of one institution from its responses and checklist.
fn nok_of_institution(
    q: &Questionnaire,
    rows: &[&Row],
    checklist: Option<&BTreeMap<String, f64>>,
) -> (Figures, Figures, Option<f64>) {
    let mut indicators = Figures::new();
    for code in CHECKLIST_INDICATORS {
        let value = checklist.map(|c| c[code]);
        indicators.insert(code.to_owned(), value);
    }
    for (code, items) in SURVEY_INDICATORS {
        let asked: Vec<&str> = items
            .iter()
            .copied()
            .filter(|i| q.question(i).is_some())
            .collect();
        if asked.is_empty() {
            continue; // e.g. 2.2 in education: not an indicator of this questionnaire at all
        }
        let shares: Vec<f64> = asked
            .iter()
            .filter_map(|item| {
                let answers: Vec<&Value> = rows.iter().filter_map(|r| r.answer(item)).collect();
                let yes = answers.iter().filter(|v| ***v == json!(true)).count() as u64;
                pct(yes, answers.len() as u64)
            })
            .collect();
        let value = (!rows.is_empty() && !shares.is_empty())
            .then(|| shares.iter().sum::<f64>() / shares.len() as f64);
        indicators.insert(code.to_owned(), value);
    }
    let weighted = |weights: &[(&str, f64)]| {
        let (mut sum, mut weight) = (0.0, 0.0);
        for (code, w) in weights {
            match indicators.get(*code) {
                Some(Some(v)) => {
                    sum += w * v;
                    weight += w;
                }
                // A checklist indicator without a checklist: the criterion has no value.
                Some(None) if CHECKLIST_INDICATORS.contains(code) => return None,
                _ => {}
            }
        }
        (weight > 0.0).then(|| sum / weight)
    };
    let mut criteria = Figures::new();
    for (code, weights) in [("K1", K1), ("K2", K2), ("K3", K3), ("K4", K4), ("K5", K5)] {
        criteria.insert(code.to_owned(), weighted(&weights));
    }
    let total = criteria
        .values()
        .copied()
        .collect::<Option<Vec<f64>>>()
        .map(|k| k.iter().sum::<f64>() / 5.0);
    (indicators, criteria, total)
}

fn mean_by_key(maps: &[Figures]) -> Figures {
    let mut keys = BTreeSet::new();
    for m in maps {
        keys.extend(m.keys().cloned());
    }
    keys.into_iter()
        .map(|k| {
            let values: Vec<f64> = maps
                .iter()
                .filter_map(|m| m.get(&k).copied().flatten())
                .collect();
            let mean =
                (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64);
            (k, mean)
        })
        .collect()
}

fn assert_figures(ctx: &str, got: &Value, expected: &Figures) {
    let keys: BTreeSet<&str> = got
        .as_object()
        .unwrap_or_else(|| panic!("{ctx}: not an object: {got}"))
        .keys()
        .map(String::as_str)
        .collect();
    let want: BTreeSet<&str> = expected.keys().map(String::as_str).collect();
    assert_eq!(keys, want, "{ctx}: keys");
    for (code, value) in expected {
        assert_close(&format!("{ctx} {code}"), &got[code], *value, 1e-9);
    }
}

/// Checks the `nok` part: one institution's own figures, or plain means over institutions.
fn check_nok(
    ctx: &str,
    q: &Questionnaire,
    rows: &[&Row],
    institution_level: bool,
    checklists: &BTreeMap<String, BTreeMap<String, f64>>,
    got: &Value,
) {
    let ctx = format!("{ctx} nok");
    let mut by_institution: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for row in rows {
        by_institution
            .entry(row.stored.institution.as_str())
            .or_default()
            .push(row);
    }
    let scores: Vec<(Figures, Figures, Option<f64>)> = if by_institution.is_empty() {
        vec![nok_of_institution(q, &[], None)]
    } else {
        by_institution
            .iter()
            .map(|(code, rows)| nok_of_institution(q, rows, checklists.get(*code)))
            .collect()
    };
    let indicators: Vec<Figures> = scores.iter().map(|(i, _, _)| i.clone()).collect();
    let criteria: Vec<Figures> = scores.iter().map(|(_, c, _)| c.clone()).collect();
    let totals: Vec<f64> = scores.iter().filter_map(|(_, _, t)| *t).collect();
    assert_figures(
        &format!("{ctx} indicators"),
        &got["indicators"],
        &mean_by_key(&indicators),
    );
    assert_figures(
        &format!("{ctx} criteria"),
        &got["criteria"],
        &mean_by_key(&criteria),
    );
    let total = (!totals.is_empty()).then(|| totals.iter().sum::<f64>() / totals.len() as f64);
    assert_close(&format!("{ctx} total"), &got["total"], total, 1e-9);
    assert_eq!(got["methodology"], "nok-344n.v1", "{ctx} methodology");
    if institution_level {
        assert!(
            got.get("institutions").is_none_or(Value::is_null),
            "{ctx}: an institution's own figures carry no institution count: {got}"
        );
    } else {
        let with_figures = scores
            .iter()
            .filter(|(i, c, _)| i.values().chain(c.values()).any(Option::is_some))
            .count();
        assert_eq!(
            got["institutions"],
            json!(with_figures),
            "{ctx} institutions with a score"
        );
    }
    // Skip-rule denominators: only those who used the stands / site / remote channels, or
    // have a disability, answer the item behind the filter.
    for (filter, item) in [
        ("info_stand_used", "info_stand"),
        ("info_site_used", "info_site"),
        ("disability", "accessibility"),
        ("remote_used", "courtesy_remote"),
    ] {
        let reached = rows
            .iter()
            .filter(|r| r.answer(filter) == Some(&json!(true)))
            .count();
        let answered = rows.iter().filter(|r| r.answer(item).is_some()).count();
        assert_eq!(
            reached, answered,
            "{ctx}: {item} is answered by exactly those who said «Да» to {filter}"
        );
    }
}

/// Compares one `/stats` reply with the recomputation.
pub(crate) async fn check(
    app: &TestApp,
    token: &str,
    rows: &[Row],
    q: &Query,
    kinds: &BTreeMap<&str, String>,
) -> usize {
    let ctx = format!("{q:?}");
    let got = app.stats(token, &q.params()).await;
    let org_path = app.sql.org_path(q.org).await;
    let selected = select(rows, &org_path, q);
    let questionnaire = data::questionnaire(q.questionnaire);
    assert_eq!(got["org"], q.org, "{ctx} org");
    assert_eq!(got["questionnaire"], q.questionnaire, "{ctx} questionnaire");
    assert_eq!(got["from"], json!(q.from), "{ctx} from");
    assert_eq!(got["to"], json!(q.to), "{ctx} to");
    assert_eq!(got["min_n"], json!(MIN_N), "{ctx} min_n");
    assert_count(
        &format!("{ctx} responses"),
        &got["responses"],
        selected.len() as u64,
    );
    let ids: BTreeSet<&str> = got["questions"]
        .as_object()
        .unwrap_or_else(|| panic!("{ctx}: no questions object: {got}"))
        .keys()
        .map(String::as_str)
        .collect();
    let expected_ids: BTreeSet<&str> = questionnaire
        .questions
        .iter()
        .map(|q| q.id.as_str())
        .collect();
    assert_eq!(ids, expected_ids, "{ctx}: one entry per question");
    for question in &questionnaire.questions {
        check_question(&ctx, question, &selected, &got["questions"][&question.id]);
    }
    if questionnaire.nok {
        let institution_level = matches!(kinds[q.org].as_str(), "institution" | "department");
        // The checklists of the year of `to` (the current year without it).
        let year =
            q.to.map_or_else(|| chrono::Utc::now().year(), |t| day(t).year());
        let checklists = checklists_of(app, year).await;
        check_nok(
            &ctx,
            &questionnaire,
            &selected,
            institution_level,
            &checklists,
            &got["nok"],
        );
    } else {
        assert!(
            got["nok"].is_null(),
            "{ctx}: no НОК figures for a non-НОК questionnaire"
        );
    }
    selected.len()
}

/// Explicit instants at the ragged edges of the tested ranges, in UTC: each lands on a different
/// local date in Moscow (+3) and Vladivostok (+10).
const EDGE_INSTANTS: [&str; 8] = [
    "2026-01-14T14:30:00Z",
    "2026-01-14T21:30:00Z",
    "2026-01-31T22:00:00Z",
    "2026-02-28T21:30:00Z",
    "2026-03-31T20:00:00Z",
    "2026-03-31T13:59:59Z",
    "2026-04-10T14:30:00Z",
    "2026-04-10T21:30:00Z",
];

/// Generated responses at every standard point: random instants through the last year plus
/// the edge instants, on anonymous and staff channels (observation included).
fn generated(gen: &mut Generator) -> Vec<(Value, bool)> {
    let mut out = Vec::new();
    for (point, _, questionnaire, _) in STANDARD_POINTS {
        let q = data::questionnaire(questionnaire);
        for i in 0..170 {
            let channel = *gen.pick(&["qr", "qr", "qr", "link", "paper", "observation"]);
            let at = match EDGE_INSTANTS.get(i) {
                Some(edge) => DateTime::parse_from_rfc3339(edge).expect("edge instant"),
                None => gen.instant(utc(2025, 12, 1), utc(2026, 11, 20)),
            };
            let staff = matches!(channel, "paper" | "observation");
            out.push((gen.response(point, &q, channel, at), staff));
        }
    }
    out
}

async fn stats_equal_a_recomputation_from_raw_responses_over_orgs_ranges_and_filters(
    backend: Backend,
) {
    // Arrange: the demo data set plus generated data in our own region.
    let app = spawn_app_with(backend, |s| s.serve.demo = true).await;
    app.seed_standard().await;
    let token = app.admin_token().await;
    let mut gen = Generator::new(42);
    let items = generated(&mut gen);
    for chunk in items.chunks(400) {
        let (staff, anonymous): (Vec<_>, Vec<_>) = chunk.iter().partition(|(_, s)| *s);
        for (batch, token) in [(anonymous, None), (staff, Some(token.as_str()))] {
            let batch: Vec<Value> = batch.into_iter().map(|(v, _)| v.clone()).collect();
            if batch.is_empty() {
                continue;
            }
            let results = app.submit(&batch, token).await;
            assert!(
                results.iter().all(|r| r["status"] == "created"),
                "the generated data is valid: {results:?}"
            );
        }
    }
    let rows = load_rows(&app).await;
    assert!(
        rows.iter().any(|r| r.stored.channel == "observation"),
        "observations are present, so excluding them is tested"
    );
    let kinds: BTreeMap<&str, String> = [
        ("demo", "region"),
        ("demo-zarechny", "municipality"),
        ("demo-minsoc", "authority"),
        ("kcson-zarechye", "institution"),
        ("kcson-city", "institution"),
        ("polyclinic-1", "institution"),
        ("school-7", "institution"),
        ("czn-center", "institution"),
        ("reg", "region"),
        ("mun", "municipality"),
        ("inst-a", "institution"),
        ("inst-a-dep", "department"),
        ("inst-b", "institution"),
        ("inst-c", "institution"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect();
    let ranges: [(Option<&'static str>, Option<&'static str>); 8] = [
        (None, None),
        (Some("2026-01-15"), Some("2026-04-10")),
        (Some("2026-04-01"), Some("2026-04-01")),
        (Some("2026-01-01"), Some("2026-03-31")),
        (Some("2026-02-01"), Some("2026-02-28")),
        (Some("2025-12-01"), Some("2026-11-30")),
        (Some("2026-06-01"), None),
        (None, Some("2026-02-14")),
    ];

    // Act and Assert: every org × questionnaire × range …
    let mut compared = 0;
    let mut counted = 0;
    for org in kinds.keys().copied() {
        for questionnaire in ALL_QUESTIONNAIRES {
            for (from, to) in ranges {
                let q = Query {
                    org,
                    questionnaire,
                    from,
                    to,
                    point: None,
                    life_situation: None,
                };
                counted += check(&app, &token, &rows, &q, &kinds).await;
                compared += 1;
            }
        }
    }
    // … and the point and life-situation filters.
    let filters: [(&str, &str, Option<&str>, Option<&str>); 8] = [
        ("reg", "nsi-satisfaction", Some("a-nsi"), None),
        ("reg", "nsi-satisfaction", Some("dep-nsi"), None),
        ("inst-b", "nsi-satisfaction", Some("a-nsi"), None),
        ("reg", "nsi-satisfaction", None, Some("home-social-service")),
        (
            "reg",
            "nsi-satisfaction",
            None,
            Some("job-via-employment-centre"),
        ),
        (
            "demo",
            "nsi-satisfaction",
            None,
            Some("job-via-employment-centre"),
        ),
        ("demo", "nok-social", Some("kcson-city-nok"), None),
        (
            "demo",
            "nsi-satisfaction",
            Some("czn-center-1"),
            Some("job-via-employment-centre"),
        ),
    ];
    for (org, questionnaire, point, life_situation) in filters {
        for (from, to) in [ranges[0], ranges[1], ranges[5]] {
            let q = Query {
                org,
                questionnaire,
                from,
                to,
                point,
                life_situation,
            };
            counted += check(&app, &token, &rows, &q, &kinds).await;
            compared += 1;
        }
    }
    assert_eq!(compared, 14 * 7 * 8 + 8 * 3, "replies compared");
    assert!(
        counted > 20_000,
        "the comparisons counted real data ({counted} responses)"
    );
}

async fn a_response_at_20_00_utc_on_march_31_counts_on_april_1_in_vladivostok(backend: Backend) {
    // Arrange
    let app = spawn_app_with(backend, |_| {}).await;
    app.add_orgs(&[
        (
            "far",
            "Приморье",
            "region",
            None,
            None,
            Some("Asia/Vladivostok"),
        ),
        (
            "vlad",
            "МФЦ Владивосток",
            "institution",
            Some("far"),
            Some("other"),
            None,
        ),
        (
            "msk",
            "МФЦ Москва",
            "institution",
            Some("far"),
            Some("other"),
            Some("Europe/Moscow"),
        ),
    ])
    .await;
    app.add_point("vlad-1", "vlad", "express", None).await;
    app.add_point("msk-1", "msk", "express", None).await;
    let token = app.admin_token().await;
    let mut vlad = data::express(&data::new_id(), "vlad-1", "qr");
    vlad["submitted_at"] = json!("2026-03-31T20:00:00Z");
    let mut msk = data::express(&data::new_id(), "msk-1", "qr");
    msk["submitted_at"] = json!("2026-03-31T20:00:00Z");
    let results = app.submit(&[vlad, msk], None).await;
    assert!(
        results.iter().all(|r| r["status"] == "created"),
        "{results:?}"
    );

    // Act and Assert
    let cases = [
        ("vlad", "2026-04-01", "2026-04-01", 1),
        ("vlad", "2026-04-01", "2026-04-30", 1),
        ("vlad", "2026-03-01", "2026-03-31", 0),
        ("vlad", "2026-03-31", "2026-03-31", 0),
        ("vlad", "2026-01-01", "2026-03-31", 0),
        ("msk", "2026-03-31", "2026-03-31", 1),
        ("msk", "2026-04-01", "2026-04-01", 0),
        ("far", "2026-04-01", "2026-04-01", 1),
        ("far", "2026-03-01", "2026-03-31", 1),
        ("far", "2026-03-31", "2026-04-01", 2),
    ];
    for (org, from, to, expected) in cases {
        let stats = app
            .stats(
                &token,
                &[
                    ("org", org),
                    ("questionnaire", "express"),
                    ("from", from),
                    ("to", to),
                ],
            )
            .await;
        assert_eq!(
            stats["responses"],
            json!(expected),
            "{org} {from}..{to}: 2026-03-31T20:00Z is 2026-04-01 in Vladivostok, 2026-03-31 in Moscow"
        );
        assert_eq!(
            stats["questions"]["overall"]["n"],
            json!(expected),
            "{org} {from}..{to}: the question counts follow the same dates"
        );
    }
}
