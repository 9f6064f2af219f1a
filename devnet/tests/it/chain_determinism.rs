//! Determinism: the same seed gives the same blocks, block hashes and app hashes (two devnets
//! built one after the other in this test, each sealed into its own RPC block store); another
//! traffic seed diverges once the traffic starts.

use devnet::node::{BlockStore, StoreConfig};
use devnet::runner::{genesis, DevnetConfig};
use devnet::scenario::ScenarioConfig;

/// (block hash, app hash) per height after genesis, setup and `days` of history.
fn run(traffic_seed: u64, days: u64) -> Vec<([u8; 32], [u8; 32])> {
    let config = DevnetConfig {
        scenario: ScenarioConfig {
            seed: traffic_seed,
            ..ScenarioConfig::default()
        },
        history_days: days,
        vm_cache: Some(supercloud_vm::workspace_cache_dir()),
        ..DevnetConfig::default()
    };
    let store = BlockStore::new(StoreConfig::new(config.chain.chain_id.clone())).unwrap();
    let mut out = Vec::new();
    let mut sink = |block: devnet::node::ExecutedBlock| {
        let app_hash = block.app_hash;
        let sealed = store.push(block).unwrap();
        out.push((sealed.block_hash, app_hash));
    };
    let (mut chain, mut scenario, _) = genesis(&config, &mut sink).unwrap();
    scenario
        .fast_forward(&mut chain, days, &mut sink, &mut |_| {})
        .unwrap();
    assert!(
        scenario.stats().txs > 50,
        "too little traffic to prove anything"
    );
    out
}

#[test]
fn same_seed_same_hashes_other_seed_diverges() {
    let a = run(7, 1);
    let b = run(7, 1);
    assert!(a.len() > 250);
    assert_eq!(a.len(), b.len());
    for (height, (x, y)) in a.iter().zip(&b).enumerate() {
        assert_eq!(
            x,
            y,
            "block {} differs between two runs of the same seed",
            height + 1
        );
    }
    let c = run(8, 1);
    assert_eq!(
        a.len(),
        c.len(),
        "history length is set by time, not by traffic"
    );
    let first_diff = a.iter().zip(&c).position(|(x, y)| x != y);
    let first_diff = first_diff.expect("another traffic seed must change the chain");
    // Genesis (the two proposals) does not depend on the traffic seed.
    assert!(
        first_diff > 20,
        "diverged at block {} already",
        first_diff + 1
    );
}
