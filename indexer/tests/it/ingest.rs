//! Ingest and decode against a real devnet: every catalogue event lands once, in `raw_event` and
//! in its own table, with counts equal to an independent crawl of `block_results`; RPC faults and
//! a pruned node change nothing.

use std::collections::BTreeMap;

use devnet::rpc::{FaultConfig, FaultKind};
use tendermint_rpc::{Client, HttpClient};

use crate::common::*;

/// Events per type of the contracts at `contracts`, counted straight from `block_results` with a
/// plain client: successful txs' events and `finalize_block_events`.
async fn crawl(url: &str, tip: u64, contracts: &[String]) -> BTreeMap<String, i64> {
    let client = HttpClient::new(url).unwrap();
    let mut counts = BTreeMap::new();
    for h in 1..=tip {
        let r = client
            .block_results(tendermint::block::Height::try_from(h).unwrap())
            .await
            .unwrap();
        let tx_events = r
            .txs_results
            .unwrap_or_default()
            .into_iter()
            .filter(|t| t.code.is_ok())
            .flat_map(|t| t.events);
        for e in tx_events.chain(r.finalize_block_events) {
            let ours = e.attributes.iter().any(|a| {
                a.key_str().ok() == Some("_contract_address")
                    && contracts
                        .iter()
                        .any(|c| Some(c.as_str()) == a.value_str().ok())
            });
            if ours && e.kind.starts_with("wasm-") {
                *counts.entry(e.kind.clone()).or_default() += 1;
            }
        }
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_catalogue_event_lands_once_with_counts_equal_to_block_results() {
    let (chain, db) = tokio::join!(
        Chain::start_days(MONTH, FaultConfig::default()),
        Db::start()
    );
    let url = db.fresh();
    let report = sync_to_tip(&url, vec![chain.url()]).await;
    assert_eq!(report.height, chain.summary.height);
    assert_eq!(report.quarantined, 0);

    let contracts: Vec<String> = chain.summary.contracts.values().cloned().collect();
    let expected = crawl(&chain.url(), chain.summary.height, &contracts).await;
    assert!(expected.len() > 20, "a varied history: {expected:?}");

    let c = client(&url).await;
    let raw: BTreeMap<String, i64> = c
        .query("SELECT type, count(*) FROM raw_event GROUP BY type", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(raw, expected, "raw_event per type = block_results per type");
    for (kind, n) in &expected {
        let (contract, action) = supercloud_events::SupercloudEvent::split_type(kind).unwrap();
        let table = format!("{contract}_{action}");
        let typed: i64 = c
            .query_one(&format!("SELECT count(*) FROM \"{table}\""), &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(typed, *n, "{table}");
    }
    // Every followed contract was discovered from its governance instantiation.
    let followed: i64 = c
        .query_one("SELECT count(*) FROM followed_contract", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(followed as usize, contracts.len());
    let blocks: i64 = c
        .query_one("SELECT count(*) FROM block", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(blocks as u64, chain.summary.height);
    let daily: i64 = c
        .query_one("SELECT sum(count)::bigint FROM daily_event_count", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(daily, expected.values().sum::<i64>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rpc_faults_and_a_pruned_node_change_nothing() {
    // Three copies of one chain (same seed): clean; faulty; and one pruned below half its
    // height, read beside the faulty one.
    let faulty_cfg = FaultConfig {
        seed: 7,
        latency: std::time::Duration::from_millis(2),
        rate_429: 0.05,
        rate_5xx: 0.05,
        rate_truncate: 0.05,
        lag_blocks: 3,
        ..FaultConfig::default()
    };
    let (clean, faulty, pruned, db) = tokio::join!(
        Chain::start(FaultConfig::default()),
        Chain::start(faulty_cfg),
        Chain::start(FaultConfig::default()),
        Db::start()
    );
    let half = pruned.summary.height / 2;
    pruned.served.store.prune_below(half);
    let (a, b) = (db.fresh(), db.fresh());
    sync_to_tip(&a, vec![clean.url()]).await;
    // The faulty node lags 3 blocks: the sync stops at the tip it sees, then catches up.
    sync_to_tip(&b, vec![pruned.url(), faulty.url()]).await;
    faulty.faults.set_lag_blocks(0);
    sync_to_tip(&b, vec![pruned.url(), faulty.url()]).await;
    let counts = faulty.faults.counts();
    assert!(
        counts.too_many_requests > 0 && counts.server_errors > 0 && counts.truncated > 0,
        "every fault fired: {counts:?}"
    );
    assert_eq!(fingerprint(&a).await, fingerprint(&b).await);
    let _ = FaultKind::Truncate;
}
