//! Every integration test of `oracle`, linked into one binary.

mod aggregated;
mod common;
mod contract;
mod flow;
mod migrate;
mod props;
mod pyth_wire;
