//! The real tendermint-rpc 0.41 `HttpClient` (the indexer's client) reads every endpoint the
//! devnet serves, with the compat mode taken from `/status` as the indexer does.

use crate::rpc_common;

use rpc_common::*;
use tendermint::abci::Code;
use tendermint::block::Height;
use tendermint::Hash;
use tendermint_rpc::client::CompatMode;
use tendermint_rpc::query::{EventType, Query};
use tendermint_rpc::{Client, HttpClient, Order, Paging};

async fn client(devnet: &Devnet) -> HttpClient {
    let probe = HttpClient::new(devnet.url().as_str()).expect("client");
    let status = probe.status().await.expect("status");
    let mode = CompatMode::from_version(status.node_info.version).expect("compat mode");
    assert_eq!(mode, CompatMode::V0_38);
    HttpClient::builder(devnet.url().parse().expect("url"))
        .compat_mode(mode)
        .build()
        .expect("client")
}

fn h(n: u32) -> Height {
    Height::from(n)
}

#[tokio::test]
async fn status_health_info_genesis_validators() {
    let devnet = Devnet::start().await;
    let c = client(&devnet).await;
    let status = c.status().await.expect("status");
    assert_eq!(status.node_info.network.as_str(), CHAIN_ID);
    assert_eq!(status.sync_info.latest_block_height, h(4));
    assert_eq!(status.sync_info.earliest_block_height, h(1));
    assert!(!status.sync_info.catching_up);
    let tip = devnet.store.latest().expect("tip");
    assert_eq!(status.sync_info.latest_block_hash, tip.block_id.hash);
    assert_eq!(status.sync_info.latest_app_hash.as_bytes(), app_hash(3));
    assert_eq!(status.sync_info.latest_block_time, tip.header.time);

    c.health().await.expect("health");
    let info = c.abci_info().await.expect("abci_info");
    assert_eq!(info.last_block_height, h(4));
    assert_eq!(info.data, "supercloud-devnet");

    let genesis = c.genesis::<serde_json::Value>().await.expect("genesis");
    assert_eq!(genesis.chain_id.as_str(), CHAIN_ID);
    assert_eq!(genesis.validators.len(), 1);

    let vals = c
        .validators(h(2), Paging::Default)
        .await
        .expect("validators");
    assert_eq!(vals.validators.len(), 1);
    assert_eq!(vals.validators[0].address, status.validator_info.address);
    assert_eq!(vals.block_height, h(2));
}

#[tokio::test]
async fn blocks_headers_and_hashes_check_out_client_side() {
    let devnet = Devnet::start().await;
    let c = client(&devnet).await;
    let mut prev_id = None;
    for height in 1..=4u32 {
        let resp = c.block(h(height)).await.expect("block");
        let header = &resp.block.header;
        assert_eq!(header.height, h(height));
        // The client recomputes the header hash; it must equal the served block id.
        assert_eq!(header.hash(), resp.block_id.hash, "height {height}");
        assert_eq!(header.last_block_id, prev_id, "height {height}");
        assert_eq!(resp.block.last_commit.is_some(), height > 1);
        if let Some(commit) = &resp.block.last_commit {
            assert_eq!(Some(commit.block_id), prev_id);
        }
        let stored = devnet.store.block(u64::from(height)).expect("stored");
        assert_eq!(resp.block_id, stored.block_id);
        assert_eq!(resp.block.data.len(), stored.txs.len());
        // The header app hash is the state after the previous block.
        if height > 1 {
            assert_eq!(header.app_hash.as_bytes(), app_hash(u64::from(height) - 1));
        }
        let by_hash = c.block_by_hash(resp.block_id.hash).await.expect("by hash");
        assert_eq!(by_hash.block.map(|b| b.header.height), Some(h(height)));

        let hdr = c.header(h(height)).await.expect("header");
        assert_eq!(hdr.header.hash(), resp.block_id.hash);
        let commit = c.commit(h(height)).await.expect("commit");
        assert_eq!(commit.signed_header.commit.block_id, resp.block_id);
        assert_eq!(commit.canonical, height < 4);
        prev_id = Some(resp.block_id);
    }
    let latest = c.latest_block().await.expect("latest");
    assert_eq!(latest.block.header.height, h(4));
}

#[tokio::test]
async fn block_results_and_txs() {
    let devnet = Devnet::start().await;
    let c = client(&devnet).await;
    let results = c.block_results(h(2)).await.expect("block_results");
    let txs = results.txs_results.expect("txs_results");
    assert_eq!(txs.len(), 2);
    assert_eq!(txs[0].code, Code::Ok);
    assert_eq!(txs[0].gas_used, 123_456);
    assert_eq!(txs[1].code, Code::from(5));
    assert_eq!(txs[1].codespace, "sdk");
    let kinds: Vec<&str> = txs[0].events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["tx", "tx", "message", "execute", "wasm", "wasm-escrow"]
    );
    let escrow = &txs[0].events[5];
    assert_eq!(
        escrow.attributes[0].key_str().ok(),
        Some("_contract_address")
    );
    assert_eq!(escrow.attributes[0].value_str().ok(), Some(ESCROW));
    assert_eq!(results.finalize_block_events.len(), 3);
    assert_eq!(results.app_hash.as_bytes(), app_hash(2));
    assert!(results.begin_block_events.is_none());
    assert!(results.consensus_param_updates.is_some());

    let empty = c.block_results(h(4)).await.expect("block_results 4");
    assert!(empty.txs_results.unwrap_or_default().is_empty());
    assert!(empty.finalize_block_events.is_empty());

    // Tx by hash: hash = sha256(bytes); the served tx bytes are the pushed ones.
    let block2 = c.block(h(2)).await.expect("block 2");
    for (i, bytes) in block2.block.data.iter().enumerate() {
        let hash: Hash = tx_hash_hex(bytes).parse().expect("hash");
        let tx = c.tx(hash, i == 0).await.expect("tx");
        assert_eq!(tx.hash, hash);
        assert_eq!(tx.height, h(2));
        assert_eq!(tx.index as usize, i);
        assert_eq!(&tx.tx, bytes);
        assert_eq!(tx.proof.is_some(), i == 0);
        if let Some(proof) = tx.proof {
            assert_eq!(Some(proof.root_hash), block2.block.header.data_hash);
        }
    }
    let missing: Hash = tx_hash_hex(b"nope").parse().expect("hash");
    let err = c.tx(missing, false).await.expect_err("unknown tx");
    assert!(err.to_string().contains("not found"), "{err}");
}

#[tokio::test]
async fn blockchain_is_descending_and_capped() {
    let devnet = Devnet::start().await;
    for _ in 0..30 {
        devnet.push_next(Vec::new());
    }
    let c = client(&devnet).await;
    let chain = c.blockchain(h(1), h(4)).await.expect("blockchain");
    assert_eq!(chain.last_height, h(34));
    let heights: Vec<u64> = chain
        .block_metas
        .iter()
        .map(|m| m.header.height.value())
        .collect();
    assert_eq!(heights, [4, 3, 2, 1]);
    assert_eq!(chain.block_metas[2].num_txs, 2);
    let all = c.blockchain(h(1), h(34)).await.expect("blockchain all");
    assert_eq!(all.block_metas.len(), 20);
    assert_eq!(all.block_metas[0].header.height, h(34));
    assert_eq!(all.block_metas[19].header.height, h(15));
    for meta in &all.block_metas {
        assert_eq!(meta.header.hash(), meta.block_id.hash);
    }
}

#[tokio::test]
async fn tx_search_and_block_search_find_by_event() {
    let devnet = Devnet::start().await;
    let c = client(&devnet).await;
    let by_contract = c
        .tx_search(
            Query::eq("execute._contract_address", ESCROW),
            false,
            1,
            30,
            Order::Ascending,
        )
        .await
        .expect("tx_search");
    assert_eq!(by_contract.total_count, 1);
    assert_eq!(by_contract.txs[0].height, h(2));

    let by_height = c
        .tx_search(
            Query::eq("tx.height", 2u64),
            false,
            1,
            30,
            Order::Descending,
        )
        .await
        .expect("tx_search height");
    assert_eq!(by_height.total_count, 2);
    assert_eq!(by_height.txs[0].index, 1, "descending order");

    let all_exec = c
        .tx_search(
            Query::eq("message.action", "/cosmwasm.wasm.v1.MsgExecuteContract"),
            false,
            2,
            1,
            Order::Ascending,
        )
        .await
        .expect("paged");
    assert_eq!(all_exec.total_count, 2);
    assert_eq!(all_exec.txs.len(), 1);
    assert_eq!(all_exec.txs[0].height, h(3));

    let none = c
        .tx_search(
            Query::eq("execute._contract_address", "akash1none"),
            false,
            1,
            30,
            Order::Ascending,
        )
        .await
        .expect("empty search");
    assert_eq!(none.total_count, 0);

    let blocks = c
        .block_search(
            Query::eq("oracle_keeper.mode", "EndBlock"),
            1,
            30,
            Order::Ascending,
        )
        .await
        .expect("block_search");
    assert_eq!(blocks.total_count, 3);
    let _ = EventType::Tx;
}

#[tokio::test]
async fn abci_query_round_trips_and_future_height_errors() {
    let devnet = Devnet::start().await;
    let c = client(&devnet).await;
    let q = c
        .abci_query(
            Some("/cosmwasm.wasm.v1.Query/SmartContractState".into()),
            b"\x0a\x02hi".to_vec(),
            None,
            false,
        )
        .await
        .expect("abci_query");
    assert_eq!(q.value, b"value:\x0a\x02hi");
    assert_eq!(q.key, b"/cosmwasm.wasm.v1.Query/SmartContractState");
    assert_eq!(q.height, h(4));
    let failed = c
        .abci_query(Some("/fail".into()), Vec::new(), Some(h(3)), false)
        .await
        .expect("abci_query fail");
    assert_eq!(failed.code, Code::from(18));
    assert_eq!(failed.log, "invalid request");

    let err = c.block(h(9)).await.expect_err("future height");
    assert!(
        err.to_string()
            .contains("height 9 must be less than or equal to the current blockchain height 4"),
        "{err}"
    );
    let err = c.block_results(h(0)).await.expect_err("height 0");
    assert!(
        err.to_string().contains("height must be greater than 0"),
        "{err}"
    );
}
