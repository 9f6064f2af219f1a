//! `abci_query`: forwarded to the app off the async threads, except
//! `/cosmos.tx.v1beta1.Service/GetTx`, which the node answers from its block store (the app
//! keeps no tx history).

use std::sync::Arc;

use prost::Message;

use super::{encode, Context};
use crate::node::QueryOutcome;
use crate::proto::tx::{AuthInfo, TxBody, TxRaw};
use crate::proto::tx_service::{Event, GetTxRequest, GetTxResponse, Tx, TxResponse, GET_TX_PATH};
use crate::proto::Any;
use crate::rpc::jsonrpc::{Params, RpcError};
use crate::rpc::wire;

pub(super) async fn query(ctx: &Context, params: &Params) -> Result<String, RpcError> {
    let path = params.string("path")?.unwrap_or_default();
    let data = params.bytes_hex("data")?.unwrap_or_default();
    let height = params.int("height")?.unwrap_or(0);
    let _prove = params.boolean("prove")?;
    let height =
        u64::try_from(height).map_err(|_| RpcError::internal("cannot query with height < 0"))?;
    if path == GET_TX_PATH {
        let mut outcome = get_tx(ctx, &data);
        outcome.height = ctx.served_height();
        return encode(&wire::abci_query(&outcome));
    }
    let abci = Arc::clone(&ctx.abci);
    let mut outcome = tokio::task::spawn_blocking(move || abci.query(&path, &data, height))
        .await
        .map_err(|e| RpcError::internal(format!("abci query failed: {e}")))?;
    if outcome.height == 0 {
        outcome.height = ctx.served_height();
    }
    encode(&wire::abci_query(&outcome))
}

/// `GetTx` from the store: the decoded tx and its `TxResponse`.
fn get_tx(ctx: &Context, data: &[u8]) -> QueryOutcome {
    let fail = |code: u32, log: String| QueryOutcome {
        code,
        codespace: "sdk".into(),
        log,
        ..Default::default()
    };
    let Ok(req) = GetTxRequest::decode(data) else {
        return fail(2, "GetTxRequest: tx parse error".into());
    };
    let hash = req.hash.trim_start_matches("0x").to_ascii_uppercase();
    let key: Option<[u8; 32]> = hex::decode(&hash).ok().and_then(|b| b.try_into().ok());
    let Some(key) = key else {
        return fail(
            18,
            format!("invalid tx hash {:?}: invalid request", req.hash),
        );
    };
    let found = ctx
        .store
        .find_tx(&key)
        .filter(|(b, _)| b.height() <= ctx.served_height());
    let Some((block, index)) = found else {
        return fail(
            22,
            format!("rpc error: code = NotFound desc = tx not found: {hash}: key not found"),
        );
    };
    let Some(executed) = block.txs.get(index as usize) else {
        return fail(
            22,
            format!("rpc error: code = NotFound desc = tx not found: {hash}: key not found"),
        );
    };
    let tx = TxRaw::decode(executed.bytes.as_slice()).ok().map(|raw| Tx {
        body: TxBody::decode(raw.body_bytes.as_slice()).ok(),
        auth_info: AuthInfo::decode(raw.auth_info_bytes.as_slice()).ok(),
        signatures: raw.signatures,
    });
    let o = &executed.outcome;
    let response = TxResponse {
        height: i64::try_from(block.height()).unwrap_or(i64::MAX),
        txhash: hash,
        codespace: o.codespace.clone(),
        code: o.code,
        data: wire::hex_upper(&o.data),
        raw_log: o.log.clone(),
        info: String::new(),
        gas_wanted: o.gas_wanted,
        gas_used: o.gas_used,
        tx: tx.as_ref().map(|t| Any {
            type_url: "/cosmos.tx.v1beta1.Tx".into(),
            value: t.encode_to_vec(),
        }),
        timestamp: wire::time(&block.header.time),
        events: o.events.iter().map(Event::from).collect(),
    };
    QueryOutcome {
        value: GetTxResponse {
            tx,
            tx_response: Some(response),
        }
        .encode_to_vec(),
        ..Default::default()
    }
}
