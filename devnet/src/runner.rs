//! A whole devnet on its own thread: chain, genesis through governance, scenario history, then
//! live blocks until stopped. RPC handlers reach the chain through the [`Abci`] client this
//! returns; every sealed block goes to the [`BlockSink`] (the RPC block store).
//!
//! **The live clock.** Live blocks are `block_time_s` apart in chain time, like the history, and
//! never dated after the wall clock: a chain that is behind the wall clock (its history ended in
//! the past) catches up at one block per `live_interval` of wall time; once it reaches the wall
//! clock it seals one block each time the wall clock reaches the next block time. Lease rates are
//! per block, so keeping one block time from genesis to the live tip keeps every rate worth the
//! same per hour, and nothing is closed or re-priced when the chain goes live.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::Context;

use crate::chain::{channel, Chain, ChainClient, ChainConfig, Inbox, VmLoader};
use crate::genesis::{deploy_suite_with, Suite, SuiteOptions};
use crate::node::{Abci, ExecutedBlock};
use crate::scenario::{chain_config, Scenario, ScenarioConfig, Stats, STABLE};

/// Where the chain thread hands sealed blocks (e.g. the RPC block store).
pub trait BlockSink: Send {
    /// A block of genesis or of the history: stored, not announced to subscribers.
    fn history(&mut self, block: ExecutedBlock);
    /// A live block: stored and announced.
    fn live(&mut self, block: ExecutedBlock);
}

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
    /// Wall time between live blocks while the chain is behind the wall clock (see the module
    /// doc); `None`: stop after the history.
    pub live_interval: Option<Duration>,
    /// Keep only this many most recent blocks in the RPC store (`None`: all).
    pub keep_recent: Option<u64>,
    /// Directory where compiled contract modules persist across runs (`None`: a fresh
    /// temporary cache). Only supercloud-vm may write there (e.g. `target/vm-cache`).
    pub vm_cache: Option<PathBuf>,
}

/// The devnet once its history is in place.
#[derive(Clone, Debug)]
pub struct Summary {
    /// Contract addresses by artifact name.
    pub contracts: BTreeMap<String, String>,
    /// Code ids each contract runs now, by artifact name.
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
    /// The mnemonic every devnet account's key derives from (BIP-44 `m/44'/118'/0'/0/n`).
    pub mnemonic: String,
    /// Named accounts by BIP-44 index: (index, name, address); index 0 is [`crate::scenario::DEV_ACCOUNT`].
    pub accounts: Vec<(u32, String, String)>,
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
    /// blocks on the live clock (module doc). [`Devnet::wait_ready`] returns once the history
    /// is done.
    pub fn start(config: DevnetConfig, sink: Box<dyn BlockSink>) -> anyhow::Result<Devnet> {
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

/// How the scenario `cfg` wants the suite deployed: the stablecoin accepted, and the previous
/// release when its stress calendar carries the upgrade.
pub fn suite_options(cfg: &ScenarioConfig) -> SuiteOptions {
    SuiteOptions {
        extra_denoms: vec![STABLE.to_string()],
        previous_release: cfg.incidents,
    }
}

/// Deploys the suite through governance (first validator proposes; the cast's relayer and
/// treasury are wired in).
pub fn deploy(
    chain: &mut Chain,
    options: &SuiteOptions,
    sink: &mut dyn FnMut(ExecutedBlock),
) -> anyhow::Result<Suite> {
    let proposer_name = chain
        .config()
        .validators
        .first()
        .cloned()
        .context("the chain needs a validator")?;
    let proposer = chain.account(&proposer_name)?;
    let relayer = chain.account("relayer")?;
    let treasury = chain.account("treasury")?;
    deploy_suite_with(
        chain,
        &proposer.addr,
        &relayer.addr,
        &treasury.addr,
        options,
        sink,
    )
}

/// Builds the chain, deploys the suite and sets the scenario up.
pub fn genesis(
    config: &DevnetConfig,
    sink: &mut dyn FnMut(ExecutedBlock),
) -> anyhow::Result<(Chain, Scenario, Suite)> {
    let mut chain = build_chain(config)?;
    let suite = deploy(&mut chain, &suite_options(&config.scenario), sink)?;
    let scenario = Scenario::new(&mut chain, config.scenario.clone(), suite.clone(), sink)?;
    Ok((chain, scenario, suite))
}

/// Genesis and the history, each block handed to `sink` as history; the summary is sent on
/// `ready` (or why it failed).
fn build_history(
    config: &DevnetConfig,
    sink: &mut dyn BlockSink,
    inbox: &Inbox,
    stats: &Mutex<Stats>,
    ready: &mpsc::Sender<anyhow::Result<Summary>>,
) -> anyhow::Result<(Chain, Scenario)> {
    let started = Instant::now();
    let mut history_sink = |block| sink.history(block);
    let (mut chain, mut scenario, _) = match genesis(config, &mut history_sink) {
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
        &mut history_sink,
        &mut |chain: &mut Chain| inbox.serve_pending(chain),
    );
    publish(stats, &scenario);
    if let Err(e) = history {
        let text = format!("{e:#}");
        let _ = ready.send(Err(e));
        anyhow::bail!(text);
    }
    let suite = scenario.suite();
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
        mnemonic: chain.keyring().phrase().to_string(),
        accounts: {
            let mut all: Vec<(u32, String, String)> = chain
                .keyring()
                .all()
                .map(|a| (a.index, a.name.clone(), a.addr.to_string()))
                .collect();
            all.sort();
            all
        },
    };
    let _ = ready.send(Ok(summary));
    Ok((chain, scenario))
}

fn run(
    config: DevnetConfig,
    mut sink: Box<dyn BlockSink>,
    inbox: Inbox,
    stop: Arc<AtomicBool>,
    stats: Arc<Mutex<Stats>>,
    ready: mpsc::Sender<anyhow::Result<Summary>>,
) -> anyhow::Result<()> {
    let (mut chain, mut scenario) = build_history(&config, sink.as_mut(), &inbox, &stats, &ready)?;
    let Some(interval) = config.live_interval else {
        return Ok(());
    };
    scenario.go_live(&mut chain)?;
    let mut clock = LiveClock::new(chain.config().block_time_s, interval);
    let mut errors = 0u32;
    while !stop.load(Ordering::SeqCst) {
        let deadline = clock.next_deadline(chain.time_s());
        inbox.serve_until(&mut chain, deadline);
        if stop.load(Ordering::SeqCst) {
            break;
        }
        if !clock.due(chain.time_s()) {
            continue;
        }
        clock.sealed();
        match scenario.step(&mut chain) {
            Ok(block) => {
                errors = 0;
                sink.live(block);
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
                    sink.live(block);
                }
            }
        }
    }
    Ok(())
}

/// Seconds since the Unix epoch, as a duration.
fn wall_clock() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// When the next live block may be sealed (module doc): never before the wall clock reaches its
/// chain time, and, while catching up, one `interval` after the previous one.
struct LiveClock {
    block_time: Duration,
    interval: Duration,
    last_sealed: Option<Instant>,
}

impl LiveClock {
    fn new(block_time_s: u64, interval: Duration) -> Self {
        LiveClock {
            block_time: Duration::from_secs(block_time_s.max(1)),
            interval,
            last_sealed: None,
        }
    }

    /// The instant the block after one dated `last_s` is due, given the wall clock `wall`
    /// (since the epoch) at `now`.
    fn deadline(&self, last_s: u64, wall: Duration, now: Instant) -> Instant {
        let next = Duration::from_secs(last_s) + self.block_time;
        let ahead = next.saturating_sub(wall);
        let paced = self.last_sealed.map_or(now, |t| t + self.interval);
        (now + ahead).max(paced)
    }

    /// [`LiveClock::deadline`] now.
    fn next_deadline(&self, last_s: u64) -> Instant {
        self.deadline(last_s, wall_clock(), Instant::now())
    }

    /// Whether the block after `last_s` may be sealed now.
    fn due(&self, last_s: u64) -> bool {
        let now = Instant::now();
        self.deadline(last_s, wall_clock(), now) <= now
    }

    fn sealed(&mut self) {
        self.last_sealed = Some(Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_blocks_wait_for_the_wall_clock_and_catch_up_at_the_interval() {
        let now = Instant::now();
        let mut clock = LiveClock::new(6, Duration::from_millis(250));
        let wall = Duration::from_secs(1_000);
        // Caught up: the block after 997 is dated 1003, three seconds ahead: wait for it.
        assert_eq!(clock.deadline(997, wall, now), now + Duration::from_secs(3));
        // Exactly at the wall clock: due now.
        assert_eq!(clock.deadline(994, wall, now), now);
        // Behind (the history ended long ago): due at once, then one per interval.
        assert_eq!(clock.deadline(0, wall, now), now);
        clock.last_sealed = Some(now);
        assert_eq!(
            clock.deadline(400, wall, now),
            now + Duration::from_millis(250)
        );
        // Ahead of the clock beats the interval: the later of the two wins.
        assert_eq!(clock.deadline(999, wall, now), now + Duration::from_secs(5));
    }
}
