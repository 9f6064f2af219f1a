//! What the scenario did: blocks, txs, failures and volume per contract.

use std::collections::BTreeMap;
use std::fmt;

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
                self.unexpected_count += 1;
                if self.unexpected.len() < 20 {
                    self.unexpected.push(format!("{action}: {log}"));
                }
            }
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
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "blocks {}, txs {} ({} failed: {} on purpose, {} unexpected)",
            self.blocks, self.txs, self.failed, self.failed_on_purpose, self.unexpected_count
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
        Ok(())
    }
}
