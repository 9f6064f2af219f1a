//! The indexer: reads the chain over CometBFT RPC and keeps every event of our contracts in
//! Postgres, exactly once.
//!
//! Data flows one way, each stage a module that does not look upstream of itself:
//!
//! ```text
//! ingest (RPC -> RawBlock) -> decode (RawBlock -> DecodedBlock, via the event catalogue)
//!        -> project (events -> entity state, live intervals, daily rollups; no SQL)
//!        -> store (one transaction per batch, with the cursor) -> stats -> api
//! ```
//!
//! `ingest` is the only module that names tendermint types; what leaves it is plain data.
//! `decode` reads attributes only through `supercloud-events`. `store` knows Postgres and
//! nothing about RPC. `sync` wires the stages with channels; `main.rs` only parses the CLI.
//! `alerts` holds the rules the projector evaluates (pure) and the webhook delivery of the
//! outbox the store fills. `api` and `stats` read; the one thing `api` writes is API-key
//! holders' alerts, to the primary.

pub mod alerts;
pub mod api;
pub mod cli;
pub mod decode;
pub mod ingest;
pub mod progress;
pub mod project;
pub mod stats;
pub mod stop;
pub mod store;
pub mod sync;
