//! A file of beams (docs/jobs.md, docs/cli.md): CSV with a header row of field names, or JSON (an
//! array of beams, or `{"beams": [...]}`). Each beam keeps where it came from, for messages.

use is456::input::{canonical_name_loosely, nearest_field};
use serde_json::{Map, Value};

/// The beams of a file, each with the line (CSV) or position (JSON) it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub beams: Vec<Value>,
    /// For each beam, how to name it in messages: "line 7" or "beam 7".
    pub origins: Vec<String>,
}

fn is_text_field(name: &str) -> bool {
    matches!(name, "id" | "support" | "exposure")
}

/// The delimiter of a CSV: `;` where the header line has more semicolons than commas (spreadsheets
/// in locales with a decimal comma write those), else `,`.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    }
}

/// A number as written: `12.5`, or with `;` as the delimiter also `12,5`.
fn number(cell: &str, semicolons: bool) -> Option<f64> {
    let parsed = cell.parse::<f64>().ok().or_else(|| {
        (semicolons && cell.matches(',').count() == 1 && !cell.contains('.'))
            .then(|| cell.replace(',', ".").parse::<f64>().ok())
            .flatten()
    });
    parsed.filter(|x| x.is_finite())
}

/// Reads a CSV of beams (docs/jobs.md, "CSV input"): columns are field names or aliases in any letter
/// case; `,` or `;` delimited (detected from the header); empty cells are left out; numbers that do not
/// parse stay text so that validation names them. An unknown column is refused with the nearest field
/// name; a row with more or fewer cells than the header is named by its line.
pub fn read_csv(text: &str) -> Result<Input, String> {
    let delimiter = delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let raw: Vec<String> = reader
        .headers()
        .map_err(|e| format!("line 1: {e}"))?
        .iter()
        .map(str::to_owned)
        .collect();
    let mut headers = Vec::with_capacity(raw.len());
    for h in &raw {
        match canonical_name_loosely(h) {
            Some(name) => headers.push(name),
            None => {
                let hint = nearest_field(h)
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_else(|| "; columns are the beam's field names (docs/api.md)".into());
                return Err(format!("line 1: unknown column `{h}`{hint}"));
            }
        }
    }
    for (i, name) in headers.iter().enumerate() {
        if headers[..i].contains(name) {
            return Err(format!("line 1: the column `{name}` is given twice"));
        }
    }
    let mut input = Input {
        beams: Vec::new(),
        origins: Vec::new(),
    };
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != headers.len() {
            return Err(format!(
                "line {line} has {} cells where the header has {}: check for a missing or extra {}",
                record.len(),
                headers.len(),
                if delimiter == b';' {
                    "semicolon"
                } else {
                    "comma"
                }
            ));
        }
        let mut beam = Map::new();
        for (name, cell) in headers.iter().zip(record.iter()) {
            if cell.is_empty() {
                continue;
            }
            let value = if is_text_field(name) {
                Value::from(cell)
            } else {
                number(cell, delimiter == b';').map_or_else(|| Value::from(cell), Value::from)
            };
            beam.insert((*name).to_owned(), value);
        }
        input.beams.push(Value::Object(beam));
        input.origins.push(format!("line {line}"));
    }
    Ok(input)
}

/// Reads a JSON batch: an array of beams or `{"beams": [...]}`.
pub fn read_json(text: &str) -> Result<Input, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let beams = match value {
        Value::Array(beams) => beams,
        Value::Object(mut map) => match map.remove("beams") {
            Some(Value::Array(beams)) => beams,
            _ => return Err("a JSON batch is an array of beams or {\"beams\": [...]}".into()),
        },
        _ => return Err("a JSON batch is an array of beams or {\"beams\": [...]}".into()),
    };
    let origins = (1..=beams.len()).map(|i| format!("beam {i}")).collect();
    Ok(Input { beams, origins })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn csv_rows_become_beams_with_line_numbers() {
        let input =
            read_csv("id,width,depth,Mu,support\nB1,300,450,150,ss\nB2,abc,,10,\n").unwrap();
        assert_eq!(input.beams.len(), 2);
        assert_eq!(
            input.beams[0],
            json!({"id": "B1", "width": 300.0, "depth": 450.0, "Mu": 150.0, "support": "ss"})
        );
        assert_eq!(
            input.beams[1],
            json!({"id": "B2", "width": "abc", "Mu": 10.0})
        );
        assert_eq!(input.origins, ["line 2", "line 3"]);
    }

    #[test]
    fn headers_are_read_loosely_and_named_precisely() {
        // Any letter case and the aliases; the exact spelling decides between D and d.
        let input = read_csv("ID,B_MM,D,MU,d\nB1,300,500,150,450\n").unwrap();
        assert_eq!(
            input.beams[0],
            json!({"id": "B1", "width": 300.0, "depth": 500.0, "Mu": 150.0, "effective_depth": 450.0})
        );
        let e = read_csv("width,dpeth\n1,2\n").unwrap_err();
        assert!(
            e.contains("unknown column `dpeth`; did you mean `depth`?"),
            "{e}"
        );
        assert!(read_csv("width,b\n1,2\n")
            .unwrap_err()
            .contains("given twice"));
        // Depth or effective depth? Neither is guessed.
        assert!(read_csv("d_MM,width\n1,2\n")
            .unwrap_err()
            .contains("unknown column `d_MM`"));
    }

    #[test]
    fn semicolons_and_decimal_commas() {
        let input = read_csv("id;width;depth;Mu\nB1;300;500;150,5\n").unwrap();
        assert_eq!(input.beams[0]["Mu"], json!(150.5));
        assert_eq!(input.beams[0]["width"], json!(300.0));
    }

    #[test]
    fn a_ragged_row_is_named_by_its_line() {
        let e = read_csv("width,depth,Mu\n300,500,150\n300,500\n").unwrap_err();
        assert_eq!(
            e,
            "line 3 has 2 cells where the header has 3: check for a missing or extra comma"
        );
    }

    #[test]
    fn json_batches() {
        assert_eq!(read_json(r#"[{"width":1}]"#).unwrap().beams.len(), 1);
        assert_eq!(
            read_json(r#"{"beams":[{"width":1},{}]}"#).unwrap().origins,
            ["beam 1", "beam 2"]
        );
        assert!(read_json("{}").is_err());
        assert!(read_json("nope").is_err());
    }
}
