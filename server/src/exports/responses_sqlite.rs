//! `responses.sqlite`: the rows of `responses.csv` as a SQLite database an analyst opens in any
//! SQLite tool or pandas — table `responses` (one column per question, numbers numeric), and
//! `questions`, `points`, `orgs` and `meta` (questionnaire versions pooled, methodology
//! version, period, time of export). Built with rusqlite in a temporary file on a blocking
//! thread, fed rows in batches from the same stream as the CSV; the caller streams the file
//! from disk, and the file is unlinked as soon as it is built (the handle keeps it readable).

use std::fs::File;
use std::path::Path;

use futures_util::StreamExt;
use rusqlite::{params, Connection, Transaction};
use tokio::sync::mpsc;

use super::responses::{ResponsesExport, FIXED_COLUMNS};
use otklik_shared::questionnaire::QuestionKind;

use crate::service_error::{ServiceError, ServiceResult};

/// Rows sent to the writer thread at a time.
const BATCH: usize = 1000;

/// Builds the database and returns its open file, positioned at the start.
///
/// # Errors
/// Internal on a database, file or SQLite failure.
pub async fn build(export: &ResponsesExport) -> ServiceResult<File> {
    let tmp = tempfile::Builder::new()
        .prefix("otklik-export-")
        .suffix(".sqlite")
        .tempfile()
        .map_err(|e| internal(e.into()))?;
    let path = tmp.path().to_owned();
    let (tx, rx) = mpsc::channel::<Vec<Vec<String>>>(4);
    let schema = Schema::of(export);
    let writer = tokio::task::spawn_blocking(move || write(&path, &schema, rx));

    let mut conn = export.scan_connection().await?;
    let mut rows = export.rows(&mut conn);
    let mut batch = Vec::with_capacity(BATCH);
    let mut failed = None;
    while let Some(row) = rows.next().await {
        match row {
            Ok(row) => batch.push(row),
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
        if batch.len() == BATCH && tx.send(std::mem::take(&mut batch)).await.is_err() {
            break; // the writer failed: its error is below
        }
    }
    if failed.is_none() && !batch.is_empty() {
        let _ = tx.send(batch).await;
    }
    drop(tx);
    let written = writer.await.map_err(|e| internal(e.into()))?;
    if let Some(e) = failed {
        return Err(e);
    }
    written.map_err(|e| internal(e.into()))?;
    Ok(tmp.into_file())
}

fn internal(e: anyhow::Error) -> ServiceError {
    ServiceError::Internal(e.context("write responses.sqlite"))
}

/// Everything the writer thread needs besides the rows, owned.
struct Schema {
    /// `(name, SQL type)` of every `responses` column, in order.
    columns: Vec<(String, &'static str)>,
    /// `(questionnaire, version, id, kind, text)`.
    questions: Vec<(String, u32, String, &'static str, String)>,
    /// `(code, org, questionnaire, life_situation, stage)`.
    points: Vec<[Option<String>; 5]>,
    /// `(code, name, kind, parent, sector, tz, settlement)`.
    orgs: Vec<[Option<String>; 7]>,
    /// `(key, value)`.
    meta: Vec<(&'static str, String)>,
}

impl Schema {
    fn of(e: &ResponsesExport) -> Self {
        let mut columns: Vec<(String, &'static str)> = FIXED_COLUMNS
            .iter()
            .map(|&c| (c.to_owned(), "text"))
            .collect();
        for c in &e.columns {
            let numeric = matches!(c.kind, QuestionKind::Nps | QuestionKind::Number);
            columns.push((c.question.clone(), if numeric { "numeric" } else { "text" }));
            if c.comment {
                columns.push((format!("{}.comment", c.question), "text"));
            }
        }
        let m = &e.meta;
        Self {
            columns,
            questions: e
                .versions
                .iter()
                .flat_map(|v| {
                    v.questions.iter().map(|q| {
                        (
                            v.id.clone(),
                            v.version,
                            q.id.clone(),
                            q.kind.as_str(),
                            q.text.clone(),
                        )
                    })
                })
                .collect(),
            points: e
                .points
                .iter()
                .map(|p| {
                    [
                        Some(p.code.clone()),
                        Some(p.org.clone()),
                        Some(p.questionnaire.clone()),
                        p.life_situation.clone(),
                        p.stage.clone(),
                    ]
                })
                .collect(),
            orgs: e
                .orgs
                .iter()
                .map(|o| {
                    [
                        Some(o.code.clone()),
                        Some(o.name.clone()),
                        Some(o.kind.as_str().to_owned()),
                        o.parent.clone(),
                        o.sector.map(|s| s.as_str().to_owned()),
                        Some(o.tz.to_string()),
                        o.settlement.map(|s| s.as_str().to_owned()),
                    ]
                })
                .collect(),
            meta: vec![
                ("org", m.org.0.clone()),
                ("questionnaire", m.questionnaire.clone()),
                ("questionnaire_versions", m.versions_list()),
                ("methodology", m.methodology.clone()),
                ("from", m.from.clone().unwrap_or_default()),
                ("to", m.to.clone().unwrap_or_default()),
                ("exported_at", m.exported_at.to_rfc3339()),
                (
                    "masking",
                    "personal data in free text replaced by ***".to_owned(),
                ),
            ],
        }
    }
}

/// A column name as an SQL identifier (`"process.comment"`).
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn write(
    path: &Path,
    s: &Schema,
    mut rx: mpsc::Receiver<Vec<Vec<String>>>,
) -> rusqlite::Result<()> {
    let mut db = Connection::open(path)?;
    // A throwaway file written once: no journal, no syncs.
    db.execute_batch("pragma journal_mode = off; pragma synchronous = off;")?;
    let tx = db.transaction()?;
    tables(&tx, s)?;
    {
        let names: Vec<String> = s.columns.iter().map(|(n, _)| ident(n)).collect();
        let marks = vec!["?"; names.len()].join(", ");
        let mut insert = tx.prepare(&format!(
            "insert into responses ({}) values ({marks})",
            names.join(", ")
        ))?;
        while let Some(batch) = rx.blocking_recv() {
            for row in batch {
                let cells = row.iter().map(|c| (!c.is_empty()).then_some(c.as_str()));
                insert.execute(rusqlite::params_from_iter(cells))?;
            }
        }
    }
    tx.commit()
}

fn tables(tx: &Transaction<'_>, s: &Schema) -> rusqlite::Result<()> {
    let columns: Vec<String> = s
        .columns
        .iter()
        .enumerate()
        .map(|(i, (name, ty))| {
            let key = if i == 0 { " primary key" } else { "" };
            format!("{} {ty}{key}", ident(name))
        })
        .collect();
    tx.execute_batch(&format!(
        "create table responses ({});
         create table questions (questionnaire text, version integer, id text, kind text, text text,
             primary key (questionnaire, version, id));
         create table points (code text primary key, org text, questionnaire text,
             life_situation text, stage text);
         create table orgs (code text primary key, name text, kind text, parent text, sector text,
             tz text, settlement text);
         create table meta (key text primary key, value text);",
        columns.join(", ")
    ))?;
    let mut q = tx.prepare("insert into questions values (?, ?, ?, ?, ?)")?;
    for (questionnaire, version, id, kind, text) in &s.questions {
        q.execute(params![questionnaire, version, id, kind, text])?;
    }
    let mut p = tx.prepare("insert into points values (?, ?, ?, ?, ?)")?;
    for row in &s.points {
        p.execute(rusqlite::params_from_iter(row))?;
    }
    let mut o = tx.prepare("insert into orgs values (?, ?, ?, ?, ?, ?, ?)")?;
    for row in &s.orgs {
        o.execute(rusqlite::params_from_iter(row))?;
    }
    let mut m = tx.prepare("insert into meta values (?, ?)")?;
    for (key, value) in &s.meta {
        m.execute(params![key, value])?;
    }
    Ok(())
}
