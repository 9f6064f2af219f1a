//! `indexer run`: one process migrates an empty database, syncs the chain and serves it; it
//! reports ready once caught up and answers from what it wrote.

use std::time::{Duration, Instant};

use devnet::rpc::FaultConfig;
use serde_json::{json, Value};

use crate::common::*;

/// Kills the child process when the test ends, however it ends.
pub struct Child(pub std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A free loopback port (released again for the child to bind).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn indexer_run_migrates_syncs_and_serves_in_one_process() {
    let (chain, db) = tokio::join!(Chain::start(FaultConfig::default()), Db::start());
    db.pg.create_db("run", None).unwrap();
    let url = db.pg.url("run");
    let port = free_port();
    let _run = Child(
        indexer_command(
            &["run", "--listen", &format!("127.0.0.1:{port}")],
            &chain.url(),
            &url,
        )
        .spawn()
        .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        match http.get(format!("{base}/readyz")).send().await {
            Ok(r) if r.status().as_u16() == 200 => break,
            Ok(r) => assert_eq!(r.status().as_u16(), 503, "backfilling is 503"),
            Err(_) => {}
        }
        assert!(Instant::now() < deadline, "indexer run never became ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let sql = client(&url).await;
    let cursor: i64 = sql
        .query_one("SELECT block_height FROM sync_cursor", &[])
        .await
        .unwrap()
        .get(0);
    let blocks: i64 = sql
        .query_one("SELECT count(*) FROM block", &[])
        .await
        .unwrap()
        .get(0);
    let r = http
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": "{ _meta { lastIndexedHeight healthy } blocks { totalCount } }" }))
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["_meta"]["healthy"], json!(true), "{body}");
    assert!(cursor > 0);
    // Following the head: the cursor may only have moved on since.
    assert!(body["data"]["_meta"]["lastIndexedHeight"].as_i64().unwrap() >= cursor);
    assert!(body["data"]["blocks"]["totalCount"].as_i64().unwrap() >= blocks);
}
