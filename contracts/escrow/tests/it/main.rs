//! Every integration test of `escrow`, linked into one binary.

mod accrual;
mod common;
mod conservation;
mod dust;
mod flows;
mod timing;
