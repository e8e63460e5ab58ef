//! The `otklik` command line, run as a real process: org nesting, all-or-nothing imports,
//! points, users, the audit of the response log and backups.
//!
//! Long because each command is run end to end with its refusals as a table of cases.

use serde_json::{json, Value};

use crate::data;
use crate::helpers::{run_cli, Backend, CliOutput, Sql, TestApp, TestDb};
use crate::on_both_backends;

on_both_backends!(
    org_add_refuses_bad_nesting_with_a_one_line_error,
    org_import_is_all_or_nothing_names_the_bad_line_and_keeps_quoted_names,
    point_add_refuses_unknown_life_situations_stages_and_orgs,
    a_user_added_with_password_stdin_can_log_in,
    audit_verify_passes_on_intact_demo_data_and_names_a_tampered_record,
    backup_writes_a_copy_with_the_same_responses,
    a_backup_taken_while_serve_ingests_is_consistent,
);

/// Asserts a refusal: non-zero exit, one human line on stderr mentioning `mentions`.
fn assert_refused(what: &str, out: &CliOutput, mentions: &[&str]) {
    assert!(
        !out.success,
        "{what} must fail, it printed {:?}",
        out.stdout
    );
    let line = out.stderr.trim();
    assert_eq!(
        line.lines().count(),
        1,
        "{what}: one line on stderr, got {:?}",
        out.stderr
    );
    for m in mentions {
        assert!(line.contains(m), "{what}: the error names {m:?}: {line:?}");
    }
}

fn assert_ok(what: &str, out: &CliOutput) {
    assert!(
        out.success,
        "{what} failed: stdout {:?}, stderr {:?}",
        out.stdout, out.stderr
    );
}

async fn org_add_refuses_bad_nesting_with_a_one_line_error(backend: Backend) {
    // Arrange
    let db = TestDb::new(backend).await;
    let url = db.url.clone();
    let add = |args: &[&str]| {
        let mut all = vec!["org", "add"];
        all.extend_from_slice(args);
        let url = url.clone();
        let all: Vec<String> = all.into_iter().map(str::to_owned).collect();
        async move {
            let refs: Vec<&str> = all.iter().map(String::as_str).collect();
            run_cli(&url, &refs, None).await
        }
    };
    let out = add(&["--code", "reg", "--name", "Область", "--kind", "region"]).await;
    assert_ok("a region at the root", &out);
    assert!(out.stdout.contains("reg"), "{out:?}");
    let ok = [
        (
            "a municipality under a region",
            [
                "--code",
                "mun",
                "--name",
                "Район",
                "--kind",
                "municipality",
                "--parent",
                "reg",
            ],
        ),
        (
            "an authority under a municipality",
            [
                "--code",
                "auth",
                "--name",
                "Управление",
                "--kind",
                "authority",
                "--parent",
                "mun",
            ],
        ),
        (
            "an institution under an authority",
            [
                "--code",
                "inst",
                "--name",
                "Школа",
                "--kind",
                "institution",
                "--parent",
                "auth",
            ],
        ),
        (
            "a department under an institution",
            [
                "--code",
                "dep",
                "--name",
                "Филиал",
                "--kind",
                "department",
                "--parent",
                "inst",
            ],
        ),
    ];
    for (what, args) in ok {
        assert_ok(what, &add(&args).await);
    }
    let refused: [(&str, Vec<&str>, &[&str]); 8] = [
        (
            "an institution at the root",
            vec!["--code", "x1", "--name", "X", "--kind", "institution"],
            &["institution", "root"],
        ),
        (
            "a department under a region",
            vec![
                "--code",
                "x2",
                "--name",
                "X",
                "--kind",
                "department",
                "--parent",
                "reg",
            ],
            &["department", "region"],
        ),
        (
            "a municipality under an institution",
            vec![
                "--code",
                "x3",
                "--name",
                "X",
                "--kind",
                "municipality",
                "--parent",
                "inst",
            ],
            &["municipality", "institution"],
        ),
        (
            "a region under a region",
            vec![
                "--code", "x4", "--name", "X", "--kind", "region", "--parent", "reg",
            ],
            &["region"],
        ),
        (
            "an institution under a department",
            vec![
                "--code",
                "x5",
                "--name",
                "X",
                "--kind",
                "institution",
                "--parent",
                "dep",
            ],
            &["institution", "department"],
        ),
        (
            "an unknown parent",
            vec![
                "--code",
                "x6",
                "--name",
                "X",
                "--kind",
                "institution",
                "--parent",
                "nowhere",
            ],
            &["nowhere"],
        ),
        (
            "an unknown time zone",
            vec![
                "--code",
                "x7",
                "--name",
                "X",
                "--kind",
                "institution",
                "--parent",
                "reg",
                "--tz",
                "Mars/Olympus",
            ],
            &["Mars/Olympus"],
        ),
        (
            "an existing code",
            vec![
                "--code",
                "inst",
                "--name",
                "X",
                "--kind",
                "institution",
                "--parent",
                "reg",
            ],
            &["inst"],
        ),
    ];

    for (what, args, mentions) in refused {
        // Act
        let out = add(&args).await;

        // Assert
        assert_refused(what, &out, mentions);
    }
    let sql = Sql::connect(&db.url, db.backend).await;
    for code in ["x1", "x2", "x3", "x4", "x5", "x6", "x7"] {
        assert_eq!(sql.org_name(code).await, None, "{code} was not created");
    }
    assert_eq!(sql.org_name("inst").await.as_deref(), Some("Школа"));
    sql.close().await;
}

async fn org_import_is_all_or_nothing_names_the_bad_line_and_keeps_quoted_names(backend: Backend) {
    // Arrange
    let db = TestDb::new(backend).await;
    let dir = tempfile::tempdir().expect("temporary directory");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write the CSV");
        path.display().to_string()
    };
    let bad_parent = write(
        "bad-parent.csv",
        "code,name,kind,parent,sector,tz\n\
         reg,Область,region,,,Europe/Moscow\n\
         k1,\"КЦСОН «Заречье», филиал\",institution,reg,social,\n\
         k2,Школа,institution,nowhere,education,\n\
         k3,Музей,institution,reg,culture,\n",
    );
    let bad_kind = write(
        "bad-kind.csv",
        "code,name,kind,parent,sector,tz\nreg,Область,region,,,\nk1,Школа,school,reg,education,\n",
    );
    let ragged = write(
        "ragged.csv",
        "code,name,kind,parent,sector,tz\nreg,Область,region,,,\nk1,Школа\n",
    );
    let bad_nesting = write(
        "bad-nesting.csv",
        "code,name,kind,parent,sector,tz\nreg,Область,region,,,\nk1,Школа,institution,,education,\n",
    );
    let good = write(
        "good.csv",
        "\u{feff}code,name,kind,parent,sector,tz,settlement,bus_gov_id\n\
         reg,\"Область, Северная\",region,,,Asia/Yekaterinburg,,\n\
         k1,\"КЦСОН «Заречье», филиал\",institution,reg,social,,rural,123\n\
         k2,\"Школа \"\"Ромашка\"\", корпус 2\",institution,reg,education,Europe/Moscow,urban,\n\
         k2-dep,Отделение,department,k2,,,,\n",
    );
    let cases = [
        ("an unknown parent on line 4", &bad_parent, "line 4"),
        ("an unknown kind on line 3", &bad_kind, "line 3"),
        ("a ragged line 3", &ragged, "line 3"),
        (
            "an institution at the root on line 3",
            &bad_nesting,
            "line 3",
        ),
    ];

    for (what, file, line) in cases {
        // Act
        let out = run_cli(&db.url, &["org", "import", file], None).await;

        // Assert
        assert_refused(what, &out, &[line]);
    }
    let sql = Sql::connect(&db.url, db.backend).await;
    assert_eq!(
        sql.scalar("select count(*) from orgs").await,
        0,
        "a refused import imports nothing"
    );

    let out = run_cli(&db.url, &["org", "import", &good], None).await;
    assert_ok("the good file", &out);
    assert!(out.stdout.contains('4'), "it says how many: {out:?}");
    assert_eq!(
        sql.org_name("reg").await.as_deref(),
        Some("Область, Северная")
    );
    assert_eq!(
        sql.org_name("k1").await.as_deref(),
        Some("КЦСОН «Заречье», филиал")
    );
    assert_eq!(
        sql.org_name("k2").await.as_deref(),
        Some("Школа \"Ромашка\", корпус 2")
    );
    assert_eq!(
        sql.text("select tz from orgs where code = 'k1'")
            .await
            .as_deref(),
        Some("Asia/Yekaterinburg"),
        "a blank time zone is inherited from the parent"
    );
    let again = run_cli(&db.url, &["org", "import", &good], None).await;
    assert_refused("importing the same codes again", &again, &["line 2"]);
    assert_eq!(sql.scalar("select count(*) from orgs").await, 4);
    sql.close().await;
}

async fn point_add_refuses_unknown_life_situations_stages_and_orgs(backend: Backend) {
    // Arrange
    let db = TestDb::new(backend).await;
    for args in [
        [
            "org",
            "add",
            "--code",
            "reg",
            "--name",
            "Область",
            "--kind",
            "region",
            "",
            "",
        ],
        [
            "org",
            "add",
            "--code",
            "czn",
            "--name",
            "ЦЗН",
            "--kind",
            "institution",
            "--parent",
            "reg",
        ],
    ] {
        let args: Vec<&str> = args.into_iter().filter(|a| !a.is_empty()).collect();
        assert_ok("seeding orgs", &run_cli(&db.url, &args, None).await);
    }
    let point = |extra: &[&'static str]| {
        let mut args = vec![
            "point",
            "add",
            "--code",
            "p1",
            "--org",
            "czn",
            "--questionnaire",
            "nsi-satisfaction",
        ];
        args.extend_from_slice(extra);
        args
    };
    let refused: [(&str, Vec<&str>, &[&str]); 6] = [
        (
            "an unknown life situation",
            point(&["--life-situation", "no-such-situation"]),
            &["no-such-situation"],
        ),
        (
            "a stage of another situation",
            point(&[
                "--life-situation",
                "outpatient-care",
                "--stage",
                "registration",
            ]),
            &["registration"],
        ),
        (
            "an unknown stage",
            point(&[
                "--life-situation",
                "job-via-employment-centre",
                "--stage",
                "lunch",
            ]),
            &["lunch"],
        ),
        (
            "a stage without a situation",
            point(&["--stage", "visit"]),
            &["life-situation"],
        ),
        (
            "an unknown questionnaire",
            vec![
                "point",
                "add",
                "--code",
                "p1",
                "--org",
                "czn",
                "--questionnaire",
                "nope",
            ],
            &["nope"],
        ),
        (
            "a point on a region",
            vec![
                "point",
                "add",
                "--code",
                "p1",
                "--org",
                "reg",
                "--questionnaire",
                "express",
            ],
            &["reg"],
        ),
    ];

    for (what, args, mentions) in refused {
        // Act
        let out = run_cli(&db.url, &args, None).await;

        // Assert
        assert_refused(what, &out, mentions);
    }
    let sql = Sql::connect(&db.url, db.backend).await;
    assert_eq!(sql.scalar("select count(*) from points").await, 0);
    let out = run_cli(
        &db.url,
        &point(&[
            "--life-situation",
            "job-via-employment-centre",
            "--stage",
            "registration",
        ]),
        None,
    )
    .await;
    assert_ok("a valid point", &out);
    assert!(
        out.stdout.contains("/q/p1"),
        "it prints the point's URL: {out:?}"
    );
    assert_eq!(
        sql.text("select life_situation from points where code = 'p1'")
            .await
            .as_deref(),
        Some("job-via-employment-centre")
    );
    sql.close().await;
}

async fn a_user_added_with_password_stdin_can_log_in(backend: Backend) {
    // Arrange
    let db = TestDb::new(backend).await;
    for args in [
        vec![
            "org",
            "add",
            "--code",
            "reg",
            "--name",
            "Область",
            "--kind",
            "region",
        ],
        vec![
            "org",
            "add",
            "--code",
            "inst",
            "--name",
            "МФЦ",
            "--kind",
            "institution",
            "--parent",
            "reg",
        ],
    ] {
        assert_ok("seeding orgs", &run_cli(&db.url, &args, None).await);
    }
    let add = [
        "user",
        "add",
        "--login",
        "ivanova",
        "--role",
        "official",
        "--scope",
        "inst",
        "--password-stdin",
    ];

    // Act
    let out = run_cli(&db.url, &add, Some("correct horse battery\n")).await;

    // Assert
    assert_ok("user add", &out);
    assert!(
        !out.stdout.contains("correct horse"),
        "the password is never printed"
    );
    let refused: [(&str, Vec<&str>, &str, &[&str]); 4] = [
        (
            "an official without a scope",
            vec![
                "user",
                "add",
                "--login",
                "x1",
                "--role",
                "official",
                "--password-stdin",
            ],
            "long enough pw\n",
            &["scope"],
        ),
        (
            "a short password",
            vec![
                "user",
                "add",
                "--login",
                "x2",
                "--role",
                "admin",
                "--password-stdin",
            ],
            "short\n",
            &["8"],
        ),
        (
            "an unknown role",
            vec![
                "user",
                "add",
                "--login",
                "x3",
                "--role",
                "king",
                "--password-stdin",
            ],
            "long enough pw\n",
            &["role"],
        ),
        (
            "an existing login",
            add.to_vec(),
            "another password\n",
            &["already exists"],
        ),
    ];
    for (what, args, stdin, mentions) in refused {
        assert_refused(what, &run_cli(&db.url, &args, Some(stdin)).await, mentions);
    }
    let app = TestApp::start(db, |_| {}).await;
    let res = app.post_login("ivanova", "correct horse battery").await;
    assert_eq!(res.status(), 200, "the CLI user logs in");
    let body: Value = res.json().await.expect("JSON");
    assert_eq!(
        (body["role"].as_str(), body["scope"].as_str()),
        (Some("official"), Some("inst"))
    );
    assert_eq!(
        app.post_login("ivanova", "correct horse battery\n")
            .await
            .status(),
        401,
        "the newline was not part of the password"
    );
    assert_eq!(app.post_login("x1", "long enough pw").await.status(), 401);
}

async fn audit_verify_passes_on_intact_demo_data_and_names_a_tampered_record(backend: Backend) {
    // Arrange
    let app = TestApp::start(TestDb::new(backend).await, |s| s.serve.demo = true).await;
    let records = app.sql.count_responses().await;
    assert!(records > 1000, "the demo data is loaded ({records})");
    let out = run_cli(&app.db_url, &["audit", "verify"], None).await;
    assert_ok("audit verify on intact data", &out);
    assert!(
        out.stdout.contains("intact") && out.stdout.contains(&records.to_string()),
        "it says the log is intact and how many responses it checked: {out:?}"
    );
    let raw = app
        .sql
        .text("select raw from responses order by raw limit 1 offset 41")
        .await
        .expect("a 42nd response exists");
    let mut item: Value = serde_json::from_str(&raw).expect("raw JSON");
    let id = item["id"].as_str().expect("id").to_owned();
    item["submitted_at"] = Value::from("2026-01-01T12:00:00+03:00");
    let tampered = item.to_string();
    let tamper = "update responses set raw = $1 where raw = $2";
    let refused = app.sql.try_execute_with2(tamper, &tampered, &raw).await;
    assert!(
        refused.as_ref().is_err_and(|e| e.contains("append-only")),
        "responses are append-only: {refused:?}"
    );

    // Act
    app.sql.drop_append_only_triggers().await;
    app.sql
        .try_execute_with2(tamper, &tampered, &raw)
        .await
        .expect("the tampering update");
    let out = run_cli(&app.db_url, &["audit", "verify"], None).await;

    // Assert
    assert_refused("audit verify after tampering", &out, &["record", &id]);
}

async fn backup_writes_a_copy_with_the_same_responses(backend: Backend) {
    // Arrange
    let app = TestApp::start(TestDb::new(backend).await, |s| s.serve.demo = true).await;
    let records = app.sql.count_responses().await;
    let dir = tempfile::tempdir().expect("temporary directory");
    let target = backup_path(&dir, backend);

    // Act
    let out = run_cli(&app.db_url, &["backup", "--to", &target], None).await;

    // Assert
    assert_ok("backup", &out);
    assert_refused(
        "a backup onto an existing file",
        &run_cli(&app.db_url, &["backup", "--to", &target], None).await,
        &["exists"],
    );
    let copy = BackupCopy::open(backend, &target).await;
    assert_eq!(
        copy.sql.count_responses().await,
        records,
        "the copy has every response"
    );
    assert_eq!(
        copy.sql.scalar("select count(*) from response_log").await,
        app.sql.scalar("select count(*) from response_log").await,
        "and every log record"
    );
    copy.assert_consistent().await;
}

async fn a_backup_taken_while_serve_ingests_is_consistent(backend: Backend) {
    // Arrange: batches keep arriving from before the backup starts until after it ends.
    let app = TestApp::start(TestDb::new(backend).await, |s| s.serve.anon_rate_limit = 0).await;
    app.seed_standard().await;
    let dir = tempfile::tempdir().expect("temporary directory");
    let target = backup_path(&dir, backend);
    let url = app.url("/api/v1/responses");
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let ingest = tokio::spawn(async move {
        let client = reqwest::Client::new();
        let mut batches_after_stop = 0;
        loop {
            if *stopped.borrow_and_update() {
                batches_after_stop += 1;
                if batches_after_stop > 2 {
                    return;
                }
            }
            let items: Vec<Value> = (0..200)
                .map(|_| data::express(&data::new_id(), "a-express", "qr"))
                .collect();
            let res = client
                .post(&url)
                .json(&json!({ "responses": items }))
                .send()
                .await
                .expect("POST /responses");
            assert_eq!(res.status(), 200, "a batch during the backup");
        }
    });
    while app.sql.count_responses().await == 0 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }

    // Act
    let out = run_cli(&app.db_url, &["backup", "--to", &target], None).await;
    stop.send(true).expect("the ingest task listens");
    ingest.await.expect("the ingest task");

    // Assert: the copy holds some of the responses, and exactly what its log and rollups say.
    assert_ok("backup during ingest", &out);
    let copy = BackupCopy::open(backend, &target).await;
    let copied = copy.sql.count_responses().await;
    let stored = app.sql.count_responses().await;
    assert!(
        copied > 0 && copied < stored,
        "the copy is a moment of the ingest: {copied} of {stored} responses"
    );
    copy.assert_consistent().await;
}

/// Where a backup goes: a SQLite file or a `pg_dump` archive.
fn backup_path(dir: &tempfile::TempDir, backend: Backend) -> String {
    let name = match backend {
        Backend::Sqlite => "copy.db",
        Backend::Postgres => "copy.pgdump",
    };
    dir.path().join(name).display().to_string()
}

/// A backup opened as a database: the SQLite file itself, or the archive restored by
/// `pg_restore` into a database of its own.
struct BackupCopy {
    url: String,
    sql: Sql,
    _restored: Option<TestDb>,
}

impl BackupCopy {
    async fn open(backend: Backend, target: &str) -> Self {
        let header = std::fs::read(target).expect("the backup file");
        match backend {
            Backend::Sqlite => {
                assert!(header.starts_with(b"SQLite format 3\0"), "a SQLite file");
                let url = format!("sqlite://{target}");
                let sql = Sql::connect(&url, Backend::Sqlite).await;
                Self {
                    url,
                    sql,
                    _restored: None,
                }
            }
            Backend::Postgres => {
                assert!(header.starts_with(b"PGDMP"), "a pg_dump custom-format file");
                let restored = TestDb::new(Backend::Postgres).await;
                let status = tokio::process::Command::new("pg_restore")
                    .args([
                        "--no-owner",
                        "--exit-on-error",
                        "--dbname",
                        &restored.url,
                        target,
                    ])
                    .status()
                    .await
                    .expect("pg_restore runs");
                assert!(
                    status.success(),
                    "pg_restore of the backup failed: {status}"
                );
                let sql = Sql::connect(&restored.url, Backend::Postgres).await;
                Self {
                    url: restored.url.clone(),
                    sql,
                    _restored: Some(restored),
                }
            }
        }
    }

    /// The copy's hash-chained log covers exactly its responses (`audit verify`), and its
    /// rollups count exactly those responses.
    async fn assert_consistent(self) {
        let responses = self.sql.count_responses().await;
        let per_year = self
            .sql
            .texts(
                "select cast(counts as text) from rollups where grain = 'year' and question = ''",
            )
            .await;
        let counted: i64 = per_year
            .iter()
            .map(|counts| {
                let counts: Value = serde_json::from_str(counts).expect("rollup counts are JSON");
                counts[""].as_i64().expect("a response count")
            })
            .sum();
        assert_eq!(counted, responses, "the copy's rollups count its responses");
        self.sql.close().await;
        let verify = run_cli(&self.url, &["audit", "verify"], None).await;
        assert_ok("audit verify on the copy", &verify);
    }
}
