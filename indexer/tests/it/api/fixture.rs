//! Fixtures of the API tests: a `serve` on an ephemeral port and synthetic blocks written
//! through the store's own write path.

use chrono::{DateTime, Utc};
use indexer::api::server::{ServeConfig, Server};
use indexer::decode::DecodedBlock;
use indexer::store::Store;
use serde_json::{json, Value};

/// A running `serve` (the function the CLI calls) on an ephemeral port.
pub struct Api {
    pub base: String,
    pub http: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Api {
    /// Serves database `url` with default limits.
    pub async fn start(url: &str) -> Api {
        Api::with(ServeConfig {
            read_database_url: url.to_string(),
            ..test_config()
        })
        .await
    }

    /// Serves with `config` (its `listen` is replaced by an ephemeral port).
    pub async fn with(config: ServeConfig) -> Api {
        let config = ServeConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            ..config
        };
        let server = Server::bind(&config).await.unwrap();
        let base = format!("http://{}", server.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(server.run(async {
            let _ = rx.await;
        }));
        Api {
            base,
            http: reqwest::Client::new(),
            stop: Some(tx),
        }
    }

    /// POSTs a GraphQL request; returns the status and the JSON body.
    pub async fn gql(&self, query: &str, variables: Value) -> (u16, Value) {
        let r = self
            .http
            .post(format!("{}/graphql", self.base))
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap())
    }

    /// `data` of a query that must succeed.
    pub async fn data(&self, query: &str) -> Value {
        let (status, body) = self.gql(query, json!({})).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.get("errors").is_none(), "{query}: {body}");
        body["data"].clone()
    }

    /// GET `path`.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }
}

impl Drop for Api {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

/// Default serve settings for tests.
pub fn test_config() -> ServeConfig {
    ServeConfig {
        pool_size: 4,
        ..ServeConfig::default()
    }
}

/// Writes `n` empty blocks after the cursor (5 minutes apart) through the store's write path.
pub async fn write_blocks(store: &Store, n: u64) {
    let cursor = store.cursor().await.unwrap();
    let start = cursor
        .time
        .unwrap_or_else(|| DateTime::<Utc>::from_timestamp(1_767_225_600, 0).unwrap());
    let blocks: Vec<DecodedBlock> = (1..=n)
        .map(|i| DecodedBlock {
            height: cursor.height + i,
            time: start + chrono::Duration::minutes(5 * i as i64),
            hash: format!("{:064X}", cursor.height + i),
            tx_count: 0,
            events: vec![],
            new_contracts: vec![],
        })
        .collect();
    store.apply(&blocks).await.unwrap();
}
