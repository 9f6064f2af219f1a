//! The end of a deployment's life: the owner closes it (or anyone, once an overdrawn account's
//! grace window ended), the keeper finishes the refunds, and at the switch to live blocks the
//! leases are re-priced to the new block length.

use std::str::FromStr;

use cosmwasm_std::Decimal256;
use escrow::msg::ExecuteMsg;
use escrow::msg::Resources;

use super::calls::Call;
use super::driver::Scenario;
use super::escrow::ceil_u128;
use crate::chain::Chain;
use supercloud_events::escrow as ev;

/// Most refund calls the keeper makes per block.
const REFUNDS_PER_BLOCK: usize = 5;

impl Scenario {
    /// The account's state on chain.
    pub(crate) fn account_state(
        &self,
        chain: &Chain,
        key: (usize, u64),
    ) -> anyhow::Result<escrow::msg::AccountResponse> {
        let owner = self
            .actors
            .tenants
            .get(key.0)
            .ok_or_else(|| anyhow::anyhow!("no tenant {}", key.0))?;
        chain.query_smart(
            self.suite.addr("escrow")?,
            &escrow::msg::QueryMsg::Account {
                owner: owner.addr.to_string(),
                dseq: key.1,
            },
        )
    }

    pub(crate) fn close_deployment(
        &mut self,
        chain: &mut Chain,
        key: (usize, u64),
    ) -> anyhow::Result<()> {
        let Some(dep) = self.world.deployments.remove(&key) else {
            return Ok(());
        };
        let Some(owner) = self.actors.tenants.get(dep.owner).cloned() else {
            return Ok(());
        };
        let account = self.account_state(chain, key)?;
        if account.state == escrow::msg::AccountState::Closed {
            // Someone else closed it once its grace window ended.
            if account.refunds_pending > 0 && !self.world.refunds.contains(&key) {
                self.world.refunds.push(key);
            }
            return Ok(());
        }
        let owner_addr = owner.addr.to_string();
        let mut calls = Vec::new();
        if account.state == escrow::msg::AccountState::Open && self.pick(100) < 30 {
            for lease in &dep.leases {
                calls.push(Call::new(
                    "escrow",
                    &ExecuteMsg::ClosePayment {
                        owner: owner_addr.clone(),
                        dseq: dep.dseq,
                        payment_id: lease.payment_id,
                    },
                )?);
            }
        }
        calls.push(Call::new(
            "escrow",
            &ExecuteMsg::CloseAccount {
                owner: owner_addr,
                dseq: dep.dseq,
            },
        )?);
        self.send(chain, &owner, calls, "escrow.close")?;
        Ok(())
    }

    /// Brings the model in line with an account the chain moved on its own (overdrawn past its
    /// grace window and closed): the owner closes it if it is not closed yet, and it leaves the
    /// model.
    pub(crate) fn reconcile(&mut self, chain: &mut Chain, key: (usize, u64)) -> anyhow::Result<()> {
        let account = self.account_state(chain, key)?;
        match account.state {
            escrow::msg::AccountState::Open => Ok(()),
            escrow::msg::AccountState::Overdrawn => self.close_deployment(chain, key),
            escrow::msg::AccountState::Closed => self.close_deployment(chain, key),
        }
    }

    pub(crate) fn refunds(&mut self, chain: &mut Chain) -> anyhow::Result<()> {
        let todo: Vec<(usize, u64)> = self
            .world
            .refunds
            .iter()
            .take(REFUNDS_PER_BLOCK)
            .copied()
            .collect();
        let keeper = self.actors.keeper.clone();
        for (tenant, dseq) in todo {
            let Some(owner) = self.actors.tenants.get(tenant) else {
                continue;
            };
            let owner = owner.addr.to_string();
            let call = Call::new(
                "escrow",
                &ExecuteMsg::Refund {
                    owner: owner.clone(),
                    dseq,
                },
            )?;
            self.send(chain, &keeper, vec![call], "escrow.refund")?;
            let account: escrow::msg::AccountResponse = chain.query_smart(
                self.suite.addr("escrow")?,
                &escrow::msg::QueryMsg::Account { owner, dseq },
            )?;
            if account.refunds_pending == 0 {
                self.world.refunds.retain(|k| *k != (tenant, dseq));
            }
        }
        Ok(())
    }

    /// Re-prices every open lease for a new block length: close and reopen at
    /// `rate × new_step / old_step` (same provider and resources).
    pub(crate) fn reprice(
        &mut self,
        chain: &mut Chain,
        old_step: u64,
        new_step: u64,
    ) -> anyhow::Result<()> {
        let keys: Vec<(usize, u64)> = self.world.deployments.keys().copied().collect();
        let factor = Decimal256::from_ratio(new_step, old_step.max(1));
        for key in keys {
            let Some(dep) = self.world.deployments.get(&key).cloned() else {
                continue;
            };
            let Some(owner) = self.actors.tenants.get(dep.owner).cloned() else {
                continue;
            };
            let account = self.account_state(chain, key)?;
            let running = account.state == escrow::msg::AccountState::Open
                && account.preview.debt.is_zero()
                && account.preview.exhausted_at.is_none();
            if !running {
                // Out of funds: the owner winds it down instead of re-pricing.
                self.close_deployment(chain, key)?;
                continue;
            }
            let mut calls = Vec::new();
            let mut per_block = Decimal256::zero();
            let mut rates = Vec::new();
            for lease in &dep.leases {
                let rate = Decimal256::from_str(&lease.rate)
                    .map_err(|e| anyhow::anyhow!("lease rate {}: {e}", lease.rate))?
                    * factor;
                per_block += rate;
                rates.push(rate);
                calls.push(Call::new(
                    "escrow",
                    &ExecuteMsg::ClosePayment {
                        owner: owner.addr.to_string(),
                        dseq: dep.dseq,
                        payment_id: lease.payment_id,
                    },
                )?);
                calls.push(Call::new(
                    "escrow",
                    &ExecuteMsg::OpenPayment {
                        dseq: dep.dseq,
                        provider: self.provider_addr(lease.provider)?,
                        rate,
                        resources: Resources {
                            gpu_model: lease.gpu_model.clone(),
                            gpu_count: lease.gpu_count,
                        },
                    },
                )?);
            }
            if calls.is_empty() {
                continue;
            }
            let outcome = self.send(chain, &owner, calls, "escrow.reprice")?;
            if outcome.code != 0 {
                // An overdrawn account cannot open payments: the owner closes it instead.
                self.close_deployment(chain, key)?;
                continue;
            }
            let ids: Vec<u64> = outcome
                .catalogued::<ev::PaymentOpened>()
                .iter()
                .map(|e| e.payment_id)
                .collect();
            if let Some(dep) = self.world.deployments.get_mut(&key) {
                for ((lease, id), rate) in dep.leases.iter_mut().zip(ids).zip(rates) {
                    lease.payment_id = id;
                    lease.rate = rate.to_string();
                }
                dep.per_block = ceil_u128(per_block);
            }
        }
        Ok(())
    }
}
