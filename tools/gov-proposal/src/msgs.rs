//! The proto-JSON of the wasmd messages a proposal carries, as `akash tx gov submit-proposal`
//! decodes them (gogoproto `jsonpb` with the interface registry resolving `@type`).
//!
//! Field names are the proto field names of `proto/cosmwasm/wasm/v1/tx.proto` and `types.proto`
//! (wasmd 0.61), which is what jsonpb reads. Encodings follow jsonpb: `bytes` as standard base64,
//! `uint64` as a decimal string (jsonpb also reads a number, but writes a string), and the
//! contract `msg` (wasmd's `RawContractMessage`, with its own `MarshalJSON`) as inline JSON.

use serde::{Deserialize, Serialize};

/// `@type` of `MsgStoreCode`.
pub const TYPE_STORE_CODE: &str = "/cosmwasm.wasm.v1.MsgStoreCode";
/// `@type` of `MsgInstantiateContract2`.
pub const TYPE_INSTANTIATE_CONTRACT2: &str = "/cosmwasm.wasm.v1.MsgInstantiateContract2";
/// `@type` of `MsgMigrateContract`.
pub const TYPE_MIGRATE_CONTRACT: &str = "/cosmwasm.wasm.v1.MsgMigrateContract";

/// One proposal message, serialized as an `Any` in proto-JSON (`@type` plus the fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "@type")]
pub enum WasmMsg {
    /// Uploads code.
    #[serde(rename = "/cosmwasm.wasm.v1.MsgStoreCode")]
    StoreCode(MsgStoreCode),
    /// Instantiates at a predictable address.
    #[serde(rename = "/cosmwasm.wasm.v1.MsgInstantiateContract2")]
    InstantiateContract2(MsgInstantiateContract2),
    /// Migrates a contract to another code id.
    #[serde(rename = "/cosmwasm.wasm.v1.MsgMigrateContract")]
    MigrateContract(MsgMigrateContract),
}

/// `cosmwasm.wasm.v1.MsgStoreCode`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MsgStoreCode {
    /// The signer; in a proposal, the gov module account.
    pub sender: String,
    /// Raw or gzip-compressed wasm, base64 in JSON.
    #[serde(with = "base64_bytes")]
    pub wasm_byte_code: Vec<u8>,
    /// Who may instantiate the code; `None` falls back to the chain's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instantiate_permission: Option<AccessConfig>,
}

/// `cosmwasm.wasm.v1.AccessConfig`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessConfig {
    /// The access type.
    pub permission: AccessType,
    /// Allowed addresses, for [`AccessType::AnyOfAddresses`] only.
    #[serde(default)]
    pub addresses: Vec<String>,
}

impl AccessConfig {
    /// Only the given addresses (for a proposal: only gov).
    pub fn any_of(addresses: Vec<String>) -> Self {
        AccessConfig {
            permission: AccessType::AnyOfAddresses,
            addresses,
        }
    }
}

/// `cosmwasm.wasm.v1.AccessType` in the JSON form wasmd reads.
///
/// Not the proto enum names (`ACCESS_TYPE_ANY_OF_ADDRESSES`): wasmd gives `AccessType` its own
/// `UnmarshalJSONPB`, which goes through `UnmarshalText` and accepts only `Nobody`, `Everybody`
/// and `AnyOfAddresses`; anything else silently becomes `Unspecified` and the message then fails
/// `ValidateBasic` ("type: empty"). See wasmd `x/wasm/types/params.go` (v0.61.x) and its
/// `TestAccessTypeUnmarshalJson`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccessType {
    /// Nobody may instantiate.
    Nobody,
    /// Everybody may instantiate.
    Everybody,
    /// Only the listed addresses may instantiate.
    AnyOfAddresses,
}

/// `cosmos.base.v1beta1.Coin`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coin {
    /// Denomination.
    pub denom: String,
    /// Amount as a decimal string.
    pub amount: String,
}

/// `cosmwasm.wasm.v1.MsgInstantiateContract2`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MsgInstantiateContract2 {
    /// The signer and instantiate2 creator; in a proposal, the gov module account.
    pub sender: String,
    /// Who may migrate the contract.
    pub admin: String,
    /// Stored code to instantiate.
    #[serde(with = "u64_string")]
    pub code_id: u64,
    /// Human-readable label (1 to 128 characters).
    pub label: String,
    /// The contract's InstantiateMsg, inline JSON.
    pub msg: serde_json::Value,
    /// Coins sent along.
    pub funds: Vec<Coin>,
    /// 1 to 64 bytes, base64 in JSON; part of the predicted address.
    #[serde(with = "base64_bytes")]
    pub salt: Vec<u8>,
    /// Whether `msg` enters the address derivation (we never do: see `suite`).
    pub fix_msg: bool,
}

/// `cosmwasm.wasm.v1.MsgMigrateContract`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MsgMigrateContract {
    /// The signer, who must be the contract's admin; in a proposal, the gov module account.
    pub sender: String,
    /// The contract to migrate.
    pub contract: String,
    /// The code id to migrate to.
    #[serde(with = "u64_string")]
    pub code_id: u64,
    /// The contract's MigrateMsg, inline JSON.
    pub msg: serde_json::Value,
}

/// Standard base64 (with padding), the encoding jsonpb uses for `bytes`.
pub mod base64_bytes {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine as _;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes bytes as base64.
    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    /// Reads base64 into bytes.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}

/// `uint64` as jsonpb writes it: a decimal string (a number is read too).
pub mod u64_string {
    use serde::{Deserialize, Deserializer, Serializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Repr {
        Number(u64),
        Text(String),
    }

    /// Writes the number as a string.
    pub fn serialize<S: Serializer>(value: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&value.to_string())
    }

    /// Reads a string or a number.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        match Repr::deserialize(d)? {
            Repr::Number(n) => Ok(n),
            Repr::Text(t) => t.parse().map_err(serde::de::Error::custom),
        }
    }
}
