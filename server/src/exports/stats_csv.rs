//! `stats.csv`: the [`StatsTable`] as CSV with a UTF-8 BOM, `,` and a decimal point, or `;` and
//! a decimal comma (what a Russian spreadsheet opens directly). Numbers are written in their
//! shortest exact form, so they read back as the very values `/stats` returns.

use serde::Deserialize;

use super::stats_table::StatsTable;

/// The field separator (and with it the decimal mark).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Separator {
    /// `,` with a decimal point.
    #[default]
    Comma,
    /// `;` with a decimal comma.
    Semicolon,
}

/// The UTF-8 byte order mark: spreadsheet programs read the file as UTF-8 only with it.
const BOM: &str = "\u{feff}";

/// Writes the table.
pub fn render(table: &StatsTable, sep: Separator) -> Vec<u8> {
    let (delimiter, decimal) = match sep {
        Separator::Comma => (b',', '.'),
        Separator::Semicolon => (b';', ','),
    };
    let mut out = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(BOM.as_bytes().to_vec());
    let header = ["org", "name", "responses"]
        .into_iter()
        .map(str::to_owned)
        .chain(table.columns.iter().map(|c| c.key.clone()));
    // Writing to a Vec cannot fail.
    let _ = out.write_record(header);
    for row in &table.rows {
        let cells = row
            .cells
            .iter()
            .map(|c| c.map(|v| number(v, decimal)).unwrap_or_default());
        let record = [row.org.clone(), row.name.clone(), row.responses.to_string()]
            .into_iter()
            .chain(cells);
        let _ = out.write_record(record);
    }
    out.into_inner().unwrap_or_default()
}

/// The shortest text that reads back as exactly `v`, with the given decimal mark.
fn number(v: f64, decimal: char) -> String {
    let text = v.to_string();
    if decimal == '.' {
        text
    } else {
        text.replace('.', &decimal.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_exact_and_take_the_decimal_mark() {
        assert_eq!(number(83.333_333_333_333_33, '.'), "83.33333333333333");
        assert_eq!(number(83.333_333_333_333_33, ','), "83,33333333333333");
        assert_eq!(number(1200.0, ','), "1200");
        assert_eq!(number(-27.5, ','), "-27,5");
    }
}
