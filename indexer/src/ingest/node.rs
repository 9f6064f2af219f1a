//! One RPC node: a tendermint-rpc `HttpClient` in the node's own protocol dialect (read from its
//! `/status`), and what the pool has learnt about it.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use tendermint_rpc::client::CompatMode;
use tendermint_rpc::{Client, HttpClient, HttpClientUrl};

use super::convert::raw_block;
use super::{RawBlock, RpcError, RpcFault};

/// What `/status` says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeStatus {
    pub latest_height: u64,
    /// Time of the latest block, unix seconds.
    pub latest_time: i64,
    pub earliest_height: u64,
    /// The node's CometBFT version.
    pub version: String,
    pub network: String,
}

impl From<&tendermint_rpc::endpoint::status::Response> for NodeStatus {
    fn from(s: &tendermint_rpc::endpoint::status::Response) -> Self {
        NodeStatus {
            latest_height: s.sync_info.latest_block_height.value(),
            latest_time: s.sync_info.latest_block_time.unix_timestamp(),
            earliest_height: s.sync_info.earliest_block_height.value(),
            version: s.node_info.version.to_string(),
            network: s.node_info.network.to_string(),
        }
    }
}

/// An RPC node.
pub struct RpcNode {
    url: String,
    client: HttpClient,
    /// Lowest height the node still has (0 = unknown, assume all).
    lowest: AtomicU64,
    in_flight: AtomicUsize,
}

impl RpcNode {
    /// Connects: reads `/status` with the default dialect, then builds the client in the node's
    /// own (CometBFT 0.34, 0.37 or 0.38) as tendermint-rpc does not detect it.
    pub async fn connect(url: &str, timeout: Duration) -> Result<(Self, NodeStatus), RpcError> {
        let parsed: HttpClientUrl = url.parse().map_err(|e: tendermint_rpc::Error| RpcError {
            url: url.to_string(),
            fault: RpcFault::Connection,
            message: e.to_string(),
        })?;
        let probe = HttpClient::builder(parsed.clone())
            .timeout(timeout)
            .build()
            .map_err(|e| RpcError::classify(url, &e))?;
        let status = probe
            .status()
            .await
            .map_err(|e| RpcError::classify(url, &e))?;
        let mode =
            CompatMode::from_version(status.node_info.version.clone()).unwrap_or(CompatMode::V0_38);
        let client = HttpClient::builder(parsed)
            .compat_mode(mode)
            .timeout(timeout)
            .build()
            .map_err(|e| RpcError::classify(url, &e))?;
        let status = NodeStatus::from(&status);
        let node = RpcNode {
            url: url.to_string(),
            client,
            lowest: AtomicU64::new(status.earliest_height),
            in_flight: AtomicUsize::new(0),
        };
        Ok((node, status))
    }

    /// The node's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Lowest height the node is known to keep.
    pub fn lowest(&self) -> u64 {
        self.lowest.load(Ordering::Relaxed)
    }

    /// Requests in flight on this node.
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Relaxed)
    }

    /// `/status`.
    pub async fn status(&self) -> Result<NodeStatus, RpcError> {
        let s = self
            .client
            .status()
            .await
            .map_err(|e| RpcError::classify(&self.url, &e))?;
        let status = NodeStatus::from(&s);
        self.lowest
            .fetch_max(status.earliest_height, Ordering::Relaxed);
        Ok(status)
    }

    /// `block` and `block_results` of one height, joined, with the events whose type starts
    /// with `keep` (all when `None`).
    pub async fn fetch(&self, height: u64, keep: Option<&str>) -> Result<RawBlock, RpcError> {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        let result = self.fetch_inner(height, keep).await;
        self.in_flight.fetch_sub(1, Ordering::Relaxed);
        if let Err(RpcError {
            fault: RpcFault::Pruned { lowest },
            ..
        }) = &result
        {
            self.lowest.fetch_max(*lowest, Ordering::Relaxed);
        }
        result
    }

    async fn fetch_inner(&self, height: u64, keep: Option<&str>) -> Result<RawBlock, RpcError> {
        let h = tendermint::block::Height::try_from(height).map_err(|e| RpcError {
            url: self.url.clone(),
            fault: RpcFault::NotYet,
            message: e.to_string(),
        })?;
        let (block, results) =
            futures::future::join(self.client.block(h), self.client.block_results(h)).await;
        let block = block.map_err(|e| RpcError::classify(&self.url, &e))?;
        let results = results.map_err(|e| RpcError::classify(&self.url, &e))?;
        if block.block.header.height.value() != height || results.height.value() != height {
            return Err(RpcError {
                url: self.url.clone(),
                fault: RpcFault::Malformed,
                message: format!("asked for height {height}, got another"),
            });
        }
        Ok(raw_block(&block, &results, keep))
    }
}
