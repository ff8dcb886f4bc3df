//! `beamline design --member FILE`: a member along its spans (docs/members.md), as a summary, the
//! exact JSON result, or the bar bending schedule as CSV.
//!
//! Exit codes as for a beam: 0 when the design succeeds, 1 when a check fails, 2 for invalid input.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use is456::{Member, MemberResult, Status};
use serde_json::Value;

use crate::exit::{EXIT_FAIL, EXIT_INVALID};

pub fn read(path: &Path) -> Result<Value, String> {
    let text = if path == Path::new("-") {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        s
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?
    };
    serde_json::from_str(&text).map_err(|e| format!("{} is not valid JSON: {e}", path.display()))
}

pub fn run(path: &Path, json: bool, bbs: bool) -> ExitCode {
    let value = match read(path) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let member = match Member::from_json(&value) {
        Ok(m) => m,
        Err(invalid) => {
            eprintln!("error: invalid member");
            for e in &invalid.errors {
                eprintln!("  {}: {}", e.field, e.message);
            }
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let result = is456::design_member(&member);
    if bbs {
        let name = result.id.clone().unwrap_or_else(|| "member".into());
        print!("{}", is456::member::bbs::to_csv(&result.bbs, &name));
    } else if json {
        match serde_json::to_string_pretty(&result) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        print!("{}", summary(&result));
    }
    match result.status {
        Status::Success => ExitCode::SUCCESS,
        Status::Fail => ExitCode::from(EXIT_FAIL),
    }
}

/// The result as an engineer reads it: status, each span's zones and stirrups, the schedule's weight.
pub fn summary(r: &MemberResult) -> String {
    let status = match r.status {
        Status::Success => "SUCCESS",
        Status::Fail => "FAIL",
    };
    let mut out = format!(
        "{} {status}  utilization {:.3}  governing {} (span {}, x = {} mm)\n",
        r.id.as_deref().unwrap_or("member"),
        r.utilization,
        r.governing_check,
        r.governing_station.span + 1,
        r.governing_station.x
    );
    for s in &r.spans {
        out.push_str(&format!(
            "span {}: {} mm ({} mm clear), d = {} mm\n",
            s.span + 1,
            s.length,
            s.clear_span,
            s.d
        ));
        for z in &s.zones {
            out.push_str(&format!(
                "  {:<14} top {:<28} bottom {:<28} {}\n",
                z.zone, z.top, z.bottom, z.stirrups
            ));
        }
        let stirrups: Vec<&str> = s.stirrups.iter().map(|z| z.text.as_str()).collect();
        out.push_str(&format!("  stirrups: {}\n", stirrups.join(", ")));
    }
    for c in &r.failed_checks {
        out.push_str(&format!(
            "  FAIL {} ({}) span {}, x = {} mm: {}\n",
            c.check,
            c.clause,
            c.span + 1,
            c.x,
            c.message.as_deref().unwrap_or("")
        ));
    }
    out.push_str(&format!(
        "bar bending schedule: {} kg\n",
        r.bbs.total_weight
    ));
    out
}
