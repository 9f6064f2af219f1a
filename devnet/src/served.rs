//! A devnet behind its RPC: the chain thread seals blocks into the block store that the
//! CometBFT JSON-RPC server reads. What the `devnet` binary runs and what end-to-end tests start.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::node::{BlockStore, ExecutedBlock, StoreConfig};
use crate::rpc::Faults;
use crate::runner::{BlockSink, Devnet, DevnetConfig, Summary};

/// A running devnet and the RPC server in front of it.
pub struct Served {
    /// The chain thread.
    pub devnet: Arc<Devnet>,
    /// Every sealed block, as the RPC serves it.
    pub store: Arc<BlockStore>,
    /// Where the RPC listens.
    pub addr: SocketAddr,
    /// The RPC server task.
    pub server: JoinHandle<anyhow::Result<()>>,
    refused: Arc<AtomicU64>,
}

impl Served {
    /// Starts `config`'s chain (genesis, then the history, then live blocks) and serves it on
    /// `listener` with `faults`. Call from within a tokio runtime; see [`Served::ready`].
    pub fn start(
        config: DevnetConfig,
        listener: TcpListener,
        faults: Arc<Faults>,
    ) -> anyhow::Result<Served> {
        let addr = listener.local_addr()?;
        let store = BlockStore::new(StoreConfig {
            genesis_time_unix_nanos: u128::from(config.chain.genesis_time_s) * 1_000_000_000,
            keep_recent: config.keep_recent,
            ..StoreConfig::new(config.chain.chain_id.clone())
        })?;
        let refused = Arc::new(AtomicU64::new(0));
        let sink = StoreSink {
            store: store.clone(),
            refused: refused.clone(),
        };
        let devnet = Devnet::start(config, Box::new(sink))?;
        let server = tokio::spawn(crate::rpc::serve(
            listener,
            store.clone(),
            devnet.abci(),
            faults,
        ));
        Ok(Served {
            devnet: Arc::new(devnet),
            store,
            addr,
            server,
            refused,
        })
    }

    /// Sealed blocks the store refused (0 unless the devnet has a bug).
    pub fn refused_blocks(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }

    /// Waits, off the async threads, until genesis and the history are sealed and stored.
    pub async fn ready(&self) -> anyhow::Result<Summary> {
        let devnet = self.devnet.clone();
        tokio::task::spawn_blocking(move || devnet.wait_ready()).await?
    }
}

/// The chain thread's view of the store: history blocks stored quietly, live blocks announced.
struct StoreSink {
    store: Arc<BlockStore>,
    refused: Arc<AtomicU64>,
}

impl StoreSink {
    fn check(&self, pushed: anyhow::Result<crate::node::SealedBlockSummary>) {
        // Heights are sealed in order; a refusal is a devnet bug: reported and counted, not
        // fatal to a running demo.
        if let Err(e) = pushed {
            eprintln!("devnet: block store refused a block: {e:#}");
            self.refused.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl BlockSink for StoreSink {
    fn history(&mut self, block: ExecutedBlock) {
        self.check(self.store.push_history(block));
    }

    fn live(&mut self, block: ExecutedBlock) {
        self.check(self.store.push(block));
    }
}
