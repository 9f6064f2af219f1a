//! Test fixtures: a throwaway Postgres cluster, a devnet behind its RPC, a sync into a fresh
//! database, and an order-independent fingerprint of every table.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::sync::Arc;

use devnet::rpc::{FaultConfig, Faults};
use devnet::runner::{DevnetConfig, Summary};
use devnet::served::Served;
use indexer::store::Store;
use indexer::sync::{sync, SyncConfig, SyncReport};
use supercloud_pgtemp::Cluster;

/// Simulated days of history most fixtures' devnets build.
pub const DAYS: u64 = 2;

/// Days of the history the full-coverage tests read: every stress path of the scenario's
/// calendar happens within them (DESIGN §6).
pub const MONTH: u64 = 30;

/// A devnet (history only, no live blocks) behind its RPC, with fault switches.
pub struct Chain {
    pub served: Served,
    pub summary: Summary,
    pub faults: Arc<Faults>,
}

impl Chain {
    /// Starts a devnet with the default seed and [`DAYS`] of history: every chain started here
    /// is the same chain.
    pub async fn start(faults: FaultConfig) -> Chain {
        Chain::start_days(DAYS, faults).await
    }

    /// Starts a devnet with the default seed and `days` of history.
    pub async fn start_days(days: u64, faults: FaultConfig) -> Chain {
        let mut config = DevnetConfig {
            history_days: days,
            live_interval: None,
            vm_cache: Some(supercloud_vm::workspace_cache_dir()),
            ..DevnetConfig::default()
        };
        // 5-minute history blocks: 288 a day, so a debug-build test syncs in seconds.
        config.scenario.history_block_time_s = Some(300);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let faults = Arc::new(Faults::new(faults));
        let served = Served::start(config, listener, Arc::clone(&faults)).unwrap();
        let summary = served
            .ready()
            .await
            .expect("devnet genesis and history (artifacts built? scripts/build-wasm.sh)");
        Chain {
            served,
            summary,
            faults,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.served.addr)
    }
}

/// A cluster with a migrated template database, and fresh databases copied from it.
pub struct Db {
    pub pg: Cluster,
    next: std::sync::atomic::AtomicU32,
}

impl Db {
    pub async fn start() -> Db {
        let pg = Cluster::start().unwrap();
        pg.create_db("template_indexer", None).unwrap();
        let store = Store::connect(&pg.url("template_indexer"), 1).unwrap();
        store.migrate(1).await.unwrap();
        drop(store);
        Db {
            pg,
            next: Default::default(),
        }
    }

    /// A new, migrated, empty database; returns its URL.
    pub fn fresh(&self) -> String {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("db{n}");
        self.pg.create_db(&name, Some("template_indexer")).unwrap();
        self.pg.url(&name)
    }
}

/// Sync settings reading `rpc` to its tip.
pub fn config(rpc: Vec<String>) -> SyncConfig {
    SyncConfig {
        rpc,
        exit_at_tip: true,
        batch_blocks: 200,
        // The fixtures' history blocks (time-to-depletion alerts).
        block_time_s: 300,
        fetch: indexer::ingest::FetchConfig {
            websocket: None,
            backoff_max: std::time::Duration::from_millis(500),
            ..Default::default()
        },
        ..SyncConfig::default()
    }
}

/// Syncs database `url` from `rpc` to the tip.
pub async fn sync_to_tip(url: &str, rpc: Vec<String>) -> SyncReport {
    let store = Store::connect(url, 2).unwrap();
    sync(&store, &config(rpc)).await.unwrap()
}

/// Per table: row count and an order-independent checksum of the rows.
pub async fn fingerprint(url: &str) -> BTreeMap<String, (i64, String)> {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let mut out = BTreeMap::new();
    for t in indexer::store::written_tables() {
        let row = client
            .query_one(
                &format!(
                    "SELECT count(*), coalesce(md5(string_agg(h, '' ORDER BY h)), '')
                     FROM (SELECT md5(t::text) AS h FROM \"{t}\" t) s"
                ),
                &[],
            )
            .await
            .unwrap();
        out.insert(t, (row.get(0), row.get(1)));
    }
    out
}

/// A connected client.
pub async fn client(url: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
}

/// The `indexer` binary running `args` against the RPC at `rpc` (no websocket hints) and the
/// database at `db`, logging warnings only, its stdout discarded.
pub fn indexer_command(args: &[&str], rpc: &str, db: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_indexer"));
    c.args(args)
        .args(["--rpc", rpc, "--websocket", "none"])
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null());
    c
}
