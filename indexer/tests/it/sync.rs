//! How sync cuts a backfill into transactions.

use std::time::{Duration, Instant};

use devnet::rpc::FaultConfig;
use indexer::store::Store;
use indexer::sync::sync;

use crate::common::*;

/// A backfill paced by a slow RPC commits at most once per `min_commit_interval` (plus the
/// first and the last batch), where without it every few fetched blocks would be a transaction
/// of their own; both end with the same tables.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backfill_paced_by_the_rpc_commits_at_most_once_per_interval() {
    let slow = FaultConfig {
        latency: Duration::from_millis(10),
        ..FaultConfig::default()
    };
    let (chain, db) = tokio::join!(Chain::start(slow), Db::start());
    let run = |interval: Duration| {
        let url = db.fresh();
        let mut cfg = config(vec![chain.url()]);
        cfg.min_commit_interval = interval;
        // Two requests in flight at 10 ms each: the RPC, not the store, sets the pace.
        cfg.fetch.window_max = 2;
        cfg.fetch.window_start = 2;
        async move {
            let store = Store::connect(&url, 2).unwrap();
            let started = Instant::now();
            let report = sync(&store, &cfg).await.unwrap();
            (url, report, started.elapsed())
        }
    };
    let interval = Duration::from_millis(400);
    let (paced_url, paced, elapsed) = run(interval).await;
    let (eager_url, eager, _) = run(Duration::ZERO).await;
    assert_eq!(paced.height, chain.summary.height);
    let bound = elapsed.as_secs_f64() / interval.as_secs_f64() + 2.0;
    assert!(
        (paced.batches as f64) <= bound,
        "{} batches in {elapsed:?} at one per {interval:?}",
        paced.batches
    );
    assert!(
        eager.batches > 2 * paced.batches,
        "without the interval the same backfill commits far more often: {} vs {}",
        eager.batches,
        paced.batches
    );
    assert_eq!(fingerprint(&paced_url).await, fingerprint(&eager_url).await);
}
