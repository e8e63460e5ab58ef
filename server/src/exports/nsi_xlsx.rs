//! `nsi-report.xlsx`: the НСИ report of one life situation as a workbook for the quarterly
//! letter. Sheet «Показатели» has one row per KPI × quarter (a KPI without data gets one row
//! with its baseline and target, then the time respondents reported, labelled apart), sheet
//! «Учреждения» the institutions and the urban/rural split of the latest quarter, sheet «Меры»
//! the dated improvement measures, so the quarters read before/after. Russian headers in row 1, frozen; numbers as numeric cells at
//! full precision (displayed to one decimal); durations in the report's unit, never as a share.

use chrono::Datelike;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::nsi::report::{BaselineRef, Figure, Report, ScoreKpi, TargetRef};
use crate::service_error::{ServiceError, ServiceResult};

/// Headers of «Показатели».
const KPI_HEADERS: [&str; 17] = [
    "Показатель",
    "Единица",
    "Квартал",
    "n (ответов или замеров)",
    "Значение",
    "95 % ДИ, от",
    "95 % ДИ, до",
    "Медиана (время)",
    "Предупреждение",
    "Базовое значение",
    "Период базового значения",
    "Целевое значение",
    "Метод цели",
    "Кто утвердил",
    "Когда утверждено",
    "Долгосрочный ориентир",
    "Достигнуто (последний квартал)",
];

/// Headers of «Меры».
const MEASURE_HEADERS: [&str; 4] = ["Дата", "Учреждение", "Этап", "Мера"];

/// Headers of «Учреждения».
const INSTITUTION_HEADERS: [&str; 7] = [
    "Код",
    "Наименование",
    "Тип поселения",
    "Ответов (удовлетворённость)",
    "Доля удовлетворённых, %",
    "Ответов (NPS)",
    "NPS",
];

/// Writes the workbook.
///
/// # Errors
/// Internal when the writer refuses (a bug: names and sizes here are fixed).
pub fn render(report: &Report) -> ServiceResult<Vec<u8>> {
    let mut book = Workbook::new();
    kpis(book.add_worksheet(), report).map_err(internal)?;
    institutions(book.add_worksheet(), report).map_err(internal)?;
    measures(book.add_worksheet(), report).map_err(internal)?;
    book.save_to_buffer().map_err(internal)
}

fn internal(e: XlsxError) -> ServiceError {
    ServiceError::Internal(anyhow::Error::new(e).context("write nsi-report.xlsx"))
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color("#DDE4EE")
}

/// One row of «Показатели».
#[derive(Default)]
struct KpiRow {
    name: &'static str,
    unit: String,
    quarter: Option<String>,
    n: Option<f64>,
    value: Option<f64>,
    ci: Option<[f64; 2]>,
    median: Option<f64>,
    warning: Option<&'static str>,
    baseline: Option<BaselineRef>,
    target: Option<TargetRef>,
    benchmark: Option<f64>,
    achieved: Option<bool>,
}

fn score_rows(name: &'static str, unit: &str, k: &ScoreKpi) -> Vec<KpiRow> {
    let base = || KpiRow {
        name,
        unit: unit.to_owned(),
        baseline: k.baseline.clone(),
        target: k.target.clone(),
        benchmark: Some(k.benchmark),
        achieved: k.achieved,
        ..KpiRow::default()
    };
    if k.quarters.is_empty() {
        return vec![base()];
    }
    k.quarters
        .iter()
        .map(|q| KpiRow {
            quarter: Some(q.quarter.clone()),
            #[allow(clippy::cast_precision_loss)] // counts of answers
            n: Some(q.n as f64),
            value: Some(q.value),
            ci: q.ci95,
            ..base()
        })
        .collect()
}

#[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)] // small sizes
fn kpis(sheet: &mut Worksheet, report: &Report) -> Result<(), XlsxError> {
    sheet.set_name("Показатели")?;
    let header = header_format();
    let count = Format::new().set_num_format("#,##0");
    let decimal = Format::new().set_num_format("0.0");
    for (col, text) in (0u16..).zip(KPI_HEADERS) {
        sheet.write_string_with_format(0, col, text, &header)?;
        sheet.set_column_width(col, if col == 0 { 34.0 } else { 15.0 })?;
    }
    let time = &report.kpis.time;
    let time_unit = match time.unit {
        "hours" => "часы",
        "minutes" => "минуты",
        _ => "дни",
    };
    let mut rows = score_rows("Доля удовлетворённых", "%", &report.kpis.satisfied);
    rows.extend(score_rows("NPS", "пункты", &report.kpis.nps));
    let time_base = || KpiRow {
        name: "Время процесса (худшее значение)",
        unit: time_unit.to_owned(),
        baseline: time.baseline.clone(),
        target: time.target.clone(),
        achieved: time.achieved,
        ..KpiRow::default()
    };
    if time.quarters.is_empty() {
        rows.push(time_base());
    }
    for q in &time.quarters {
        rows.push(KpiRow {
            quarter: Some(q.quarter.clone()),
            n: Some(q.measurements as f64),
            value: Some(q.worst),
            median: Some(q.median),
            warning: q.warning.map(|_| "менее 10 замеров в учреждении"),
            ..time_base()
        });
    }
    // Respondents' own reports: a figure apart, not the KPI, so no target or verdict beside it.
    for q in &time.reported {
        rows.push(KpiRow {
            name: "Время со слов граждан (медиана)",
            unit: time_unit.to_owned(),
            quarter: Some(q.quarter.clone()),
            n: Some(q.n as f64),
            value: Some(q.median),
            median: Some(q.median),
            ..KpiRow::default()
        });
    }
    for (r, row) in (1u32..).zip(&rows) {
        sheet.write_string(r, 0, row.name)?;
        sheet.write_string(r, 1, &row.unit)?;
        if let Some(q) = &row.quarter {
            sheet.write_string(r, 2, q)?;
        }
        let numbers = [
            (3, row.n, &count),
            (4, row.value, &decimal),
            (5, row.ci.map(|c| c[0]), &decimal),
            (6, row.ci.map(|c| c[1]), &decimal),
            (7, row.median, &decimal),
            (9, row.baseline.as_ref().map(|b| b.value), &decimal),
            (11, row.target.as_ref().map(|t| t.value), &decimal),
            (15, row.benchmark, &decimal),
        ];
        for (col, v, format) in numbers {
            if let Some(v) = v {
                sheet.write_number_with_format(r, col, v, format)?;
            }
        }
        if let Some(w) = row.warning {
            sheet.write_string(r, 8, w)?;
        }
        if let Some(b) = &row.baseline {
            sheet.write_string(r, 10, &b.period)?;
        }
        if let Some(t) = &row.target {
            sheet.write_string(r, 12, &t.method)?;
            sheet.write_string(r, 13, &t.approved_by)?;
            sheet.write_string(r, 14, &t.approved_at)?;
        }
        if let Some(a) = row.achieved {
            sheet.write_string(r, 16, if a { "да" } else { "нет" })?;
        }
    }
    sheet.set_row_height(0, 45)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// A stored `YYYY-MM-DD` as a date cell's value.
fn excel_date(day: &str) -> Option<ExcelDateTime> {
    let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    let year = u16::try_from(day.year()).ok()?;
    let (month, date) = (
        u8::try_from(day.month()).ok()?,
        u8::try_from(day.day()).ok()?,
    );
    ExcelDateTime::from_ymd(year, month, date).ok()
}

fn measures(sheet: &mut Worksheet, report: &Report) -> Result<(), XlsxError> {
    sheet.set_name("Меры")?;
    let header = header_format();
    for (col, text) in (0u16..).zip(MEASURE_HEADERS) {
        sheet.write_string_with_format(0, col, text, &header)?;
        sheet.set_column_width(col, [12.0, 40.0, 30.0, 60.0][usize::from(col)])?;
    }
    let date = Format::new().set_num_format("dd.mm.yyyy");
    for (r, m) in (1u32..).zip(&report.improvements) {
        match excel_date(&m.done_on) {
            Some(day) => sheet.write_date_with_format(r, 0, &day, &date)?,
            None => sheet.write_string(r, 0, &m.done_on)?,
        };
        sheet.write_string(r, 1, &m.org_name)?;
        sheet.write_string(r, 2, m.stage_name.as_deref().unwrap_or("весь процесс"))?;
        sheet.write_string(r, 3, &m.title)?;
    }
    if report.improvements.is_empty() {
        sheet.write_string(1, 0, "Мер за год не внесено")?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn institutions(sheet: &mut Worksheet, report: &Report) -> Result<(), XlsxError> {
    sheet.set_name("Учреждения")?;
    let header = header_format();
    let count = Format::new().set_num_format("#,##0");
    let decimal = Format::new().set_num_format("0.0");
    for (col, text) in (0u16..).zip(INSTITUTION_HEADERS) {
        sheet.write_string_with_format(0, col, text, &header)?;
        sheet.set_column_width(col, if col == 1 { 40.0 } else { 16.0 })?;
    }
    let settlement_name = |s: Option<&str>| match s {
        Some("urban") => "городское",
        Some("rural") => "сельское",
        _ => "не указано",
    };
    #[allow(clippy::cast_precision_loss)] // counts of answers
    let figures = |sheet: &mut Worksheet, r: u32, s: &Figure, n: &Figure| {
        sheet.write_number_with_format(r, 3, s.n as f64, &count)?;
        if let Some(v) = s.value {
            sheet.write_number_with_format(r, 4, v, &decimal)?;
        }
        sheet.write_number_with_format(r, 5, n.n as f64, &count)?;
        if let Some(v) = n.value {
            sheet.write_number_with_format(r, 6, v, &decimal)?;
        }
        Ok::<(), XlsxError>(())
    };
    let mut r = 1u32;
    for i in &report.institutions {
        sheet.write_string(r, 0, &i.org)?;
        sheet.write_string(r, 1, &i.name)?;
        sheet.write_string(r, 2, settlement_name(i.settlement))?;
        figures(sheet, r, &i.satisfied, &i.nps)?;
        r += 1;
    }
    for (key, label) in [("urban", "Городские"), ("rural", "Сельские")] {
        if let Some(f) = report.settlement.get(key) {
            sheet.write_string(r, 1, label)?;
            sheet.write_string(r, 2, settlement_name(Some(key)))?;
            figures(sheet, r, &f.satisfied, &f.nps)?;
            r += 1;
        }
    }
    if let Some(q) = &report.latest_quarter {
        sheet.write_string(r + 1, 0, format!("Квартал: {q}"))?;
    }
    sheet.set_row_height(0, 45)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}
