//! The readable summary of a design printed by `beamline design`.

use std::fmt::Write;

use is456::{Beam, DesignResult, Status};

pub fn render(beam: &Beam, r: &DesignResult) -> String {
    let mut out = String::new();
    let name = beam.id().map_or_else(String::new, |id| format!("{id}: "));
    let _ = writeln!(
        out,
        "{name}{:.0} × {:.0} mm beam, M{} concrete, Fe{} steel, d = {:.1} mm",
        beam.width(),
        beam.depth(),
        beam.fck(),
        beam.fy(),
        r.flexure.d
    );
    let status = match r.status {
        Status::Success => "SUCCESS",
        Status::Fail => "FAIL",
    };
    let _ = writeln!(
        out,
        "{status}: utilization {:.3}, governed by {}\n",
        r.utilization, r.governing_check
    );
    let _ = writeln!(
        out,
        "  Tension bars      {:<18} Ast {:.1} mm² provided, {:.1} required",
        r.bars_provided, r.ast_provided, r.ast_required
    );
    let _ = writeln!(
        out,
        "  Compression bars  {:<18} Asc {:.1} mm² provided, {:.1} required",
        r.compression_bars, r.asc_provided, r.asc_required
    );
    let _ = writeln!(out, "  Stirrups          {}", r.stirrups);
    if let Some(sf) = &r.detailing.side_face {
        let _ = writeln!(out, "  Side-face bars    {}", sf.bars);
    }
    let _ = writeln!(
        out,
        "  Development       Ld {} mm in tension, {} mm in compression\n",
        r.detailing.ld_tension, r.detailing.ld_compression
    );
    let _ = writeln!(
        out,
        "  {:<17} {:>11}  {:<6} clause",
        "check", "utilization", ""
    );
    for c in &r.checks {
        let verdict = if c.passed { "ok" } else { "FAIL" };
        let _ = writeln!(
            out,
            "  {:<17} {:>11.3}  {:<6} {}",
            c.check, c.utilization, verdict, c.clause
        );
    }
    if !r.failed_checks.is_empty() {
        let _ = writeln!(out, "\nWhat to change:");
        for f in &r.failed_checks {
            let _ = writeln!(out, "  - {} ({}): {}", f.check, f.clause, f.message);
        }
    }
    if !r.warnings.is_empty() {
        let _ = writeln!(out, "\nWarnings:");
        for w in &r.warnings {
            let _ = writeln!(out, "  - {w}");
        }
    }
    out
}
