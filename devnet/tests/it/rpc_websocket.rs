//! Websocket subscriptions: the real tendermint-rpc `WebSocketClient` receives `NewBlock` and
//! `Tx` events for blocks pushed after subscribing (including a query filtered on a wasm event),
//! raw frames have CometBFT's shape, a lagging subscriber is cancelled and disconnected, and a
//! subscriber attached while the history is built hears from the first live block on.

use crate::rpc_common;

use std::time::Duration;

use futures::StreamExt;
use rpc_common::*;
use serde_json::json;
use tendermint_rpc::client::CompatMode;
use tendermint_rpc::event::EventData;
use tendermint_rpc::query::{EventType, Query};
use tendermint_rpc::{Client, SubscriptionClient, WebSocketClient};

const WAIT: Duration = Duration::from_secs(5);

async fn ws_client(devnet: &Devnet) -> WebSocketClient {
    let (client, driver) = WebSocketClient::builder(devnet.ws_url().parse().expect("ws url"))
        .compat_mode(CompatMode::V0_38)
        .build()
        .await
        .expect("ws connect");
    tokio::spawn(driver.run());
    client
}

#[tokio::test]
async fn tendermint_ws_client_gets_new_blocks_and_txs() {
    let devnet = Devnet::start().await;
    let client = ws_client(&devnet).await;
    // Ordinary methods work over the websocket too.
    let status = client.status().await.expect("status over ws");
    assert_eq!(status.sync_info.latest_block_height.value(), 4);

    let mut blocks = client
        .subscribe(EventType::NewBlock.into())
        .await
        .expect("sub blocks");
    let mut txs = client
        .subscribe(EventType::Tx.into())
        .await
        .expect("sub txs");
    let escrow_query = Query::from(EventType::Tx).and_eq("wasm-escrow._contract_address", ESCROW);
    let mut escrow = client
        .subscribe(escrow_query.clone())
        .await
        .expect("sub escrow");

    let h5 = devnet.push_next(vec![execute_tx("5-0", ESCROW, "9uakt"), failed_tx("5-1")]);
    let h6 = devnet.push_next(vec![execute_tx("6-0", ORACLE, "1uakt")]);

    for expected in [h5, h6] {
        let ev = tokio::time::timeout(WAIT, blocks.next())
            .await
            .expect("NewBlock in time")
            .expect("stream open")
            .expect("event ok");
        let EventData::NewBlock {
            block: Some(block),
            block_id,
            result_finalize_block: Some(fin),
        } = ev.data
        else {
            panic!("unexpected event data {:?}", ev.data);
        };
        assert_eq!(block.header.height.value(), expected);
        assert_eq!(block.header.hash(), block_id.hash);
        assert_eq!(fin.tx_results.len(), block.data.len());
        assert_eq!(fin.events.len(), 3);
        assert_eq!(fin.app_hash.as_bytes(), app_hash(expected));
    }

    let mut seen = Vec::new();
    for _ in 0..3 {
        let ev = tokio::time::timeout(WAIT, txs.next())
            .await
            .expect("Tx in time")
            .expect("stream open")
            .expect("event ok");
        let EventData::Tx { tx_result } = ev.data else {
            panic!("unexpected event data {:?}", ev.data);
        };
        let events = ev.events.expect("events map");
        assert_eq!(events["tx.hash"], [tx_hash_hex(&tx_result.tx)]);
        assert_eq!(events["tm.event"], ["Tx"]);
        seen.push((
            tx_result.height,
            tx_result.index.unwrap_or(0),
            tx_result.result.events.len(),
        ));
    }
    assert_eq!(seen, [(5, 0, 6), (5, 1, 2), (6, 0, 6)]);

    let ev = tokio::time::timeout(WAIT, escrow.next())
        .await
        .expect("filtered Tx in time")
        .expect("stream open")
        .expect("event ok");
    assert_eq!(ev.query, escrow_query.to_string());
    let EventData::Tx { tx_result } = ev.data else {
        panic!("unexpected event data");
    };
    assert_eq!((tx_result.height, tx_result.tx), (5, b"TxRaw:5-0".to_vec()));
    // The ORACLE tx of block 6 must not reach the escrow subscription.
    assert!(
        tokio::time::timeout(Duration::from_millis(300), escrow.next())
            .await
            .is_err()
    );

    client.unsubscribe(escrow_query).await.expect("unsubscribe");
    client.close().expect("close");
}

#[tokio::test]
async fn raw_frames_have_cometbft_shape() {
    let devnet = Devnet::start().await;
    let mut ws = RawWs::connect(devnet.addr).await;
    let tx_query = "tm.event = 'Tx' AND wasm-escrow.deposited EXISTS";
    ws.send(
        &json!({"jsonrpc":"2.0","id":"sub-tx","method":"subscribe","params":{"query":tx_query}})
            .to_string(),
    )
    .await;
    assert_eq!(
        ws.recv_json().await,
        json!({"jsonrpc":"2.0","id":"sub-tx","result":{}})
    );
    ws.send(
        &json!({"jsonrpc":"2.0","id":9,"method":"subscribe","params":["tm.event='NewBlock'"]})
            .to_string(),
    )
    .await;
    assert_eq!(
        ws.recv_json().await,
        json!({"jsonrpc":"2.0","id":9,"result":{}})
    );
    // Errors keep CometBFT's codes.
    ws.send(&json!({"jsonrpc":"2.0","id":10,"method":"subscribe","params":{"query":"tm.event='NewBlock'"}}).to_string()).await;
    assert_eq!(ws.recv_json().await["error"]["data"], "already subscribed");
    ws.send(
        &json!({"jsonrpc":"2.0","id":11,"method":"subscribe","params":{"query":"tx.height >"}})
            .to_string(),
    )
    .await;
    let err = ws.recv_json().await;
    assert_eq!(err["error"]["code"], -32603);
    assert!(err["error"]["data"]
        .as_str()
        .unwrap_or("")
        .starts_with("failed to parse query"));
    ws.send(
        &json!({"jsonrpc":"2.0","id":12,"method":"unsubscribe","params":{"query":"tm.event='Tx'"}})
            .to_string(),
    )
    .await;
    assert_eq!(
        ws.recv_json().await["error"]["data"],
        "subscription not found"
    );
    ws.ping(b"hi").await;
    assert_eq!(
        ws.recv_frame(WAIT).await,
        Some((0xA, b"hi".to_vec())),
        "pong"
    );

    let height = devnet.push_next(vec![failed_tx("5-0"), execute_tx("5-1", ESCROW, "3uakt")]);

    let new_block = ws.recv_json().await;
    assert_eq!(new_block["id"], 9);
    let result = &new_block["result"];
    assert_eq!(result["query"], "tm.event='NewBlock'");
    assert_eq!(result["data"]["type"], "tendermint/event/NewBlock");
    let value = &result["data"]["value"];
    assert_eq!(value["block"]["header"]["height"], height.to_string());
    let stored = devnet.store.block(height).expect("stored");
    let parent = devnet.store.block(height - 1).expect("parent");
    assert_eq!(value["block_id"]["hash"], stored.block_id.hash.to_string());
    assert_eq!(
        value["block"]["last_commit"]["block_id"]["hash"],
        parent.block_id.hash.to_string()
    );
    let fin = &value["result_finalize_block"];
    assert!(
        fin["tx_results"][0]["data"].is_null(),
        "failed tx has no data"
    );
    assert_eq!(fin["tx_results"][1]["data"], "EiYKJA==");
    assert!(fin["app_hash"].is_string());
    assert!(fin.get("validator_updates").is_some());
    assert_eq!(result["events"]["tm.event"], json!(["NewBlock"]));
    assert_eq!(result["events"]["mint.height"], json!([height.to_string()]));

    let tx = ws.recv_json().await;
    assert_eq!(tx["id"], "sub-tx");
    assert_eq!(
        tx["result"]["query"], tx_query,
        "query echoed byte for byte"
    );
    assert_eq!(tx["result"]["data"]["type"], "tendermint/event/Tx");
    let info = &tx["result"]["data"]["value"]["TxResult"];
    assert_eq!(info["height"], height.to_string());
    assert_eq!(info["index"], 1);
    assert_eq!(info["tx"], "VHhSYXc6NS0x");
    assert_eq!(info["result"]["code"], 0);
    assert_eq!(info["result"]["gas_used"], "123456");
    let events = &tx["result"]["events"];
    assert_eq!(events["tx.hash"], json!([tx_hash_hex(b"TxRaw:5-1")]));
    assert_eq!(events["tx.height"], json!([height.to_string()]));
    assert_eq!(events["wasm-escrow.deposited"], json!(["3uakt"]));
    // The failed tx (no wasm-escrow event) was not sent to this subscription.
    assert_eq!(ws.recv(Duration::from_millis(300)).await, WsEvent::Timeout);

    ws.send(&json!({"jsonrpc":"2.0","id":13,"method":"unsubscribe_all"}).to_string())
        .await;
    assert_eq!(ws.recv_json().await["result"], json!({}));
    devnet.push_next(Vec::new());
    assert_eq!(ws.recv(Duration::from_millis(300)).await, WsEvent::Timeout);
}

#[tokio::test]
async fn lagging_subscriber_is_cancelled_and_disconnected() {
    let mut config = devnet::node::StoreConfig::new(CHAIN_ID);
    config.event_capacity = 2;
    let devnet = Devnet::start_with(config, Default::default(), true).await;

    // Raw client: exact error and close.
    let mut ws = RawWs::connect(devnet.addr).await;
    ws.send(&json!({"jsonrpc":"2.0","id":1,"method":"subscribe","params":{"query":"tm.event='NewBlock'"}}).to_string()).await;
    assert_eq!(ws.recv_json().await["result"], json!({}));
    // Real client on a second connection.
    let client = ws_client(&devnet).await;
    let mut sub = client
        .subscribe(EventType::NewBlock.into())
        .await
        .expect("subscribe");

    // Each websocket message now takes 50 ms to go out while ten blocks arrive at once.
    devnet.faults.set_latency(Duration::from_millis(50));
    for _ in 0..10 {
        devnet.push_next(Vec::new());
    }

    let mut events = 0;
    let cancel = loop {
        match ws.recv(WAIT).await {
            WsEvent::Text(t) => {
                let v: serde_json::Value = serde_json::from_str(&t).expect("json");
                if v.get("error").is_some() {
                    break v;
                }
                events += 1;
            }
            other => panic!("expected the cancel error, got {other:?} after {events} events"),
        }
    };
    assert!(events < 10, "{events}");
    assert_eq!(cancel["id"], 1);
    assert_eq!(cancel["error"]["code"], -32000);
    assert_eq!(
        cancel["error"]["data"],
        "subscription was canceled (reason: client is not pulling messages fast enough)"
    );
    assert_eq!(ws.recv(WAIT).await, WsEvent::Closed);

    let mut got_error = false;
    while let Ok(Some(item)) = tokio::time::timeout(WAIT, sub.next()).await {
        if let Err(e) = item {
            let text = format!("{:?}", e.detail());
            assert!(text.contains("not pulling messages fast enough"), "{text}");
            got_error = true;
            break;
        }
    }
    assert!(got_error, "the real client saw the cancellation");
}

#[tokio::test]
async fn a_subscriber_during_the_history_gets_the_live_blocks_that_follow() {
    let mut config = devnet::node::StoreConfig::new(CHAIN_ID);
    config.event_capacity = 2;
    let devnet = Devnet::start_with(config, Default::default(), true).await;
    let mut ws = RawWs::connect(devnet.addr).await;
    ws.send(&json!({"jsonrpc":"2.0","id":1,"method":"subscribe","params":{"query":"tm.event='NewBlock'"}}).to_string()).await;
    assert_eq!(ws.recv_json().await["result"], json!({}));

    // Far more history blocks than the feed holds, while a slow client is attached: stored,
    // served, not announced (a lagging subscriber would be cancelled otherwise).
    devnet.faults.set_latency(Duration::from_millis(50));
    for _ in 0..50 {
        let h = devnet.store.latest_height() + 1;
        devnet
            .store
            .push_history(block(h, Vec::new()))
            .expect("push");
    }
    let history_tip = devnet.store.latest_height();
    assert_eq!(ws.recv(Duration::from_millis(300)).await, WsEvent::Timeout);
    let h = rpc(
        devnet.addr,
        "block",
        json!({"height": history_tip.to_string()}),
    )
    .await;
    assert_eq!(
        h["result"]["block"]["header"]["height"],
        history_tip.to_string()
    );

    devnet.faults.set_latency(Duration::ZERO);
    let live = devnet.push_next(Vec::new());
    let event = ws.recv_json().await;
    assert!(event.get("error").is_none(), "{event}");
    assert_eq!(
        event["result"]["data"]["value"]["block"]["header"]["height"],
        live.to_string()
    );
}
