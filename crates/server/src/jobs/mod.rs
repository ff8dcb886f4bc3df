//! Batch design jobs with Server-Sent Events (docs/jobs.md): durable, resumable, cancellable.

pub mod csv;
pub mod events;
pub mod manager;
pub mod routes;
pub mod store;
