//! The driver: one block at a time, each flow adds its txs to the open block, then the block is
//! sealed. History is fast-forwarded with large time steps (one block per
//! `history_block_time_s` of chain time, heights stay contiguous); live blocks use the chain's
//! block time.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::actors::Actors;
use super::config::ScenarioConfig;
use super::stats::Stats;
use super::world::World;
use crate::chain::Chain;
use crate::genesis::Suite;
use crate::node::ExecutedBlock;

/// Chain seconds per day.
pub const DAY_S: u64 = 86_400;

/// The traffic generator. Deterministic: no wall clock, one seeded ChaCha8 stream.
pub struct Scenario {
    pub(crate) cfg: ScenarioConfig,
    pub(crate) rng: ChaCha8Rng,
    pub(crate) actors: Actors,
    pub(crate) suite: Suite,
    pub(crate) world: World,
    pub(crate) stats: Stats,
    /// Chain seconds per block in the current phase.
    pub(crate) step_s: u64,
    /// Chain time the scenario started at.
    pub(crate) start_s: u64,
    /// Whether the relayer already pushed in the open block.
    pub(crate) fresh_price: bool,
    /// Activity multiplier of the current phase (1 for the history).
    pub(crate) activity: f64,
    /// Chain seconds between price pushes in the current phase.
    pub(crate) price_interval_s: u64,
}

impl Scenario {
    /// Prepares the scenario on a chain whose suite is deployed: a governance proposal appoints
    /// the auditor and funds the bme vault, providers register hosts and post bonds, the
    /// auditor attests the hosts. Blocks sealed on the way go to `sink`.
    pub fn new(
        chain: &mut Chain,
        cfg: ScenarioConfig,
        suite: Suite,
        sink: &mut dyn FnMut(ExecutedBlock),
    ) -> anyhow::Result<Self> {
        let actors = Actors::derive(chain, &cfg)?;
        let mut scenario = Scenario {
            rng: ChaCha8Rng::seed_from_u64(cfg.seed),
            step_s: cfg.history_block_time_s.max(1),
            start_s: chain.time_s(),
            cfg,
            actors,
            suite,
            world: World {
                price_raw: 250_000_000,
                ..World::default()
            },
            stats: Stats::default(),
            fresh_price: false,
            activity: 1.0,
            price_interval_s: 0,
        };
        scenario.price_interval_s = scenario.cfg.price_interval_s;
        scenario.setup(chain, sink)?;
        Ok(scenario)
    }

    /// Counters so far.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// The deployed suite.
    pub fn suite(&self) -> &Suite {
        &self.suite
    }

    /// The cast.
    pub fn actors(&self) -> &Actors {
        &self.actors
    }

    /// The scenario's memory of the chain.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// Chain seconds per block in the current phase.
    pub fn step_s(&self) -> u64 {
        self.step_s
    }

    /// Produces the next block: `step_s` after the last, with this block's traffic.
    pub fn step(&mut self, chain: &mut Chain) -> anyhow::Result<ExecutedBlock> {
        chain.begin_block(chain.time_s() + self.step_s);
        self.fresh_price = false;
        self.tick(chain)?;
        let block = chain.seal_block()?;
        self.stats.blocks += 1;
        Ok(block)
    }

    /// Produces `days` of history at `history_block_time_s` per block (activity as configured,
    /// not the live multiplier); each block goes to `sink`, and `between` runs after each (e.g.
    /// to answer RPC queries).
    pub fn fast_forward(
        &mut self,
        chain: &mut Chain,
        days: u64,
        sink: &mut dyn FnMut(ExecutedBlock),
        between: &mut dyn FnMut(&Chain),
    ) -> anyhow::Result<()> {
        self.step_s = self.cfg.history_block_time_s.max(1);
        self.activity = 1.0;
        self.price_interval_s = self.cfg.price_interval_s;
        let until = chain.time_s() + days * DAY_S;
        while chain.time_s() + self.step_s <= until {
            let block = self.step(chain)?;
            sink(block);
            between(chain);
        }
        Ok(())
    }

    /// Switches to live blocks (the chain's block time): leases opened during history are
    /// re-priced to the new block length so they cost the same per hour.
    pub fn go_live(&mut self, chain: &mut Chain) -> anyhow::Result<()> {
        let live = chain.config().block_time_s.max(1);
        self.activity = self.cfg.live_activity.max(0.0);
        self.price_interval_s = self.cfg.live_price_interval_s.max(1);
        if live != self.step_s {
            let old = self.step_s;
            self.step_s = live;
            chain.begin_block(chain.time_s() + self.step_s);
            self.reprice(chain, old, live)?;
        }
        Ok(())
    }

    /// Whether an event expected `per_day` times a simulated day happens in this block.
    pub(crate) fn chance(&mut self, per_day: f64) -> bool {
        let p = per_day * self.activity * self.step_s as f64 / DAY_S as f64;
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    /// A coin flip that comes up true with probability `p`.
    pub(crate) fn flip(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    /// The address of provider `i`.
    pub(crate) fn provider_addr(&self, i: usize) -> anyhow::Result<String> {
        self.actors
            .providers
            .get(i)
            .map(|a| a.addr.to_string())
            .ok_or_else(|| anyhow::anyhow!("no provider {i}"))
    }

    /// A uniform pick in `0..n` (0 when `n` is 0).
    pub(crate) fn pick(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.rng.random_range(0..n)
        }
    }

    /// Height and time of the open block.
    pub(crate) fn now(chain: &Chain) -> (u64, u64) {
        chain.pending_block()
    }

    /// Simulated days since the scenario started.
    pub(crate) fn day(&self, chain: &Chain) -> u64 {
        Self::now(chain).1.saturating_sub(self.start_s) / DAY_S
    }

    /// Blocks per simulated hour in the current phase (at least 1).
    pub(crate) fn blocks_per_hour(&self) -> u64 {
        (3_600 / self.step_s).max(1)
    }

    fn tick(&mut self, chain: &mut Chain) -> anyhow::Result<()> {
        self.governance(chain)?;
        self.relay(chain)?;
        self.bme(chain)?;
        self.escrow(chain)?;
        self.withdrawals(chain)?;
        self.reservations(chain)?;
        self.pilots(chain)?;
        self.failures(chain)?;
        Ok(())
    }
}
