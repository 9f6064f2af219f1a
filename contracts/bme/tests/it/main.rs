//! Every integration test of `bme`, linked into one binary.

mod breaker;
mod common;
mod conservation;
mod flooding;
mod flow;
mod refusals;
mod requests;
