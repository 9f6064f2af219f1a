//! Every integration test of `escrow`, linked into one binary.

mod common;
mod conservation;
mod flows;
