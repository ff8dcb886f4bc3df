//! The seams of the Beamline service (docs/operations.md, "Several instances"): where sessions,
//! rate-limit budgets and jobs live. Each is a trait with no web or HTTP types and its own error, so a
//! backend (in-process here; Redis in `beamline-redis`) depends on this crate, not on the server, and
//! a deployment or a test picks backends without touching the code that uses them.

pub mod hub;
pub mod jobs;
pub mod limiter;

use std::future::Future;
use std::pin::Pin;

/// The future a seam's method returns: boxed, so that the traits can be used as `dyn` objects.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Something the service needs in order to answer: `/ready` asks each.
pub trait Probe: Send + Sync {
    /// `Err` with why, when it cannot be used now.
    fn ready(&self) -> BoxFuture<'_, Result<(), String>>;
}
