//! Tables that cannot be read are answered with every problem, each at its file, line and column.

use beamline_import::{import, File, Format, Options};

const EXAMPLE: &str = include_str!("../../../docs/examples/etabs-two-storey.csv");

fn problems(format: Format, name: &str, text: &str) -> Vec<String> {
    let file = File {
        name,
        bytes: text.as_bytes(),
    };
    match import(format, &[file], &Options::default()) {
        Ok(_) => panic!("{name} was imported"),
        Err(e) => e.problems.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn a_missing_column_is_named_with_the_table() {
    let text = EXAMPLE.replacen(",M3,", ",Moment,", 1);
    let found = problems(Format::Etabs, "forces.csv", &text);
    assert_eq!(
        found,
        ["forces.csv, line 2: the table \"Element Forces - Beams\" has no column `M3`"]
    );
}

#[test]
fn text_in_a_number_is_named_by_line_and_column() {
    // The fourth line is the first row of forces; its M3 is the 13th column.
    let mut lines: Vec<String> = EXAMPLE.lines().map(str::to_owned).collect();
    lines[3] = lines[3].replace(",-33.000,", ",abc,");
    lines[8] = lines[8].replacen(",0.0000,", ",,", 1);
    let found = problems(Format::Etabs, "forces.csv", &lines.join("\n"));
    assert_eq!(
        found,
        [
            "forces.csv, line 4, column 13 (M3): `abc` is not a number",
            "forces.csv, line 9, column 7 (Station): is empty; a number is needed here"
        ]
    );
}

#[test]
fn a_station_outside_its_beam_is_named_with_the_beam_and_its_length() {
    let mut lines: Vec<String> = EXAMPLE.lines().map(str::to_owned).collect();
    // The last station of Story1/B1 (6 m long) moved to 6.5 m, in every one of its cases.
    for line in lines
        .iter_mut()
        .filter(|l| l.starts_with("Story1,B1,1,") && l.contains(",6.0000,"))
    {
        *line = line.replacen(",6.0000,", ",6.5000,", 1);
    }
    let found = problems(Format::Etabs, "forces.csv", &lines.join("\n"));
    assert_eq!(found.len(), 6, "{found:?}");
    assert!(found[0].starts_with("forces.csv, line 40, column 7 (Station): station 6.5 m is outside beam Story1/B1, which is 6 m long"), "{found:?}");
}

#[test]
fn a_unit_of_the_wrong_kind_is_refused() {
    let text = EXAMPLE.replacen(
        ",m,kN,kN,kN,kN-m,kN-m,kN-m,",
        ",kN,kN,kN,kN,kN-m,kN-m,kN-m,",
        1,
    );
    let found = problems(Format::Etabs, "forces.csv", &text);
    assert_eq!(
        found,
        ["forces.csv, line 2, column 7 (Station): has the unit of a force, but holds a length"]
    );
}

#[test]
fn a_file_that_is_not_a_table_says_so() {
    let found = problems(Format::Etabs, "drawing.bin", "\u{0}\u{1}\u{2}");
    assert_eq!(found, ["no \"Element Forces - Beams\" table was found: export it with Story, Beam, Unique Name, Output Case, Case Type, Station, V2, T and M3"]);
    let bytes = [0xff, 0xfe, 0x00];
    let file = File {
        name: "utf16.csv",
        bytes: &bytes,
    };
    let e = import(Format::Etabs, &[file], &Options::default()).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("utf16.csv: is neither a workbook (XLSX) nor UTF-8 text"),
        "{e}"
    );
}

#[test]
fn a_plain_csv_row_short_of_a_column_is_named() {
    let text = "story,beam,span_m,station_m,case,M,V,T,width,depth\nL1,B1,6,0,DL,-20,40,0,300,500\nL1,B1,6,3,DL,30,0,0,300\n";
    let found = problems(Format::Csv, "plain.csv", text);
    assert_eq!(
        found,
        ["plain.csv, line 3, column 10 (depth): is empty; a number is needed here"]
    );
}

#[test]
fn options_out_of_range_are_refused_by_name() {
    let refused = |options: Options| options.checked().expect_err("should be refused");
    let e = refused(Options {
        fck: 5.0,
        ..Options::default()
    });
    assert_eq!(
        (e.option, e.message.as_str()),
        ("fck", "takes 15 to 100 N/mm², got 5")
    );
    let e = refused(Options {
        section: Some((300.0, 9000.0)),
        ..Options::default()
    });
    assert_eq!(e.option, "depth");
    let e = refused(Options {
        group_tolerance: Some(0.9),
        ..Options::default()
    });
    assert_eq!(e.option, "group_tolerance");
    assert!(Options::default().checked().is_ok());
}
