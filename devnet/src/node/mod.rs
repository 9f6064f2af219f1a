//! The node side of the devnet: what a CometBFT node keeps, between the chain that executes blocks
//! and the RPC that serves them.
//!
//! * [`abci`]: the seam with the chain, plain data (what a sealed block carries, how the RPC asks
//!   the app for state), no CometBFT or cw-multi-test types, so either side can change its
//!   internals without touching the other.
//! * [`seal`]: turns an executed block into a CometBFT header, block id and commit, hashing
//!   exactly as CometBFT 0.38 does.
//! * [`store`]: the sealed blocks by height, the tx-hash index, pruning (`keep_recent`) and the
//!   new-block feed that websocket subscriptions read.
//!
//! Nothing here knows JSON-RPC; [`crate::rpc`] reads this side and writes the wire format.

pub mod abci;
pub mod seal;
pub mod store;

pub use abci::{
    Abci, AbciEvent, Attribute, ChainInfo, ExecutedBlock, ExecutedTx, QueryOutcome, TxOutcome,
};
pub use store::{BlockStore, SealedBlock, SealedBlockSummary, StoreConfig};
