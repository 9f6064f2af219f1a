//! `broadcast_tx_async`, `broadcast_tx_sync`, `broadcast_tx_commit` (CometBFT 0.38
//! `rpc/core/mempool.go`): CheckTx on the chain thread admits the tx to the mempool, which the
//! next block delivers; a refusal by the mempool itself (too large, full) is a JSON-RPC error.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use sha2::{Digest, Sha256};

use super::{encode, Context};
use crate::node::{ExecutedTx, TxOutcome};
use crate::rpc::jsonrpc::{Params, RpcError};
use crate::rpc::wire;

/// CometBFT's `timeout_broadcast_tx_commit`.
const COMMIT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the caller waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Wait {
    /// Not even for CheckTx.
    Async,
    /// For CheckTx.
    Sync,
    /// For the block that includes it.
    Commit,
}

async fn check(ctx: &Context, tx: Vec<u8>) -> Result<TxOutcome, RpcError> {
    let abci = Arc::clone(&ctx.abci);
    tokio::task::spawn_blocking(move || abci.check_tx(tx))
        .await
        .map_err(|e| RpcError::internal(format!("check tx: {e}")))?
        .map_err(RpcError::internal)
}

fn check_json(outcome: TxOutcome) -> serde_json::Value {
    let tx = ExecutedTx {
        bytes: Vec::new(),
        outcome,
    };
    serde_json::to_value(wire::tx_result(&tx)).unwrap_or_default()
}

pub(super) async fn broadcast(
    ctx: &Context,
    params: &Params,
    wait: Wait,
) -> Result<String, RpcError> {
    let tx = params.bytes_base64("tx")?.unwrap_or_default();
    let hash: [u8; 32] = Sha256::digest(&tx).into();
    let hash_hex = wire::hex_upper(&hash);
    if wait == Wait::Async {
        let abci = Arc::clone(&ctx.abci);
        // Fire and forget, as CometBFT's async: the result shows in the block (or nowhere).
        drop(tokio::task::spawn_blocking(move || abci.check_tx(tx)));
        return encode(
            &json!({"code": 0, "data": "", "log": "", "codespace": "", "hash": hash_hex}),
        );
    }
    // Subscribed before CheckTx, so the including block cannot slip past.
    let mut blocks = ctx.store.subscribe();
    let checked = check(ctx, tx).await?;
    if wait == Wait::Sync {
        return encode(&json!({
            "code": checked.code,
            "data": wire::hex_upper(&checked.data),
            "log": checked.log,
            "codespace": checked.codespace,
            "hash": hash_hex,
        }));
    }
    let code = checked.code;
    let check_tx = check_json(checked);
    if code != 0 {
        return encode(&json!({
            "check_tx": check_tx,
            "tx_result": check_json(TxOutcome::default()),
            "hash": hash_hex,
            "height": "0",
        }));
    }
    let included = tokio::time::timeout(COMMIT_TIMEOUT, async {
        loop {
            if let Some((block, index)) = ctx.store.find_tx(&hash) {
                return Some((block, index));
            }
            match blocks.recv().await {
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    })
    .await;
    let Ok(Some((block, index))) = included else {
        return Err(RpcError::internal(
            "timed out waiting for tx to be included in a block",
        ));
    };
    let result = block
        .txs
        .get(index as usize)
        .map(|t| serde_json::to_value(wire::tx_result(t)).unwrap_or_default())
        .unwrap_or_default();
    encode(&json!({
        "check_tx": check_tx,
        "tx_result": result,
        "hash": hash_hex,
        "height": block.height().to_string(),
    }))
}
