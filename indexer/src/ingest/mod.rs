//! Ingest: CometBFT RPC in, [`RawBlock`]s out, strictly in height order.
//!
//! Several RPC nodes are used together ([`pool`]); `block` and `block_results` of many heights
//! are fetched at once in a window that adapts to the nodes' answers ([`window`]); failures are
//! retried with backoff and jitter; a node that has pruned a height is skipped for it; the head is
//! followed by polling `/status`, with websocket `NewBlock` events as a hint to poll sooner
//! ([`fetch`]). No tendermint type leaves this module.

pub mod convert;
pub mod error;
pub mod fetch;
pub mod node;
pub mod pool;
pub mod window;

pub use error::{RpcError, RpcFault};
pub use fetch::{FetchConfig, Fetched, Fetcher};
pub use pool::NodePool;

use chrono::{DateTime, Utc};

/// One ABCI event as the chain delivered it: its type and attributes, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawEvent {
    /// Position in the tx's (or the block's finalize) event list as delivered, counting the
    /// events ingest did not keep.
    pub index: u32,
    /// Event type, e.g. `wasm-escrow.deposited`.
    pub kind: String,
    /// Attributes in delivery order (duplicates kept).
    pub attributes: Vec<(String, String)>,
}

/// One tx of a block with its result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawTx {
    /// Position in the block.
    pub index: u32,
    /// Result code; 0 is success (failed txs change nothing).
    pub code: u32,
    /// The tx's events (empty list for failed txs' ante events is kept as delivered).
    pub events: Vec<RawEvent>,
}

/// A block and its results, as plain data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawBlock {
    pub height: u64,
    /// Block time.
    pub time: DateTime<Utc>,
    /// Upper-case hex block hash.
    pub hash: String,
    pub txs: Vec<RawTx>,
    /// `finalize_block_events` (begin/end block work, gov-executed proposals).
    pub finalize_events: Vec<RawEvent>,
}

impl RawBlock {
    /// Events the block carries, kept ones only: what holding it in memory costs.
    pub fn events(&self) -> usize {
        self.finalize_events.len() + self.txs.iter().map(|t| t.events.len()).sum::<usize>()
    }
}
