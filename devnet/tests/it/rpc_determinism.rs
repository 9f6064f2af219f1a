//! Sealing is deterministic (same blocks in, same hashes out, across stores and runs), sensitive
//! to every input, validates heights and times, and pruning makes old heights unavailable.

use crate::rpc_common;

use devnet::node::{BlockStore, StoreConfig};
use rpc_common::*;
use serde_json::json;

fn fed(config: StoreConfig, blocks: Vec<devnet::node::ExecutedBlock>) -> Vec<String> {
    let store = BlockStore::new(config).expect("store");
    blocks
        .into_iter()
        .map(|b| store.push(b).expect("push").block_hash_hex())
        .collect()
}

#[test]
fn same_blocks_same_hashes() {
    let a = fed(StoreConfig::new(CHAIN_ID), fixture_blocks());
    let b = fed(StoreConfig::new(CHAIN_ID), fixture_blocks());
    assert_eq!(a, b);
    let mut unique = a.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 4);
    // Known answer: pins the sealing rules across processes and versions.
    assert_eq!(
        a[0],
        "562EBF78848298F2537B2D9301A5A3062A384EAFC2827227C8C8996BD94F2A2F"
    );
}

#[test]
fn every_input_changes_the_hash() {
    let base = fed(StoreConfig::new(CHAIN_ID), fixture_blocks());

    let mut later = fixture_blocks();
    later[1].time_unix_nanos += 1;
    let t = fed(StoreConfig::new(CHAIN_ID), later);
    assert_eq!(t[0], base[0]);
    assert_ne!(t[1], base[1], "time changes the block hash");
    assert_ne!(t[3], base[3], "and every later block through last_block_id");

    let mut other_tx = fixture_blocks();
    other_tx[1].txs[0].bytes.push(0);
    assert_ne!(
        fed(StoreConfig::new(CHAIN_ID), other_tx)[1],
        base[1],
        "data_hash"
    );

    let mut other_result = fixture_blocks();
    other_result[1].txs[1].outcome.code = 6;
    let r = fed(StoreConfig::new(CHAIN_ID), other_result);
    assert_eq!(r[1], base[1]);
    assert_ne!(r[2], base[2], "last_results_hash of the next block");

    let mut other_state = fixture_blocks();
    other_state[1].app_hash = [9; 32];
    let s = fed(StoreConfig::new(CHAIN_ID), other_state);
    assert_eq!(s[1], base[1]);
    assert_ne!(s[2], base[2], "app hash shows up one block later");

    assert_ne!(
        fed(StoreConfig::new("other-chain"), fixture_blocks())[0],
        base[0]
    );
}

#[test]
fn push_validates_height_and_time() {
    let store = BlockStore::new(StoreConfig::new(CHAIN_ID)).expect("store");
    let err = store
        .push(block(2, Vec::new()))
        .expect_err("must start at 1");
    assert!(err.to_string().contains("expected block height 1"), "{err}");
    let summary = store.push(block(1, Vec::new())).expect("push 1");
    assert_eq!(summary.height, 1);
    let mut same_time = block(2, Vec::new());
    same_time.time_unix_nanos = T0 + 120_000;
    let err = store.push(same_time).expect_err("time must increase");
    assert!(err.to_string().contains("must be after"), "{err}");
    let s2 = store
        .push(block(2, vec![execute_tx("x", ESCROW, "1uakt")]))
        .expect("push 2");
    assert_eq!(hex::encode_upper(s2.tx_hashes[0]), tx_hash_hex(b"TxRaw:x"));
    assert_eq!(s2.header_app_hash, app_hash(1));
    assert!(
        BlockStore::new(StoreConfig::new("")).is_err(),
        "empty chain id"
    );

    let mut config = StoreConfig::new(CHAIN_ID);
    config.initial_height = 100;
    let late = BlockStore::new(config).expect("store");
    late.push(block(100, Vec::new()))
        .expect("initial height 100");
    let first = late.block(100).expect("stored");
    assert!(first.header.last_block_id.is_none());
    assert!(first.last_commit().is_none());
}

#[tokio::test]
async fn pruned_heights_are_not_available() {
    let mut config = StoreConfig::new(CHAIN_ID);
    config.keep_recent = Some(2);
    let devnet = Devnet::start_with(config, Default::default(), true).await;
    assert_eq!(devnet.store.earliest_height(), 3);
    assert!(devnet.store.block(2).is_none());
    let v = rpc(devnet.addr, "block", json!({"height": "2"})).await;
    assert_eq!(
        v["error"]["data"],
        "height 2 is not available, lowest height is 3"
    );
    let status = rpc(devnet.addr, "status", json!({})).await;
    assert_eq!(status["result"]["sync_info"]["earliest_block_height"], "3");
    let chain = rpc(devnet.addr, "blockchain", json!({})).await;
    assert_eq!(
        chain["result"]["block_metas"].as_array().map(Vec::len),
        Some(2)
    );
    let gone = rpc(
        devnet.addr,
        "tx",
        json!({"hash": tx_hash_hex(b"TxRaw:2-0")}),
    )
    .await;
    assert!(gone["error"]["data"]
        .as_str()
        .is_some_and(|d| d.contains("not found")));

    devnet.store.prune_below(4);
    assert_eq!(devnet.store.earliest_height(), 4);
    devnet.store.prune_below(100);
    assert_eq!(devnet.store.earliest_height(), 4, "the tip is never pruned");
}

#[test]
fn header_hash_matches_cometbft_test_vector() {
    use sha2::{Digest, Sha256};
    use tendermint::block::{self, parts, Header};
    use tendermint::{account, AppHash, Hash, Time};
    let s = |x: &str| Hash::Sha256(Sha256::digest(x.as_bytes()).into());
    let zero = Hash::Sha256([0; 32]);
    // CometBFT v0.38 types/block_test.go TestHeaderHash.
    let header = Header {
        version: block::header::Version { block: 1, app: 2 },
        chain_id: "chainId".try_into().expect("chain id"),
        height: 3u32.into(),
        time: Time::parse_from_rfc3339("2019-10-13T16:14:44Z").expect("time"),
        last_block_id: Some(block::Id {
            hash: zero,
            part_set_header: parts::Header::new(6, zero).expect("parts"),
        }),
        last_commit_hash: Some(s("last_commit_hash")),
        data_hash: Some(s("data_hash")),
        validators_hash: s("validators_hash"),
        next_validators_hash: s("next_validators_hash"),
        consensus_hash: s("consensus_hash"),
        app_hash: AppHash::try_from(Sha256::digest(b"app_hash").to_vec()).expect("app hash"),
        last_results_hash: Some(s("last_results_hash")),
        evidence_hash: Some(s("evidence_hash")),
        proposer_address: account::Id::new(
            Sha256::digest(b"proposer_address")[..20]
                .try_into()
                .expect("20 bytes"),
        ),
    };
    assert_eq!(
        header.hash().to_string(),
        "F740121F553B5418C3EFBD343C2DBFE9E007BB67B0D020A0741374BAB65242A4"
    );
}
