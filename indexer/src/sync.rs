//! `sync`: ingest → decode → store, from the cursor to the head (or to a given height), one
//! transaction per batch. The fetcher runs as its own task, so fetching overlaps writing.

use std::time::Duration;

use tokio::sync::{mpsc, OwnedSemaphorePermit};

use crate::decode::{decode, Followed};
use crate::ingest::fetch::FetchError;
use crate::ingest::{FetchConfig, Fetched, Fetcher, NodePool, RpcError};
use crate::progress::Progress;
use crate::stop::Stop;
use crate::store::{Batch, Store, StoreError};

/// What to sync and how.
#[derive(Clone, Debug)]
pub struct SyncConfig {
    /// RPC URLs used together.
    pub rpc: Vec<String>,
    /// Contracts to follow: address and, optionally, catalogue name.
    pub contracts: Vec<(String, Option<String>)>,
    /// Also follow the contracts governance instantiates.
    pub discover: bool,
    /// First height to sync on an empty database.
    pub start_height: u64,
    /// Stop after this height.
    pub until: Option<u64>,
    /// Stop once caught up with the tip seen at start.
    pub exit_at_tip: bool,
    /// Most blocks per transaction. A batch takes what was fetched while the last one was
    /// written, up to this: larger batches rewrite the projection's hot rows (accounts, lease
    /// days) less often.
    pub batch_blocks: usize,
    /// Most events per transaction (a batch closes at whichever limit comes first).
    pub batch_events: usize,
    /// Behind the tip, the least time between two commits: a batch that is not full waits this
    /// long after the last commit for more blocks. Every batch rewrites the day of every live
    /// lease, so a backfill that the RPC (not the store) paces must not commit a few blocks at a
    /// time. At the tip a block is written at once.
    pub min_commit_interval: Duration,
    /// Per-request RPC timeout.
    pub timeout: Duration,
    /// Expected seconds per block, for time-to-depletion alerts.
    pub block_time_s: u64,
    pub fetch: FetchConfig,
}

impl Default for SyncConfig {
    fn default() -> Self {
        SyncConfig {
            rpc: vec![],
            contracts: vec![],
            discover: true,
            start_height: 1,
            until: None,
            exit_at_tip: false,
            batch_blocks: 5_000,
            batch_events: 50_000,
            min_commit_interval: Duration::from_millis(250),
            timeout: Duration::from_secs(20),
            block_time_s: crate::alerts::DEFAULT_SECS_PER_BLOCK,
            fetch: FetchConfig::default(),
        }
    }
}

/// Why a sync stopped, classed by what happens next.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The database failed; transient failures are retried by [`sync`].
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No RPC node answered at start; retried.
    #[error(transparent)]
    Rpc(#[from] RpcError),
    /// A height no node keeps any more: the operator must supply an archive node.
    #[error(transparent)]
    Fetch(#[from] FetchError),
}

impl SyncError {
    /// Whether trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            SyncError::Store(e) => e.is_transient(),
            SyncError::Rpc(_) => true,
            SyncError::Fetch(_) => false,
        }
    }
}

/// What a sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Cursor at the end.
    pub height: u64,
    pub blocks: u64,
    /// Transactions committed.
    pub batches: u64,
    pub events: u64,
    pub quarantined: u64,
    /// Events that contradicted the projector's state (logged; a healthy chain has none).
    pub anomalies: u64,
    /// Time spent writing to the database (the rest is fetching, decoding and waiting).
    pub store_time: Duration,
    /// The store time by phase.
    pub store_phases: crate::store::StorePhases,
}

/// Syncs until done (or forever when following the head), retrying transient failures from the
/// committed cursor. Ctrl-C / SIGTERM stop it after the batch in progress commits.
pub async fn sync(store: &Store, cfg: &SyncConfig) -> Result<SyncReport, SyncError> {
    sync_until(store, cfg, &Stop::on_signal()).await
}

/// [`sync`], stopped by `stop` instead of the process's signals. A stop request ends it after
/// the batch in progress commits, and also while it waits to retry (the database or every node
/// may be gone by then: a terminal's Ctrl-C reaches the whole process group).
pub async fn sync_until(
    store: &Store,
    cfg: &SyncConfig,
    stop: &Stop,
) -> Result<SyncReport, SyncError> {
    let mut total = SyncReport::default();
    let mut attempt = 0usize;
    store.set_block_time(cfg.block_time_s);
    loop {
        if stop.is_requested() {
            return Ok(total);
        }
        match run(store, cfg, stop, &mut total).await {
            Ok(()) => return Ok(total),
            Err(e) if e.is_transient() => {
                attempt += 1;
                let delay = crate::ingest::fetch::backoff(
                    attempt,
                    Duration::from_millis(200),
                    Duration::from_secs(10),
                );
                tracing::warn!(error = %e, retry_in = ?delay, "sync interrupted; resuming from the cursor");
                tokio::select! {
                    _ = tokio::time::sleep(delay) => {}
                    _ = stop.requested() => {
                        tracing::info!("stopping: signal received while waiting to retry");
                        return Ok(total);
                    }
                }
            }
            Err(e) => return Err(e),
        }
    }
}

/// A batch being gathered, with its blocks' shares of the fetcher's event budget, merged into
/// one (given back once the batch is written).
#[derive(Default)]
struct Gathering {
    batch: Batch,
    held: Option<OwnedSemaphorePermit>,
}

impl Gathering {
    fn take(&mut self, f: Fetched, followed: &mut Followed) {
        self.batch.push(decode(&f.block, followed));
        match self.held.as_mut() {
            Some(held) => held.merge(f.budget),
            None => self.held = Some(f.budget),
        }
    }

    /// At a limit: blocks, events written, or events held (every event ingest kept, so blocks
    /// full of events of contracts we do not follow write little but still weigh on the budget).
    fn full(&self, cfg: &SyncConfig) -> bool {
        let held = self
            .held
            .as_ref()
            .map_or(0, OwnedSemaphorePermit::num_permits);
        self.batch.len() >= cfg.batch_blocks
            || self.batch.events() >= cfg.batch_events
            || held >= cfg.batch_events
    }
}

async fn run(
    store: &Store,
    cfg: &SyncConfig,
    stop: &Stop,
    total: &mut SyncReport,
) -> Result<(), SyncError> {
    let cursor = store.cursor().await?;
    total.height = cursor.height;
    let mut followed = store.followed(&cfg.contracts, cfg.discover).await?;
    let (pool, status) = NodePool::connect(&cfg.rpc, cfg.timeout).await?;
    let until = if cfg.exit_at_tip {
        Some(
            cfg.until
                .map_or(status.latest_height, |u| u.min(status.latest_height)),
        )
    } else {
        cfg.until
    };
    if until.is_some_and(|u| u <= cursor.height) {
        return Ok(());
    }
    let mut fetch_cfg = cfg.fetch.clone();
    // Only contract events can be ours: ingest need not copy the rest.
    fetch_cfg.event_prefix = Some(crate::decode::EVENT_PREFIX.to_string());
    // One batch being written and one being gathered, counted in events as well as blocks: a
    // batch closes once it holds half the budget, so the fetcher always has room for a block.
    fetch_cfg.event_budget = cfg.batch_events.saturating_mul(2);
    let fetcher = Fetcher::new(std::sync::Arc::new(pool), fetch_cfg);
    let stats = fetcher.stats();
    // The fetcher runs up to one full batch ahead of the writer (memory stays bounded by two,
    // in blocks by the channel and in events by the fetcher's budget).
    let (tx, mut rx) = mpsc::channel(cfg.batch_blocks.max(1));
    let fetch = tokio::spawn(fetcher.run(cursor.height + 1, until, tx));
    let mut progress = Progress::new(cursor.height, status.latest_height);
    let mut last_commit = std::time::Instant::now();
    loop {
        let first = tokio::select! {
            // A stop wins over a ready batch, so it takes effect after the batch that commits.
            biased;
            _ = stop.requested() => {
                tracing::info!("stopping: signal received");
                None
            }
            b = rx.recv() => b,
        };
        let Some(first) = first else { break };
        // What was fetched while the last batch was written, up to the limits; behind the tip,
        // and what arrives until `min_commit_interval` has passed since the last commit.
        let mut gathering = Gathering::default();
        gathering.take(first, &mut followed);
        let linger_until = last_commit + cfg.min_commit_interval;
        while !gathering.full(cfg) {
            match rx.try_recv() {
                Ok(f) => {
                    gathering.take(f, &mut followed);
                    continue;
                }
                Err(mpsc::error::TryRecvError::Disconnected) => break,
                Err(mpsc::error::TryRecvError::Empty) => {}
            }
            let tip = stats.tip.load(std::sync::atomic::Ordering::Relaxed);
            let at_tip = gathering.batch.last().is_none_or(|b| b.height >= tip);
            let now = std::time::Instant::now();
            if at_tip || now >= linger_until {
                break;
            }
            tokio::select! {
                biased;
                _ = stop.requested() => break,
                next = tokio::time::timeout(linger_until - now, rx.recv()) => match next {
                    Ok(Some(f)) => gathering.take(f, &mut followed),
                    // The fetcher is done, or the wait is over: write what there is.
                    Ok(None) | Err(_) => break,
                },
            }
        }
        let Gathering { batch, held } = gathering;
        let last_height = batch.last().map(|b| b.height);
        let tip_time = stats.tip_time.load(std::sync::atomic::Ordering::Relaxed);
        store.set_tip(
            stats.tip.load(std::sync::atomic::Ordering::Relaxed),
            (tip_time > 0)
                .then(|| chrono::DateTime::from_timestamp(tip_time, 0))
                .flatten(),
        );
        let started = std::time::Instant::now();
        let written = store.apply_batch(batch).await?;
        drop(held);
        last_commit = std::time::Instant::now();
        total.store_time += started.elapsed();
        total.blocks += written.blocks;
        total.batches += 1;
        total.events += written.events;
        total.quarantined += written.quarantined;
        total.anomalies += written.anomalies;
        total.store_phases += written.phases;
        if let Some(h) = last_height {
            total.height = h;
        }
        let tip = stats.tip.load(std::sync::atomic::Ordering::Relaxed);
        progress.update(total.height, tip, total.events);
    }
    progress.finish();
    drop(rx);
    if stop.is_requested() {
        // The fetcher may be backing off from nodes that are gone; nothing it holds is needed.
        fetch.abort();
        return Ok(());
    }
    match fetch.await {
        Ok(Err(e)) => Err(e.into()),
        _ => Ok(()),
    }
}
