//! Black-box tests of `beamline serve`: the real binary on port 0, spoken to over HTTP.

mod auth;
mod batch;
mod errors;
mod guide;
mod helpers;
mod imports;
mod instances;
mod jobs;
mod members;
mod operations;
mod rate_limit;
mod routes;
mod sessions;
mod sse;
mod ws;
