//! The batch format of Beamline (docs/jobs.md), shared by the server, the CLI and the load generator:
//!
//! - [`input`]: a file of beams (CSV with a header of field names, or JSON) into beam objects, each
//!   with the line it came from;
//! - [`event`]: the typed events of a job's stream ([`JobEvent`]), written by the server and read by
//!   clients;
//! - [`sse`]: those events framed as Server-Sent Events, and an incremental reader for them;
//! - [`results`]: the results CSV, one row per beam.
//!
//! Pure functions over text and JSON: no I/O, no async, no web types.

pub mod event;
pub mod input;
pub mod results;
pub mod sse;

pub use event::{Designed, JobEvent};
