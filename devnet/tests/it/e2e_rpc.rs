//! End to end: a devnet running the compiled artifacts (genesis through governance, a day of
//! history, then live blocks) behind the CometBFT RPC, read with the indexer's own client
//! (tendermint-rpc 0.41 `HttpClient`, compat mode from `/status`).

use std::sync::Arc;
use std::time::Duration;

use devnet::proto::auth::{BaseAccount, QueryAccountRequest, QueryAccountResponse};
use devnet::proto::type_url;
use devnet::proto::wasm_query::{QuerySmartContractStateRequest, QuerySmartContractStateResponse};
use devnet::rpc::Faults;
use devnet::runner::DevnetConfig;
use devnet::served::Served;
use prost::Message;
use sha2::{Digest, Sha256};
use tendermint::block::Height;
use tendermint_rpc::client::CompatMode;
use tendermint_rpc::{Client, HttpClient};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tendermint_client_reads_blocks_and_queries_the_escrow() {
    let config = DevnetConfig {
        history_days: 1,
        live_interval: Some(Duration::from_millis(200)),
        vm_cache: Some(supercloud_vm::workspace_cache_dir()),
        ..DevnetConfig::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let served = Served::start(config.clone(), listener, Arc::new(Faults::default())).unwrap();
    let summary = served
        .ready()
        .await
        .expect("genesis and history (artifacts built? scripts/build-wasm.sh)");
    let addr = served.addr;

    let url = format!("http://{addr}");
    let status = HttpClient::new(url.as_str())
        .unwrap()
        .status()
        .await
        .unwrap();
    let mode = CompatMode::from_version(status.node_info.version).unwrap();
    let client = HttpClient::builder(url.parse().unwrap())
        .compat_mode(mode)
        .build()
        .unwrap();
    assert_eq!(status.node_info.network.as_str(), "akash-devnet-1");
    assert!(status.sync_info.latest_block_height.value() >= summary.height);

    // Block 1 carries the store-code proposal; its tx hash is sha256 of the TxRaw bytes.
    let block1 = client.block(Height::from(1u32)).await.unwrap();
    let txs = block1.block.data;
    assert_eq!(txs.len(), 1);
    let results1 = client.block_results(Height::from(1u32)).await.unwrap();
    let tx_results = results1.txs_results.unwrap();
    assert!(tx_results[0].code.is_ok());
    assert!(tx_results[0]
        .events
        .iter()
        .any(|e| e.kind == "submit_proposal"));
    let hash = tendermint::Hash::Sha256(Sha256::digest(&txs[0]).into());
    let tx = client.tx(hash, false).await.unwrap();
    assert_eq!(tx.height.value(), 1);

    // Walk every block of the history: heights and times line up, the chain never stalls.
    let mut last_time = None;
    let mut txs_seen = 0usize;
    for h in (1..=summary.height).step_by(37) {
        let b = client.block(Height::try_from(h).unwrap()).await.unwrap();
        assert_eq!(b.block.header.height.value(), h);
        if let Some(t) = last_time {
            assert!(b.block.header.time > t);
        }
        last_time = Some(b.block.header.time);
        txs_seen += b.block.data.len();
    }
    assert!(txs_seen > 0);

    // abci_query SmartContractState answers the escrow config, protobuf in and out.
    let escrow = summary.contracts["escrow"].clone();
    let bme = summary.contracts["bme"].clone();
    let req = QuerySmartContractStateRequest {
        address: escrow,
        query_data: br#"{"config":{}}"#.to_vec(),
    };
    let res = client
        .abci_query(
            Some(type_url::Q_SMART.to_string()),
            req.encode_to_vec(),
            None,
            false,
        )
        .await
        .unwrap();
    assert!(res.code.is_ok(), "{}", res.log);
    let data = QuerySmartContractStateResponse::decode(res.value.as_slice())
        .unwrap()
        .data;
    let escrow_config: escrow::msg::ConfigResponse = serde_json::from_slice(&data).unwrap();
    assert_eq!(
        escrow_config.authority.as_str(),
        "akash10d07y265gmmuvt4z0w9aw880jnsr700jhe7z0f"
    );
    assert_eq!(
        escrow_config.config.native_denoms,
        vec!["uakt".to_string(), devnet::scenario::STABLE.to_string()]
    );
    assert_eq!(
        escrow_config.config.act_ledger.map(|a| a.to_string()),
        Some(bme)
    );

    // An unknown path is an error answer, not a hang.
    let bad = client
        .abci_query(Some("/no.such.Query/Path".into()), vec![], None, false)
        .await
        .unwrap();
    assert!(bad.code.is_err());

    // Accounts as CosmJS reads them.
    let genesis = devnet::scenario::chain_config(&config.scenario, config.chain.clone());
    let relayer = devnet::chain::Keyring::genesis(&genesis)
        .unwrap()
        .require("relayer")
        .unwrap()
        .addr
        .clone();
    let req = QueryAccountRequest {
        address: relayer.to_string(),
    };
    let res = client
        .abci_query(
            Some(type_url::Q_ACCOUNT.to_string()),
            req.encode_to_vec(),
            None,
            false,
        )
        .await
        .unwrap();
    assert!(res.code.is_ok(), "{}", res.log);
    let account: BaseAccount = QueryAccountResponse::decode(res.value.as_slice())
        .unwrap()
        .account
        .unwrap()
        .unpack()
        .unwrap();
    assert!(account.sequence > 0, "the relayer has pushed prices");

    // Live blocks keep coming.
    let mut live = summary.height;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        live = client
            .status()
            .await
            .unwrap()
            .sync_info
            .latest_block_height
            .value();
        if live > summary.height + 2 {
            break;
        }
    }
    assert!(
        live > summary.height + 2,
        "no live blocks after the history"
    );
    // Going live keeps the block time (lease rates are per block) and never dates a block
    // after the wall clock; the chain is behind it here (genesis in 2025), so it catches up.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let mut prev = client
        .block(Height::try_from(summary.height).unwrap())
        .await
        .unwrap()
        .block
        .header
        .time;
    for h in summary.height + 1..=summary.height + 2 {
        let t = client
            .block(Height::try_from(h).unwrap())
            .await
            .unwrap()
            .block
            .header
            .time;
        let step = t.unix_timestamp() - prev.unix_timestamp();
        assert_eq!(step, config.chain.block_time_s as i64, "block {h}");
        assert!(t.unix_timestamp() <= now, "block {h} is in the future");
        prev = t;
    }

    assert_eq!(served.refused_blocks(), 0);
    let devnet = Arc::try_unwrap(served.devnet).ok().unwrap();
    let stats = tokio::task::spawn_blocking(move || devnet.stop())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stats.unexpected_count, 0, "{:?}", stats.unexpected);
}
