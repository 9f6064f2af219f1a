//! `abci_query`: forwarded to the app off the async threads.

use std::sync::Arc;

use super::{encode, Context};
use crate::rpc::jsonrpc::{Params, RpcError};
use crate::rpc::wire;

pub(super) async fn query(ctx: &Context, params: &Params) -> Result<String, RpcError> {
    let path = params.string("path")?.unwrap_or_default();
    let data = params.bytes_hex("data")?.unwrap_or_default();
    let height = params.int("height")?.unwrap_or(0);
    let _prove = params.boolean("prove")?;
    let height =
        u64::try_from(height).map_err(|_| RpcError::internal("cannot query with height < 0"))?;
    let abci = Arc::clone(&ctx.abci);
    let mut outcome = tokio::task::spawn_blocking(move || abci.query(&path, &data, height))
        .await
        .map_err(|e| RpcError::internal(format!("abci query failed: {e}")))?;
    if outcome.height == 0 {
        outcome.height = ctx.served_height();
    }
    encode(&wire::abci_query(&outcome))
}
