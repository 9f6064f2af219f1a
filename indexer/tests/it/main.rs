//! Every integration test of the indexer, linked into one binary: a real Postgres cluster the
//! tests start themselves and a real devnet read over HTTP with the indexer's own client.

mod alerts;
mod api;
mod common;
mod dashboard;
mod exactly_once;
mod ingest;
mod project;
mod replica;
mod snapshots;
mod stats;
mod store;
mod sync;
