//! The RPC nodes used together: a height goes to the least busy node that still has it.

use std::sync::Arc;
use std::time::Duration;

use super::node::{NodeStatus, RpcNode};
use super::{RpcError, RpcFault};

/// Every node the indexer reads.
pub struct NodePool {
    nodes: Vec<Arc<RpcNode>>,
}

impl NodePool {
    /// Connects to every URL; fails only if none answers. Nodes that do not answer at start are
    /// left out (with a warning).
    pub async fn connect(
        urls: &[String],
        timeout: Duration,
    ) -> Result<(Self, NodeStatus), RpcError> {
        let mut nodes = Vec::new();
        let mut best: Option<NodeStatus> = None;
        let mut last_err = None;
        for url in urls {
            match RpcNode::connect(url, timeout).await {
                Ok((node, status)) => {
                    tracing::info!(
                        url = %url,
                        version = %status.version,
                        network = %status.network,
                        latest = status.latest_height,
                        earliest = status.earliest_height,
                        "rpc node"
                    );
                    if best
                        .as_ref()
                        .is_none_or(|b| status.latest_height > b.latest_height)
                    {
                        best = Some(status);
                    }
                    nodes.push(Arc::new(node));
                }
                Err(e) => {
                    tracing::warn!(error = %e, "rpc node left out");
                    last_err = Some(e);
                }
            }
        }
        match best {
            Some(status) => Ok((NodePool { nodes }, status)),
            None => Err(last_err.unwrap_or(RpcError {
                url: String::new(),
                fault: RpcFault::Connection,
                message: "no --rpc URL given".into(),
            })),
        }
    }

    /// The nodes.
    pub fn nodes(&self) -> &[Arc<RpcNode>] {
        &self.nodes
    }

    /// The node to ask for `height`: among those that still keep it, the least busy; `attempt`
    /// rotates between equally busy ones so a retry tries another node. `None` when every node
    /// has pruned the height.
    pub fn pick(&self, height: u64, attempt: usize) -> Option<Arc<RpcNode>> {
        let able: Vec<_> = self.nodes.iter().filter(|n| n.lowest() <= height).collect();
        let least = able.iter().map(|n| n.in_flight()).min()?;
        let idle: Vec<_> = able.iter().filter(|n| n.in_flight() == least).collect();
        idle.get(attempt % idle.len().max(1)).map(|n| Arc::clone(n))
    }

    /// The highest tip any node reports, with its block time in unix seconds (nodes that fail
    /// to answer are skipped).
    pub async fn tip(&self) -> Result<(u64, i64), RpcError> {
        let mut tip: Option<(u64, i64)> = None;
        let mut last_err = None;
        for node in &self.nodes {
            match node.status().await {
                Ok(s) => {
                    if tip.is_none_or(|(h, _)| s.latest_height > h) {
                        tip = Some((s.latest_height, s.latest_time));
                    }
                }
                Err(e) => last_err = Some(e),
            }
        }
        match (tip, last_err) {
            (Some(t), _) => Ok(t),
            (None, Some(e)) => Err(e),
            (None, None) => Ok((0, 0)),
        }
    }
}
