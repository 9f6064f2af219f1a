//! Every fault switch is observable by a client: 429 and 503 answers, truncated bodies that do
//! not parse, added latency, dropped websockets (after N messages and on demand) and a lagging
//! tip; rate-based faults are reproducible from the seed.

use crate::rpc_common;

use std::time::{Duration, Instant};

use devnet::node::StoreConfig;
use devnet::rpc::{FaultConfig, FaultKind};
use futures::StreamExt;
use rpc_common::*;
use serde_json::json;
use tendermint::block::Height;
use tendermint_rpc::client::CompatMode;
use tendermint_rpc::query::EventType;
use tendermint_rpc::{Client, HttpClient, SubscriptionClient, WebSocketClient};

fn http_client(devnet: &Devnet) -> HttpClient {
    HttpClient::builder(devnet.url().parse().expect("url"))
        .compat_mode(CompatMode::V0_38)
        .build()
        .expect("client")
}

#[tokio::test]
async fn rate_limits_and_server_errors() {
    let devnet = Devnet::start().await;
    let client = http_client(&devnet);

    devnet.faults.set_rate(FaultKind::TooManyRequests, 1.0);
    let r = http_get(devnet.addr, "/status").await;
    assert_eq!(r.status, 429);
    assert!(r.headers.to_ascii_lowercase().contains("retry-after: 1"));
    assert!(client.status().await.is_err());

    devnet.faults.set_rate(FaultKind::TooManyRequests, 0.0);
    devnet.faults.set_rate(FaultKind::ServerError, 1.0);
    assert_eq!(http_get(devnet.addr, "/status").await.status, 503);
    assert!(client.block(Height::from(2u32)).await.is_err());

    devnet.faults.clear();
    assert!(client.status().await.is_ok());
    let counts = devnet.faults.counts();
    assert_eq!((counts.too_many_requests, counts.server_errors), (2, 2));
}

#[tokio::test]
async fn truncated_bodies_fail_to_parse() {
    let devnet = Devnet::start().await;
    let client = http_client(&devnet);
    devnet.faults.set_rate(FaultKind::Truncate, 1.0);
    let r = http_post(
        devnet.addr,
        r#"{"jsonrpc":"2.0","id":1,"method":"block","params":{"height":"2"}}"#,
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(r
        .body
        .starts_with(r#"{"jsonrpc":"2.0","id":1,"result":{"block_id""#));
    assert!(serde_json::from_str::<serde_json::Value>(&r.body).is_err());
    assert!(client.block(Height::from(2u32)).await.is_err());
    devnet.faults.set_rate(FaultKind::Truncate, 0.0);
    assert!(client.block(Height::from(2u32)).await.is_ok());
}

async fn statuses(seed: u64) -> Vec<u16> {
    let devnet = Devnet::start_with(
        StoreConfig::new(CHAIN_ID),
        FaultConfig {
            seed,
            rate_429: 0.3,
            rate_5xx: 0.2,
            ..FaultConfig::default()
        },
        true,
    )
    .await;
    let mut out = Vec::new();
    for _ in 0..40 {
        out.push(http_get(devnet.addr, "/health").await.status);
    }
    out
}

#[tokio::test]
async fn rates_are_reproducible_from_the_seed() {
    let a = statuses(42).await;
    assert_eq!(a, statuses(42).await);
    assert_ne!(a, statuses(43).await);
    for code in [200, 429, 503] {
        assert!(a.contains(&code), "{code} in {a:?}");
    }
}

#[tokio::test]
async fn added_latency() {
    let devnet = Devnet::start().await;
    devnet.faults.set_latency(Duration::from_millis(150));
    let start = Instant::now();
    assert_eq!(http_get(devnet.addr, "/health").await.status, 200);
    assert!(start.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn lagging_tip_hides_recent_heights() {
    let devnet = Devnet::start().await;
    let client = http_client(&devnet);
    devnet.faults.set_lag_blocks(2);
    let status = client.status().await.expect("status");
    assert_eq!(status.sync_info.latest_block_height, Height::from(2u32));
    let err = client
        .block(Height::from(4u32))
        .await
        .expect_err("not yet available");
    assert!(
        format!("{:?}", err.detail())
            .contains("height 4 must be less than or equal to the current blockchain height 2"),
        "{err}"
    );
    let tx = rpc(
        devnet.addr,
        "tx",
        json!({"hash": tx_hash_hex(b"TxRaw:3-0")}),
    )
    .await;
    assert!(tx["error"]["data"]
        .as_str()
        .is_some_and(|d| d.contains("not found")));
    devnet.faults.set_lag_blocks(0);
    assert!(client.block(Height::from(4u32)).await.is_ok());
    assert!(client
        .tx(tx_hash_hex(b"TxRaw:3-0").parse().expect("hash"), false)
        .await
        .is_ok());
}

#[tokio::test]
async fn websocket_dropped_after_n_messages() {
    let devnet = Devnet::start().await;
    devnet.faults.set_ws_drop_after(2);
    let mut ws = RawWs::connect(devnet.addr).await;
    ws.send(&json!({"jsonrpc":"2.0","id":1,"method":"subscribe","params":{"query":"tm.event='NewBlock'"}}).to_string()).await;
    assert_eq!(ws.recv_json().await["result"], json!({}));
    devnet.push_next(Vec::new());
    assert_eq!(
        ws.recv_json().await["result"]["data"]["type"],
        "tendermint/event/NewBlock"
    );
    devnet.push_next(Vec::new());
    assert_eq!(ws.recv(Duration::from_secs(5)).await, WsEvent::Closed);
    assert_eq!(devnet.faults.counts().ws_dropped, 1);
}

#[tokio::test]
async fn websocket_dropped_on_demand() {
    let devnet = Devnet::start().await;
    let (client, driver) = WebSocketClient::builder(devnet.ws_url().parse().expect("url"))
        .compat_mode(CompatMode::V0_38)
        .build()
        .await
        .expect("connect");
    let driver = tokio::spawn(driver.run());
    let mut sub = client
        .subscribe(EventType::NewBlock.into())
        .await
        .expect("subscribe");
    devnet.push_next(Vec::new());
    let first = tokio::time::timeout(Duration::from_secs(5), sub.next()).await;
    assert!(matches!(first, Ok(Some(Ok(_)))));

    devnet.faults.drop_websockets();
    // The driver notices the reset and ends; the subscription stream closes.
    let ended = tokio::time::timeout(Duration::from_secs(5), driver).await;
    assert!(
        matches!(ended, Ok(Ok(Err(_)))),
        "driver ended with an error"
    );
    let next = tokio::time::timeout(Duration::from_secs(5), sub.next()).await;
    assert!(matches!(next, Ok(None)), "subscription closed");
    assert_eq!(devnet.faults.counts().ws_dropped, 1);
}
