//! Design of reinforced-concrete beams to IS 456:2000.
//!
//! Pure functions over plain data: parse a [`Beam`] from JSON (docs/api.md), then [`design`] it into a
//! [`DesignResult`] (docs/engine.md). Every module cites the clauses it implements.
//!
//! ```
//! let beam = is456::Beam::from_json(&serde_json::json!({"width": 300, "depth": 500, "Mu": 150})).unwrap();
//! let result = is456::design(&beam);
//! assert_eq!(result.status, is456::Status::Success);
//! ```

pub mod bars;
mod build;
mod choose;
pub mod cracking;
pub mod deflection;
mod design;
pub mod detailing;
pub mod durability;
pub mod elastic;
mod failure;
pub mod flexure;
pub mod input;
pub mod load_cases;
pub mod member;
mod remedies;
pub mod result;
pub mod section;
pub mod serviceability;
pub mod shear;
pub mod tables;
mod text;
pub mod torsion;
mod trial;

pub use design::design;
pub use input::{Beam, FieldError, InvalidBeam, Support};
pub use load_cases::{design_load_cases, CheckResult, LoadCase};
pub use member::{design_member, Member, MemberResult};
pub use result::{DesignResult, Status};
