//! Every integration test of `reservations`, linked into one binary.

mod common;
mod conservation;
mod flows;
mod money;
