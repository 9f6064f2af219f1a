//! What the scenario did: blocks, txs, failures, volume per contract, and every catalogue event
//! by type.

use std::collections::BTreeMap;
use std::fmt;

use crate::node::{AbciEvent, ExecutedBlock};

/// Messages and inflows of one contract.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContractStats {
    /// Execute messages addressed to it in successful txs.
    pub msgs: u64,
    /// Coins it received with those messages (and ACT sent into it via bme), by denom.
    pub volume: BTreeMap<String, u128>,
}

/// Counters of a scenario run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Blocks sealed.
    pub blocks: u64,
    /// Txs delivered.
    pub txs: u64,
    /// Txs that failed (code ≠ 0).
    pub failed: u64,
    /// Of those, the ones sent to fail on purpose.
    pub failed_on_purpose: u64,
    /// Failures nobody intended, with a few of their logs.
    pub unexpected: Vec<String>,
    /// Number of unintended failures.
    pub unexpected_count: u64,
    /// Per contract name.
    pub contracts: BTreeMap<String, ContractStats>,
    /// Txs per scenario action (e.g. `escrow.open`).
    pub actions: BTreeMap<String, u64>,
    /// Catalogue events of successful txs and block events, by `<contract>.<action>`.
    pub events: BTreeMap<String, u64>,
    /// Contract events that did not parse through the catalogue (0 unless contracts and
    /// catalogue disagree), with a few of the reasons.
    pub event_errors: Vec<String>,
    /// Number of contract events that did not parse.
    pub event_error_count: u64,
}

impl Stats {
    /// Records one delivered tx.
    pub(crate) fn record_tx(&mut self, action: &str, code: u32, on_purpose: bool, log: &str) {
        self.txs += 1;
        *self.actions.entry(action.to_string()).or_default() += 1;
        if code != 0 {
            self.failed += 1;
            if on_purpose {
                self.failed_on_purpose += 1;
            } else {
                self.note_unexpected(format!("{action}: {log}"));
            }
        }
    }

    /// Records something that should not have happened.
    pub(crate) fn note_unexpected(&mut self, what: String) {
        self.unexpected_count += 1;
        if self.unexpected.len() < 20 {
            self.unexpected.push(what);
        }
    }

    /// Records a successful message to `contract` carrying `coins` (denom, amount).
    pub(crate) fn record_msg(&mut self, contract: &str, coins: &[(String, u128)]) {
        let entry = self.contracts.entry(contract.to_string()).or_default();
        entry.msgs += 1;
        for (denom, amount) in coins {
            *entry.volume.entry(denom.clone()).or_default() += amount;
        }
    }

    /// Counts a sealed block and the catalogue events it carries (successful txs' events and
    /// block events; a failed tx changes nothing).
    pub(crate) fn record_block(&mut self, block: &ExecutedBlock) {
        self.blocks += 1;
        let tx_events = block
            .txs
            .iter()
            .filter(|t| t.outcome.code == 0)
            .flat_map(|t| &t.outcome.events);
        for event in tx_events.chain(&block.finalize_block_events) {
            self.record_event(event);
        }
    }

    fn record_event(&mut self, event: &AbciEvent) {
        match event.parsed() {
            Ok(Some(parsed)) => {
                let meta = parsed.event.meta();
                *self
                    .events
                    .entry(format!("{}.{}", meta.contract, meta.action))
                    .or_default() += 1;
            }
            Ok(None) => {}
            Err(e) => {
                self.event_error_count += 1;
                if self.event_errors.len() < 20 {
                    self.event_errors.push(format!("{}: {e}", event.kind));
                }
            }
        }
    }

    /// Catalogue events counted, all types together.
    pub fn event_total(&self) -> u64 {
        self.events.values().sum()
    }

    /// Count of catalogue event `<contract>.<action>`.
    pub fn event(&self, ty: &str) -> u64 {
        self.events.get(ty).copied().unwrap_or(0)
    }
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "blocks {}, txs {} ({} failed: {} on purpose, {} unexpected), catalogue events {}",
            self.blocks,
            self.txs,
            self.failed,
            self.failed_on_purpose,
            self.unexpected_count,
            self.event_total()
        )?;
        let leases_open = self
            .event("escrow.payment_opened")
            .saturating_sub(self.event("escrow.payment_closed"));
        writeln!(
            f,
            "  deployments opened {}, closed {}; leases opened {}, open now {}; mints {}, \
             reservations {}",
            self.event("escrow.account_opened"),
            self.event("escrow.account_closed"),
            self.event("escrow.payment_opened"),
            leases_open,
            self.event("bme.mint_requested"),
            self.event("reservations.reservation_requested"),
        )?;
        for (name, c) in &self.contracts {
            let volume: Vec<String> = c
                .volume
                .iter()
                .map(|(denom, amount)| format!("{amount}{denom}"))
                .collect();
            writeln!(
                f,
                "  {name:<13} {:>7} msgs  volume {}",
                c.msgs,
                volume.join(" ")
            )?;
        }
        for log in &self.unexpected {
            writeln!(f, "  unexpected: {log}")?;
        }
        for e in &self.event_errors {
            writeln!(f, "  event not in the catalogue: {e}")?;
        }
        Ok(())
    }
}
