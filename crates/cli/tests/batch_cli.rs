//! `beamline batch` on files, as a user runs it.

use std::process::Command;

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("beamline-batch-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A CSV of `n` beams in which every 1000th row (from row 500) is invalid.
pub fn big_csv(n: usize) -> (String, Vec<usize>) {
    let mut text = String::from("id,width,depth,Mu,Vu,fck,fy,span,support\n");
    let mut bad_lines = Vec::new();
    for i in 0..n {
        let width = if i % 1000 == 500 {
            bad_lines.push(i + 2);
            50
        } else {
            230 + (i % 5) * 50
        };
        text.push_str(&format!(
            "B{i},{width},{},{},{},25,500,{},{}\n",
            450 + (i % 7) * 50,
            60 + (i % 150),
            40 + (i % 120),
            5000 + (i % 4) * 500,
            if i % 3 == 0 { "continuous" } else { "ss" }
        ));
    }
    (text, bad_lines)
}

#[test]
fn ten_thousand_rows_are_all_designed_and_invalid_ones_named_by_line() {
    let dir = scratch("big");
    let (csv, bad_lines) = big_csv(10_000);
    std::fs::write(dir.join("beams.csv"), csv).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_beamline"))
        .args(["batch", "beams.csv", "--out", "results.csv"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for line in &bad_lines {
        assert!(
            stderr.contains(&format!(
                "line {line}: width: must be between 100 and 3000 mm, got 50"
            )),
            "{stderr}"
        );
    }
    assert!(stderr.contains("10000 beams:"), "{stderr}");
    let results = std::fs::read_to_string(dir.join("results.csv")).unwrap();
    let rows: Vec<&str> = results.lines().skip(1).collect();
    assert_eq!(rows.len(), 10_000);
    for (i, row) in rows.iter().enumerate() {
        assert!(row.starts_with(&format!("{i},B{i},")), "row {i}: {row}");
    }
    assert_eq!(
        rows.iter().filter(|r| r.contains(",INVALID,")).count(),
        bad_lines.len()
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn json_input_to_standard_output_and_unreadable_input() {
    let dir = scratch("json");
    std::fs::write(
        dir.join("beams.json"),
        r#"{"beams": [{"id": "A", "b": 300, "D": 500, "moment": 100}]}"#,
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_beamline"))
        .args(["batch", "beams.json"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text
        .lines()
        .nth(1)
        .unwrap()
        .starts_with("0,A,SUCCESS,300.0,500.0,100.0,"));

    std::fs::write(dir.join("bad.csv"), "width,moment_x\n300,1\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_beamline"))
        .args(["batch", "bad.csv"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown column `moment_x`"));
    let out = Command::new(env!("CARGO_BIN_EXE_beamline"))
        .args(["batch", "missing.csv"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(dir).ok();
}
