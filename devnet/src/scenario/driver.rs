//! The driver: genesis setup, then one block at a time, each actor adding its txs to the open
//! block in a fixed order, then the block is sealed. The history and the live chain use the
//! same block time (lease rates are per block); only the traffic density differs once live.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::actors::governance::Governance;
use super::actors::providers::{self, Providers};
use super::actors::tenants::{self, Tenants};
use super::actors::{auditor, keeper, relayer, sponsors, stranger};
use super::cast::{Cast, AKT};
use super::config::ScenarioConfig;
use super::ctx::{Ctx, DAY_S, HOUR_S};
use super::incidents::Incidents;
use super::stats::Stats;
use super::world::World;
use crate::chain::Chain;
use crate::genesis::{pass_proposal, Suite};
use crate::node::ExecutedBlock;
use crate::proto::wasm::MsgExecuteContract;
use crate::proto::{Coin, Named};

/// Tenants that buy ACT right at the start (so ACT deployments and bookings happen early).
const EARLY_ACT_BUYERS: usize = 8;
/// ACT each of them buys (USD).
const EARLY_ACT_USD: u128 = 20_000;
/// The bme vault's collateral at setup: this share (percent) of the ACT bought at the start,
/// a buffer a deep AKT crash can still exhaust.
const VAULT_BUFFER_PERCENT: u128 = 30;

/// The traffic generator. Deterministic: no wall clock, one seeded ChaCha8 stream.
pub struct Scenario {
    ctx: Ctx,
    tenants: Tenants,
    providers: Providers,
    governance: Governance,
    incidents: Incidents,
    /// The calendar and the pilots are placed when the history starts.
    planned: bool,
}

impl Scenario {
    /// Prepares the scenario on a chain whose suite is deployed: a governance proposal appoints
    /// the auditor and funds the bme vault, providers register hosts and post bonds, the
    /// auditor attests the hosts, early tenants buy ACT. Blocks sealed on the way go to `sink`.
    pub fn new(
        chain: &mut Chain,
        cfg: ScenarioConfig,
        suite: Suite,
        sink: &mut dyn FnMut(ExecutedBlock),
    ) -> anyhow::Result<Self> {
        let cast = Cast::derive(chain, &cfg)?;
        let block_time_s = cfg
            .history_block_time_s
            .unwrap_or(chain.config().block_time_s)
            .max(1);
        let mut scenario = Scenario {
            ctx: Ctx {
                rng: ChaCha8Rng::seed_from_u64(cfg.seed),
                price_interval_s: cfg.price_interval_s,
                cfg,
                cast,
                suite,
                stats: Stats::default(),
                block_time_s,
                activity: 1.0,
                start_s: chain.time_s(),
                world: World::default(),
            },
            tenants: Tenants::default(),
            providers: Providers::default(),
            governance: Governance::default(),
            incidents: Incidents::default(),
            planned: false,
        };
        scenario.ctx.world.market.price_raw = 250_000_000;
        scenario.setup(chain, sink)?;
        Ok(scenario)
    }

    fn setup(
        &mut self,
        chain: &mut Chain,
        sink: &mut dyn FnMut(ExecutedBlock),
    ) -> anyhow::Result<()> {
        let ctx = &mut self.ctx;
        let gov = chain.gov().to_string();
        let appoint = MsgExecuteContract {
            sender: gov.clone(),
            contract: ctx.addr("reservations")?,
            msg: serde_json::to_vec(&reservations::msg::ExecuteMsg::AppointAuditor {
                auditor: ctx.cast.auditor.addr.to_string(),
            })?,
            funds: vec![],
        };
        let buyers = EARLY_ACT_BUYERS.min(ctx.cast.tenants.len()) as u128;
        let buffer_usd = buyers * EARLY_ACT_USD * VAULT_BUFFER_PERCENT / 100;
        let vault_uakt = buffer_usd * AKT * 1_000 / ctx.world.price_milli();
        let fund = MsgExecuteContract {
            sender: gov,
            contract: ctx.addr("bme")?,
            msg: serde_json::to_vec(&bme::msg::ExecuteMsg::FundVault {})?,
            funds: vec![Coin::new(vault_uakt, "uakt")],
        };
        let proposer = ctx.cast.proposer.addr.clone();
        let stats = &mut ctx.stats;
        pass_proposal(
            chain,
            &proposer,
            "Appoint the hardware auditor and fund the BME vault",
            vec![appoint.to_any(), fund.to_any()],
            &mut |block| {
                stats.record_block(&block);
                sink(block);
            },
        )?;
        ctx.start_s = chain.time_s();

        chain.begin_block(chain.time_s() + ctx.block_time_s);
        ctx.world.market.fresh_price = false;
        relayer::ensure_price(ctx, chain)?;
        providers::register_hosts(ctx, chain)?;
        auditor::attest(ctx, chain, None)?;
        for tenant in 0..buyers as usize {
            tenants::mint(ctx, chain, tenant, EARLY_ACT_USD)?;
        }
        let block = chain.seal_block()?;
        ctx.stats.record_block(&block);
        sink(block);
        Ok(())
    }

    /// Counters so far.
    pub fn stats(&self) -> &Stats {
        &self.ctx.stats
    }

    /// The deployed suite.
    pub fn suite(&self) -> &Suite {
        &self.ctx.suite
    }

    /// The cast.
    pub fn cast(&self) -> &Cast {
        &self.ctx.cast
    }

    /// The scenario's memory of the chain.
    pub fn world(&self) -> &World {
        &self.ctx.world
    }

    /// Chain seconds per block.
    pub fn step_s(&self) -> u64 {
        self.ctx.block_time_s
    }

    /// Produces the next block: one block time after the last, with this block's traffic.
    pub fn step(&mut self, chain: &mut Chain) -> anyhow::Result<ExecutedBlock> {
        chain.begin_block(chain.time_s() + self.ctx.block_time_s);
        let ctx = &mut self.ctx;
        ctx.world.market.fresh_price = false;
        self.governance.act(ctx, chain)?;
        relayer::act(ctx, chain)?;
        self.incidents
            .act(ctx, chain, &mut self.tenants, &mut self.governance)?;
        keeper::act(ctx, chain)?;
        self.tenants.act(ctx, chain)?;
        sponsors::act(ctx, chain)?;
        self.providers.act(ctx, chain)?;
        auditor::act(ctx, chain)?;
        stranger::act(ctx, chain)?;
        let block = chain.seal_block()?;
        ctx.stats.record_block(&block);
        Ok(block)
    }

    /// Produces `days` of history (the profile's traffic, not the live multiplier); each block
    /// goes to `sink`, and `between` runs after each (e.g. to answer RPC queries). The first
    /// call places the stress calendar, the pilots and the warm-up deployments over the span.
    pub fn fast_forward(
        &mut self,
        chain: &mut Chain,
        days: u64,
        sink: &mut dyn FnMut(ExecutedBlock),
        between: &mut dyn FnMut(&mut Chain),
    ) -> anyhow::Result<()> {
        self.ctx.activity = 1.0;
        self.ctx.price_interval_s = self.ctx.cfg.price_interval_s;
        if !self.planned {
            self.planned = true;
            let ctx = &mut self.ctx;
            self.governance.start(ctx, chain, days);
            if ctx.cfg.incidents {
                self.incidents.start(chain, days);
            }
            self.providers.start(ctx, chain);
            let warm = ctx.cfg.warm_deployments;
            self.tenants.warm_up(ctx, chain, warm, 2 * HOUR_S);
        }
        let until = chain.time_s() + days * DAY_S;
        while chain.time_s() + self.ctx.block_time_s <= until {
            let block = self.step(chain)?;
            sink(block);
            between(chain);
        }
        Ok(())
    }

    /// Switches to live traffic: the profile's live multiplier and price interval. The block
    /// time stays the one of the history, so every lease keeps its rate and meaning; a history
    /// built at another block time cannot go live.
    pub fn go_live(&mut self, chain: &mut Chain) -> anyhow::Result<()> {
        let live = chain.config().block_time_s.max(1);
        anyhow::ensure!(
            live == self.ctx.block_time_s,
            "the history was built with {} s blocks and the chain's block time is {live} s: \
             lease rates are per block, so this history cannot go live",
            self.ctx.block_time_s
        );
        self.ctx.activity = self.ctx.cfg.live_activity.max(0.0);
        self.ctx.price_interval_s = self.ctx.cfg.live_price_interval_s.max(1);
        Ok(())
    }
}
