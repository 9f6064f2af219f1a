//! x/gov v1 (simplified): proposals with messages, a deposit, votes weighted by validator power
//! and an end blocker that tallies at the end of the voting period and executes a passed
//! proposal's messages as the gov module, all or nothing.
//!
//! Simplifications: a proposal enters its voting period at submission whatever its deposit
//! (no deposit period); only validators' votes carry power (each validator has the configured
//! power, nobody delegates); deposits are refunded when the proposal passes, fails or is
//! rejected without veto, and kept by the gov account on a veto.

use cosmwasm_std::{Addr, BankMsg, Binary, Coin};
use cw_multi_test::Executor;
use prost::Message;
use serde::{Deserialize, Serialize};

use super::codes::Created;
use super::core::Chain;
use super::errors::{bank_error, TxError};
use super::events;
use super::kv;
use super::msgs::{coins, ChainMsg};
use crate::node::AbciEvent;
use crate::proto::gov::{MsgSubmitProposal, MsgSubmitProposalResponse, MsgVote, VoteOption};
use crate::proto::Any;

/// Quorum: share of all voting power that must vote.
const QUORUM: (u64, u64) = (334, 1000);
/// Threshold: share of non-abstaining power that must vote yes.
const THRESHOLD: (u64, u64) = (1, 2);
/// Veto: share of voting power that, voting no-with-veto, rejects and burns the deposit.
const VETO: (u64, u64) = (334, 1000);

/// Where a proposal is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProposalStatus {
    /// Being voted on.
    VotingPeriod,
    /// Passed and its messages executed.
    Passed,
    /// Did not pass.
    Rejected,
    /// Passed, but a message failed (nothing it did was kept).
    Failed,
}

/// A message of a proposal, as submitted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMsg {
    /// Type URL.
    pub type_url: String,
    /// Protobuf bytes.
    pub value: Binary,
}

/// A proposal as the chain stores it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    /// Id (from 1).
    pub id: u64,
    /// Who submitted it.
    pub proposer: String,
    /// Messages run as the gov module if it passes.
    pub messages: Vec<StoredMsg>,
    /// Deposit held by the gov module account.
    pub deposit: Vec<Coin>,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Height it was submitted at.
    pub submit_height: u64,
    /// Chain time its voting period ends (seconds).
    pub voting_end_s: u64,
    /// Current status.
    pub status: ProposalStatus,
    /// Why it failed, when it did.
    pub log: String,
}

fn proposal_key(id: u64) -> Vec<u8> {
    kv::key(&[b"gov", b"proposal", &id.to_be_bytes()])
}

fn vote_key(id: u64, voter: &str) -> Vec<u8> {
    kv::key(&[b"gov", b"vote", &id.to_be_bytes(), voter.as_bytes()])
}

fn active_key() -> Vec<u8> {
    kv::key(&[b"gov", b"active"])
}

fn next_id_key() -> Vec<u8> {
    kv::key(&[b"gov", b"next_id"])
}

/// The proposal `id`.
pub fn proposal(chain: &Chain, id: u64) -> anyhow::Result<Option<Proposal>> {
    kv::load(chain.app.storage(), &proposal_key(id))
}

/// `MsgSubmitProposal`: validates the messages (each must be signed by the gov module and be
/// one the chain executes), takes the deposit, opens the voting period.
pub(crate) fn submit(
    chain: &mut Chain,
    proposer: &Addr,
    msg: &MsgSubmitProposal,
) -> Result<(Vec<AbciEvent>, Vec<u8>), TxError> {
    if msg.messages.is_empty() {
        return Err(TxError::no_proposal_msgs());
    }
    for any in &msg.messages {
        let inner = ChainMsg::decode(any)?;
        if inner.signer() != chain.gov.as_str() {
            return Err(TxError::invalid_signer(format!(
                "{} is signed by {}",
                any.type_url,
                inner.signer()
            )));
        }
    }
    let deposit = coins(&msg.initial_deposit)?;
    let storage = chain.app.storage();
    let id: u64 = kv::load(storage, &next_id_key())
        .map_err(TxError::internal)?
        .unwrap_or(1);
    let mut out = Vec::new();
    if deposit.iter().any(|c| !c.amount.is_zero()) {
        let res = chain
            .app
            .execute(
                proposer.clone(),
                BankMsg::Send {
                    to_address: chain.gov.to_string(),
                    amount: deposit.clone(),
                }
                .into(),
            )
            .map_err(|e| bank_error(&e))?;
        out.extend(events::from_app(&res.events));
    }
    let (height, time_s) = chain.pending_block();
    let proposal = Proposal {
        id,
        proposer: proposer.to_string(),
        messages: msg
            .messages
            .iter()
            .map(|m| StoredMsg {
                type_url: m.type_url.clone(),
                value: Binary::from(m.value.clone()),
            })
            .collect(),
        deposit,
        title: msg.title.clone(),
        summary: msg.summary.clone(),
        submit_height: height,
        voting_end_s: time_s + chain.config.voting_period_s,
        status: ProposalStatus::VotingPeriod,
        log: String::new(),
    };
    let storage = chain.app.storage_mut();
    let mut active: Vec<u64> = kv::load(storage, &active_key())
        .map_err(TxError::internal)?
        .unwrap_or_default();
    active.push(id);
    kv::save(storage, &active_key(), &active).map_err(TxError::internal)?;
    kv::save(storage, &proposal_key(id), &proposal).map_err(TxError::internal)?;
    kv::save(storage, &next_id_key(), &(id + 1)).map_err(TxError::internal)?;
    let msgs_text: String = msg
        .messages
        .iter()
        .map(|m| format!(",{}", m.type_url))
        .collect();
    let id_text = id.to_string();
    out.push(AbciEvent::new(
        "submit_proposal",
        [
            ("proposal_id", id_text.as_str()),
            ("proposal_proposer", proposer.as_str()),
            ("proposal_messages", msgs_text.as_str()),
        ],
    ));
    out.push(AbciEvent::new(
        "proposal_deposit",
        [
            (
                "amount",
                crate::proto::coin::coins_string(&msg.initial_deposit).as_str(),
            ),
            ("proposal_id", id_text.as_str()),
            ("depositor", proposer.as_str()),
        ],
    ));
    out.push(AbciEvent::new(
        "submit_proposal",
        [("voting_period_start", id_text.as_str())],
    ));
    let response = MsgSubmitProposalResponse { proposal_id: id }.encode_to_vec();
    Ok((out, response))
}

/// `MsgVote`: records (or replaces) the voter's option on a proposal in its voting period.
pub(crate) fn vote(
    chain: &mut Chain,
    voter: &Addr,
    msg: &MsgVote,
) -> Result<Vec<AbciEvent>, TxError> {
    let proposal = proposal(chain, msg.proposal_id)
        .map_err(TxError::internal)?
        .ok_or_else(|| TxError::unknown_proposal(msg.proposal_id))?;
    if proposal.status != ProposalStatus::VotingPeriod {
        return Err(TxError::inactive_proposal(msg.proposal_id));
    }
    let option = match VoteOption::try_from(msg.option) {
        Ok(VoteOption::Unspecified) | Err(_) => {
            return Err(TxError {
                codespace: "gov",
                code: 7,
                log: format!("{}: invalid vote option", msg.option),
            })
        }
        Ok(o) => o,
    };
    kv::save(
        chain.app.storage_mut(),
        &vote_key(msg.proposal_id, voter.as_str()),
        &(option as i32),
    )
    .map_err(TxError::internal)?;
    let options = format!(
        "[{{\"option\":{},\"weight\":\"1.000000000000000000\"}}]",
        option as i32
    );
    Ok(vec![AbciEvent::new(
        "proposal_vote",
        [
            ("voter", voter.as_str()),
            ("option", options.as_str()),
            ("proposal_id", msg.proposal_id.to_string().as_str()),
        ],
    )])
}

/// Outcome of a tally.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tally {
    Pass,
    Reject,
    Veto,
}

fn tally(chain: &mut Chain, id: u64) -> anyhow::Result<Tally> {
    let power = chain.config.validator_power;
    let names = chain.config.validators.clone();
    let total = power.saturating_mul(names.len() as u64);
    let (mut yes, mut no, mut veto, mut abstain) = (0u64, 0u64, 0u64, 0u64);
    for name in names {
        let addr = chain.keys.derive(&name)?.addr;
        let vote: Option<i32> = kv::load(chain.app.storage(), &vote_key(id, addr.as_str()))?;
        match vote.and_then(|v| VoteOption::try_from(v).ok()) {
            Some(VoteOption::Yes) => yes += power,
            Some(VoteOption::No) => no += power,
            Some(VoteOption::NoWithVeto) => veto += power,
            Some(VoteOption::Abstain) => abstain += power,
            _ => {}
        }
    }
    let voted = yes + no + veto + abstain;
    if total == 0 || voted * QUORUM.1 < total * QUORUM.0 {
        return Ok(Tally::Reject);
    }
    if veto * VETO.1 > voted * VETO.0 {
        return Ok(Tally::Veto);
    }
    let non_abstain = voted - abstain;
    if non_abstain > 0 && yes * THRESHOLD.1 > non_abstain * THRESHOLD.0 {
        Ok(Tally::Pass)
    } else {
        Ok(Tally::Reject)
    }
}

/// The end blocker: tallies every proposal whose voting period ended by the open block's time,
/// executes passed ones, refunds deposits. Returns the block-level events (without `mode`).
pub(crate) fn end_block(chain: &mut Chain) -> anyhow::Result<Vec<AbciEvent>> {
    let (height, now) = chain.pending_block();
    let active: Vec<u64> = kv::load(chain.app.storage(), &active_key())?.unwrap_or_default();
    let mut out = Vec::new();
    let mut still_active = Vec::new();
    for id in active {
        let Some(mut proposal) = proposal(chain, id)? else {
            continue;
        };
        if proposal.voting_end_s > now {
            still_active.push(id);
            continue;
        }
        let result = tally(chain, id)?;
        if result != Tally::Veto && proposal.deposit.iter().any(|c| !c.amount.is_zero()) {
            match chain.app.execute(
                chain.gov.clone(),
                BankMsg::Send {
                    to_address: proposal.proposer.clone(),
                    amount: proposal.deposit.clone(),
                }
                .into(),
            ) {
                Ok(res) => out.extend(events::from_app(&res.events)),
                Err(e) => proposal.log = format!("deposit refund failed: {}", bank_error(&e)),
            }
        }
        let (status, label) = match result {
            Tally::Pass => match execute(
                chain,
                &proposal,
                Created {
                    height,
                    tx_index: id,
                },
            ) {
                Ok(evs) => {
                    out.extend(evs);
                    (ProposalStatus::Passed, "proposal_passed")
                }
                Err(e) => {
                    proposal.log = e.log;
                    (ProposalStatus::Failed, "proposal_failed")
                }
            },
            Tally::Reject | Tally::Veto => (ProposalStatus::Rejected, "proposal_rejected"),
        };
        proposal.status = status;
        let id_text = id.to_string();
        let mut attrs = vec![
            ("proposal_id", id_text.clone()),
            ("proposal_result", label.to_string()),
        ];
        if !proposal.log.is_empty() {
            attrs.push(("proposal_log", proposal.log.clone()));
        }
        out.push(AbciEvent::new("active_proposal", attrs));
        kv::save(chain.app.storage_mut(), &proposal_key(id), &proposal)?;
    }
    kv::save(chain.app.storage_mut(), &active_key(), &still_active)?;
    Ok(out)
}

/// Runs a passed proposal's messages as the gov module, all or nothing.
fn execute(chain: &mut Chain, proposal: &Proposal, at: Created) -> Result<Vec<AbciEvent>, TxError> {
    chain.app.storage_mut().begin().map_err(TxError::internal)?;
    let gov = chain.gov.clone();
    let mut out = Vec::new();
    for (i, stored) in proposal.messages.iter().enumerate() {
        let any = Any {
            type_url: stored.type_url.clone(),
            value: stored.value.to_vec(),
        };
        let result = ChainMsg::decode(&any).and_then(|msg| chain.run_msg(&gov, &msg, at));
        match result {
            Ok(outcome) => out.extend(outcome.events),
            Err(e) => {
                chain.app.storage_mut().rollback();
                return Err(e.at_message(i));
            }
        }
    }
    chain.app.storage_mut().commit();
    Ok(out)
}
