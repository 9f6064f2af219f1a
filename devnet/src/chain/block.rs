//! Blocks: opening one (the app's block info follows the header), sealing it (end blocker,
//! app hash) into an [`ExecutedBlock`].
//!
//! App hash = sha256("supercloud-devnet/app-hash/v1" ‖ height ‖ time ‖ state digest), where the
//! state digest is the multiset hash of every entry in the chain store (see `storage`): two
//! chains with the same entries have the same app hash, whatever path led there.

use cosmwasm_std::{BlockInfo, Timestamp};
use sha2::{Digest, Sha256};

use super::core::{Chain, OpenBlock};
use super::events;
use super::gov;
use crate::node::{AbciEvent, ExecutedBlock};

impl Chain {
    /// Opens the next block at `time_s` (at least one second after the last one). A block that
    /// is already open keeps its time.
    pub fn begin_block(&mut self, time_s: u64) {
        if self.open.is_some() {
            return;
        }
        let height = self.height + 1;
        let time_s = time_s.max(self.time_s + 1);
        self.app.set_block(BlockInfo {
            height,
            time: Timestamp::from_seconds(time_s),
            chain_id: self.config.chain_id.clone(),
        });
        self.open = Some(OpenBlock {
            height,
            time_s,
            txs: Vec::new(),
        });
    }

    /// Opens the next block one block time after the last, unless one is open.
    pub(crate) fn ensure_open(&mut self) {
        if self.open.is_none() {
            self.begin_block(self.time_s + self.config.block_time_s);
        }
    }

    /// Seals the open block (opening an empty one one block time later if none is open): runs
    /// the gov end blocker, fixes the app hash and returns what the block store needs.
    pub fn seal_block(&mut self) -> anyhow::Result<ExecutedBlock> {
        self.ensure_open();
        // Txs from outside, admitted since the last block, go into this one.
        for tx in self.mempool.drain() {
            self.deliver_tx(tx);
        }
        let mut finalize: Vec<AbciEvent> = gov::end_block(self)?;
        events::tag(&mut finalize, "mode", "EndBlock");
        let Some(open) = self.open.take() else {
            anyhow::bail!("no open block to seal");
        };
        let digest = self.app.storage().digest().to_bytes();
        let mut h = Sha256::new();
        h.update(b"supercloud-devnet/app-hash/v1");
        h.update(open.height.to_be_bytes());
        h.update(open.time_s.to_be_bytes());
        h.update(digest);
        self.app_hash = h.finalize().into();
        self.height = open.height;
        self.time_s = open.time_s;
        Ok(ExecutedBlock {
            height: open.height,
            time_unix_nanos: u128::from(open.time_s) * 1_000_000_000,
            txs: open.txs,
            finalize_block_events: finalize,
            app_hash: self.app_hash,
        })
    }

    /// Opens a block at `time_s`, delivers `txs`, seals it.
    pub fn produce_block(
        &mut self,
        time_s: u64,
        txs: Vec<Vec<u8>>,
    ) -> anyhow::Result<ExecutedBlock> {
        self.begin_block(time_s);
        for tx in txs {
            self.deliver_tx(tx);
        }
        self.seal_block()
    }
}
