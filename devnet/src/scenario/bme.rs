//! Burn-Mint Equilibrium: tenants queue AKT→ACT mints and ACT→AKT burns; the keeper runs
//! `process` when an epoch is due (after a fresh price).

use super::calls::Call;
use super::driver::Scenario;
use crate::chain::Chain;
use supercloud_events::bme as ev;

/// A tenant's expected mints per simulated day.
const MINTS_PER_TENANT_DAY: f64 = 0.25;
/// A tenant's expected burns per simulated day.
const BURNS_PER_TENANT_DAY: f64 = 0.05;

impl Scenario {
    /// Keeper epochs, then new mint and burn requests.
    pub(crate) fn bme(&mut self, chain: &mut Chain) -> anyhow::Result<()> {
        let (height, _) = Self::now(chain);
        if self.world.bme_pending > 0 && height >= self.world.bme_due {
            self.process(chain)?;
        }
        for tenant in 0..self.actors.tenants.len() {
            if self.chance(MINTS_PER_TENANT_DAY) {
                let usd = 2_000 + self.pick(28_000) as u128;
                self.mint(chain, tenant, usd)?;
            }
            if self.chance(BURNS_PER_TENANT_DAY) {
                self.burn(chain, tenant)?;
            }
        }
        Ok(())
    }

    /// ACT balance of tenant `tenant` (uact).
    pub(crate) fn act_balance(&self, chain: &Chain, tenant: usize) -> anyhow::Result<u128> {
        let Some(who) = self.actors.tenants.get(tenant) else {
            return Ok(0);
        };
        let res: bme::msg::BalanceResponse = chain.query_smart(
            self.suite.addr("bme")?,
            &bme::msg::QueryMsg::Balance {
                address: who.addr.to_string(),
            },
        )?;
        Ok(res.balance.u128())
    }

    /// Tenant `tenant` queues a mint of `usd` dollars' worth of AKT.
    pub(crate) fn mint(
        &mut self,
        chain: &mut Chain,
        tenant: usize,
        usd: u128,
    ) -> anyhow::Result<()> {
        self.ensure_price(chain)?;
        let uakt = usd * 1_000_000 * 1_000 / self.price_milli();
        let Some(who) = self.actors.tenants.get(tenant).cloned() else {
            return Ok(());
        };
        let call = Call::new("bme", &bme::msg::ExecuteMsg::MintAct {})?.funds("uakt", uakt);
        let outcome = self.send(chain, &who, vec![call], "bme.mint")?;
        if outcome.code == 0 {
            self.queued(chain)?;
        }
        Ok(())
    }

    fn burn(&mut self, chain: &mut Chain, tenant: usize) -> anyhow::Result<()> {
        let balance = self.act_balance(chain, tenant)?;
        if balance < 1_000_000_000 {
            return Ok(());
        }
        self.ensure_price(chain)?;
        let amount = balance / 100 * (5 + self.pick(20) as u128);
        let Some(who) = self.actors.tenants.get(tenant).cloned() else {
            return Ok(());
        };
        let call = Call::new(
            "bme",
            &bme::msg::ExecuteMsg::BurnAct {
                amount: amount.into(),
            },
        )?;
        let outcome = self.send(chain, &who, vec![call], "bme.burn")?;
        if outcome.code == 0 {
            self.queued(chain)?;
        }
        Ok(())
    }

    /// Notes a queued request and when the next epoch is due.
    fn queued(&mut self, chain: &Chain) -> anyhow::Result<()> {
        self.world.bme_pending += 1;
        self.refresh_due(chain)
    }

    fn refresh_due(&mut self, chain: &Chain) -> anyhow::Result<()> {
        let status: bme::msg::StatusResponse =
            chain.query_smart(self.suite.addr("bme")?, &bme::msg::QueryMsg::Status {})?;
        self.world.bme_due = status.next_mint_epoch.min(status.next_burn_epoch);
        Ok(())
    }

    fn process(&mut self, chain: &mut Chain) -> anyhow::Result<()> {
        self.ensure_price(chain)?;
        let keeper = self.actors.keeper.clone();
        let call = Call::new("bme", &bme::msg::ExecuteMsg::Process { limit: None })?;
        let outcome = self.send(chain, &keeper, vec![call], "bme.process")?;
        let done = outcome.catalogued::<ev::RecordExecuted>().len()
            + outcome.catalogued::<ev::RecordCancelled>().len();
        self.world.bme_pending = self.world.bme_pending.saturating_sub(done as u64);
        self.refresh_due(chain)?;
        let (height, _) = Self::now(chain);
        if self.world.bme_due <= height {
            // Nothing became due later (e.g. only retries are left): try again in an hour.
            self.world.bme_due = height + self.blocks_per_hour();
        }
        Ok(())
    }
}
