//! `devnet`: genesis through governance, simulated history, then live blocks, served over
//! CometBFT 0.38 JSON-RPC until Ctrl-C.

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use devnet::cli::Args;
use devnet::rpc::Faults;
use devnet::runner::Summary;
use devnet::scenario::Stats;
use devnet::served::Served;

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let config = args.devnet_config()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(run(args, config))
}

async fn run(args: Args, config: devnet::runner::DevnetConfig) -> anyhow::Result<()> {
    let started = Instant::now();
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("binding the RPC on {}", args.listen))?;
    let served = Served::start(
        config.clone(),
        listener,
        Arc::new(Faults::new(args.faults())),
    )?;
    let (addr, store) = (served.addr, served.store.clone());
    println!(
        "devnet: CometBFT RPC on http://{addr} (chain {})",
        config.chain.chain_id
    );
    println!(
        "devnet: genesis through governance, then {} simulated days of `{}` history ({}s blocks)...",
        config.history_days,
        config.scenario.load,
        config
            .scenario
            .history_block_time_s
            .unwrap_or(config.chain.block_time_s)
    );
    let summary = served.ready().await.context("waiting for the history")?;
    let Served { devnet, server, .. } = served;
    print_summary(&summary, &addr.to_string(), started.elapsed().as_secs_f64());
    if config.live_interval.is_none() {
        println!("devnet: --no-live given; serving the history until Ctrl-C");
    } else {
        println!(
            "devnet: live, one block every {}s dated by the wall clock (catching up one every {:?} \
             while behind it); Ctrl-C to stop",
            config.chain.block_time_s, args.live_interval
        );
    }
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("listening for SIGTERM")?;
    tokio::select! {
        r = tokio::signal::ctrl_c() => r.context("waiting for Ctrl-C")?,
        _ = terminate.recv() => {}
        r = server => {
            r.context("the RPC server task")??;
        }
    }
    let stats = devnet.stats();
    println!("\ndevnet: stopping at height {}", store.latest_height());
    print_stats(&stats);
    match Arc::try_unwrap(devnet) {
        Ok(devnet) => {
            devnet.stop()?;
        }
        Err(_) => eprintln!("devnet: chain thread still referenced; exiting anyway"),
    }
    Ok(())
}

fn print_summary(s: &Summary, addr: &str, elapsed: f64) {
    println!(
        "\ndevnet: ready in {elapsed:.1}s (genesis {:.1}s, history {:.1}s)",
        s.genesis_wall.as_secs_f64(),
        s.history_wall.as_secs_f64()
    );
    println!("contracts (code id, address):");
    for (name, address) in &s.contracts {
        let code = s.code_ids.get(name).copied().unwrap_or_default();
        println!("  {name:<13} {code:>2}  {address}");
    }
    let secs = s.history_wall.as_secs_f64().max(1e-9);
    println!(
        "history: height {}, {:.0} blocks/s, {:.0} txs/s",
        s.height,
        s.stats.blocks as f64 / secs,
        s.stats.txs as f64 / secs
    );
    print_stats(&s.stats);
    println!("RPC: http://{addr}  (e.g. curl http://{addr}/status)");
    // A wallet or CosmJS signs with these keys (BIP-44 m/44'/118'/0'/0/n, bech32 `akash`).
    println!("mnemonic: {}", s.mnemonic);
    println!("accounts (BIP-44 index, name, address):");
    for (index, name, address) in &s.accounts {
        let note = if name == devnet::scenario::DEV_ACCOUNT {
            "  <- yours: 1,000,000 AKT, never used by the scenario"
        } else {
            ""
        };
        if *index < 8 || !note.is_empty() {
            println!("  {index:>4}  {name:<14} {address}{note}");
        }
    }
    if s.accounts.len() > 8 {
        println!(
            "  ... {} more: the scenario's validators, tenants, sponsors, providers and keepers",
            s.accounts.len() - 8
        );
    }
}

fn print_stats(stats: &Stats) {
    print!("{stats}");
}
