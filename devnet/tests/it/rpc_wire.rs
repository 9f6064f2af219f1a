//! Raw wire JSON: the shapes CometBFT 0.38 itself sends where tendermint-rs's `Serialize` differs,
//! int64-as-string encoding, JSON-RPC envelopes and errors, and both request styles.

use crate::rpc_common;

use devnet::node::StoreConfig;
use rpc_common::*;
use serde_json::{json, Value};

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    k.sort_unstable();
    k
}

#[tokio::test]
async fn block_results_has_cometbft_038_shape() {
    let devnet = Devnet::start().await;
    let res = rpc(devnet.addr, "block_results", json!({"height": "2"})).await;
    assert_eq!(res["jsonrpc"], "2.0");
    assert_eq!(res["id"], 7);
    let r = &res["result"];
    assert_eq!(
        keys(r),
        [
            "app_hash",
            "consensus_param_updates",
            "finalize_block_events",
            "height",
            "txs_results",
            "validator_updates"
        ],
        "no begin_block_events / end_block_events"
    );
    assert_eq!(r["height"], "2");
    // app_hash is []byte => base64, not hex.
    assert_eq!(r["app_hash"], devnet::rpc::wire::b64(&app_hash(2)));
    let ok = &r["txs_results"][0];
    assert_eq!(
        keys(ok),
        [
            "code",
            "codespace",
            "data",
            "events",
            "gas_used",
            "gas_wanted",
            "info",
            "log"
        ]
    );
    assert_eq!(ok["code"], 0);
    assert_eq!(ok["data"], "EiYKJA==", "data is a base64 string");
    assert_eq!(ok["gas_wanted"], "200000");
    assert_eq!(ok["gas_used"], "123456");
    assert_eq!(
        ok["events"][3],
        json!({"type":"execute","attributes":[
            {"key":"_contract_address","value":ESCROW,"index":true},
            {"key":"msg_index","value":"0","index":true}]})
    );
    let failed = &r["txs_results"][1];
    assert_eq!(failed["code"], 5);
    assert_eq!(failed["codespace"], "sdk");
    assert!(failed["data"].is_null());
    assert_eq!(failed["events"].as_array().map(Vec::len), Some(2));
    let fin = &r["finalize_block_events"];
    assert_eq!(
        fin[1],
        json!({"type":"mint","attributes":[
        {"key":"height","value":"2","index":true},{"key":"mode","value":"BeginBlock","index":true}]})
    );
    assert!(r["validator_updates"].is_null());
    assert_eq!(r["consensus_param_updates"]["block"]["max_gas"], "-1");

    let empty = rpc(devnet.addr, "block_results", json!({"height": "4"})).await;
    assert!(empty["result"]["txs_results"].is_null());
    assert!(empty["result"]["finalize_block_events"].is_null());
}

#[tokio::test]
async fn first_block_has_zero_last_block_id_and_commit() {
    let devnet = Devnet::start().await;
    let b1 = rpc(devnet.addr, "block", json!({"height": "1"})).await;
    let header = &b1["result"]["block"]["header"];
    assert_eq!(
        header["last_block_id"],
        json!({"hash":"","parts":{"total":0,"hash":""}})
    );
    assert_eq!(
        header["version"],
        json!({"block":"11"}),
        "app omitted when 0"
    );
    assert_eq!(header["height"], "1");
    assert_eq!(header["time"], "2026-01-01T00:00:00.00012Z");
    assert_eq!(
        b1["result"]["block"]["last_commit"],
        json!({"height":"0","round":0,"block_id":{"hash":"","parts":{"total":0,"hash":""}},"signatures":[]})
    );
    assert_eq!(b1["result"]["block"]["data"], json!({"txs":[]}));
    assert_eq!(b1["result"]["block"]["evidence"], json!({"evidence":[]}));

    let metas = rpc(
        devnet.addr,
        "blockchain",
        json!({"minHeight":"1","maxHeight":"2"}),
    )
    .await;
    let metas = &metas["result"]["block_metas"];
    assert_eq!(metas[1]["header"]["last_block_id"]["parts"]["total"], 0);
    assert_eq!(metas[0]["num_txs"], "2");
    assert!(metas[0]["block_size"]
        .as_str()
        .is_some_and(|s| s.parse::<u64>().is_ok()));

    let b2 = rpc(devnet.addr, "block", json!({"height": "2"})).await;
    let sig = &b2["result"]["block"]["last_commit"]["signatures"][0];
    assert_eq!(sig["block_id_flag"], 2);
    assert!(sig["signature"].as_str().is_some_and(|s| s.len() == 88));
    assert_eq!(
        b2["result"]["block"]["data"]["txs"],
        json!(["VHhSYXc6Mi0w", "VHhSYXc6Mi0x"])
    );
}

#[tokio::test]
async fn app_version_shows_in_header_when_set() {
    let mut config = StoreConfig::new(CHAIN_ID);
    config.app_version = 3;
    let devnet = Devnet::start_with(config, Default::default(), true).await;
    let b = rpc(devnet.addr, "header", json!({"height": "2"})).await;
    assert_eq!(
        b["result"]["header"]["version"],
        json!({"block":"11","app":"3"})
    );
}

#[tokio::test]
async fn tx_abci_and_status_shapes() {
    let devnet = Devnet::start().await;
    let hash = tx_hash_hex(b"TxRaw:2-0");
    // GET with 0x-hex hash, as curl users call it.
    let tx = http_get(devnet.addr, &format!("/tx?hash=0x{hash}")).await;
    assert_eq!(tx.status, 200);
    let tx = tx.json();
    assert_eq!(tx["id"], -1);
    let r = &tx["result"];
    assert_eq!(
        keys(r),
        ["hash", "height", "index", "tx", "tx_result"],
        "no proof key"
    );
    assert_eq!(r["hash"], hash);
    assert_eq!(r["height"], "2");
    assert_eq!(r["index"], 0);
    assert_eq!(r["tx"], "VHhSYXc6Mi0w");
    let proved = rpc(
        devnet.addr,
        "tx",
        json!({"hash": devnet::rpc::wire::b64(&hex::decode(&hash).expect("hex")), "prove": true}),
    )
    .await;
    assert_eq!(proved["result"]["proof"]["proof"]["total"], "2");
    assert_eq!(
        proved["result"]["proof"]["proof"]["aunts"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    let search = http_get(
        devnet.addr,
        "/tx_search?query=%22wasm-escrow.deposited=%27100uakt%27%22&per_page=%2210%22",
    )
    .await
    .json();
    assert_eq!(search["result"]["total_count"], "1");
    assert_eq!(search["result"]["txs"][0]["hash"], hash);

    let q = rpc(
        devnet.addr,
        "abci_query",
        json!({"path":"/p","data":"0a02","height":"0","prove":false}),
    )
    .await;
    assert_eq!(
        q["result"],
        json!({"response":{"code":0,"log":"","info":"","index":"0","key":"L3A=","value":"dmFsdWU6CgI=","proofOps":null,"height":"4","codespace":""}})
    );
    let failed = rpc(devnet.addr, "abci_query", json!({"path":"/fail","data":""})).await;
    assert!(failed["result"]["response"]["key"].is_null());
    assert_eq!(failed["result"]["response"]["code"], 18);

    let status = rpc(devnet.addr, "status", json!({})).await;
    let s = &status["result"];
    assert_eq!(s["node_info"]["version"], "0.38.17");
    assert_eq!(s["node_info"]["network"], CHAIN_ID);
    assert_eq!(
        s["node_info"]["protocol_version"],
        json!({"p2p":"8","block":"11","app":"0"})
    );
    assert_eq!(s["sync_info"]["latest_block_height"], "4");
    assert_eq!(s["sync_info"]["earliest_block_height"], "1");
    assert_eq!(s["sync_info"]["catching_up"], false);
    assert_eq!(
        s["validator_info"]["pub_key"]["type"],
        "tendermint/PubKeyEd25519"
    );
    assert_eq!(s["validator_info"]["voting_power"], "10");
}

#[tokio::test]
async fn jsonrpc_envelopes_and_errors() {
    let devnet = Devnet::start().await;
    // String id echoed, positional params.
    let r = http_post(
        devnet.addr,
        r#"{"jsonrpc":"2.0","id":"abc","method":"header","params":["3"]}"#,
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(r
        .headers
        .to_ascii_lowercase()
        .contains("content-type: application/json"));
    let v = r.json();
    assert_eq!(v["id"], "abc");
    assert_eq!(v["result"]["header"]["height"], "3");
    // Numeric heights are accepted too; null means latest.
    let v = rpc(devnet.addr, "header", json!({"height": 2})).await;
    assert_eq!(v["result"]["header"]["height"], "2");
    let v = rpc(devnet.addr, "block", json!({"height": null})).await;
    assert_eq!(v["result"]["block"]["header"]["height"], "4");

    let v = rpc(devnet.addr, "no_such_method", json!({})).await;
    assert_eq!(
        v["error"],
        json!({"code":-32601,"message":"Method not found"})
    );
    let v = rpc(devnet.addr, "subscribe", json!({"query":"tm.event='Tx'"})).await;
    assert_eq!(v["error"]["code"], -32601, "subscribe is websocket-only");
    let v = rpc(devnet.addr, "block", json!({"height": "abc"})).await;
    assert_eq!(v["error"]["code"], -32602);
    assert_eq!(v["error"]["message"], "Invalid params");
    let v = rpc(devnet.addr, "block", json!({"height": "9"})).await;
    assert_eq!(
        v["error"],
        json!({"code":-32603,"message":"Internal error","data":"height 9 must be less than or equal to the current blockchain height 4"})
    );
    let v = rpc(
        devnet.addr,
        "tx_search",
        json!({"query":"tx.height=2","order_by":"sideways"}),
    )
    .await;
    assert_eq!(
        v["error"]["data"],
        "expected order_by to be either `asc` or `desc` or empty"
    );
    let v = rpc(
        devnet.addr,
        "blockchain",
        json!({"minHeight":"4","maxHeight":"2"}),
    )
    .await;
    assert_eq!(
        v["error"]["data"],
        "min height 4 can't be greater than max height 2"
    );

    let parse = http_post(devnet.addr, "{not json").await;
    assert_eq!(parse.status, 500);
    let v = parse.json();
    assert_eq!(v["error"]["code"], -32700);
    assert!(v.get("id").is_none());

    // Batch, with a notification (no id) that gets no answer.
    let batch = http_post(
        devnet.addr,
        r#"[{"jsonrpc":"2.0","id":1,"method":"health"},{"jsonrpc":"2.0","method":"health"},{"jsonrpc":"2.0","id":2,"method":"nope"}]"#,
    )
    .await
    .json();
    assert_eq!(batch.as_array().map(Vec::len), Some(2));
    assert_eq!(batch[0], json!({"jsonrpc":"2.0","id":1,"result":{}}));
    assert_eq!(batch[1]["error"]["code"], -32601);
    let note = http_post(devnet.addr, r#"{"jsonrpc":"2.0","method":"health"}"#).await;
    assert_eq!((note.status, note.body.as_str()), (200, ""));

    let get_err = http_get(devnet.addr, "/block?height=9").await;
    assert_eq!(get_err.status, 500);
    assert_eq!(get_err.json()["id"], -1);
    assert_eq!(http_get(devnet.addr, "/not_a_method").await.status, 404);
    assert_eq!(http_get(devnet.addr, "/subscribe").await.status, 404);
    let quoted = http_get(devnet.addr, "/block?height=%222%22").await.json();
    assert_eq!(quoted["result"]["block"]["header"]["height"], "2");
}
