//! Ingest and decode against a real devnet: every catalogue event lands once, in `raw_event` and
//! in its own table, with counts equal to an independent crawl of `block_results`; RPC faults and
//! a pruned node change nothing.

use std::collections::{BTreeMap, BTreeSet};

use devnet::rpc::{FaultConfig, FaultKind};
use tendermint_rpc::{Client, HttpClient};

use crate::common::*;

/// Where an event sits and its type: (height, phase, tx index, event index, type).
type Placed = (i64, i16, i32, i32, String);

/// Events of the contracts at `contracts`, read straight from `block_results` with a plain
/// client (successful txs' events and `finalize_block_events`), each with its place in the list
/// it came in.
async fn crawl(url: &str, tip: u64, contracts: &[String]) -> BTreeSet<Placed> {
    let client = HttpClient::new(url).unwrap();
    let mut placed = BTreeSet::new();
    for h in 1..=tip {
        let r = client
            .block_results(tendermint::block::Height::try_from(h).unwrap())
            .await
            .unwrap();
        let tx_events = r
            .txs_results
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .filter(|(_, t)| t.code.is_ok())
            .flat_map(|(tx, t)| {
                t.events
                    .into_iter()
                    .enumerate()
                    .map(move |(i, e)| (0i16, tx as i32, i as i32, e))
            });
        let finalize = r
            .finalize_block_events
            .into_iter()
            .enumerate()
            .map(|(i, e)| (1i16, 0, i as i32, e));
        for (phase, tx, index, e) in tx_events.chain(finalize) {
            let ours = e.attributes.iter().any(|a| {
                a.key_str().ok() == Some("_contract_address")
                    && contracts
                        .iter()
                        .any(|c| Some(c.as_str()) == a.value_str().ok())
            });
            if ours && e.kind.starts_with("wasm-") {
                placed.insert((h as i64, phase, tx, index, e.kind.clone()));
            }
        }
    }
    placed
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
    let placed = crawl(&chain.url(), chain.summary.height, &contracts).await;
    let mut expected: BTreeMap<String, i64> = BTreeMap::new();
    for (.., kind) in &placed {
        *expected.entry(kind.clone()).or_default() += 1;
    }
    assert!(expected.len() > 20, "a varied history: {expected:?}");

    let c = client(&url).await;
    let raw: BTreeSet<Placed> = c
        .query(
            "SELECT block_height, phase, tx_index, event_index, type FROM raw_event",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
        .collect();
    assert_eq!(raw.len(), placed.len(), "raw_event rows = contract events");
    assert!(
        raw == placed,
        "every event sits where block_results has it; first difference: {:?}",
        raw.symmetric_difference(&placed).next()
    );
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
