//! Every integration test of the indexer, linked into one binary: a real Postgres cluster the
//! tests start themselves and a real devnet read over HTTP with the indexer's own client.

mod common;
mod exactly_once;
mod ingest;
mod project;
mod store;
