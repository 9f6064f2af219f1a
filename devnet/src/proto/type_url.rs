//! Type URLs and gRPC query paths, as constants.

/// `cosmos.bank.v1beta1.MsgSend`.
pub const MSG_SEND: &str = "/cosmos.bank.v1beta1.MsgSend";
/// `cosmwasm.wasm.v1.MsgStoreCode`.
pub const MSG_STORE_CODE: &str = "/cosmwasm.wasm.v1.MsgStoreCode";
/// `cosmwasm.wasm.v1.MsgInstantiateContract`.
pub const MSG_INSTANTIATE: &str = "/cosmwasm.wasm.v1.MsgInstantiateContract";
/// `cosmwasm.wasm.v1.MsgInstantiateContract2`.
pub const MSG_INSTANTIATE2: &str = "/cosmwasm.wasm.v1.MsgInstantiateContract2";
/// `cosmwasm.wasm.v1.MsgExecuteContract`.
pub const MSG_EXECUTE: &str = "/cosmwasm.wasm.v1.MsgExecuteContract";
/// `cosmwasm.wasm.v1.MsgMigrateContract`.
pub const MSG_MIGRATE: &str = "/cosmwasm.wasm.v1.MsgMigrateContract";
/// `cosmos.gov.v1.MsgSubmitProposal`.
pub const MSG_SUBMIT_PROPOSAL: &str = "/cosmos.gov.v1.MsgSubmitProposal";
/// `cosmos.gov.v1.MsgVote`.
pub const MSG_VOTE: &str = "/cosmos.gov.v1.MsgVote";
/// `cosmos.auth.v1beta1.BaseAccount`.
pub const BASE_ACCOUNT: &str = "/cosmos.auth.v1beta1.BaseAccount";

/// gRPC path of a wasm smart query.
pub const Q_SMART: &str = "/cosmwasm.wasm.v1.Query/SmartContractState";
/// gRPC path of a raw contract-store read.
pub const Q_RAW: &str = "/cosmwasm.wasm.v1.Query/RawContractState";
/// gRPC path of contract metadata.
pub const Q_CONTRACT_INFO: &str = "/cosmwasm.wasm.v1.Query/ContractInfo";
/// gRPC path of the contracts of a code.
pub const Q_CONTRACTS_BY_CODE: &str = "/cosmwasm.wasm.v1.Query/ContractsByCode";
/// gRPC path of one code (metadata and bytes).
pub const Q_CODE: &str = "/cosmwasm.wasm.v1.Query/Code";
/// gRPC path of all codes' metadata.
pub const Q_CODES: &str = "/cosmwasm.wasm.v1.Query/Codes";
/// gRPC path of one bank balance.
pub const Q_BALANCE: &str = "/cosmos.bank.v1beta1.Query/Balance";
/// gRPC path of all bank balances of an address.
pub const Q_ALL_BALANCES: &str = "/cosmos.bank.v1beta1.Query/AllBalances";
/// gRPC path of an account.
pub const Q_ACCOUNT: &str = "/cosmos.auth.v1beta1.Query/Account";

/// The type URL of a message's response (`<msg type URL>Response`, as the SDK names them).
pub fn response_of(msg_type_url: &str) -> String {
    format!("{msg_type_url}Response")
}

/// The module the SDK names for a message type URL (`bank`, `wasm`, `gov`): its second
/// dot-separated part, as `sdk.GetModuleNameFromTypeURL`.
pub fn module_of(type_url: &str) -> &str {
    type_url.split('.').nth(1).unwrap_or("")
}
