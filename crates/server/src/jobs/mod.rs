//! Batch design jobs with Server-Sent Events (docs/jobs.md): durable, resumable, cancellable.

pub mod events;
pub mod follow;
pub mod manager;
pub mod routes;
pub mod store;
