//! Exactly once: an indexer killed with SIGKILL at random points (and a Postgres crash on the way)
//! ends with the same database as an uninterrupted run; `reindex` rebuilds identical tables.

use std::process::{Command, Stdio};
use std::time::Duration;

use devnet::rpc::FaultConfig;
use indexer::store::Store;
use rand::{Rng, SeedableRng};

use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_random_points_and_a_postgres_crash_end_as_an_uninterrupted_run() {
    // A little latency and a narrow window make the backfill take long enough for kills to land
    // in the middle of it.
    let slow = FaultConfig {
        latency: Duration::from_millis(3),
        ..FaultConfig::default()
    };
    let (chain, mut db) = tokio::join!(Chain::start(slow), Db::start());
    let reference = db.fresh();
    sync_to_tip(&reference, vec![chain.url()]).await;

    let subject = db.fresh();
    let bin = env!("CARGO_BIN_EXE_indexer");
    let run = |url: &str| {
        Command::new(bin)
            .args([
                "sync",
                "--rpc",
                &chain.url(),
                "--exit-at-tip",
                "--batch-blocks",
                "23",
            ])
            .args(["--websocket", "none"])
            .env("DATABASE_URL", url)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(15);
    let mut heights = Vec::new();
    for round in 0..20 {
        let mut child = run(&subject);
        tokio::time::sleep(Duration::from_millis(rng.random_range(100..1_200))).await;
        if round == 10 {
            // Postgres itself crashes under the running indexer, which must wait and resume.
            db.pg.crash_restart().unwrap();
            tokio::time::sleep(Duration::from_millis(rng.random_range(20..250))).await;
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let store = Store::connect(&subject, 1).unwrap();
        heights.push(store.cursor().await.unwrap().height);
    }
    let status = run(&subject).wait().unwrap();
    assert!(status.success());
    assert!(
        heights.windows(2).all(|w| w[0] <= w[1]),
        "the cursor never moves back: {heights:?}"
    );
    assert!(
        heights.iter().any(|h| *h > 0 && *h < chain.summary.height),
        "some kills landed mid-backfill: {heights:?}"
    );
    assert_eq!(fingerprint(&subject).await, fingerprint(&reference).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reindex_from_raw_event_gives_identical_tables() {
    let (chain, db) = tokio::join!(Chain::start(FaultConfig::default()), Db::start());
    let url = db.fresh();
    sync_to_tip(&url, vec![chain.url()]).await;
    let before = fingerprint(&url).await;
    // Damage the derived tables, then rebuild them from raw_event alone (no RPC).
    let c = client(&url).await;
    c.batch_execute(
        "DELETE FROM escrow_deposited WHERE block_height % 2 = 0;
         UPDATE daily_event_count SET count = count + 1;",
    )
    .await
    .unwrap();
    assert_ne!(fingerprint(&url).await, before);
    let store = Store::connect(&url, 1).unwrap();
    let followed = store.followed(&[], false).await.unwrap();
    let n = store.reindex(&followed).await.unwrap();
    assert!(n > 100, "{n} events replayed");
    assert_eq!(fingerprint(&url).await, before);
}
