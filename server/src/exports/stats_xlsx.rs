//! `stats.xlsx`: sheet «Итоги» holds the [`StatsTable`] — the same rows and columns as
//! `stats.csv`, Russian headers in row 1 (frozen, with an autofilter), numbers as numeric cells
//! at full precision (shares as the same 0–100 numbers, displayed to one decimal) and column
//! widths that fit; sheet «Методика» says what produced it: questionnaire versions pooled,
//! methodology version, period, minimum n, time of export and how intervals are computed.

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::stats_table::{Measure, StatsTable};
use crate::service_error::{ServiceError, ServiceResult};

/// How the intervals are computed (`domain.md` §5), for the «Методика» sheet.
const INTERVALS: &str = "Доли удовлетворённых и ответов «да» — 95 % интервал Уилсона по числу \
    ответивших на вопрос. NPS — нормальное приближение NPS ± 1,96·100·√Var, \
    Var = (p₊ + p₋ − (p₊ − p₋)²) / n (доли промоутеров и критиков), ограничено −100…100.";

/// Widths in characters: narrow figure columns with wrapped headers, text columns fit to
/// their longest value within a cap.
const FIGURE_WIDTH: f64 = 16.0;
const MAX_TEXT_WIDTH: usize = 60;
/// Points per header line at the default font.
const LINE_HEIGHT: f64 = 15.0;

/// Writes the workbook.
///
/// # Errors
/// Internal when the writer refuses (a bug: names and sizes here are fixed).
pub fn render(table: &StatsTable) -> ServiceResult<Vec<u8>> {
    let mut book = Workbook::new();
    totals(book.add_worksheet(), table).map_err(internal)?;
    methodology(book.add_worksheet(), table).map_err(internal)?;
    book.save_to_buffer().map_err(internal)
}

fn internal(e: XlsxError) -> ServiceError {
    ServiceError::Internal(anyhow::Error::new(e).context("write stats.xlsx"))
}

#[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)] // small sizes
fn totals(sheet: &mut Worksheet, table: &StatsTable) -> Result<(), XlsxError> {
    sheet.set_name("Итоги")?;
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color("#DDE4EE");
    let count = Format::new().set_num_format("#,##0");
    let percent = Format::new().set_num_format("0.0");

    let headers = ["Код", "Наименование", "Ответов"]
        .into_iter()
        .map(str::to_owned)
        .chain(table.columns.iter().map(|c| c.header.clone()));
    let mut header_lines = 1.0_f64;
    for (col, text) in headers.enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, &text, &header)?;
        if col >= 3 {
            sheet.set_column_width(col, FIGURE_WIDTH)?;
            header_lines =
                header_lines.max((text.chars().count() as f64 / (FIGURE_WIDTH - 2.0)).ceil());
        }
    }
    for (i, row) in table.rows.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_string(r, 0, &row.org)?;
        sheet.write_string(r, 1, &row.name)?;
        sheet.write_number_with_format(r, 2, row.responses as f64, &count)?;
        for (c, (cell, column)) in row.cells.iter().zip(&table.columns).enumerate() {
            if let Some(v) = cell {
                let format = match column.measure {
                    Measure::Count => &count,
                    Measure::Percent => &percent,
                };
                sheet.write_number_with_format(r, c as u16 + 3, *v, format)?;
            }
        }
    }
    let fit = |texts: &mut dyn Iterator<Item = &str>, min: usize| {
        texts
            .map(|t| t.chars().count())
            .max()
            .unwrap_or(0)
            .clamp(min, MAX_TEXT_WIDTH) as f64
            + 2.0
    };
    sheet.set_column_width(0, fit(&mut table.rows.iter().map(|r| r.org.as_str()), 6))?;
    sheet.set_column_width(1, fit(&mut table.rows.iter().map(|r| r.name.as_str()), 14))?;
    sheet.set_column_width(2, 10)?;
    sheet.set_row_height(0, (header_lines * LINE_HEIGHT).min(400.0))?;
    sheet.set_freeze_panes(1, 0)?;
    let last_col = (table.columns.len() + 2) as u16;
    sheet.autofilter(0, 0, table.rows.len() as u32, last_col)?;
    Ok(())
}

fn methodology(sheet: &mut Worksheet, table: &StatsTable) -> Result<(), XlsxError> {
    sheet.set_name("Методика")?;
    let label = Format::new().set_bold().set_align(FormatAlign::Top);
    let value = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let m = &table.meta;
    let lines = [
        ("Организация", format!("{} ({})", m.org.1, m.org.0)),
        ("Анкета", m.questionnaire.clone()),
        ("Версии анкеты (объединены)", m.versions_list()),
        ("Версия методики", m.methodology.clone()),
        ("Период", m.period()),
        (
            "Минимальное n",
            format!(
                "{} — цифры по меньшему числу ответов помечаются как «мало ответов»",
                table.min_n
            ),
        ),
        ("Доверительные интервалы", INTERVALS.to_owned()),
        (
            "Что не входит",
            "Ответы канала «наблюдение» (observation) не входят в цифры.".to_owned(),
        ),
        (
            "Время выгрузки",
            m.exported_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        ),
    ];
    for (r, (name, text)) in (0u32..).zip(lines) {
        sheet.write_string_with_format(r, 0, name, &label)?;
        sheet.write_string_with_format(r, 1, &text, &value)?;
    }
    sheet.set_column_width(0, 30)?;
    sheet.set_column_width(1, 90)?;
    Ok(())
}
