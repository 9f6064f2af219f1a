//! End to end with the client dapps use: CosmJS `CosmWasmClient` (devnet/js/cosmwasm.mjs,
//! `@cosmjs/cosmwasm-stargate` pinned in devnet/js/package-lock.json) reads a devnet running the
//! compiled artifacts (genesis through governance, a day of history) over the CometBFT RPC:
//! chain id, height, account, balance, codes, contract info, smart and raw queries, tx search.
//! Every value is compared with what the chain itself answers. Needs node >= 20; runs `npm ci`
//! when node_modules is missing.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use devnet::chain::accounts::module_address;
use devnet::chain::Keyring;
use devnet::node::Abci;
use devnet::proto::auth::{BaseAccount, QueryAccountRequest, QueryAccountResponse};
use devnet::proto::bank::{QueryBalanceRequest, QueryBalanceResponse};
use devnet::proto::type_url;
use devnet::proto::wasm_query::{
    QueryContractInfoRequest, QueryContractInfoResponse, QueryContractsByCodeRequest,
    QueryContractsByCodeResponse, QueryRawContractStateRequest, QueryRawContractStateResponse,
};
use devnet::rpc::Faults;
use devnet::runner::DevnetConfig;
use devnet::scenario::chain_config;
use devnet::served::Served;
use prost::Message;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tokio::process::Command;

use crate::cosmjs::{ensure_node_modules, js_dir};

fn artifact(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../artifacts")
        .join(format!("{name}.wasm"))
}

/// The keyring of the devnet `config` runs, at genesis (the scenario's cast included).
fn genesis_keys(config: &DevnetConfig) -> Keyring {
    Keyring::genesis(&chain_config(&config.scenario, config.chain.clone())).unwrap()
}

/// Asks the chain directly (no RPC), protobuf in and out.
async fn ask<Req: Message, Res: Message + Default>(
    abci: &Arc<dyn Abci>,
    path: &'static str,
    req: Req,
) -> Res {
    let abci = abci.clone();
    let data = req.encode_to_vec();
    let out = tokio::task::spawn_blocking(move || abci.query(path, &data, 0))
        .await
        .unwrap();
    assert_eq!(out.code, 0, "{path}: {}", out.log);
    Res::decode(out.value.as_slice()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cosmjs_cosmwasm_client_reads_the_suite() {
    let started = Instant::now();
    ensure_node_modules();
    let config = DevnetConfig {
        history_days: 1,
        // Live but idle for the test's lifetime: the state CosmJS reads is the state compared.
        live_interval: Some(Duration::from_secs(600)),
        vm_cache: Some(supercloud_vm::workspace_cache_dir()),
        ..DevnetConfig::default()
    };
    assert_eq!(config.chain.seed, 1, "fixed seed");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let served = Served::start(config.clone(), listener, Arc::new(Faults::default())).unwrap();
    let summary = served
        .ready()
        .await
        .expect("genesis and history (artifacts built? scripts/build-wasm.sh)");
    let (addr, store, abci) = (served.addr, served.store.clone(), served.devnet.abci());

    let prefix = config.chain.prefix;
    let gov = module_address(prefix, "gov").unwrap().to_string();
    let relayer = genesis_keys(&config)
        .require("relayer")
        .unwrap()
        .addr
        .to_string();
    let escrow = summary.contracts["escrow"].clone();
    let escrow_code = summary.code_ids["escrow"];

    let out = tokio::time::timeout(
        Duration::from_secs(60),
        Command::new("node")
            .arg(js_dir().join("cosmwasm.mjs"))
            .arg(format!("http://{addr}"))
            .arg(&escrow)
            .arg(&relayer)
            .kill_on_drop(true)
            .output(),
    )
    .await
    .expect("CosmJS answers in time")
    .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let r: Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "report json ({e}): {stdout}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert!(
        out.status.success() && r.get("error").is_none(),
        "CosmJS failed: {r}"
    );

    // Chain id and height.
    assert_eq!(r["chainId"], config.chain.chain_id.as_str());
    let height = r["height"].as_u64().expect("height");
    assert!(
        (summary.height..=store.latest_height()).contains(&height),
        "height {height} not in {}..={}",
        summary.height,
        store.latest_height()
    );

    // Account and balance, as the chain has them.
    let account: BaseAccount = ask::<_, QueryAccountResponse>(
        &abci,
        type_url::Q_ACCOUNT,
        QueryAccountRequest {
            address: relayer.clone(),
        },
    )
    .await
    .account
    .expect("account")
    .unpack()
    .unwrap();
    assert!(account.sequence > 0, "the relayer has pushed prices");
    // Known on chain since its first signed tx; CosmJS shows it in amino JSON.
    let key =
        devnet::chain::keys::pubkey_from_any(account.pub_key.as_ref().expect("pub_key")).unwrap();
    use base64::Engine;
    let key_b64 = base64::engine::general_purpose::STANDARD.encode(key);
    assert_eq!(
        r["account"],
        json!({
            "address": relayer,
            "accountNumber": account.account_number,
            "sequence": account.sequence,
            "pubkey": {"type": "tendermint/PubKeySecp256k1", "value": key_b64},
        })
    );
    let balance = ask::<_, QueryBalanceResponse>(
        &abci,
        type_url::Q_BALANCE,
        QueryBalanceRequest {
            address: relayer.clone(),
            denom: "uakt".into(),
        },
    )
    .await
    .balance
    .expect("balance");
    assert_ne!(balance.amount, "0", "the relayer holds uakt");
    assert_eq!(
        r["balance"],
        json!({"denom": "uakt", "amount": balance.amount})
    );

    // Codes: every code a contract runs now is the sha256 of its artifact (the history may
    // have upgraded the suite from the previous release, whose codes are listed too).
    let codes = r["codes"].as_array().expect("codes");
    assert!(codes.len() >= summary.code_ids.len(), "{codes:?}");
    for (name, id) in &summary.code_ids {
        let wasm = std::fs::read(artifact(name)).unwrap();
        let code = codes
            .iter()
            .find(|c| c["id"] == *id)
            .unwrap_or_else(|| panic!("code {id} ({name}) in {codes:?}"));
        assert_eq!(
            code["checksum"],
            hex::encode(Sha256::digest(&wasm)),
            "{name}"
        );
        assert_eq!(code["creator"], gov.as_str(), "{name} stored through gov");
    }
    let escrow_wasm = std::fs::read(artifact("escrow")).unwrap();
    let details = &r["codeDetails"];
    assert_eq!(details["id"], escrow_code);
    assert_eq!(
        details["checksum"],
        hex::encode(Sha256::digest(&escrow_wasm))
    );
    assert_eq!(details["dataSha256"], details["checksum"]);
    assert_eq!(details["dataLength"], escrow_wasm.len());

    // Contract info and contracts of the code.
    let info = ask::<_, QueryContractInfoResponse>(
        &abci,
        type_url::Q_CONTRACT_INFO,
        QueryContractInfoRequest {
            address: escrow.clone(),
        },
    )
    .await
    .contract_info
    .expect("contract info");
    assert!(!info.label.is_empty());
    assert_eq!(
        r["contract"],
        json!({
            "address": escrow,
            "codeId": escrow_code,
            "creator": gov,
            "admin": gov,
            "label": info.label,
            "ibcPortId": null,
        })
    );
    let by_code = ask::<_, QueryContractsByCodeResponse>(
        &abci,
        type_url::Q_CONTRACTS_BY_CODE,
        QueryContractsByCodeRequest {
            code_id: escrow_code,
            pagination: None,
        },
    )
    .await
    .contracts;
    assert!(by_code.contains(&escrow));
    assert_eq!(r["contracts"], json!(by_code));

    // Smart query: the escrow's config, governed by x/gov.
    let cfg: escrow::msg::ConfigResponse =
        serde_json::from_value(r["config"].clone()).expect("ConfigResponse");
    assert_eq!(cfg.authority.as_str(), gov);
    assert_eq!(
        cfg.config.native_denoms,
        vec!["uakt".to_string(), devnet::scenario::STABLE.to_string()]
    );
    assert_eq!(
        cfg.config.act_ledger.map(|a| a.to_string()),
        Some(summary.contracts["bme"].clone())
    );

    // Raw query: the cw2 version record, byte for byte what the chain stores.
    let raw = ask::<_, QueryRawContractStateResponse>(
        &abci,
        type_url::Q_RAW,
        QueryRawContractStateRequest {
            address: escrow.clone(),
            query_data: b"contract_info".to_vec(),
        },
    )
    .await
    .data;
    let stored: Value = serde_json::from_slice(&raw).unwrap();
    assert_eq!(r["cw2"]["contract"], "crates.io:escrow");
    assert_eq!(r["cw2"], stored);
    // wasmd answers an absent key with empty data; cosmjs-types decodes that as empty bytes
    // (not the `null` CosmJS documents), as it does against a real node.
    assert_eq!(r["rawMissing"], "", "absent key reads as empty");

    // Tx search on the escrow's execute events, and one of them by hash.
    let search = &r["searchTx"];
    let count = search["count"].as_u64().expect("count");
    assert!(count >= 1, "no escrow execute tx found: {search}");
    assert!(search["codes"].as_array().unwrap().iter().all(|c| c == 0));
    let tx = &r["tx"];
    let tx_height = tx["height"].as_u64().expect("tx height");
    let tx_index = tx["txIndex"].as_u64().expect("tx index") as usize;
    let block = store.block(tx_height).expect("tx block");
    assert_eq!(
        tx["hash"],
        hex::encode_upper(block.tx_hashes[tx_index]),
        "hash at {tx_height}/{tx_index}"
    );
    assert_eq!(tx["code"], 0);
    assert!(
        tx["executeContract"]
            .as_array()
            .unwrap()
            .contains(&json!(escrow)),
        "{tx}"
    );
    assert!(tx["txBytes"].as_u64().unwrap() > 0);
    // One response per message (an ACT deposit executes escrow from inside bme's `send`, so
    // there can be more execute events than messages).
    let responses = tx["msgResponses"].as_array().expect("msgResponses");
    let msgs = devnet::chain::tx::decode(&block.txs[tx_index].bytes)
        .expect("decodes")
        .msgs
        .len();
    assert_eq!(responses.len(), msgs);
    assert!(responses
        .iter()
        .all(|t| t == "/cosmwasm.wasm.v1.MsgExecuteContractResponse"));
    assert_eq!(search["heights"][0], tx_height);

    eprintln!(
        "e2e_cosmjs: {count} escrow txs, height {height}, {:.1?} total",
        started.elapsed()
    );
    assert_eq!(served.refused_blocks(), 0);
    // The chain thread idles until its next live block; dropping the devnet stops it there.
}
