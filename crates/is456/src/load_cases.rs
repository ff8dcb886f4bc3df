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

/// Reads a section and its load cases as a check request gives them: `beam` is a beam object of
/// docs/api.md whose own Mu may be omitted, `cases` an array of objects with `id`, `Mu`, `Vu`, `Tu`
/// (or their aliases). Every problem, in the section or any case, is reported at once; the fields of
/// a case are named `cases[i].Mu`.
pub fn parse(beam: &Value, cases: &Value) -> Result<(Beam, Vec<LoadCase>), InvalidBeam> {
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
    // The section is read once, with a placeholder moment where it has none.
    let mut section = beam.clone();
    if !section.keys().any(|k| canonical_name(k) == Some("Mu")) {
        section.insert("Mu".into(), Value::from(0));
    }
    let (section, mut errors) = match Beam::from_map(&section) {
        Ok(beam) => (Some(beam), Vec::new()),
        Err(e) => (None, e.errors),
    };
    let mut parsed = Vec::with_capacity(cases.len());
    for (i, case) in cases.iter().enumerate() {
        match LoadCase::parse(i, case, section.as_ref()) {
            Ok(case) => parsed.push(case),
            Err(e) => errors.extend(e),
        }
    }
    let sagging = parsed.iter().any(|c| c.mu > 0.0);
    let hogging = parsed.iter().any(|c| c.mu < 0.0);
    if sagging && hogging {
        errors.push(FieldError {
            field: "cases".into(),
            message:
                "mixes sagging (Mu > 0) and hogging (Mu < 0) cases: one check designs one \
                      tension face; check each sign on its own, or design the member along its span"
                    .into(),
        });
    }
    match section {
        Some(section) if errors.is_empty() => Ok((section, parsed)),
        _ => Err(InvalidBeam { errors }),
    }
}

impl LoadCase {
    /// Case `i` of a request; its actions are checked against the section's own rules (ranges,
    /// Mu ≥ 0) when the section is valid.
    fn parse(i: usize, case: &Value, section: Option<&Beam>) -> Result<LoadCase, Vec<FieldError>> {
        let prefix = format!("cases[{i}]");
        let named = |field: &str, message: String| FieldError {
            field: format!("{prefix}.{field}"),
            message,
        };
        let Some(case) = case.as_object() else {
            return Err(vec![FieldError {
                field: prefix,
                message: "must be a JSON object".into(),
            }]);
        };
        let mut id = format!("case-{}", i + 1);
        let mut actions = Map::new();
        let mut errors = Vec::new();
        for (key, value) in case {
            match canonical_name(key) {
                Some("id") => match value.as_str() {
                    Some(s) if (1..=64).contains(&s.chars().count()) => id = s.to_owned(),
                    _ => errors.push(named("id", "must be a string of 1 to 64 characters".into())),
                },
                Some("Mu" | "Vu" | "Tu") => {
                    actions.insert(key.clone(), value.clone());
                }
                _ => errors.push(named(
                    key,
                    format!("unknown field `{key}`; a load case has id, Mu, Vu and Tu"),
                )),
            }
        }
        if !actions.keys().any(|k| canonical_name(k) == Some("Mu")) {
            errors.push(named("Mu", "is required".into()));
        }
        // A placeholder section where the real one is invalid: the case's own fields still get read.
        let placeholder;
        let section = match section {
            Some(s) => s,
            None => {
                placeholder = Beam::placeholder();
                &placeholder
            }
        };
        match section.patch(&actions) {
            Ok(beam) if errors.is_empty() => Ok(LoadCase {
                id,
                mu: beam.mu_signed(),
                vu: beam.vu(),
                tu: beam.tu(),
            }),
            Ok(_) => Err(errors),
            Err(e) => {
                errors.extend(e.errors.into_iter().map(|fe| named(&fe.field, fe.message)));
                Err(errors)
            }
        }
    }
}

/// Designs one reinforcement for the envelope of `cases` on `section` and checks every case with it
/// (docs/engine.md, "Load cases"). The governing case is the one with the highest utilization under
/// the shared bars (the first of equals).
pub fn design_load_cases(section: &Beam, cases: &[LoadCase]) -> CheckResult {
    let beams: Vec<Beam> = cases
        .iter()
        .map(|c| section.with_actions(c.mu, c.vu, c.tu))
        .collect();
    let results = crate::design::design_cases(&beams);
    let cases: Vec<CaseResult> = cases
        .iter()
        .zip(results)
        .map(|(case, result)| CaseResult {
            case: case.clone(),
            utilization: result.utilization,
            demand_ratio: result.utilization,
            result,
        })
        .collect();
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
    CheckResult {
        status,
        governing_case: governing,
        cases,
    }
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

    fn check(beam: &Value, cases: &Value) -> Result<CheckResult, InvalidBeam> {
        let (section, cases) = parse(beam, cases)?;
        Ok(design_load_cases(&section, &cases))
    }

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
            &json!([{"Mu": -2e5}, {"Vu": 10}, {"Mu": 1, "mu": 2}, 7]),
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
