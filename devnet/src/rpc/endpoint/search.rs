//! `tx` by hash, and `tx_search` / `block_search` over the indexed events.

use std::sync::Arc;

use super::{encode, page, per_page, Context, MAX_QUERY_LENGTH};
use crate::node::SealedBlock;
use crate::rpc::events;
use crate::rpc::jsonrpc::{Params, RpcError};
use crate::rpc::query::Query;
use crate::rpc::wire;

pub(super) fn tx(ctx: &Context, params: &Params) -> Result<String, RpcError> {
    let hash = params.bytes_base64("hash")?.unwrap_or_default();
    let prove = params.boolean("prove")?;
    let not_found = || RpcError::internal(format!("tx ({}) not found", wire::hex_upper(&hash)));
    let key: [u8; 32] = hash.as_slice().try_into().map_err(|_| not_found())?;
    let (block, index) = ctx.store.find_tx(&key).ok_or_else(not_found)?;
    if block.height() > ctx.served_height() {
        return Err(not_found());
    }
    let result = wire::result_tx(&block, index, prove).ok_or_else(not_found)?;
    encode(&result)
}

/// Query string, parsed, with CometBFT's length check.
fn search_query(params: &Params) -> Result<Query, RpcError> {
    let text = params.string("query")?.unwrap_or_default();
    if text.len() > MAX_QUERY_LENGTH {
        return Err(RpcError::internal("maximum query length exceeded"));
    }
    Query::parse(&text).map_err(|e| RpcError::internal(e.to_string()))
}

fn descending(params: &Params) -> Result<bool, RpcError> {
    match params.string("order_by")?.as_deref() {
        None | Some("") | Some("asc") => Ok(false),
        Some("desc") => Ok(true),
        Some(_) => Err(RpcError::internal(
            "expected order_by to be either `asc` or `desc` or empty",
        )),
    }
}

/// Blocks a search has to look at: one height for `<key>=N`, else everything served.
fn candidate_blocks(ctx: &Context, query: &Query, height_key: &str) -> Vec<Arc<SealedBlock>> {
    let served = ctx.served_height();
    match query.eq_number(height_key) {
        Some(h) if h <= served => ctx.store.block(h).into_iter().collect(),
        Some(_) => Vec::new(),
        None => ctx.store.range(0, served),
    }
}

pub(super) fn tx_search(ctx: &Context, params: &Params) -> Result<String, RpcError> {
    let query = search_query(params)?;
    let prove = params.boolean("prove")?;
    let desc = descending(params)?;
    let mut hits: Vec<(Arc<SealedBlock>, u32)> = Vec::new();
    for block in candidate_blocks(ctx, &query, "tx.height") {
        for i in 0..block.txs.len() {
            if query.matches(&events::tx_index_map(&block, i)) {
                let index = u32::try_from(i).map_err(|e| RpcError::internal(e.to_string()))?;
                hits.push((Arc::clone(&block), index));
            }
        }
    }
    if desc {
        hits.reverse();
    }
    let total = hits.len();
    let per_page = per_page(params)?;
    let page = page(params, per_page, total)?;
    let results: Vec<wire::ResultTxJson<'_>> = hits
        .iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .filter_map(|(block, index)| wire::result_tx(block, *index, prove))
        .collect();
    encode(&wire::tx_search(results, total))
}

pub(super) fn block_search(ctx: &Context, params: &Params) -> Result<String, RpcError> {
    let query = search_query(params)?;
    let desc = descending(params)?;
    let mut hits: Vec<Arc<SealedBlock>> = candidate_blocks(ctx, &query, "block.height")
        .into_iter()
        .filter(|b| query.matches(&events::block_index_map(b)))
        .collect();
    if desc {
        hits.reverse();
    }
    let total = hits.len();
    let per_page = per_page(params)?;
    let page = page(params, per_page, total)?;
    let blocks = hits
        .iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .map(|b| wire::result_block(b))
        .collect();
    encode(&wire::block_search(blocks, total))
}
