//! The two-storey frame of docs/import.md, imported from its ETABS tables.

use beamline_import::{import, CaseMode, File, Format, Options};
use serde_json::Value;

const EXAMPLE: &str = include_str!("../../../docs/examples/etabs-two-storey.csv");

fn example(options: &Options) -> beamline_import::Imported {
    let file = File {
        name: "etabs-two-storey.csv",
        bytes: EXAMPLE.as_bytes(),
    };
    import(Format::Etabs, &[file], options).unwrap_or_else(|e| panic!("{e}"))
}

fn ids(members: &[Value]) -> Vec<&str> {
    members
        .iter()
        .map(|m| m["id"].as_str().unwrap_or(""))
        .collect()
}

#[test]
fn beam_objects_on_one_line_join_into_members_with_spans_between_columns() {
    let imported = example(&Options {
        group_tolerance: None,
        ..Options::default()
    });
    assert_eq!(
        ids(&imported.members),
        [
            "Story1/B1-B2",
            "Story1/B3-B4",
            "Story1/B5",
            "Story1/B6",
            "Story1/B7",
            "Story2/B1-B2",
            "Story2/B3-B4",
            "Story2/B5",
            "Story2/B6",
            "Story2/B7"
        ]
    );
    let b1 = &imported.members[0];
    assert_eq!(b1["spans"].as_array().map(Vec::len), Some(2));
    // A 300 x 450 column, Depth along X: a beam along X sees 450 mm of it, one along Y 300 mm.
    assert_eq!(
        b1["spans"][0],
        serde_json::json!({"length": 6000.0, "support_width": 450.0})
    );
    assert_eq!(
        imported.members[2]["spans"][0],
        serde_json::json!({"length": 5000.0, "support_width": 300.0})
    );
    assert_eq!(
        b1["ends"],
        serde_json::json!(["discontinuous", "discontinuous"])
    );
    assert_eq!(
        b1["section"],
        serde_json::json!({"width": 300.0, "depth": 500.0, "fck": 25.0, "fy": 500.0})
    );
    // The export's three combinations, each with the factor 1.
    let combos: Vec<&str> = b1["combinations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(combos, ["1.5(DL+LL)", "1.2(DL+LL+EQX)", "1.2(DL+LL-EQX)"]);
    // The second span's stations follow the first's object: its own 7, from its left support.
    let span2 = &b1["cases"]["1.5(DL+LL)"]["stations"][1];
    assert_eq!(span2.as_array().map(Vec::len), Some(7));
    assert_eq!(span2[0]["x"], 0.0);
    assert_eq!(span2[6]["x"], 6000.0);
}

#[test]
fn typical_beams_are_grouped_and_designed_once() {
    let imported = example(&Options::default());
    let groups: Vec<Vec<&str>> = imported
        .groups
        .iter()
        .map(|g| g.members.iter().map(String::as_str).collect())
        .collect();
    assert_eq!(
        groups,
        [
            vec!["Story1/B1-B2", "Story1/B3-B4"],
            vec!["Story1/B5", "Story1/B7"],
            vec!["Story1/B6"],
            vec!["Story2/B1-B2", "Story2/B3-B4"],
            vec!["Story2/B5", "Story2/B7"],
            vec!["Story2/B6"],
        ]
    );
    assert_eq!(imported.members.len(), 6);
    assert_eq!(
        imported.members[0]["typical"],
        serde_json::json!(["Story1/B3-B4"])
    );
    for m in &imported.members {
        let member = is456::Member::from_json(m).unwrap_or_else(|e| panic!("{e:?}"));
        let result = is456::design_member(&member);
        assert!(result.utilization.is_finite());
    }
}

#[test]
fn load_cases_under_is456_give_table_18_and_service_combinations() {
    let imported = example(&Options {
        combinations: CaseMode::Is456,
        group_tolerance: None,
        ..Options::default()
    });
    let b1 = &imported.members[0];
    assert!(b1.get("combinations").is_none());
    let cases: Vec<(&String, &Value)> = b1["cases"].as_object().unwrap().iter().collect();
    let kinds: Vec<(&str, &str)> = cases
        .iter()
        .map(|(n, c)| (n.as_str(), c["type"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [("DL", "dead"), ("EQX", "earthquake"), ("LL", "imposed")]
    );
}
