//! Scale-out: `sync` writes the primary, a streaming replica made with `pg_basebackup -R`
//! replays it, and two `serve` instances (one in this process, one `indexer serve` process) read
//! the replica through `--read-database-url`: both answer the same, and as the primary's tables.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use devnet::rpc::FaultConfig;
use serde_json::{json, Value};

use crate::api::run::{free_port, Child};
use crate::api::Api;
use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_a_streaming_replica_answer_alike_and_as_the_primary() {
    let (chain, db) = tokio::join!(Chain::start(FaultConfig::default()), Db::start());
    let url = db.fresh();
    let name = url.rsplit('/').next().unwrap().to_string();
    let replica = tokio::task::block_in_place(|| db.pg.replica()).unwrap();
    let replica_url = replica.url(&name);
    let report = sync_to_tip(&url, vec![chain.url()]).await;
    assert!(report.events > 0);
    tokio::task::block_in_place(|| replica.wait_replayed(&db.pg, Duration::from_secs(60))).unwrap();
    let primary = client(&url).await;
    let standby = client(&replica_url).await;
    let in_recovery: bool = standby
        .query_one("SELECT pg_is_in_recovery()", &[])
        .await
        .unwrap()
        .get(0);
    assert!(in_recovery, "the servers read a standby, not the primary");
    let cursor_sql = "SELECT block_height FROM sync_cursor";
    let cursor: i64 = primary.query_one(cursor_sql, &[]).await.unwrap().get(0);
    let replayed: i64 = standby.query_one(cursor_sql, &[]).await.unwrap().get(0);
    assert_eq!(replayed, cursor);

    // One server in this process, one `indexer serve` process, both on the replica.
    let in_process = Api::start(&replica_url).await;
    let port = free_port();
    let _process = Child(
        Command::new(env!("CARGO_BIN_EXE_indexer"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .env("READ_DATABASE_URL", &replica_url)
            .env("DATABASE_URL", "")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match http.get(format!("{base}/healthz")).send().await {
            Ok(r) if r.status().is_success() => break,
            _ if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(50)).await,
            other => panic!("indexer serve did not come up: {other:?}"),
        }
    }
    let ask = async |base: &str, query: &str| -> Value {
        let r = http
            .post(format!("{base}/graphql"))
            .json(&json!({ "query": query }))
            .send()
            .await
            .unwrap();
        let body: Value = r.json().await.unwrap();
        assert!(body.get("errors").is_none(), "{query}: {body}");
        body["data"].clone()
    };

    let queries = [
        "{ _meta { lastIndexedHeight lastIndexedTime chainHeight lagSeconds healthy } }",
        "{ escrowAccounts(first: 50) { totalCount edges { cursor node { owner dseq state balance } } } }",
        "{ blocks(first: 100, orderBy: HEIGHT_DESC) { totalCount edges { cursor node { blockHeight hash txCount } } } }",
        "{ deposits(first: 50) { totalCount edges { cursor node { blockHeight owner amount } } } }",
    ];
    let mut answers = Vec::new();
    for q in queries {
        let a = ask(&in_process.base, q).await;
        let b = ask(&base, q).await;
        assert_eq!(a, b, "the two servers differ on {q}");
        answers.push(a);
    }

    // The servers' connections are on the standby, none on the primary.
    let serving = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'indexer-serve'";
    let on_standby: i64 = standby.query_one(serving, &[]).await.unwrap().get(0);
    let on_primary: i64 = primary.query_one(serving, &[]).await.unwrap().get(0);
    assert!(
        on_standby >= 2,
        "{on_standby} serve connections on the standby"
    );
    assert_eq!(on_primary, 0);

    // And both equal the primary, counted directly.
    let count = async |sql: &str| -> i64 { primary.query_one(sql, &[]).await.unwrap().get(0) };
    assert_eq!(answers[0]["_meta"]["lastIndexedHeight"], json!(cursor));
    assert_eq!(answers[0]["_meta"]["healthy"], json!(true));
    assert_eq!(
        answers[1]["escrowAccounts"]["totalCount"],
        json!(count("SELECT count(*) FROM escrow_account").await)
    );
    assert_eq!(
        answers[2]["blocks"]["totalCount"],
        json!(count("SELECT count(*) FROM block").await)
    );
    assert_eq!(
        answers[2]["blocks"]["edges"][0]["node"]["blockHeight"],
        json!(cursor)
    );
    assert_eq!(
        answers[3]["deposits"]["totalCount"],
        json!(count("SELECT count(*) FROM raw_event WHERE type LIKE '%escrow.deposited'").await)
    );
    assert!(answers[3]["deposits"]["totalCount"].as_i64().unwrap() > 0);
}
