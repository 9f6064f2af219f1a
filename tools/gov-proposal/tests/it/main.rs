//! Every integration test of `gov-proposal`, linked into one binary.

mod common;
mod address;
mod cli;
mod proposal;
mod suite;
