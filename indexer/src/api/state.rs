//! What every request handler reads.

use std::sync::Arc;

use deadpool_postgres::Pool;
use tokio::sync::watch;

use super::metrics::Metrics;
use crate::stats::snapshots::Snapshots;

/// Blocks behind the chain tip at which the indexer still counts as caught up (`/readyz`,
/// `_meta.healthy`).
pub const DEFAULT_READY_LAG_BLOCKS: u64 = 10;

/// Shared by every handler and GraphQL resolver (`ctx.data::<ApiState>()`): the pool that answers
/// queries (a streaming replica under `--read-database-url`, else the writer's database), the
/// primary for alert mutations, the newest committed height for subscriptions, and the
/// process-wide metrics.
#[derive(Clone)]
pub struct ApiState {
    /// Readers: every query and subscription reads here.
    pub read: Pool,
    /// The primary database, for the only writes the API makes (API-key owners' alerts);
    /// `None`: mutations are refused as unavailable.
    pub write: Option<Pool>,
    /// Process-wide instruments.
    pub metrics: Arc<Metrics>,
    /// Caught up = chain height − indexed height ≤ this.
    pub ready_lag_blocks: u64,
    /// Alerts may name webhooks on private networks (`--allow-private-webhooks`).
    pub allow_private_webhooks: bool,
    /// The last height the writer announced (`LISTEN` on the blocks channel); `None`:
    /// subscriptions are refused as unavailable.
    pub heights: Option<watch::Receiver<i64>>,
    /// Dashboard snapshots shared by the requests at one height.
    pub snapshots: Arc<Snapshots>,
}

impl ApiState {
    /// State over `read` with fresh metrics and the default readiness lag (no writes, no
    /// subscriptions).
    pub fn new(read: Pool) -> Result<Self, prometheus::Error> {
        Ok(ApiState {
            read,
            write: None,
            metrics: Arc::new(Metrics::new()?),
            ready_lag_blocks: DEFAULT_READY_LAG_BLOCKS,
            allow_private_webhooks: false,
            heights: None,
            snapshots: Arc::default(),
        })
    }
}
