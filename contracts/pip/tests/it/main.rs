//! Every integration test of `pip`, linked into one binary.

mod common;
mod conservation;
mod flows;
mod reservations;
