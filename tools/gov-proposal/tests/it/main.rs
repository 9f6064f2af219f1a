//! Every integration test of `gov-proposal`, linked into one binary.

mod address;
mod cli;
mod common;
mod proposal;
mod suite;
