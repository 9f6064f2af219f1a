//! Blocks, headers, commits and results by height or hash, and `blockchain` metas.

use std::sync::Arc;

use super::{encode, Context};
use crate::node::SealedBlock;
use crate::rpc::jsonrpc::{Params, RpcError};
use crate::rpc::wire;

/// `blockchain` returns at most this many metas.
const BLOCKCHAIN_LIMIT: u64 = 20;

fn by_hash(ctx: &Context, params: &Params) -> Result<Option<Arc<SealedBlock>>, RpcError> {
    let hash = params.bytes_base64("hash")?.unwrap_or_default();
    Ok(ctx
        .store
        .block_by_hash(&hash)
        .filter(|b| b.height() <= ctx.served_height()))
}

pub(super) fn block(ctx: &Context, params: &Params) -> Result<String, RpcError> {
    let block = ctx.block_at(params)?;
    encode(&wire::result_block(&block))
}

pub(super) fn block_by_hash(ctx: &Context, params: &Params) -> Result<String, RpcError> {
    match by_hash(ctx, params)? {
        Some(b) => encode(&wire::result_block(&b)),
        None => Ok(r#"{"block_id":{"hash":"","parts":{"total":0,"hash":""}},"block":null}"#.into()),
    }
}

pub(super) fn header(ctx: &Context, params: &Params) -> Result<String, RpcError> {
    let block = ctx.block_at(params)?;
    encode(&wire::result_header(&block))
}

pub(super) fn header_by_hash(ctx: &Context, params: &Params) -> Result<String, RpcError> {
    match by_hash(ctx, params)? {
        Some(b) => encode(&wire::result_header(&b)),
        None => Ok(r#"{"header":null}"#.into()),
    }
}

pub(super) fn block_results(ctx: &Context, params: &Params) -> Result<String, RpcError> {
    let block = ctx.block_at(params)?;
    encode(&wire::block_results(&block, ctx.store.config().app_version))
}

pub(super) fn commit(ctx: &Context, params: &Params) -> Result<String, RpcError> {
    let block = ctx.block_at(params)?;
    let canonical = block.height() < ctx.served_height();
    encode(&wire::result_commit(&block, canonical))
}

/// CometBFT `filterMinMax` over the served heights, newest first.
pub(super) fn blockchain(ctx: &Context, params: &Params) -> Result<String, RpcError> {
    let min = params.int("minHeight")?.unwrap_or(0);
    let max = params.int("maxHeight")?.unwrap_or(0);
    if min < 0 || max < 0 {
        return Err(RpcError::internal("heights must be non-negative"));
    }
    let latest = ctx.served_height();
    let base = ctx.store.earliest_height();
    let (mut min, mut max) = (min.unsigned_abs(), max.unsigned_abs());
    if min == 0 {
        min = 1;
    }
    if max == 0 {
        max = latest;
    }
    max = max.min(latest);
    min = min
        .max(base)
        .max((max + 1).saturating_sub(BLOCKCHAIN_LIMIT));
    if min > max {
        return Err(RpcError::internal(format!(
            "min height {min} can't be greater than max height {max}"
        )));
    }
    let mut blocks = ctx.store.range(min, max);
    blocks.reverse();
    encode(&wire::blockchain(latest, &blocks))
}
