//! `cosmwasm.wasm.v1.Query`: the gRPC queries a CosmJS `CosmWasmClient` sends.

use super::query::{PageRequest, PageResponse};
use super::wasm::AccessConfig;
use super::Any;

/// `QuerySmartContractStateRequest`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct QuerySmartContractStateRequest {
    /// Contract address.
    #[prost(string, tag = "1")]
    pub address: String,
    /// JSON query message.
    #[prost(bytes = "vec", tag = "2")]
    pub query_data: Vec<u8>,
}

/// `QuerySmartContractStateResponse`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct QuerySmartContractStateResponse {
    /// JSON the contract answered.
    #[prost(bytes = "vec", tag = "1")]
    pub data: Vec<u8>,
}

/// `QueryRawContractStateRequest`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct QueryRawContractStateRequest {
    /// Contract address.
    #[prost(string, tag = "1")]
    pub address: String,
    /// Storage key.
    #[prost(bytes = "vec", tag = "2")]
    pub query_data: Vec<u8>,
}

/// `QueryRawContractStateResponse`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct QueryRawContractStateResponse {
    /// Stored value (empty when absent).
    #[prost(bytes = "vec", tag = "1")]
    pub data: Vec<u8>,
}

/// `QueryContractInfoRequest`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct QueryContractInfoRequest {
    /// Contract address.
    #[prost(string, tag = "1")]
    pub address: String,
}

/// `AbsoluteTxPosition`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct AbsoluteTxPosition {
    /// Height of the creating block.
    #[prost(uint64, tag = "1")]
    pub block_height: u64,
    /// Tx index in that block.
    #[prost(uint64, tag = "2")]
    pub tx_index: u64,
}

/// `ContractInfo`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct ContractInfo {
    /// Code the contract runs.
    #[prost(uint64, tag = "1")]
    pub code_id: u64,
    /// Who instantiated it.
    #[prost(string, tag = "2")]
    pub creator: String,
    /// Migration admin (empty: none).
    #[prost(string, tag = "3")]
    pub admin: String,
    /// Label.
    #[prost(string, tag = "4")]
    pub label: String,
    /// Where it was created.
    #[prost(message, optional, tag = "5")]
    pub created: Option<AbsoluteTxPosition>,
    /// IBC port (empty).
    #[prost(string, tag = "6")]
    pub ibc_port_id: String,
    /// Extension (none).
    #[prost(message, optional, tag = "7")]
    pub extension: Option<Any>,
    /// IBC v2 port (empty).
    #[prost(string, tag = "8")]
    pub ibc2_port_id: String,
}

/// `QueryContractInfoResponse`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct QueryContractInfoResponse {
    /// Contract address.
    #[prost(string, tag = "1")]
    pub address: String,
    /// Its metadata.
    #[prost(message, optional, tag = "2")]
    pub contract_info: Option<ContractInfo>,
}

/// `QueryContractsByCodeRequest`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct QueryContractsByCodeRequest {
    /// Code id.
    #[prost(uint64, tag = "1")]
    pub code_id: u64,
    /// Pagination.
    #[prost(message, optional, tag = "2")]
    pub pagination: Option<PageRequest>,
}

/// `QueryContractsByCodeResponse`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct QueryContractsByCodeResponse {
    /// Contract addresses in creation order.
    #[prost(string, repeated, tag = "1")]
    pub contracts: Vec<String>,
    /// Pagination of the response.
    #[prost(message, optional, tag = "2")]
    pub pagination: Option<PageResponse>,
}

/// `QueryCodeRequest`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct QueryCodeRequest {
    /// Code id.
    #[prost(uint64, tag = "1")]
    pub code_id: u64,
}

/// `CodeInfoResponse`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct CodeInfoResponse {
    /// Code id.
    #[prost(uint64, tag = "1")]
    pub code_id: u64,
    /// Who stored it.
    #[prost(string, tag = "2")]
    pub creator: String,
    /// sha256 of the wasm.
    #[prost(bytes = "vec", tag = "3")]
    pub data_hash: Vec<u8>,
    /// Who may instantiate it.
    #[prost(message, optional, tag = "6")]
    pub instantiate_permission: Option<AccessConfig>,
}

/// `QueryCodeResponse`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct QueryCodeResponse {
    /// Metadata.
    #[prost(message, optional, tag = "1")]
    pub code_info: Option<CodeInfoResponse>,
    /// The wasm bytes.
    #[prost(bytes = "vec", tag = "2")]
    pub data: Vec<u8>,
}

/// `QueryCodesRequest`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct QueryCodesRequest {
    /// Pagination.
    #[prost(message, optional, tag = "1")]
    pub pagination: Option<PageRequest>,
}

/// `QueryCodesResponse`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct QueryCodesResponse {
    /// Every code's metadata by id.
    #[prost(message, repeated, tag = "1")]
    pub code_infos: Vec<CodeInfoResponse>,
    /// Pagination of the response.
    #[prost(message, optional, tag = "2")]
    pub pagination: Option<PageResponse>,
}
