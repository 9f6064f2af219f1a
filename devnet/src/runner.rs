//! A whole devnet on its own thread: chain, genesis through governance, scenario history, then
//! live blocks on a timer until stopped. RPC handlers reach the chain through the [`Abci`] client
//! this returns; every sealed block goes to the sink (the RPC block store).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::chain::{channel, Chain, ChainClient, ChainConfig, Inbox, VmLoader};
use crate::genesis::{deploy_suite, Suite};
use crate::node::{Abci, ExecutedBlock};
use crate::scenario::{chain_config, Scenario, ScenarioConfig, Stats};

/// Where sealed blocks go (e.g. `BlockStore::push`).
pub type Sink = Box<dyn FnMut(ExecutedBlock) + Send>;

/// Most consecutive failed live steps before the chain thread gives up.
const MAX_LIVE_ERRORS: u32 = 10;

/// What to run.
#[derive(Clone, Debug, Default)]
pub struct DevnetConfig {
    /// Chain parameters (the scenario's cast is added to its accounts).
    pub chain: ChainConfig,
    /// Traffic.
    pub scenario: ScenarioConfig,
    /// Simulated days of history before going live.
    pub history_days: u64,
    /// Wall time between live blocks; `None`: stop after the history.
    pub live_interval: Option<Duration>,
    /// Directory where compiled contract modules persist across runs (`None`: a fresh
    /// temporary cache). Only supercloud-vm may write there (e.g. `target/vm-cache`).
    pub vm_cache: Option<PathBuf>,
}

/// The devnet once its history is in place.
#[derive(Clone, Debug)]
pub struct Summary {
    /// Contract addresses by artifact name.
    pub contracts: BTreeMap<String, String>,
    /// Code ids by artifact name.
    pub code_ids: BTreeMap<String, u64>,
    /// Last sealed height.
    pub height: u64,
    /// Chain time of the last block (s).
    pub time_s: u64,
    /// Scenario counters so far.
    pub stats: Stats,
    /// Wall time of genesis (store and instantiate proposals, VM compilation).
    pub genesis_wall: Duration,
    /// Wall time of the history fast-forward.
    pub history_wall: Duration,
}

/// A running devnet.
pub struct Devnet {
    client: ChainClient,
    stop: Arc<AtomicBool>,
    stats: Arc<Mutex<Stats>>,
    thread: Option<JoinHandle<anyhow::Result<()>>>,
    ready: Mutex<mpsc::Receiver<anyhow::Result<Summary>>>,
}

impl Devnet {
    /// Starts the chain thread. It runs genesis and the history right away (blocks go to
    /// `sink` as they are sealed, queries are answered between blocks), then produces live
    /// blocks every `live_interval`. [`Devnet::wait_ready`] returns once the history is done.
    pub fn start(config: DevnetConfig, sink: Sink) -> anyhow::Result<Devnet> {
        let (client, inbox) = channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stats = Arc::new(Mutex::new(Stats::default()));
        let (ready_tx, ready) = mpsc::channel();
        let thread = {
            let stop = stop.clone();
            let stats = stats.clone();
            std::thread::Builder::new()
                .name("devnet-chain".into())
                .spawn(move || run(config, sink, inbox, stop, stats, ready_tx))
                .context("spawning the chain thread")?
        };
        Ok(Devnet {
            client,
            stop,
            stats,
            thread: Some(thread),
            ready: Mutex::new(ready),
        })
    }

    /// The `abci_query` handle for the RPC server.
    pub fn abci(&self) -> Arc<dyn Abci> {
        Arc::new(self.client.clone())
    }

    /// Blocks until genesis and history are done; their summary (or why they failed).
    pub fn wait_ready(&self) -> anyhow::Result<Summary> {
        let ready = self
            .ready
            .lock()
            .map_err(|_| anyhow::anyhow!("the ready channel is poisoned"))?;
        ready
            .recv()
            .context("the chain thread ended before the history was ready")?
    }

    /// Scenario counters as of the last sealed block.
    pub fn stats(&self) -> Stats {
        match self.stats.lock() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Stops the live loop and joins the chain thread.
    pub fn stop(mut self) -> anyhow::Result<Stats> {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            thread
                .join()
                .map_err(|_| anyhow::anyhow!("the chain thread panicked"))??;
        }
        Ok(self.stats())
    }
}

impl Drop for Devnet {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn publish(stats: &Mutex<Stats>, scenario: &Scenario) {
    match stats.lock() {
        Ok(mut s) => *s = scenario.stats().clone(),
        Err(poisoned) => *poisoned.into_inner() = scenario.stats().clone(),
    }
}

/// The chain of `config` at genesis (the scenario's cast funded), running the VM.
pub fn build_chain(config: &DevnetConfig) -> anyhow::Result<Chain> {
    let chain_config = chain_config(&config.scenario, config.chain.clone());
    let loader = match &config.vm_cache {
        // SAFETY: `vm_cache` is documented as written only by supercloud-vm runtimes.
        Some(dir) => unsafe { VmLoader::persistent(dir) }?,
        None => VmLoader::new()?,
    };
    Chain::new(chain_config, Box::new(loader))
}

/// Deploys the suite through governance (first validator proposes; the cast's relayer and
/// treasury are wired in).
pub fn deploy(chain: &mut Chain, sink: &mut dyn FnMut(ExecutedBlock)) -> anyhow::Result<Suite> {
    let proposer_name = chain
        .config()
        .validators
        .first()
        .cloned()
        .context("the chain needs a validator")?;
    let proposer = chain.account(&proposer_name)?;
    let relayer = chain.account("relayer")?;
    let treasury = chain.account("treasury")?;
    deploy_suite(chain, &proposer.addr, &relayer.addr, &treasury.addr, sink)
}

/// Builds the chain, deploys the suite and sets the scenario up.
pub fn genesis(
    config: &DevnetConfig,
    sink: &mut dyn FnMut(ExecutedBlock),
) -> anyhow::Result<(Chain, Scenario, Suite)> {
    let mut chain = build_chain(config)?;
    let suite = deploy(&mut chain, sink)?;
    let scenario = Scenario::new(&mut chain, config.scenario.clone(), suite.clone(), sink)?;
    Ok((chain, scenario, suite))
}

fn run(
    config: DevnetConfig,
    mut sink: Sink,
    inbox: Inbox,
    stop: Arc<AtomicBool>,
    stats: Arc<Mutex<Stats>>,
    ready: mpsc::Sender<anyhow::Result<Summary>>,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let (mut chain, mut scenario, suite) = match genesis(&config, &mut sink) {
        Ok(parts) => parts,
        Err(e) => {
            let text = format!("{e:#}");
            let _ = ready.send(Err(e));
            anyhow::bail!(text);
        }
    };
    let genesis_wall = started.elapsed();
    let history_started = Instant::now();
    let history = scenario.fast_forward(
        &mut chain,
        config.history_days,
        &mut sink,
        &mut |chain: &Chain| inbox.serve_pending(chain),
    );
    publish(&stats, &scenario);
    if let Err(e) = history {
        let text = format!("{e:#}");
        let _ = ready.send(Err(e));
        anyhow::bail!(text);
    }
    let summary = Summary {
        contracts: suite
            .contracts
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect(),
        code_ids: suite.code_ids.clone(),
        height: chain.height(),
        time_s: chain.time_s(),
        stats: scenario.stats().clone(),
        genesis_wall,
        history_wall: history_started.elapsed(),
    };
    let _ = ready.send(Ok(summary));
    let Some(interval) = config.live_interval else {
        return Ok(());
    };
    scenario.go_live(&mut chain)?;
    let mut deadline = Instant::now() + interval;
    let mut errors = 0u32;
    while !stop.load(Ordering::SeqCst) {
        inbox.serve_until(&chain, deadline);
        if stop.load(Ordering::SeqCst) {
            break;
        }
        deadline += interval;
        match scenario.step(&mut chain) {
            Ok(block) => {
                errors = 0;
                sink(block);
                publish(&stats, &scenario);
            }
            Err(e) => {
                errors += 1;
                eprintln!("devnet: live block failed: {e:#}");
                if errors >= MAX_LIVE_ERRORS {
                    return Err(e.context("too many failed live blocks in a row"));
                }
                // Seal what the failed step left open so the chain keeps moving.
                if let Ok(block) = chain.seal_block() {
                    sink(block);
                }
            }
        }
        let now = Instant::now();
        if deadline < now {
            deadline = now;
        }
    }
    Ok(())
}
