//! Providers collect what their leases settled, in rounds of withdrawals.

use escrow::msg::ExecuteMsg;

use super::calls::Call;
use super::driver::Scenario;
use crate::chain::Chain;

/// Chain seconds between a provider's withdrawal rounds.
const WITHDRAW_EVERY_S: u64 = 8 * 3_600;
/// Most withdrawals in one tx.
const WITHDRAWALS_PER_TX: usize = 20;

impl Scenario {
    /// Each provider whose round is due withdraws from its leases.
    pub(crate) fn withdrawals(&mut self, chain: &mut Chain) -> anyhow::Result<()> {
        let (_, now) = Self::now(chain);
        for provider in 0..self.actors.providers.len() {
            let due = self
                .world
                .next_withdraw_s
                .get(&provider)
                .copied()
                .unwrap_or(now + self.pick(WITHDRAW_EVERY_S as usize) as u64);
            if due > now {
                self.world.next_withdraw_s.insert(provider, due);
                continue;
            }
            self.world
                .next_withdraw_s
                .insert(provider, now + WITHDRAW_EVERY_S);
            let mut calls = Vec::new();
            let mut keys = Vec::new();
            for (key, dep) in &self.world.deployments {
                let Some(owner) = self.actors.tenants.get(dep.owner) else {
                    continue;
                };
                // One withdrawal per account per tx: touching an account whose grace window
                // ended closes it (paying every lease out), and a second withdrawal in the same
                // tx would then hit a closed payment.
                let mine: Vec<_> = dep
                    .leases
                    .iter()
                    .filter(|l| l.provider == provider)
                    .collect();
                let turn = (now / WITHDRAW_EVERY_S) as usize;
                if let Some(lease) = mine.get(turn % mine.len().max(1)) {
                    keys.push(*key);
                    calls.push(Call::new(
                        "escrow",
                        &ExecuteMsg::Withdraw {
                            owner: owner.addr.to_string(),
                            dseq: dep.dseq,
                            payment_id: lease.payment_id,
                        },
                    )?);
                }
            }
            calls.truncate(WITHDRAWALS_PER_TX);
            if calls.is_empty() {
                continue;
            }
            let Some(who) = self.actors.providers.get(provider).cloned() else {
                continue;
            };
            let outcome = self.send(chain, &who, calls.clone(), "escrow.withdraw")?;
            if outcome.code != 0 {
                // A lease whose account ran dry and closed: settle the books, retry next block.
                if let Some(key) = failed_index(&outcome.log).and_then(|i| keys.get(i).copied()) {
                    self.reconcile(chain, key)?;
                }
                self.world.next_withdraw_s.insert(provider, now);
            }
        }
        Ok(())
    }
}

/// The message index in a failed tx's log (`... message index: N: ...`).
pub(crate) fn failed_index(log: &str) -> Option<usize> {
    let rest = log.split("message index: ").nth(1)?;
    rest.split(':').next()?.trim().parse().ok()
}
