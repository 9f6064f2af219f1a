//! The methods' handlers, a file per group of endpoints, with parameter handling, height rules and
//! errors as CometBFT 0.38's `rpc/core` (`getHeight`, `filterMinMax`, `validatePage`,
//! `validatePerPage`, `TxSearch` ordering). Each returns its result already encoded as CometBFT
//! JSON (see [`super::wire`]).
//!
//! * [`info`]: `health`, `status`, `abci_info`, `genesis`, `validators`.
//! * [`blocks`]: `block`, `block_by_hash`, `header`, `header_by_hash`, `block_results`, `commit`,
//!   `blockchain`.
//! * [`abci`](self::abci): `abci_query`.
//! * [`search`]: `tx`, `tx_search`, `block_search`.
//! * [`broadcast`]: `broadcast_tx_async`, `broadcast_tx_sync`, `broadcast_tx_commit`.
//!
//! The subscription methods live with the websocket ([`super::ws`]).

mod abci;
mod blocks;
mod broadcast;
mod info;
mod search;

use std::sync::Arc;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::faults::Faults;
use super::jsonrpc::{Params, RpcError};
use super::method::Method;
use crate::node::{Abci, BlockStore, SealedBlock};

/// `maxQueryLength` in `rpc/core/events.go`.
pub const MAX_QUERY_LENGTH: usize = 512;
/// `defaultPerPage` / `maxPerPage` in `rpc/core/env.go`.
const DEFAULT_PER_PAGE: i64 = 30;
const MAX_PER_PAGE: i64 = 100;

/// Everything a method needs: the store, the app, the fault switches and node identity.
pub struct Context {
    /// Blocks.
    pub store: Arc<BlockStore>,
    /// The app, for `abci_query`.
    pub abci: Arc<dyn Abci>,
    /// Fault switches.
    pub faults: Arc<Faults>,
    /// `node_info.id`.
    pub node_id: String,
    /// `node_info.other.rpc_address`.
    pub rpc_address: String,
}

impl Context {
    /// A context over `store`; `rpc_address` is what `/status` reports.
    pub fn new(
        store: Arc<BlockStore>,
        abci: Arc<dyn Abci>,
        faults: Arc<Faults>,
        rpc_address: String,
    ) -> Self {
        let digest = Sha256::digest(format!("supercloud-devnet-node:{}", store.chain_id()));
        Context {
            node_id: hex::encode(&digest[..20]),
            store,
            abci,
            faults,
            rpc_address,
        }
    }

    /// The newest height served over HTTP (the tip minus the lag fault; 0 = nothing yet).
    pub fn served_height(&self) -> u64 {
        let latest = self.store.latest_height();
        let served = latest.saturating_sub(self.faults.lag_blocks());
        if served < self.store.earliest_height() {
            0
        } else {
            served
        }
    }

    /// The newest served block.
    fn served_tip(&self) -> Option<Arc<SealedBlock>> {
        self.store.block(self.served_height())
    }

    /// CometBFT `getHeight`: None = latest; rejects 0, future and pruned heights.
    fn height(&self, requested: Option<i64>, latest: u64) -> Result<u64, RpcError> {
        let base = self.store.earliest_height();
        match requested {
            None if latest == 0 => Err(RpcError::internal("no blocks yet")),
            None => Ok(latest),
            Some(h) if h <= 0 => Err(RpcError::internal(format!(
                "height must be greater than 0, but got {h}"
            ))),
            Some(h) if h.unsigned_abs() > latest => Err(RpcError::internal(format!(
                "height {h} must be less than or equal to the current blockchain height {latest}"
            ))),
            Some(h) if h.unsigned_abs() < base => Err(RpcError::internal(format!(
                "height {h} is not available, lowest height is {base}"
            ))),
            Some(h) => Ok(h.unsigned_abs()),
        }
    }

    /// The served block at the `height` param (latest when absent).
    fn block_at(&self, params: &Params) -> Result<Arc<SealedBlock>, RpcError> {
        let height = self.height(params.int("height")?, self.served_height())?;
        self.store
            .block(height)
            .ok_or_else(|| RpcError::internal(format!("height {height} is not available")))
    }
}

fn encode<T: Serialize>(value: &T) -> Result<String, RpcError> {
    serde_json::to_string(value).map_err(|e| RpcError::internal(format!("encoding result: {e}")))
}

/// Runs `method`; Ok is the encoded `result`. Websocket-only methods are "not found" here (the
/// websocket answers them itself).
pub async fn call(ctx: &Context, method: Method, mut params: Params) -> Result<String, RpcError> {
    params.name_positional(method.params())?;
    match method {
        Method::Health => Ok("{}".into()),
        Method::Status => info::status(ctx),
        Method::AbciInfo => info::abci_info(ctx),
        Method::Genesis => info::genesis(ctx),
        Method::Validators => info::validators(ctx, &params),
        Method::AbciQuery => abci::query(ctx, &params).await,
        Method::Block => blocks::block(ctx, &params),
        Method::BlockByHash => blocks::block_by_hash(ctx, &params),
        Method::Header => blocks::header(ctx, &params),
        Method::HeaderByHash => blocks::header_by_hash(ctx, &params),
        Method::BlockResults => blocks::block_results(ctx, &params),
        Method::Commit => blocks::commit(ctx, &params),
        Method::Blockchain => blocks::blockchain(ctx, &params),
        Method::Tx => search::tx(ctx, &params),
        Method::TxSearch => search::tx_search(ctx, &params),
        Method::BlockSearch => search::block_search(ctx, &params),
        Method::BroadcastTxAsync => {
            broadcast::broadcast(ctx, &params, broadcast::Wait::Async).await
        }
        Method::BroadcastTxSync => broadcast::broadcast(ctx, &params, broadcast::Wait::Sync).await,
        Method::BroadcastTxCommit => {
            broadcast::broadcast(ctx, &params, broadcast::Wait::Commit).await
        }
        Method::Subscribe | Method::Unsubscribe | Method::UnsubscribeAll => {
            Err(RpcError::method_not_found())
        }
    }
}

/// The `per_page` param, defaulted and capped as CometBFT's `validatePerPage`.
fn per_page(params: &Params) -> Result<usize, RpcError> {
    let n = match params.int("per_page")? {
        None => DEFAULT_PER_PAGE,
        Some(n) if n < 1 => DEFAULT_PER_PAGE,
        Some(n) => n.min(MAX_PER_PAGE),
    };
    Ok(n.unsigned_abs() as usize)
}

/// CometBFT `validatePage`: 1-based page within `[1, pages]`.
fn page(params: &Params, per_page: usize, total: usize) -> Result<usize, RpcError> {
    let pages = (total.saturating_sub(1) / per_page + 1).max(1);
    match params.int("page")? {
        None => Ok(1),
        Some(p) if p <= 0 || p.unsigned_abs() as usize > pages => Err(RpcError::internal(format!(
            "page should be within [1, {pages}] range, given {p}"
        ))),
        Some(p) => Ok(p.unsigned_abs() as usize),
    }
}
