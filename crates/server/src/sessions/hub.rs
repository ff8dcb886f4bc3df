//! The session hub is a seam (`beamline-seams`): in-process here, Redis across instances.

pub use beamline_seams::hub::*;
