//! API: GraphQL, REST compatibility with Akash Console, CSV, health and metrics, on axum. Reads
//! only through `stats` and its own read queries; its only writes are API-key holders' alerts
//! (GraphQL mutations, to the primary).

pub mod args;
pub mod csv;
pub mod dashboard;
pub mod error;
pub mod graphql;
pub mod health;
pub mod metrics;
pub mod notify;
pub mod period;
pub mod rest;
pub mod server;
pub mod sql;
pub mod state;

pub use error::ApiError;
pub use state::ApiState;
