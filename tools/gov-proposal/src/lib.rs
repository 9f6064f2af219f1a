//! Governance proposal files for the Supercloud suite.
//!
//! On Akash only the gov module may upload and instantiate code, so every deployment step is a
//! gov v1 proposal whose messages have the gov module account as `sender`. This crate writes the
//! proposal JSON that `akash tx gov submit-proposal <file>` (Cosmos SDK 0.53, wasmd 0.61) reads:
//!
//! - [`proposal::store_code_proposal`]: one `MsgStoreCode` per artifact, the bytes checked
//!   against `artifacts/checksums.txt` and wasmd's size limit first;
//! - [`proposal::instantiate_proposal`]: one `MsgInstantiateContract2` per contract of the plan
//!   made by [`suite::plan_suite`], whose addresses are predicted so the contracts can name each
//!   other (bme and escrow refer to each other) in a single proposal;
//! - [`proposal::migrate_proposal`]: one `MsgMigrateContract` per contract.
//!
//! [`msgs`] holds the proto-JSON shapes of those messages, [`artifacts`] reads and verifies the
//! wasm files, [`address`] does the bech32 and module-account arithmetic.

pub mod address;
pub mod artifacts;
pub mod msgs;
pub mod proposal;
pub mod suite;
