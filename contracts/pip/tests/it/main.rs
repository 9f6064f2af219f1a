//! Every integration test of `pip`, linked into one binary.

mod collusion;
mod common;
mod conservation;
mod flows;
mod griefing;
mod reservations;
