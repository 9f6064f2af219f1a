//! Deployments on the escrow: tenants open accounts (uakt, or ACT through the bme hook) with
//! one to three leases and top them up (themselves or from a sponsor's allowance); sponsors fund
//! allowances. Closing, refunds and re-pricing are in `closing`.

use cosmwasm_std::Decimal256;
use escrow::msg::Resources;
use escrow::msg::{ExecuteMsg, ReceiveHook, ScopeMsg, SourceMsg};

use super::calls::Call;
use super::driver::{Scenario, DAY_S};
use super::world::{Deployment, Lease, GPU_MODELS};
use crate::chain::Chain;
use supercloud_events::escrow as ev;

/// `d` rounded up, saturating at `u128::MAX`.
pub(crate) fn ceil_u128(d: Decimal256) -> u128 {
    cosmwasm_std::Uint128::try_from(d.to_uint_ceil()).map_or(u128::MAX, |u| u.u128())
}

/// A sponsor's expected new allowances per simulated day.
const GRANTS_PER_SPONSOR_DAY: f64 = 0.4;

impl Scenario {
    /// Allowances, new deployments, top-ups, closes, refunds.
    pub(crate) fn escrow(&mut self, chain: &mut Chain) -> anyhow::Result<()> {
        for sponsor in 0..self.actors.sponsors.len() {
            if self.chance(GRANTS_PER_SPONSOR_DAY) {
                self.grant(chain, sponsor)?;
            }
        }
        for tenant in 0..self.actors.tenants.len() {
            if self.chance(self.cfg.deployments_per_tenant_day) {
                self.open_deployment(chain, tenant)?;
            }
        }
        let (_, now) = Self::now(chain);
        let due_top_ups: Vec<(usize, u64)> = self
            .world
            .deployments
            .iter()
            .filter(|(_, d)| d.top_up_at_s.is_some_and(|t| t <= now))
            .map(|(k, _)| *k)
            .collect();
        for key in due_top_ups {
            self.top_up(chain, key)?;
        }
        let due_closes: Vec<(usize, u64)> = self
            .world
            .deployments
            .iter()
            .filter(|(_, d)| d.close_at_s <= now)
            .map(|(k, _)| *k)
            .collect();
        for key in due_closes {
            self.close_deployment(chain, key)?;
        }
        self.refunds(chain)
    }

    /// Units of `denom` per hour for `usd_milli` milli-USD per hour.
    fn per_hour(&self, denom: &str, usd_milli: u128) -> u128 {
        if denom == "uact" {
            usd_milli * 1_000
        } else {
            usd_milli * 1_000_000 / self.price_milli()
        }
    }

    /// Rate per block in the current phase for `per_hour` units per hour.
    fn rate_per_block(&self, per_hour: u128) -> Decimal256 {
        Decimal256::from_ratio(per_hour * u128::from(self.step_s), 3_600u128)
    }

    fn random_lease(&mut self) -> (usize, String, u32, u128) {
        let provider = self.pick(self.actors.providers.len());
        let roll = self.pick(100);
        let model = match roll {
            0..=29 => 0,
            30..=54 => 1,
            55..=74 => 2,
            _ => 3,
        };
        let (name, list) = GPU_MODELS[model];
        let count: u32 = match name {
            "h100" | "a100" => [1, 2, 4, 8][self.pick(4)],
            "rtx4090" => 1 + self.pick(4) as u32,
            _ => 0,
        };
        let units = u128::from(count.max(1));
        let jitter = 80 + self.pick(41) as u128;
        (
            provider,
            name.to_string(),
            count,
            list * units * jitter / 100,
        )
    }

    fn open_deployment(&mut self, chain: &mut Chain, tenant: usize) -> anyhow::Result<()> {
        let Some(owner) = self.actors.tenants.get(tenant).cloned() else {
            return Ok(());
        };
        let dseq = {
            let next = self.world.next_dseq.entry(tenant).or_insert(1);
            let d = *next;
            *next += 1;
            d
        };
        let n = 1 + self.pick(3);
        let leases: Vec<(usize, String, u32, u128)> = (0..n).map(|_| self.random_lease()).collect();
        let usd_total: u128 = leases.iter().map(|l| l.3).sum();
        let days = 1 + self.pick(14) as u64;
        let underfund = self.flip(0.1);
        let want_act = self.pick(100) < 30;
        let mut denom = "uakt";
        let blocks = days * DAY_S / self.step_s;
        let deposit_for = |per_block: u128| -> u128 {
            let full = per_block * u128::from(blocks) * 115 / 100;
            if underfund { full / 2 } else { full }.max(1)
        };
        if want_act {
            let per_block = self.rate_per_block(self.per_hour("uact", usd_total));
            let need = deposit_for(ceil_u128(per_block));
            if self.act_balance(chain, tenant)? >= need {
                denom = "uact";
            }
        }
        let mut payments = Vec::with_capacity(leases.len());
        let mut per_block_total = Decimal256::zero();
        for (provider, model, count, usd) in &leases {
            let rate = self.rate_per_block(self.per_hour(denom, *usd));
            per_block_total += rate;
            payments.push((*provider, model.clone(), *count, *usd, rate));
        }
        let per_block: u128 = ceil_u128(per_block_total);
        let deposit = deposit_for(per_block);
        let escrow_addr = self.suite.addr("escrow")?.to_string();
        let mut calls = vec![if denom == "uact" {
            Call::act_send(
                "escrow",
                &escrow_addr,
                deposit,
                &ReceiveHook::OpenAccount { dseq },
            )?
        } else {
            Call::new(
                "escrow",
                &ExecuteMsg::OpenAccount {
                    dseq,
                    denom: denom.into(),
                },
            )?
            .funds(denom, deposit)
        }];
        for (provider, model, count, _, rate) in &payments {
            let provider_addr = self.provider_addr(*provider)?;
            calls.push(Call::new(
                "escrow",
                &ExecuteMsg::OpenPayment {
                    dseq,
                    provider: provider_addr,
                    rate: *rate,
                    resources: Resources {
                        gpu_model: model.clone(),
                        gpu_count: *count,
                    },
                },
            )?);
        }
        let outcome = self.send(chain, &owner, calls, "escrow.open")?;
        if outcome.code != 0 {
            return Ok(());
        }
        let ids: Vec<u64> = outcome
            .catalogued::<ev::PaymentOpened>()
            .iter()
            .map(|e| e.payment_id)
            .collect();
        let (_, now) = Self::now(chain);
        let lifetime = days * DAY_S;
        let top_up = if underfund {
            self.flip(0.5).then_some(now + lifetime * 35 / 100)
        } else {
            self.flip(0.4).then_some(now + lifetime * 60 / 100)
        };
        let leases = payments
            .into_iter()
            .zip(ids)
            .map(
                |((provider, gpu_model, gpu_count, usd, rate), payment_id)| Lease {
                    payment_id,
                    provider,
                    gpu_model,
                    gpu_count,
                    rate: rate.to_string(),
                    usd_milli_per_hour: usd,
                },
            )
            .collect();
        self.world.deployments.insert(
            (tenant, dseq),
            Deployment {
                owner: tenant,
                dseq,
                denom: denom.to_string(),
                leases,
                close_at_s: now + lifetime,
                top_up_at_s: top_up,
                per_block,
            },
        );
        Ok(())
    }

    fn grant(&mut self, chain: &mut Chain, sponsor: usize) -> anyhow::Result<()> {
        let tenant = self.pick(self.actors.tenants.len());
        let (Some(who), Some(grantee)) = (
            self.actors.sponsors.get(sponsor).cloned(),
            self.actors.tenants.get(tenant).cloned(),
        ) else {
            return Ok(());
        };
        let amount = (5_000 + self.pick(45_000) as u128) * 1_000_000;
        let call = Call::new(
            "escrow",
            &ExecuteMsg::GrantAllowance {
                grantee: grantee.addr.to_string(),
                scope: ScopeMsg::Owner {
                    owner: grantee.addr.to_string(),
                },
                expires_at: None,
            },
        )?
        .funds("uakt", amount);
        let outcome = self.send(chain, &who, vec![call], "escrow.grant")?;
        if outcome.code == 0 {
            self.world
                .allowances
                .insert((sponsor, tenant), "uakt".into());
        }
        Ok(())
    }

    fn top_up(&mut self, chain: &mut Chain, key: (usize, u64)) -> anyhow::Result<()> {
        let Some(dep) = self.world.deployments.get_mut(&key) else {
            return Ok(());
        };
        dep.top_up_at_s = None;
        let dep = dep.clone();
        let account = self.account_state(chain, key)?;
        let (height, _) = Self::now(chain);
        let lapsed = account.grace_until.is_some_and(|g| height > g);
        if account.state == escrow::msg::AccountState::Closed || lapsed {
            return self.close_deployment(chain, key);
        }
        let Some(owner) = self.actors.tenants.get(dep.owner).cloned() else {
            return Ok(());
        };
        let (_, now) = Self::now(chain);
        let blocks_left = dep.close_at_s.saturating_sub(now) / self.step_s + 1;
        let amount = (dep.per_block * u128::from(blocks_left) * 120 / 100).max(1);
        let sponsor = self
            .world
            .allowances
            .keys()
            .find(|(_, t)| *t == dep.owner)
            .map(|(s, _)| *s);
        let call = if dep.denom == "uact" {
            let escrow_addr = self.suite.addr("escrow")?.to_string();
            Call::act_send(
                "escrow",
                &escrow_addr,
                amount,
                &ReceiveHook::Deposit {
                    owner: owner.addr.to_string(),
                    dseq: dep.dseq,
                },
            )?
        } else {
            let mut sources = Vec::new();
            if let Some(s) = sponsor.and_then(|s| self.actors.sponsors.get(s)) {
                sources.push(SourceMsg::Allowance {
                    granter: s.addr.to_string(),
                });
            }
            sources.push(SourceMsg::Funds {});
            Call::new(
                "escrow",
                &ExecuteMsg::Deposit {
                    owner: owner.addr.to_string(),
                    dseq: dep.dseq,
                    amount: amount.into(),
                    sources,
                },
            )?
            .funds("uakt", amount)
        };
        self.send(chain, &owner, vec![call], "escrow.top_up")?;
        Ok(())
    }
}
