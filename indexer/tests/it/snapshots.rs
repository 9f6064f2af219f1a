//! Dashboard snapshots: computed once per indexed height and filter, shared by the requests that
//! ask meanwhile, equal to an uncached computation, and computed again once new blocks land.

use devnet::rpc::FaultConfig;
use indexer::stats::dashboard::{dashboard, dashboard_of};
use indexer::stats::snapshots::Snapshots;
use indexer::stats::Filter;
use indexer::store::Store;
use indexer::sync::sync;

use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_dashboards_share_one_snapshot_per_height_and_follow_new_blocks() {
    let (chain, db) = tokio::join!(Chain::start(FaultConfig::default()), Db::start());
    let url = db.fresh();
    let store = Store::connect(&url, 4).unwrap();
    let mut cfg = config(vec![chain.url()]);
    cfg.until = Some(chain.summary.height / 2);
    sync(&store, &cfg).await.unwrap();
    let pool = store.pool().clone();
    let snapshots = Snapshots::default();
    let all = Filter::default();

    let shared = futures::future::join_all((0..16).map(|_| snapshots.get(&pool, &all))).await;
    assert_eq!(
        snapshots.computed(),
        1,
        "16 requests at one height, one computation"
    );
    let direct = dashboard(&pool, &all).await.unwrap();
    assert!(
        direct.active_leases.value.as_deref() != Some("0"),
        "a busy chain"
    );
    for s in shared {
        assert_eq!(dashboard_of(&s.unwrap()), direct);
    }

    // Another filter is another snapshot, equal to its own uncached computation.
    let owner: String = client(&url)
        .await
        .query_one(
            "SELECT owner FROM escrow_account GROUP BY owner ORDER BY count(*) DESC, owner LIMIT 1",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let one = Filter {
        owner: Some(owner),
        ..Filter::default()
    };
    let filtered = snapshots.get(&pool, &one).await.unwrap();
    assert_eq!(snapshots.computed(), 2);
    assert_eq!(
        dashboard_of(&filtered),
        dashboard(&pool, &one).await.unwrap()
    );
    assert_ne!(dashboard_of(&filtered), direct);

    // New blocks: the next request computes again, at the new height.
    cfg.until = None;
    sync(&store, &cfg).await.unwrap();
    let after = snapshots.get(&pool, &all).await.unwrap();
    assert_eq!(snapshots.computed(), 3);
    assert_eq!(
        after.now.height,
        i64::try_from(chain.summary.height).unwrap()
    );
    assert_eq!(dashboard_of(&after), dashboard(&pool, &all).await.unwrap());
    // And at that height it is shared again.
    snapshots.get(&pool, &all).await.unwrap();
    assert_eq!(snapshots.computed(), 3);
}
