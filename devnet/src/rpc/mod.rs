//! The RPC surface of the devnet: CometBFT 0.38's JSON-RPC over the blocks the node side
//! ([`crate::node`]) keeps.
//!
//! * [`method`]: the closed set of methods (name, argument names, websocket-only or not).
//! * [`endpoint`]: their handlers, a file per group (`info`, `blocks`, `abci`, `search`).
//! * [`serve`] / [`spawn`] run the server on axum 0.8 ([`server`]): `POST /` JSON-RPC 2.0 (single
//!   or batch), `GET /<method>?height=3` URI style, and `/websocket` ([`ws`]) with `subscribe` /
//!   `unsubscribe` / `unsubscribe_all` plus every other method.
//! * [`jsonrpc`]: envelopes, errors and parameter decoding for both transports.
//! * [`query`] and [`events`]: CometBFT's event query language and the flattened event maps it
//!   matches (tx and block search, subscriptions).
//! * The JSON is CometBFT's own, not tendermint-rs's `Serialize` output; [`wire`] lists every
//!   difference and why.
//! * [`Faults`] injects latency, HTTP 429 / 503, truncated bodies, dropped websockets and a
//!   lagging tip, switchable at runtime and deterministic (seeded PRNG).
//!
//! ```no_run
//! # async fn demo(abci: std::sync::Arc<dyn devnet::node::Abci>) -> anyhow::Result<()> {
//! use std::sync::Arc;
//! use devnet::node::{BlockStore, StoreConfig};
//! use devnet::rpc::{spawn, Faults};
//! let store = BlockStore::new(StoreConfig::new("akash-devnet-1"))?;
//! let faults = Arc::new(Faults::default());
//! let (addr, _server) = spawn("127.0.0.1:0", store.clone(), abci, faults).await?;
//! println!("CometBFT RPC on http://{addr}");
//! # Ok(()) }
//! ```

pub mod endpoint;
pub mod events;
pub mod faults;
pub mod jsonrpc;
pub mod method;
pub mod query;
pub mod server;
pub mod wire;
pub mod ws;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use faults::{FaultConfig, FaultCounts, FaultKind, Faults};
pub use method::Method;
pub use wire::COMETBFT_VERSION;

use crate::node::{Abci, BlockStore};

/// Serves CometBFT JSON-RPC for `store` on `listener` until the listener fails.
pub async fn serve(
    listener: TcpListener,
    store: Arc<BlockStore>,
    abci: Arc<dyn Abci>,
    faults: Arc<Faults>,
) -> anyhow::Result<()> {
    let addr = listener.local_addr()?;
    let ctx = endpoint::Context::new(store, abci, faults, format!("tcp://{addr}"));
    axum::serve(listener, server::router(Arc::new(ctx))).await?;
    Ok(())
}

/// Binds `addr` (e.g. `"127.0.0.1:0"`) and serves in a background task; returns the bound
/// address and the task.
pub async fn spawn(
    addr: &str,
    store: Arc<BlockStore>,
    abci: Arc<dyn Abci>,
    faults: Arc<Faults>,
) -> anyhow::Result<(SocketAddr, JoinHandle<anyhow::Result<()>>)> {
    let listener = TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    let handle = tokio::spawn(serve(listener, store, abci, faults));
    Ok((bound, handle))
}
