//! `cosmos.bank.v1beta1`: `MsgSend` and the balance queries.

use super::any::named;
use super::query::{PageRequest, PageResponse};
use super::type_url::MSG_SEND;
use super::Coin;

/// `MsgSend`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct MsgSend {
    /// Sender (signer).
    #[prost(string, tag = "1")]
    pub from_address: String,
    /// Recipient.
    #[prost(string, tag = "2")]
    pub to_address: String,
    /// Coins sent.
    #[prost(message, repeated, tag = "3")]
    pub amount: Vec<Coin>,
}

/// `MsgSendResponse` (empty).
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct MsgSendResponse {}

/// `QueryBalanceRequest`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct QueryBalanceRequest {
    /// Account address.
    #[prost(string, tag = "1")]
    pub address: String,
    /// Denom to read.
    #[prost(string, tag = "2")]
    pub denom: String,
}

/// `QueryBalanceResponse`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct QueryBalanceResponse {
    /// The balance (zero amount when none).
    #[prost(message, optional, tag = "1")]
    pub balance: Option<Coin>,
}

/// `QueryAllBalancesRequest`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct QueryAllBalancesRequest {
    /// Account address.
    #[prost(string, tag = "1")]
    pub address: String,
    /// Pagination (ignored: all balances fit one page here).
    #[prost(message, optional, tag = "2")]
    pub pagination: Option<PageRequest>,
    /// Resolve denoms to their metadata display names.
    #[prost(bool, tag = "3")]
    pub resolve_denom: bool,
}

/// `QueryAllBalancesResponse`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct QueryAllBalancesResponse {
    /// Non-zero balances, sorted by denom.
    #[prost(message, repeated, tag = "1")]
    pub balances: Vec<Coin>,
    /// Pagination of the response.
    #[prost(message, optional, tag = "2")]
    pub pagination: Option<PageResponse>,
}

named! {
    MsgSend => MSG_SEND,
    MsgSendResponse => "/cosmos.bank.v1beta1.MsgSendResponse",
}
