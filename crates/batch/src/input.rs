//! A file of beams (docs/jobs.md, docs/cli.md): CSV with a header row of field names, or JSON (an
//! array of beams, or `{"beams": [...]}`). Each beam keeps where it came from, for messages.

use is456::input::canonical_name;
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

/// Reads a CSV of beams: columns are field names (canonical or aliases); empty cells are left out;
/// numbers that do not parse stay text so that validation names them.
pub fn read_csv(text: &str) -> Result<Input, String> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("line 1: {e}"))?
        .iter()
        .map(str::to_owned)
        .collect();
    for h in &headers {
        if canonical_name(h).is_none() {
            return Err(format!(
                "line 1: unknown column `{h}`; columns are the beam's field names"
            ));
        }
    }
    let mut input = Input {
        beams: Vec::new(),
        origins: Vec::new(),
    };
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        let line = record.position().map_or(0, |p| p.line());
        let mut beam = Map::new();
        for (h, cell) in headers.iter().zip(record.iter()) {
            if cell.is_empty() {
                continue;
            }
            let value = if is_text_field(canonical_name(h).unwrap_or("")) {
                Value::from(cell)
            } else {
                match cell.parse::<f64>() {
                    Ok(x) if x.is_finite() => Value::from(x),
                    _ => Value::from(cell),
                }
            };
            beam.insert(h.clone(), value);
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
        assert!(read_csv("width,mu\n1,2\n")
            .unwrap_err()
            .contains("unknown column `mu`"));
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
