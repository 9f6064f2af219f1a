//! `cosmos.auth.v1beta1`: `BaseAccount` and the account query.

use super::any::named;
use super::type_url::BASE_ACCOUNT;
use super::Any;

/// `BaseAccount`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct BaseAccount {
    /// Bech32 address.
    #[prost(string, tag = "1")]
    pub address: String,
    /// Public key, once the account has signed a tx.
    #[prost(message, optional, tag = "2")]
    pub pub_key: Option<Any>,
    /// Account number, assigned at creation.
    #[prost(uint64, tag = "3")]
    pub account_number: u64,
    /// Number of txs the account signed.
    #[prost(uint64, tag = "4")]
    pub sequence: u64,
}

/// `QueryAccountRequest`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct QueryAccountRequest {
    /// Bech32 address.
    #[prost(string, tag = "1")]
    pub address: String,
}

/// `QueryAccountResponse`: the account packed in an `Any`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct QueryAccountResponse {
    /// A [`BaseAccount`] in an `Any`.
    #[prost(message, optional, tag = "1")]
    pub account: Option<Any>,
}

named! {
    BaseAccount => BASE_ACCOUNT,
}
