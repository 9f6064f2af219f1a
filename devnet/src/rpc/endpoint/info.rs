//! `status`, `abci_info`, `genesis`, `validators`.

use super::{encode, page, per_page, Context};
use crate::rpc::jsonrpc::{Params, RpcError};
use crate::rpc::wire;

pub(super) fn status(ctx: &Context) -> Result<String, RpcError> {
    let cfg = ctx.store.config();
    let latest = ctx.served_tip();
    let earliest = ctx.store.earliest();
    encode(&wire::status(&wire::StatusInput {
        node_id: &ctx.node_id,
        network: &cfg.chain_id,
        moniker: &cfg.moniker,
        app_version: cfg.app_version,
        rpc_address: &ctx.rpc_address,
        latest: latest.as_deref(),
        earliest: earliest.as_deref().filter(|_| latest.is_some()),
        validator: ctx.store.validator(),
    }))
}

pub(super) fn abci_info(ctx: &Context) -> Result<String, RpcError> {
    let cfg = ctx.store.config();
    let tip = ctx.served_tip();
    encode(&wire::abci_info(
        &cfg.app_name,
        &cfg.app_version_string,
        cfg.app_version,
        tip.as_ref().map_or(0, |b| b.height()),
        tip.as_ref().map_or(&[][..], |b| &b.result_app_hash[..]),
    ))
}

pub(super) fn genesis(ctx: &Context) -> Result<String, RpcError> {
    let cfg = ctx.store.config();
    encode(&wire::genesis(
        &cfg.chain_id,
        &ctx.store.genesis_time(),
        cfg.initial_height,
        cfg.app_version,
        &cfg.genesis_app_hash,
        ctx.store.validator(),
    ))
}

pub(super) fn validators(ctx: &Context, params: &Params) -> Result<String, RpcError> {
    // The latest validator set known is the next set of the last block.
    let height = ctx.height(params.int("height")?, ctx.served_height() + 1)?;
    let per_page = per_page(params)?;
    page(params, per_page, 1)?;
    encode(&wire::validators(ctx.store.validator(), height))
}
