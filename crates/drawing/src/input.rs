//! A drawing from JSON as clients send it: a beam, a member (it has `spans`, or is under `member`),
//! or a list of members (an array, or `{"members": […]}` as the import answers). Each is designed,
//! then drawn.

use is456::FieldError;
use serde_json::Value;

use crate::sheet::Drawn;

/// A drawn sheet: the DXF, a name for its file, and how many beams or members it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub dxf: String,
    pub name: String,
    pub count: usize,
}

/// The most members one sheet takes.
pub const MAX_MEMBERS: usize = 2000;

pub fn from_json(value: &Value) -> Result<Sheet, Vec<FieldError>> {
    let list = match value {
        Value::Array(list) => Some(list.as_slice()),
        Value::Object(map) if map.len() == 1 && map.contains_key("members") => {
            match &map["members"] {
                Value::Array(list) => Some(list.as_slice()),
                _ => return Err(vec![error("members", "must be an array of members")]),
            }
        }
        Value::Object(map) if map.len() == 1 && map.get("member").is_some_and(Value::is_object) => {
            Some(std::slice::from_ref(&map["member"]))
        }
        _ if value.get("spans").is_some() => Some(std::slice::from_ref(value)),
        _ => None,
    };
    match list {
        Some(list) => members(list),
        None => beam(value),
    }
}

fn error(field: &str, message: &str) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

fn beam(value: &Value) -> Result<Sheet, Vec<FieldError>> {
    let beam = is456::Beam::from_json(value).map_err(|e| e.errors)?;
    let result = is456::design(&beam);
    Ok(Sheet {
        dxf: crate::beam_dxf(&beam, &result),
        name: beam.id().unwrap_or("beam").to_owned(),
        count: 1,
    })
}

/// Members designed and drawn on one sheet; every invalid one reported with its index.
pub fn members(list: &[Value]) -> Result<Sheet, Vec<FieldError>> {
    if list.is_empty() || list.len() > MAX_MEMBERS {
        return Err(vec![error(
            "members",
            &format!("must hold 1 to {MAX_MEMBERS} members, got {}", list.len()),
        )]);
    }
    let mut parsed = Vec::with_capacity(list.len());
    let mut errors = Vec::new();
    for (i, v) in list.iter().enumerate() {
        match is456::Member::from_json(v) {
            Ok(m) => parsed.push(m),
            Err(e) => errors.extend(e.errors.into_iter().map(|e| FieldError {
                field: if list.len() == 1 {
                    e.field
                } else {
                    format!("members[{i}].{}", e.field)
                },
                message: e.message,
            })),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let results: Vec<is456::MemberResult> = parsed.iter().map(is456::design_member).collect();
    let drawn: Vec<Drawn<'_>> = parsed
        .iter()
        .zip(&results)
        .map(|(member, result)| Drawn { member, result })
        .collect();
    let name = match results.as_slice() {
        [one] => one.id.clone().unwrap_or_else(|| "member".into()),
        _ => "members".into(),
    };
    Ok(Sheet {
        dxf: crate::members_dxf(&drawn),
        name,
        count: drawn.len(),
    })
}
