//! The time respondents report (issue 16, item 2: «an optional respondent-reported time
//! question that points may add»): a `number` question with a `time_unit`, appended as an
//! approved auxiliary block to a frozen questionnaire or asked by a custom one, gives the НСИ
//! report's `time.reported` per quarter — answers, median and longest in the report's unit,
//! on each institution's local calendar, walk-throughs and unbound points left out — against
//! the test's own recount, and the same rows in the workbook; it never enters the measured
//! KPI — on another instance of the same database too, which did not see the questions
//! published. A question id keeps its unit across versions: a change is refused and stores
//! nothing.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use serde_json::{json, Value};

use crate::helpers::{assert_error, spawn_app, Backend, ServeProcess, TestApp};
use crate::nsi::{call, json_status, CZN_VL};
use crate::on_both_backends;
use crate::stats::assert_close;

on_both_backends!(reported_times_are_a_figure_apart_per_local_quarter);

const PASSWORD: &str = "password-12345";
const LS: &str = "job-via-employment-centre";

/// The custom questionnaire whose only question is the reported wait, in hours.
fn waiting_questionnaire(version: u32, unit: &str) -> Value {
    json!({"id": "czn-wait", "version": version, "title": "Ожидание в ЦЗН",
           "questions": [{"id": "waited", "kind": "number", "required": true, "integer": true,
                          "text": "Сколько часов Вы ждали решения?", "min": 0, "max": 500,
                          "time_unit": unit}]})
}

fn response(
    point: &str,
    questionnaire: (&str, u32),
    channel: &str,
    at: &str,
    answers: Value,
) -> Value {
    json!({"id": uuid::Uuid::now_v7().to_string(), "point": point,
           "questionnaire": questionnaire.0, "version": questionnaire.1, "channel": channel,
           "submitted_at": at, "answers": answers})
}

/// `nsi-satisfaction` v2's answers: the core all «Да», the appended reported days.
fn nsi_answers(days: Option<u32>) -> Value {
    let mut answers = vec![json!({"q": "process", "v": "yes"})];
    for q in ["documents", "duration", "simplicity", "support"] {
        answers.push(json!({"q": q, "v": "yes"}));
    }
    answers.push(json!({"q": "nps", "v": 9}));
    if let Some(d) = days {
        answers.push(json!({"q": "took_days", "v": d}));
    }
    Value::Array(answers)
}

/// The median of a list, as the report defines it (the mean of the two middle values).
fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

async fn publish(app: &TestApp, admin: &str, q: &Value) -> reqwest::Response {
    call(app, "POST", "/api/v1/questionnaires", Some(admin), Some(q)).await
}

async fn report(app: &TestApp, token: &str) -> Value {
    let path = format!("/api/v1/nsi/report?org=reg&life_situation={LS}&year=2026");
    json_status(call(app, "GET", &path, Some(token), None).await, 200).await
}

/// Checks `time.reported` against the recount, every value in `unit` (days → factor).
fn assert_reported(report: &Value, want: &BTreeMap<&str, Vec<f64>>, factor: f64) {
    let got = report["kpis"]["time"]["reported"]
        .as_array()
        .expect("reported");
    let quarters: Vec<&str> = got.iter().filter_map(|q| q["quarter"].as_str()).collect();
    assert_eq!(
        quarters,
        want.keys().copied().collect::<Vec<_>>(),
        "{got:?}"
    );
    for (q, (name, values)) in got.iter().zip(want) {
        let scaled: Vec<f64> = values.iter().map(|v| v * factor).collect();
        assert_eq!(q["n"], json!(values.len()), "{name}");
        assert_close(
            &format!("{name} median"),
            &q["median"],
            Some(median(&scaled)),
            1e-9,
        );
        let longest = scaled.iter().copied().fold(f64::MIN, f64::max);
        assert_close(
            &format!("{name} longest"),
            &q["longest"],
            Some(longest),
            1e-9,
        );
    }
}

async fn reported_times_are_a_figure_apart_per_local_quarter(backend: Backend) {
    // Arrange: the standard tree (its `dep-nsi` point asks nsi-satisfaction for ЖС-8 in
    // Moscow) and an employment centre in Vladivostok.
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let admin = app.admin_token().await;
    app.add_user("official-a", PASSWORD, "official", Some("reg"))
        .await;
    let official = app.login("official-a", PASSWORD).await;
    app.add_orgs(&[CZN_VL]).await;
    // A second instance on the same database, started before anything below is published: it
    // reports what the first one publishes without being told (several instances on one
    // PostgreSQL; on SQLite, two processes on one file).
    let other = ServeProcess::start(&app.db_url, &[]).await;

    // nsi-satisfaction v2 appends an approved «how many days» question; a custom
    // questionnaire asks the wait in hours.
    let mut v2 = json_status(
        app.get("/api/v1/questionnaires/nsi-satisfaction/1").await,
        200,
    )
    .await;
    v2["version"] = json!(2);
    v2["questions"]
        .as_array_mut()
        .expect("questions")
        .push(json!({
        "id": "took_days", "kind": "number", "required": false, "integer": true,
        "text": "Сколько дней прошло от обращения до трудоустройства?",
        "subtitle": "в календарных днях", "min": 0, "max": 365, "time_unit": "days",
        "auxiliary": {"approved_by": "Региональный штаб по НСИ", "approved_at": "2026-01-15"}}));
    json_status(publish(&app, &admin, &v2).await, 201).await;
    json_status(
        publish(&app, &admin, &waiting_questionnaire(1, "hours")).await,
        201,
    )
    .await;
    app.add_point(
        "p-vl-wait",
        "czn-vl",
        "czn-wait",
        Some((LS, "registration")),
    )
    .await;
    app.add_point("p-vl-unbound", "czn-vl", "czn-wait", None)
        .await;

    // Answers, and the recount in days by local quarter.
    let mut want: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut citizens = Vec::new();
    for (days, at, quarter) in [
        (10, "2026-02-03T10:00:00+03:00", "2026Q1"),
        (40, "2026-02-04T10:00:00+03:00", "2026Q1"),
        (20, "2026-03-05T10:00:00+03:00", "2026Q1"),
        (30, "2026-03-31T23:30:00+03:00", "2026Q1"),
        (7, "2026-08-01T10:00:00+03:00", "2026Q3"),
        (5, "2026-09-01T10:00:00+03:00", "2026Q3"),
    ] {
        citizens.push(response(
            "dep-nsi",
            ("nsi-satisfaction", 2),
            "qr",
            at,
            nsi_answers(Some(days)),
        ));
        want.entry(quarter).or_default().push(f64::from(days));
    }
    // A v1 answer and a v2 one that skipped the question add nothing.
    citizens.push(response(
        "dep-nsi",
        ("nsi-satisfaction", 1),
        "qr",
        "2026-02-10T10:00:00+03:00",
        nsi_answers(None),
    ));
    citizens.push(response(
        "dep-nsi",
        ("nsi-satisfaction", 2),
        "link",
        "2026-02-11T10:00:00+03:00",
        nsi_answers(None),
    ));
    // 31 March 15:00 UTC is 1 April 01:00 in Vladivostok: the second quarter there.
    for (hours, at, quarter) in [
        (24, "2026-02-10T12:00:00+10:00", "2026Q1"),
        (48, "2026-03-31T15:00:00Z", "2026Q2"),
        (12, "2026-03-31T16:30:00Z", "2026Q2"),
    ] {
        citizens.push(response(
            "p-vl-wait",
            ("czn-wait", 1),
            "qr",
            at,
            json!([{"q": "waited", "v": hours}]),
        ));
        want.entry(quarter)
            .or_default()
            .push(f64::from(hours) / 24.0);
    }
    // Not the situation's: a point bound to none.
    citizens.push(response(
        "p-vl-unbound",
        ("czn-wait", 1),
        "qr",
        "2026-02-12T12:00:00+10:00",
        json!([{"q": "waited", "v": 400}]),
    ));
    app.submit(&citizens, None).await;
    // A walk-through never counts.
    let walk = response(
        "dep-nsi",
        ("nsi-satisfaction", 2),
        "observation",
        "2026-02-20T10:00:00+03:00",
        nsi_answers(Some(300)),
    );
    app.submit(&[walk], Some(&admin)).await;

    // Act + assert: days by default, a figure apart from the (unmeasured) KPI.
    let days = report(&app, &official).await;
    let time = &days["kpis"]["time"];
    assert_eq!(time["unit"], "days");
    assert_eq!(
        time["quarters"],
        json!([]),
        "no process measurement was entered"
    );
    assert_eq!(time["achieved"], Value::Null);
    assert_reported(&days, &want, 1.0);

    // With a time target in hours the report's unit is hours, and so are the reports.
    let target = json!({"org": "reg", "life_situation": LS, "kpi": "time", "year": 2026,
                        "value": 240, "unit": "hours", "method": "manual",
                        "source": "Протокол РШ № 3", "approved_by": "Региональный штаб",
                        "approved_at": "2026-02-10"});
    json_status(
        call(
            &app,
            "PUT",
            "/api/v1/nsi/targets",
            Some(&official),
            Some(&target),
        )
        .await,
        200,
    )
    .await;
    let hours = report(&app, &official).await;
    assert_eq!(hours["kpis"]["time"]["unit"], "hours");
    assert_eq!(
        hours["kpis"]["time"]["achieved"],
        Value::Null,
        "nothing measured"
    );
    assert_reported(&hours, &want, 24.0);
    let other_token: Value = app
        .client
        .post(format!("{}/api/v1/auth/login", other.address))
        .json(&json!({"login": "official-a", "password": PASSWORD}))
        .send()
        .await
        .expect("a reply")
        .json()
        .await
        .expect("JSON");
    let seen = app
        .client
        .get(format!(
            "{}/api/v1/nsi/report?org=reg&life_situation={LS}&year=2026",
            other.address
        ))
        .bearer_auth(other_token["token"].as_str().expect("a token"))
        .send()
        .await
        .expect("a reply");
    let seen: Value = seen.json().await.expect("JSON");
    assert_eq!(
        seen["kpis"]["time"], hours["kpis"]["time"],
        "the other instance reads the questions published after it started"
    );

    // The workbook carries the same rows, labelled apart from the measured time.
    let res = call(
        &app,
        "GET",
        &format!("/api/v1/export/nsi-report.xlsx?org=reg&life_situation={LS}&year=2026"),
        Some(&official),
        None,
    )
    .await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.expect("the workbook");
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("xlsx");
    let sheet = book.worksheet_range("Показатели").expect("Показатели");
    let rows: Vec<Vec<Data>> = sheet
        .rows()
        .filter(|r| r[0] == Data::String("Время со слов граждан (медиана)".into()))
        .map(<[Data]>::to_vec)
        .collect();
    let reported = hours["kpis"]["time"]["reported"]
        .as_array()
        .expect("reported");
    assert_eq!(rows.len(), reported.len());
    for (row, q) in rows.iter().zip(reported) {
        assert_eq!(row[1], Data::String("часы".into()));
        assert_eq!(
            row[2],
            Data::String(q["quarter"].as_str().unwrap_or_default().into())
        );
        assert_eq!(row[3], Data::Float(q["n"].as_f64().unwrap_or_default()));
        assert_eq!(
            row[4],
            Data::Float(q["median"].as_f64().unwrap_or_default())
        );
        assert_eq!(row[11], Data::Empty, "no target beside a reported figure");
    }

    // Refused, nothing stored: a question id whose unit changes, a time on a yes/no
    // question, an unknown unit.
    assert_error(
        publish(&app, &admin, &waiting_questionnaire(2, "days")).await,
        422,
        "invalid_questionnaire",
    )
    .await;
    let mut yes_no = waiting_questionnaire(2, "hours");
    yes_no["questions"][0]["kind"] = json!("yes_no");
    assert_error(
        publish(&app, &admin, &yes_no).await,
        422,
        "invalid_questionnaire",
    )
    .await;
    assert_error(
        publish(&app, &admin, &waiting_questionnaire(2, "weeks")).await,
        400,
        "malformed_json",
    )
    .await;
    assert_eq!(
        app.get("/api/v1/questionnaires/czn-wait/2")
            .await
            .status()
            .as_u16(),
        404,
        "no second version was published"
    );
    assert_eq!(
        report(&app, &official).await,
        hours,
        "the report is unchanged"
    );
}
