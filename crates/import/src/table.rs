//! Tables as analysis programs export them, from CSV or XLSX: an optional title line
//! (`TABLE:  Element Forces - Beams`), a header line, an optional units line, then the rows. One CSV
//! may hold several tables, each under its title; in a workbook every sheet is one table (its title
//! in the first cell, or the sheet's name).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use crate::error::{Location, Problems};
use crate::units::Unit;

/// One file given to the import: its name (for messages) and its bytes.
#[derive(Debug, Clone, Copy)]
pub struct File<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// One row of a table: its line in the file and its cells as text.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

/// A table read from a file.
#[derive(Debug, Clone)]
pub struct Table {
    pub file: String,
    pub sheet: Option<String>,
    /// The title without `TABLE:`, or the sheet's name, or empty.
    pub title: String,
    pub header: Vec<String>,
    /// The units line, one per column (empty where a column has none), when the export has one.
    pub units: Option<Vec<String>>,
    pub header_line: usize,
    pub rows: Vec<Row>,
}

impl Table {
    /// The index of the first column whose header, normalised, is one of `names`.
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.header.iter().position(|h| normalise(h) == *n))
    }

    pub fn has(&self, names: &[&str]) -> bool {
        self.column(names).is_some()
    }

    /// Where cell `col` of `row` is.
    pub fn at(&self, line: usize, col: usize) -> Location {
        Location {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            line,
            column: if self.sheet.is_some() {
                column_letter(col)
            } else {
                (col + 1).to_string()
            },
            header: self.header.get(col).cloned().unwrap_or_default(),
        }
    }

    /// Where the whole table is (its header line).
    pub fn whole(&self) -> Location {
        Location {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            line: self.header_line,
            column: String::new(),
            header: String::new(),
        }
    }

    /// The unit of column `col` from the units line or the header's own `(m)`/`kN` suffix.
    pub fn unit(&self, col: usize) -> Option<Unit> {
        let from_row = self.units.as_ref().and_then(|u| u.get(col));
        from_row
            .and_then(|u| Unit::parse(u))
            .or_else(|| header_unit(self.header.get(col)?))
    }
}

/// A header as compared: lower case, letters and digits only (`Unique Name` = `UniqueName` =
/// `uniquename`), without a unit suffix (`d (m)`, `Fy kN`).
pub fn normalise(header: &str) -> String {
    let bare = match header.find(['(', '[']) {
        Some(i) => &header[..i],
        None => header,
    };
    let mut words: Vec<&str> = bare.split_whitespace().collect();
    if words.len() > 1 && words.last().is_some_and(|w| Unit::parse(w).is_some()) {
        words.pop();
    }
    words
        .concat()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

fn header_unit(header: &str) -> Option<Unit> {
    if let (Some(a), Some(b)) = (header.find(['(', '[']), header.rfind([')', ']'])) {
        if a < b {
            return Unit::parse(&header[a + 1..b]);
        }
    }
    let words: Vec<&str> = header.split_whitespace().collect();
    (words.len() > 1).then(|| Unit::parse(words[words.len() - 1]))?
}

fn column_letter(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Every table of one file: a workbook when it starts as a ZIP archive does, else CSV (or
/// tab-separated text, as ETABS copies tables to the clipboard).
pub fn read(file: File<'_>, problems: &mut Problems) -> Vec<Table> {
    if file.bytes.starts_with(b"PK\x03\x04") {
        return read_xlsx(file, problems);
    }
    let lines = match read_csv(file) {
        Ok(lines) => lines,
        Err(message) => {
            problems.general(format!("{}: {message}", file.name));
            return Vec::new();
        }
    };
    split(file.name, None, "", lines)
}

fn read_csv(file: File<'_>) -> Result<Vec<Row>, String> {
    let text = std::str::from_utf8(file.bytes)
        .map_err(|e| format!("is neither a workbook (XLSX) nor UTF-8 text (byte {} is not UTF-8): save it as CSV UTF-8 or XLSX", e.valid_up_to()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first.contains('\t') && !first.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| match e.position() {
            Some(p) => format!("line {}: {e}", p.line()),
            None => e.to_string(),
        })?;
        let line = record
            .position()
            .map_or(rows.len() + 1, |p| p.line() as usize);
        rows.push(Row {
            line,
            cells: record.iter().map(|c| c.trim().to_owned()).collect(),
        });
    }
    Ok(rows)
}

fn read_xlsx(file: File<'_>, problems: &mut Problems) -> Vec<Table> {
    let mut book: Xlsx<_> = match calamine::open_workbook_from_rs(Cursor::new(file.bytes)) {
        Ok(book) => book,
        Err(e) => {
            problems.general(format!("{}: not a readable XLSX workbook: {e}", file.name));
            return Vec::new();
        }
    };
    let mut tables = Vec::new();
    for name in book.sheet_names() {
        let range = match book.worksheet_range(&name) {
            Ok(range) => range,
            Err(e) => {
                problems.general(format!("{} [{name}]: unreadable sheet: {e}", file.name));
                continue;
            }
        };
        let first_row = range.start().map_or(0, |(r, _)| r as usize);
        let first_col = range.start().map_or(0, |(_, c)| c as usize);
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, cells)| Row {
                line: first_row + i + 1,
                cells: std::iter::repeat_n(String::new(), first_col)
                    .chain(cells.iter().map(cell_text))
                    .collect(),
            })
            .collect();
        tables.extend(split(file.name, Some(&name), &name, rows));
    }
    tables
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::Error(e) => format!("#{e:?}"),
        other => other.to_string(),
    }
}

/// Cuts the rows of one file or sheet into tables at their titles.
fn split(file: &str, sheet: Option<&str>, sheet_title: &str, rows: Vec<Row>) -> Vec<Table> {
    let mut tables: Vec<Table> = Vec::new();
    let mut title: Option<String> = None;
    let mut current: Option<Table> = None;
    for row in rows {
        if row.cells.iter().all(String::is_empty) {
            continue;
        }
        if let Some(t) = table_title(&row.cells) {
            tables.extend(current.take());
            title = Some(t);
            continue;
        }
        match current.as_mut() {
            None => {
                current = Some(Table {
                    file: file.to_owned(),
                    sheet: sheet.map(str::to_owned),
                    title: title.take().unwrap_or_else(|| sheet_title.to_owned()),
                    header: row.cells,
                    units: None,
                    header_line: row.line,
                    rows: Vec::new(),
                });
            }
            Some(table) if table.rows.is_empty() && table.units.is_none() && is_units(&row) => {
                table.units = Some(row.cells);
            }
            Some(table) => table.rows.push(row),
        }
    }
    tables.extend(current);
    tables
}

fn table_title(cells: &[String]) -> Option<String> {
    let first = cells.iter().find(|c| !c.is_empty())?;
    let rest = first
        .get(..6)
        .filter(|p| p.eq_ignore_ascii_case("table:"))
        .map(|_| &first[6..])?;
    Some(rest.trim().trim_matches('"').trim().to_owned())
}

/// A units line: every filled cell is a unit, and there is at least one.
fn is_units(row: &Row) -> bool {
    let filled: Vec<&String> = row.cells.iter().filter(|c| !c.is_empty()).collect();
    !filled.is_empty() && filled.iter().all(|c| Unit::parse(c).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_compare_without_spaces_case_or_units() {
        assert_eq!(normalise("Unique Name"), "uniquename");
        assert_eq!(normalise("UniqueName"), "uniquename");
        assert_eq!(normalise("d (m)"), "d");
        assert_eq!(normalise("Fy kN"), "fy");
        assert_eq!(normalise("L/C"), "lc");
        assert_eq!(normalise("Load Case/Combo"), "loadcasecombo");
    }

    #[test]
    fn columns_are_lettered_as_spreadsheets_do() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn a_csv_holds_several_tables_under_their_titles_with_units_lines() {
        let text = "TABLE:  \"Beam Object Connectivity\"\nUnique Name,UniquePtI,UniquePtJ,Length\n,,,m\n1,10,11,6\n\nTABLE:  Element Forces - Beams\nStory,Beam,Station\n,,m\nStory1,B1,0\n";
        let mut problems = Problems::default();
        let tables = read(
            File {
                name: "t.csv",
                bytes: text.as_bytes(),
            },
            &mut problems,
        );
        assert!(problems.is_empty());
        assert_eq!(tables.len(), 2);
        assert_eq!(tables[0].title, "Beam Object Connectivity");
        assert_eq!(tables[0].rows[0].line, 4);
        assert_eq!(tables[0].unit(3), Unit::parse("m"));
        assert_eq!(tables[1].title, "Element Forces - Beams");
        assert_eq!(tables[1].rows[0].cells, ["Story1", "B1", "0"]);
        assert_eq!(tables[1].rows[0].line, 9);
        assert_eq!(
            tables[1].at(9, 2).to_string(),
            "t.csv, line 9, column 3 (Station)"
        );
    }
}
