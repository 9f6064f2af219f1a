//! The chain's key-value store: cw-multi-test's `MockStorage` plus an undo journal (so a tx's
//! messages, or a proposal's, commit or roll back together) and an incremental digest of the
//! whole state (the app hash).
//!
//! The digest is a multiset hash: the sum modulo 2^256 of sha256(len(key) ‖ key ‖ value) over
//! every stored entry. It does not depend on write order or history, only on the entries, and
//! each write updates it in O(1).

use cosmwasm_std::testing::MockStorage;
use cosmwasm_std::{Order, Record, Storage};
use sha2::{Digest, Sha256};

/// Sum modulo 2^256 of entry hashes, as four little-endian 64-bit limbs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StateDigest([u64; 4]);

impl StateDigest {
    fn entry(key: &[u8], value: &[u8]) -> [u64; 4] {
        let mut h = Sha256::new();
        h.update((key.len() as u64).to_be_bytes());
        h.update(key);
        h.update(value);
        let d = h.finalize();
        let mut limbs = [0u64; 4];
        for (i, limb) in limbs.iter_mut().enumerate() {
            let mut b = [0u8; 8];
            b.copy_from_slice(&d[i * 8..i * 8 + 8]);
            *limb = u64::from_le_bytes(b);
        }
        limbs
    }

    fn add(&mut self, key: &[u8], value: &[u8]) {
        let e = Self::entry(key, value);
        let mut carry = false;
        for (a, b) in self.0.iter_mut().zip(e) {
            let (s1, c1) = a.overflowing_add(b);
            let (s2, c2) = s1.overflowing_add(u64::from(carry));
            *a = s2;
            carry = c1 || c2;
        }
    }

    fn sub(&mut self, key: &[u8], value: &[u8]) {
        let e = Self::entry(key, value);
        let mut borrow = false;
        for (a, b) in self.0.iter_mut().zip(e) {
            let (d1, b1) = a.overflowing_sub(b);
            let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
            *a = d2;
            borrow = b1 || b2;
        }
    }

    /// The digest as 32 bytes (little-endian limbs).
    pub fn to_bytes(self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (i, limb) in self.0.iter().enumerate() {
            out[i * 8..i * 8 + 8].copy_from_slice(&limb.to_le_bytes());
        }
        out
    }
}

/// Previous values of written keys, in write order (`None`: the key was absent).
type Journal = Vec<(Vec<u8>, Option<Vec<u8>>)>;

/// `MockStorage` with an optional undo journal and a running [`StateDigest`].
#[derive(Default)]
pub struct JournaledStorage {
    inner: MockStorage,
    /// Previous values of every key written since `begin`, in write order.
    journal: Option<Journal>,
    digest: StateDigest,
}

impl JournaledStorage {
    /// Starts recording undo information; errors if a journal is already open.
    pub fn begin(&mut self) -> anyhow::Result<()> {
        anyhow::ensure!(self.journal.is_none(), "a storage journal is already open");
        self.journal = Some(Vec::new());
        Ok(())
    }

    /// Keeps every write since `begin`.
    pub fn commit(&mut self) {
        self.journal = None;
    }

    /// Undoes every write since `begin`.
    pub fn rollback(&mut self) {
        let Some(journal) = self.journal.take() else {
            return;
        };
        for (key, old) in journal.into_iter().rev() {
            match old {
                Some(value) => self.write(&key, &value),
                None => self.delete(&key),
            }
        }
    }

    /// Digest of the whole state.
    pub fn digest(&self) -> StateDigest {
        self.digest
    }

    fn write(&mut self, key: &[u8], value: &[u8]) {
        let old = self.inner.get(key);
        if let Some(old) = &old {
            self.digest.sub(key, old);
        }
        self.digest.add(key, value);
        if let Some(journal) = &mut self.journal {
            journal.push((key.to_vec(), old));
        }
        self.inner.set(key, value);
    }

    fn delete(&mut self, key: &[u8]) {
        let Some(old) = self.inner.get(key) else {
            return;
        };
        self.digest.sub(key, &old);
        if let Some(journal) = &mut self.journal {
            journal.push((key.to_vec(), Some(old)));
        }
        self.inner.remove(key);
    }
}

impl Storage for JournaledStorage {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.inner.get(key)
    }

    fn range<'a>(
        &'a self,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        order: Order,
    ) -> Box<dyn Iterator<Item = Record> + 'a> {
        self.inner.range(start, end, order)
    }

    fn set(&mut self, key: &[u8], value: &[u8]) {
        self.write(key, value);
    }

    fn remove(&mut self, key: &[u8]) {
        self.delete(key);
    }
}
