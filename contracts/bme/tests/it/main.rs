//! Every integration test of `bme`, linked into one binary.

mod common;
mod breaker;
mod conservation;
mod flow;
mod refusals;
