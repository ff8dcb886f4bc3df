//! `beamline design` as a user runs it: flags, files, standard input, exit codes.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn beamline(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_beamline"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("beamline runs");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn flags_give_a_readable_summary_and_exit_0() {
    let out = beamline(
        &[
            "design", "--width", "300", "--depth", "450", "--Mu", "150", "--Vu", "100",
        ],
        None,
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("SUCCESS"));
    assert!(stdout.contains("Tension bars"));
    assert!(stdout.contains("IS 456 Cl 38.1"));
    assert!(stdout.contains("2L-8φ@"));
}

#[test]
fn json_flag_prints_the_exact_result_object() {
    let out = beamline(
        &["design", "--json", "-b", "300", "-D", "450", "--mu", "150"],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(v["status"], "SUCCESS");
    assert!(v["flexure"]["d"].is_number());
    assert_eq!(v["provenance"]["code"], "IS 456:2000");
}

#[test]
fn json_on_stdin_and_failure_exits_1_with_what_to_change() {
    let out = beamline(
        &["design"],
        Some(r#"{"b": 230, "D": 400, "Mu": 50, "Vu": 300}"#),
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("FAIL"));
    assert!(stdout.contains("depth to at least"), "{stdout}");
}

#[test]
fn a_file_with_flags_overriding_its_aliases() {
    let dir = std::env::temp_dir().join(format!("beamline-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("beam.json");
    std::fs::write(
        &file,
        r#"{"beam_id": "B7", "b": 300, "D": 450, "moment": 900}"#,
    )
    .unwrap();
    let out = beamline(
        &["design", "--json", file.to_str().unwrap(), "--Mu", "120"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["flexure"]["Mu"].as_f64().unwrap() < 121.0);
    let dash = beamline(
        &["design", "--json", "-"],
        Some(&std::fs::read_to_string(&file).unwrap()),
    );
    assert_eq!(dash.status.code(), Some(1));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn invalid_input_exits_2_with_every_field_error_on_stderr() {
    let out = beamline(
        &[
            "design", "--width", "50", "--depth", "450", "--Mu", "-200000",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("width: must be between 100 and 3000 mm, got 50"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Mu: must be between -100000 and 100000 kN·m, got -200000"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn malformed_json_unknown_keys_and_no_beam_exit_2() {
    let out = beamline(&["design"], Some("{not json"));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not valid JSON"));
    let out = beamline(
        &["design"],
        Some(r#"{"width": 300, "depth": 450, "mu": 100}"#),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("did you mean `Mu`"));
    let out = beamline(&["design"], Some(""));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no beam given"));
    let out = beamline(&["design", "/nonexistent/beam.json"], None);
    assert_eq!(out.status.code(), Some(2));
    let out = beamline(&["design", "--width", "abc"], None);
    assert_eq!(out.status.code(), Some(2));
}

/// The README's command-line example is run as written and prints exactly what the README shows.
#[test]
fn the_readme_example_prints_what_the_readme_shows() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .expect("README.md");
    let block = readme
        .split("```text\n$ beamline design")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README has a beamline design example");
    let (command, expected) = block.split_once('\n').unwrap();
    let mut args = vec!["design"];
    args.extend(command.split_whitespace());
    let out = beamline(&args, None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), expected);
}

/// The engine's field list is the one vocabulary of a beam: every field has a flag of the same name,
/// and the Python client's `Beam` and the page's form name no field the engine does not know.
#[test]
fn every_beam_field_has_a_flag_and_the_clients_use_the_same_names() {
    let help = text(&beamline(&["design", "--help"], None).stdout);
    for (name, _) in is456::input::FIELDS {
        let flag = format!("--{}", name.replace('_', "-"));
        let listed = help
            .split_whitespace()
            .any(|w| w.trim_end_matches(',') == flag);
        assert!(listed, "no flag {flag}");
    }
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let models =
        std::fs::read_to_string(format!("{root}/clients/python/beamline/models.py")).unwrap();
    let typed_dict = models
        .split("class Beam(TypedDict")
        .nth(1)
        .and_then(|rest| rest.split("\n\n\n").next())
        .expect("the Python client has a Beam TypedDict");
    let python: Vec<&str> = typed_dict
        .lines()
        .filter_map(|l| l.strip_prefix("    ")?.split_once(':').map(|(n, _)| n))
        .filter(|n| !n.starts_with(['"', ' ']))
        .collect();
    let engine: Vec<&str> = is456::input::FIELDS.iter().map(|(n, _)| *n).collect();
    assert_eq!(python, engine, "clients/python/beamline/models.py Beam");
    let page = std::fs::read_to_string(format!("{root}/crates/server/assets/index.html")).unwrap();
    for name in page
        .split("data-name=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
    {
        assert!(
            is456::input::canonical_name(name) == Some(name),
            "the page's field `{name}` is not a beam field"
        );
    }
}

/// `beamline report beam.json -o calc.pdf`: the format follows the extension; bad input is the same
/// field errors as `design`.
#[test]
fn report_writes_pdf_or_html_by_extension() {
    let dir = std::env::temp_dir().join(format!("beamline-report-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let beam = dir.join("beam.json");
    std::fs::write(
        &beam,
        r#"{"id": "B3", "b": 300, "D": 500, "Mu": 150, "Vu": 80}"#,
    )
    .unwrap();
    let pdf = dir.join("calc.pdf");
    let out = beamline(
        &[
            "report",
            beam.to_str().unwrap(),
            "-o",
            pdf.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let html = dir.join("calc.html");
    let out = beamline(
        &[
            "report",
            beam.to_str().unwrap(),
            "-o",
            html.to_str().unwrap(),
            "--project",
            "Tower A",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!doctype html>") && page.contains("Tower A") && page.contains("B3"));
    let out = beamline(
        &["report", "-", "--format", "html"],
        Some(r#"{"width": 50, "depth": 500, "Mu": 1}"#),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("width: must be between 100 and 3000 mm, got 50"));
    let out = beamline(&["report", beam.to_str().unwrap(), "-o", "calc.docx"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains(".pdf or .html"));
    std::fs::remove_dir_all(dir).ok();
}

/// Every `$ beamline …` sample in the README is the binary's real output: the test runs the command
/// and compares, so a sample can never drift from what users see.
#[test]
fn the_readme_samples_are_the_real_output() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let mut samples = 0;
    for block in readme.split("```text\n").skip(1) {
        let block = block.split("```").next().unwrap_or("");
        let Some((command, expected)) = block.split_once('\n') else {
            continue;
        };
        let Some(args) = command.strip_prefix("$ beamline ") else {
            continue;
        };
        let args: Vec<&str> = args.split_whitespace().collect();
        let out = beamline(&args, None);
        assert_eq!(
            text(&out.stdout),
            expected,
            "README sample `{command}` differs from the binary's output; paste the output above"
        );
        samples += 1;
    }
    assert!(samples >= 1, "the README has no `$ beamline` sample");
}
