//! Checking one section under several load cases: one set of bars and stirrups is designed for the
//! envelope of the cases (the largest moment, shear and torsion, and top bars for the largest
//! reversed moment), and every case is then checked with those same bars. The governing case is the
//! one with the highest utilization under them.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::input::{canonical_name, Beam, FieldError, InvalidBeam};
use crate::result::{DesignResult, Status};

/// The most load cases one check takes.
pub const MAX_CASES: usize = 100;

/// The actions of one load case, kN and kN·m.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LoadCase {
    pub id: String,
    #[serde(rename = "Mu")]
    pub mu: f64,
    #[serde(rename = "Vu")]
    pub vu: f64,
    #[serde(rename = "Tu")]
    pub tu: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CaseResult {
    #[serde(flatten)]
    pub case: LoadCase,
    /// The case's largest demand/capacity ratio with the shared reinforcement.
    pub utilization: f64,
    /// The same as `utilization` (the name earlier clients read).
    pub demand_ratio: f64,
    pub result: DesignResult,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CheckResult {
    pub status: Status,
    pub governing_case: String,
    pub cases: Vec<CaseResult>,
}

/// Checks the section described by `beam` (a beam object of docs/api.md, whose own Mu may be omitted)
/// under each of `cases` (objects with `id`, `Mu`, `Vu`, `Tu`, or their aliases). Every problem, in the
/// beam or any case, is reported at once; fields of a case are named `cases[i].Mu`.
pub fn check(beam: &Value, cases: &Value) -> Result<CheckResult, InvalidBeam> {
    let mut errors = Vec::new();
    let Some(beam) = beam.as_object() else {
        return Err(one("beam", "must be a JSON object"));
    };
    let Some(cases) = cases.as_array() else {
        return Err(one("cases", "must be an array of load cases"));
    };
    if cases.is_empty() || cases.len() > MAX_CASES {
        return Err(one(
            "cases",
            &format!("must hold 1 to {MAX_CASES} load cases, got {}", cases.len()),
        ));
    }
    // The section itself is validated once, with a placeholder moment where the beam has none.
    let mut section = beam.clone();
    if !section.keys().any(|k| canonical_name(k) == Some("Mu")) {
        section.insert("Mu".into(), Value::from(0));
    }
    if let Err(e) = Beam::from_map(&section) {
        errors.extend(e.errors);
    }

    let mut designed = Vec::with_capacity(cases.len());
    for (i, case) in cases.iter().enumerate() {
        let prefix = format!("cases[{i}]");
        let Some(case) = case.as_object() else {
            errors.push(FieldError {
                field: prefix,
                message: "must be a JSON object".into(),
            });
            continue;
        };
        let mut merged: Map<String, Value> = section
            .iter()
            .filter(|(k, _)| !matches!(canonical_name(k), Some("Mu" | "Vu" | "Tu" | "id")))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let mut id = format!("case-{}", i + 1);
        let mut case_errors = Vec::new();
        for (key, value) in case {
            match canonical_name(key) {
                Some("id") => match value.as_str() {
                    Some(s) if (1..=64).contains(&s.chars().count()) => id = s.to_owned(),
                    _ => case_errors.push(FieldError {
                        field: format!("{prefix}.id"),
                        message: "must be a string of 1 to 64 characters".into(),
                    }),
                },
                Some(name @ ("Mu" | "Vu" | "Tu")) => {
                    merged.insert(name.to_owned(), value.clone());
                }
                _ => case_errors.push(FieldError {
                    field: format!("{prefix}.{key}"),
                    message: format!("unknown field `{key}`; a load case has id, Mu, Vu and Tu"),
                }),
            }
        }
        if !merged.contains_key("Mu") {
            case_errors.push(FieldError {
                field: format!("{prefix}.Mu"),
                message: "is required".into(),
            });
        }
        if case_errors.is_empty() {
            match Beam::from_map(&merged) {
                Ok(b) => designed.push((id, b)),
                Err(e) => errors.extend(
                    e.errors
                        .into_iter()
                        .filter(|fe| matches!(fe.field.as_str(), "Mu" | "Vu" | "Tu"))
                        .map(|fe| FieldError {
                            field: format!("{prefix}.{}", fe.field),
                            message: fe.message,
                        }),
                ),
            }
        }
        errors.extend(case_errors);
    }
    if !errors.is_empty() {
        return Err(InvalidBeam { errors });
    }

    let beams: Vec<Beam> = designed.iter().map(|(_, b)| b.clone()).collect();
    let results = crate::design::design_cases(&beams);
    let cases: Vec<CaseResult> = designed
        .into_iter()
        .zip(results)
        .map(|((id, beam), result)| CaseResult {
            case: LoadCase {
                id,
                mu: beam.mu(),
                vu: beam.vu(),
                tu: beam.tu(),
            },
            utilization: result.utilization,
            demand_ratio: result.utilization,
            result,
        })
        .collect();
    // The governing case: the highest utilization under the shared bars (the first of equals).
    let governing = cases
        .iter()
        .fold(None::<&CaseResult>, |best, c| match best {
            Some(b) if b.utilization >= c.utilization => Some(b),
            _ => Some(c),
        })
        .map(|c| c.case.id.clone())
        .unwrap_or_default();
    let status = if cases.iter().all(|c| c.result.status == Status::Success) {
        Status::Success
    } else {
        Status::Fail
    };
    Ok(CheckResult {
        status,
        governing_case: governing,
        cases,
    })
}

fn one(field: &str, message: &str) -> InvalidBeam {
    InvalidBeam {
        errors: vec![FieldError {
            field: field.into(),
            message: message.into(),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn governing_case_is_the_most_utilized() {
        let r = check(
            &json!({"width": 300, "depth": 500}),
            &json!([{"id": "dead", "Mu": 80, "Vu": 50}, {"id": "live", "Mu": 180, "Vu": 120}, {"Mu": 20}]),
        )
        .unwrap();
        assert_eq!(r.governing_case, "live");
        assert_eq!(r.cases.len(), 3);
        assert_eq!(r.cases[2].case.id, "case-3");
    }

    #[test]
    fn errors_name_the_case() {
        let e = check(
            &json!({"width": 300, "depth": 500}),
            &json!([{"Mu": -5}, {"Vu": 10}, {"Mu": 1, "mu": 2}, 7]),
        )
        .unwrap_err();
        let fields: Vec<&str> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["cases[0].Mu", "cases[1].Mu", "cases[2].mu", "cases[3]"]
        );
    }

    #[test]
    fn bad_sections_and_case_lists() {
        assert!(check(&json!({"width": 30, "depth": 500}), &json!([{"Mu": 1}])).is_err());
        assert!(check(&json!({"width": 300, "depth": 500}), &json!([])).is_err());
        assert!(check(&json!([]), &json!([{"Mu": 1}])).is_err());
    }
}
