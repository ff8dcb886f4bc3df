//! The design of a member (docs/members.md, "The result"): plain data, serialised as the API's JSON.
//! Positions in a span are mm from the span's left end, as the stations are given.

use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::bbs::Bbs;
use crate::result::{CheckSummary, FailedCheck, Provenance, Status};

/// A place on the member: span (from 0) and mm from the span's left end.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Station {
    pub span: usize,
    pub x: f64,
}

/// One check of the member, where it is worst.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MemberCheck {
    pub check: &'static str,
    pub clause: &'static str,
    pub span: usize,
    pub x: f64,
    pub utilization: f64,
    pub passed: bool,
    /// What is wrong and what to change, when it fails.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CombinationResult {
    pub name: String,
    pub factors: BTreeMap<String, f64>,
}

/// A zone of a span checked as a section with the bars drawn there.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ZoneResult {
    /// `left_support`, `midspan` or `right_support`.
    pub zone: &'static str,
    pub x: f64,
    /// Where a midspan zone's hogging is checked, when elsewhere than `x`: the largest hogging of
    /// the middle of the span, with the top bars there (`Mu_capacity_hogging` is theirs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hogging_x: Option<f64>,
    /// `2-16φ cont. + 2-20φ extra`.
    pub top: String,
    pub bottom: String,
    /// `2L-8φ@100`.
    pub stirrups: String,
    #[serde(rename = "Mu_sagging")]
    pub mu_sagging: f64,
    #[serde(rename = "Mu_hogging")]
    pub mu_hogging: f64,
    #[serde(rename = "Vu")]
    pub vu: f64,
    #[serde(rename = "Tu")]
    pub tu: f64,
    #[serde(rename = "Ast_top")]
    pub ast_top: f64,
    #[serde(rename = "Ast_bottom")]
    pub ast_bottom: f64,
    /// Moment of resistance with the bars drawn here, sagging, kN·m (when it carries sagging).
    #[serde(
        rename = "Mu_capacity_sagging",
        skip_serializing_if = "Option::is_none"
    )]
    pub mu_capacity_sagging: Option<f64>,
    #[serde(
        rename = "Mu_capacity_hogging",
        skip_serializing_if = "Option::is_none"
    )]
    pub mu_capacity_hogging: Option<f64>,
    #[serde(rename = "Vu_capacity")]
    pub vu_capacity: f64,
    /// Effective depth of the tension bars of the governing sign, mm.
    pub d: f64,
    /// Limiting moment of the governing sign (Cl 38.1, Annex G), kN·m.
    #[serde(rename = "Mu_lim")]
    pub mu_lim: f64,
    /// Least tension steel: 0.85 b d / fy (Cl 26.5.1.1 a), or 0.24 √fck / fy · b d when ductile
    /// (IS 13920 Cl 6.2.1), mm².
    #[serde(rename = "Ast_min")]
    pub ast_min: f64,
    /// Most steel on a face: 0.04 b D (Cl 26.5.1.1 b), or 0.025 b d when ductile (IS 13920 Cl 6.2.2), mm².
    #[serde(rename = "Ast_max")]
    pub ast_max: f64,
    pub status: Status,
    pub utilization: f64,
    pub governing_check: &'static str,
    pub checks: Vec<CheckSummary>,
    pub failed_checks: Vec<FailedCheck>,
}

/// The envelope and the capacity of the bars present at one station.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EnvelopePoint {
    pub x: f64,
    #[serde(rename = "Mu_sagging")]
    pub mu_sagging: f64,
    #[serde(rename = "Mu_hogging")]
    pub mu_hogging: f64,
    #[serde(rename = "Vu")]
    pub vu: f64,
    #[serde(rename = "Tu")]
    pub tu: f64,
    pub top_bars: u32,
    pub bottom_bars: u32,
    #[serde(rename = "Mu_capacity_sagging")]
    pub mu_capacity_sagging: f64,
    #[serde(rename = "Mu_capacity_hogging")]
    pub mu_capacity_hogging: f64,
    /// Combinations giving the largest sagging moment, hogging moment and shear.
    pub governing: [Arc<str>; 3],
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StirrupZoneResult {
    pub from: f64,
    pub to: f64,
    pub legs: u32,
    pub dia: u32,
    pub spacing: u32,
    pub count: u32,
    /// `2L-8φ@100 for 900`.
    pub text: String,
}

/// A point where bars stop or are lapped.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BarPoint {
    /// `top` or `bottom`.
    pub face: &'static str,
    pub mark: String,
    pub x: f64,
    /// Lap length, mm (laps only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length: Option<f64>,
}

/// IS 13920 capacity design of one span's shear (Cl 6.3.3), kN and kN·m.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CapacityShear {
    /// Moments of resistance of the bars at the left and right faces: [sagging, hogging].
    pub left: [f64; 2],
    pub right: [f64; 2],
    pub clear_span: f64,
    /// 1.4 (Mu,sagging + Mu,hogging) / clear span, the larger sway.
    pub sway: f64,
    /// Gravity shear 1.2 (DL + LL) at each face.
    pub gravity: [f64; 2],
    /// Design shear at each face: gravity + sway, never less than the analysis.
    pub design: [f64; 2],
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SpanResult {
    pub span: usize,
    pub length: f64,
    pub clear_span: f64,
    /// Faces of the supports, mm from the span's left end.
    pub faces: [f64; 2],
    /// As span/depth sees it: simply_supported, continuous or cantilever.
    pub support: &'static str,
    pub d: f64,
    pub zones: Vec<ZoneResult>,
    pub cut_offs: Vec<BarPoint>,
    pub laps: Vec<BarPoint>,
    pub stirrups: Vec<StirrupZoneResult>,
    pub envelope: Vec<EnvelopePoint>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity_shear: Option<CapacityShear>,
}

/// One group of bars along the member.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BarResult {
    pub mark: String,
    pub face: &'static str,
    pub continuous: bool,
    pub count: u32,
    pub dia: u32,
    pub start: Station,
    pub end: Station,
    /// Legs of the 90° bends at the start and the end, mm (0 for none).
    pub legs: [f64; 2],
    /// `2-16φ`.
    pub text: String,
}

/// Side-face bars along the member (docs/members.md, "Side faces").
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SideFaceBars {
    /// `2-12φ each face`.
    pub text: String,
    /// mm.
    pub dia: u32,
    /// Bars on each of the two faces.
    pub per_face: u32,
    /// 0.1 % of b·D, both faces, mm².
    pub area_required: f64,
    /// Both faces, mm².
    pub area_provided: f64,
    /// Between the bars over the depth, from the top bars to the bottom bars, mm.
    pub spacing: f64,
    /// Where the bars start and end: as the continuous bars.
    pub start: Station,
    pub end: Station,
    /// Pieces each line of bars is cut into (longer than a 12 m stock bar, it is lapped).
    pub pieces: u32,
    /// The lap of Cl 26.2.5.1 between pieces, mm.
    pub lap_length: f64,
    /// `IS 456 Cl 26.5.1.3` (deeper than 750 mm) or `IS 456 Cl 26.5.1.7 (b)` (torsion).
    pub clause: &'static str,
}

/// The design of a member (docs/members.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MemberResult {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The other beams this design stands for (typical beams), as given.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub typical: Vec<String>,
    pub status: Status,
    pub utilization: f64,
    pub governing_check: &'static str,
    pub governing_station: Station,
    pub ductile: bool,
    pub failed_checks: Vec<MemberCheck>,
    pub warnings: Vec<String>,
    pub checks: Vec<MemberCheck>,
    pub combinations: Vec<CombinationResult>,
    pub spans: Vec<SpanResult>,
    pub bars: Vec<BarResult>,
    /// Side-face bars, where the section is deeper than 750 mm or torsion meets a side over 450 mm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side_faces: Option<SideFaceBars>,
    pub bbs: Bbs,
    pub provenance: Provenance,
}
