//! The comment loop (issue 16 item 5): officials' versioned reviews of comments, the comments
//! list with each comment's current review and its `status` filter under keyset paging, every
//! refusal storing nothing, the stage view against a recount from the raw responses, improvement
//! measures in the НСИ report, and the public answers (JSON and the page `/r/<org>`) showing
//! only what officials wrote — never a citizen's text.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use otklik_shared::questionnaire::QuestionKind;
use serde_json::{json, Value};

use crate::comments::comments as list;
use crate::data::{self, utc, Generator};
use crate::helpers::{assert_error, spawn_app, Backend, TestApp};
use crate::nsi::{call, json_status};
use crate::on_both_backends;
use crate::stats::assert_close;

on_both_backends!(
    reviews_keep_their_versions_and_the_list_filters_by_status_across_pages,
    every_refused_review_or_measure_stores_nothing,
    the_stage_view_equals_a_recount_from_the_raw_responses,
    the_public_answers_show_what_officials_wrote_and_never_a_citizens_text,
);

const PASSWORD: &str = "password-12345";
const LS: &str = "job-via-employment-centre";

/// A workbook cell as text; a date cell as `YYYY-MM-DD` from its serial day number.
fn cell_text(c: &Data) -> String {
    match c {
        Data::DateTime(d) => {
            let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("a date");
            #[allow(clippy::cast_possible_truncation)] // a whole day number
            let day = epoch + chrono::Duration::days(d.as_f64() as i64);
            day.to_string()
        }
        other => other.to_string(),
    }
}

/// `reg`'s official, an official of another region, an observer and an operator.
async fn people(app: &TestApp) -> BTreeMap<&'static str, String> {
    app.seed_standard().await;
    app.add_orgs(&[("reg-b", "Другая область", "region", None, None, None)])
        .await;
    let mut tokens = BTreeMap::new();
    for (login, role, scope) in [
        ("official", "official", "reg"),
        ("official-b", "official", "reg-b"),
        ("observer", "observer", "reg"),
        ("operator", "operator", "inst-a"),
    ] {
        app.add_user(login, PASSWORD, role, Some(scope)).await;
        tokens.insert(login, app.login(login, PASSWORD).await);
    }
    tokens
}

/// An `nsi-satisfaction` response at `point` at `at` whose `process` answer carries `comment`,
/// with a free-text suggestion when `suggestion` is given.
fn commented(point: &str, at: &str, comment: &str, suggestion: Option<&str>) -> Value {
    let mut r = data::nsi_satisfaction(&data::new_id(), point);
    r["submitted_at"] = json!(at);
    r["answers"][0] = json!({"q": "process", "v": "no", "comment": comment});
    match suggestion {
        Some(s) => r["answers"][6]["v"] = json!(s),
        None => {
            r["answers"].as_array_mut().unwrap().pop();
        }
    }
    r
}

fn review_path(response: &str, question: &str) -> String {
    format!("/api/v1/comments/{response}/{question}/review")
}

async fn review(app: &TestApp, token: &str, key: (&str, &str), body: Value) -> Value {
    json_status(
        call(
            app,
            "PUT",
            &review_path(key.0, key.1),
            Some(token),
            Some(&body),
        )
        .await,
        200,
    )
    .await
}

async fn reviews_stored(app: &TestApp) -> i64 {
    app.sql.scalar("select count(*) from comment_reviews").await
}

/// Every comment of `query` through pages of `limit`: (submitted_at, response, question,
/// status), in the order served.
async fn walk(
    app: &TestApp,
    token: &str,
    query: &[(&str, &str)],
    limit: &str,
) -> Vec<(String, String, String, String)> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..200 {
        let mut q = query.to_vec();
        q.push(("limit", limit));
        if let Some(c) = &cursor {
            q.push(("cursor", c));
        }
        let page = list(app, token, &q).await;
        for c in page["comments"].as_array().unwrap() {
            seen.push((
                c["submitted_at"].as_str().unwrap().to_owned(),
                c["response"].as_str().unwrap().to_owned(),
                c["question"].as_str().unwrap().to_owned(),
                c["review"]["status"].as_str().unwrap().to_owned(),
            ));
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return seen,
        }
    }
    panic!("paging did not end");
}

async fn reviews_keep_their_versions_and_the_list_filters_by_status_across_pages(backend: Backend) {
    // Arrange: 60 responses with a comment on `process` (every third with a suggestion too),
    // some sharing an instant, at points of two institutions.
    let app = spawn_app(backend).await;
    let t = people(&app).await;
    let official = &t["official"];
    let mut items = Vec::new();
    for i in 0..60 {
        let at = format!("2026-02-{:02}T{:02}:00:00Z", 1 + i / 6, (i % 3) * 4);
        let suggestion = (i % 3 == 0).then_some("больше окон");
        items.push(commented(
            ["a-nsi", "dep-nsi", "b-nsi"][i % 3],
            &at,
            &format!("комментарий {i}"),
            suggestion,
        ));
    }
    app.submit(&items, None).await;
    let ids: Vec<String> = items
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();

    // Act: one comment reviewed three times; then every fifth comment on `process` in
    // progress, every seventh done (after being in progress), every suggestion of every
    // fourth response done.
    let first = review(
        &app,
        official,
        (&ids[1], "process"),
        json!({"status": "in_progress", "stage": "registration", "loss": "waiting"}),
    )
    .await;
    let second = review(
        &app,
        official,
        (&ids[1], "process"),
        json!({"status": "done", "stage": "registration", "loss": "waiting",
               "public_answer": "Открыли окно; звоните 8 912 345 67 89"}),
    )
    .await;
    let third = review(
        &app,
        official,
        (&ids[1], "process"),
        json!({"status": "in_progress", "stage": "job-matching", "loss": null,
               "public_answer": null}),
    )
    .await;
    let mut puts = 3;
    let mut want: HashMap<(String, String), &str> = HashMap::new();
    want.insert((ids[1].clone(), "process".into()), "in_progress");
    for (i, id) in ids.iter().enumerate().skip(2) {
        // The point's life situation's stages: a-nsi ЖС-7, dep-nsi ЖС-8, b-nsi none.
        let stage = match i % 3 {
            0 => Some("visit"),
            1 => Some("registration"),
            _ => None,
        };
        if i % 5 == 0 || i % 7 == 0 {
            review(
                &app,
                official,
                (id, "process"),
                json!({"status": "in_progress", "stage": stage}),
            )
            .await;
            puts += 1;
            want.insert((id.clone(), "process".into()), "in_progress");
        }
        if i % 7 == 0 {
            review(
                &app,
                official,
                (id, "process"),
                json!({"status": "done", "stage": stage, "public_answer": "Сделали"}),
            )
            .await;
            puts += 1;
            want.insert((id.clone(), "process".into()), "done");
        }
        if i % 3 == 0 && i % 4 == 0 {
            review(
                &app,
                official,
                (id, "suggestions"),
                json!({"status": "done", "public_answer": "Добавили окно"}),
            )
            .await;
            puts += 1;
            want.insert((id.clone(), "suggestions".into()), "done");
        }
    }

    // Assert: versions kept, the reply as stored, the masked public answer.
    assert_eq!(
        (
            first["version"].clone(),
            second["version"].clone(),
            third["version"].clone()
        ),
        (json!(1), json!(2), json!(3))
    );
    assert_eq!(second["status"], "done");
    assert_eq!(second["reviewed_by"], "official");
    assert_eq!(second["public_answer"], "Открыли окно; звоните ***");
    assert_eq!(second["stage"], "registration");
    assert_eq!(second["loss"], "waiting");
    assert!(second["reviewed_at"]
        .as_str()
        .is_some_and(|s| s.ends_with('Z')));
    assert_eq!(
        app.sql
            .scalar("select cast(max(version) as bigint) from comment_reviews")
            .await,
        3
    );
    assert_eq!(reviews_stored(&app).await, puts, "one version per review");

    // The list: every comment once, each with its current review, newest first.
    let all = walk(&app, official, &[("org", "reg")], "7").await;
    let expected_total = 60 + 20;
    assert_eq!(all.len(), expected_total);
    for (_, response, question, status) in &all {
        let want = want
            .get(&(response.clone(), question.clone()))
            .copied()
            .unwrap_or("new");
        assert_eq!(status, want, "{response} {question}");
    }
    let page = list(&app, official, &[("org", "reg"), ("limit", "500")]).await;
    let reviewed = page["comments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["response"] == ids[1].as_str() && c["question"] == "process")
        .expect("the thrice-reviewed comment");
    assert_eq!(
        reviewed["review"],
        json!({"status": "in_progress", "stage": "job-matching", "loss": null,
               "public_answer": null, "reviewed_at": third["reviewed_at"]})
    );
    let never = page["comments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["response"] == ids[0].as_str() && c["question"] == "process")
        .expect("an unreviewed comment");
    assert_eq!(
        never["review"],
        json!({"status": "new", "stage": null, "loss": null, "public_answer": null,
               "reviewed_at": null})
    );

    // Each status through small pages: exactly its comments, once, in the same order as
    // the unfiltered list, whatever the page size.
    for status in ["new", "in_progress", "done"] {
        let expected: Vec<_> = all.iter().filter(|c| c.3 == status).cloned().collect();
        assert!(!expected.is_empty(), "{status} has comments");
        for limit in ["1", "3", "500"] {
            let got = walk(&app, official, &[("org", "reg"), ("status", status)], limit).await;
            assert_eq!(got, expected, "status={status} limit={limit}");
        }
    }
    // Filters combine: one point, one question.
    let done_at_a: Vec<_> = walk(
        &app,
        official,
        &[
            ("org", "inst-a"),
            ("status", "done"),
            ("question", "suggestions"),
        ],
        "2",
    )
    .await;
    let expected: Vec<_> = all
        .iter()
        .filter(|c| c.3 == "done" && c.2 == "suggestions")
        .filter(|c| {
            let i = ids.iter().position(|id| *id == c.1).unwrap();
            i % 3 != 2
        })
        .cloned()
        .collect();
    assert_eq!(done_at_a, expected);
    let bad = app
        .get_as(
            "/api/v1/comments",
            Some(official),
            &[("org", "reg"), ("status", "accepted")],
        )
        .await;
    let body = assert_error(bad, 422, "invalid_review").await;
    assert_eq!(body["error"]["details"]["field"], "status");
}

/// The error body of `res`, after checking its status and code (`what` names the case).
async fn refused(res: reqwest::Response, status: u16, code: &str, what: &str) -> Value {
    let got = res.status().as_u16();
    let reply: Value = res.json().await.unwrap_or_default();
    assert_eq!(
        (got, reply["error"]["code"].as_str()),
        (status, Some(code)),
        "{what}: {reply}"
    );
    reply
}

/// (what, (response, question), token, body, status, code) of a refused review.
type Refusal = (
    &'static str,
    (String, String),
    Option<String>,
    Value,
    u16,
    &'static str,
);

async fn every_refused_review_or_measure_stores_nothing(backend: Backend) {
    // Arrange
    let app = spawn_app(backend).await;
    let t = people(&app).await;
    let official = t["official"].as_str();
    let item = commented("dep-nsi", "2026-03-02T10:00:00+03:00", "ждали час", None);
    let plain = commented("b-nsi", "2026-03-02T11:00:00+03:00", "нет окна", None);
    app.submit(&[item.clone(), plain.clone()], None).await;
    let id = item["id"].as_str().unwrap();
    let at_b = plain["id"].as_str().unwrap();
    let ok = json!({"status": "in_progress", "stage": "registration", "loss": "waiting"});
    let put = |key: (String, String), token: Option<String>, body: Value| {
        let app = &app;
        async move {
            call(
                app,
                "PUT",
                &review_path(&key.0, &key.1),
                token.as_deref(),
                Some(&body),
            )
            .await
        }
    };
    let k = |r: &str, q: &str| (r.to_owned(), q.to_owned());

    // Act + Assert: each refusal with its status and code.
    let cases: Vec<Refusal> = vec![
        (
            "no token",
            k(id, "process"),
            None,
            ok.clone(),
            401,
            "unauthorized",
        ),
        (
            "observer",
            k(id, "process"),
            Some(t["observer"].clone()),
            ok.clone(),
            403,
            "forbidden",
        ),
        (
            "operator",
            k(id, "process"),
            Some(t["operator"].clone()),
            ok.clone(),
            403,
            "forbidden",
        ),
        (
            "other region",
            k(id, "process"),
            Some(t["official-b"].clone()),
            ok.clone(),
            403,
            "out_of_scope",
        ),
        (
            "unknown response",
            k(&data::new_id(), "process"),
            Some(official.into()),
            ok.clone(),
            404,
            "unknown_response",
        ),
        (
            "not an id",
            k("not-a-uuid", "process"),
            Some(official.into()),
            ok.clone(),
            404,
            "unknown_response",
        ),
        (
            "no comment on that question",
            k(id, "documents"),
            Some(official.into()),
            ok.clone(),
            404,
            "unknown_comment",
        ),
        (
            "done without an answer",
            k(id, "process"),
            Some(official.into()),
            json!({"status": "done", "stage": "registration", "public_answer": "   "}),
            422,
            "public_answer_required",
        ),
        (
            "unknown stage",
            k(id, "process"),
            Some(official.into()),
            json!({"status": "in_progress", "stage": "visit"}),
            422,
            "invalid_review",
        ),
        (
            "a stage at a point without a life situation",
            k(at_b, "process"),
            Some(official.into()),
            json!({"status": "in_progress", "stage": "registration"}),
            422,
            "invalid_review",
        ),
        (
            "unknown loss",
            k(id, "process"),
            Some(official.into()),
            json!({"status": "in_progress", "loss": "queue"}),
            422,
            "invalid_review",
        ),
        (
            "unknown status",
            k(id, "process"),
            Some(official.into()),
            json!({"status": "accepted"}),
            422,
            "invalid_review",
        ),
        (
            "an answer over 500 characters",
            k(id, "process"),
            Some(official.into()),
            json!({"status": "done", "public_answer": "я".repeat(501)}),
            422,
            "invalid_review",
        ),
        (
            "no status",
            k(id, "process"),
            Some(official.into()),
            json!({"stage": "registration"}),
            400,
            "malformed_json",
        ),
    ];
    for (what, key, token, body, status, code) in cases {
        let reply = refused(put(key, token, body).await, status, code, what).await;
        if what == "unknown stage" {
            let message = reply["error"]["message"].as_str().unwrap();
            assert!(
                message.contains("\"visit\"") && message.contains("job-matching"),
                "names the stage and the known ones: {message}"
            );
            assert_eq!(reply["error"]["details"]["field"], "stage");
        }
    }
    assert_eq!(reviews_stored(&app).await, 0, "no refused review stored");

    // Improvement measures: the same refusals, nothing stored.
    let measure = json!({"org": "inst-a", "life_situation": LS, "stage": "registration",
                         "title": "Электронная очередь", "done_on": "2026-03-01"});
    let with = |patch: Value| {
        let mut m = measure.clone();
        for (k, v) in patch.as_object().unwrap() {
            m[k] = v.clone();
        }
        m
    };
    let refusals: Vec<(&str, Option<&str>, Value, u16, &str)> = vec![
        ("no token", None, measure.clone(), 401, "unauthorized"),
        (
            "observer",
            Some(t["observer"].as_str()),
            measure.clone(),
            403,
            "forbidden",
        ),
        (
            "operator",
            Some(t["operator"].as_str()),
            measure.clone(),
            403,
            "forbidden",
        ),
        (
            "other region",
            Some(t["official-b"].as_str()),
            measure.clone(),
            403,
            "out_of_scope",
        ),
        (
            "unknown org",
            Some(official),
            with(json!({"org": "nope"})),
            404,
            "unknown_org",
        ),
        (
            "unknown stage",
            Some(official),
            with(json!({"stage": "visit"})),
            422,
            "invalid_improvement",
        ),
        (
            "stage without situation",
            Some(official),
            with(json!({"life_situation": null})),
            422,
            "invalid_improvement",
        ),
        (
            "unknown situation",
            Some(official),
            with(json!({"life_situation": "nope"})),
            422,
            "invalid_nsi",
        ),
        (
            "empty title",
            Some(official),
            with(json!({"title": " "})),
            422,
            "invalid_improvement",
        ),
        (
            "long title",
            Some(official),
            with(json!({"title": "я".repeat(301)})),
            422,
            "invalid_improvement",
        ),
        (
            "future date",
            Some(official),
            with(json!({"done_on": "2999-01-01"})),
            422,
            "invalid_improvement",
        ),
        (
            "bad date",
            Some(official),
            with(json!({"done_on": "01.03.2026"})),
            422,
            "invalid_improvement",
        ),
    ];
    for (what, token, body, status, code) in refusals {
        let res = call(&app, "POST", "/api/v1/improvements", token, Some(&body)).await;
        refused(res, status, code, what).await;
    }
    assert_eq!(
        app.sql.scalar("select count(*) from improvements").await,
        0,
        "no refused measure stored"
    );

    // The same requests by the official: stored.
    review(&app, official, (id, "process"), ok).await;
    assert_eq!(reviews_stored(&app).await, 1);
    let stored = json_status(
        call(
            &app,
            "POST",
            "/api/v1/improvements",
            Some(official),
            Some(&measure),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(stored["org"], "inst-a");
    assert_eq!(stored["stage"], "registration");
    assert_eq!(stored["done_on"], "2026-03-01");
}

/// One stage's recount.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Recount {
    n: u64,
    negative: u64,
    comments: u64,
    waiting: u64,
    rework: u64,
}

async fn the_stage_view_equals_a_recount_from_the_raw_responses(backend: Backend) {
    // Arrange: ЖС-8 at two stages (dep-nsi: registration; a-job: job-matching), a point of
    // another situation and one of none; random answers over two months; walk-throughs at a
    // ЖС-8 point; some comments tagged.
    let app = spawn_app(backend).await;
    let t = people(&app).await;
    let official = t["official"].as_str();
    app.add_point(
        "a-job",
        "inst-a",
        "nsi-satisfaction",
        Some((LS, "job-matching")),
    )
    .await;
    let q = data::questionnaire("nsi-satisfaction");
    let likert: HashSet<&str> = q
        .questions
        .iter()
        .filter(|x| x.kind == QuestionKind::Likert4)
        .map(|x| x.id.as_str())
        .collect();
    let stage_of = HashMap::from([("dep-nsi", "registration"), ("a-job", "job-matching")]);
    let mut g = Generator::new(16);
    let (from, to) = (utc(2026, 3, 1), utc(2026, 5, 1));
    let mut citizen = Vec::new();
    for i in 0..240 {
        let point = ["dep-nsi", "a-job", "a-nsi", "b-nsi"][i % 4];
        let at = g.instant(from, to);
        citizen.push(g.response(point, &q, ["qr", "link"][i % 2], at));
    }
    let walkthroughs: Vec<Value> = (0..20)
        .map(|_| {
            let at = g.instant(from, to);
            g.response("dep-nsi", &q, "observation", at)
        })
        .collect();
    app.submit(&citizen, None).await;
    app.submit(&walkthroughs, Some(official)).await;

    // Tag comments at ЖС-8 points: alternately registration/waiting and job-matching/rework,
    // every third without a loss.
    let mut tags: Vec<(String, &str, Option<&str>)> = Vec::new();
    for (i, r) in citizen
        .iter()
        .filter(|r| stage_of.contains_key(r["point"].as_str().unwrap()))
        .filter(|r| {
            r["answers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["q"] == "process" && a["comment"].is_string())
        })
        .enumerate()
    {
        let stage = ["registration", "job-matching"][i % 2];
        let loss = (i % 3 != 0).then_some(["waiting", "rework"][i % 2]);
        let id = r["id"].as_str().unwrap().to_owned();
        review(
            &app,
            official,
            (&id, "process"),
            json!({"status": "in_progress", "stage": stage, "loss": loss}),
        )
        .await;
        tags.push((id, stage, loss));
    }
    assert!(tags.len() > 4, "enough tagged comments: {}", tags.len());

    // Recount: from the submitted items, by their local date in Moscow (inst-a's zone).
    let (day_from, day_to) = ("2026-03-10", "2026-04-20");
    let local_day = |r: &Value| {
        chrono::DateTime::parse_from_rfc3339(r["submitted_at"].as_str().unwrap())
            .unwrap()
            .with_timezone(&chrono_tz::Europe::Moscow)
            .date_naive()
            .to_string()
    };
    let recount = |window: Option<(&str, &str)>| {
        let inside = |r: &Value| {
            window.is_none_or(|(a, b)| {
                let d = local_day(r);
                a <= d.as_str() && d.as_str() <= b
            })
        };
        let mut out: BTreeMap<&str, Recount> = BTreeMap::new();
        for r in citizen.iter().filter(|r| inside(r)) {
            let Some(stage) = stage_of.get(r["point"].as_str().unwrap()) else {
                continue;
            };
            let slot = out.entry(stage).or_default();
            for a in r["answers"].as_array().unwrap() {
                if likert.contains(a["q"].as_str().unwrap()) {
                    slot.n += 1;
                    if matches!(a["v"].as_str(), Some("rather_no" | "no")) {
                        slot.negative += 1;
                    }
                }
            }
        }
        for (id, stage, loss) in &tags {
            let r = citizen.iter().find(|r| r["id"] == id.as_str()).unwrap();
            if !inside(r) {
                continue;
            }
            let slot = out.entry(stage).or_default();
            slot.comments += 1;
            match loss {
                Some("waiting") => slot.waiting += 1,
                Some("rework") => slot.rework += 1,
                _ => {}
            }
        }
        out
    };

    // Act + Assert: the whole period and a window.
    for window in [None, Some((day_from, day_to))] {
        let mut query = vec![("org", "reg"), ("life_situation", LS)];
        if let Some((a, b)) = window {
            query.extend([("from", a), ("to", b)]);
        }
        let view = json_status(
            app.get_as("/api/v1/nsi/stages", Some(official), &query)
                .await,
            200,
        )
        .await;
        let want = recount(window);
        let stages = view["stages"].as_array().unwrap();
        assert_eq!(stages.len(), 6, "every stage of ЖС-8: {view}");
        for row in stages {
            let code = row["stage"].as_str().unwrap();
            let w = want.get(code).copied().unwrap_or_default();
            let got = Recount {
                n: row["n"].as_u64().unwrap(),
                negative: row["negative"].as_u64().unwrap(),
                comments: row["comments"].as_u64().unwrap(),
                waiting: row["losses"]["waiting"].as_u64().unwrap(),
                rework: row["losses"]["rework"].as_u64().unwrap(),
            };
            assert_eq!(got, w, "{code} {window:?}");
            let pct = (w.n > 0).then(|| w.negative as f64 / w.n as f64 * 100.0);
            assert_close(code, &row["negative_pct"], pct, 1e-9);
        }
        // The most negative first; stages without answers after every stage with some.
        let pcts: Vec<f64> = stages
            .iter()
            .map(|r| r["negative_pct"].as_f64().unwrap_or(-1.0))
            .collect();
        assert!(pcts.windows(2).all(|w| w[0] >= w[1]), "{pcts:?}");
    }

    // Scope: another region's official is refused; an operator reads no results.
    for (who, code) in [("official-b", "out_of_scope"), ("operator", "forbidden")] {
        assert_error(
            app.get_as(
                "/api/v1/nsi/stages",
                Some(&t[who]),
                &[("org", "reg"), ("life_situation", LS)],
            )
            .await,
            403,
            code,
        )
        .await;
    }
    assert_error(
        app.get_as(
            "/api/v1/nsi/stages",
            Some(official),
            &[("org", "reg"), ("life_situation", "nope")],
        )
        .await,
        422,
        "invalid_nsi",
    )
    .await;
}

async fn the_public_answers_show_what_officials_wrote_and_never_a_citizens_text(backend: Backend) {
    // Arrange: comments at inst-a (ЖС-8 via its department) and inst-b; one done with an
    // answer holding a phone, one only in progress with a draft answer, one done at inst-b.
    let app = spawn_app(backend).await;
    let t = people(&app).await;
    let official = t["official"].as_str();
    let secret = "Меня зовут Анна, мой телефон 8 900 123-45-67, ждала 2 часа";
    let a = commented(
        "dep-nsi",
        "2026-03-02T10:00:00+03:00",
        secret,
        Some("Дайте кулер"),
    );
    let a2 = commented(
        "dep-nsi",
        "2026-03-03T10:00:00+03:00",
        "Грубый охранник",
        None,
    );
    let b = commented("b-nsi", "2026-03-04T10:00:00+10:00", "Нет пандуса", None);
    app.submit(&[a.clone(), a2.clone(), b.clone()], None).await;
    let id = |r: &Value| r["id"].as_str().unwrap().to_owned();
    review(
        &app,
        official,
        (&id(&a), "process"),
        json!({"status": "done", "stage": "registration", "loss": "waiting",
               "public_answer": "Открыли второе окно. Вопросы: 8 800 555-35-35"}),
    )
    .await;
    review(
        &app,
        official,
        (&id(&a2), "process"),
        json!({"status": "in_progress", "public_answer": "Черновик ответа"}),
    )
    .await;
    review(
        &app,
        official,
        (&id(&b), "process"),
        json!({"status": "done", "public_answer": "Установили пандус"}),
    )
    .await;
    for (org, ls, stage, title, day) in [
        (
            "inst-a",
            Some(LS),
            Some("registration"),
            "Электронная очередь",
            "2026-03-20",
        ),
        (
            "inst-a-dep",
            None,
            None,
            "Кулер в зале ожидания",
            "2026-03-25",
        ),
        ("inst-b", None, None, "Пандус у входа", "2026-03-10"),
    ] {
        json_status(
            call(
                &app,
                "POST",
                "/api/v1/improvements",
                Some(official),
                Some(&json!({"org": org, "life_situation": ls, "stage": stage,
                             "title": title, "done_on": day})),
            )
            .await,
            201,
        )
        .await;
    }

    // Act
    let published = json_status(app.get("/api/v1/public/orgs/inst-a/answers").await, 200).await;
    let page = app.get("/r/inst-a").await;
    let page_status = page.status().as_u16();
    let page_type = page
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let html = page.text().await.unwrap();
    let region = json_status(app.get("/api/v1/public/orgs/reg/answers").await, 200).await;
    let listed = json_status(
        app.get_as(
            "/api/v1/improvements",
            Some(official),
            &[("org", "inst-a"), ("life_situation", LS)],
        )
        .await,
        200,
    )
    .await;
    let report = json_status(
        app.get_as(
            "/api/v1/nsi/report",
            Some(official),
            &[("org", "reg"), ("life_situation", LS), ("year", "2026")],
        )
        .await,
        200,
    )
    .await;

    // Assert: the official's answer, masked, with its stage; measures newest first.
    assert_eq!(
        published["org"],
        json!({"code": "inst-a", "name": "КЦСОН «Тест», филиал", "tz": "Europe/Moscow"})
    );
    let answers = published["answers"].as_array().unwrap();
    assert_eq!(
        answers.len(),
        1,
        "only done answers of the subtree: {published}"
    );
    assert_eq!(
        answers[0]["public_answer"],
        "Открыли второе окно. Вопросы: ***"
    );
    assert_eq!(answers[0]["stage"], "registration");
    assert_eq!(answers[0]["stage_name"], "Регистрация");
    assert_eq!(
        published["improvements"],
        json!([{"title": "Кулер в зале ожидания", "done_on": "2026-03-25"},
               {"title": "Электронная очередь", "done_on": "2026-03-20"}])
    );
    assert_eq!(region["answers"].as_array().unwrap().len(), 2);
    assert_eq!(region["improvements"].as_array().unwrap().len(), 3);
    // Never a citizen's text, a draft, or who answered — in the JSON or on the page.
    let text = published.to_string() + &region.to_string();
    for citizen in [
        secret,
        "Дайте кулер",
        "Грубый охранник",
        "Нет пандуса",
        "ждала 2 часа",
    ] {
        assert!(!text.contains(citizen), "{citizen} leaked: {text}");
        assert!(!html.contains(citizen), "{citizen} leaked on the page");
    }
    for hidden in ["Черновик ответа", "official", "8 800"] {
        assert!(!text.contains(hidden), "{hidden} published: {text}");
        assert!(!html.contains(hidden), "{hidden} on the page");
    }
    assert_eq!(page_status, 200);
    assert!(page_type.starts_with("text/html"), "{page_type}");
    assert!(html.contains("<html lang=\"ru\">"));
    assert!(html.contains("<h1>Вы сказали — мы сделали</h1>"));
    assert!(html.contains("КЦСОН «Тест», филиал"));
    assert!(html.contains("Открыли второе окно. Вопросы: ***"));
    assert!(html.contains("Электронная очередь"));
    assert!(html.contains("<time datetime=\"2026-03-20\">20 марта 2026 г.</time>"));
    assert!(html.contains("src=\"/r/assets/public.js\""));

    // The measures: listed in scope, and in the НСИ report of their situation.
    let titles: Vec<&str> = listed["improvements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Электронная очередь"]);
    assert_eq!(
        report["improvements"],
        json!([{"org": "inst-a", "org_name": "КЦСОН «Тест», филиал",
                "title": "Электронная очередь", "stage": "registration",
                "stage_name": "Регистрация", "done_on": "2026-03-20"}])
    );
    // …and in the workbook of that report, as a date cell beside the stage's name.
    let res = app
        .get_as(
            "/api/v1/export/nsi-report.xlsx",
            Some(official),
            &[("org", "reg"), ("life_situation", LS), ("year", "2026")],
        )
        .await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.expect("the workbook");
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("xlsx");
    let sheet = book.worksheet_range("Меры").expect("Меры");
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    assert_eq!(
        rows,
        [
            ["Дата", "Учреждение", "Этап", "Мера"],
            [
                "2026-03-20",
                "КЦСОН «Тест», филиал",
                "Регистрация",
                "Электронная очередь"
            ]
        ]
    );

    // An org with nothing yet, and unknown ones.
    let empty = app.get("/r/inst-c").await.text().await.unwrap();
    assert!(empty.contains("Пока здесь ничего нет"), "{empty}");
    assert_error(
        app.get("/api/v1/public/orgs/nowhere/answers").await,
        404,
        "unknown_org",
    )
    .await;
    let missing = app.get("/r/nowhere").await;
    assert_eq!(missing.status().as_u16(), 404);
    let missing = missing.text().await.unwrap();
    assert!(missing.contains("<html lang=\"ru\">") && missing.contains("Страница не найдена"));
    for asset in ["/r/assets/public.css", "/r/assets/public.js"] {
        assert_eq!(app.get(asset).await.status().as_u16(), 200, "{asset}");
    }
}
