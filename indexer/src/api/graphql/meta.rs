//! `_meta`: where indexing stands, from the cursor row the writer commits with its data.

use async_graphql::SimpleObject;
use chrono::{DateTime, Utc};

use crate::api::health::SyncStatus;

/// Indexing progress. Lag is measured in chain time (tip's block time − last indexed block's
/// time), never against the wall clock.
#[derive(SimpleObject, Clone, Debug)]
pub struct Meta {
    /// The cursor: last block whose rows are all committed.
    pub last_indexed_height: i64,
    /// That block's time.
    pub last_indexed_time: Option<DateTime<Utc>>,
    /// The chain tip the writer last saw (null until it has seen one).
    pub chain_height: Option<i64>,
    /// Blocks behind the tip.
    pub lag_blocks: Option<i64>,
    /// Seconds of chain time behind the tip.
    pub lag_seconds: Option<i64>,
    /// Caught up: at most the configured number of blocks behind the tip.
    pub healthy: bool,
}

impl Meta {
    /// `_meta` of `status`, healthy within `ready_lag_blocks`.
    pub fn of(status: &SyncStatus, ready_lag_blocks: u64) -> Self {
        Meta {
            last_indexed_height: status.height,
            last_indexed_time: status.time,
            chain_height: status.chain_height,
            lag_blocks: status.lag_blocks(),
            lag_seconds: status.lag_seconds().map(|s| s.floor() as i64),
            healthy: status.caught_up(ready_lag_blocks),
        }
    }
}
