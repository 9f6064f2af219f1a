//! Subscriptions across processes: one writer and two `serve` instances (each with its own
//! `LISTEN` session); a graphql-transport-ws client on each receives every new block, every
//! matching event and the account's changes, in order, while the writer syncs further heights.

use std::time::Duration;

use devnet::rpc::FaultConfig;
use indexer::api::server::{ServeConfig, Server};
use indexer::store::Store;
use indexer::sync::sync;
use serde_json::Value;

use super::ws::Ws;
use crate::common::*;

/// A `serve` (as the CLI binds it) on an ephemeral port over `url`; stops when dropped.
async fn serve(url: &str) -> (String, tokio::sync::oneshot::Sender<()>) {
    let config = ServeConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        read_database_url: url.to_string(),
        database_url: url.to_string(),
        pool_size: 4,
        ..ServeConfig::default()
    };
    let server = Server::bind(&config).await.unwrap();
    let base = format!("http://{}", server.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.run(async {
        let _ = rx.await;
    }));
    (base, tx)
}

/// What one client received, per subscription id, in arrival order.
#[derive(Debug, Default)]
struct Got {
    blocks: Vec<i64>,
    events: Vec<String>,
    settled: Vec<String>,
    accounts: Vec<(String, String, Option<i64>)>,
}

impl Got {
    fn take(&mut self, m: &Value) {
        assert_eq!(m["type"], "next", "{m}");
        assert!(m["payload"].get("errors").is_none(), "{m}");
        let d = &m["payload"]["data"];
        match m["id"].as_str().unwrap() {
            "b" => self
                .blocks
                .push(d["blocks"]["blockHeight"].as_i64().unwrap()),
            id @ ("e" | "s") => {
                let e = &d["events"];
                let key = format!(
                    "{}/{}/{}/{}/{}",
                    e["blockHeight"], e["phase"], e["txIndex"], e["eventIndex"], e["type"]
                );
                if id == "e" {
                    &mut self.events
                } else {
                    &mut self.settled
                }
                .push(key);
            }
            "a" => {
                let a = &d["account"];
                self.accounts.push((
                    a["balance"].as_str().unwrap().to_string(),
                    a["state"].as_str().unwrap().to_string(),
                    a["depletesAt"].as_i64(),
                ));
            }
            other => panic!("unknown subscription {other}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_stream_every_new_block_and_matching_event_in_order_while_the_writer_syncs() {
    let (chain, db) = tokio::join!(Chain::start(FaultConfig::default()), Db::start());
    let url = db.fresh();
    let tip = chain.summary.height;
    let half = (tip / 2) as i64;
    let store = Store::connect(&url, 2).unwrap();
    let mut cfg = config(vec![chain.url()]);
    cfg.until = Some(half as u64);
    sync(&store, &cfg).await.unwrap();
    let sql = client(&url).await;

    // An account open at `half` that the chain charges later, found by a scout sync.
    let scout = db.fresh();
    sync_to_tip(&scout, vec![chain.url()]).await;
    let sc = client(&scout).await;
    let subject = sc
        .query_one(
            "SELECT o.owner, o.dseq FROM escrow_account_opened o
             WHERE o.block_height <= $1
               AND NOT EXISTS (SELECT 1 FROM escrow_account_closed c
                               WHERE (c.owner, c.dseq) = (o.owner, o.dseq) AND c.block_height <= $1)
               AND EXISTS (SELECT 1 FROM escrow_settled s
                           WHERE (s.owner, s.dseq) = (o.owner, o.dseq) AND s.block_height > $1)
             ORDER BY o.block_height LIMIT 1",
            &[&half],
        )
        .await
        .expect("an account open at half the history is charged after it");
    let (owner, dseq): (String, i64) = (subject.get(0), subject.get(1));

    let (a, _stop_a) = serve(&url).await;
    let (b, _stop_b) = serve(&url).await;
    // A subscription the catalogue cannot serve is refused with a code.
    let mut bad = Ws::connect(&a).await;
    bad.subscribe("x", "subscription { events(contract: \"nope\") { type } }")
        .await;
    let m = bad.next().await;
    // A resolver's refusal is a `next` carrying the error, then `complete`.
    assert_eq!(m["type"], "next", "{m}");
    assert_eq!(
        m["payload"]["errors"][0]["extensions"]["code"], "UNKNOWN_EVENT",
        "{m}"
    );
    assert_eq!(bad.next().await["type"], "complete");
    let mut clients = Vec::new();
    for base in [&a, &b] {
        let mut ws = Ws::connect(base).await;
        ws.subscribe(
            "b",
            &format!("subscription {{ blocks(afterHeight: {half}) {{ blockHeight }} }}"),
        )
        .await;
        ws.subscribe(
            "e",
            &format!(
                "subscription {{ events(contract: \"escrow\", afterHeight: {half}) \
                 {{ blockHeight phase txIndex eventIndex type }} }}"
            ),
        )
        .await;
        ws.subscribe(
            "s",
            &format!(
                "subscription {{ events(contract: \"escrow\", action: \"settled\", \
                 afterHeight: {half}) {{ blockHeight phase txIndex eventIndex type }} }}"
            ),
        )
        .await;
        ws.subscribe(
            "a",
            &format!(
                "subscription {{ account(owner: \"{owner}\", dseq: {dseq}) \
                 {{ balance state depletesAt }} }}"
            ),
        )
        .await;
        clients.push(ws);
    }
    // The account subscription answers with the state at `half` first (so it is live).
    let mut got: Vec<Got> = Vec::new();
    for ws in &mut clients {
        let mut g = Got::default();
        while g.accounts.is_empty() {
            g.take(&ws.next().await);
        }
        got.push(g);
    }

    // The writer syncs the rest in small batches (many NOTIFYs, some coalesced).
    cfg.until = None;
    cfg.batch_blocks = 25;
    sync(&store, &cfg).await.unwrap();

    let expected_blocks: Vec<i64> = (half + 1..=tip as i64).collect();
    let expected_events: Vec<String> = sc
        .query(
            "SELECT block_height, phase, tx_index, event_index, type FROM raw_event
             WHERE block_height > $1 AND type LIKE 'wasm-escrow.%'
             ORDER BY block_height, phase, tx_index, event_index",
            &[&half],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{}/{}/{}/{}/\"{}\"",
                r.get::<_, i64>(0),
                r.get::<_, i16>(1),
                r.get::<_, i32>(2),
                r.get::<_, i32>(3),
                r.get::<_, String>(4)
            )
        })
        .collect();
    let expected_settled: Vec<String> = expected_events
        .iter()
        .filter(|e| e.ends_with("\"wasm-escrow.settled\""))
        .cloned()
        .collect();
    assert!(!expected_settled.is_empty() && expected_settled.len() < expected_events.len());
    let last = sql
        .query_one(
            "SELECT balance::text, state, depletes_at FROM escrow_account WHERE owner = $1 AND dseq = $2",
            &[&owner, &dseq],
        )
        .await
        .unwrap();
    let final_account: (String, String, Option<i64>) = (last.get(0), last.get(1), last.get(2));

    for (i, (ws, g)) in clients.iter_mut().zip(got.iter_mut()).enumerate() {
        let done = |g: &Got| {
            g.blocks.len() >= expected_blocks.len()
                && g.events.len() >= expected_events.len()
                && g.settled.len() >= expected_settled.len()
                && g.accounts.last() == Some(&final_account)
        };
        tokio::time::timeout(Duration::from_secs(120), async {
            while !done(g) {
                let m = ws.next().await;
                g.take(&m);
            }
        })
        .await
        .unwrap_or_else(|_| panic!("server {i}: timed out with {g:?}"));
        assert_eq!(
            g.blocks, expected_blocks,
            "server {i}: every block once, in order"
        );
        assert_eq!(
            g.events, expected_events,
            "server {i}: every escrow event once, in order"
        );
        assert_eq!(
            g.settled, expected_settled,
            "server {i}: only the action asked for"
        );
        assert!(
            g.accounts.len() >= 2,
            "server {i}: the account changed: {:?}",
            g.accounts
        );
        assert!(
            g.accounts.windows(2).all(|w| w[0] != w[1]),
            "server {i}: only changes are sent: {:?}",
            g.accounts
        );
    }
}
