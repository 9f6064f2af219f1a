//! The RPC methods: parameter handling, height rules and errors as CometBFT 0.38's `rpc/core`
//! (`getHeight`, `filterMinMax`, `validatePage`, `validatePerPage`, `TxSearch` ordering), each
//! returning its result already encoded as CometBFT JSON (see [`super::wire`]).

use std::sync::Arc;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::events;
use super::faults::Faults;
use super::jsonrpc::{Params, RpcError};
use super::query::Query;
use super::store::{BlockStore, SealedBlock};
use super::wire;
use crate::node::Abci;

/// `maxQueryLength` in `rpc/core/events.go`.
pub const MAX_QUERY_LENGTH: usize = 512;
/// `defaultPerPage` / `maxPerPage` in `rpc/core/env.go`.
const DEFAULT_PER_PAGE: i64 = 30;
const MAX_PER_PAGE: i64 = 100;
/// `blockchain` returns at most this many metas.
const BLOCKCHAIN_LIMIT: u64 = 20;

/// Methods served only over the websocket.
pub const WS_ONLY: &[&str] = &["subscribe", "unsubscribe", "unsubscribe_all"];

/// Every method and its argument names (for positional params), as CometBFT's route table.
pub const ROUTES: &[(&str, &[&str])] = &[
    ("health", &[]),
    ("status", &[]),
    ("abci_info", &[]),
    ("abci_query", &["path", "data", "height", "prove"]),
    ("block", &["height"]),
    ("block_by_hash", &["hash"]),
    ("block_results", &["height"]),
    ("blockchain", &["minHeight", "maxHeight"]),
    ("header", &["height"]),
    ("header_by_hash", &["hash"]),
    ("commit", &["height"]),
    ("validators", &["height", "page", "per_page"]),
    ("genesis", &[]),
    ("tx", &["hash", "prove"]),
    (
        "tx_search",
        &["query", "prove", "page", "per_page", "order_by"],
    ),
    ("block_search", &["query", "page", "per_page", "order_by"]),
    ("subscribe", &["query"]),
    ("unsubscribe", &["query"]),
    ("unsubscribe_all", &[]),
];

/// Argument names of `method`, or None if unknown.
pub fn arg_names(method: &str) -> Option<&'static [&'static str]> {
    ROUTES.iter().find(|(m, _)| *m == method).map(|(_, a)| *a)
}

/// Everything a method needs: the store, the app, the fault switches and node identity.
pub struct Node {
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

impl Node {
    /// A node over `store`; `rpc_address` is what `/status` reports.
    pub fn new(
        store: Arc<BlockStore>,
        abci: Arc<dyn Abci>,
        faults: Arc<Faults>,
        rpc_address: String,
    ) -> Self {
        let digest = Sha256::digest(format!("supercloud-devnet-node:{}", store.chain_id()));
        Node {
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

    fn block_at(&self, params: &Params) -> Result<Arc<SealedBlock>, RpcError> {
        let height = self.height(params.int("height")?, self.served_height())?;
        self.store
            .block(height)
            .ok_or_else(|| RpcError::internal(format!("height {height} is not available")))
    }

    fn block_by_hash(&self, params: &Params) -> Result<Option<Arc<SealedBlock>>, RpcError> {
        let hash = params.bytes_base64("hash")?.unwrap_or_default();
        Ok(self
            .store
            .block_by_hash(&hash)
            .filter(|b| b.height() <= self.served_height()))
    }
}

fn encode<T: Serialize>(value: &T) -> Result<String, RpcError> {
    serde_json::to_string(value).map_err(|e| RpcError::internal(format!("encoding result: {e}")))
}

/// Runs `method`; Ok is the encoded `result`.
pub async fn call(node: &Node, method: &str, mut params: Params) -> Result<String, RpcError> {
    let names = arg_names(method).ok_or_else(RpcError::method_not_found)?;
    params.name_positional(names)?;
    let cfg = node.store.config();
    match method {
        "health" => Ok("{}".into()),
        "status" => {
            let latest = node.served_tip();
            let earliest = node.store.earliest();
            encode(&wire::status(&wire::StatusInput {
                node_id: &node.node_id,
                network: &cfg.chain_id,
                moniker: &cfg.moniker,
                app_version: cfg.app_version,
                rpc_address: &node.rpc_address,
                latest: latest.as_deref(),
                earliest: earliest.as_deref().filter(|_| latest.is_some()),
                validator: node.store.validator(),
            }))
        }
        "abci_info" => {
            let tip = node.served_tip();
            encode(&wire::abci_info(
                &cfg.app_name,
                &cfg.app_version_string,
                cfg.app_version,
                tip.as_ref().map_or(0, |b| b.height()),
                tip.as_ref().map_or(&[][..], |b| &b.result_app_hash[..]),
            ))
        }
        "abci_query" => abci_query(node, &params).await,
        "block" => {
            let block = node.block_at(&params)?;
            encode(&wire::result_block(&block))
        }
        "block_by_hash" => match node.block_by_hash(&params)? {
            Some(b) => encode(&wire::result_block(&b)),
            None => {
                Ok(r#"{"block_id":{"hash":"","parts":{"total":0,"hash":""}},"block":null}"#.into())
            }
        },
        "header" => {
            let block = node.block_at(&params)?;
            encode(&wire::result_header(&block))
        }
        "header_by_hash" => match node.block_by_hash(&params)? {
            Some(b) => encode(&wire::result_header(&b)),
            None => Ok(r#"{"header":null}"#.into()),
        },
        "block_results" => {
            let block = node.block_at(&params)?;
            encode(&wire::block_results(&block, cfg.app_version))
        }
        "commit" => {
            let block = node.block_at(&params)?;
            let canonical = block.height() < node.served_height();
            encode(&wire::result_commit(&block, canonical))
        }
        "blockchain" => blockchain(node, &params),
        "validators" => validators(node, &params),
        "genesis" => encode(&wire::genesis(
            &cfg.chain_id,
            &node.store.genesis_time(),
            cfg.initial_height,
            cfg.app_version,
            &cfg.genesis_app_hash,
            node.store.validator(),
        )),
        "tx" => tx(node, &params),
        "tx_search" => tx_search(node, &params),
        "block_search" => block_search(node, &params),
        _ => Err(RpcError::method_not_found()),
    }
}

async fn abci_query(node: &Node, params: &Params) -> Result<String, RpcError> {
    let path = params.string("path")?.unwrap_or_default();
    let data = params.bytes_hex("data")?.unwrap_or_default();
    let height = params.int("height")?.unwrap_or(0);
    let _prove = params.boolean("prove")?;
    let height =
        u64::try_from(height).map_err(|_| RpcError::internal("cannot query with height < 0"))?;
    let abci = Arc::clone(&node.abci);
    let mut outcome = tokio::task::spawn_blocking(move || abci.query(&path, &data, height))
        .await
        .map_err(|e| RpcError::internal(format!("abci query failed: {e}")))?;
    if outcome.height == 0 {
        outcome.height = node.served_height();
    }
    encode(&wire::abci_query(&outcome))
}

fn blockchain(node: &Node, params: &Params) -> Result<String, RpcError> {
    let min = params.int("minHeight")?.unwrap_or(0);
    let max = params.int("maxHeight")?.unwrap_or(0);
    if min < 0 || max < 0 {
        return Err(RpcError::internal("heights must be non-negative"));
    }
    let latest = node.served_height();
    let base = node.store.earliest_height();
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
    let mut blocks = node.store.range(min, max);
    blocks.reverse();
    encode(&wire::blockchain(latest, &blocks))
}

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

fn validators(node: &Node, params: &Params) -> Result<String, RpcError> {
    // The latest validator set known is the next set of the last block.
    let height = node.height(params.int("height")?, node.served_height() + 1)?;
    let per_page = per_page(params)?;
    page(params, per_page, 1)?;
    encode(&wire::validators(node.store.validator(), height))
}

fn tx(node: &Node, params: &Params) -> Result<String, RpcError> {
    let hash = params.bytes_base64("hash")?.unwrap_or_default();
    let prove = params.boolean("prove")?;
    let not_found = || RpcError::internal(format!("tx ({}) not found", wire::hex_upper(&hash)));
    let key: [u8; 32] = hash.as_slice().try_into().map_err(|_| not_found())?;
    let (block, index) = node.store.find_tx(&key).ok_or_else(not_found)?;
    if block.height() > node.served_height() {
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
fn candidate_blocks(node: &Node, query: &Query, height_key: &str) -> Vec<Arc<SealedBlock>> {
    let served = node.served_height();
    match query.eq_number(height_key) {
        Some(h) if h <= served => node.store.block(h).into_iter().collect(),
        Some(_) => Vec::new(),
        None => node.store.range(0, served),
    }
}

fn tx_search(node: &Node, params: &Params) -> Result<String, RpcError> {
    let query = search_query(params)?;
    let prove = params.boolean("prove")?;
    let desc = descending(params)?;
    let mut hits: Vec<(Arc<SealedBlock>, u32)> = Vec::new();
    for block in candidate_blocks(node, &query, "tx.height") {
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

fn block_search(node: &Node, params: &Params) -> Result<String, RpcError> {
    let query = search_query(params)?;
    let desc = descending(params)?;
    let mut hits: Vec<Arc<SealedBlock>> = candidate_blocks(node, &query, "block.height")
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
