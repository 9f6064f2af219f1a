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
    let run = |url: &str| {
        let sync = ["sync", "--exit-at-tip", "--batch-blocks", "23"];
        indexer_command(&sync, &chain.url(), url)
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

/// A terminal's Ctrl-C reaches the whole process group, Postgres included. When Postgres goes
/// first, `indexer run` is waiting to retry the database, and it must still stop on the signal
/// (it used to sleep through it and hang the demo).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signal_stops_run_after_its_database_has_gone() {
    // Slow enough that the backfill is still writing when Postgres stops.
    let slow = FaultConfig {
        latency: Duration::from_millis(20),
        ..FaultConfig::default()
    };
    let (chain, mut db) = tokio::join!(Chain::start(slow), Db::start());
    let url = db.fresh();
    let log = tempfile::NamedTempFile::new().unwrap();
    let run = [
        "run",
        "--batch-blocks",
        "5",
        "--max-in-flight",
        "2",
        "--listen",
        "127.0.0.1:0",
    ];
    let mut child = indexer_command(&run, &chain.url(), &url)
        .stderr(Stdio::from(log.reopen().unwrap()))
        .spawn()
        .unwrap();
    let logged = || std::fs::read_to_string(log.path()).unwrap_or_default();
    let store = Store::connect(&url, 1).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while store.cursor().await.map(|c| c.height).unwrap_or(0) == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "run did not start writing"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let height = store.cursor().await.unwrap().height;
    assert!(height < chain.summary.height, "still mid-backfill");
    drop(store);
    db.pg.stop();
    // Long enough for the sync to see the database gone and start backing off.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert!(
        child.try_wait().unwrap().is_none(),
        "run gave up when its database stopped:\n{}",
        logged()
    );
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!(
                "indexer run did not stop within 15 s of SIGINT with its database gone:\n{}",
                logged()
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "run exited with {status}:\n{}", logged());
}
