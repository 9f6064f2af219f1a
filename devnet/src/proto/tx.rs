//! `cosmos.tx.v1beta1`: the raw transaction, its body and its auth info.

use super::{Any, Coin};

/// `TxRaw`: what CometBFT stores in a block; its sha256 is the tx hash.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct TxRaw {
    /// Protobuf bytes of a [`TxBody`].
    #[prost(bytes = "vec", tag = "1")]
    pub body_bytes: Vec<u8>,
    /// Protobuf bytes of an [`AuthInfo`].
    #[prost(bytes = "vec", tag = "2")]
    pub auth_info_bytes: Vec<u8>,
    /// One signature per signer info.
    #[prost(bytes = "vec", repeated, tag = "3")]
    pub signatures: Vec<Vec<u8>>,
}

/// `google.protobuf.Timestamp`.
#[derive(Clone, Copy, PartialEq, Eq, ::prost::Message)]
pub struct Timestamp {
    /// Seconds since the Unix epoch.
    #[prost(int64, tag = "1")]
    pub seconds: i64,
    /// Nanoseconds within the second.
    #[prost(int32, tag = "2")]
    pub nanos: i32,
}

/// `TxBody`: the messages and options every signer signs.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct TxBody {
    /// The messages, executed in order.
    #[prost(message, repeated, tag = "1")]
    pub messages: Vec<Any>,
    /// Free text.
    #[prost(string, tag = "2")]
    pub memo: String,
    /// Block height after which the tx is invalid (0: none).
    #[prost(uint64, tag = "3")]
    pub timeout_height: u64,
    /// Unordered (nonce-less) tx, SDK 0.53.
    #[prost(bool, tag = "4")]
    pub unordered: bool,
    /// Timeout of an unordered tx, SDK 0.53.
    #[prost(message, optional, tag = "5")]
    pub timeout_timestamp: Option<Timestamp>,
    /// Options a chain must understand.
    #[prost(message, repeated, tag = "1023")]
    pub extension_options: Vec<Any>,
    /// Options a chain may ignore.
    #[prost(message, repeated, tag = "2047")]
    pub non_critical_extension_options: Vec<Any>,
}

/// `AuthInfo`: signer infos and the fee.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct AuthInfo {
    /// One per required signer, in order; the first pays the fee.
    #[prost(message, repeated, tag = "1")]
    pub signer_infos: Vec<SignerInfo>,
    /// Fee and gas limit.
    #[prost(message, optional, tag = "2")]
    pub fee: Option<Fee>,
}

/// `SignerInfo`: public key, sign mode and sequence of one signer.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct SignerInfo {
    /// Optional for accounts whose key is already on chain.
    #[prost(message, optional, tag = "1")]
    pub public_key: Option<Any>,
    /// How the signer signed.
    #[prost(message, optional, tag = "2")]
    pub mode_info: Option<ModeInfo>,
    /// The signer's account sequence.
    #[prost(uint64, tag = "3")]
    pub sequence: u64,
}

/// `ModeInfo` (only `single` is produced here).
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct ModeInfo {
    /// Single or multisig.
    #[prost(oneof = "mode_info::Sum", tags = "1")]
    pub sum: Option<mode_info::Sum>,
}

/// Nested types of [`ModeInfo`].
pub mod mode_info {
    /// The sign mode variants (multisig is not modelled).
    #[derive(Clone, PartialEq, Eq, ::prost::Oneof)]
    pub enum Sum {
        /// A single signer.
        #[prost(message, tag = "1")]
        Single(Single),
    }

    /// `ModeInfo.Single`.
    #[derive(Clone, PartialEq, Eq, ::prost::Message)]
    pub struct Single {
        /// `cosmos.tx.signing.v1beta1.SignMode` (1 = DIRECT).
        #[prost(int32, tag = "1")]
        pub mode: i32,
    }
}

/// `SIGN_MODE_DIRECT`.
pub const SIGN_MODE_DIRECT: i32 = 1;

impl ModeInfo {
    /// Single signer, `SIGN_MODE_DIRECT`.
    pub fn direct() -> Self {
        ModeInfo {
            sum: Some(mode_info::Sum::Single(mode_info::Single {
                mode: SIGN_MODE_DIRECT,
            })),
        }
    }
}

/// `Fee`: coins paid and the gas limit.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct Fee {
    /// Coins paid by the fee payer.
    #[prost(message, repeated, tag = "1")]
    pub amount: Vec<Coin>,
    /// Most gas the tx may use.
    #[prost(uint64, tag = "2")]
    pub gas_limit: u64,
    /// Explicit fee payer (empty: the first signer).
    #[prost(string, tag = "3")]
    pub payer: String,
    /// Fee granter (empty: none).
    #[prost(string, tag = "4")]
    pub granter: String,
}
