//! Batch results as CSV: one row per beam with the main result fields.

use serde_json::Value;

use super::events::ERROR;
use super::store::StoredEvent;

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

/// The CSV row of a `design_result` or `error` event. An `error` event names its beam's id; for events
/// stored before it did, `inputs` (the beams as submitted) give it.
pub fn row(e: &StoredEvent, inputs: &[Value]) -> String {
    let v: Value = serde_json::from_str(&e.data).unwrap_or(Value::Null);
    if e.name == ERROR {
        let input = v["beam_index"]
            .as_u64()
            .and_then(|i| inputs.get(i as usize));
        let id = match v.get("id") {
            Some(id) => id,
            None => input.map_or(&Value::Null, given_id),
        };
        error_row(&v["beam_index"], id, &v["error"])
    } else {
        result_row(&v["index"], &v["beam"], &v["result"])
    }
}

/// The row of a designed beam: its normalized input and its result.
pub fn result_row(index: &Value, beam: &Value, result: &Value) -> String {
    let (b, r) = (beam, result);
    let message = r["failed_checks"]
        .as_array()
        .map(|f| {
            f.iter()
                .map(|x| text(&x["message"]))
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    let cells: Vec<String> = [
        index,
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

/// The id a beam was given under any of its names, if it is one.
pub fn given_id(beam: &Value) -> &Value {
    beam.as_object()
        .and_then(|map| {
            map.iter()
                .find(|(k, v)| is456::input::canonical_name(k) == Some("id") && v.is_string())
        })
        .map_or(&Value::Null, |(_, v)| v)
}

/// The row of a beam that could not be designed: `error` is `{"message", "errors": [{"field", "message"}]}`.
pub fn error_row(index: &Value, id: &Value, error: &Value) -> String {
    let message = error["errors"]
        .as_array()
        .map(|errs| {
            errs.iter()
                .map(|x| format!("{}: {}", text(&x["field"]), text(&x["message"])))
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_else(|| text(&error["message"]));
    let mut cells = vec![text(index), text(id), "INVALID".into()];
    cells.extend(std::iter::repeat_n(String::new(), 15));
    cells.push(message);
    line(&cells)
}

fn line(cells: &[String]) -> String {
    let mut line = cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(",");
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(text(&serde_json::json!(-5.5)), "-5.5");
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
        let error = StoredEvent {
            id: 2,
            name: "error".into(),
            data: r#"{"beam_index":3,"error":{"code":"validation_error","message":"m","errors":[{"field":"width","message":"bad, really"}]}}"#.into(),
        };
        let r = row(&error, &[]);
        assert!(r.starts_with("3,,INVALID,"));
        let inputs = vec![
            Value::Null,
            Value::Null,
            Value::Null,
            serde_json::json!({"beam_id": "X9"}),
        ];
        assert!(row(&error, &inputs).starts_with("3,X9,INVALID,"));
        assert!(r.contains("\"width: bad, really\""));
        let ok = StoredEvent {
            id: 3,
            name: "design_result".into(),
            data: r#"{"index":0,"beam":{"id":"B1","width":300.0},"result":{"status":"SUCCESS","bars_provided":"3-16φ","failed_checks":[]}}"#.into(),
        };
        let r = row(&ok, &[]);
        assert!(r.starts_with("0,B1,SUCCESS,300.0,"));
        assert!(r.contains("3-16φ"));
        // Simple split is enough here: no cell of these rows holds a comma except the quoted one.
        assert_eq!(row(&ok, &[]).trim_end().split(',').count(), columns);
    }
}
