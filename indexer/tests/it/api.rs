//! The API server as clients see it over HTTP: keyset paging that returns every row once while
//! new blocks are written, totals and exact money checked against `raw_event`, typed errors for
//! every kind of bad input (never a 500), readiness, Prometheus metrics, CORS, GraphiQL,
//! compression and the query-time limit.

use std::collections::{BTreeSet, HashSet};

use devnet::rpc::FaultConfig;
use indexer::store::Store;
use indexer::sync::sync;
use serde_json::{json, Value};

use crate::common::*;

mod alert_deliveries;
mod alerts;
mod errors;
mod fixture;
mod http;
pub mod run;
mod subscriptions;
mod ws;

pub use fixture::{test_config, write_blocks, Api};

/// Every page of connection `field` (with `args`), following `endCursor` (or `startCursor`
/// backwards); calls `between` after each page. Returns each node's `key` fields joined.
async fn page_all(
    api: &Api,
    field: &str,
    args: &str,
    key: &str,
    size: u32,
    backwards: bool,
    mut between: impl AsyncFnMut(),
) -> Vec<String> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = match (&cursor, backwards) {
            (None, false) => format!("first: {size}"),
            (Some(c), false) => format!("first: {size}, after: \"{c}\""),
            (None, true) => format!("last: {size}"),
            (Some(c), true) => format!("last: {size}, before: \"{c}\""),
        };
        let sep = if args.is_empty() { "" } else { ", " };
        let q = format!(
            "{{ {field}({args}{sep}{page}) {{ edges {{ cursor node {{ {key} }} }} \
             pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} }} }}"
        );
        let data = api.data(&q).await;
        let conn = &data[field];
        let mut nodes: Vec<String> = conn["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                key.split_whitespace()
                    .map(|k| e["node"][k].to_string())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .collect();
        let info = &conn["pageInfo"];
        if backwards {
            nodes.reverse();
        }
        out.extend(nodes);
        let more = if backwards {
            info["hasPreviousPage"].as_bool().unwrap()
        } else {
            info["hasNextPage"].as_bool().unwrap()
        };
        if !more {
            return out;
        }
        let next = if backwards {
            &info["startCursor"]
        } else {
            &info["endCursor"]
        };
        cursor = Some(next.as_str().unwrap().to_string());
        between().await;
    }
}

fn no_duplicates(rows: &[String], what: &str) {
    let set: HashSet<_> = rows.iter().collect();
    assert_eq!(set.len(), rows.len(), "{what}: a row came twice");
}

async fn count(client: &tokio_postgres::Client, sql: &str) -> i64 {
    client.query_one(sql, &[]).await.unwrap().get(0)
}

async fn keys(client: &tokio_postgres::Client, sql: &str) -> BTreeSet<String> {
    client
        .query(sql, &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paging_while_blocks_arrive_returns_every_row_once_and_totals_match_raw_events() {
    let (chain, db) = tokio::join!(Chain::start(FaultConfig::default()), Db::start());
    let url = db.fresh();
    let store = Store::connect(&url, 2).unwrap();
    let tip = chain.summary.height;
    let mut cfg = config(vec![chain.url()]);
    let mut until = tip / 2;
    cfg.until = Some(until);
    sync(&store, &cfg).await.unwrap();
    let api = Api::start(&url).await;
    let sql = client(&url).await;

    // Backfilling: the writer has seen the tip, the cursor is far behind it.
    let ready = api.get("/readyz").await;
    assert_eq!(ready.status().as_u16(), 503);
    let meta = api
        .data("{ _meta { lastIndexedHeight chainHeight healthy lagSeconds } }")
        .await;
    assert_eq!(meta["_meta"]["healthy"], json!(false));
    assert_eq!(meta["_meta"]["lastIndexedHeight"], json!(until));

    // Rows present before paging starts must each come back exactly once, whatever is written
    // between pages.
    let raw_before = keys(
        &sql,
        "SELECT concat_ws('/', block_height, phase, tx_index, event_index) FROM raw_event",
    )
    .await;
    let blocks_before = keys(&sql, "SELECT block_height::text FROM block").await;
    let accounts_before = keys(
        &sql,
        "SELECT concat_ws('/', to_json(owner)::text, dseq) FROM escrow_account",
    )
    .await;
    assert!(raw_before.len() > 50, "the devnet history has events");
    assert!(
        !accounts_before.is_empty(),
        "the devnet history has accounts"
    );
    let step = (tip - until) / 12 + 1;
    let grow = async || {
        if until < tip {
            until = (until + step).min(tip);
            cfg.until = Some(until);
            sync(&store, &cfg).await.unwrap();
        }
    };
    let raw = page_all(
        &api,
        "rawEvents",
        "",
        "blockHeight phase txIndex eventIndex",
        37,
        false,
        grow,
    )
    .await;
    no_duplicates(&raw, "rawEvents");
    let raw: BTreeSet<String> = raw.into_iter().collect();
    assert!(raw_before.is_subset(&raw), "rawEvents: a row was skipped");
    // Ascending by position, rows written meanwhile are appended: all of them are read.
    let raw_after = keys(
        &sql,
        "SELECT concat_ws('/', block_height, phase, tx_index, event_index) FROM raw_event",
    )
    .await;
    assert!(raw.is_subset(&raw_after));

    let mut until2 = until;
    let grow = async || {
        if until2 < tip {
            until2 = (until2 + step).min(tip);
            let mut c = config(vec![chain.url()]);
            c.until = Some(until2);
            sync(&store, &c).await.unwrap();
        }
    };
    let blocks = page_all(
        &api,
        "blocks",
        "orderBy: HEIGHT_DESC",
        "blockHeight",
        29,
        false,
        grow,
    )
    .await;
    no_duplicates(&blocks, "blocks");
    let blocks: BTreeSet<String> = blocks.into_iter().collect();
    assert!(
        blocks_before.is_subset(&blocks),
        "blocks: a row was skipped"
    );

    // Accounts are keyed by (owner, dseq): new ones land anywhere in the order.
    let accounts = page_all(
        &api,
        "escrowAccounts",
        "",
        "owner dseq",
        7,
        false,
        async || {
            let mut c = config(vec![chain.url()]);
            c.until = None;
            sync(&store, &c).await.unwrap();
        },
    )
    .await;
    no_duplicates(&accounts, "escrowAccounts");
    let accounts: BTreeSet<String> = accounts.into_iter().collect();
    assert!(
        accounts_before.is_subset(&accounts),
        "escrowAccounts: a row was skipped"
    );

    // At the tip: ready, and `_meta` is the cursor.
    sync_to_tip(&url, vec![chain.url()]).await;
    assert_eq!(api.get("/readyz").await.status().as_u16(), 200);
    let meta = api
        .data("{ _meta { lastIndexedHeight chainHeight healthy lagSeconds } }")
        .await;
    let cursor: i64 = sql
        .query_one("SELECT block_height FROM sync_cursor", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(meta["_meta"]["lastIndexedHeight"], json!(cursor));
    assert_eq!(meta["_meta"]["healthy"], json!(true));

    // The stats helper's REST routes are served under the same layers: cacheable.
    let r = api.get("/v1/dashboard-data").await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["cache-control"], "public, max-age=30");

    // On still data, paging backwards gives the same rows as forwards.
    let key = "blockHeight txIndex eventIndex";
    let fwd = page_all(&api, "deposits", "", key, 13, false, async || {}).await;
    let mut back = page_all(&api, "deposits", "", key, 13, true, async || {}).await;
    back.reverse();
    assert!(!fwd.is_empty());
    assert_eq!(fwd, back);

    // totalCount with a filter = a count over raw_event written here, not by the API.
    let owner: String = sql
        .query_one(
            "SELECT a->>1 FROM raw_event, jsonb_array_elements(attributes) a
             WHERE type LIKE '%escrow.deposited' AND a->>0 = 'owner'
             GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let expected = count(
        &sql,
        &format!(
            "SELECT count(*) FROM raw_event WHERE type LIKE '%escrow.deposited'
             AND attributes @> '[[\"owner\", {}]]'::jsonb",
            serde_json::to_string(&owner).unwrap()
        ),
    )
    .await;
    let d = api
        .data(&format!(
            "{{ deposits(owner: {}, first: 1) {{ totalCount }} }}",
            serde_json::to_string(&owner).unwrap()
        ))
        .await;
    assert!(expected > 0);
    assert_eq!(d["deposits"]["totalCount"], json!(expected));
    let (lo, hi) = (tip as i64 / 4, tip as i64 / 2);
    let d = api
        .data(&format!(
            "{{ blocks(fromHeight: {lo}, toHeight: {hi}) {{ totalCount }} }}"
        ))
        .await;
    let expected = count(
        &sql,
        &format!("SELECT count(*) FROM block WHERE block_height BETWEEN {lo} AND {hi}"),
    )
    .await;
    assert_eq!(d["blocks"]["totalCount"], json!(expected));
    let open = count(
        &sql,
        "SELECT count(*) FROM escrow_account WHERE state = 'open'",
    )
    .await;
    let d = api
        .data("{ escrowAccounts(state: OPEN, first: 0) { totalCount edges { cursor } } }")
        .await;
    assert_eq!(d["escrowAccounts"]["totalCount"], json!(open));
    assert_eq!(d["escrowAccounts"]["edges"], json!([]));

    // `nodes` and `edges { node }` read the same columns (a field asked for under `nodes`
    // only is read too), and the values are the table's.
    let expected: Vec<Value> = sql
        .query(
            "SELECT owner, dseq, denom, state FROM escrow_account ORDER BY owner, dseq LIMIT 5",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| {
            json!({"owner": r.get::<_, String>(0), "dseq": r.get::<_, i64>(1),
                   "denom": r.get::<_, String>(2), "state": r.get::<_, String>(3)})
        })
        .collect();
    assert!(expected.iter().all(|a| a["denom"] != json!("")));
    let d = api
        .data("{ escrowAccounts(first: 5) { nodes { owner dseq denom state } } }")
        .await;
    assert_eq!(d["escrowAccounts"]["nodes"], json!(expected));
    let d = api
        .data(
            "{ escrowAccounts(first: 5) { edges { node { owner dseq } } nodes { denom state } } }",
        )
        .await;
    let merged: Vec<Value> = d["escrowAccounts"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .zip(d["escrowAccounts"]["nodes"].as_array().unwrap())
        .map(|(e, n)| {
            json!({"owner": e["node"]["owner"], "dseq": e["node"]["dseq"],
                   "denom": n["denom"], "state": n["state"]})
        })
        .collect();
    assert_eq!(merged, expected);

    // Money leaves as the exact string the contract emitted.
    let d = api
        .data("{ deposits(first: 20, orderBy: HEIGHT_DESC) { edges { node { blockHeight txIndex eventIndex amount } } } }")
        .await;
    for e in d["deposits"]["edges"].as_array().unwrap() {
        let n = &e["node"];
        let emitted: String = sql
            .query_one(
                "SELECT a->>1 FROM raw_event, jsonb_array_elements(attributes) a
                 WHERE block_height = $1 AND tx_index = $2 AND event_index = $3
                   AND a->>0 = 'amount'",
                &[
                    &n["blockHeight"].as_i64().unwrap(),
                    &(n["txIndex"].as_i64().unwrap() as i32),
                    &(n["eventIndex"].as_i64().unwrap() as i32),
                ],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(n["amount"], json!(emitted));
    }
}
