//! DXF sheets of designed members and beams, read back entity by entity.

use std::collections::BTreeSet;

use beamline_drawing::{beam_dxf, member_dxf, LAYERS};
use beamline_testkit::dxf_entities as entities;
use serde_json::json;

fn two_spans() -> (is456::Member, is456::MemberResult) {
    let m = json!({"id": "B12", "typical": ["B13"],
    "section": {"width": 300, "depth": 500, "fck": 25, "fy": 500},
    "spans": [{"length": 6000, "support_width": 300}, {"length": 6000, "support_width": 300}],
    "stations": [
        [{"x": 0, "Mu": -40, "Vu": 120}, {"x": 1500, "Mu": 60, "Vu": 60}, {"x": 3000, "Mu": 110, "Vu": 10}, {"x": 4500, "Mu": 40, "Vu": 80}, {"x": 6000, "Mu": -160, "Vu": 145}],
        [{"x": 0, "Mu": -160, "Vu": 145}, {"x": 1500, "Mu": 40, "Vu": 80}, {"x": 3000, "Mu": 110, "Vu": 10}, {"x": 4500, "Mu": 60, "Vu": 60}, {"x": 6000, "Mu": -40, "Vu": 120}]
    ]});
    let member = is456::Member::from_json(&m).expect("a valid member");
    let result = is456::design_member(&member);
    (member, result)
}

#[test]
fn a_member_sheet_has_its_marks_dimensions_sections_and_schedule_on_named_layers() {
    let (member, result) = two_spans();
    let dxf = member_dxf(&member, &result);
    let found = entities(&dxf);
    let layers: BTreeSet<&str> = found.iter().map(|e| e.1.as_str()).collect();
    let named: BTreeSet<&str> = LAYERS.iter().map(|l| l.name).collect();
    assert!(layers.is_subset(&named), "{layers:?}");
    assert_eq!(layers, named, "every layer is used");
    let texts: Vec<&str> = found
        .iter()
        .filter(|e| e.0 == "TEXT")
        .map(|e| e.2.as_str())
        .collect();
    for bar in &result.bars {
        let label = format!("{} {}", bar.mark, bar.text.replace('φ', "%%c"));
        assert!(texts.contains(&label.as_str()), "{label} in {texts:?}");
    }
    for span in &result.spans {
        assert!(texts.contains(&format!("{:.0}", span.length).as_str()));
        assert!(texts.contains(&format!("clear {:.0}", span.clear_span).as_str()));
        for z in &span.stirrups {
            assert!(
                texts.contains(&z.text.replace('φ', "%%c").as_str()),
                "{}",
                z.text
            );
        }
        for z in &span.zones {
            assert!(
                texts.contains(&z.top.replace('φ', "%%c").as_str()),
                "{}",
                z.top
            );
        }
    }
    for heading in [
        "BEAM SCHEDULE",
        "Top at left support",
        "Bottom at midspan",
        "A-A  span 1 left support",
        "F-F  span 2 right support",
    ] {
        assert!(texts.contains(&heading), "{heading}");
    }
    assert!(texts.iter().any(|t| t.contains("typical: also B13")));
    // The bars in the sections: one circle per bar present.
    let circles = found.iter().filter(|e| e.0 == "CIRCLE").count();
    assert!(circles >= 6 * 4, "{circles}");
    assert!(!dxf.contains("NaN") && !dxf.contains("inf"));
}

#[test]
fn a_beam_sheet_has_its_section_bars_and_schedule_row() {
    let beam = is456::Beam::from_json(
        &json!({"id": "B7", "width": 230, "depth": 450, "Mu": 90, "Vu": 80}),
    )
    .expect("a beam");
    let result = is456::design(&beam);
    let found = entities(&beam_dxf(&beam, &result));
    let circles = found
        .iter()
        .filter(|e| e.0 == "CIRCLE" && e.1 == "BEAM-BARS-BOTTOM")
        .count();
    let bars: u32 = result
        .detailing
        .tension_layers
        .iter()
        .flat_map(|l| &l.bars)
        .map(|g| g.count)
        .sum();
    assert_eq!(circles as u32, bars);
    let texts: Vec<&str> = found
        .iter()
        .filter(|e| e.0 == "TEXT")
        .map(|e| e.2.as_str())
        .collect();
    assert!(
        texts.contains(&result.bars_provided.replace('φ', "%%c").as_str()),
        "{texts:?}"
    );
    assert!(texts.contains(&"B7"));
}
