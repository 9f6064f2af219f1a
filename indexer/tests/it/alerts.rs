//! Alerts: transitions at the heights the contract's events imply, queued once per transition
//! with the batch, delivered signed to a local receiver across an outage and a crash between
//! sending and recording.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use devnet::rpc::FaultConfig;
use indexer::alerts::deliver::{deliver_due, DeliveryConfig};
use indexer::alerts::{keys, signature};
use indexer::store::Store;
use indexer::sync::sync;

use crate::common::{client, config, Chain, Db, MONTH};

/// What the receiver saw: (delivery id, signature verified).
#[derive(Default)]
struct Received {
    seen: Mutex<Vec<(String, bool)>>,
    /// Requests still to answer 503 (an outage).
    failing: Mutex<u32>,
}

async fn receiver(secret: &'static str) -> (String, Arc<Received>) {
    let state = Arc::new(Received::default());
    *state.failing.lock().unwrap() = 2;
    let s = Arc::clone(&state);
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let s = Arc::clone(&s);
            async move {
                let mut failing = s.failing.lock().unwrap();
                if *failing > 0 {
                    *failing -= 1;
                    return StatusCode::SERVICE_UNAVAILABLE;
                }
                let header = |k: &str| {
                    headers
                        .get(k)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_string()
                };
                let now = chrono::Utc::now().timestamp();
                let ok =
                    signature::verify(secret, &header(signature::HEADER), &body, now, 300).is_ok();
                let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
                let id = header(signature::DELIVERY_HEADER);
                assert_eq!(body["deliveryId"], id.as_str());
                s.seen.lock().unwrap().push((id, ok));
                StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, state)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alerts_fire_where_the_events_say_and_each_transition_is_delivered_once_signed() {
    // A month: the scenario's calendar has overdraws rescued by a top-up in it.
    let (chain, db) = tokio::join!(
        Chain::start_days(MONTH, FaultConfig::default()),
        Db::start()
    );
    let rpc = vec![chain.url()];

    // A scout sync finds an account that ran out of funds and was topped up again.
    let scout = db.fresh();
    crate::common::sync_to_tip(&scout, rpc.clone()).await;
    let sc = client(&scout).await;
    let row = sc
        .query_one(
            "SELECT a.owner, a.dseq, a.block_height FROM escrow_account_opened a
             WHERE EXISTS (
                 SELECT 1 FROM escrow_reopened r JOIN escrow_deposited d
                   ON (d.owner, d.dseq, d.block_height) = (r.owner, r.dseq, r.block_height)
                 WHERE (r.owner, r.dseq) = (a.owner, a.dseq))
             ORDER BY a.block_height LIMIT 1",
            &[],
        )
        .await
        .expect("the history has an overdraw -> top-up -> reopen");
    let (owner, dseq, opened): (String, i64, i64) = (row.get(0), row.get(1), row.get(2));

    // Expected, from the events alone: the balance the contract reported last in each block,
    // and the heights where "balance below 1" changes (evaluated after each block).
    let balances = sc
        .query(
            "SELECT block_height, balance::text FROM (
                 SELECT block_height, phase, tx_index, event_index, balance FROM escrow_deposited
                 WHERE owner = $1 AND dseq = $2
                 UNION ALL
                 SELECT block_height, phase, tx_index, event_index, balance FROM escrow_settled
                 WHERE owner = $1 AND dseq = $2) e
             ORDER BY block_height, phase, tx_index, event_index",
            &[&owner, &dseq],
        )
        .await
        .unwrap();
    let mut expected = Vec::new();
    let mut triggered = false;
    let mut last_by_height: Vec<(i64, bool)> = Vec::new();
    for r in &balances {
        let (h, b): (i64, String) = (r.get(0), r.get(1));
        let below = b == "0";
        match last_by_height.last_mut() {
            Some((lh, lb)) if *lh == h => *lb = below,
            _ => last_by_height.push((h, below)),
        }
    }
    for (h, below) in last_by_height {
        if h <= opened {
            // The alert is created after the account's opening block.
            triggered = below;
            continue;
        }
        if below != triggered {
            expected.push((h, if below { "triggered" } else { "ok" }.to_string()));
            triggered = below;
        }
    }
    let trail: Vec<(String, i64)> = sc
        .query(
            "SELECT type, block_height FROM raw_event
             WHERE attributes @> jsonb_build_array(jsonb_build_array('owner', $1::text))
               AND attributes @> jsonb_build_array(jsonb_build_array('dseq', $2::text))
             ORDER BY block_height, phase, tx_index, event_index",
            &[&owner, &dseq.to_string()],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert!(
        expected.iter().any(|(_, s)| s == "triggered") && expected.iter().any(|(_, s)| s == "ok"),
        "the account empties and is refilled: {expected:?} (opened {opened}; events {trail:?})"
    );
    let closed: Option<i64> = sc
        .query_opt(
            "SELECT block_height FROM escrow_account_closed WHERE owner = $1 AND dseq = $2",
            &[&owner, &dseq],
        )
        .await
        .unwrap()
        .map(|r| r.get(0));

    // The subject: sync to the account's opening, create the alert, sync on.
    let url = db.fresh();
    let store = Store::connect(&url, 2).unwrap();
    let mut cfg = config(rpc.clone());
    cfg.until = Some(opened as u64);
    sync(&store, &cfg).await.unwrap();
    let c = client(&url).await;
    let (key, _) = keys::create(&c, Some(&owner), Some("test")).await.unwrap();
    const SECRET: &str = "whsec_test";
    let (hook, received) = receiver(SECRET).await;
    let alert_id: i64 = c
        .query_one(
            "INSERT INTO alert (api_key_id, owner, dseq, name, metric, comparator, threshold,
                                webhook_url, secret)
             VALUES ($1, $2, $3, 'empty', 'balance', 'below', 1, $4, $5) RETURNING id",
            &[&key.id, &owner, &dseq, &hook, &SECRET],
        )
        .await
        .unwrap()
        .get(0);
    sync(&store, &config(rpc.clone())).await.unwrap();

    let got: Vec<(i64, String)> = c
        .query(
            "SELECT block_height, state FROM alert_delivery WHERE alert_id = $1 ORDER BY block_height",
            &[&alert_id],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(
        got, expected,
        "one queued delivery per transition, at its height"
    );
    if let Some(closed) = closed {
        let r = c
            .query_one(
                "SELECT enabled, disabled_reason, last_height FROM alert WHERE id = $1",
                &[&alert_id],
            )
            .await
            .unwrap();
        assert!(!r.get::<_, bool>(0));
        assert_eq!(
            r.get::<_, Option<String>>(1).as_deref(),
            Some("the account closed")
        );
        assert_eq!(r.get::<_, Option<i64>>(2), Some(closed));
    }

    // Delivery: an outage of two requests, then success; then a crash between sending and
    // recording (the row is left undelivered as a kill -9 would leave it) resends the same id.
    let pool = store.pool().clone();
    let http = reqwest::Client::new();
    let dcfg = DeliveryConfig {
        allow_private: true,
        backoff_base: Duration::from_millis(10),
        lease: Duration::ZERO,
        ..DeliveryConfig::default()
    };
    for _ in 0..200 {
        deliver_due(&pool, &http, &dcfg).await.unwrap();
        let left: i64 = c
            .query_one(
                "SELECT count(*) FROM alert_delivery WHERE delivered_at IS NULL",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let failures: i64 = c
        .query_one(
            "SELECT count(*) FROM alert_delivery_attempt WHERE status = 503",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(failures, 2, "the outage is in the delivery log");
    let first = got
        .first()
        .map(|(h, s)| indexer::store::alerts::delivery_id(alert_id, *h as u64, s.parse().unwrap()))
        .unwrap();
    c.execute(
        "UPDATE alert_delivery SET delivered_at = NULL WHERE delivery_id = $1",
        &[&first],
    )
    .await
    .unwrap();
    deliver_due(&pool, &http, &dcfg).await.unwrap();

    let seen = received.seen.lock().unwrap().clone();
    assert!(seen.iter().all(|(_, ok)| *ok), "every signature verifies");
    let ids: BTreeSet<String> = seen.iter().map(|(id, _)| id.clone()).collect();
    let queued: BTreeSet<String> = c
        .query("SELECT delivery_id FROM alert_delivery", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        ids, queued,
        "exactly the queued deliveries arrived, deduped by id"
    );
    assert_eq!(
        seen.len(),
        queued.len() + 1,
        "the crashed one arrived twice under one id"
    );
}
