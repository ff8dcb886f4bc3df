//! STAAD.Pro's Beam Force Detail and the plain CSV.

use beamline_import::{import, File, Format, Options};
use serde_json::json;

/// A 6 m simply supported beam under 20 kN/m, as STAAD's Beam Force Detail copies it: the beam and
/// load case on the first row of each group only, units in the headers, Mz positive hogging.
fn staad_table() -> String {
    let mut s = String::from("Beam,L/C,d m,Fx kN,Fy kN,Fz kN,Mx kNm,My kNm,Mz kNm\n");
    for (lc, w) in [("1 DL", 20.0), ("2 LL", 8.0)] {
        for k in 0..=6 {
            let x = f64::from(k);
            let m = w * x * (6.0 - x) / 2.0;
            let v = w * (3.0 - x);
            let (beam, case) = if k == 0 { ("7", lc) } else { ("", "") };
            s.push_str(&format!("{beam},{case},{x},0,{v},0,0,0,{}\n", -m));
        }
    }
    s
}

#[test]
fn staad_beam_force_detail_with_a_sections_file() {
    let forces = staad_table();
    let sections = "beam,width,depth,fck\n7,300,450,30\n";
    let files = [
        File {
            name: "forces.csv",
            bytes: forces.as_bytes(),
        },
        File {
            name: "sections.csv",
            bytes: sections.as_bytes(),
        },
    ];
    let imported =
        import(Format::Staad, &files, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    let m = &imported.members[0];
    assert_eq!(m["id"], "7");
    assert_eq!(
        m["section"],
        json!({"width": 300.0, "depth": 450.0, "fck": 30.0, "fy": 500.0})
    );
    assert_eq!(m["cases"]["1 DL"]["type"], "dead");
    assert_eq!(m["cases"]["2 LL"]["type"], "imposed");
    // Mz = -90 kN·m (hogging positive) at midspan is a sagging 90 kN·m.
    assert_eq!(
        m["cases"]["1 DL"]["stations"][0][3],
        json!({"x": 3000.0, "M": 90.0, "V": 0.0, "T": 0.0})
    );
    let member = is456::Member::from_json(m).unwrap_or_else(|e| panic!("{e:?}"));
    let result = is456::design_member(&member);
    // 1.5 (DL + LL) = 42 kN/m: 189 kN·m at midspan.
    let peak = result.spans[0]
        .envelope
        .iter()
        .map(|p| p.mu_sagging)
        .fold(0.0, f64::max);
    assert!((peak - 189.0).abs() < 1e-9, "{peak}");
}

#[test]
fn plain_csv_with_factored_combinations() {
    let mut s = String::from("story,beam,span_m,station_m,case,M,V,T,width,depth,support_width\n");
    for k in 0..=4 {
        let x = 1.25 * f64::from(k);
        let m = 30.0 * x * (5.0 - x) / 2.0;
        s.push_str(&format!(
            "L2,B9,5,{x},1.5(DL+LL),{m},{},0,230,450,300\n",
            30.0 * (2.5 - x)
        ));
    }
    let file = File {
        name: "plain.csv",
        bytes: s.as_bytes(),
    };
    let imported =
        import(Format::Csv, &[file], &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    let m = &imported.members[0];
    assert_eq!(m["id"], "L2/B9");
    assert_eq!(
        m["spans"],
        json!([{"length": 5000.0, "support_width": 300.0}])
    );
    assert_eq!(m["cases"]["1.5(DL+LL)"]["type"], "combination");
    assert_eq!(
        m["combinations"],
        json!([{"name": "1.5(DL+LL)", "factors": {"1.5(DL+LL)": 1.0}}])
    );
    is456::Member::from_json(m).unwrap_or_else(|e| panic!("{e:?}"));
}
