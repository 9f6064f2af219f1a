//! Driving one proposal through submission, votes and the end of its voting period.

use anyhow::Context;
use cosmwasm_std::Addr;

use crate::chain::gov::ProposalStatus;
use crate::chain::Chain;
use crate::node::ExecutedBlock;
use crate::proto::gov::{MsgSubmitProposal, MsgSubmitProposalResponse, MsgVote, VoteOption};
use crate::proto::{Any, Coin, Named};

/// Gas limit of a proposal submission (it carries up to a few MB of wasm).
const SUBMIT_GAS: u64 = 400_000_000;
/// Gas limit of a vote.
const VOTE_GAS: u64 = 200_000;

/// A proposal that went through.
#[derive(Clone, Debug)]
pub struct PassedProposal {
    /// Its id.
    pub id: u64,
    /// Height of the block whose end blocker executed it.
    pub executed_at: u64,
}

/// Submits `messages` (signed by the gov module) as `proposer` with the minimum deposit, has
/// every validator vote yes, then seals blocks until the voting period ends. Every sealed block
/// goes to `sink`. Fails unless the proposal passed.
pub fn pass_proposal(
    chain: &mut Chain,
    proposer: &Addr,
    title: &str,
    messages: Vec<Any>,
    sink: &mut dyn FnMut(ExecutedBlock),
) -> anyhow::Result<PassedProposal> {
    let submit = MsgSubmitProposal {
        messages,
        initial_deposit: vec![Coin::new(chain.config().min_deposit, &chain.config().denom)],
        proposer: proposer.to_string(),
        metadata: String::new(),
        title: title.to_string(),
        summary: title.to_string(),
        expedited: false,
    };
    let tx = chain.sign(proposer, vec![submit.to_any()], SUBMIT_GAS)?;
    let outcome = chain.deliver_tx(tx);
    anyhow::ensure!(
        outcome.code == 0,
        "submitting proposal `{title}` failed: {}",
        outcome.log
    );
    let id = proposal_id(&outcome.data)?;
    sink(chain.seal_block()?);

    let validators = chain.config().validators.clone();
    for name in validators {
        let voter = chain.account(&name)?.addr;
        let vote = MsgVote {
            proposal_id: id,
            voter: voter.to_string(),
            option: VoteOption::Yes as i32,
            metadata: String::new(),
        };
        let tx = chain.sign(&voter, vec![vote.to_any()], VOTE_GAS)?;
        let outcome = chain.deliver_tx(tx);
        anyhow::ensure!(outcome.code == 0, "vote on {id} failed: {}", outcome.log);
    }
    loop {
        let block = chain.seal_block()?;
        let height = block.height;
        sink(block);
        let proposal = crate::chain::gov::proposal(chain, id)?
            .with_context(|| format!("proposal {id} vanished"))?;
        match proposal.status {
            ProposalStatus::VotingPeriod => continue,
            ProposalStatus::Passed => {
                return Ok(PassedProposal {
                    id,
                    executed_at: height,
                })
            }
            other => anyhow::bail!("proposal {id} `{title}` ended {other:?}: {}", proposal.log),
        }
    }
}

/// The proposal id in a submit tx's `TxMsgData`.
fn proposal_id(data: &[u8]) -> anyhow::Result<u64> {
    use prost::Message;
    let msg_data = crate::proto::abci::TxMsgData::decode(data).context("tx result data")?;
    let any = msg_data
        .msg_responses
        .first()
        .context("no message response")?;
    Ok(MsgSubmitProposalResponse::decode(any.value.as_slice())
        .context("MsgSubmitProposalResponse")?
        .proposal_id)
}
