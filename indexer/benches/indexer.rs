//! The indexer benchmark (a program, not a timed test): `cargo bench -p indexer --bench indexer`
//! (add `-- --quick` for the small inputs CI can afford). Prints its figures and writes
//! `target/bench/indexer.json`. Every ratio is measured in one run on the same input:
//!
//! - backfill blocks/s against the raw fetch ceiling: the same heights fetched as fast as
//!   possible with bodies discarded, with as many requests in flight as the indexer's largest
//!   window; unthrottled and with 20 ms of injected RPC latency, and once more at 20 ms with a
//!   window of 32, where latency rather than CPU bounds the fetch; ceiling and indexer runs
//!   alternate five times (three in quick mode) and the median pair's ratio is reported (with all),
//!   with the CPU each part (node, client, Postgres) used per 1,000 blocks: when the cores are
//!   saturated, CPU per block bounds the ratio whatever the latency;
//! - rows written per second of store time against raw binary `COPY` of the same rows into
//!   unlogged copies of the tables;
//! - peak RSS of the `indexer` process over a short and a long history.
//!
//! Input (built in-process with one seed): a `--load mainnet-day` history for the ratios and a
//! month and a year of `demo` history for memory. `--quick` uses 2 and 7 days of demo traffic at
//! 5-minute blocks instead.

mod common;
// Beside this file rather than in `benches/`, where cargo would take it for a bench of its own.
#[path = "indexer/cpu.rs"]
mod cpu;

use std::sync::Arc;
use std::time::{Duration, Instant};

use devnet::rpc::{FaultConfig, Faults};
use devnet::runner::DevnetConfig;
use devnet::scenario::{Load, ScenarioConfig};
use devnet::served::Served;
use futures::stream::{FuturesUnordered, StreamExt};
use futures::SinkExt;
use indexer::store::Store;
use indexer::sync::{sync, SyncConfig};
use serde_json::json;
use supercloud_pgtemp::Cluster;
use tendermint_rpc::{Client, HttpClient};

/// The indexer's largest window (its `--max-in-flight` default).
const IN_FLIGHT: usize = 256;

/// Ceiling / indexer pairs per setting; the median pair is reported. Pairs on this kind of VM
/// spread by ±0.1, so the full run takes more of them than CI's quick one.
const REPEATS: usize = 5;
const QUICK_REPEATS: usize = 3;

/// A window small enough that 20 ms of latency, not CPU, bounds the fetch (a node that limits
/// clients to a few dozen requests in flight): the case where the store must hide behind it.
const LATENCY_BOUND_IN_FLIGHT: usize = 32;

struct Chain {
    served: Served,
    faults: Arc<Faults>,
    tip: u64,
    /// The node's own threads, so that its CPU is told apart from the client's.
    node: Option<tokio::runtime::Runtime>,
}

impl Drop for Chain {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which async code may not do; its tasks are only the server.
        if let Some(rt) = self.node.take() {
            rt.shutdown_background();
        }
    }
}

async fn chain(days: u64, load: Load, quick: bool) -> anyhow::Result<Chain> {
    let mut config = DevnetConfig {
        history_days: days,
        live_interval: None,
        vm_cache: Some(supercloud_vm::workspace_cache_dir()),
        ..DevnetConfig::default()
    };
    config.scenario = ScenarioConfig::profile(load, config.scenario.seed);
    if quick {
        // 5-minute blocks keep the quick (CI) mode small; the full run uses the chain's own.
        config.scenario.history_block_time_s = Some(300);
    }
    // As on a real network the node serves from its own threads (two, like the machine's
    // cores), not from the client's runtime.
    let node = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(cpu::NODE_THREAD)
        .thread_keep_alive(Duration::from_secs(24 * 3600))
        .enable_all()
        .build()?;
    let faults = Arc::new(Faults::new(FaultConfig::default()));
    let served = {
        let _node = node.enter();
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        Served::start(
            config,
            tokio::net::TcpListener::from_std(listener)?,
            Arc::clone(&faults),
        )?
    };
    let summary = served.ready().await?;
    Ok(Chain {
        served,
        faults,
        tip: summary.height,
        node: Some(node),
    })
}

/// Fetches `block` + `block_results` of every height with `in_flight` heights in flight and
/// discards them; blocks per second and the CPU each part used.
async fn ceiling(
    url: &str,
    tip: u64,
    in_flight_max: usize,
    postmaster: u32,
) -> anyhow::Result<(f64, cpu::Cpu)> {
    let client = HttpClient::new(url)?;
    let cpu_before = cpu::sample(postmaster)?;
    let started = Instant::now();
    let mut next = 1u64;
    let mut in_flight = FuturesUnordered::new();
    loop {
        while in_flight.len() < in_flight_max && next <= tip {
            let c = client.clone();
            let h = tendermint::block::Height::try_from(next)?;
            in_flight.push(async move {
                let (b, r) = futures::join!(c.block(h), c.block_results(h));
                b.map(|_| ()).and(r.map(|_| ()))
            });
            next += 1;
        }
        match in_flight.next().await {
            Some(r) => r?,
            None => break,
        }
    }
    let secs = started.elapsed().as_secs_f64();
    Ok((
        tip as f64 / secs,
        cpu::sample(postmaster)?.since(cpu_before),
    ))
}

struct Backfill {
    blocks_per_s: f64,
    /// Transactions the sync committed.
    batches: u64,
    rows: i64,
    /// Rows per table, largest first.
    by_table: Vec<(String, i64)>,
    rows_per_store_s: f64,
    store_share: f64,
    phases: indexer::store::StorePhases,
    /// CPU the node, the indexer and Postgres used during the sync.
    cpu: cpu::Cpu,
}

async fn backfill(
    pg: &Cluster,
    db: &str,
    url: &str,
    in_flight: usize,
    postmaster: u32,
) -> anyhow::Result<Backfill> {
    pg.create_db(db, None)?;
    let store = Store::connect(&pg.url(db), 4)?;
    store.migrate(1).await?;
    let cfg = SyncConfig {
        rpc: vec![url.to_string()],
        exit_at_tip: true,
        fetch: indexer::ingest::FetchConfig {
            window_max: in_flight,
            websocket: None,
            ..Default::default()
        },
        ..SyncConfig::default()
    };
    let cpu_before = cpu::sample(postmaster)?;
    let started = Instant::now();
    let report = sync(&store, &cfg).await?;
    let secs = started.elapsed().as_secs_f64();
    let cpu = cpu::sample(postmaster)?.since(cpu_before);
    let mut by_table = rows(&pg.url(db)).await?;
    by_table.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let rows = by_table.iter().map(|(_, n)| n).sum();
    Ok(Backfill {
        blocks_per_s: report.blocks as f64 / secs,
        batches: report.batches,
        rows,
        by_table,
        rows_per_store_s: rows as f64 / report.store_time.as_secs_f64().max(1e-9),
        store_share: report.store_time.as_secs_f64() / secs,
        phases: report.store_phases,
        cpu,
    })
}

async fn client(url: &str) -> anyhow::Result<tokio_postgres::Client> {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    tokio::spawn(conn);
    Ok(client)
}

/// Tables the indexer writes rows to, with their row counts (empty ones left out).
async fn rows(url: &str) -> anyhow::Result<Vec<(String, i64)>> {
    let c = client(url).await?;
    let mut out = Vec::new();
    for t in indexer::store::written_tables() {
        let n: i64 = c
            .query_one(&format!("SELECT count(*) FROM \"{t}\""), &[])
            .await?
            .get(0);
        if n > 0 {
            out.push((t, n));
        }
    }
    Ok(out)
}

/// Rows per second of binary `COPY` of the same rows into unlogged copies of the tables.
async fn raw_copy(url: &str) -> anyhow::Result<f64> {
    let c = client(url).await?;
    let mut total_rows = 0i64;
    let mut copy_time = Duration::ZERO;
    for (t, n) in rows(url).await? {
        let copy = format!("bench_{t}");
        c.batch_execute(&format!(
            "DROP TABLE IF EXISTS \"{copy}\"; CREATE UNLOGGED TABLE \"{copy}\" (LIKE \"{t}\")"
        ))
        .await?;
        let out = c
            .copy_out(&format!(
                "COPY (SELECT * FROM \"{t}\") TO STDOUT (FORMAT binary)"
            ))
            .await?;
        let chunks: Vec<bytes::Bytes> = out
            .map(|b| b.map_err(anyhow::Error::from))
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect::<Result<_, _>>()?;
        let started = Instant::now();
        let sink = c
            .copy_in(&format!("COPY \"{copy}\" FROM STDIN (FORMAT binary)"))
            .await?;
        futures::pin_mut!(sink);
        for chunk in chunks {
            sink.send(chunk).await?;
        }
        sink.finish().await?;
        copy_time += started.elapsed();
        total_rows += n;
    }
    Ok(total_rows as f64 / copy_time.as_secs_f64().max(1e-9))
}

/// Peak RSS (kB) of the indexer binary syncing `url` into database `db`.
async fn peak_rss(pg: &Cluster, db: &str, url: &str) -> anyhow::Result<u64> {
    pg.create_db(db, None)?;
    let migrated = tokio::process::Command::new(env!("CARGO_BIN_EXE_indexer"))
        .arg("migrate")
        .env("DATABASE_URL", pg.url(db))
        .status()
        .await?;
    anyhow::ensure!(migrated.success(), "indexer migrate exited with {migrated}");
    // `sync` (not `run`, which also serves and so never exits).
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_indexer"))
        .args([
            "sync",
            "--rpc",
            url,
            "--exit-at-tip",
            "--websocket",
            "none",
            "--no-deliver",
        ])
        .env("DATABASE_URL", pg.url(db))
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()?;
    let pid = child.id().ok_or_else(|| anyhow::anyhow!("no pid"))?;
    let mut peak = 0u64;
    loop {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            if let Some(kb) = status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
            {
                peak = peak.max(kb);
            }
        }
        if let Some(status) = child.try_wait()? {
            anyhow::ensure!(status.success(), "indexer exited with {status}");
            return Ok(peak);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    // (label, load, days, measure ratios): the ratios on the busiest input, memory on a short
    // and a long history of the same traffic.
    let inputs = if quick {
        vec![
            ("short", Load::Demo, 2, true),
            ("long", Load::Demo, 7, false),
        ]
    } else {
        vec![
            ("mainnet_day", Load::MainnetDay, 1, true),
            ("month", Load::Demo, 30, false),
            ("year", Load::Demo, 365, false),
        ]
    };
    // `--only LABEL` runs one input (for iterating on one figure).
    let only = common::only();
    let pg = Cluster::start()?;
    let postmaster = cpu::postmaster_pid(&pg.dir().join("data"))?;
    let cores = std::thread::available_parallelism()?.get() as f64;
    let mut results = serde_json::Map::new();
    for (label, load, days, ratios) in inputs {
        if only.as_deref().is_some_and(|o| o != label) {
            continue;
        }
        let t = Instant::now();
        let chain = chain(days, load, quick).await?;
        let url = format!("http://{}", chain.served.addr);
        println!(
            "{label}: {days} days of `{}` history, {} blocks (built in {:.1?})",
            load.name(),
            chain.tip,
            t.elapsed()
        );
        let mut r = serde_json::Map::new();
        r.insert("load".into(), json!(load.name()));
        r.insert("days".into(), json!(days));
        r.insert("blocks".into(), json!(chain.tip));
        if ratios {
            let settings = [
                (0u64, IN_FLIGHT, "latency_0ms".to_string()),
                (20, IN_FLIGHT, "latency_20ms".to_string()),
                (
                    20,
                    LATENCY_BOUND_IN_FLIGHT,
                    format!("latency_20ms_{LATENCY_BOUND_IN_FLIGHT}_in_flight"),
                ),
            ];
            for (latency_ms, in_flight, key) in settings {
                chain.faults.set_latency(Duration::from_millis(latency_ms));
                // Ceiling and indexer alternate, each ratio from its own pair:
                // single runs of either swing by a fifth on this machine.
                let mut pairs = Vec::new();
                let repeats = if quick { QUICK_REPEATS } else { REPEATS };
                for rep in 0..repeats {
                    let (cap, cap_cpu) = ceiling(&url, chain.tip, in_flight, postmaster).await?;
                    let db = format!("{label}_{key}_{rep}");
                    let run = backfill(&pg, &db, &url, in_flight, postmaster).await?;
                    pairs.push((cap, cap_cpu, run, db));
                }
                pairs.sort_by(|a, b| (a.2.blocks_per_s / a.0).total_cmp(&(b.2.blocks_per_s / b.0)));
                let ratios: Vec<f64> = pairs
                    .iter()
                    .map(|(c, _, r, _)| r.blocks_per_s / c)
                    .collect();
                let (cap, cap_cpu, run, db) = &pairs[pairs.len() / 2];
                let ratio = run.blocks_per_s / cap;
                // Share of the machine's cores each run kept busy, and the ratio the indexer
                // would reach if both runs were bound by CPU alone.
                let busy =
                    |cpu: cpu::Cpu, rate: f64| cpu.total() * rate / (chain.tip as f64 * cores);
                let cpu_bound = cap_cpu.total() / run.cpu.total();
                let ms = |s: f64| s * 1e6 / chain.tip as f64;
                let p = run.phases;
                println!(
                    "  latency {latency_ms:>2} ms: indexer {:>8.0} blocks/s, raw fetch ceiling {:>8.0} blocks/s ({in_flight} in flight): {ratio:.2}x (median of {repeats} pairs; all {}); store {:.0}% of the time (raw {:.1?}, event tables {:.1?}, projection {:.1?}, commit {:.1?}; {} batches)",
                    run.blocks_per_s,
                    cap,
                    ratios.iter().map(|r| format!("{r:.2}")).collect::<Vec<_>>().join(", "),
                    run.store_share * 100.0,
                    p.raw,
                    p.events,
                    p.projection,
                    p.commit,
                    run.batches
                );
                println!(
                    "    CPU per 1,000 blocks: ceiling {:.0} ms (node {:.0}, client {:.0}; cores {:.0}% busy); indexer {:.0} ms (node {:.0}, indexer {:.0}, postgres {:.0}; cores {:.0}% busy): CPU alone bounds the ratio at {cpu_bound:.2}x",
                    ms(cap_cpu.total()),
                    ms(cap_cpu.node),
                    ms(cap_cpu.client),
                    busy(*cap_cpu, *cap) * 100.0,
                    ms(run.cpu.total()),
                    ms(run.cpu.node),
                    ms(run.cpu.client),
                    ms(run.cpu.postgres),
                    busy(run.cpu, run.blocks_per_s) * 100.0,
                );
                r.insert(
                    key.clone(),
                    json!({
                        "indexer_blocks_per_s": run.blocks_per_s,
                        "ceiling_blocks_per_s": cap,
                        "in_flight": in_flight,
                        "ratio": ratio,
                        "ratios": ratios,
                        "store_share": run.store_share,
                        "batches": run.batches,
                        "cpu_per_1000_blocks": {
                            "ceiling": cap_cpu.per_1000_blocks(chain.tip),
                            "indexer": run.cpu.per_1000_blocks(chain.tip),
                        },
                        "cores_busy": {
                            "ceiling": busy(*cap_cpu, *cap),
                            "indexer": busy(run.cpu, run.blocks_per_s),
                        },
                        "cpu_bound_ratio": cpu_bound,
                        "store_phases_s": {
                            "raw": p.raw.as_secs_f64(),
                            "event_tables": p.events.as_secs_f64(),
                            "projection": p.projection.as_secs_f64(),
                            "commit": p.commit.as_secs_f64(),
                        },
                    }),
                );
                if latency_ms == 0 && in_flight == IN_FLIGHT {
                    let copy = raw_copy(&pg.url(db)).await?;
                    let ratio = run.rows_per_store_s / copy;
                    println!(
                        "  rows: {} written at {:.0}/s of store time; raw binary COPY into unlogged copies {:.0}/s: {ratio:.2}x",
                        run.rows, run.rows_per_store_s, copy
                    );
                    let largest: Vec<String> = run
                        .by_table
                        .iter()
                        .take(6)
                        .map(|(t, n)| format!("{t} {n}"))
                        .collect();
                    println!("  largest tables: {}", largest.join(", "));
                    let by_table: serde_json::Map<_, _> = run
                        .by_table
                        .iter()
                        .map(|(t, n)| (t.clone(), json!(n)))
                        .collect();
                    r.insert(
                        "rows".into(),
                        json!({
                            "rows": run.rows,
                            "indexer_rows_per_s": run.rows_per_store_s,
                            "raw_copy_rows_per_s": copy,
                            "ratio": ratio,
                            "by_table": by_table,
                        }),
                    );
                }
            }
            chain.faults.set_latency(Duration::ZERO);
        }
        let rss = peak_rss(&pg, &format!("{label}_rss"), &url).await?;
        println!(
            "  peak RSS of the indexer process: {:.1} MiB",
            rss as f64 / 1024.0
        );
        r.insert("peak_rss_kib".into(), json!(rss));
        results.insert(label.into(), serde_json::Value::Object(r));
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    std::fs::create_dir_all(&dir)?;
    let out = dir.join("indexer.json");
    std::fs::write(
        &out,
        serde_json::to_string_pretty(&json!({"quick": quick, "runs": results}))?,
    )?;
    println!("wrote {}", out.display());
    Ok(())
}
