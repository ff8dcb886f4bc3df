//! Sections given beside the forces (`--sections FILE` for STAAD): a CSV of `beam, width, depth`
//! (mm) with optional `fck` and `fy` (N/mm²), one row per beam.

use std::collections::HashMap;

use crate::error::Problems;
use crate::model::{Reader, Section};
use crate::table::Table;

#[derive(Debug, Default)]
pub struct Sections(HashMap<String, Section>);

impl Sections {
    pub fn get(&self, beam: &str) -> Option<Section> {
        self.0.get(beam).cloned()
    }

    pub fn read(tables: &[Table], problems: &mut Problems) -> Sections {
        let mut sections = HashMap::new();
        for t in tables {
            let (Some(beam), Some(width), Some(depth)) = (
                t.column(&["beam", "member", "name"]),
                t.column(&["width", "b"]),
                t.column(&["depth", "d", "h"]),
            ) else {
                problems.at(t.whole(), "a sections table needs the columns beam, width and depth (mm), and may have fck and fy");
                continue;
            };
            let fck = t.column(&["fck"]);
            let fy = t.column(&["fy"]);
            let mut r = Reader { table: t, problems };
            for row in &t.rows {
                let name = r.text(row, beam).to_owned();
                let (Some(w), Some(d)) = (r.number(row, width, 1.0), r.number(row, depth, 1.0))
                else {
                    continue;
                };
                let fck = fck.and_then(|c| r.number(row, c, 1.0));
                let fy = fy.and_then(|c| r.number(row, c, 1.0));
                sections.insert(
                    name.clone(),
                    Section {
                        name,
                        width: w,
                        depth: d,
                        fck,
                        fy,
                    },
                );
            }
        }
        Sections(sections)
    }
}
