//! `cosmos.tx.v1beta1.Service` through `abci_query`: `Simulate` (what CosmJS's fee "auto" asks)
//! and `GetTx`, with the `cosmos.base.abci.v1beta1` and `tendermint.abci` types they return.

use super::tx::{AuthInfo, TxBody};
use super::Any;
use crate::node::AbciEvent;

/// The `abci_query` path of `Simulate`.
pub const SIMULATE_PATH: &str = "/cosmos.tx.v1beta1.Service/Simulate";
/// The `abci_query` path of `GetTx`.
pub const GET_TX_PATH: &str = "/cosmos.tx.v1beta1.Service/GetTx";

/// `Tx`: a decoded tx (body, auth info, signatures).
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct Tx {
    #[prost(message, optional, tag = "1")]
    pub body: Option<TxBody>,
    #[prost(message, optional, tag = "2")]
    pub auth_info: Option<AuthInfo>,
    #[prost(bytes = "vec", repeated, tag = "3")]
    pub signatures: Vec<Vec<u8>>,
}

/// `SimulateRequest`: the tx to run (`tx_bytes`; the deprecated `tx` is not read).
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct SimulateRequest {
    #[prost(message, optional, tag = "1")]
    pub tx: Option<Tx>,
    #[prost(bytes = "vec", tag = "2")]
    pub tx_bytes: Vec<u8>,
}

/// `GasInfo`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct GasInfo {
    #[prost(uint64, tag = "1")]
    pub gas_wanted: u64,
    #[prost(uint64, tag = "2")]
    pub gas_used: u64,
}

/// `tendermint.abci.EventAttribute`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct EventAttribute {
    #[prost(string, tag = "1")]
    pub key: String,
    #[prost(string, tag = "2")]
    pub value: String,
    #[prost(bool, tag = "3")]
    pub index: bool,
}

/// `tendermint.abci.Event`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct Event {
    #[prost(string, tag = "1")]
    pub r#type: String,
    #[prost(message, repeated, tag = "2")]
    pub attributes: Vec<EventAttribute>,
}

impl From<&AbciEvent> for Event {
    fn from(e: &AbciEvent) -> Self {
        Event {
            r#type: e.kind.clone(),
            attributes: e
                .attributes
                .iter()
                .map(|a| EventAttribute {
                    key: a.key.clone(),
                    value: a.value.clone(),
                    index: a.index,
                })
                .collect(),
        }
    }
}

/// `cosmos.base.abci.v1beta1.Result`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct AbciResult {
    #[prost(bytes = "vec", tag = "1")]
    pub data: Vec<u8>,
    #[prost(string, tag = "2")]
    pub log: String,
    #[prost(message, repeated, tag = "3")]
    pub events: Vec<Event>,
    #[prost(message, repeated, tag = "4")]
    pub msg_responses: Vec<Any>,
}

/// `SimulateResponse`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct SimulateResponse {
    #[prost(message, optional, tag = "1")]
    pub gas_info: Option<GasInfo>,
    #[prost(message, optional, tag = "2")]
    pub result: Option<AbciResult>,
}

/// `GetTxRequest`: the tx hash, hex.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct GetTxRequest {
    #[prost(string, tag = "1")]
    pub hash: String,
}

/// `cosmos.base.abci.v1beta1.TxResponse` (`logs`, field 7, is empty since SDK 0.50).
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct TxResponse {
    #[prost(int64, tag = "1")]
    pub height: i64,
    #[prost(string, tag = "2")]
    pub txhash: String,
    #[prost(string, tag = "3")]
    pub codespace: String,
    #[prost(uint32, tag = "4")]
    pub code: u32,
    /// Result data, uppercase hex.
    #[prost(string, tag = "5")]
    pub data: String,
    #[prost(string, tag = "6")]
    pub raw_log: String,
    #[prost(string, tag = "8")]
    pub info: String,
    #[prost(int64, tag = "9")]
    pub gas_wanted: i64,
    #[prost(int64, tag = "10")]
    pub gas_used: i64,
    #[prost(message, optional, tag = "11")]
    pub tx: Option<Any>,
    /// Block time, RFC 3339.
    #[prost(string, tag = "12")]
    pub timestamp: String,
    #[prost(message, repeated, tag = "13")]
    pub events: Vec<Event>,
}

/// `GetTxResponse`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct GetTxResponse {
    #[prost(message, optional, tag = "1")]
    pub tx: Option<Tx>,
    #[prost(message, optional, tag = "2")]
    pub tx_response: Option<TxResponse>,
}
