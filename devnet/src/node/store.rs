//! The block store: sealed blocks by height, a tx-hash index and a broadcast of new blocks for
//! websocket subscribers. Shared (`Arc`) between the chain thread, which calls
//! [`BlockStore::push`] (or [`BlockStore::push_history`]), and the async RPC handlers, which only
//! read. Deterministic: the same sequence of [`ExecutedBlock`]s always yields the same block
//! hashes.
//!
//! Blocks of the simulated history are stored without being announced: like blocks a node
//! synced before anybody subscribed, they are read over HTTP, and a subscriber attached while
//! the history is being built hears from the first live block on instead of falling behind
//! (and being cancelled, as CometBFT cancels a subscriber that does not keep up).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use anyhow::{bail, Context};
use tendermint::block::{self, Commit, Header};
use tendermint::{chain, Time};
use tokio::sync::broadcast;

use super::abci::{AbciEvent, ChainInfo, ExecutedBlock, ExecutedTx};
use super::seal::{self, Parent, SealContext, Validator};

/// Static settings of a store (what `/status`, `/abci_info` and `/genesis` report).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreConfig {
    /// Chain id (at most 50 characters).
    pub chain_id: String,
    /// Node moniker.
    pub moniker: String,
    /// `abci_info` `data` (the app name).
    pub app_name: String,
    /// `abci_info` `version` (the app's software version).
    pub app_version_string: String,
    /// App protocol version (header `version.app`).
    pub app_version: u64,
    /// Height of the first block.
    pub initial_height: u64,
    /// Genesis time, nanoseconds since the Unix epoch.
    pub genesis_time_unix_nanos: u128,
    /// App hash in the header of the first block (the app hash returned by InitChain).
    pub genesis_app_hash: Vec<u8>,
    /// Keep only this many most recent blocks (None = keep all).
    pub keep_recent: Option<u64>,
    /// Capacity of the new-block broadcast; a websocket further behind than this is dropped.
    pub event_capacity: usize,
}

impl StoreConfig {
    /// Defaults for `chain_id`.
    pub fn new(chain_id: impl Into<String>) -> Self {
        StoreConfig {
            chain_id: chain_id.into(),
            moniker: "supercloud-devnet".into(),
            app_name: "supercloud-devnet".into(),
            app_version_string: env!("CARGO_PKG_VERSION").into(),
            app_version: 0,
            initial_height: 1,
            genesis_time_unix_nanos: 0,
            genesis_app_hash: Vec::new(),
            keep_recent: None,
            event_capacity: 256,
        }
    }

    /// Defaults taken from the chain's [`ChainInfo`].
    pub fn from_chain_info(info: &ChainInfo) -> Self {
        StoreConfig {
            moniker: info.moniker.clone(),
            app_version: info.app_version,
            ..StoreConfig::new(info.chain_id.clone())
        }
    }
}

/// A sealed block and everything the RPC serves about it.
#[derive(Debug)]
pub struct SealedBlock {
    /// The CometBFT header.
    pub header: Header,
    /// `header.hash()` with the part-set header.
    pub block_id: block::Id,
    /// Time of the previous block (None at the initial height), for its commit.
    pub parent_time: Option<Time>,
    /// Txs with their results, in block order.
    pub txs: Vec<ExecutedTx>,
    /// `sha256` of each tx, in block order.
    pub tx_hashes: Vec<[u8; 32]>,
    /// Block-level events.
    pub finalize_block_events: Vec<AbciEvent>,
    /// App hash after this block (FinalizeBlock's `app_hash`).
    pub result_app_hash: [u8; 32],
    /// Size of the proto-encoded block.
    pub block_size: usize,
}

impl SealedBlock {
    /// Height as a plain number.
    pub fn height(&self) -> u64 {
        self.header.height.value()
    }

    /// The commit for this block (rebuilt: commits are deterministic, see
    /// [`seal::commit_of`]).
    pub fn commit(&self) -> Commit {
        let h = &self.header;
        seal::commit_of(
            &h.chain_id,
            h.height,
            h.time,
            self.block_id,
            h.proposer_address,
        )
    }

    /// The commit for the previous block (None at the initial height), as this block carries it.
    pub fn last_commit(&self) -> Option<Commit> {
        let h = &self.header;
        let (id, time) = (h.last_block_id?, self.parent_time?);
        let height = block::Height::try_from(h.height.value().checked_sub(1)?).ok()?;
        Some(seal::commit_of(
            &h.chain_id,
            height,
            time,
            id,
            h.proposer_address,
        ))
    }
}

/// What [`BlockStore::push`] returns to the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedBlockSummary {
    /// Height of the sealed block.
    pub height: u64,
    /// Block hash (`block_id.hash`).
    pub block_hash: [u8; 32],
    /// Tx hashes in block order.
    pub tx_hashes: Vec<[u8; 32]>,
    /// App hash written in this block's header (the previous block's result).
    pub header_app_hash: Vec<u8>,
}

impl SealedBlockSummary {
    /// Block hash as CometBFT prints it (uppercase hex).
    pub fn block_hash_hex(&self) -> String {
        hex::encode_upper(self.block_hash)
    }
}

/// Blocks, tx index and subscribers.
pub struct BlockStore {
    config: StoreConfig,
    chain_id: chain::Id,
    validator: Validator,
    genesis_time: Time,
    inner: RwLock<Inner>,
    events: broadcast::Sender<Arc<SealedBlock>>,
}

#[derive(Default)]
struct Inner {
    /// `blocks[i]` has height `base + i`.
    blocks: VecDeque<Arc<SealedBlock>>,
    base: u64,
    /// tx hash -> (height, index in block).
    tx_index: HashMap<[u8; 32], (u64, u32)>,
}

impl std::fmt::Debug for BlockStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockStore")
            .field("chain_id", &self.config.chain_id)
            .field("latest_height", &self.latest_height())
            .finish()
    }
}

impl BlockStore {
    /// An empty store for `config`.
    pub fn new(config: StoreConfig) -> anyhow::Result<Arc<Self>> {
        let chain_id = chain::Id::try_from(config.chain_id.as_str()).context("invalid chain id")?;
        if config.initial_height == 0 {
            bail!("initial height must be at least 1");
        }
        let genesis_time = seal::time_from_nanos(config.genesis_time_unix_nanos)?;
        let (events, _) = broadcast::channel(config.event_capacity.max(1));
        Ok(Arc::new(BlockStore {
            validator: Validator::fixed()?,
            chain_id,
            genesis_time,
            inner: RwLock::new(Inner {
                base: config.initial_height,
                ..Inner::default()
            }),
            events,
            config,
        }))
    }

    /// Seals `block` on top of the current tip, indexes its txs and notifies subscribers.
    /// Fails if the height is not the next one or the time does not increase.
    pub fn push(&self, block: ExecutedBlock) -> anyhow::Result<SealedBlockSummary> {
        self.insert(block, true)
    }

    /// [`BlockStore::push`] without notifying subscribers: a block of the history.
    pub fn push_history(&self, block: ExecutedBlock) -> anyhow::Result<SealedBlockSummary> {
        self.insert(block, false)
    }

    fn insert(&self, block: ExecutedBlock, announce: bool) -> anyhow::Result<SealedBlockSummary> {
        let sealed = {
            let mut inner = self.write();
            let tip = inner.blocks.back().cloned();
            let expected = tip
                .as_ref()
                .map_or(self.config.initial_height, |t| t.height() + 1);
            if block.height != expected {
                bail!("expected block height {expected}, got {}", block.height);
            }
            let time = seal::time_from_nanos(block.time_unix_nanos)?;
            if let Some(t) = &tip {
                if time <= t.header.time {
                    bail!(
                        "block time {} must be after the previous block time {}",
                        time,
                        t.header.time
                    );
                }
            }
            let tx_hashes: Vec<[u8; 32]> = block
                .txs
                .iter()
                .map(|tx| seal::tx_hash(&tx.bytes))
                .collect();
            let ctx = SealContext {
                chain_id: &self.chain_id,
                app_version: self.config.app_version,
                genesis_app_hash: &self.config.genesis_app_hash,
                validator: &self.validator,
            };
            let parent = tip.as_ref().map(|t| Parent {
                block_id: t.block_id,
                commit: t.commit(),
                txs: &t.txs,
                app_hash: &t.result_app_hash,
            });
            let out = seal::seal(&ctx, parent, &block, &tx_hashes)?;
            let sealed = Arc::new(SealedBlock {
                parent_time: tip.as_ref().map(|t| t.header.time),
                header: out.header,
                block_id: out.block_id,
                txs: block.txs,
                tx_hashes,
                finalize_block_events: block.finalize_block_events,
                result_app_hash: block.app_hash,
                block_size: out.block_size,
            });
            for (i, hash) in sealed.tx_hashes.iter().enumerate() {
                let index = u32::try_from(i).context("too many txs in one block")?;
                inner.tx_index.insert(*hash, (block.height, index));
            }
            if inner.blocks.is_empty() {
                inner.base = block.height;
            }
            inner.blocks.push_back(Arc::clone(&sealed));
            if let Some(keep) = self.config.keep_recent {
                let keep = keep.max(1);
                let latest = block.height;
                if latest >= keep {
                    prune(&mut inner, latest + 1 - keep);
                }
            }
            sealed
        };
        let summary = SealedBlockSummary {
            height: sealed.height(),
            block_hash: hash_bytes(&sealed.block_id.hash),
            tx_hashes: sealed.tx_hashes.clone(),
            header_app_hash: sealed.header.app_hash.as_bytes().to_vec(),
        };
        if announce {
            // No receivers is fine: nobody is subscribed.
            let _ = self.events.send(sealed);
        }
        Ok(summary)
    }

    /// Forgets blocks below `height` (CometBFT's pruning: they become "not available").
    pub fn prune_below(&self, height: u64) {
        prune(&mut self.write(), height);
    }

    /// Height of the newest block (0 when empty).
    pub fn latest_height(&self) -> u64 {
        self.read().blocks.back().map_or(0, |b| b.height())
    }

    /// Height of the oldest block still stored (0 when empty).
    pub fn earliest_height(&self) -> u64 {
        self.read().blocks.front().map_or(0, |b| b.height())
    }

    /// The block at `height`, if stored.
    pub fn block(&self, height: u64) -> Option<Arc<SealedBlock>> {
        let inner = self.read();
        let offset = height.checked_sub(inner.base)?;
        inner.blocks.get(usize::try_from(offset).ok()?).cloned()
    }

    /// The newest block.
    pub fn latest(&self) -> Option<Arc<SealedBlock>> {
        self.read().blocks.back().cloned()
    }

    /// The oldest stored block.
    pub fn earliest(&self) -> Option<Arc<SealedBlock>> {
        self.read().blocks.front().cloned()
    }

    /// The block with hash `hash`, if stored.
    pub fn block_by_hash(&self, hash: &[u8]) -> Option<Arc<SealedBlock>> {
        self.read()
            .blocks
            .iter()
            .find(|b| b.block_id.hash.as_bytes() == hash)
            .cloned()
    }

    /// The block holding tx `hash` and its index in it.
    pub fn find_tx(&self, hash: &[u8; 32]) -> Option<(Arc<SealedBlock>, u32)> {
        let (height, index) = *self.read().tx_index.get(hash)?;
        Some((self.block(height)?, index))
    }

    /// Stored blocks with heights in `min..=max`, ascending.
    pub fn range(&self, min: u64, max: u64) -> Vec<Arc<SealedBlock>> {
        let inner = self.read();
        inner
            .blocks
            .iter()
            .filter(|b| (min..=max).contains(&b.height()))
            .cloned()
            .collect()
    }

    /// A receiver of every block pushed from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<SealedBlock>> {
        self.events.subscribe()
    }

    /// The store's settings.
    pub fn config(&self) -> &StoreConfig {
        &self.config
    }

    /// The chain id.
    pub fn chain_id(&self) -> &chain::Id {
        &self.chain_id
    }

    /// The fixed validator.
    pub fn validator(&self) -> &Validator {
        &self.validator
    }

    /// Genesis time.
    pub fn genesis_time(&self) -> Time {
        self.genesis_time
    }

    fn read(&self) -> RwLockReadGuard<'_, Inner> {
        // A panic while holding the lock cannot leave `Inner` half-updated in a way readers
        // care about (push only appends after sealing), so recover from poisoning.
        self.inner.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|e| e.into_inner())
    }
}

fn prune(inner: &mut Inner, below: u64) {
    while let Some(front) = inner.blocks.front() {
        if front.height() >= below || inner.blocks.len() == 1 {
            break;
        }
        if let Some(old) = inner.blocks.pop_front() {
            for hash in &old.tx_hashes {
                if inner
                    .tx_index
                    .get(hash)
                    .is_some_and(|(h, _)| *h == old.height())
                {
                    inner.tx_index.remove(hash);
                }
            }
            inner.base = old.height() + 1;
        }
    }
}

/// The 32 bytes of a SHA-256 block hash (zeros for an empty hash, which sealing never produces).
fn hash_bytes(hash: &tendermint::Hash) -> [u8; 32] {
    let mut out = [0u8; 32];
    if hash.as_bytes().len() == 32 {
        out.copy_from_slice(hash.as_bytes());
    }
    out
}
