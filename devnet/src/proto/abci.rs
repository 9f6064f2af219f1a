//! `cosmos.base.abci.v1beta1.TxMsgData`: what a successful tx's result `data` holds since SDK 0.50.

use super::Any;

/// `TxMsgData`: one response per message, each packed in an `Any`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct TxMsgData {
    /// Message responses in message order (field 1, the pre-0.46 `data`, is reserved).
    #[prost(message, repeated, tag = "2")]
    pub msg_responses: Vec<Any>,
}
