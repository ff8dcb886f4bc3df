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

/// A line of three beam objects: B1 from a column at x = 0 to a point at 3 m where a secondary beam
/// frames in (no column), B2 drawn backwards from the column at 6 m to that point, B3 on from 6 m to
/// a column at 10 m. One combination, five stations per object.
fn split_line() -> String {
    let mut s = String::from("TABLE:  Element Forces - Beams\nStory,Beam,Unique Name,Output Case,Case Type,Station,V2,T,M3\n,,,,,m,kN,kN-m,kN-m\n");
    let objects = [
        ("B1", 3.0, 0.0, false),
        ("B2", 3.0, 3.0, true),
        ("B3", 4.0, 6.0, false),
    ];
    for (label, l, x0, reversed) in objects {
        for k in 0..5 {
            let local = l * f64::from(k) / 4.0;
            // Along the line from its start at x0: a 6 m span then a 4 m span, 30 kN/m.
            let along = if reversed { x0 + l - local } else { x0 + local };
            let (span_l, at) = if along <= 6.0 {
                (6.0, along)
            } else {
                (4.0, along - 6.0)
            };
            let m = 30.0 * at * (span_l - at) / 2.0 - 30.0 * span_l * span_l / 12.0;
            let dm = 30.0 * (span_l / 2.0 - at);
            // V2 = -dM3/dx along the object's own direction.
            let v = if reversed { dm } else { -dm };
            s.push_str(&format!(
                "L1,{label},{label},ULS,Combination,{local},{v},0,{m}\n"
            ));
        }
    }
    s.push_str("\nTABLE:  Beam Object Connectivity\nUnique Name,UniquePtI,UniquePtJ,Length\n,,,m\nB1,P1,P2,3\nB2,P3,P2,3\nB3,P3,P4,4\n");
    s.push_str("\nTABLE:  Point Object Connectivity\nUniqueName,X,Y,Z\n,m,m,m\nP1,0,0,3\nP2,3,0,3\nP3,6,0,3\nP4,10,0,3\nS1,3,-4,3\n");
    s.push_str(
        "\nTABLE:  Beam Object Connectivity\nUnique Name,UniquePtI,UniquePtJ,Length\n,,,m\n",
    );
    s.push_str("\nTABLE:  Column Object Connectivity\nUnique Name,UniquePtI,UniquePtJ\nC1,Q1,P1\nC3,Q3,P3\nC4,Q4,P4\n");
    s
}

#[test]
fn an_object_drawn_backwards_is_turned_and_a_joint_without_a_column_stays_inside_a_span() {
    let text = split_line();
    let file = File {
        name: "line.csv",
        bytes: text.as_bytes(),
    };
    let options = Options {
        section: Some((300.0, 500.0)),
        ..Options::default()
    };
    let imported = import(Format::Etabs, &[file], &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ids(&imported.members), ["L1/B1-B3"]);
    let m = &imported.members[0];
    assert_eq!(
        m["spans"],
        serde_json::json!([{"length": 6000.0, "support_width": 0.0}, {"length": 4000.0, "support_width": 0.0}])
    );
    let span1 = m["cases"]["ULS"]["stations"][0].as_array().unwrap();
    // Five stations of B1, then B2's five turned round, the shared one at 3 m kept once.
    let xs: Vec<f64> = span1.iter().map(|s| s["x"].as_f64().unwrap()).collect();
    assert_eq!(
        xs,
        [0.0, 750.0, 1500.0, 2250.0, 3000.0, 3750.0, 4500.0, 5250.0, 6000.0]
    );
    // One moment diagram along the line, and one sense of shear: B2's V2 negated.
    for s in span1 {
        let at = s["x"].as_f64().unwrap() / 1000.0;
        let m = 30.0 * at * (6.0 - at) / 2.0 - 90.0;
        assert!((s["M"].as_f64().unwrap() - m).abs() < 1e-9, "{s}");
        assert!(
            (s["V"].as_f64().unwrap() + 30.0 * (3.0 - at)).abs() < 1e-9,
            "{s}"
        );
    }
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.contains("support widths unknown (columns without a section")),
        "{:?}",
        imported.warnings
    );
}

#[test]
fn more_combinations_than_a_member_takes_are_designed_from_their_envelope() {
    let mut s = String::from("story,beam,span_m,station_m,case,M,V,T,width,depth\n");
    for c in 0..35 {
        let f = 1.0 + 0.01 * f64::from(c);
        for k in 0..=4 {
            let x = 1.5 * f64::from(k);
            let m = f * (20.0 * x * (6.0 - x) / 2.0 - 60.0);
            s.push_str(&format!(
                "L1,B1,6,{x},COMB{c},{m},{},0,300,500\n",
                f * 20.0 * (3.0 - x)
            ));
        }
    }
    let file = File {
        name: "many.csv",
        bytes: s.as_bytes(),
    };
    let imported =
        import(Format::Csv, &[file], &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.contains("35 combinations")),
        "{:?}",
        imported.warnings
    );
    let m = &imported.members[0];
    let max = &m["cases"]["envelope max"]["stations"][0];
    let min = &m["cases"]["envelope min"]["stations"][0];
    // At midspan the largest sagging is COMB34's, at the ends the largest hogging is COMB34's too.
    assert!((max[2]["M"].as_f64().unwrap() - 1.34 * 30.0).abs() < 1e-9);
    assert!((min[0]["M"].as_f64().unwrap() + 1.34 * 60.0).abs() < 1e-9);
    assert!((max[0]["V"].as_f64().unwrap() - 1.34 * 60.0).abs() < 1e-9);
    is456::Member::from_json(m).unwrap_or_else(|e| panic!("{e:?}"));
}
