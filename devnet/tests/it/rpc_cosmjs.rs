//! An independent client: CosmJS `Comet38Client` (devnet/js/check.mjs, versions pinned in
//! devnet/js/package-lock.json) reads every endpoint and a websocket subscription, and its decoded
//! view (heights, header hashes recomputed in JS, event counts, decoded data) must match
//! the store. Needs node >= 20; runs `npm ci` when node_modules is missing.

use crate::rpc_common;

use std::process::Stdio;
use std::time::Duration;

use rpc_common::*;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use crate::cosmjs::{ensure_node_modules, js_dir};

#[tokio::test]
async fn cosmjs_comet38_client_reads_everything() {
    ensure_node_modules();
    let devnet = Devnet::start().await;
    let mut child = Command::new("node")
        .arg(js_dir().join("check.mjs"))
        .arg(devnet.url())
        .arg(format!("ws://{}", devnet.addr))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn node");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();

    let ready = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
        .await
        .expect("CosmJS HTTP checks in time")
        .expect("read")
        .expect("a line");
    let ready: Value = serde_json::from_str(&ready).expect("json line");
    assert_eq!(ready, json!({"ready": true}), "CosmJS failed: {ready}");

    // Push blocks until the script has seen enough websocket events and printed its report.
    let mut pushed = Vec::new();
    let report = loop {
        tokio::select! {
            line = lines.next_line() => break line.expect("read").expect("report line"),
            _ = tokio::time::sleep(Duration::from_millis(150)) => {
                let n = devnet.store.latest_height() + 1;
                pushed.push(devnet.push_next(vec![
                    execute_tx(&format!("{n}-0"), ESCROW, "5uakt"),
                    failed_tx(&format!("{n}-1")),
                ]));
                assert!(pushed.len() < 60, "no websocket report from CosmJS");
            }
        }
    };
    let status = child.wait().await.expect("node exit");
    let r: Value = serde_json::from_str(&report).expect("report json");
    assert!(
        status.success() && r.get("error").is_none(),
        "CosmJS failed: {r}"
    );

    assert_eq!(
        r["autoIs38"], true,
        "connectComet picks Comet38Client from /status"
    );
    assert_eq!(r["status"]["network"], CHAIN_ID);
    assert_eq!(r["status"]["version"], "0.38.17");
    assert_eq!(r["status"]["latest"], 4);
    assert_eq!(r["status"]["earliest"], 1);
    assert_eq!(r["status"]["catchingUp"], false);
    let tip = devnet.store.block(4).expect("block 4");
    assert_eq!(r["status"]["latestHash"], tip.block_id.hash.to_string());

    let blocks = r["blocks"].as_array().expect("blocks");
    assert_eq!(blocks.len(), 4);
    for (i, b) in blocks.iter().enumerate() {
        let stored = devnet.store.block(i as u64 + 1).expect("stored");
        assert_eq!(b["height"], i + 1);
        assert_eq!(b["hash"], stored.block_id.hash.to_string());
        // Recomputed in JS from the CosmJS-decoded header (hasher checked against CometBFT's
        // own test vector), independently of tendermint-rs.
        assert_eq!(
            b["recomputed"],
            b["hash"],
            "header hash == block_id at {}",
            i + 1
        );
        assert_eq!(b["lastBlockIdNull"], i == 0);
        assert_eq!(b["lastCommitNull"], i == 0);
        assert_eq!(b["partsTotal"], 1);
        let hashes: Vec<String> = stored.tx_hashes.iter().map(hex::encode_upper).collect();
        assert_eq!(b["txHashes"], json!(hashes));
    }

    let br = &r["blockResults"];
    assert_eq!(br["height"], 2);
    assert_eq!(br["txs"][0]["code"], 0);
    assert_eq!(
        br["txs"][0]["dataHex"], "12260A24",
        "data decoded from base64"
    );
    assert_eq!(br["txs"][0]["gasUsed"], "123456");
    assert_eq!(
        br["txs"][0]["eventTypes"],
        json!(["tx", "tx", "message", "execute", "wasm", "wasm-escrow"])
    );
    assert_eq!(br["txs"][0]["attributeCount"], 16);
    assert_eq!(br["txs"][1]["code"], 5);
    assert_eq!(br["txs"][1]["codespace"], "sdk");
    assert_eq!(br["txs"][1]["dataHex"], Value::Null);
    assert_eq!(
        br["finalizeBlockEvents"],
        json!(["coin_received", "mint", "oracle_keeper"])
    );
    assert_eq!(br["validatorUpdates"], 0);
    assert_eq!(br["maxGas"], -1);

    assert_eq!(r["blockchain"]["lastHeight"], 4);
    assert_eq!(r["blockchain"]["heights"], json!([4, 3, 2, 1]));
    assert_eq!(r["blockchain"]["hashesMatch"], true);
    assert_eq!(r["blockchain"]["numTxs"], json!([0, 1, 2, 0]));

    let escrow_hash = tx_hash_hex(b"TxRaw:2-0");
    assert_eq!(r["txSearch"]["escrowCount"], 1);
    assert_eq!(r["txSearch"]["escrowHashes"], json!([escrow_hash]));
    assert_eq!(r["txSearch"]["heightCount"], 2);
    assert_eq!(r["txSearch"]["heightIndexes"], json!([1, 0]));
    assert_eq!(r["tx"]["hash"], escrow_hash);
    assert_eq!(
        (r["tx"]["height"].clone(), r["tx"]["index"].clone()),
        (json!(2), json!(0))
    );
    assert_eq!(r["tx"]["events"], 6);
    let block2 = devnet.store.block(2).expect("block 2");
    assert_eq!(
        r["tx"]["proofRoot"],
        block2
            .header
            .data_hash
            .map(|h| h.to_string())
            .unwrap_or_default()
    );

    assert_eq!(r["abciQuery"]["code"], 0);
    assert_eq!(
        r["abciQuery"]["key"],
        "/cosmwasm.wasm.v1.Query/SmartContractState"
    );
    assert_eq!(
        r["abciQuery"]["valueHex"],
        hex::encode_upper(b"value:\x0a\x02hi")
    );
    assert_eq!(r["abciQuery"]["height"], 4);
    assert_eq!(r["abciInfo"]["lastBlockHeight"], 4);
    assert_eq!(r["commit"]["height"], 2);
    assert_eq!(r["commit"]["canonical"], true);
    assert_eq!(r["commit"]["blockHash"], block2.block_id.hash.to_string());
    assert_eq!(
        r["validators"],
        json!({"count": 1, "total": 1, "power": "10"})
    );
    assert_eq!(r["genesis"], json!({"chainId": CHAIN_ID, "validators": 1}));
    assert_eq!(r["blockSearchCount"], 3);

    // Websocket: blocks pushed after subscribing arrive, with CosmJS-verified header hashes.
    let new_blocks = r["ws"]["newBlocks"].as_array().expect("newBlocks");
    assert_eq!(new_blocks.len(), 2);
    for b in new_blocks {
        let height = b["height"].as_u64().expect("height");
        assert!(pushed.contains(&height), "{height} in {pushed:?}");
        let stored = devnet.store.block(height).expect("stored");
        assert_eq!(b["recomputed"], stored.block_id.hash.to_string());
        assert_eq!(b["txs"], 2);
        let parent = devnet.store.block(height - 1).expect("parent");
        assert_eq!(b["lastCommitHash"], parent.block_id.hash.to_string());
    }
    let tx_events = r["ws"]["txEvents"].as_array().expect("txEvents");
    assert_eq!(tx_events.len(), 2);
    for e in tx_events {
        let height = e["height"].as_u64().expect("height");
        assert_eq!(
            e["hash"],
            tx_hash_hex(format!("TxRaw:{height}-0").as_bytes())
        );
        assert_eq!(e["code"], 0, "the failed tx has no execute event");
        assert_eq!(e["dataHex"], "12260A24");
        assert_eq!(e["events"][3], "execute");
    }
}
