//! `serve` flags (shared by `indexer serve` and `indexer run`), with environment fallbacks.

use std::net::SocketAddr;
use std::time::Duration;

use clap::Args;

use super::server::ServeConfig;

/// `serve` flags.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "INDEXER_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Database to read from, e.g. a streaming replica (default: --database-url).
    #[arg(long, env = "READ_DATABASE_URL")]
    pub read_database_url: Option<String>,
    /// Read connections.
    #[arg(long, env = "INDEXER_READ_POOL", default_value_t = 16)]
    pub read_pool_size: usize,
    /// Blocks behind the chain tip that still count as caught up (`/readyz`, `_meta.healthy`).
    #[arg(long, env = "INDEXER_READY_LAG", default_value_t = 10)]
    pub ready_lag_blocks: u64,
    /// Postgres `statement_timeout` of every read, in milliseconds.
    #[arg(long, default_value_t = 10_000)]
    pub statement_timeout_ms: u64,
    /// Time limit of one GraphQL query, in milliseconds.
    #[arg(long, default_value_t = 15_000)]
    pub query_timeout_ms: u64,
    /// Time limit of any request, in seconds.
    #[arg(long, default_value_t = 30)]
    pub request_timeout_s: u64,
    /// `Cache-Control: max-age` of REST and CSV responses, in seconds.
    #[arg(long, default_value_t = 30)]
    pub cache_max_age: u32,
    /// Directory of the dashboard page (its files and the `npm ci`-installed chart library).
    #[arg(long, env = "INDEXER_DASHBOARD_DIR", default_value = crate::api::dashboard::DEFAULT_DIR)]
    pub dashboard_dir: std::path::PathBuf,
}

impl ServeArgs {
    /// The server's settings; reads go to `database_url` unless `--read-database-url` is set.
    pub fn config(&self, database_url: &str) -> ServeConfig {
        ServeConfig {
            listen: self.listen,
            read_database_url: self
                .read_database_url
                .clone()
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| database_url.to_string()),
            database_url: database_url.to_string(),
            // Set from the global flag by the CLI.
            allow_private_webhooks: false,
            pool_size: self.read_pool_size.max(1),
            ready_lag_blocks: self.ready_lag_blocks,
            statement_timeout: Duration::from_millis(self.statement_timeout_ms.max(1)),
            query_timeout: Duration::from_millis(self.query_timeout_ms.max(1)),
            request_timeout: Duration::from_secs(self.request_timeout_s.max(1)),
            cache_max_age: self.cache_max_age,
            dashboard_dir: self.dashboard_dir.clone(),
        }
    }
}
