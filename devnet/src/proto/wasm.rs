//! `cosmwasm.wasm.v1` messages, their responses and the access types they use.

use super::any::named;
use super::type_url::{
    MSG_EXECUTE, MSG_INSTANTIATE, MSG_INSTANTIATE2, MSG_MIGRATE, MSG_STORE_CODE,
};
use super::Coin;

/// `AccessType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::prost::Enumeration)]
#[repr(i32)]
pub enum AccessType {
    /// Placeholder.
    Unspecified = 0,
    /// Nobody.
    Nobody = 1,
    /// Everybody.
    Everybody = 3,
    /// Any of the listed addresses.
    AnyOfAddresses = 4,
}

/// `AccessConfig`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct AccessConfig {
    /// An [`AccessType`].
    #[prost(enumeration = "AccessType", tag = "1")]
    pub permission: i32,
    /// Addresses for `AnyOfAddresses`.
    #[prost(string, repeated, tag = "3")]
    pub addresses: Vec<String>,
}

impl AccessConfig {
    /// Only `addresses` may act.
    pub fn any_of(addresses: Vec<String>) -> Self {
        AccessConfig {
            permission: AccessType::AnyOfAddresses as i32,
            addresses,
        }
    }

    /// Whether `address` may act under this config.
    pub fn allows(&self, address: &str) -> bool {
        match AccessType::try_from(self.permission) {
            Ok(AccessType::Everybody) => true,
            Ok(AccessType::AnyOfAddresses) => self.addresses.iter().any(|a| a == address),
            _ => false,
        }
    }
}

/// `MsgStoreCode`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct MsgStoreCode {
    /// Signer (the gov module in a proposal).
    #[prost(string, tag = "1")]
    pub sender: String,
    /// Raw (or gzip) wasm.
    #[prost(bytes = "vec", tag = "2")]
    pub wasm_byte_code: Vec<u8>,
    /// Who may instantiate the code.
    #[prost(message, optional, tag = "5")]
    pub instantiate_permission: Option<AccessConfig>,
}

/// `MsgStoreCodeResponse`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct MsgStoreCodeResponse {
    /// The new code id.
    #[prost(uint64, tag = "1")]
    pub code_id: u64,
    /// sha256 of the wasm.
    #[prost(bytes = "vec", tag = "2")]
    pub checksum: Vec<u8>,
}

/// `MsgInstantiateContract`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct MsgInstantiateContract {
    /// Signer.
    #[prost(string, tag = "1")]
    pub sender: String,
    /// Migration admin (empty: none).
    #[prost(string, tag = "2")]
    pub admin: String,
    /// Code to instantiate.
    #[prost(uint64, tag = "3")]
    pub code_id: u64,
    /// Label.
    #[prost(string, tag = "4")]
    pub label: String,
    /// JSON instantiate message.
    #[prost(bytes = "vec", tag = "5")]
    pub msg: Vec<u8>,
    /// Coins sent along.
    #[prost(message, repeated, tag = "6")]
    pub funds: Vec<Coin>,
}

/// `MsgInstantiateContractResponse`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct MsgInstantiateContractResponse {
    /// The new contract's address.
    #[prost(string, tag = "1")]
    pub address: String,
    /// Data the contract returned.
    #[prost(bytes = "vec", tag = "2")]
    pub data: Vec<u8>,
}

/// `MsgInstantiateContract2`: instantiation at a predictable address.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct MsgInstantiateContract2 {
    /// Signer (the creator in the address derivation).
    #[prost(string, tag = "1")]
    pub sender: String,
    /// Migration admin (empty: none).
    #[prost(string, tag = "2")]
    pub admin: String,
    /// Code to instantiate.
    #[prost(uint64, tag = "3")]
    pub code_id: u64,
    /// Label.
    #[prost(string, tag = "4")]
    pub label: String,
    /// JSON instantiate message.
    #[prost(bytes = "vec", tag = "5")]
    pub msg: Vec<u8>,
    /// Coins sent along.
    #[prost(message, repeated, tag = "6")]
    pub funds: Vec<Coin>,
    /// Salt of the address derivation (1 to 64 bytes).
    #[prost(bytes = "vec", tag = "7")]
    pub salt: Vec<u8>,
    /// Include `msg` in the address derivation.
    #[prost(bool, tag = "8")]
    pub fix_msg: bool,
}

/// `MsgInstantiateContract2Response`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct MsgInstantiateContract2Response {
    /// The new contract's address.
    #[prost(string, tag = "1")]
    pub address: String,
    /// Data the contract returned.
    #[prost(bytes = "vec", tag = "2")]
    pub data: Vec<u8>,
}

/// `MsgExecuteContract`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct MsgExecuteContract {
    /// Signer.
    #[prost(string, tag = "1")]
    pub sender: String,
    /// Contract address.
    #[prost(string, tag = "2")]
    pub contract: String,
    /// JSON execute message.
    #[prost(bytes = "vec", tag = "3")]
    pub msg: Vec<u8>,
    /// Coins sent along.
    #[prost(message, repeated, tag = "5")]
    pub funds: Vec<Coin>,
}

/// `MsgExecuteContractResponse`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct MsgExecuteContractResponse {
    /// Data the contract returned.
    #[prost(bytes = "vec", tag = "1")]
    pub data: Vec<u8>,
}

/// `MsgMigrateContract`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct MsgMigrateContract {
    /// Signer (must be the contract's admin).
    #[prost(string, tag = "1")]
    pub sender: String,
    /// Contract address.
    #[prost(string, tag = "2")]
    pub contract: String,
    /// New code id.
    #[prost(uint64, tag = "3")]
    pub code_id: u64,
    /// JSON migrate message.
    #[prost(bytes = "vec", tag = "4")]
    pub msg: Vec<u8>,
}

/// `MsgMigrateContractResponse`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct MsgMigrateContractResponse {
    /// Data the contract returned.
    #[prost(bytes = "vec", tag = "1")]
    pub data: Vec<u8>,
}

named! {
    MsgStoreCode => MSG_STORE_CODE,
    MsgStoreCodeResponse => "/cosmwasm.wasm.v1.MsgStoreCodeResponse",
    MsgInstantiateContract => MSG_INSTANTIATE,
    MsgInstantiateContractResponse => "/cosmwasm.wasm.v1.MsgInstantiateContractResponse",
    MsgInstantiateContract2 => MSG_INSTANTIATE2,
    MsgInstantiateContract2Response => "/cosmwasm.wasm.v1.MsgInstantiateContract2Response",
    MsgExecuteContract => MSG_EXECUTE,
    MsgExecuteContractResponse => "/cosmwasm.wasm.v1.MsgExecuteContractResponse",
    MsgMigrateContract => MSG_MIGRATE,
    MsgMigrateContractResponse => "/cosmwasm.wasm.v1.MsgMigrateContractResponse",
}
