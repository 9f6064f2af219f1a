//! Websocket event payloads: `EventDataNewBlock`, `EventDataTx` and their amino type tags.

use super::*;

/// `abci.ResponseFinalizeBlock` through libs/json (inside the `NewBlock` event).
#[derive(Serialize)]
pub struct FinalizeBlockJson<'a> {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    events: Vec<EventJson<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tx_results: Vec<TxResultJson<'a>>,
    validator_updates: Option<[(); 0]>,
    consensus_param_updates: ConsensusParamsJson,
    app_hash: String,
}

/// `EventDataNewBlock`.
#[derive(Serialize)]
pub struct NewBlockJson<'a> {
    block: BlockJson,
    block_id: BlockIdJson,
    result_finalize_block: FinalizeBlockJson<'a>,
}

/// Encodes the `NewBlock` event data value.
pub fn new_block_event(b: &SealedBlock, app_version: u64) -> NewBlockJson<'_> {
    NewBlockJson {
        block: block(b),
        block_id: block_id(Some(&b.block_id)),
        result_finalize_block: FinalizeBlockJson {
            events: events(&b.finalize_block_events),
            tx_results: b.txs.iter().map(tx_result).collect(),
            validator_updates: None,
            consensus_param_updates: consensus_params(app_version),
            app_hash: b64(&b.result_app_hash),
        },
    }
}

/// `abci.TxResult` (embedded in `EventDataTx`, libs/json with `omitempty`).
#[derive(Serialize)]
pub struct TxInfoJson<'a> {
    height: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tx: Option<String>,
    result: TxResultJson<'a>,
}

/// `EventDataTx`.
#[derive(Serialize)]
pub struct TxEventJson<'a> {
    #[serde(rename = "TxResult")]
    tx_result: TxInfoJson<'a>,
}

/// Encodes the `Tx` event data value for tx `index` of `b`.
pub fn tx_event(b: &SealedBlock, index: usize) -> Option<TxEventJson<'_>> {
    let tx = b.txs.get(index)?;
    let index = u32::try_from(index).ok()?;
    Some(TxEventJson {
        tx_result: TxInfoJson {
            height: b.height().to_string(),
            index: (index != 0).then_some(index),
            tx: b64_or_null(&tx.bytes),
            result: tx_result(tx),
        },
    })
}

/// Registered amino name of an event payload.
#[derive(Serialize)]
pub struct EventDataJson<T: Serialize> {
    #[serde(rename = "type")]
    kind: &'static str,
    value: T,
}

/// Wraps an event value with its CometBFT type tag.
pub fn event_data<T: Serialize>(kind: &'static str, value: T) -> EventDataJson<T> {
    EventDataJson { kind, value }
}
