//! The examples of docs/import.md, imported as written there.

use beamline_import::{import, File, Format, Options};

const DOC: &str = include_str!("../../../docs/import.md");

/// The body of the code block whose info string is exactly `info`.
fn block(info: &str) -> String {
    let start = DOC
        .find(&format!("```{info}\n"))
        .unwrap_or_else(|| panic!("no ```{info} block"));
    let body = &DOC[start + info.len() + 4..];
    body[..body.find("```").expect("a closed block")].to_owned()
}

#[test]
fn the_staad_example_reads_with_its_sections() {
    let (forces, sections) = (block("csv staad"), block("csv staad-sections"));
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
    assert_eq!(m["section"]["fck"], 30.0);
    // Mz = -90 (top in tension positive) is a sagging 90 kN·m.
    assert_eq!(m["cases"]["1 DL"]["stations"][0][2]["M"], 90.0);
    let result =
        is456::design_member(&is456::Member::from_json(m).unwrap_or_else(|e| panic!("{e:?}")));
    assert_eq!(
        result.status,
        is456::Status::Success,
        "{:?}",
        result.failed_checks
    );
}

#[test]
fn the_plain_example_reads() {
    let text = block("csv plain");
    let imported = import(
        Format::Csv,
        &[File {
            name: "plain.csv",
            bytes: text.as_bytes(),
        }],
        &Options::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let m = &imported.members[0];
    assert_eq!(m["id"], "L2/B9");
    assert_eq!(m["spans"][0]["support_width"], 300.0);
    is456::Member::from_json(m).unwrap_or_else(|e| panic!("{e:?}"));
}
