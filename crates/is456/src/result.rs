//! The design result (docs/api.md "The result"): plain data, serialised as the API's JSON. How a
//! design becomes one is in `build`.

use serde::Serialize;

pub use crate::bars::BarGroup;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Success,
    Fail,
}

/// One failed check: which, under which clause, and a sentence saying what to change.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FailedCheck {
    pub check: &'static str,
    pub clause: &'static str,
    pub message: String,
}

/// One check that ran, with its largest demand/capacity ratio.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CheckSummary {
    pub check: &'static str,
    pub utilization: f64,
    pub passed: bool,
    pub clause: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FlexureResult {
    /// Effective depth used, mm.
    pub d: f64,
    /// Design moment (Me1 under torsion), kN·m.
    #[serde(rename = "Mu")]
    pub mu: f64,
    pub xu: f64,
    pub xu_max: f64,
    #[serde(rename = "Mu_lim")]
    pub mu_lim: f64,
    #[serde(rename = "Mu_capacity")]
    pub mu_capacity: f64,
    pub section: &'static str,
    #[serde(rename = "Ast_min")]
    pub ast_min: f64,
    #[serde(rename = "Ast_max")]
    pub ast_max: f64,
    pub pt: f64,
    pub layers: u32,
    /// Neutral axis of the section as built (the bars provided, compression steel by strain
    /// compatibility, Fig 23), mm; never above `xu_max` in a SUCCESS.
    pub xu_as_built: f64,
    /// Depth of the compression steel, mm.
    pub d_prime: f64,
    /// Stress in the compression steel (Fig 23), N/mm²; 0 when singly reinforced.
    pub fsc: f64,
    /// The face the tension bars are at: `bottom` (sagging) or `top` (hogging, Mu < 0).
    pub tension_face: &'static str,
    /// Effective flange width (Cl 23.1.2), mm: T and L sections (in tension under a hogging moment).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bf: Option<f64>,
    /// Flange thickness, mm: T and L sections.
    #[serde(rename = "Df", skip_serializing_if = "Option::is_none")]
    pub df: Option<f64>,
    /// Where the neutral axis of the section as built lies: `flange` or `web` (T and L sections under
    /// a sagging moment).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub neutral_axis: Option<&'static str>,
    pub clause: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ShearResult {
    pub tau_v: f64,
    pub tau_c: f64,
    pub tau_c_max: f64,
    #[serde(rename = "Vus")]
    pub vus: f64,
    pub stirrup_dia: u32,
    pub legs: u32,
    pub spacing_required: f64,
    /// `None` when no buildable spacing (≥ 75 mm) exists.
    pub spacing_provided: Option<u32>,
    #[serde(rename = "Vu_capacity")]
    pub vu_capacity: f64,
    /// The factor 2d/av applied to τc near a support (Cl 40.5), where it applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enhancement: Option<f64>,
    pub clause: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TorsionResult {
    /// The torsion Mt, Me1 and Me2 are worked out from, where less than Tu: a member's midspan zone,
    /// whose stirrups carry the middle's largest torsion and whose moment acts with its own point's.
    #[serde(rename = "Tu_with_Mu", skip_serializing_if = "Option::is_none")]
    pub tu_with_mu: Option<f64>,
    #[serde(rename = "Mt")]
    pub mt: f64,
    #[serde(rename = "Me1")]
    pub me1: f64,
    #[serde(rename = "Me2")]
    pub me2: f64,
    #[serde(rename = "Ve")]
    pub ve: f64,
    pub tau_ve: f64,
    pub tau_c: f64,
    pub tau_c_max: f64,
    pub spacing_required: f64,
    /// Steel required at the compression face for Me2, mm².
    pub top_steel_required: f64,
    pub clause: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SideFaceResult {
    pub bars: String,
    pub dia: u32,
    pub per_face: u32,
    pub area_required: f64,
    pub area_provided: f64,
    pub spacing: f64,
    pub clause: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DetailingResult {
    #[serde(rename = "Ld_tension")]
    pub ld_tension: u32,
    #[serde(rename = "Ld_compression")]
    pub ld_compression: u32,
    /// Clear horizontal distance between the tension bars of the first layer, mm.
    pub bar_clear_spacing: f64,
    /// Least clear distance allowed (Cl 26.3.2 a), mm.
    pub min_clear_spacing: f64,
    /// Greatest clear distance allowed (Table 15), mm.
    pub max_clear_spacing: f64,
    pub side_face: Option<SideFaceResult>,
    /// The tension bars as built, one entry per layer from the tension face outwards.
    pub tension_layers: Vec<LayerResult>,
    /// The compression (top) bars as built, one entry per layer from the compression face.
    pub compression_layers: Vec<LayerResult>,
    pub clause: &'static str,
}

/// One layer of bars: its groups and the depth of its centroid from its face (mm).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LayerResult {
    pub bars: Vec<BarGroup>,
    pub y: f64,
}

/// Lateral stability (Cl 23.3).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StabilityResult {
    /// Clear distance between lateral restraints, mm.
    pub restraint_spacing: f64,
    /// The largest allowed: min(60 b, 250 b²/d), or min(25 b, 100 b²/d) for a cantilever, mm.
    pub allowed_spacing: f64,
    pub clause: &'static str,
}

/// Cover, grade and fire resistance (Tables 5, 16, 16A, Fig 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DurabilityResult {
    pub exposure: &'static str,
    /// Nominal cover given (to the stirrups), mm.
    pub cover: f64,
    /// Least nominal cover for the exposure (Table 16) and the fire rating (Table 16A), mm.
    pub cover_required: f64,
    /// Largest main bar diameter, mm: never more than the cover (Cl 26.4.1).
    pub largest_bar: u32,
    /// Least grade for the exposure (Table 5), N/mm².
    pub fck_required: f64,
    /// Fire rating asked for, hours.
    pub fire_rating: Option<f64>,
    /// Least width for the fire rating (Fig 1), mm.
    pub fire_min_width: Option<f64>,
    pub clause: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ServiceabilityResult {
    pub span: f64,
    pub basic_ratio: f64,
    pub span_factor: f64,
    pub kt: f64,
    pub kc: f64,
    #[serde(rename = "allowable_L/d")]
    pub allowed_ratio: f64,
    #[serde(rename = "actual_L/d")]
    pub actual_ratio: f64,
    /// Fig 6, flanged beams (1 for rectangles).
    pub kf: f64,
    pub clause: &'static str,
    /// Deflection by calculation (Annex C).
    pub calculated: Option<CalculatedDeflectionResult>,
}

/// Deflection by calculation (Annex C) against Cl 23.2 (a) and (b), mm.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CalculatedDeflectionResult {
    /// Service moment used, kN·m.
    #[serde(rename = "Ms")]
    pub ms: f64,
    /// Whether Ms was assumed (|Mu| / 1.5) rather than given.
    pub ms_assumed: bool,
    pub permanent_fraction: f64,
    /// Cracking moment, kN·m.
    #[serde(rename = "Mr")]
    pub mr: f64,
    /// Effective moment of inertia at Ms, mm⁴.
    #[serde(rename = "Ieff")]
    pub ieff: f64,
    pub short_term: f64,
    pub shrinkage: f64,
    pub creep: f64,
    pub total: f64,
    /// span/250.
    pub total_limit: f64,
    pub after_finishes: f64,
    /// span/350, at most 20 mm.
    pub after_finishes_limit: f64,
    /// Whether this decides the deflection check (a cantilever over 10 m); elsewhere span/depth does.
    pub governs: bool,
    pub clause: &'static str,
}

/// Crack width at the service moment (Annex F) against Cl 35.3.2.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CrackWidthResult {
    /// Service moment used, kN·m.
    #[serde(rename = "Ms")]
    pub ms: f64,
    /// Whether Ms was assumed (|Mu| / 1.5): the width is then reported, and the spacing rules of
    /// Cl 26.3.2 control cracking (Cl 43.1).
    pub ms_assumed: bool,
    /// Modular ratio 280 / (3 σcbc).
    pub m: f64,
    /// Neutral axis of the cracked section, mm.
    pub x: f64,
    /// Steel stress at Ms, N/mm².
    pub fs: f64,
    /// The largest width of the points, mm.
    pub width: f64,
    /// Cl 35.3.2 for the exposure, mm.
    pub limit: f64,
    pub points: Vec<CrackPointResult>,
    pub clause: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CrackPointResult {
    /// `tension_face` (midway between bars), `corner` or `side_face`.
    pub location: &'static str,
    /// Distance from the point to the surface of the nearest bar, mm.
    pub acr: f64,
    /// Depth of the point from the compression face, mm.
    pub depth: f64,
    pub width: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Provenance {
    pub engine: &'static str,
    pub version: &'static str,
    pub code: &'static str,
    pub input_hash: String,
}

/// The design of one beam (docs/engine.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DesignResult {
    pub status: Status,
    #[serde(rename = "Ast_required")]
    pub ast_required: f64,
    #[serde(rename = "Ast_provided")]
    pub ast_provided: f64,
    pub bars_provided: String,
    #[serde(rename = "Asc_required")]
    pub asc_required: f64,
    #[serde(rename = "Asc_provided")]
    pub asc_provided: f64,
    pub compression_bars: String,
    pub stirrups: String,
    pub utilization: f64,
    pub governing_check: &'static str,
    pub failed_checks: Vec<FailedCheck>,
    pub warnings: Vec<String>,
    pub checks: Vec<CheckSummary>,
    pub flexure: FlexureResult,
    pub shear: ShearResult,
    pub torsion: Option<TorsionResult>,
    pub detailing: DetailingResult,
    pub serviceability: Option<ServiceabilityResult>,
    /// Crack width (Annex F), when there are tension bars and a moment.
    pub crack_width: Option<CrackWidthResult>,
    pub stability: Option<StabilityResult>,
    pub durability: DurabilityResult,
    pub provenance: Provenance,
}
