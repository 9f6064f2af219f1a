//! The fetch loop: heights go out in an adaptive window of concurrent requests, come back in any
//! order, and leave in strict height order; the head is followed by polling `/status`, woken early
//! by the websocket's `NewBlock` events.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::stream::{FuturesUnordered, StreamExt};
use rand::Rng;
use tokio::sync::{mpsc, Notify, OwnedSemaphorePermit, Semaphore};

use super::window::Window;
use super::{NodePool, RawBlock, RpcError, RpcFault};

/// Fetch settings.
#[derive(Clone, Debug)]
pub struct FetchConfig {
    /// Requests in flight at the start.
    pub window_start: usize,
    /// Most requests in flight.
    pub window_max: usize,
    /// How often the tip is polled when caught up.
    pub poll: Duration,
    /// First retry delay; doubles per attempt up to `backoff_max`, with full jitter.
    pub backoff_min: Duration,
    pub backoff_max: Duration,
    /// Websocket URL for `NewBlock` hints (optional).
    pub websocket: Option<String>,
    /// Keep only events whose type starts with this (all when `None`).
    pub event_prefix: Option<String>,
    /// Most events in blocks handed on and not yet dropped by the consumer: the memory bound
    /// whatever the blocks weigh (a count of blocks alone is not one). A block's share is its
    /// events, at least one and at most half the budget, so a consumer that holds less than half
    /// never waits for the fetcher to wait for it.
    pub event_budget: usize,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            window_start: 16,
            window_max: 256,
            poll: Duration::from_millis(500),
            backoff_min: Duration::from_millis(50),
            backoff_max: Duration::from_secs(5),
            websocket: None,
            event_prefix: None,
            event_budget: 100_000,
        }
    }
}

/// Counters the fetcher keeps (read by progress and metrics).
#[derive(Debug, Default)]
pub struct FetchStats {
    /// Highest height known at the chain's tip.
    pub tip: AtomicU64,
    /// Block time of that tip, unix seconds (0 until known).
    pub tip_time: std::sync::atomic::AtomicI64,
    /// Blocks fetched.
    pub fetched: AtomicU64,
    /// Failed RPC calls that were retried.
    pub retries: AtomicU64,
    /// Current window size.
    pub window: AtomicU64,
}

/// The fetch loop's handle.
pub struct Fetcher {
    pool: Arc<NodePool>,
    cfg: FetchConfig,
    stats: Arc<FetchStats>,
    wake: Arc<Notify>,
    budget: Arc<Semaphore>,
}

/// A block handed to the consumer with its share of the event budget, given back when the
/// consumer drops `budget` (after the block's rows are written, not when it is received).
pub struct Fetched {
    /// The block, kept events only.
    pub block: RawBlock,
    /// Its share of the budget: a permit per event (at least one, at most half the budget).
    pub budget: OwnedSemaphorePermit,
}

/// The budget in semaphore permits: at least one, at most what one acquisition can take.
fn budget_permits(events: usize) -> u32 {
    u32::try_from(events.max(1)).unwrap_or(u32::MAX)
}

/// Why the fetcher stopped.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// No node keeps this height any more.
    #[error("height {height} is pruned on every node (lowest kept: {lowest})")]
    Pruned { height: u64, lowest: u64 },
}

impl Fetcher {
    /// A fetcher over `pool`.
    pub fn new(pool: Arc<NodePool>, cfg: FetchConfig) -> Self {
        let budget = Arc::new(Semaphore::new(budget_permits(cfg.event_budget) as usize));
        Fetcher {
            pool,
            cfg,
            stats: Arc::new(FetchStats::default()),
            wake: Arc::new(Notify::new()),
            budget,
        }
    }

    /// Its counters.
    pub fn stats(&self) -> Arc<FetchStats> {
        Arc::clone(&self.stats)
    }

    /// Sends blocks `from..=until` (or forever, following the head, when `until` is `None`) to
    /// `out` in height order. Returns when done, when `out` is closed, or with the error that
    /// makes going on impossible.
    pub async fn run(
        self,
        from: u64,
        until: Option<u64>,
        out: mpsc::Sender<Fetched>,
    ) -> Result<(), FetchError> {
        if let Some(ws) = self.cfg.websocket.clone() {
            tokio::spawn(new_block_hints(ws, Arc::clone(&self.wake)));
        }
        let mut window = Window::new(self.cfg.window_start, 1, self.cfg.window_max);
        let mut next_fetch = from;
        let mut next_send = from;
        let mut tip = self.refresh_tip().await;
        let mut ready: BTreeMap<u64, RawBlock> = BTreeMap::new();
        let mut in_flight = FuturesUnordered::new();
        loop {
            let last = until.map_or(tip, |u| u.min(tip));
            // Keep the window full, but never run more than a few windows ahead of what the
            // consumer has taken (memory stays bounded whatever the history length).
            while in_flight.len() < window.size()
                && next_fetch <= last
                && next_fetch < next_send + (4 * window.max()) as u64
            {
                in_flight.push(self.fetch_one(next_fetch));
                next_fetch += 1;
            }
            self.stats
                .window
                .store(window.size() as u64, Ordering::Relaxed);
            if until.is_some_and(|u| next_send > u) {
                return Ok(());
            }
            if in_flight.is_empty() {
                // Caught up: wait for the tip to move (poll, or a websocket hint).
                tokio::select! {
                    _ = tokio::time::sleep(self.cfg.poll) => {}
                    _ = self.wake.notified() => {}
                    _ = out.closed() => return Ok(()),
                }
                tip = self.refresh_tip().await.max(tip);
                continue;
            }
            let Some((height, result, pressured)) = in_flight.next().await else {
                continue;
            };
            if pressured {
                window.pressure();
            } else {
                window.success();
            }
            match result {
                Ok(block) => {
                    ready.insert(height, block);
                }
                Err(e) => return Err(e),
            }
            while let Some(block) = ready.remove(&next_send) {
                let cost = u32::try_from(block.events().max(1))
                    .unwrap_or(u32::MAX)
                    .min(budget_permits(self.cfg.event_budget / 2));
                let budget = tokio::select! {
                    permit = Arc::clone(&self.budget).acquire_many_owned(cost) => permit,
                    _ = out.closed() => return Ok(()),
                };
                // The semaphore is never closed.
                let Ok(budget) = budget else { return Ok(()) };
                if out.send(Fetched { block, budget }).await.is_err() {
                    return Ok(());
                }
                next_send += 1;
            }
        }
    }

    async fn refresh_tip(&self) -> u64 {
        match self.pool.tip().await {
            Ok((t, time)) => {
                if self.stats.tip.fetch_max(t, Ordering::Relaxed) <= t {
                    self.stats.tip_time.store(time, Ordering::Relaxed);
                }
                t
            }
            Err(e) => {
                tracing::warn!(error = %e, "tip unknown");
                self.stats.tip.load(Ordering::Relaxed)
            }
        }
    }

    /// Fetches one height, retrying with exponential backoff and full jitter until a node
    /// answers. Returns whether any attempt met pushback (the window then shrinks).
    fn fetch_one(
        &self,
        height: u64,
    ) -> impl std::future::Future<Output = (u64, Result<RawBlock, FetchError>, bool)> + use<> {
        let pool = Arc::clone(&self.pool);
        let stats = Arc::clone(&self.stats);
        let (min, max) = (self.cfg.backoff_min, self.cfg.backoff_max);
        let keep = self.cfg.event_prefix.clone();
        async move {
            let mut pressured = false;
            let mut attempt = 0usize;
            loop {
                let Some(node) = pool.pick(height, attempt) else {
                    let lowest = pool.nodes().iter().map(|n| n.lowest()).min().unwrap_or(0);
                    return (
                        height,
                        Err(FetchError::Pruned { height, lowest }),
                        pressured,
                    );
                };
                match node.fetch(height, keep.as_deref()).await {
                    Ok(block) => {
                        stats.fetched.fetch_add(1, Ordering::Relaxed);
                        return (height, Ok(block), pressured);
                    }
                    Err(RpcError {
                        fault: RpcFault::Pruned { .. },
                        ..
                    }) => {
                        // The node raised its lowest height; the next pick skips it.
                        attempt += 1;
                        continue;
                    }
                    Err(e) => {
                        pressured |= e.fault.is_pressure();
                        stats.retries.fetch_add(1, Ordering::Relaxed);
                        tracing::debug!(height, error = %e, "retrying");
                        let delay = backoff(attempt, min, max);
                        attempt += 1;
                        tokio::time::sleep(delay).await;
                    }
                }
            }
        }
    }
}

/// Full-jitter exponential backoff: uniform in `[0, min(max, min·2^attempt)]`.
pub fn backoff(attempt: usize, min: Duration, max: Duration) -> Duration {
    let cap = min
        .saturating_mul(1u32 << attempt.min(20))
        .min(max)
        .max(min);
    let millis = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX);
    Duration::from_millis(rand::rng().random_range(0..=millis))
}

/// Subscribes to `NewBlock` and wakes the fetcher on each event; reconnects when the socket
/// drops. Only a hint: heights always come from `/block`.
async fn new_block_hints(url: String, wake: Arc<Notify>) {
    use tendermint_rpc::query::EventType;
    use tendermint_rpc::{SubscriptionClient, WebSocketClient};
    let mut attempt = 0;
    loop {
        if let Ok((client, driver)) = WebSocketClient::new(url.as_str()).await {
            let driver = tokio::spawn(driver.run());
            if let Ok(mut subs) = client.subscribe(EventType::NewBlock.into()).await {
                attempt = 0;
                while let Some(Ok(_)) = subs.next().await {
                    wake.notify_one();
                }
            }
            client.close().ok();
            driver.abort();
        }
        attempt += 1;
        tokio::time::sleep(backoff(
            attempt,
            Duration::from_millis(200),
            Duration::from_secs(10),
        ))
        .await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_stays_within_its_cap() {
        let (min, max) = (Duration::from_millis(50), Duration::from_secs(5));
        for attempt in 0..40 {
            let d = backoff(attempt, min, max);
            assert!(d <= max, "{d:?}");
            assert!(d <= min * (1 << attempt.min(20)).max(1), "{attempt}: {d:?}");
        }
    }
}
