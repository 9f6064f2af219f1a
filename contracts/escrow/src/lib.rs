//! Multi-depositor escrow for deployments with lazy per-block settlement (DESIGN §4.1).
//!
//! An account belongs to a deployment (`owner` + `dseq`) and holds deposits from anyone, spent
//! oldest first. Payments (leases) accrue `rate` per block; every touch settles the account up to
//! the current height. When deposits run out the account is overdrawn with per-payment debt; a
//! top-up inside the grace window that clears the debt reopens it, otherwise it closes and every
//! depositor gets its own unspent remainder back.

pub mod account;
pub mod contract;
pub mod error;
pub mod execute;
pub mod msg;
pub mod page;
pub mod query;
pub mod settlement;
pub mod state;
pub mod wire;
pub mod work;

pub use error::ContractError;
