//! The dashboard's [`Snapshot`] computed once per indexed height and filter, and shared by every
//! request that asks for it meanwhile.
//!
//! A snapshot is a function of the latest indexed block and the filter, so two requests at the
//! same height may share one. Without this, 200 clients opening the dashboard at once ran the
//! same dozen aggregate queries 200 times (about 95 ms of SQL each over three years of history).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use deadpool_postgres::Pool;

use super::clock::Now;
use super::dashboard::{snapshot_at, Snapshot};
use super::group::Filter;
use crate::api::error::ApiError;

/// Most filters remembered; past it the map starts over (in-flight requests keep their slot).
const MAX_FILTERS: usize = 1_024;

/// The filter's fields: the key of a slot.
type Key = [Option<String>; 5];

/// The last snapshot of one filter with its height; the lock makes concurrent requests wait for
/// one computation instead of each running their own.
type Slot = Arc<tokio::sync::Mutex<Option<(i64, Arc<Snapshot>)>>>;

/// Snapshots by filter, each for the newest height it was asked at.
#[derive(Default)]
pub struct Snapshots {
    slots: Mutex<HashMap<Key, Slot>>,
    asked: AtomicU64,
    computed: AtomicU64,
}

impl Snapshots {
    /// The snapshot at the latest indexed block for `filter`: the one already computed at that
    /// height (or a later one), else computed now while requests for the same filter wait.
    pub async fn get(&self, pool: &Pool, filter: &Filter) -> Result<Arc<Snapshot>, ApiError> {
        filter.check()?;
        self.asked.fetch_add(1, Ordering::Relaxed);
        let now = Now::read(pool).await?;
        let slot = self.slot(filter);
        let mut last = slot.lock().await;
        if let Some((height, snapshot)) = last.as_ref() {
            // A later height than ours was read by a request that came after us: still a
            // consistent snapshot, and a fresher one.
            if *height >= now.height {
                return Ok(Arc::clone(snapshot));
            }
        }
        // A failure is this request's own: the next waiter tries again.
        let snapshot = Arc::new(snapshot_at(pool, now, filter).await?);
        self.computed.fetch_add(1, Ordering::Relaxed);
        *last = Some((now.height, Arc::clone(&snapshot)));
        Ok(snapshot)
    }

    /// How many snapshots were asked for (with a valid filter).
    pub fn asked(&self) -> u64 {
        self.asked.load(Ordering::Relaxed)
    }

    /// How many snapshots were computed (the rest were shared).
    pub fn computed(&self) -> u64 {
        self.computed.load(Ordering::Relaxed)
    }

    fn slot(&self, filter: &Filter) -> Slot {
        // Destructured so that a new filter field cannot be left out of the key.
        let Filter {
            provider,
            owner,
            depositor,
            gpu_model,
            denom,
        } = filter;
        let key: Key = [
            provider.clone(),
            owner.clone(),
            depositor.clone(),
            gpu_model.clone(),
            denom.clone(),
        ];
        // A poisoned map only means another request panicked while inserting: the map is
        // still a valid map.
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        if slots.len() >= MAX_FILTERS && !slots.contains_key(&key) {
            slots.clear();
        }
        Arc::clone(slots.entry(key).or_default())
    }
}
