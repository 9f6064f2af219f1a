//! Governance during the history: pilots are created by proposals (submitted, voted by every
//! validator, executed by the gov end blocker), like any authority action on Akash.

use cosmwasm_std::{Decimal256, Uint256};
use pip::msg::{Eligibility, ModelRate, PilotKind};
use pip::msg::{ExecuteMsg, NewPilot, PilotsResponse, QueryMsg};

use super::calls::sdk_numbers;
use super::driver::{Scenario, DAY_S};
use super::world::{PendingProposal, PilotModel};
use crate::chain::gov::{self, ProposalStatus};
use crate::chain::Chain;
use crate::proto::gov::{MsgSubmitProposal, MsgVote, VoteOption};
use crate::proto::wasm::MsgExecuteContract;
use crate::proto::{Any, Coin, Named};

/// Gas limit of proposal and vote txs.
const GOV_GAS: u64 = 2_000_000;

impl Scenario {
    /// Submits the scheduled proposals and follows the ones being voted on.
    pub(crate) fn governance(&mut self, chain: &mut Chain) -> anyhow::Result<()> {
        // A committed pilot from day 1 and a liquidity pilot from day 12, each renewed monthly.
        let day = self.day(chain);
        for (committed, first, title) in [
            (true, 1, "Committed H100/A100 incentive pilot"),
            (false, 12, "Liquidity incentive pilot"),
        ] {
            if day < first {
                continue;
            }
            let name = format!("{title} #{}", (day - first) / 30 + 1);
            if self.world.proposed.contains(&name) {
                continue;
            }
            self.world.proposed.push(name.clone());
            let msg = self.pilot_msg(chain, committed)?;
            self.propose(chain, &name, vec![msg])?;
        }
        let pending = std::mem::take(&mut self.world.proposals);
        for p in pending {
            match gov::proposal(chain, p.id)?.map(|x| x.status) {
                Some(ProposalStatus::VotingPeriod) => self.world.proposals.push(p),
                Some(ProposalStatus::Passed) => self.discover_pilots(chain)?,
                _ => self
                    .stats
                    .unexpected
                    .push(format!("proposal {} ({}) did not pass", p.id, p.what)),
            }
        }
        Ok(())
    }

    /// `MsgExecuteContract` from the gov module creating a pilot funded from its account.
    fn pilot_msg(&mut self, chain: &Chain, committed: bool) -> anyhow::Result<Any> {
        let (height, _) = Self::now(chain);
        let per_day = DAY_S / self.step_s;
        let start = height + per_day / 4;
        let (days, budget, kind) = if committed {
            (
                30,
                400_000u128,
                PilotKind::Committed {
                    rates: vec![
                        ModelRate {
                            gpu_model: "h100".into(),
                            usd_per_gpu_hour: Decimal256::permille(250),
                        },
                        ModelRate {
                            gpu_model: "a100".into(),
                            usd_per_gpu_hour: Decimal256::permille(150),
                        },
                    ],
                    decimals: 6,
                },
            )
        } else {
            (
                21,
                100_000u128,
                PilotKind::Liquidity {
                    tokens_per_epoch: Uint256::from(3_000u128 * 1_000_000),
                    decimals: None,
                },
            )
        };
        let models: Vec<String> = if committed {
            vec!["h100".into(), "a100".into()]
        } else {
            vec!["h100".into(), "a100".into(), "rtx4090".into()]
        };
        let pilot = NewPilot {
            name: if committed {
                "H100/A100 committed pilot".into()
            } else {
                "GPU liquidity pilot".into()
            },
            start,
            end: start + days * per_day,
            epoch_length: per_day,
            eligible: Eligibility {
                gpu_models: models,
                min_gpu_count: None,
            },
            kind,
            volatility_buffer_bps: 1_000,
            return_target: None,
            admin: Some(self.actors.pilot_admin.addr.to_string()),
            // Payouts at most 3x what others paid the provider for the epoch's work.
            max_payout_multiple: cosmwasm_std::Decimal256::from_ratio(3u8, 1u8),
        };
        Ok(MsgExecuteContract {
            sender: chain.gov().to_string(),
            contract: self.suite.addr("pip")?.to_string(),
            msg: serde_json::to_vec(&ExecuteMsg::CreatePilot(pilot))?,
            funds: vec![Coin::new(budget * 1_000_000, "uakt")],
        }
        .to_any())
    }

    /// Submits a proposal and has every validator vote yes in the same block.
    pub(crate) fn propose(
        &mut self,
        chain: &mut Chain,
        what: &str,
        msgs: Vec<Any>,
    ) -> anyhow::Result<()> {
        let proposer = self.actors.proposer.clone();
        let submit = MsgSubmitProposal {
            messages: msgs,
            initial_deposit: vec![Coin::new(chain.config().min_deposit, &chain.config().denom)],
            proposer: proposer.addr.to_string(),
            metadata: String::new(),
            title: what.to_string(),
            summary: what.to_string(),
            expedited: false,
        };
        let tx = chain.sign(&proposer.addr, vec![submit.to_any()], GOV_GAS)?;
        let outcome = self.deliver_raw(chain, tx, &[], "gov.submit", false);
        let Some(id) = sdk_numbers(&outcome, "submit_proposal", "proposal_id")
            .first()
            .copied()
        else {
            return Ok(());
        };
        for voter in self.actors.validators.clone() {
            let vote = MsgVote {
                proposal_id: id,
                voter: voter.addr.to_string(),
                option: VoteOption::Yes as i32,
                metadata: String::new(),
            };
            let tx = chain.sign(&voter.addr, vec![vote.to_any()], GOV_GAS)?;
            self.deliver_raw(chain, tx, &[], "gov.vote", false);
        }
        self.world.proposals.push(PendingProposal {
            id,
            what: what.to_string(),
        });
        Ok(())
    }

    /// Adds pilots created since the last look.
    fn discover_pilots(&mut self, chain: &Chain) -> anyhow::Result<()> {
        let start_after = self.world.pilots.last().map(|p| p.id);
        let res: PilotsResponse = chain.query_smart(
            self.suite.addr("pip")?,
            &QueryMsg::Pilots {
                start_after,
                limit: Some(30),
            },
        )?;
        for p in res.pilots {
            self.world.pilots.push(PilotModel {
                id: p.pilot.id,
                start: p.pilot.start,
                end: p.pilot.end,
                epoch_length: p.pilot.epoch_length,
                epochs: p.pilot.epochs,
                next_epoch: p.pilot.next_epoch,
                requested: Vec::new(),
                closed: false,
            });
        }
        Ok(())
    }
}
