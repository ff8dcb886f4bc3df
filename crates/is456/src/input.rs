//! The beam as a client describes it (docs/api.md): canonical names and aliases, defaults, ranges.
//!
//! A [`Beam`] can only be built through [`Beam::from_json`] or [`Beam::from_map`], which report every
//! problem at once; after that the engine never re-checks its input.

use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt;

use crate::flexure::Shape;
use crate::section::{FlangeWidth, SectionKind};
use crate::tables::{MAIN_BAR_DIAS, STIRRUP_DIAS};

/// The largest factored action accepted, kN·m or kN: a physical bound far above any beam this design
/// covers (a 3 m × 4 m section of M80 resists about 10⁵ kN·m), so that no arithmetic overflows.
pub const MAX_ACTION: f64 = 1e5;
/// The longest span or restraint spacing accepted, mm.
pub const MAX_SPAN: f64 = 1e5;

/// One problem with one input field, named by its canonical name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    /// One line for a list of errors: the error itself when there is one, else how many.
    pub fn summary(errors: &[FieldError]) -> String {
        match errors {
            [one] => format!("{}: {}", one.field, one.message),
            many => format!("{} problems", many.len()),
        }
    }

    pub(crate) fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// Every problem found in one beam description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidBeam {
    pub errors: Vec<FieldError>,
}

impl fmt::Display for InvalidBeam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid beam: ")?;
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", e.field, e.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidBeam {}

/// Environmental exposure (Cl 8.2.2.1, Table 3); what each asks of the beam is in durability.rs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Exposure {
    Mild,
    Moderate,
    Severe,
    VerySevere,
    Extreme,
}

impl Exposure {
    pub const NAMES: [&'static str; 5] = ["mild", "moderate", "severe", "very_severe", "extreme"];

    pub fn parse(s: &str) -> Option<Exposure> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Some(match s.as_str() {
            "mild" => Exposure::Mild,
            "moderate" => Exposure::Moderate,
            "severe" => Exposure::Severe,
            "very_severe" => Exposure::VerySevere,
            "extreme" => Exposure::Extreme,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// End condition of the member, which sets the basic span/depth ratio (Cl 23.2.1) and the deep-beam
/// limit (Cl 29.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Support {
    SimplySupported,
    Continuous,
    Cantilever,
}

impl Support {
    fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        match s.as_str() {
            "simply_supported" | "ss" | "simple" => Some(Self::SimplySupported),
            "continuous" | "cont" => Some(Self::Continuous),
            "cantilever" | "cant" => Some(Self::Cantilever),
            _ => None,
        }
    }

    /// Span/depth below which a member is a deep beam (Cl 29.1); IS 456 sets none for cantilevers.
    pub fn deep_beam_ratio(self) -> Option<f64> {
        match self {
            Self::SimplySupported => Some(2.0),
            Self::Continuous => Some(2.5),
            Self::Cantilever => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SimplySupported => "simply_supported",
            Self::Continuous => "continuous",
            Self::Cantilever => "cantilever",
        }
    }
}

/// A valid beam, with every default filled in. Serialises to the normalized input (canonical names).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Beam {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    width: f64,
    depth: f64,
    #[serde(rename = "Mu")]
    mu: f64,
    #[serde(rename = "Vu")]
    vu: f64,
    #[serde(rename = "Tu")]
    tu: f64,
    fck: f64,
    fy: f64,
    fy_stirrup: f64,
    cover: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    effective_depth: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    length: Option<f64>,
    support: Support,
    #[serde(skip_serializing_if = "Option::is_none")]
    stirrup_dia: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    main_bar_dia: Option<u32>,
    aggregate: f64,
    exposure: Exposure,
    #[serde(skip_serializing_if = "Option::is_none")]
    fire_rating: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lateral_restraint_spacing: Option<f64>,
    allow_low_grade: bool,
    #[serde(skip_serializing_if = "is_rectangular")]
    section: SectionKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    flange_width: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    flange_thickness: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    web_spacing: Option<f64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    isolated_flange: bool,
    #[serde(rename = "Ms", skip_serializing_if = "Option::is_none")]
    ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    permanent_fraction: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    av: Option<f64>,
    /// A section of a ductile member: its shear capacity counts no concrete (IS 13920:2016 Cl 6.3.4).
    /// Never read from input; set by the member design for its zones.
    #[serde(skip)]
    concrete_shear_ignored: bool,
    /// The torsion that acts with `Mu` where it is less than `Tu`, the torsion the stirrups carry:
    /// a member's midspan zone, whose stirrups are chosen for the middle's largest torsion and whose
    /// flexure takes the torsion at its own point (Cl 41.4.2). Never read from input.
    #[serde(skip)]
    moment_torsion: Option<f64>,
}

fn is_rectangular(kind: &SectionKind) -> bool {
    *kind == SectionKind::Rectangular
}

/// Canonical field names, each with its aliases (docs/api.md).
pub const FIELDS: [(&str, &[&str]); 28] = [
    ("id", &["beam_id", "member_id", "case_id"]),
    ("width", &["b", "b_mm"]),
    ("depth", &["D", "D_mm"]),
    ("Mu", &["moment", "mu_knm"]),
    ("Vu", &["shear", "vu_kn"]),
    ("Tu", &["torsion", "tu_knm"]),
    ("fck", &["fck_nmm2"]),
    ("fy", &["fy_nmm2"]),
    ("fy_stirrup", &[]),
    ("cover", &["clear_cover", "cover_mm"]),
    ("effective_depth", &["d", "d_mm"]),
    ("length", &["span", "span_mm"]),
    ("support", &["support_condition"]),
    ("stirrup_dia", &["stirrup_dia_mm"]),
    ("main_bar_dia", &["main_bar_dia_mm"]),
    ("aggregate", &[]),
    ("exposure", &[]),
    ("fire_rating", &[]),
    ("lateral_restraint_spacing", &[]),
    ("allow_low_grade", &[]),
    ("section", &[]),
    ("flange_width", &["bf", "bf_mm"]),
    ("flange_thickness", &["Df", "Df_mm"]),
    ("web_spacing", &[]),
    ("isolated_flange", &[]),
    ("Ms", &["service_moment"]),
    ("permanent_fraction", &[]),
    ("av", &[]),
];

/// The canonical name of an input key, if the key is a canonical name or an alias.
pub fn canonical_name(key: &str) -> Option<&'static str> {
    slot_of(key).map(|slot| FIELDS[slot].0)
}

/// The position in [`FIELDS`] of the field an input key names (canonical name or alias).
fn slot_of(key: &str) -> Option<usize> {
    FIELDS
        .iter()
        .position(|(name, aliases)| *name == key || aliases.contains(&key))
}

/// Merges beam objects field by field: each key of `changes`, under any name or alias, replaces the
/// same field of `base` (whatever name `base` gives it) under its canonical name; `null` removes it,
/// so its default applies. Unknown keys in `changes` are errors, all reported at once; `base` is
/// taken as it is (its own problems surface when the merged object is read as a [`Beam`]).
pub fn merge_fields(
    mut base: Map<String, Value>,
    changes: &Map<String, Value>,
) -> Result<Map<String, Value>, InvalidBeam> {
    let mut errors = Vec::new();
    for (key, value) in changes {
        let Some(name) = canonical_name(key) else {
            errors.push(FieldError::new(key, unknown_field(key)));
            continue;
        };
        base.retain(|k, _| canonical_name(k) != Some(name));
        if !value.is_null() {
            base.insert(name.to_owned(), value.clone());
        }
    }
    if errors.is_empty() {
        Ok(base)
    } else {
        Err(InvalidBeam { errors })
    }
}

fn unknown_field(key: &str) -> String {
    match did_you_mean(key) {
        Some(name) => format!("unknown field `{key}`; did you mean `{name}`?"),
        None => format!("unknown field `{key}`"),
    }
}

/// The canonical name of a column or key written loosely: a canonical name or alias in any letter
/// case (`MU`, `b_MM`), as spreadsheets and analysis exports write them. Where two fields differ only
/// in case (`D` depth, `d` effective depth), the exact spelling decides.
pub fn canonical_name_loosely(key: &str) -> Option<&'static str> {
    let key = key.trim();
    if let Some(name) = canonical_name(key) {
        return Some(name);
    }
    // A spelling that could be either of two fields (`d_MM`: depth or effective depth) is neither.
    let mut matches = FIELDS.iter().filter(|(name, aliases)| {
        name.eq_ignore_ascii_case(key) || aliases.iter().any(|a| a.eq_ignore_ascii_case(key))
    });
    match (matches.next(), matches.next()) {
        (Some((name, _)), None) => Some(*name),
        _ => None,
    }
}

/// The field whose name or alias is nearest to `key` (at most two edits away), for a suggestion.
pub fn nearest_field(key: &str) -> Option<&'static str> {
    let key = key.trim().to_ascii_lowercase();
    FIELDS
        .iter()
        .flat_map(|(name, aliases)| {
            std::iter::once(*name)
                .chain(aliases.iter().copied())
                .map(move |a| (*name, a))
        })
        .map(|(name, alias)| (edit_distance(&key, &alias.to_ascii_lowercase()), name))
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

/// Levenshtein distance between two short strings.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// A suggestion for a key that is not known: the field whose name or alias matches ignoring case.
fn did_you_mean(key: &str) -> Option<&'static str> {
    FIELDS
        .iter()
        .find(|(name, aliases)| {
            name.eq_ignore_ascii_case(key) || aliases.iter().any(|a| a.eq_ignore_ascii_case(key))
        })
        .map(|(name, _)| *name)
}

/// The flange fields as given (docs/api.md, "Flanged sections").
struct FlangeInput {
    kind: SectionKind,
    width: Option<f64>,
    thickness: Option<f64>,
    web_spacing: Option<f64>,
    isolated: bool,
}

/// The serviceability fields as given.
struct ServiceInput {
    ms: Option<f64>,
    permanent_fraction: Option<f64>,
    av: Option<f64>,
}

/// A field of [`FIELDS`] by its canonical name, with its slot in the list found at compile time
/// ([`field!`]).
#[derive(Clone, Copy)]
struct Field {
    name: &'static str,
    slot: usize,
}

impl Field {
    const fn named(name: &'static str) -> Field {
        Field {
            name,
            slot: slot_named(name),
        }
    }
}

/// The [`Field`] of a canonical name; a name not in [`FIELDS`] fails the build.
macro_rules! field {
    ($name:literal) => {{
        const FIELD: Field = Field::named($name);
        FIELD
    }};
}

fn read_flag(r: &mut Reader, field: Field) -> bool {
    match r.raw(field) {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            let message = format!("must be true or false, got {}", kind(other));
            r.errors.push(FieldError::new(field.name, message));
            false
        }
    }
}

/// `section`, `flange_width`, `flange_thickness`, `web_spacing`, `isolated_flange`; `None` after an
/// error.
fn read_flange(r: &mut Reader, width: Option<f64>, depth: Option<f64>) -> Option<FlangeInput> {
    let kind = match r.raw(field!("section")) {
        None => Some(SectionKind::Rectangular),
        Some(Value::String(s)) => SectionKind::parse(s).or_else(|| {
            r.errors.push(FieldError::new(
                field!("section").name,
                format!(
                    "must be one of {}, got \"{}\"",
                    SectionKind::NAMES.join(", "),
                    s.chars().take(40).collect::<String>()
                ),
            ));
            None
        }),
        Some(other) => {
            let message = format!("must be a string, got {}", kind(other));
            r.errors
                .push(FieldError::new(field!("section").name, message));
            None
        }
    };
    let bf = r.at_least(field!("flange_width"), "mm", 0.0, true);
    let df = r.at_least(field!("flange_thickness"), "mm", 0.0, true);
    let web_spacing = r.at_least(field!("web_spacing"), "mm", 0.0, false);
    let isolated = read_flag(r, field!("isolated_flange"));
    let kind = kind?;
    if !kind.is_flanged() {
        for field in [
            field!("flange_width"),
            field!("flange_thickness"),
            field!("web_spacing"),
            field!("isolated_flange"),
        ] {
            if r.raw(field).is_some() {
                let message = "applies only to a T or L section (`section`)";
                r.errors.push(FieldError::new(field.name, message));
            }
        }
        return Some(FlangeInput {
            kind,
            width: None,
            thickness: None,
            web_spacing: None,
            isolated: false,
        });
    }
    match (df, depth) {
        (None, _) if !r.present(field!("flange_thickness")) => {}
        (Some(df), Some(d_total)) if df < 50.0 || df > d_total - 50.0 => {
            r.errors.push(FieldError::new(
                field!("flange_thickness").name,
                format!(
                    "must be between 50 mm and depth − 50 = {} mm, got {}",
                    num(d_total - 50.0),
                    num(df)
                ),
            ));
        }
        _ => {}
    }
    if let (Some(bf), Some(b)) = (bf, width) {
        if bf < b {
            r.errors.push(FieldError::new(
                field!("flange_width").name,
                format!(
                    "must be at least the web width {} mm, got {}",
                    num(b),
                    num(bf)
                ),
            ));
        }
    }
    Some(FlangeInput {
        kind,
        width: bf,
        thickness: Some(df?),
        web_spacing,
        isolated,
    })
}

/// `Ms`, `permanent_fraction`, `av`; `None` after an error.
fn read_service(r: &mut Reader, mu: Option<f64>) -> Option<ServiceInput> {
    let ms = r.at_least(field!("Ms"), "kN·m", 0.0, false);
    let permanent_fraction = r.ranged(field!("permanent_fraction"), "", 0.0, 1.0);
    let av = r.at_least(field!("av"), "mm", 0.0, true);
    if let (Some(ms), Some(mu)) = (ms, mu) {
        if ms > mu.abs() {
            r.errors.push(FieldError::new(
                field!("Ms").name,
                format!(
                    "the service moment must not exceed the factored one |Mu| = {} kN·m, got {}",
                    num(mu.abs()),
                    num(ms)
                ),
            ));
            return None;
        }
    }
    let bad = |field: Field| r.raw(field).is_some();
    if (bad(field!("Ms")) && ms.is_none())
        || (bad(field!("permanent_fraction")) && permanent_fraction.is_none())
        || (bad(field!("av")) && av.is_none())
    {
        return None;
    }
    Some(ServiceInput {
        ms,
        permanent_fraction,
        av,
    })
}

/// The position in [`FIELDS`] of a canonical name, which is also the field's tag in
/// [`Beam::input_hash`] (fields are only ever added at the end of the list, so tags never change).
/// Panics for any other name, which fails the build where it is evaluated as a constant.
const fn slot_named(name: &str) -> usize {
    let mut i = 0;
    while i < FIELDS.len() {
        if str_eq(FIELDS[i].0, name) {
            return i;
        }
        i += 1;
    }
    panic!("not a field name")
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Collects field errors while the raw values are read.
struct Reader<'a> {
    values: [Option<(&'a str, &'a Value)>; FIELDS.len()],
    errors: Vec<FieldError>,
}

impl<'a> Reader<'a> {
    fn new(map: &'a Map<String, Value>) -> Self {
        let mut reader = Reader {
            values: [None; FIELDS.len()],
            errors: Vec::new(),
        };
        for (key, value) in map {
            let Some(slot) = slot_of(key) else {
                reader.errors.push(FieldError::new(key, unknown_field(key)));
                continue;
            };
            let name = FIELDS[slot].0;
            if let Some((first, _)) = reader.values[slot] {
                reader.errors.push(FieldError::new(
                    name,
                    format!("given twice, as `{first}` and `{key}`"),
                ));
                continue;
            }
            // JSON null means "not given": the default applies.
            if !value.is_null() {
                reader.values[slot] = Some((key.as_str(), value));
            }
        }
        reader
    }

    fn raw(&self, field: Field) -> Option<&'a Value> {
        self.values[field.slot].map(|(_, v)| v)
    }

    /// A number field: `None` when absent, or after recording an error.
    fn number(&mut self, field: Field) -> Option<f64> {
        let value = self.raw(field)?;
        match value.as_f64() {
            Some(x) if x.is_finite() => Some(x),
            _ => {
                self.errors.push(FieldError::new(
                    field.name,
                    format!("must be a number, got {}", kind(value)),
                ));
                None
            }
        }
    }

    /// Records "is required" when the field is absent; true when it is present.
    fn present(&mut self, field: Field) -> bool {
        let present = self.raw(field).is_some();
        if !present {
            self.errors.push(FieldError::new(field.name, "is required"));
        }
        present
    }

    fn required(&mut self, field: Field, unit: &str, lo: f64, hi: f64) -> Option<f64> {
        if self.present(field) {
            self.ranged(field, unit, lo, hi)
        } else {
            None
        }
    }

    fn ranged(&mut self, field: Field, unit: &str, lo: f64, hi: f64) -> Option<f64> {
        let x = self.number(field)?;
        if (lo..=hi).contains(&x) {
            Some(x)
        } else {
            self.errors.push(FieldError::new(
                field.name,
                format!(
                    "must be between {} and {} {unit}, got {}",
                    num(lo),
                    num(hi),
                    num(x)
                ),
            ));
            None
        }
    }

    fn at_least(&mut self, field: Field, unit: &str, lo: f64, strict: bool) -> Option<f64> {
        let x = self.number(field)?;
        if x > lo || (!strict && x == lo) {
            Some(x)
        } else {
            let rel = if strict { "greater than" } else { "at least" };
            self.errors.push(FieldError::new(
                field.name,
                format!("must be {rel} {} {unit}, got {}", num(lo), num(x)),
            ));
            None
        }
    }

    fn diameter(&mut self, field: Field, allowed: &[u32]) -> Option<u32> {
        let x = self.number(field)?;
        match allowed.iter().find(|&&d| f64::from(d) == x) {
            Some(&d) => Some(d),
            None => {
                let list: Vec<String> = allowed.iter().map(u32::to_string).collect();
                self.errors.push(FieldError::new(
                    field.name,
                    format!("must be one of {} mm, got {}", list.join(", "), num(x)),
                ));
                None
            }
        }
    }
}

pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A number as a person writes it: `300`, not `300.0`.
pub(crate) fn num(x: f64) -> String {
    if x.abs() >= 1e9 {
        // Never 300 digits, never `inf`: 1e305, -2.5e12.
        format!("{x:e}")
    } else if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{}", (x * 1e4).round() / 1e4)
    }
}

/// Whether a beam's own `length` is checked for its proportions (a member checks each span's).
#[derive(Clone, Copy, PartialEq, Eq)]
enum SpanProportions {
    /// By the beam: its `length` is its effective span.
    ByBeam,
    /// By the member, span by span.
    ByMember,
}

/// Why a beam of effective span `span` (mm), overall depth `d_total` and effective depth `d` on
/// `support` is outside this design, if it is: a deep beam (Cl 29.1: span/depth below 2.0 simply
/// supported, 2.5 continuous), or a cantilever shorter than its effective depth, a corbel (Cl 28).
pub(crate) fn span_refused(span: f64, d_total: f64, d: f64, support: Support) -> Option<String> {
    if let Some(limit) = support.deep_beam_ratio() {
        if span / d_total < limit {
            return Some(format!(
                "span/depth = {} is below {limit:.1}: a deep beam (IS 456 Cl 29), which this \
                 design does not cover",
                num(span / d_total)
            ));
        }
    }
    if support == Support::Cantilever && span < d {
        return Some(format!(
            "a cantilever of span {} mm is shorter than its effective depth (about {} mm): a \
             corbel (IS 456 Cl 28), which this design does not cover",
            num(span),
            num(d.floor())
        ));
    }
    None
}

impl Beam {
    /// Parses a beam from any JSON value; anything but an object is one error.
    pub fn from_json(value: &Value) -> Result<Beam, InvalidBeam> {
        match value {
            Value::Object(map) => Beam::from_map(map),
            other => Err(InvalidBeam {
                errors: vec![FieldError::new(
                    "beam",
                    format!("must be a JSON object, got {}", kind(other)),
                )],
            }),
        }
    }

    /// Parses a beam from a JSON object, reporting every problem at once (docs/api.md).
    pub fn from_map(map: &Map<String, Value>) -> Result<Beam, InvalidBeam> {
        Self::read(map, SpanProportions::ByBeam)
    }

    /// The section of a member from a JSON object: as [`Beam::from_map`], but its `length` only
    /// stands for the member's spans (the flange of Cl 23.1.2); each span's own proportions are the
    /// member's to check, with its own supports.
    pub(crate) fn member_section_from_map(map: &Map<String, Value>) -> Result<Beam, InvalidBeam> {
        Self::read(map, SpanProportions::ByMember)
    }

    fn read(map: &Map<String, Value>, proportions: SpanProportions) -> Result<Beam, InvalidBeam> {
        let mut r = Reader::new(map);

        let id = match r.raw(field!("id")) {
            None => None,
            Some(Value::String(s)) if (1..=64).contains(&s.chars().count()) => Some(s.clone()),
            Some(Value::String(s)) => {
                let n = s.chars().count();
                r.errors.push(FieldError::new(
                    field!("id").name,
                    format!("must be 1 to 64 characters long, got {n}"),
                ));
                None
            }
            Some(other) => {
                r.errors.push(FieldError::new(
                    field!("id").name,
                    format!("must be a string, got {}", kind(other)),
                ));
                None
            }
        };
        let width = r.required(field!("width"), "mm", 100.0, 3000.0);
        let depth = r.required(field!("depth"), "mm", 150.0, 4000.0);
        // A negative moment is hogging: tension at the top face.
        let mu = r.required(field!("Mu"), "kN·m", -MAX_ACTION, MAX_ACTION);
        let vu = r.ranged(field!("Vu"), "kN", 0.0, MAX_ACTION);
        let tu = r.ranged(field!("Tu"), "kN·m", 0.0, MAX_ACTION);
        let fck = r.ranged(field!("fck"), "N/mm²", 15.0, 80.0);
        let fy = r.ranged(field!("fy"), "N/mm²", 250.0, 550.0);
        let fy_stirrup = r.ranged(field!("fy_stirrup"), "N/mm²", 250.0, 550.0);
        let cover = r.ranged(field!("cover"), "mm", 20.0, 75.0);
        let effective_depth = r.at_least(field!("effective_depth"), "mm", 0.0, true);
        let length = r.at_least(field!("length"), "mm", 0.0, true);
        // Spans beyond 100 m are no beam this design covers, and would only carry absurd numbers.
        if length.is_some_and(|l| l > MAX_SPAN) {
            r.errors.push(FieldError::new(
                field!("length").name,
                format!("must be at most {} mm", num(MAX_SPAN)),
            ));
        }
        let support = match r.raw(field!("support")) {
            None => Some(Support::SimplySupported),
            Some(Value::String(s)) => match Support::parse(s) {
                Some(support) => Some(support),
                None => {
                    r.errors.push(FieldError::new(
                        field!("support").name,
                        format!(
                            "must be simply_supported, continuous or cantilever, got \"{}\"",
                            s.chars().take(40).collect::<String>()
                        ),
                    ));
                    None
                }
            },
            Some(other) => {
                r.errors.push(FieldError::new(
                    field!("support").name,
                    format!("must be a string, got {}", kind(other)),
                ));
                None
            }
        };
        let stirrup_dia = r.diameter(field!("stirrup_dia"), &STIRRUP_DIAS);
        let main_bar_dia = r.diameter(field!("main_bar_dia"), &MAIN_BAR_DIAS);
        let aggregate = r.ranged(field!("aggregate"), "mm", 10.0, 40.0);
        let exposure = match r.raw(field!("exposure")) {
            None => Some(Exposure::Moderate),
            Some(Value::String(s)) => Exposure::parse(s).or_else(|| {
                r.errors.push(FieldError::new(
                    field!("exposure").name,
                    format!(
                        "must be one of {}, got \"{}\"",
                        Exposure::NAMES.join(", "),
                        s.chars().take(40).collect::<String>()
                    ),
                ));
                None
            }),
            Some(other) => {
                r.errors.push(FieldError::new(
                    field!("exposure").name,
                    format!("must be a string, got {}", kind(other)),
                ));
                None
            }
        };
        let fire_rating = r.ranged(field!("fire_rating"), "hours", 0.5, 4.0);
        let lateral_restraint_spacing =
            r.at_least(field!("lateral_restraint_spacing"), "mm", 0.0, true);
        if lateral_restraint_spacing.is_some_and(|l| l > MAX_SPAN) {
            r.errors.push(FieldError::new(
                field!("lateral_restraint_spacing").name,
                format!("must be at most {} mm", num(MAX_SPAN)),
            ));
        }
        let allow_low_grade = read_flag(&mut r, field!("allow_low_grade"));

        let flange = read_flange(&mut r, width, depth);
        let service = read_service(&mut r, mu);

        // Cross-field rules, checked only between fields that are themselves valid.
        if let (Some(b), Some(d_total)) = (width, depth) {
            if d_total / b > 8.0 {
                r.errors.push(FieldError::new(
                    field!("depth").name,
                    format!(
                        "depth/width must not exceed 8, got {} ({} / {} mm)",
                        num(d_total / b),
                        num(d_total),
                        num(b)
                    ),
                ));
            }
        }
        if let (Some(d), Some(d_total)) = (effective_depth, depth) {
            if d >= d_total || d < 0.5 * d_total {
                r.errors.push(FieldError::new(
                    field!("effective_depth").name,
                    format!(
                        "must be at least half the depth and less than the depth ({} to {} mm), \
                         got {}",
                        num(0.5 * d_total),
                        num(d_total),
                        num(d)
                    ),
                ));
            }
        }
        // The cover zones of opposite faces must leave room for the smallest stirrup and a 12 mm bar
        // at each face.
        let cover_zones = 2.0 * (cover.unwrap_or(30.0) + 6.0 + 12.0);
        for (field, size) in [(field!("width"), width), (field!("depth"), depth)] {
            if size.is_some_and(|x| x <= cover_zones) {
                let name = field.name;
                r.errors.push(FieldError::new(
                    name,
                    format!(
                        "{} mm cannot hold a stirrup and a bar at each face under {} mm of cover: \
                         the cover zones overlap; the {name} must exceed {} mm",
                        num(size.unwrap_or(0.0)),
                        num(cover.unwrap_or(30.0)),
                        num(cover_zones)
                    ),
                ));
            }
        }
        if let (Some(span), Some(d_total), Some(support), SpanProportions::ByBeam) =
            (length, depth, support, proportions)
        {
            // Before the bars are chosen d is the given one, or at most D − cover.
            let d = effective_depth.unwrap_or(d_total - cover.unwrap_or(30.0));
            if let Some(why) = span_refused(span, d_total, d, support) {
                r.errors.push(FieldError::new(field!("length").name, why));
            }
        }

        if let (Some(f), Some(w)) = (&flange, width) {
            if f.kind.is_flanged() && f.width.is_none() && length.is_none() {
                r.errors.push(FieldError::new(
                    field!("flange_width").name,
                    "is required for a T or L section without a length (Cl 23.1.2 needs the span)",
                ));
            }
            if f.isolated && f.width.is_none_or(|b| b <= w) {
                r.errors.push(FieldError::new(
                    field!("flange_width").name,
                    "an isolated flange (Cl 23.1.2 c) needs its actual width, wider than the web",
                ));
            }
        }
        let (
            Some(width),
            Some(depth),
            Some(mu),
            Some(support),
            Some(exposure),
            Some(flange),
            Some(service),
            true,
        ) = (
            width,
            depth,
            mu,
            support,
            exposure,
            flange,
            service,
            r.errors.is_empty(),
        )
        else {
            return Err(InvalidBeam { errors: r.errors });
        };
        let fy = fy.unwrap_or(500.0);
        Ok(Beam {
            id,
            width,
            depth,
            mu,
            vu: vu.unwrap_or(0.0),
            tu: tu.unwrap_or(0.0),
            fck: fck.unwrap_or(25.0),
            fy,
            fy_stirrup: fy_stirrup.unwrap_or(fy),
            cover: cover.unwrap_or(30.0),
            effective_depth,
            length,
            support,
            stirrup_dia,
            main_bar_dia,
            aggregate: aggregate.unwrap_or(20.0),
            exposure,
            fire_rating,
            lateral_restraint_spacing,
            allow_low_grade,
            section: flange.kind,
            flange_width: flange.width,
            flange_thickness: flange.thickness,
            web_spacing: flange.web_spacing,
            isolated_flange: flange.isolated,
            ms: service.ms,
            permanent_fraction: service.permanent_fraction,
            av: service.av,
            concrete_shear_ignored: false,
            moment_torsion: None,
        })
    }

    /// This beam with `changes` applied (docs/api.md, "Changing a beam"): keys under any name or
    /// alias replace the field of the normalized input, and `null` restores the field's default.
    /// Every problem is reported at once.
    pub fn patch(&self, changes: &Map<String, Value>) -> Result<Beam, InvalidBeam> {
        let Value::Object(current) = self.to_json() else {
            return Err(InvalidBeam {
                errors: vec![FieldError::new("beam", "cannot be written as JSON")],
            });
        };
        Beam::from_map(&merge_fields(current, changes)?)
    }

    /// A valid section for reading fields on their own where the real section is invalid.
    pub(crate) fn placeholder() -> Beam {
        let mut map = Map::new();
        map.insert("width".into(), Value::from(300));
        map.insert("depth".into(), Value::from(500));
        map.insert("Mu".into(), Value::from(0));
        Beam::from_map(&map).expect("the placeholder section is valid")
    }

    /// The normalized input as a JSON object with canonical names.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// A copy with another total depth (and the same cover to the centroid when `d` was given),
    /// for the engine's own search of the smallest depth that passes.
    pub(crate) fn with_depth(&self, depth: f64) -> Beam {
        let mut beam = self.clone();
        if let Some(d) = self.effective_depth {
            beam.effective_depth = Some(d + depth - self.depth);
        }
        beam.depth = depth;
        beam
    }

    /// A copy with another width, for the engine's own search of the smallest width that passes.
    pub(crate) fn with_width(&self, width: f64) -> Beam {
        Beam {
            width,
            ..self.clone()
        }
    }

    /// A copy with other actions (kN·m, kN), for the envelope of several load cases.
    pub(crate) fn with_actions(&self, mu: f64, vu: f64, tu: f64) -> Beam {
        Beam {
            mu,
            vu,
            tu,
            moment_torsion: None,
            ..self.clone()
        }
    }

    /// One section of a member (docs/members.md): these actions, the span and end condition of its
    /// span (for span/depth) and the service moment of its zone when the load cases give one.
    pub(crate) fn for_zone(
        &self,
        actions: [f64; 3],
        span: Option<(f64, Support)>,
        ms: Option<f64>,
    ) -> Beam {
        let [mu, vu, tu] = actions;
        Beam {
            mu,
            vu,
            tu,
            length: span.map(|(l, _)| l),
            support: span.map_or(self.support, |(_, s)| s),
            ms: ms.map(|m| m.min(mu.abs())),
            moment_torsion: None,
            ..self.clone()
        }
    }

    /// The same section with its effective flange width fixed at `bf` (a member's zone, which knows
    /// its span's flange, Cl 23.1.2, whether or not it is given the span). A rectangle is unchanged.
    pub(crate) fn with_flange_width(self, bf: f64) -> Beam {
        if !self.section.is_flanged() {
            return self;
        }
        Beam {
            flange_width: Some(bf),
            ..self
        }
    }

    /// The same section whose moment acts with the torsion `tu` (kN·m, at most `Tu`) for Me1 and Me2
    /// of Cl 41.4.2, its stirrups still carrying `Tu`.
    pub(crate) fn with_moment_torsion(self, tu: f64) -> Beam {
        Beam {
            moment_torsion: Some(tu.min(self.tu)),
            ..self
        }
    }

    /// The torsion acting with `Mu`, kN·m: `Tu` unless a member's zone says less (never more).
    pub(crate) fn moment_torsion(&self) -> f64 {
        self.moment_torsion.map_or(self.tu, |t| t.min(self.tu))
    }

    /// The same section in a ductile member: the stirrups carry the whole shear, the concrete's share
    /// is not counted (IS 13920:2016 Cl 6.3.4).
    pub(crate) fn without_concrete_shear(self) -> Beam {
        Beam {
            concrete_shear_ignored: true,
            ..self
        }
    }

    /// The deepest section this input could be and stay valid: 4000 mm, depth/width ≤ 8, and not a
    /// deep beam (Cl 29.1) when a span is given.
    pub(crate) fn max_depth(&self) -> f64 {
        let mut max = 4000f64.min(8.0 * self.width);
        if let (Some(span), Some(ratio)) = (self.length, self.support.deep_beam_ratio()) {
            max = max.min(span / ratio);
        }
        if let (Some(span), Support::Cantilever) = (self.length, self.support) {
            // Deeper, and the cantilever would be a corbel (Cl 28).
            max = max.min(span + self.cover);
        }
        max
    }

    /// A stable 64-bit hash of the normalized input, as 16 hex digits. Each field contributes its
    /// position in [`FIELDS`] (its tag) and its value (IEEE-754 bits for numbers, bytes for text), word by word,
    /// so the hash is the same on every platform and release and changes with any field.
    pub fn input_hash(&self) -> String {
        let mut h = WordHash::new();
        if let Some(id) = &self.id {
            h.tag(field!("id").slot as u64);
            h.bytes(id.as_bytes());
        }
        let numbers = [
            (field!("width").slot as u64, Some(self.width)),
            (field!("depth").slot as u64, Some(self.depth)),
            (field!("Mu").slot as u64, Some(self.mu)),
            (field!("Vu").slot as u64, Some(self.vu)),
            (field!("Tu").slot as u64, Some(self.tu)),
            (field!("fck").slot as u64, Some(self.fck)),
            (field!("fy").slot as u64, Some(self.fy)),
            (field!("fy_stirrup").slot as u64, Some(self.fy_stirrup)),
            (field!("cover").slot as u64, Some(self.cover)),
            (field!("effective_depth").slot as u64, self.effective_depth),
            (field!("length").slot as u64, self.length),
            (field!("aggregate").slot as u64, Some(self.aggregate)),
        ];
        for (tag, value) in numbers {
            if let Some(x) = value {
                h.tag(tag);
                h.word(x.to_bits());
            }
        }
        h.tag(field!("support").slot as u64);
        h.word(self.support as u64);
        for (tag, value) in [
            (field!("stirrup_dia").slot as u64, self.stirrup_dia),
            (field!("main_bar_dia").slot as u64, self.main_bar_dia),
        ] {
            if let Some(x) = value {
                h.tag(tag);
                h.word(u64::from(x));
            }
        }
        // Fields added later contribute only when they differ from their defaults, so the hash of an
        // older input stays what it was.
        if self.exposure != Exposure::Moderate {
            h.tag(field!("exposure").slot as u64);
            h.word(self.exposure as u64);
        }
        for (tag, value) in [
            (field!("fire_rating").slot as u64, self.fire_rating),
            (
                field!("lateral_restraint_spacing").slot as u64,
                self.lateral_restraint_spacing,
            ),
        ] {
            if let Some(x) = value {
                h.tag(tag);
                h.word(x.to_bits());
            }
        }
        if self.allow_low_grade {
            h.tag(field!("allow_low_grade").slot as u64);
            h.word(1);
        }
        if self.section != SectionKind::Rectangular {
            h.tag(field!("section").slot as u64);
            h.word(self.section as u64);
        }
        for (tag, value) in [
            (field!("flange_width").slot as u64, self.flange_width),
            (
                field!("flange_thickness").slot as u64,
                self.flange_thickness,
            ),
            (field!("web_spacing").slot as u64, self.web_spacing),
            (field!("Ms").slot as u64, self.ms),
            (
                field!("permanent_fraction").slot as u64,
                self.permanent_fraction,
            ),
            (field!("av").slot as u64, self.av),
        ] {
            if let Some(x) = value {
                h.tag(tag);
                h.word(x.to_bits());
            }
        }
        if self.isolated_flange {
            h.tag(field!("isolated_flange").slot as u64);
            h.word(1);
        }
        format!("{:016x}", h.finish())
    }

    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The magnitude of the factored moment |Mu|, kN·m: what the tension face carries.
    pub fn mu(&self) -> f64 {
        self.mu.abs()
    }

    /// The factored moment as given, kN·m: negative is hogging.
    pub fn mu_signed(&self) -> f64 {
        self.mu
    }

    /// Whether the moment is hogging: tension at the top face.
    pub fn hogging(&self) -> bool {
        self.mu < 0.0
    }

    /// The service moment for crack width and deflection, kN·m, and whether it was assumed (|Mu|/1.5).
    pub fn ms(&self) -> (f64, bool) {
        match self.ms {
            Some(ms) => (ms, false),
            None => (self.mu() / 1.5, true),
        }
    }

    /// The share of the service load that is permanent (Annex C-4); 0.6 unless given.
    pub fn permanent_fraction(&self) -> f64 {
        self.permanent_fraction.unwrap_or(0.6)
    }

    /// The distance between points of zero moment l0 (Cl 23.1.2): the span, 0.7 of it when
    /// continuous, mm.
    pub fn l0(&self) -> Option<f64> {
        self.length.map(|span| match self.support {
            Support::Continuous => 0.7 * span,
            _ => span,
        })
    }

    /// The effective flange width bf of a T or L section (Cl 23.1.2), mm.
    pub fn flange_width(&self) -> Option<f64> {
        FlangeWidth {
            kind: self.section,
            web: self.width,
            thickness: self.flange_thickness?,
            l0: self.l0(),
            given: self.flange_width,
            web_spacing: self.web_spacing,
            isolated: self.isolated_flange,
        }
        .effective()
    }

    /// The concrete that the moment puts in compression: the flange with the web under a sagging moment
    /// of a T or L section, else the rectangle of the web (a hogging moment puts the flange in tension).
    pub fn compression_shape(&self) -> Shape {
        match (self.flange_width(), self.flange_thickness, self.hogging()) {
            (Some(bf), Some(df), false) if self.section.is_flanged() => {
                Shape::flanged(self.width, bf, df)
            }
            _ => Shape::rectangle(self.width),
        }
    }
}

macro_rules! getters {
    ($($name:ident: $ty:ty => $doc:literal),* $(,)?) => {
        impl Beam {
            $(#[doc = $doc] pub fn $name(&self) -> $ty { self.$name })*
        }
    };
}

getters! {
    width: f64 => "Width b, mm.",
    depth: f64 => "Overall depth D, mm.",
    vu: f64 => "Factored shear force Vu, kN.",
    tu: f64 => "Factored torsional moment Tu, kN·m.",
    fck: f64 => "Characteristic cube strength of concrete, N/mm².",
    fy: f64 => "Yield strength of the main bars, N/mm².",
    fy_stirrup: f64 => "Yield strength of the stirrups, N/mm².",
    cover: f64 => "Clear cover to the stirrups, mm.",
    effective_depth: Option<f64> => "Effective depth d given by the user, mm.",
    length: Option<f64> => "Effective span, mm.",
    support: Support => "End condition.",
    stirrup_dia: Option<u32> => "Stirrup diameter asked for, mm.",
    main_bar_dia: Option<u32> => "Preferred main bar diameter, mm.",
    aggregate: f64 => "Nominal maximum size of aggregate, mm.",
    exposure: Exposure => "Environmental exposure (Table 3).",
    fire_rating: Option<f64> => "Fire resistance asked for, hours.",
    lateral_restraint_spacing: Option<f64> => "Clear distance between lateral restraints given by the user, mm.",
    allow_low_grade: bool => "Whether the user accepts a grade below Table 5's minimum for the exposure.",
    section: SectionKind => "Rectangular, T or L.",
    flange_thickness: Option<f64> => "Flange thickness Df, mm (T and L sections).",
    av: Option<f64> => "Distance of a concentrated load from the support face, mm (Cl 40.5).",
    concrete_shear_ignored: bool => "Whether the concrete's share of the shear is left out (a ductile member's section, IS 13920:2016 Cl 6.3.4).",
}

/// FNV-1a over 64-bit words, with the splitmix64 finalizer so that every input bit reaches every
/// output bit.
struct WordHash(u64);

impl WordHash {
    fn new() -> Self {
        WordHash(0xcbf2_9ce4_8422_2325)
    }

    fn word(&mut self, w: u64) {
        self.0 = (self.0 ^ w).wrapping_mul(0x0000_0100_0000_01b3);
    }

    fn tag(&mut self, tag: u64) {
        self.word(0xa5a5_0000_0000_0000 | tag);
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.word(bytes.len() as u64);
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.word(u64::from_le_bytes(w));
        }
    }

    fn finish(&self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn errors(v: Value) -> Vec<FieldError> {
        Beam::from_json(&v).expect_err("should be invalid").errors
    }

    #[test]
    fn a_field_slot_is_its_position_in_the_list_and_only_names_have_one() {
        for (i, (name, aliases)) in FIELDS.iter().enumerate() {
            assert_eq!(slot_named(name), i);
            assert_eq!(slot_of(name), Some(i));
            for alias in *aliases {
                assert_eq!(slot_of(alias), Some(i), "{alias}");
            }
        }
        assert_eq!(slot_of("widht"), None);
        let alias = std::hint::black_box("b");
        assert!(std::panic::catch_unwind(|| slot_named(alias)).is_err());
    }

    #[test]
    fn defaults_are_filled_in() {
        let beam = Beam::from_json(&json!({"width": 300, "depth": 450, "Mu": 100})).unwrap();
        assert_eq!(beam.fck(), 25.0);
        assert_eq!(beam.fy(), 500.0);
        assert_eq!(beam.fy_stirrup(), 500.0);
        assert_eq!(beam.cover(), 30.0);
        assert_eq!(beam.aggregate(), 20.0);
        assert_eq!(beam.support(), Support::SimplySupported);
        assert_eq!(beam.vu(), 0.0);
        assert_eq!(beam.tu(), 0.0);
    }

    #[test]
    fn every_alias_is_accepted() {
        let beam = Beam::from_json(&json!({
            "beam_id": "B1", "b_mm": 300, "D_mm": 600, "mu_knm": 100, "vu_kn": 50, "tu_knm": 5,
            "fck_nmm2": 30, "fy_nmm2": 415, "fy_stirrup": 250, "clear_cover": 25, "d_mm": 550,
            "span_mm": 6000, "support_condition": "CONT", "stirrup_dia_mm": 10, "main_bar_dia_mm": 16,
            "aggregate": 10
        }))
        .unwrap();
        assert_eq!(beam.id(), Some("B1"));
        assert_eq!(beam.depth(), 600.0);
        assert_eq!(beam.support(), Support::Continuous);
        assert_eq!(beam.effective_depth(), Some(550.0));
        assert_eq!(beam.stirrup_dia(), Some(10));
        for (name, aliases) in FIELDS {
            assert_eq!(canonical_name(name), Some(name));
            for alias in aliases {
                assert_eq!(canonical_name(alias), Some(name));
            }
        }
    }

    #[test]
    fn unknown_keys_are_named_with_a_suggestion() {
        let e = errors(json!({"width": 300, "depth": 450, "mu": 100}));
        assert!(e
            .iter()
            .any(|e| e.field == "mu" && e.message.contains("did you mean `Mu`")));
        assert!(e
            .iter()
            .any(|e| e.field == "Mu" && e.message == "is required"));
    }

    #[test]
    fn all_errors_are_reported_together() {
        let e =
            errors(json!({"width": 50, "depth": "450", "Mu": -2e5, "fck": 90, "support": "fixed"}));
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["width", "depth", "Mu", "fck", "support"]);
        assert_eq!(e[0].message, "must be between 100 and 3000 mm, got 50");
        assert_eq!(e[1].message, "must be a number, got a string");
    }

    #[test]
    fn alias_and_canonical_together_is_an_error() {
        let e = errors(json!({"width": 300, "b": 300, "depth": 450, "Mu": 1}));
        assert_eq!(e[0].field, "width");
        assert!(e[0].message.contains("given twice"));
    }

    #[test]
    fn cross_field_rules() {
        let e = errors(json!({"width": 100, "depth": 900, "Mu": 1}));
        assert_eq!(e[0].field, "depth");
        let e = errors(json!({"width": 300, "depth": 450, "Mu": 1, "d": 450}));
        assert_eq!(e[0].field, "effective_depth");
        let e = errors(json!({"width": 300, "depth": 1000, "Mu": 1, "span": 1900}));
        assert_eq!(e[0].field, "length");
        assert!(e[0].message.contains("deep beam"));
        let e =
            errors(json!({"width": 300, "depth": 1000, "Mu": 1, "span": 2400, "support": "cont"}));
        assert_eq!(e[0].field, "length");
        assert!(Beam::from_json(
            &json!({"width": 300, "depth": 1000, "Mu": 1, "span": 1000, "support": "cant"})
        )
        .is_ok());
    }

    #[test]
    fn diameters_must_be_from_the_lists() {
        let e = errors(
            json!({"width": 300, "depth": 450, "Mu": 1, "stirrup_dia": 7, "main_bar_dia": 18}),
        );
        assert_eq!(e[0].message, "must be one of 6, 8, 10, 12, 16 mm, got 7");
        assert_eq!(e[1].field, "main_bar_dia");
    }

    #[test]
    fn null_means_default_and_non_objects_are_rejected() {
        assert!(
            Beam::from_json(&json!({"width": 300, "depth": 450, "Mu": 1, "fck": null})).is_ok()
        );
        assert_eq!(
            errors(json!([1, 2]))[0].message,
            "must be a JSON object, got an array"
        );
        let e = errors(json!({"id": "", "width": 300, "depth": 450, "Mu": 1}));
        assert_eq!(e[0].field, "id");
    }

    const PINNED_HASH: &str = "3229441ff8d3c37f";

    #[test]
    fn patch_merges_by_canonical_name() {
        let beam =
            Beam::from_json(&json!({"width": 300, "depth": 450, "Mu": 100, "fck": 30})).unwrap();
        let changes = |v: Value| v.as_object().unwrap().clone();
        let patched = beam
            .patch(&changes(json!({"moment": 180, "fck": null})))
            .unwrap();
        assert_eq!(patched.mu(), 180.0);
        assert_eq!(patched.fck(), 25.0);
        let unknown = beam
            .patch(&changes(json!({"mu": 1, "b": 350})))
            .unwrap_err();
        assert_eq!(unknown.errors.len(), 1);
        assert_eq!(unknown.errors[0].field, "mu");
        assert!(unknown.errors[0].message.contains("did you mean `Mu`"));
        let invalid = beam.patch(&changes(json!({"b": 5}))).unwrap_err();
        assert_eq!(invalid.errors[0].field, "width");
    }

    #[test]
    fn merge_fields_replaces_a_field_under_any_alias() {
        let base = json!({"b": 300, "D": 450, "moment": 100})
            .as_object()
            .unwrap()
            .clone();
        let flags = json!({"Mu": 120, "width": 250})
            .as_object()
            .unwrap()
            .clone();
        let merged = merge_fields(base, &flags).unwrap();
        assert_eq!(
            Value::Object(merged),
            json!({"D": 450, "Mu": 120, "width": 250})
        );
    }

    #[test]
    fn normalized_input_round_trips_and_hash_is_stable() {
        let beam =
            Beam::from_json(&json!({"b": 300, "D": 450, "moment": 100, "span": 5000})).unwrap();
        let again = Beam::from_json(&beam.to_json()).unwrap();
        assert_eq!(beam, again);
        assert_eq!(beam.input_hash(), again.input_hash());
        let other =
            Beam::from_json(&json!({"b": 300, "D": 450, "moment": 101, "span": 5000})).unwrap();
        assert_ne!(beam.input_hash(), other.input_hash());
        assert_eq!(beam.input_hash().len(), 16);
        // Pinned: the hash is part of the output contract and must not change between releases.
        let pinned = Beam::from_json(&json!({"width": 300, "depth": 500, "Mu": 150})).unwrap();
        assert_eq!(pinned.input_hash(), PINNED_HASH);
    }
}
