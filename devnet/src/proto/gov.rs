//! `cosmos.gov.v1`: proposal submission and votes.

use super::any::named;
use super::type_url::{MSG_SUBMIT_PROPOSAL, MSG_VOTE};
use super::{Any, Coin};

/// `VoteOption`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::prost::Enumeration)]
#[repr(i32)]
pub enum VoteOption {
    /// No option.
    Unspecified = 0,
    /// Yes.
    Yes = 1,
    /// Abstain.
    Abstain = 2,
    /// No.
    No = 3,
    /// No with veto.
    NoWithVeto = 4,
}

impl VoteOption {
    /// The SDK's enum name, e.g. `VOTE_OPTION_YES`.
    pub fn sdk_name(&self) -> &'static str {
        match self {
            VoteOption::Unspecified => "VOTE_OPTION_UNSPECIFIED",
            VoteOption::Yes => "VOTE_OPTION_YES",
            VoteOption::Abstain => "VOTE_OPTION_ABSTAIN",
            VoteOption::No => "VOTE_OPTION_NO",
            VoteOption::NoWithVeto => "VOTE_OPTION_NO_WITH_VETO",
        }
    }
}

/// `MsgSubmitProposal`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct MsgSubmitProposal {
    /// Messages executed as the gov module if the proposal passes.
    #[prost(message, repeated, tag = "1")]
    pub messages: Vec<Any>,
    /// Deposit paid at submission.
    #[prost(message, repeated, tag = "2")]
    pub initial_deposit: Vec<Coin>,
    /// Proposer (signer).
    #[prost(string, tag = "3")]
    pub proposer: String,
    /// Arbitrary metadata.
    #[prost(string, tag = "4")]
    pub metadata: String,
    /// Title.
    #[prost(string, tag = "5")]
    pub title: String,
    /// Summary.
    #[prost(string, tag = "6")]
    pub summary: String,
    /// Expedited proposal.
    #[prost(bool, tag = "7")]
    pub expedited: bool,
}

/// `MsgSubmitProposalResponse`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct MsgSubmitProposalResponse {
    /// The new proposal's id.
    #[prost(uint64, tag = "1")]
    pub proposal_id: u64,
}

/// `MsgVote`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct MsgVote {
    /// Proposal voted on.
    #[prost(uint64, tag = "1")]
    pub proposal_id: u64,
    /// Voter (signer).
    #[prost(string, tag = "2")]
    pub voter: String,
    /// A [`VoteOption`].
    #[prost(enumeration = "VoteOption", tag = "3")]
    pub option: i32,
    /// Arbitrary metadata.
    #[prost(string, tag = "4")]
    pub metadata: String,
}

/// `MsgVoteResponse` (empty).
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct MsgVoteResponse {}

named! {
    MsgSubmitProposal => MSG_SUBMIT_PROPOSAL,
    MsgSubmitProposalResponse => "/cosmos.gov.v1.MsgSubmitProposalResponse",
    MsgVote => MSG_VOTE,
    MsgVoteResponse => "/cosmos.gov.v1.MsgVoteResponse",
}
