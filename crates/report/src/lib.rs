//! Calculation reports of Beamline designs (docs/report.md): the same sheet rendered as one
//! self-contained HTML page (inline CSS and SVG, A4 print rules) and as a PDF (vector drawing, embedded
//! and subset DejaVu Sans, selectable text).
//!
//! The sheet is built from the design result alone: every number printed is the result's own, never
//! recomputed, so the report and the JSON answer cannot disagree.
//!
//! ```
//! let beam = is456::Beam::from_json(&serde_json::json!({"width": 300, "depth": 500, "Mu": 150})).unwrap();
//! let result = is456::design(&beam);
//! let input = beamline_report::ReportInput::new(&beam, &result, "2026-12-02");
//! let html = beamline_report::html(&input);
//! assert!(html.contains("IS 456 Cl 38.1"));
//! let pdf = beamline_report::pdf(&input).unwrap();
//! assert!(pdf.starts_with(b"%PDF"));
//! ```

mod html;
mod member;
mod pdf;
mod sheet;

pub use html::{html, member_html};
pub use member::MemberReportInput;
pub use pdf::{member_pdf, pdf};
pub use sheet::ReportInput;

/// A report that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}
