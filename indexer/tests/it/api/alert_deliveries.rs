//! An alert created over GraphQL is evaluated by the writer as it syncs on: one delivery per
//! transition at the height the events imply, signed with the secret shown at creation, retried
//! across a receiver outage, and listed with its attempts in `alert { deliveries { log } }`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use devnet::rpc::FaultConfig;
use indexer::alerts::deliver::{deliver_due, DeliveryConfig};
use indexer::alerts::signature;
use indexer::store::Store;
use indexer::sync::sync;
use serde_json::{json, Value};

use super::alerts::{input, new_key, Api, CREATE};
use crate::common::*;

/// A webhook receiver that answers 503 to its first request, then verifies every signature with
/// `secret` (set once the alert exists) and records (delivery id, verified).
async fn receiver(secret: Arc<Mutex<String>>) -> (String, Arc<Mutex<Vec<(String, bool)>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let failing = Arc::new(Mutex::new(1u32));
    let s = Arc::clone(&seen);
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let (s, failing, secret) = (Arc::clone(&s), Arc::clone(&failing), Arc::clone(&secret));
            async move {
                {
                    let mut f = failing.lock().unwrap();
                    if *f > 0 {
                        *f -= 1;
                        return StatusCode::SERVICE_UNAVAILABLE;
                    }
                }
                let h = |k: &str| {
                    headers
                        .get(k)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_string()
                };
                let key = secret.lock().unwrap().clone();
                let now = chrono::Utc::now().timestamp();
                let ok = signature::verify(&key, &h(signature::HEADER), &body, now, 300).is_ok();
                s.lock().unwrap().push((h(signature::DELIVERY_HEADER), ok));
                StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alert_created_over_graphql_is_evaluated_by_the_writer_and_its_deliveries_are_listed() {
    let (chain, db) = tokio::join!(Chain::start(FaultConfig::default()), Db::start());
    let rpc = vec![chain.url()];
    let half = (chain.summary.height / 2) as i64;

    // A scout finds an account open at `half` and charged after it (preferably to zero).
    let scout = db.fresh();
    sync_to_tip(&scout, rpc.clone()).await;
    let sc = client(&scout).await;
    let r = sc
        .query_one(
            "SELECT o.owner, o.dseq,
                    (SELECT min(c.block_height) FROM escrow_account_closed c
                     WHERE (c.owner, c.dseq) = (o.owner, o.dseq))
             FROM escrow_account_opened o
             WHERE o.block_height < $1
               AND NOT EXISTS (SELECT 1 FROM escrow_account_closed c
                               WHERE (c.owner, c.dseq) = (o.owner, o.dseq) AND c.block_height <= $1)
               AND EXISTS (SELECT 1 FROM escrow_settled s
                           WHERE (s.owner, s.dseq) = (o.owner, o.dseq) AND s.block_height > $1)
             ORDER BY EXISTS (SELECT 1 FROM escrow_settled s
                              WHERE (s.owner, s.dseq) = (o.owner, o.dseq) AND s.block_height > $1
                                AND s.balance = 0) DESC, o.block_height
             LIMIT 1",
            &[&half],
        )
        .await
        .expect("an account open at half the history is charged after it");
    let (owner, dseq, closed): (String, i64, Option<i64>) = (r.get(0), r.get(1), r.get(2));

    // Expected from the events alone: "balance above 0", evaluated after every block from
    // `half + 1` on (the balance the contract reported last), until the account closes.
    let reported: Vec<(i64, bool)> = sc
        .query(
            "SELECT block_height, balance > 0 FROM (
                 SELECT block_height, phase, tx_index, event_index, balance FROM escrow_deposited
                 WHERE owner = $1 AND dseq = $2
                 UNION ALL
                 SELECT block_height, phase, tx_index, event_index, balance FROM escrow_settled
                 WHERE owner = $1 AND dseq = $2) e
             ORDER BY block_height, phase, tx_index, event_index",
            &[&owner, &dseq],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let holds_at = |h: i64| {
        reported
            .iter()
            .rev()
            .find(|(rh, _)| *rh <= h)
            .is_some_and(|(_, b)| *b)
    };
    let mut expected: Vec<(i64, String)> = Vec::new();
    let mut state = false;
    let mut heights: Vec<i64> = vec![half + 1];
    heights.extend(reported.iter().map(|(h, _)| *h).filter(|h| *h > half + 1));
    heights.dedup();
    for h in heights {
        if closed.is_some_and(|c| h >= c) {
            break;
        }
        if holds_at(h) != state {
            state = !state;
            expected.push((h, if state { "TRIGGERED" } else { "OK" }.to_string()));
        }
    }
    assert!(!expected.is_empty(), "the alert changes state");

    // The subject: sync to `half`, create the alert over GraphQL, sync to the tip.
    let url = db.fresh();
    let store = Store::connect(&url, 2).unwrap();
    let mut cfg = config(rpc.clone());
    cfg.until = Some(half as u64);
    sync(&store, &cfg).await.unwrap();
    let (_, key) = new_key(&url, &["--owner", &owner]);
    let api = Api::start(&url, true).await;
    let secret = Arc::new(Mutex::new(String::new()));
    let (hook, seen) = receiver(Arc::clone(&secret)).await;
    let mut i = input(&owner, dseq, "BALANCE", "0", &hook);
    i["input"]["comparator"] = json!("ABOVE");
    let created = api.ok(&key, CREATE, i).await["createAlert"].clone();
    *secret.lock().unwrap() = created["secret"].as_str().unwrap().to_string();
    let id = created["alert"]["id"].as_i64().unwrap();
    sync(&store, &config(rpc)).await.unwrap();

    let dcfg = DeliveryConfig {
        allow_private: true,
        backoff_base: Duration::from_millis(10),
        lease: Duration::ZERO,
        ..DeliveryConfig::default()
    };
    let http = reqwest::Client::new();
    for _ in 0..200 {
        deliver_due(store.pool(), &http, &dcfg).await.unwrap();
        if seen.lock().unwrap().len() == expected.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let q = "query($id: Int!) { alert(id: $id) { state lastHeight enabled disabledReason
        deliveries(first: 1000) { totalCount edges { node {
            deliveryId blockHeight state attempts deliveredAt gaveUpAt body log { attempt status error } } } } } }";
    let alert = api.ok(&key, q, json!({ "id": id })).await["alert"].clone();
    let nodes: Vec<Value> = alert["deliveries"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    let got: Vec<(i64, String)> = nodes
        .iter()
        .map(|n| {
            (
                n["blockHeight"].as_i64().unwrap(),
                n["state"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(got, expected, "one delivery per transition, at its height");
    let mut retried = 0;
    for n in &nodes {
        assert!(n["deliveredAt"].is_string(), "{n}");
        let statuses: Vec<i64> = n["log"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["status"].as_i64().unwrap())
            .collect();
        // The receiver's one outage hit one delivery, retried; the others went through at once.
        let want = if statuses.len() == 2 {
            vec![503, 204]
        } else {
            vec![204]
        };
        retried += statuses.len() - 1;
        assert_eq!(statuses, want, "the delivery log of {n}");
        assert_eq!(n["attempts"].as_i64().unwrap() as usize, want.len());
        let body: Value = serde_json::from_str(n["body"].as_str().unwrap()).unwrap();
        assert_eq!(body["deliveryId"], n["deliveryId"]);
        assert_eq!(body["alertId"], id);
    }
    let received = seen.lock().unwrap().clone();
    assert!(
        received.iter().all(|(_, ok)| *ok),
        "every signature verifies with the secret shown once"
    );
    assert_eq!(retried, 1, "one delivery met the outage");
    let mut ids: Vec<&str> = nodes
        .iter()
        .map(|n| n["deliveryId"].as_str().unwrap())
        .collect();
    let mut got_ids: Vec<&str> = received.iter().map(|(i, _)| i.as_str()).collect();
    ids.sort_unstable();
    got_ids.sort_unstable();
    assert_eq!(got_ids, ids, "each delivery arrived once");
    let (last_h, last_state) = expected.last().unwrap();
    assert_eq!(&alert["state"], last_state);
    match closed {
        Some(c) => {
            assert_eq!(alert["enabled"], false);
            assert_eq!(alert["disabledReason"], "the account closed");
            assert_eq!(alert["lastHeight"], c);
        }
        None => assert_eq!(&alert["lastHeight"], last_h),
    }
}
