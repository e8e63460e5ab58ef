//! Import files as Russian spreadsheet programs save them: UTF-8 with or without a byte-order
//! mark, or Windows-1251 (Excel's «CSV (разделители — запятые)» on a Russian Windows); `;` or
//! `,` between fields (Excel writes `;` where the decimal separator is a comma); CRLF or LF line
//! ends. Every error names the line.

use super::NewOrg;

/// The file's text: UTF-8 (a leading byte-order mark dropped) when the bytes are valid UTF-8,
/// else Windows-1251, the only other encoding Russian spreadsheet programs write by default (and
/// one in which every byte decodes, so nothing is refused here; a wrong guess shows as an
/// unknown kind or header on a named line).
pub fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.trim_start_matches('\u{feff}').to_owned(),
        Err(_) => encoding_rs::WINDOWS_1251
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// The field separator the header line uses: `;` when it has more semicolons than commas
/// (the header names no field with either in it), else `,`.
fn separator(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    let count = |c: char| header.matches(c).count();
    if count(';') > count(',') {
        b';'
    } else {
        b','
    }
}

/// A line of an import file that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct CsvError {
    /// 1-based line number (0 when the reader cannot tell).
    pub line: u64,
    /// What is wrong with it.
    pub message: String,
}

/// One row of [`read_table`]: its 1-based line and one cell per column (`None` when empty).
pub type TableRow = (usize, Vec<Option<String>>);

/// The rows of a CSV table whose header is `required` in order, optionally followed by a prefix
/// of `optional`, separated by `,` or `;`, with their 1-based line numbers; each row holds one
/// entry per column of `required` and `optional`, `None` for an empty or absent cell. What the
/// org import and the НСИ imports share.
///
/// # Errors
/// [`CsvError`] naming the line that does not parse, or line 1 for another header.
pub fn read_table(
    text: &str,
    required: &[&str],
    optional: &[&str],
) -> Result<Vec<TableRow>, CsvError> {
    // The reader counts a CRLF as two line ends: give it LF only, so errors name the right line.
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let text = text.as_str();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .delimiter(separator(text))
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| CsvError {
            line: 1,
            message: e.to_string(),
        })?
        .iter()
        .map(str::to_owned)
        .collect();
    let header_ok = headers.len() >= required.len()
        && headers.len() <= required.len() + optional.len()
        && headers
            .iter()
            .zip(required.iter().chain(optional.iter()))
            .all(|(h, want)| h == want);
    if !header_ok {
        let also = if optional.is_empty() {
            String::new()
        } else {
            format!(" (optionally followed by {})", optional.join(","))
        };
        return Err(CsvError {
            line: 1,
            message: format!("the header must be {}{also}", required.join(",")),
        });
    }
    let width = required.len() + optional.len();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| CsvError {
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        let line = record.position().map_or(0, |p| p.line()) as usize;
        let cells = (0..width)
            .map(|i| record.get(i).map(str::to_owned).filter(|s| !s.is_empty()))
            .collect();
        rows.push((line, cells));
    }
    if rows.is_empty() {
        return Err(CsvError {
            line: 1,
            message: "the file has a header but no rows".into(),
        });
    }
    Ok(rows)
}

/// Parses an import file's text (see [`decode`]): header `code,name,kind,parent,sector,tz`,
/// optionally followed by `settlement,bus_gov_id`, separated by `,` or `;`; quoted fields may
/// hold separators and quotes. Returns the rows with their line numbers.
///
/// # Errors
/// [`CsvError`] naming the line that does not parse.
pub fn parse_csv(text: &str) -> Result<Vec<(usize, NewOrg)>, CsvError> {
    const REQUIRED: [&str; 6] = ["code", "name", "kind", "parent", "sector", "tz"];
    let rows = read_table(text, &REQUIRED, &["settlement", "bus_gov_id"]).map_err(|e| {
        if e.message.starts_with("the file has a header") {
            CsvError {
                line: e.line,
                message: "the file has a header but no orgs".into(),
            }
        } else {
            e
        }
    })?;
    Ok(rows
        .into_iter()
        .map(|(line, mut cells)| {
            let mut take = |i: usize| cells.get_mut(i).and_then(Option::take);
            let org = NewOrg {
                code: take(0).unwrap_or_default(),
                name: take(1).unwrap_or_default(),
                kind: take(2).unwrap_or_default(),
                parent: take(3),
                sector: take(4),
                tz: take(5),
                settlement: take(6),
                bus_gov_id: take(7),
            };
            (line, org)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_quoted_names_and_optional_columns_parses() {
        let text = "code,name,kind,parent,sector,tz,settlement,bus_gov_id\n\
                    reg,Область,region,,,Asia/Yekaterinburg,,\n\
                    k1,\"КЦСОН «Заречье», филиал\",institution,reg,social,,rural,123\n";
        let rows = parse_csv(text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].0, 3);
        assert_eq!(rows[1].1.name, "КЦСОН «Заречье», филиал");
        assert_eq!(rows[1].1.settlement.as_deref(), Some("rural"));
        assert_eq!(rows[0].1.parent, None);
    }

    #[test]
    fn a_wrong_header_or_ragged_line_is_named() {
        assert!(parse_csv("code,name\nx,y\n")
            .unwrap_err()
            .to_string()
            .starts_with("line 1"));
        let err =
            parse_csv("code,name,kind,parent,sector,tz\nreg,R,region,,,\nbad,line\n").unwrap_err();
        assert_eq!(err.line, 3, "{err}");
    }

    #[test]
    fn windows_1251_with_semicolons_and_crlf_parses() {
        let text = "code;name;kind;parent;sector;tz\r\nreg;Область;region;;;\r\n\
                    k1;\"Центр; филиал\";institution;reg;social;\r\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
        let rows = parse_csv(&decode(&bytes)).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].1.name, "Область");
        assert_eq!(rows[1].1.name, "Центр; филиал");
        assert_eq!(rows[1].0, 3);
    }

    #[test]
    fn a_utf8_byte_order_mark_is_dropped() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice(
            "code,name,kind,parent,sector,tz\nreg,Область,region,,,\n".as_bytes(),
        );
        let rows = parse_csv(&decode(&bytes)).unwrap();
        assert_eq!((rows[0].1.code.as_str(), rows[0].0), ("reg", 2));
    }
}
