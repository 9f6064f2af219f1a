//! Sending contract calls as signed txs, counting them, and reading their events back.

use anyhow::Context;
use serde::Serialize;

use super::driver::Scenario;
use crate::chain::{Account, Chain};
use crate::node::TxOutcome;
use crate::proto::wasm::MsgExecuteContract;
use crate::proto::{Any, Coin, Named};

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

impl Scenario {
    /// Signs `calls` as `who` and delivers them as one tx in the open block; counts the result
    /// under `action`. A contract refusal is a failed tx, not an error.
    pub(crate) fn send(
        &mut self,
        chain: &mut Chain,
        who: &Account,
        calls: Vec<Call>,
        action: &str,
    ) -> anyhow::Result<TxOutcome> {
        let gas = default_gas(&calls);
        self.deliver(chain, who, calls, action, false, gas)
    }

    /// [`Scenario::send`] for a tx that is meant to fail; `gas` overrides the gas limit.
    pub(crate) fn send_failing(
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

    /// [`Scenario::send`] with the gas limit a bot sets for work that grows with the chain (pip
    /// settlement): the simulated gas times 1.4, CosmJS's margin for fee "auto".
    pub(crate) fn send_simulated(
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
    pub(crate) fn deliver_raw(
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
            self.note_closed_accounts(&outcome);
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

impl Scenario {
    /// Drops the deployments a tx closed (by its owner, or by anyone touching an account whose
    /// grace window ended) from the model, queueing their refunds.
    fn note_closed_accounts(&mut self, outcome: &TxOutcome) {
        for closed in outcome.catalogued::<supercloud_events::escrow::AccountClosed>() {
            let Some(tenant) = self
                .actors
                .tenants
                .iter()
                .position(|t| t.addr == closed.owner)
            else {
                continue;
            };
            let key = (tenant, closed.dseq);
            self.world.deployments.remove(&key);
            if closed.refunds_pending > 0 && !self.world.refunds.contains(&key) {
                self.world.refunds.push(key);
            }
        }
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
