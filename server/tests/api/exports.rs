//! The exports read by real readers: `stats.csv` (both separators) against `/stats`;
//! `stats.xlsx` through calamine and through headless LibreOffice against `stats.csv`;
//! `responses.sqlite` through the `sqlite3` shell against `responses.csv`; masking in both;
//! who may download what.
//!
//! Long because each export is checked by a reader other than our code (csv, calamine,
//! LibreOffice, the sqlite3 shell) against the numbers and rows it must carry.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use serde_json::{json, Value};

use crate::data::{self, utc, Generator};
use crate::helpers::{assert_error, spawn_app, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    stats_exports_carry_the_numbers_of_stats_in_csv_xlsx_and_libreoffice,
    responses_sqlite_holds_the_rows_of_responses_csv_masked,
    exports_refuse_other_regions_operators_and_bad_parameters,
);

/// A download that must succeed: its bytes.
async fn download(app: &TestApp, path: &str, token: &str, query: &[(&str, &str)]) -> Vec<u8> {
    let res = app.get_as(path, Some(token), query).await;
    assert_eq!(res.status(), 200, "{path} {query:?}");
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=")
            && disposition.contains("filename*=UTF-8''")
    );
    assert_eq!(res.headers()["x-otklik-questionnaire-versions"], "1");
    assert!(!res.headers()["x-otklik-methodology"].is_empty());
    res.bytes().await.expect("body").to_vec()
}

/// Seeds the standard tree and `n` generated `nsi-satisfaction` responses per point of inst-a,
/// its department and inst-b, plus observations (never counted in figures).
async fn seeded(backend: Backend, n: usize) -> (TestApp, String) {
    let app = spawn_app(backend).await;
    app.seed_standard().await;
    let admin = app.admin_token().await;
    let q = data::questionnaire("nsi-satisfaction");
    let mut g = Generator::new(14);
    let mut items = Vec::new();
    for point in ["a-nsi", "dep-nsi", "b-nsi"] {
        for i in 0..n {
            let channel = if i % 10 == 9 { "observation" } else { "qr" };
            let at = g.instant(utc(2026, 1, 1), utc(2026, 3, 1));
            items.push(g.response(point, &q, channel, at));
        }
    }
    for chunk in items.chunks(200) {
        app.submit(chunk, Some(&admin)).await;
    }
    (app, admin)
}

fn records(bytes: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("a CSV record").iter().map(str::to_owned).collect())
        .collect()
}

/// Equal numbers: the CSV's shortest exact text reads back as the server's very value, but
/// serde_json's default float parser (no `float_roundtrip`) may land one ulp off when the test
/// reads `/stats`, so the comparison allows two ulps and nothing more.
fn same_number(got: Option<f64>, want: Option<f64>) -> bool {
    match (got, want) {
        (Some(g), Some(w)) => (g - w).abs() <= 2.0 * f64::EPSILON * w.abs().max(1.0),
        (g, w) => g == w,
    }
}

/// The cells `/stats` gives for the columns of stats.csv: `<q>.<figure>` → number.
fn expected_cell(stats: &Value, column: &str) -> Option<f64> {
    match column {
        "responses" => stats["responses"].as_f64(),
        _ => {
            let (q, figure) = column.split_once('.').expect("q.figure");
            let s = &stats["questions"][q];
            match figure {
                "ci_low" => s["ci95"][0].as_f64(),
                "ci_high" => s["ci95"][1].as_f64(),
                other => s[other].as_f64(),
            }
        }
    }
}

async fn stats_exports_carry_the_numbers_of_stats_in_csv_xlsx_and_libreoffice(backend: Backend) {
    // Arrange
    let (app, token) = seeded(backend, 40).await;
    let query = [
        ("org", "reg"),
        ("questionnaire", "nsi-satisfaction"),
        ("from", "2026-01-01"),
        ("to", "2026-02-28"),
    ];

    // Act
    let comma = download(&app, "/api/v1/export/stats.csv", &token, &query).await;
    let mut semi_query = query.to_vec();
    semi_query.push(("sep", "semicolon"));
    let semicolon = download(&app, "/api/v1/export/stats.csv", &token, &semi_query).await;
    let xlsx = download(&app, "/api/v1/export/stats.xlsx", &token, &query).await;

    // Assert: the BOM, then rows reg, inst-a, inst-b (inst-c has no such responses).
    assert!(
        comma.starts_with("\u{feff}".as_bytes()) && semicolon.starts_with("\u{feff}".as_bytes())
    );
    let rows = records(&comma[3..], b',');
    let semi_rows = records(&semicolon[3..], b';');
    let header = &rows[0];
    assert_eq!(&header[..4], ["org", "name", "responses", "process.n"]);
    assert!(
        header.contains(&"process.satisfied_pct".to_owned())
            && header.contains(&"nps.ci_high".to_owned())
    );
    assert!(
        header.contains(&"suggestions.n".to_owned())
            && !header.contains(&"suggestions.ci_low".to_owned())
    );
    let orgs: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(orgs, ["reg", "inst-a", "inst-b"]);
    assert_eq!(semi_rows.len(), rows.len());
    for (row, semi) in rows[1..].iter().zip(&semi_rows[1..]) {
        let mut q: Vec<(&str, &str)> = query.to_vec();
        q[0] = ("org", &row[0]);
        let stats = app.stats(&token, &q).await;
        for (i, column) in header.iter().enumerate().skip(2) {
            let want = expected_cell(&stats, column);
            let got = (!row[i].is_empty()).then(|| row[i].parse::<f64>().expect("a number"));
            assert!(
                same_number(got, want),
                "{} {column}: {got:?} vs {want:?}",
                row[0]
            );
            assert_eq!(
                semi[i],
                row[i].replace('.', ","),
                "{} {column} with ;",
                row[0]
            );
        }
    }

    // calamine reads the same numbers as numeric cells under Russian headers.
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(xlsx.clone())).expect("xlsx");
    assert_eq!(book.sheet_names(), ["Итоги", "Методика"]);
    let sheet = book.worksheet_range("Итоги").expect("Итоги");
    let cells: Vec<Vec<Data>> = sheet.rows().map(<[Data]>::to_vec).collect();
    assert_eq!(cells[0][0], Data::String("Код".into()));
    assert!(matches!(&cells[0][4], Data::String(h) if h.contains("доля удовл., %")));
    assert_eq!(cells.len(), rows.len());
    for (xrow, row) in cells.iter().zip(&rows).skip(1) {
        assert_eq!(xrow[0], Data::String(row[0].clone()));
        for (i, text) in row.iter().enumerate().skip(2) {
            let got = match &xrow[i] {
                Data::Float(v) => Some(*v),
                Data::Int(v) => Some(*v as f64),
                Data::Empty => None,
                other => panic!("{} column {i}: {other:?}", row[0]),
            };
            assert_eq!(
                got,
                (!text.is_empty()).then(|| text.parse::<f64>().unwrap()),
                "{} column {i}",
                row[0]
            );
        }
    }
    let method = book.worksheet_range("Методика").expect("Методика");
    let method: Vec<String> = method
        .rows()
        .map(|r| {
            r.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect();
    assert!(
        method
            .iter()
            .any(|l| l.starts_with("Версии анкеты") && l.ends_with("| 1")),
        "{method:?}"
    );
    assert!(
        method
            .iter()
            .any(|l| l.starts_with("Версия методики") && l.contains("nok-344n")),
        "{method:?}"
    );
    assert!(
        method.iter().any(|l| l.contains("2026-01-01 — 2026-02-28")),
        "{method:?}"
    );

    // Headless LibreOffice converts the workbook to the same numbers (raw values, not as shown).
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("stats.xlsx");
    std::fs::write(&path, &xlsx).expect("write xlsx");
    let converted = libreoffice_csv(dir.path(), &path).await;
    let office = records(converted.trim_start_matches('\u{feff}').as_bytes(), b',');
    assert_eq!(office.len(), rows.len(), "{converted}");
    for (orow, row) in office.iter().zip(&rows).skip(1) {
        assert_eq!(orow[0], row[0]);
        for (i, text) in row.iter().enumerate().skip(2) {
            let (got, want) = (orow[i].parse::<f64>().ok(), text.parse::<f64>().ok());
            match (got, want) {
                // LibreOffice writes 15 significant digits.
                (Some(g), Some(w)) => assert!(
                    (g - w).abs() <= 1e-12 * w.abs().max(1.0),
                    "{} column {i}: {g} vs {w}",
                    row[0]
                ),
                (g, w) => assert_eq!(g, w, "{} column {i}", row[0]),
            }
        }
    }
}

/// `soffice --headless --convert-to csv` of the first sheet, with raw cell values, in a
/// temporary HOME so no user profile is touched.
async fn libreoffice_csv(dir: &Path, xlsx: &Path) -> String {
    let out = tokio::process::Command::new("soffice")
        .env("HOME", dir)
        .args([
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false",
            "--outdir",
        ])
        .arg(dir)
        .arg(xlsx)
        .output()
        .await
        .expect("soffice runs (scripts/setup.sh --test installs libreoffice-calc-nogui)");
    assert!(
        out.status.success(),
        "soffice: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(dir.join("stats.csv")).expect("soffice wrote stats.csv")
}

async fn responses_sqlite_holds_the_rows_of_responses_csv_masked(backend: Backend) {
    // Arrange: generated responses and one with personal data in a comment and a free text.
    let (app, token) = seeded(backend, 12).await;
    let mut personal = data::nsi_satisfaction(&data::new_id(), "a-nsi");
    personal["answers"][0]["comment"] = json!("звоните +7 (912) 345-67-89, Меня зовут Иван Петров");
    personal["answers"][6]["v"] = json!("пишите ivan.petrov@mail.ru");
    app.submit(&[personal], None).await;
    let query = [("org", "reg"), ("questionnaire", "nsi-satisfaction")];

    // Act
    let csv = download(&app, "/api/v1/export/responses.csv", &token, &query).await;
    let sqlite = download(&app, "/api/v1/export/responses.sqlite", &token, &query).await;

    // Assert: one row per stored response, every channel, masked, no device or address.
    let text = String::from_utf8(csv.clone()).unwrap();
    assert!(
        text.contains("звоните ***, Меня зовут ***") && text.contains("пишите ***"),
        "{text}"
    );
    assert!(!text.contains("912") && !text.contains('@'));
    let mut rows = records(&csv, b',');
    let header = rows.remove(0);
    assert_eq!(
        &header[..7],
        [
            "id",
            "point",
            "org",
            "channel",
            "submitted_at",
            "process",
            "process.comment"
        ]
    );
    assert!(header.contains(&"nps".to_owned()) && !header.contains(&"nps.comment".to_owned()));
    assert_eq!(rows.len(), 3 * 12 + 1);
    assert_eq!(rows.len() as i64, app.sql.count_responses().await);
    assert!(rows.iter().any(|r| r[3] == "observation"));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("responses.sqlite");
    std::fs::write(&file, &sqlite).unwrap();
    let shell = sqlite3(&file, "select * from responses order by id").await;
    let mut from_shell = records(shell.as_bytes(), b',');
    assert_eq!(from_shell.remove(0), header, "the same columns");
    rows.sort();
    assert_eq!(from_shell, rows, "the same rows and answers");
    let meta = sqlite3(&file, "select key, value from meta order by key").await;
    assert!(
        meta.contains("questionnaire_versions,1") && meta.contains("methodology,nok-344n"),
        "{meta}"
    );
    let counts = sqlite3(&file, "select (select count(*) from questions), (select count(*) from points), (select count(*) from orgs)").await;
    assert_eq!(counts.lines().nth(1), Some("7,3,6"), "{counts}");
}

/// The `sqlite3` shell's CSV output with a header line.
async fn sqlite3(file: &Path, sql: &str) -> String {
    let out = tokio::process::Command::new("sqlite3")
        .args(["-csv", "-header"])
        .arg(file)
        .arg(sql)
        .output()
        .await
        .expect("sqlite3 runs (scripts/setup.sh --test installs it)");
    assert!(
        out.status.success(),
        "sqlite3: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

const EXPORTS: [&str; 4] = [
    "/api/v1/export/stats.csv",
    "/api/v1/export/stats.xlsx",
    "/api/v1/export/responses.csv",
    "/api/v1/export/responses.sqlite",
];

async fn exports_refuse_other_regions_operators_and_bad_parameters(backend: Backend) {
    // Arrange
    let (app, _) = seeded(backend, 2).await;
    app.add_orgs(&[(
        "reg2",
        "Другая область",
        "region",
        None,
        None,
        Some("Europe/Moscow"),
    )])
    .await;
    for (login, role, scope) in [
        ("other", "official", "reg2"),
        ("op", "operator", "inst-a"),
        ("obs", "observer", "reg"),
    ] {
        app.add_user(login, "password-123", role, Some(scope)).await;
    }
    let other = app.login("other", "password-123").await;
    let operator = app.login("op", "password-123").await;
    let observer = app.login("obs", "password-123").await;
    let q = [("org", "inst-a"), ("questionnaire", "nsi-satisfaction")];

    for path in EXPORTS {
        // Act + Assert
        assert_error(app.get_as(path, None, &q).await, 401, "unauthorized").await;
        assert_error(
            app.get_as(path, Some(&other), &q).await,
            403,
            "out_of_scope",
        )
        .await;
        assert_error(
            app.get_as(path, Some(&operator), &q).await,
            403,
            "forbidden",
        )
        .await;
        let res = app.get_as(path, Some(&observer), &q).await;
        assert_eq!(
            res.status(),
            200,
            "an observer reads {path} (free text masked)"
        );
        let unknown = [("org", "nowhere"), ("questionnaire", "nsi-satisfaction")];
        assert_error(
            app.get_as(path, Some(&observer), &unknown).await,
            404,
            "unknown_org",
        )
        .await;
        let unknown = [("org", "reg"), ("questionnaire", "nothing")];
        assert_error(
            app.get_as(path, Some(&observer), &unknown).await,
            404,
            "unknown_questionnaire",
        )
        .await;
        assert_error(
            app.get_as(path, Some(&observer), &[("org", "reg")]).await,
            400,
            "bad_parameter",
        )
        .await;
        let bad_date = [
            ("org", "reg"),
            ("questionnaire", "express"),
            ("from", "01.03.2026"),
        ];
        assert_error(
            app.get_as(path, Some(&observer), &bad_date).await,
            400,
            "bad_parameter",
        )
        .await;
    }
    let bad_sep = [("org", "reg"), ("questionnaire", "express"), ("sep", "tab")];
    assert_error(
        app.get_as(EXPORTS[0], Some(&observer), &bad_sep).await,
        400,
        "bad_parameter",
    )
    .await;
}
