//! The RPC half of the devnet: everything between a sealed [`crate::node::ExecutedBlock`] and
//! CometBFT 0.38's JSON-RPC wire format.
//!
//! * [`BlockStore`] seals executed blocks into real CometBFT headers, block ids and commits
//!   (deterministic: same blocks in, same hashes out), indexes tx hashes and broadcasts new
//!   blocks. The chain thread calls [`BlockStore::push`]; handlers only read.
//! * [`serve`] / [`spawn`] run the server on axum 0.8:
//!   `POST /` JSON-RPC 2.0 (single or batch), `GET /<method>?height=3` URI style, and
//!   `/websocket` with `subscribe` / `unsubscribe` / `unsubscribe_all`. Methods: `health`,
//!   `status`, `abci_info`, `abci_query`, `block`, `block_by_hash`, `block_results`,
//!   `blockchain`, `header`, `header_by_hash`, `commit`, `validators`, `genesis`, `tx`,
//!   `tx_search`, `block_search`.
//! * The JSON is CometBFT's own, not tendermint-rs's `Serialize` output; [`wire`] lists every
//!   difference and why.
//! * [`Faults`] injects latency, HTTP 429 / 503, truncated bodies, dropped websockets and a
//!   lagging tip, switchable at runtime and deterministic (seeded PRNG).
//!
//! ```no_run
//! # async fn demo(abci: std::sync::Arc<dyn devnet::node::Abci>) -> anyhow::Result<()> {
//! use std::sync::Arc;
//! use devnet::rpc::{spawn, BlockStore, Faults, StoreConfig};
//! let store = BlockStore::new(StoreConfig::new("akash-devnet-1"))?;
//! let faults = Arc::new(Faults::default());
//! let (addr, _server) = spawn("127.0.0.1:0", store.clone(), abci, faults).await?;
//! println!("CometBFT RPC on http://{addr}");
//! # Ok(()) }
//! ```

pub mod events;
pub mod faults;
pub mod jsonrpc;
pub mod methods;
pub mod query;
pub mod seal;
pub mod server;
pub mod store;
pub mod wire;
pub mod ws;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use faults::{FaultConfig, FaultCounts, FaultKind, Faults};
pub use store::{BlockStore, SealedBlock, SealedBlockSummary, StoreConfig};
pub use wire::COMETBFT_VERSION;

use crate::node::Abci;

/// Serves CometBFT JSON-RPC for `store` on `listener` until the listener fails.
pub async fn serve(
    listener: TcpListener,
    store: Arc<BlockStore>,
    abci: Arc<dyn Abci>,
    faults: Arc<Faults>,
) -> anyhow::Result<()> {
    let addr = listener.local_addr()?;
    let node = methods::Node::new(store, abci, faults, format!("tcp://{addr}"));
    axum::serve(listener, server::router(Arc::new(node))).await?;
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
