//! Drawings of Beamline designs (docs/drawings.md): shapes that the calculation report renders, and
//! DXF sheets — the elevation of each member to scale, its sections with bar marks, and the beam
//! schedule — on named layers, with text as text.

mod beam;
mod drafting;
pub mod dxf;
mod input;
mod schedule;
mod section;
mod shapes;
pub mod sheet;

pub use beam::beam_dxf;
pub use drafting::LAYERS;
pub use input::{from_json, members as members_from_json, Sheet, MAX_MEMBERS};
pub use shapes::{section, Drawing, Role, Shape};
pub use sheet::{member as member_dxf, members as members_dxf, Drawn};
