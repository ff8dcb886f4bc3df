//! `beamline import`, `beamline drawing` and `beamline batch` on an ETABS export, as a user runs them.

use std::process::Command;

const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../docs/examples/etabs-two-storey.csv"
);

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("beamline-import-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn beamline(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_beamline"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn an_export_is_imported_to_members_then_drawn() {
    let dir = scratch("draw");
    let out = beamline(&dir, &["import", "etabs", EXAMPLE, "-o", "members.json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("typical: Story1/B1-B2 designed for Story1/B1-B2, Story1/B3-B4"),
        "{stderr}"
    );
    assert!(
        stderr.contains("members.json written (6 members)"),
        "{stderr}"
    );
    let members: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("members.json")).unwrap()).unwrap();
    assert_eq!(members.as_array().unwrap().len(), 6);

    let out = beamline(&dir, &["drawing", "members.json", "-o", "frame.dxf"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dxf = std::fs::read_to_string(dir.join("frame.dxf")).unwrap();
    assert!(
        dxf.contains("\nBEAM SCHEDULE\n") && dxf.contains("\nStory2/B6  230 x 450  M25 Fe500\n")
    );

    let out = beamline(
        &dir,
        &[
            "import",
            "etabs",
            EXAMPLE,
            "--no-group",
            "--combinations",
            "is456",
        ],
    );
    assert!(out.status.success());
    let members: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(members.as_array().unwrap().len(), 10);
    assert_eq!(members[0]["cases"]["DL"]["type"], "dead");
}

#[test]
fn an_unreadable_export_lists_every_problem_with_its_place_and_exits_2() {
    let dir = scratch("bad");
    let text = std::fs::read_to_string(EXAMPLE)
        .unwrap()
        .replacen(",-33.000,", ",x,", 1);
    std::fs::write(dir.join("forces.csv"), text).unwrap();
    let out = beamline(&dir, &["import", "etabs", "forces.csv"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("forces.csv, line 4, column 13 (M3): `x` is not a number"),
        "{stderr}"
    );
    let out = beamline(
        &dir,
        &["import", "etabs", "forces.csv", "--units", "furlongs"],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = beamline(&dir, &["batch", "forces.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 4, column 13 (M3)"));
    // An option out of its range is refused by its flag, before the file is read.
    let out = beamline(&dir, &["import", "etabs", "forces.csv", "--fck", "5"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--fck takes 15 to 100 N/mm², got 5"),
        "{stderr}"
    );
}

#[test]
fn a_batch_of_an_etabs_export_designs_its_typical_beams() {
    let dir = scratch("batch");
    let out = beamline(&dir, &["batch", EXAMPLE, "--out", "results.csv"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results = std::fs::read_to_string(dir.join("results.csv")).unwrap();
    assert_eq!(results.lines().count(), 7);
    assert!(results
        .lines()
        .nth(1)
        .unwrap()
        .starts_with("0,Story1/B1-B2,SUCCESS,300.0,500.0"));
}

/// The commands of docs/import.md's first example run as written (in a directory holding the
/// example export where the docs have it) and leave the files they name.
#[test]
fn the_docs_import_and_drawing_commands_run_as_written() {
    let doc = include_str!("../../../docs/import.md");
    let block = &doc[doc.find("```sh\n").expect("a shell example") + 6..];
    let block = &block[..block.find("```").expect("the example ends")];
    let dir = scratch("docs");
    std::fs::create_dir_all(dir.join("docs/examples")).unwrap();
    std::fs::copy(EXAMPLE, dir.join("docs/examples/etabs-two-storey.csv")).unwrap();
    let commands: Vec<Vec<&str>> = block
        .lines()
        .filter_map(|l| l.trim().strip_prefix("beamline "))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(commands.len(), 2, "{block}");
    for args in &commands {
        let out = beamline(&dir, args);
        assert!(
            out.status.success(),
            "beamline {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        let written = args[args.iter().position(|a| *a == "-o").expect("-o") + 1];
        assert!(
            std::fs::metadata(dir.join(written)).unwrap().len() > 0,
            "{written}"
        );
    }
    let dxf = std::fs::read_to_string(dir.join("frame.dxf")).unwrap();
    assert!(dxf.contains("ENTITIES") && dxf.trim_end().ends_with("EOF"));
}
