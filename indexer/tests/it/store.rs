//! The store on a real Postgres: exact NUMERIC round trips and quarantine of bad events.

use chrono::{TimeZone, Utc};
use cosmwasm_std::{Decimal256, Uint256};
use indexer::decode::{decode, Followed};
use indexer::ingest::{RawBlock, RawEvent, RawTx};
use indexer::store::numeric::Numeric;
use indexer::store::Store;
use supercloud_events::escrow::Reopened;
use supercloud_events::CatalogEvent;

use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn numeric_round_trips_uint256_extremes_exactly() {
    let db = Db::start().await;
    let c = client(&db.fresh()).await;
    let max = Uint256::MAX.to_string();
    assert_eq!(max.len(), 78);
    let values = [
        "0".to_string(),
        max.clone(),
        "1".repeat(78),
        Decimal256::MAX.to_string(),
        "0.000000000000000001".to_string(),
        "-12.5".to_string(),
    ];
    for v in values {
        let n = Numeric::parse(&v).unwrap();
        let row = c
            .query_one("SELECT $1::numeric, ($1::numeric)::text", &[&n])
            .await
            .unwrap();
        let back: Numeric = row.get(0);
        let text: String = row.get(1);
        assert_eq!(back.as_str(), v);
        assert_eq!(text, v, "Postgres reads the same number");
    }
    // And Postgres' own arithmetic agrees (Uint256::MAX + 0 = Uint256::MAX).
    let sum: Numeric = c
        .query_one(
            "SELECT $1::numeric(78,0) + 0",
            &[&Numeric::parse(&max).unwrap()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(sum.as_str(), max);
}

fn event(kind: &str, contract: &str, attrs: &[(&str, &str)]) -> RawEvent {
    let mut attributes = vec![("_contract_address".to_string(), contract.to_string())];
    attributes.extend(attrs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    RawEvent {
        // Set by `block`, which knows the event's place.
        index: 0,
        kind: kind.to_string(),
        attributes,
    }
}

fn block(height: u64, mut events: Vec<RawEvent>) -> RawBlock {
    for (i, e) in events.iter_mut().enumerate() {
        e.index = u32::try_from(i).unwrap();
    }
    RawBlock {
        height,
        time: Utc
            .timestamp_opt(1_767_225_600 + height as i64 * 6, 0)
            .unwrap(),
        hash: format!("{height:064X}"),
        txs: vec![RawTx {
            index: 0,
            code: 0,
            events,
        }],
        finalize_events: vec![],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_event_is_quarantined_with_its_reason_and_later_blocks_are_indexed() {
    let db = Db::start().await;
    let url = db.fresh();
    let store = Store::connect(&url, 1).unwrap();
    let mut followed = Followed::new([("escrow1".to_string(), Some("escrow".to_string()))], false);
    let good = Reopened {
        owner: cosmwasm_std::Addr::unchecked("owner"),
        dseq: 1,
        height: 2,
        account_rate: Decimal256::percent(150),
        depletes_at: Some(90),
    };
    let good_attrs: Vec<(String, String)> = good
        .attributes()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let good_refs: Vec<(&str, &str)> = good_attrs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let blocks = [
        block(
            1,
            vec![event("wasm-escrow.reopened", "escrow1", &good_refs)],
        ),
        block(
            2,
            vec![
                // Not a number where the catalogue says u64.
                event(
                    "wasm-escrow.reopened",
                    "escrow1",
                    &[
                        ("owner", "o"),
                        ("dseq", "x"),
                        ("height", "2"),
                        ("account_rate", "1"),
                    ],
                ),
                // An action this catalogue does not know.
                event("wasm-escrow.teleported", "escrow1", &[("owner", "o")]),
                // Not a followed contract: ignored, not quarantined.
                event("wasm-escrow.reopened", "stranger", &[("owner", "o")]),
                // Fits the catalogue (u64) but not the column (BIGINT).
                event(
                    "wasm-escrow.reopened",
                    "escrow1",
                    &[
                        ("owner", "o"),
                        ("dseq", &u64::MAX.to_string()),
                        ("height", "2"),
                        ("account_rate", "1"),
                    ],
                ),
            ],
        ),
        block(
            3,
            vec![event("wasm-escrow.reopened", "escrow1", &good_refs)],
        ),
    ];
    let decoded: Vec<_> = blocks.iter().map(|b| decode(b, &mut followed)).collect();
    let written = store.apply(&decoded).await.unwrap();
    assert_eq!(
        (written.blocks, written.events, written.quarantined),
        (3, 5, 3)
    );
    let c = client(&url).await;
    let reasons: Vec<(i64, i32, String)> = c
        .query(
            "SELECT block_height, event_index, reason FROM quarantine ORDER BY 1, 2",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(reasons.len(), 3);
    assert!(reasons[0].2.contains("dseq"), "{reasons:?}");
    assert!(reasons[1].2.contains("unknown action"), "{reasons:?}");
    assert!(
        reasons[2].2.contains("dseq") && reasons[2].2.contains("fit"),
        "{reasons:?}"
    );
    let indexed: Vec<i64> = c
        .query("SELECT block_height FROM escrow_reopened ORDER BY 1", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        indexed,
        vec![1, 3],
        "the blocks after the bad one are indexed"
    );
    assert_eq!(store.cursor().await.unwrap().height, 3);
    let raw: i64 = c
        .query_one("SELECT count(*) FROM raw_event", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(raw, 5, "quarantined events stay in raw_event for reindex");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn analyze_skips_raw_attributes_in_every_partition() {
    let db = Db::start().await;
    let url = db.fresh();
    let store = Store::connect(&url, 1).unwrap();
    let mut followed = Followed::new([("escrow1".to_string(), Some("escrow".to_string()))], false);
    let part = indexer::store::PARTITION_BLOCKS;
    // The second block lands in a partition created by the sync, not by `migrate`.
    let blocks = [
        block(
            1,
            vec![event("wasm-escrow.teleported", "escrow1", &[("a", "1")])],
        ),
        block(
            part + 1,
            vec![event("wasm-escrow.teleported", "escrow1", &[("a", "2")])],
        ),
    ];
    let decoded: Vec<_> = blocks.iter().map(|b| decode(b, &mut followed)).collect();
    store.apply(&decoded).await.unwrap();
    let c = client(&url).await;
    c.batch_execute("ANALYZE raw_event_p0, raw_event_p1, quarantine")
        .await
        .unwrap();
    let stats: Vec<(String, String)> = c
        .query(
            "SELECT tablename::text, attname::text FROM pg_stats
             WHERE tablename IN ('raw_event_p0', 'raw_event_p1', 'quarantine')
               AND attname IN ('block_height', 'attributes', 'raw')
             ORDER BY 1, 2",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let expected: Vec<(String, String)> = ["quarantine", "raw_event_p0", "raw_event_p1"]
        .iter()
        .map(|t| (t.to_string(), "block_height".to_string()))
        .collect();
    assert_eq!(stats, expected, "heights are analyzed, raw JSON is not");
}
