//! How sync cuts a backfill into transactions.

use std::time::{Duration, Instant};

use devnet::rpc::FaultConfig;
use indexer::ingest::{FetchConfig, Fetcher, NodePool};
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

/// However far behind its consumer is, the fetcher hands on at most its event budget in blocks
/// the consumer still holds (a block's share is its events, at least one, at most half of it);
/// once they are let go it goes on, and every height arrives once, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fetcher_runs_ahead_by_its_event_budget() {
    let chain = Chain::start(FaultConfig::default()).await;
    let tip = chain.summary.height;
    let (pool, _) = NodePool::connect(&[chain.url()], Duration::from_secs(10))
        .await
        .unwrap();
    let budget = 40;
    let cfg = FetchConfig {
        event_budget: budget,
        ..FetchConfig::default()
    };
    let fetcher = Fetcher::new(std::sync::Arc::new(pool), cfg);
    // Room for every block: only the budget can hold the fetcher back.
    let (tx, mut rx) = tokio::sync::mpsc::channel(tip as usize + 1);
    let task = tokio::spawn(fetcher.run(1, Some(tip), tx));
    // The first block, then time for the fetcher to run as far ahead as it may.
    let first = tokio::time::timeout(Duration::from_secs(30), rx.recv()).await;
    let mut held = vec![first.unwrap().unwrap()];
    tokio::time::sleep(Duration::from_millis(500)).await;
    while let Ok(f) = rx.try_recv() {
        held.push(f);
    }
    let share: usize = held
        .iter()
        .map(|f| f.block.events().clamp(1, budget / 2))
        .sum();
    assert!(
        share <= budget && (held.len() as u64) < tip,
        "{} blocks of {tip} held, {share} of a budget of {budget}",
        held.len()
    );
    let mut heights: Vec<u64> = held.iter().map(|f| f.block.height).collect();
    drop(held);
    while let Some(f) = rx.recv().await {
        heights.push(f.block.height);
    }
    task.await.unwrap().unwrap();
    assert_eq!(heights, (1..=tip).collect::<Vec<_>>());
}

/// A batch also closes when its blocks hold `batch_events` of the fetcher's budget in events it
/// does not write (contracts nobody follows): waiting for the interval then would only wait for
/// a budget that the batch itself holds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_of_unfollowed_contracts_close_a_batch_too() {
    let (chain, db) = tokio::join!(Chain::start(FaultConfig::default()), Db::start());
    let url = db.fresh();
    let mut cfg = config(vec![chain.url()]);
    // Follow nothing: every contract event is held, none is written.
    cfg.discover = false;
    cfg.batch_events = 30;
    cfg.min_commit_interval = Duration::from_secs(3_600);
    let store = Store::connect(&url, 2).unwrap();
    let report = tokio::time::timeout(Duration::from_secs(120), sync(&store, &cfg))
        .await
        .expect("no batch waits out the interval for its own budget")
        .unwrap();
    assert_eq!(report.height, chain.summary.height);
    assert_eq!(report.events, 0, "nothing followed, nothing written");
    assert!(report.batches > 2, "{} batches", report.batches);
}
