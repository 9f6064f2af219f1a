//! The mempool of txs from outside (RPC `broadcast_tx_*`): admitted after CheckTx, delivered at
//! the start of the next block's sealing beside the scenario's txs, bounded in bytes per tx, in
//! txs per sender and in total, so a flood from one address is refused with a clear error
//! instead of growing memory or delaying everyone else.

use std::collections::{HashMap, VecDeque};

/// CometBFT's default `mempool.max_tx_bytes`.
pub const MAX_TX_BYTES: usize = 1_048_576;
/// Most txs one sender may have waiting (CometBFT has no such cap; the devnet adds it so one
/// address cannot fill the mempool for everyone).
pub const MAX_PENDING_PER_SENDER: usize = 16;
/// CometBFT's default `mempool.size`.
pub const MAX_PENDING: usize = 5_000;

/// Why the mempool refused a tx (a JSON-RPC error, as CometBFT reports mempool refusals).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Larger than [`MAX_TX_BYTES`].
    TooLarge { size: usize },
    /// [`MAX_PENDING`] txs are waiting.
    Full { pending: usize },
    /// The sender has [`MAX_PENDING_PER_SENDER`] txs waiting.
    SenderFull { sender: String, pending: usize },
    /// The same bytes are already waiting.
    Duplicate,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::TooLarge { size } => {
                write!(f, "tx too large. Max size is {MAX_TX_BYTES}, but got {size}")
            }
            Refusal::Full { pending } => {
                write!(f, "mempool is full: number of txs {pending} (max: {MAX_PENDING})")
            }
            Refusal::SenderFull { sender, pending } => write!(
                f,
                "mempool is full for sender {sender}: {pending} txs waiting (max: {MAX_PENDING_PER_SENDER}); \
                 wait for the next block"
            ),
            Refusal::Duplicate => f.write_str("tx already exists in cache"),
        }
    }
}

impl std::error::Error for Refusal {}

/// Txs waiting for the next block, in arrival order.
#[derive(Debug, Default)]
pub struct Mempool {
    txs: VecDeque<Vec<u8>>,
    per_sender: HashMap<String, usize>,
}

impl Mempool {
    /// Refuses what is too large before anything else is looked at.
    pub fn check_size(bytes: &[u8]) -> Result<(), Refusal> {
        if bytes.len() > MAX_TX_BYTES {
            return Err(Refusal::TooLarge { size: bytes.len() });
        }
        Ok(())
    }

    /// Txs of `sender` waiting (CheckTx expects its sequence after them).
    pub fn pending_of(&self, sender: &str) -> u64 {
        self.per_sender.get(sender).copied().unwrap_or(0) as u64
    }

    /// Whether `sender` may add one more tx.
    pub fn room_for(&self, sender: &str, bytes: &[u8]) -> Result<(), Refusal> {
        if self.txs.iter().any(|t| t.as_slice() == bytes) {
            return Err(Refusal::Duplicate);
        }
        if self.txs.len() >= MAX_PENDING {
            return Err(Refusal::Full {
                pending: self.txs.len(),
            });
        }
        let pending = self.per_sender.get(sender).copied().unwrap_or(0);
        if pending >= MAX_PENDING_PER_SENDER {
            return Err(Refusal::SenderFull {
                sender: sender.to_string(),
                pending,
            });
        }
        Ok(())
    }

    /// Adds a tx that passed CheckTx and [`Mempool::room_for`].
    pub fn push(&mut self, sender: &str, bytes: Vec<u8>) {
        *self.per_sender.entry(sender.to_string()).or_default() += 1;
        self.txs.push_back(bytes);
    }

    /// Takes every waiting tx, oldest first.
    pub fn drain(&mut self) -> Vec<Vec<u8>> {
        self.per_sender.clear();
        self.txs.drain(..).collect()
    }

    /// Txs waiting.
    pub fn len(&self) -> usize {
        self.txs.len()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.txs.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_sender_is_capped_and_draining_frees_room() {
        let mut m = Mempool::default();
        for i in 0..MAX_PENDING_PER_SENDER {
            assert_eq!(m.room_for("a", &[i as u8]), Ok(()));
            m.push("a", vec![i as u8]);
        }
        assert_eq!(m.pending_of("a"), MAX_PENDING_PER_SENDER as u64);
        assert!(matches!(
            m.room_for("a", &[200]),
            Err(Refusal::SenderFull { .. })
        ));
        assert_eq!(m.room_for("b", &[200]), Ok(()));
        assert_eq!(m.room_for("b", &[0]), Err(Refusal::Duplicate));
        assert_eq!(m.drain().len(), MAX_PENDING_PER_SENDER);
        assert_eq!((m.pending_of("a"), m.len()), (0, 0));
        assert!(matches!(
            Mempool::check_size(&vec![0; MAX_TX_BYTES + 1]),
            Err(Refusal::TooLarge { .. })
        ));
    }
}
