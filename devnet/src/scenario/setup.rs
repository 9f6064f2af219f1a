//! Before the traffic: a governance proposal appoints the auditor and funds the bme vault, then
//! providers register hosts, post bonds and get attested, and the relayer publishes a price.

use super::driver::Scenario;
use crate::chain::Chain;
use crate::genesis::pass_proposal;
use crate::node::ExecutedBlock;
use crate::proto::wasm::MsgExecuteContract;
use crate::proto::{Coin, Named};

/// AKT the gov module puts in the bme vault at setup.
const VAULT_FUNDING_AKT: u128 = 2_000_000;

impl Scenario {
    pub(crate) fn setup(
        &mut self,
        chain: &mut Chain,
        sink: &mut dyn FnMut(ExecutedBlock),
    ) -> anyhow::Result<()> {
        let gov = chain.gov().to_string();
        let appoint = MsgExecuteContract {
            sender: gov.clone(),
            contract: self.suite.addr("reservations")?.to_string(),
            msg: serde_json::to_vec(&reservations::msg::ExecuteMsg::AppointAuditor {
                auditor: self.actors.auditor.addr.to_string(),
            })?,
            funds: vec![],
        };
        let fund = MsgExecuteContract {
            sender: gov,
            contract: self.suite.addr("bme")?.to_string(),
            msg: serde_json::to_vec(&bme::msg::ExecuteMsg::FundVault {})?,
            funds: vec![Coin::new(VAULT_FUNDING_AKT * 1_000_000, "uakt")],
        };
        let proposer = self.actors.proposer.addr.clone();
        pass_proposal(
            chain,
            &proposer,
            "Appoint the hardware auditor and fund the BME vault",
            vec![appoint.to_any(), fund.to_any()],
            sink,
        )?;
        self.start_s = chain.time_s();

        chain.begin_block(chain.time_s() + chain.config().block_time_s);
        self.fresh_price = false;
        self.ensure_price(chain)?;
        self.register_hosts(chain)?;
        for tenant in 0..self.actors.tenants.len() {
            self.mint(chain, tenant, 20_000)?;
        }
        sink(chain.seal_block()?);
        self.stats.blocks += 1;
        Ok(())
    }
}
