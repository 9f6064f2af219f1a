//! What every actor shares: the seeded randomness, the cast, the deployed suite, the counters,
//! the pace of the current phase, and the one way to send a contract call as a signed tx.

use anyhow::Context as _;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::cast::Cast;
use super::config::ScenarioConfig;
use super::stats::Stats;
use super::world::World;
use crate::chain::{Account, Chain};
use crate::genesis::Suite;
use crate::node::TxOutcome;
use crate::proto::wasm::MsgExecuteContract;
use crate::proto::{Any, Coin, Named};

/// Chain seconds per day.
pub const DAY_S: u64 = 86_400;
/// Chain seconds per hour.
pub const HOUR_S: u64 = 3_600;

/// Gas limit per message of a scenario tx (the chain reports what was used).
const GAS_PER_MSG: u64 = 1_500_000;

/// One `MsgExecuteContract` of a scenario tx.
#[derive(Clone, Debug)]
pub struct Call {
    /// Contract (artifact name).
    pub contract: &'static str,
    /// JSON message.
    pub msg: Vec<u8>,
    /// Attached coins (denom, amount).
    pub funds: Vec<(String, u128)>,
    /// ACT this call moves into another contract through the bme `send` hook.
    pub act_into: Option<(&'static str, u128)>,
}

impl Call {
    /// A call of `msg` on `contract` without funds.
    pub fn new<M: Serialize>(contract: &'static str, msg: &M) -> anyhow::Result<Self> {
        Ok(Call {
            contract,
            msg: serde_json::to_vec(msg).context("encoding a contract message")?,
            funds: Vec::new(),
            act_into: None,
        })
    }

    /// The same call with `amount` of `denom` attached.
    pub fn funds(mut self, denom: &str, amount: u128) -> Self {
        self.funds.push((denom.to_string(), amount));
        self
    }

    /// bme `send` of `amount` uact into `target` with the receive `hook`.
    pub fn act_send<H: Serialize>(
        target: &'static str,
        target_addr: &str,
        amount: u128,
        hook: &H,
    ) -> anyhow::Result<Self> {
        let msg = bme::msg::ExecuteMsg::Send {
            contract: target_addr.to_string(),
            amount: amount.into(),
            msg: cosmwasm_std::to_json_binary(hook)
                .map_err(|e| anyhow::anyhow!("encoding a receive hook: {e}"))?,
        };
        let mut call = Call::new("bme", &msg)?;
        call.act_into = Some((target, amount));
        Ok(call)
    }
}

/// The shared tools of the actors.
pub struct Ctx {
    /// The profile's values.
    pub cfg: ScenarioConfig,
    /// The one random stream (ChaCha8 seeded from the config): no wall clock anywhere.
    pub rng: ChaCha8Rng,
    /// The accounts.
    pub cast: Cast,
    /// The deployed contracts.
    pub suite: Suite,
    /// Counters.
    pub stats: Stats,
    /// Chain seconds per block.
    pub block_time_s: u64,
    /// Traffic multiplier of the current phase (1 for the history).
    pub activity: f64,
    /// Chain seconds between routine price pushes in the current phase.
    pub price_interval_s: u64,
    /// Chain time the traffic started at.
    pub start_s: u64,
    /// What the actors know about the chain.
    pub world: World,
}

impl Ctx {
    /// Height and time of the open block.
    pub fn now(chain: &Chain) -> (u64, u64) {
        chain.pending_block()
    }

    /// Whether something expected `per_day` times a simulated day (at this phase's activity)
    /// happens in this block.
    pub fn chance(&mut self, per_day: f64) -> bool {
        let p = per_day * self.activity * self.block_time_s as f64 / DAY_S as f64;
        p > 0.0 && self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    /// A coin flip that comes up true with probability `p`.
    pub fn flip(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    /// A uniform pick in `0..n` (0 when `n` is 0).
    pub fn pick(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.rng.random_range(0..n)
        }
    }

    /// A uniform draw in `lo..=hi`.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            lo
        } else {
            self.rng.random_range(lo..=hi)
        }
    }

    /// A log-normal duration in seconds with the given median and spread (`sigma` of the log),
    /// clamped to `[min_s, max_s]`.
    pub fn lognormal_s(&mut self, median_s: f64, sigma: f64, min_s: u64, max_s: u64) -> u64 {
        // Box-Muller: one standard normal from two uniforms.
        let u1: f64 = self.rng.random_range(f64::EPSILON..1.0);
        let u2: f64 = self.rng.random();
        let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        let secs = median_s * (sigma * z).exp();
        (secs.max(0.0) as u64).clamp(min_s, max_s.max(min_s))
    }

    /// A tenant, by popularity.
    pub fn some_tenant(&mut self) -> usize {
        self.cast.tenant_weights.sample(&mut self.rng)
    }

    /// A provider, by popularity.
    pub fn some_provider(&mut self) -> usize {
        self.cast.provider_weights.sample(&mut self.rng)
    }

    /// Blocks in `secs` of chain time (at least 1).
    pub fn blocks(&self, secs: u64) -> u64 {
        (secs / self.block_time_s.max(1)).max(1)
    }

    /// The address of contract `name`.
    pub fn addr(&self, name: &str) -> anyhow::Result<String> {
        Ok(self.suite.addr(name)?.to_string())
    }

    /// A smart query to contract `name`.
    pub fn query<T: serde::de::DeserializeOwned, M: Serialize>(
        &self,
        chain: &Chain,
        name: &str,
        msg: &M,
    ) -> anyhow::Result<T> {
        chain.query_smart(self.suite.addr(name)?, msg)
    }

    /// Signs `calls` as `who` and delivers them as one tx in the open block; counts the result
    /// under `action`. A contract refusal is a failed tx, not an error.
    pub fn send(
        &mut self,
        chain: &mut Chain,
        who: &Account,
        calls: Vec<Call>,
        action: &str,
    ) -> anyhow::Result<TxOutcome> {
        let gas = default_gas(&calls);
        self.deliver(chain, who, calls, action, false, gas)
    }

    /// [`Ctx::send`] for a tx that is meant to fail; `gas` overrides the gas limit.
    pub fn send_failing(
        &mut self,
        chain: &mut Chain,
        who: &Account,
        calls: Vec<Call>,
        action: &str,
        gas: Option<u64>,
    ) -> anyhow::Result<TxOutcome> {
        let gas = gas.unwrap_or_else(|| default_gas(&calls));
        self.deliver(chain, who, calls, action, true, gas)
    }

    /// [`Ctx::send`] with the gas limit a bot sets for work that grows with the chain (pip
    /// settlement): the simulated gas times 1.4, CosmJS's margin for fee "auto".
    pub fn send_simulated(
        &mut self,
        chain: &mut Chain,
        who: &Account,
        calls: Vec<Call>,
        action: &str,
    ) -> anyhow::Result<TxOutcome> {
        let msgs = self.msgs(who, &calls)?;
        let gas = match chain.simulate(&who.addr, msgs) {
            Ok(gas) => gas.saturating_mul(14) / 10,
            // A refused message shows up when the tx is delivered, as a failed tx.
            Err(_) => default_gas(&calls),
        };
        self.deliver(chain, who, calls, action, false, gas)
    }

    fn deliver(
        &mut self,
        chain: &mut Chain,
        who: &Account,
        calls: Vec<Call>,
        action: &str,
        on_purpose: bool,
        gas: u64,
    ) -> anyhow::Result<TxOutcome> {
        let msgs = self.msgs(who, &calls)?;
        let tx = chain.sign(&who.addr, msgs, gas)?;
        Ok(self.deliver_raw(chain, tx, &calls, action, on_purpose))
    }

    /// `calls` as `MsgExecuteContract`s from `who`.
    fn msgs(&self, who: &Account, calls: &[Call]) -> anyhow::Result<Vec<Any>> {
        let mut msgs: Vec<Any> = Vec::with_capacity(calls.len());
        for call in calls {
            msgs.push(
                MsgExecuteContract {
                    sender: who.addr.to_string(),
                    contract: self.suite.addr(call.contract)?.to_string(),
                    msg: call.msg.clone(),
                    funds: call
                        .funds
                        .iter()
                        .map(|(denom, amount)| Coin::new(*amount, denom))
                        .collect(),
                }
                .to_any(),
            );
        }
        Ok(msgs)
    }

    /// Delivers already signed bytes and counts them.
    pub fn deliver_raw(
        &mut self,
        chain: &mut Chain,
        tx: Vec<u8>,
        calls: &[Call],
        action: &str,
        on_purpose: bool,
    ) -> TxOutcome {
        let outcome = chain.deliver_tx(tx);
        self.stats
            .record_tx(action, outcome.code, on_purpose, &outcome.log);
        if outcome.code == 0 {
            // Anyone touching an account past its grace window closes it: every tx may.
            for closed in outcome.catalogued::<supercloud_events::escrow::AccountClosed>() {
                if let Some(tenant) = self.cast.tenant_index(closed.owner.as_str()) {
                    self.world
                        .closed((tenant, closed.dseq), closed.refunds_pending);
                }
            }
            for call in calls {
                self.stats.record_msg(call.contract, &call.funds);
                if let Some((target, amount)) = call.act_into {
                    self.stats
                        .record_msg(target, &[("uact".to_string(), amount)]);
                }
            }
        }
        outcome
    }
}

/// The gas limit a tx of `calls` gets unless it is simulated: a flat allowance per message.
fn default_gas(calls: &[Call]) -> u64 {
    GAS_PER_MSG * calls.len().max(1) as u64
}

/// The numeric attribute `key` of each SDK event of type `kind` (the chain's own events, such
/// as gov's `submit_proposal`; contract events are read through the catalogue instead).
pub fn sdk_numbers(outcome: &TxOutcome, kind: &str, key: &str) -> Vec<u64> {
    outcome
        .events
        .iter()
        .filter(|e| e.kind == kind)
        .flat_map(|e| &e.attributes)
        .filter(|a| a.key == key)
        .filter_map(|a| a.value.parse().ok())
        .collect()
}

/// The message index in a failed tx's log (`... message index: N: ...`).
pub fn failed_index(log: &str) -> Option<usize> {
    let rest = log.split("message index: ").nth(1)?;
    rest.split(':').next()?.trim().parse().ok()
}
