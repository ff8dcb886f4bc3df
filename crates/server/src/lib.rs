//! The Beamline service: REST (and, in later modules, WebSocket and SSE) over the IS 456 engine.
//!
//! [`app::launch`] takes the state, a bound listener and a shutdown future, so tests run the real
//! server on port 0 and stop it when they like.

pub mod api;
pub mod app;
pub mod auth;
pub mod client_addr;
pub mod clock;
pub mod config;
pub mod conn;
pub mod drawing;
pub mod engine;
pub mod error;
pub mod file;
pub mod import;
pub mod jobs;
pub mod json;
pub mod member;
pub mod metrics;
pub mod observe;
pub mod openapi;
pub mod page;
pub mod rate_limit;
pub mod report;
pub mod request_id;
pub mod routes;
pub mod sessions;
pub mod state;
pub mod telemetry;
pub mod users;
pub mod watchdog;

pub use app::{app, launch};
pub use config::{Config, Overrides};
pub use error::ApiError;
pub use state::{AppState, Parts, StartError};
