//! Governance: every authority action is a proposal (submitted by the first validator, voted
//! yes by all, executed by the gov end blocker at the end of the voting period), as on Akash:
//! incentive pilots (created, cancelled), pauses, configuration, authority handovers, vault
//! funding, oracle sources, slashes and the suite upgrade.

use cosmwasm_std::{Decimal256, Uint256};
use pip::msg::{Eligibility, ExecuteMsg as PipMsg, ModelRate, NewPilot, PilotKind};
use pip::msg::{PilotsResponse, QueryMsg as PipQuery};
use serde::Serialize;

use crate::chain::gov::{self, ProposalStatus};
use crate::chain::Chain;
use crate::proto::gov::{MsgSubmitProposal, MsgVote, VoteOption};
use crate::proto::wasm::MsgExecuteContract;
use crate::proto::{Any, Coin, Named};
use crate::scenario::agenda::Agenda;
use crate::scenario::ctx::{sdk_numbers, Ctx, DAY_S};
use crate::scenario::world::PilotModel;

/// Gas limit of proposal and vote txs (an upgrade proposal carries the wasm of the suite).
const GOV_GAS: u64 = 400_000_000;
/// Gas limit of a vote.
const VOTE_GAS: u64 = 2_000_000;

/// What to do once a proposal passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Then {
    /// Nothing more.
    Nothing,
    /// Look up the pilots it created.
    DiscoverPilots,
    /// `contract` is now paused (`true`) or running again.
    Paused(&'static str, bool),
    /// The second relayer's source is on the oracle.
    RelayerBListed,
    /// The suite runs these code ids now (contract name, code id).
    Upgraded(Vec<(String, u64)>),
}

struct Pending {
    id: u64,
    what: String,
    then: Then,
}

/// A pilot governance creates at a planned time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PilotPlan {
    /// Committed USD per GPU-hour for H100/A100 over 30 days.
    Committed,
    /// Liquidity rewards for H100/A100/RTX 4090 over 21 days.
    Liquidity,
    /// A short committed pilot (6 days) that ends, settles and finalizes within a month.
    Short,
}

/// Proposals in flight and the planned pilots.
#[derive(Default)]
pub struct Governance {
    pending: Vec<Pending>,
    planned: Agenda<PilotPlan>,
}

impl Governance {
    /// Plans the pilots of the history: a committed pilot early on, and with the stress
    /// calendar a short one (finalizes) and a liquidity one (cancelled later).
    pub fn start(&mut self, ctx: &Ctx, chain: &Chain, days: u64) {
        let (_, now) = Ctx::now(chain);
        let span = days.max(1) * DAY_S;
        self.planned.at(now + span * 3 / 100, PilotPlan::Committed);
        if ctx.cfg.incidents {
            self.planned.at(now + span * 6 / 100, PilotPlan::Short);
            self.planned.at(now + span * 10 / 100, PilotPlan::Liquidity);
        }
    }

    /// Planned pilots, and follow-ups of proposals that ended.
    pub fn act(&mut self, ctx: &mut Ctx, chain: &mut Chain) -> anyhow::Result<()> {
        let (_, now) = Ctx::now(chain);
        for plan in self.planned.due(now) {
            let msg = pilot_msg(ctx, chain, plan)?;
            let title = match plan {
                PilotPlan::Committed => "Committed H100/A100 incentive pilot",
                PilotPlan::Liquidity => "GPU liquidity incentive pilot",
                PilotPlan::Short => "One-week RTX incentive trial",
            };
            self.propose(ctx, chain, title, vec![msg], Then::DiscoverPilots)?;
        }
        let pending = std::mem::take(&mut self.pending);
        for p in pending {
            match gov::proposal(chain, p.id)?.map(|x| x.status) {
                Some(ProposalStatus::VotingPeriod) => self.pending.push(p),
                Some(ProposalStatus::Passed) => follow_up(ctx, chain, &p.then)?,
                _ => ctx
                    .stats
                    .note_unexpected(format!("proposal {} ({}) did not pass", p.id, p.what)),
            }
        }
        Ok(())
    }

    /// Submits a proposal of `msgs` and has every validator vote yes in the same block; `then`
    /// runs once it passed. Returns its id.
    pub fn propose(
        &mut self,
        ctx: &mut Ctx,
        chain: &mut Chain,
        what: &str,
        msgs: Vec<Any>,
        then: Then,
    ) -> anyhow::Result<Option<u64>> {
        let proposer = ctx.cast.proposer.clone();
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
        let outcome = ctx.deliver_raw(chain, tx, &[], "gov.submit", false);
        let Some(id) = sdk_numbers(&outcome, "submit_proposal", "proposal_id")
            .first()
            .copied()
        else {
            return Ok(None);
        };
        for voter in ctx.cast.validators.clone() {
            let vote = MsgVote {
                proposal_id: id,
                voter: voter.addr.to_string(),
                option: VoteOption::Yes as i32,
                metadata: String::new(),
            };
            let tx = chain.sign(&voter.addr, vec![vote.to_any()], VOTE_GAS)?;
            ctx.deliver_raw(chain, tx, &[], "gov.vote", false);
        }
        self.pending.push(Pending {
            id,
            what: what.to_string(),
            then,
        });
        Ok(Some(id))
    }

    /// Whether no proposal is in its voting period.
    pub fn idle(&self) -> bool {
        self.pending.is_empty()
    }
}

/// A `MsgExecuteContract` from the gov module on contract `name`, with `funds` attached.
pub fn exec<M: Serialize>(
    ctx: &Ctx,
    chain: &Chain,
    name: &str,
    msg: &M,
    funds: Vec<Coin>,
) -> anyhow::Result<Any> {
    Ok(MsgExecuteContract {
        sender: chain.gov().to_string(),
        contract: ctx.addr(name)?,
        msg: serde_json::to_vec(msg)?,
        funds,
    }
    .to_any())
}

fn follow_up(ctx: &mut Ctx, chain: &Chain, then: &Then) -> anyhow::Result<()> {
    match then {
        Then::Nothing => Ok(()),
        Then::DiscoverPilots => discover_pilots(ctx, chain),
        Then::Paused(contract, paused) => {
            if *paused {
                ctx.world.market.paused.insert(contract);
            } else {
                ctx.world.market.paused.remove(contract);
            }
            Ok(())
        }
        Then::RelayerBListed => {
            ctx.world.market.relayer_b_listed = true;
            Ok(())
        }
        Then::Upgraded(codes) => {
            for (name, id) in codes {
                ctx.suite.code_ids.insert(name.clone(), *id);
            }
            ctx.suite.previous_release.clear();
            Ok(())
        }
    }
}

/// The gov module creates a pilot funded from its account.
fn pilot_msg(ctx: &Ctx, chain: &Chain, plan: PilotPlan) -> anyhow::Result<Any> {
    let (height, _) = Ctx::now(chain);
    let per_day = ctx.blocks(DAY_S);
    let start = height + per_day / 4;
    let committed = |rates: &[(&str, u64)]| PilotKind::Committed {
        rates: rates
            .iter()
            .map(|(m, permille)| ModelRate {
                gpu_model: m.to_string(),
                usd_per_gpu_hour: Decimal256::permille(*permille),
            })
            .collect(),
        decimals: 6,
    };
    let (name, days, budget_akt, kind, models): (&str, u64, u128, PilotKind, &[&str]) = match plan {
        PilotPlan::Committed => (
            "H100/A100 committed pilot",
            30,
            400_000,
            committed(&[("h100", 250), ("a100", 150)]),
            &["h100", "a100"],
        ),
        PilotPlan::Liquidity => (
            "GPU liquidity pilot",
            21,
            100_000,
            PilotKind::Liquidity {
                tokens_per_epoch: Uint256::from(3_000u128 * 1_000_000),
                decimals: None,
            },
            &["h100", "a100", "rtx4090"],
        ),
        PilotPlan::Short => (
            "RTX one-week trial",
            6,
            20_000,
            committed(&[("rtx4090", 60), ("l40s", 90)]),
            &["rtx4090", "l40s"],
        ),
    };
    let pilot = NewPilot {
        name: name.into(),
        start,
        end: start + days * per_day,
        epoch_length: per_day,
        eligible: Eligibility {
            gpu_models: models.iter().map(|m| m.to_string()).collect(),
            min_gpu_count: None,
        },
        kind,
        volatility_buffer_bps: 1_000,
        return_target: None,
        admin: Some(ctx.cast.pilot_admin.addr.to_string()),
        max_payout_multiple: Decimal256::from_ratio(3u8, 1u8),
    };
    exec(
        ctx,
        chain,
        "pip",
        &PipMsg::CreatePilot(pilot),
        vec![Coin::new(budget_akt * 1_000_000, "uakt")],
    )
}

/// Adds the pilots created since the last look.
fn discover_pilots(ctx: &mut Ctx, chain: &Chain) -> anyhow::Result<()> {
    let start_after = ctx.world.pilots.last().map(|p| p.id);
    let res: PilotsResponse = ctx.query(
        chain,
        "pip",
        &PipQuery::Pilots {
            start_after,
            limit: Some(30),
        },
    )?;
    for p in res.pilots {
        ctx.world.pilots.push(PilotModel {
            id: p.pilot.id,
            start: p.pilot.start,
            end: p.pilot.end,
            epoch_length: p.pilot.epoch_length,
            epochs: p.pilot.epochs,
            next_epoch: p.pilot.next_epoch,
            requested: Default::default(),
            closed: false,
        });
    }
    Ok(())
}
