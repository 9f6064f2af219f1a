//! The command line: flags with environment fallbacks, one subcommand per job.

use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

mod alerts;

use alerts::deliver;
pub use alerts::ApiKeyCmd;

pub use crate::api::args::ServeArgs;
use crate::api::server::Server;
use crate::ingest::FetchConfig;
use crate::stop::Stop;
use crate::store::Store;
use crate::sync::{sync, sync_until, SyncConfig};

/// Indexes the Supercloud contracts' events from a CometBFT chain into Postgres.
#[derive(Parser, Debug)]
#[command(name = "indexer", version, about)]
pub struct Cli {
    /// Postgres URL, e.g. postgres://user@127.0.0.1:5432/indexer
    #[arg(long, env = "DATABASE_URL", global = true, default_value = "")]
    pub database_url: String,
    /// Let alerts call webhooks on private and local networks (`serve` accepts them, the
    /// delivery worker of `sync`/`run` calls them); for tests and local receivers.
    #[arg(long, env = "INDEXER_ALLOW_PRIVATE_WEBHOOKS", global = true)]
    pub allow_private_webhooks: bool,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Creates or upgrades the schema (embedded migrations and the catalogue's event tables).
    Migrate(MigrateArgs),
    /// Reads blocks from the RPC nodes into the database, from the cursor on.
    Sync(SyncArgs),
    /// Migrate, then sync and serve in one process.
    Run(RunArgs),
    /// Serves GraphQL, REST, health and metrics, reading only Postgres (stateless: run many).
    Serve(ServeArgs),
    /// Prints the GraphQL schema (SDL), as committed in `schema/indexer.graphql`.
    Schema,
    /// Writes daily spend as CSV (the same bytes as `GET /v1/export/spend.csv`), or with
    /// `--period-summary` the "by the numbers" table as CSV or Markdown.
    Export(ExportCmd),
    /// Heights, lag, rows per table, quarantined events.
    Status(StatusArgs),
    /// Rebuilds every event table from `raw_event`, without the RPC.
    Reindex,
    /// API keys for alert mutations: create (printed once), list, revoke.
    #[command(subcommand)]
    ApiKey(ApiKeyCmd),
}

/// `migrate` flags.
#[derive(Args, Debug)]
pub struct MigrateArgs {
    /// First height to sync on an empty database.
    #[arg(long, env = "INDEXER_START_HEIGHT", default_value_t = 1)]
    pub start_height: u64,
}

/// `sync` / `run` flags.
#[derive(Args, Debug)]
pub struct SyncArgs {
    /// CometBFT RPC URL; repeat to use several nodes together.
    #[arg(
        long = "rpc",
        env = "INDEXER_RPC",
        value_delimiter = ',',
        required = true
    )]
    pub rpc: Vec<String>,
    /// A contract to follow, as ADDRESS or ADDRESS=NAME (catalogue name); repeatable.
    #[arg(long = "contract", env = "INDEXER_CONTRACTS", value_delimiter = ',')]
    pub contracts: Vec<String>,
    /// Do not follow contracts discovered from governance instantiations.
    #[arg(long)]
    pub no_discover: bool,
    /// First height to sync on an empty database.
    #[arg(long, env = "INDEXER_START_HEIGHT", default_value_t = 1)]
    pub start_height: u64,
    /// Stop after this height.
    #[arg(long)]
    pub until: Option<u64>,
    /// Stop once caught up with the tip seen at start (instead of following the head).
    #[arg(long)]
    pub exit_at_tip: bool,
    /// Most blocks per database transaction.
    #[arg(long, default_value_t = 5_000)]
    pub batch_blocks: usize,
    /// Behind the tip, the least milliseconds between two commits (a batch that is not full
    /// waits for more blocks); at the tip each block is written at once.
    #[arg(long, default_value_t = 250)]
    pub min_commit_interval_ms: u64,
    /// Most RPC requests in flight (the window adapts below it).
    #[arg(long, default_value_t = 256)]
    pub max_in_flight: usize,
    /// Per-request RPC timeout in seconds.
    #[arg(long, default_value_t = 20)]
    pub timeout_s: u64,
    /// Websocket URL for NewBlock hints (default: ws://<first rpc host>/websocket; "none" to
    /// disable).
    #[arg(long)]
    pub websocket: Option<String>,
    /// Seconds per block assumed for time-to-depletion alerts.
    #[arg(long, env = "INDEXER_BLOCK_TIME_S", default_value_t = crate::alerts::DEFAULT_SECS_PER_BLOCK)]
    pub block_time_s: u64,
    /// Do not deliver alert webhooks from this process (another writer process delivers).
    #[arg(long)]
    pub no_deliver: bool,
}

/// `export` flags.
#[derive(Args, Debug)]
pub struct ExportCmd {
    /// What to export.
    #[command(flatten)]
    pub args: crate::stats::export::ExportArgs,
    /// Database to read from, e.g. a streaming replica (default: --database-url).
    #[arg(long, env = "READ_DATABASE_URL")]
    pub read_database_url: Option<String>,
}

/// `run` flags: those of `sync` and of `serve`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// How to sync.
    #[command(flatten)]
    pub sync: SyncArgs,
    /// How to serve.
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// `status` flags.
#[derive(Args, Debug)]
pub struct StatusArgs {
    /// An RPC URL, to report the chain's tip and the lag.
    #[arg(long = "rpc", env = "INDEXER_RPC", value_delimiter = ',')]
    pub rpc: Vec<String>,
}

impl SyncArgs {
    fn config(&self) -> SyncConfig {
        let contracts = self
            .contracts
            .iter()
            .filter(|c| !c.is_empty())
            .map(|c| match c.split_once('=') {
                Some((a, n)) => (a.to_string(), Some(n.to_string())),
                None => (c.clone(), None),
            })
            .collect();
        let websocket = match self.websocket.as_deref() {
            Some("none") => None,
            Some(url) => Some(url.to_string()),
            None => self.rpc.first().map(|u| websocket_of(u)),
        };
        SyncConfig {
            rpc: self.rpc.clone(),
            contracts,
            discover: !self.no_discover,
            start_height: self.start_height,
            until: self.until,
            exit_at_tip: self.exit_at_tip,
            batch_blocks: self.batch_blocks.max(1),
            min_commit_interval: Duration::from_millis(self.min_commit_interval_ms),
            timeout: Duration::from_secs(self.timeout_s.max(1)),
            block_time_s: self.block_time_s.max(1),
            fetch: FetchConfig {
                window_max: self.max_in_flight.max(1),
                window_start: 16.min(self.max_in_flight.max(1)),
                websocket,
                ..FetchConfig::default()
            },
            ..SyncConfig::default()
        }
    }
}

/// `http://host:port/path` → `ws://host:port/websocket`.
fn websocket_of(rpc: &str) -> String {
    let (scheme, rest) = match rpc.split_once("://") {
        Some(("https", rest)) => ("wss", rest),
        Some((_, rest)) => ("ws", rest),
        None => ("ws", rpc),
    };
    let host = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{host}/websocket")
}

/// Runs the command; logs go to stderr (`RUST_LOG` filters, default `info`).
pub fn main(cli: Cli) -> ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("indexer: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("indexer: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Schema = cli.command {
        use std::io::Write as _;
        let _ = std::io::stdout().write_all(crate::api::graphql::sdl().as_bytes());
        return Ok(());
    }
    if let Command::Export(e) = &cli.command {
        return export(e, &cli.database_url).await;
    }
    if let Command::Serve(a) = &cli.command {
        // Stateless: no store, no migrations; the read pool (and the primary for alerts).
        let mut config = a.config(&cli.database_url);
        config.allow_private_webhooks = cli.allow_private_webhooks;
        let stop = Stop::on_signal();
        return Server::bind(&config)
            .await?
            .run(async move { stop.requested().await })
            .await;
    }
    if cli.database_url.is_empty() {
        anyhow::bail!("--database-url (or DATABASE_URL) is required");
    }
    let store = Store::connect(&cli.database_url, 4)?;
    match &cli.command {
        Command::Migrate(a) => {
            store.migrate(a.start_height).await?;
            println!("migrated");
        }
        Command::Sync(a) => {
            let _delivering = deliver(&store, a, &cli);
            let report = sync(&store, &a.config()).await?;
            println!(
                "synced to height {}: {} blocks, {} events, {} quarantined",
                report.height, report.blocks, report.events, report.quarantined
            );
        }
        Command::Run(a) => run_all(&store, a, &cli).await?,
        Command::ApiKey(cmd) => {
            let out = alerts::api_key(store.pool(), cmd).await?;
            use std::io::Write as _;
            let _ = std::io::stdout().write_all(out.as_bytes());
        }
        Command::Serve(_) | Command::Schema | Command::Export(_) => {}
        Command::Status(a) => {
            use std::fmt::Write as _;
            let s = store.status().await?;
            // Built first and written once: `indexer status | head` must not panic on a closed
            // pipe.
            let mut out = String::new();
            let _ = writeln!(out, "height      {}", s.height);
            if let Some(t) = s.time {
                let _ = writeln!(out, "block time  {}", t.to_rfc3339());
            }
            if !a.rpc.is_empty() {
                let (pool, _) =
                    crate::ingest::NodePool::connect(&a.rpc, Duration::from_secs(10)).await?;
                let (tip, _) = pool.tip().await?;
                let _ = writeln!(out, "chain tip   {tip}");
                let _ = writeln!(out, "lag         {} blocks", tip.saturating_sub(s.height));
            }
            let _ = writeln!(out, "quarantined {}", s.quarantined);
            for (address, name) in &s.followed {
                let _ = writeln!(
                    out,
                    "following   {address} {}",
                    name.as_deref().unwrap_or("?")
                );
            }
            for (table, n) in &s.rows {
                let _ = writeln!(out, "{n:>10}  {table}");
            }
            use std::io::Write as _;
            let _ = std::io::stdout().write_all(out.as_bytes());
        }
        Command::Reindex => {
            let followed = store.followed(&[], false).await?;
            let n = store.reindex(&followed).await?;
            println!("reindexed {n} events from raw_event");
        }
    }
    Ok(())
}

/// `export`: the spend CSV to `--out` or stdout, read like `serve` reads (no migrations).
async fn export(e: &ExportCmd, database_url: &str) -> anyhow::Result<()> {
    let url = e
        .read_database_url
        .clone()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| database_url.to_string());
    if url.is_empty() {
        anyhow::bail!("--database-url (or DATABASE_URL, or --read-database-url) is required");
    }
    let pool = crate::api::sql::read_pool(&url, 2, Duration::from_secs(300))?;
    if e.args.period_summary {
        return export_period_summary(&pool, &e.args).await;
    }
    let n = match &e.args.out {
        Some(path) => {
            let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
            let n = crate::stats::export::export(&pool, &e.args, &mut file).await?;
            std::io::Write::flush(&mut file)?;
            n
        }
        None => {
            let mut out = std::io::stdout();
            crate::stats::export::export(&pool, &e.args, &mut out).await?
        }
    };
    eprintln!("exported {n} rows");
    Ok(())
}

/// `export --period-summary`: the table as CSV or Markdown to `--out` or stdout.
async fn export_period_summary(
    pool: &deadpool_postgres::Pool,
    a: &crate::stats::export::ExportArgs,
) -> anyhow::Result<()> {
    let (from, to, compare) = (a.from.as_deref(), a.to.as_deref(), a.compare_to.as_deref());
    let export = crate::stats::period::export;
    match &a.out {
        Some(path) => {
            let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
            export(pool, from, to, compare, a.format, &mut file).await?;
            std::io::Write::flush(&mut file)?;
        }
        None => export(pool, from, to, compare, a.format, &mut std::io::stdout()).await?,
    }
    Ok(())
}

/// `run`: migrate, then sync and serve side by side. A signal stops both; a sync that ends on
/// its own (`--until`, `--exit-at-tip`) leaves the server running until a signal.
async fn run_all(store: &Store, a: &RunArgs, cli: &Cli) -> anyhow::Result<()> {
    store.migrate(a.sync.start_height).await?;
    let mut config = a.serve.config(&cli.database_url);
    config.allow_private_webhooks = cli.allow_private_webhooks;
    let server = Server::bind(&config).await?;
    let _delivering = deliver(store, &a.sync, cli);
    // One latch for both: a signal that reaches sync while it waits to retry still stops it.
    let stop = Stop::on_signal();
    let serving_stop = stop.clone();
    let mut serving = tokio::spawn(server.run(async move { serving_stop.requested().await }));
    let config = a.sync.config();
    let syncing = sync_until(store, &config, &stop);
    tokio::pin!(syncing);
    tokio::select! {
        report = &mut syncing => {
            let report = report?;
            println!("synced to height {}", report.height);
            serving.await??;
        }
        served = &mut serving => {
            served??;
            let report = syncing.await?;
            println!("synced to height {}", report.height);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_takes_sync_and_serve_flags_and_serve_reads_the_replica_when_given() {
        let cli = Cli::try_parse_from([
            "indexer",
            "--database-url",
            "postgres://w@h/db",
            "run",
            "--rpc",
            "http://127.0.0.1:26657",
            "--listen",
            "127.0.0.1:9999",
            "--read-database-url",
            "postgres://r@replica/db",
        ])
        .unwrap();
        let Command::Run(a) = cli.command else {
            panic!("not run")
        };
        let c = a.serve.config(&cli.database_url);
        assert_eq!(c.listen.port(), 9999);
        assert_eq!(c.read_database_url, "postgres://r@replica/db");
        assert_eq!(a.sync.rpc, vec!["http://127.0.0.1:26657".to_string()]);
        let cli = Cli::try_parse_from(["indexer", "--database-url", "postgres://w@h/db", "serve"])
            .unwrap();
        let Command::Serve(a) = cli.command else {
            panic!("not serve")
        };
        let c = a.config(&cli.database_url);
        assert_eq!(c.read_database_url, "postgres://w@h/db");
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
    }

    #[test]
    fn websocket_url_follows_the_rpc_host() {
        assert_eq!(
            websocket_of("http://127.0.0.1:26657"),
            "ws://127.0.0.1:26657/websocket"
        );
        assert_eq!(
            websocket_of("https://rpc.example/x"),
            "wss://rpc.example/websocket"
        );
    }
}
