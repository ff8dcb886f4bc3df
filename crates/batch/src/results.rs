//! A job's results as CSV (docs/jobs.md): one row per beam with the main result fields. Text cells are
//! neutralised against formula injection; numbers are written from JSON numbers.

use serde_json::Value;

use crate::event::{BeamError, Designed};

pub const HEADER: &str = "index,id,status,width,depth,Mu,Vu,Tu,fck,fy,Ast_required,Ast_provided,\
bars_provided,Asc_required,compression_bars,stirrups,utilization,governing_check,message\n";

/// A field quoted when it holds a comma, a quote or a line break.
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// A JSON value as a cell: strings as they are, but neutralised against formula injection.
fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => neutral(s),
        other => other.to_string(),
    }
}

/// Text that a spreadsheet would read as a formula (a leading `=`, `+`, `-`, `@`, tab or carriage
/// return) gets a leading `'`, so that it is shown as text and never evaluated. Numbers are written
/// from JSON numbers, never through here, so a negative number stays a number.
pub fn neutral(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// The row of a designed beam: its normalized input and its result.
pub fn designed_row(e: &Designed) -> String {
    if e.is_member() {
        return member_row(e);
    }
    let (b, r) = (&e.beam, &e.result);
    let message = failed_messages(r);
    let index = Value::from(e.index);
    let cells: Vec<String> = [
        &index,
        &b["id"],
        &r["status"],
        &b["width"],
        &b["depth"],
        &b["Mu"],
        &b["Vu"],
        &b["Tu"],
        &b["fck"],
        &b["fy"],
        &r["Ast_required"],
        &r["Ast_provided"],
        &r["bars_provided"],
        &r["Asc_required"],
        &r["compression_bars"],
        &r["stirrups"],
        &r["utilization"],
        &r["governing_check"],
    ]
    .iter()
    .map(|x| text(x))
    .chain(std::iter::once(message))
    .collect();
    line(&cells)
}

/// What failed: each failed check's message, neutralised and joined with `; `.
fn failed_messages(r: &Value) -> String {
    r["failed_checks"]
        .as_array()
        .map(|f| {
            f.iter()
                .map(|x| text(&x["message"]))
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default()
}

/// The row of a member: its section and the member's status, utilization and governing check and
/// station; the bars are per zone in the JSON result, not in one cell.
fn member_row(e: &Designed) -> String {
    let (m, r) = (&e.beam, &e.result);
    let section = &m["section"];
    let pick = |names: &[&str]| {
        names
            .iter()
            .map(|n| &section[*n])
            .find(|v| !v.is_null())
            .cloned()
            .unwrap_or(Value::Null)
    };
    let at = &r["governing_station"];
    let governing = format!(
        "{} (span {}, x {})",
        r["governing_check"].as_str().unwrap_or(""),
        at["span"].as_u64().map_or(0, |s| s + 1),
        at["x"]
    );
    let message = failed_messages(r);
    let mut cells = vec![
        e.index.to_string(),
        text(&m["id"]),
        text(&r["status"]),
        text(&pick(&["width", "b", "b_mm"])),
        text(&pick(&["depth", "D", "D_mm"])),
    ];
    cells.extend(std::iter::repeat_n(String::new(), 3));
    cells.push(text(&pick(&["fck", "fck_nmm2"])));
    cells.push(text(&pick(&["fy", "fy_nmm2"])));
    cells.extend(std::iter::repeat_n(String::new(), 6));
    cells.push(text(&r["utilization"]));
    cells.push(neutral(&governing));
    cells.push(message);
    line(&cells)
}

/// The row of a beam that could not be designed; `inputs` (the beams as submitted) name its id where
/// the event does not.
pub fn error_row(e: &BeamError, inputs: &[Value]) -> String {
    let id = match &e.id {
        Some(id) => Value::from(id.as_str()),
        None => inputs.get(e.beam_index as usize).map_or(Value::Null, |b| {
            given_id(b).cloned().map_or(Value::Null, Value::from)
        }),
    };
    let message = if e.error.errors.is_empty() {
        neutral(&e.error.message)
    } else {
        e.error
            .errors
            .iter()
            .map(|x| format!("{}: {}", neutral(&x.field), neutral(&x.message)))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut cells = vec![e.beam_index.to_string(), text(&id), "INVALID".into()];
    cells.extend(std::iter::repeat_n(String::new(), 15));
    cells.push(message);
    line(&cells)
}

/// The id a beam was given under any of its names, if it is a string.
pub fn given_id(beam: &Value) -> Option<&String> {
    beam.as_object()?
        .iter()
        .find(|(k, _)| is456::input::canonical_name(k) == Some("id"))
        .and_then(|(_, v)| match v {
            Value::String(s) => Some(s),
            _ => None,
        })
}

fn line(cells: &[String]) -> String {
    let mut line = cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(",");
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use is456::FieldError;
    use serde_json::json;

    #[test]
    fn formulas_are_neutralised() {
        for bad in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-1+1",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert!(text(&Value::from(bad)).starts_with('\''), "{bad:?}");
        }
        assert_eq!(text(&Value::from("B-12")), "B-12");
        assert_eq!(text(&json!(-5.5)), "-5.5");
    }

    #[test]
    fn quoting() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn rows_have_as_many_cells_as_the_header() {
        let columns = HEADER.trim_end().split(',').count();
        let error = BeamError::invalid(
            3,
            None,
            vec![FieldError {
                field: "width".into(),
                message: "bad, really".into(),
            }],
        );
        let r = error_row(&error, &[]);
        assert!(r.starts_with("3,,INVALID,"));
        let inputs = vec![
            Value::Null,
            Value::Null,
            Value::Null,
            json!({"beam_id": "X9"}),
        ];
        assert!(error_row(&error, &inputs).starts_with("3,X9,INVALID,"));
        assert!(r.contains("\"width: bad, really\""));
        let ok = Designed {
            index: 0,
            kind: None,
            beam: json!({"id": "B1", "width": 300.0}),
            result: json!({"status": "SUCCESS", "bars_provided": "3-16φ", "failed_checks": []}),
        };
        let r = designed_row(&ok);
        assert!(r.starts_with("0,B1,SUCCESS,300.0,"));
        assert!(r.contains("3-16φ"));
        // Simple split is enough here: no cell of this row holds a comma.
        assert_eq!(r.trim_end().split(',').count(), columns);
    }
}
