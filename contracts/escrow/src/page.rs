//! Raw paging for the paginated queries: one loop over the storage under a map's key prefix,
//! shared by all six, and the few key layouts they page over, encoded and decoded by hand.
//!
//! Why: cw-storage-plus's typed `prefix(..).range(..)` instantiates an iterator, a bound encoder
//! and a key decoder for every key and value type, about 1 KB of wasm per query (DESIGN §3 size
//! limit). The bytes are cw-storage-plus's own layout: a map's namespace and every key part but
//! the last length-prefixed with two big-endian bytes, the last part raw, a `u64` part as 8
//! big-endian bytes. The tests check every layout used here against its typed iteration.

use cosmwasm_std::{Addr, Order, StdError, Storage};
use supercloud_std::page_limit;

use crate::error::ContractError;

/// A map's key bytes up to the paged part: `full` is a key whose paged part takes its last
/// `suffix_len` bytes.
pub fn prefix_of(full: &[u8], suffix_len: usize) -> &[u8] {
    full.get(..full.len().saturating_sub(suffix_len))
        .unwrap_or_default()
}

/// Up to a page (`limit`, as `page_limit` clamps it) of the entries under `prefix`, ascending,
/// after the key suffix `start_after` (exclusive): each entry's key suffix and raw value.
pub fn page(
    storage: &dyn Storage,
    prefix: &[u8],
    start_after: Option<Vec<u8>>,
    limit: Option<u32>,
) -> Vec<(Vec<u8>, Vec<u8>)> {
    // The first key after `k` is `k` followed by a zero byte.
    let start = match start_after {
        Some(suffix) => [prefix, &suffix, &[0]].concat(),
        None => prefix.to_vec(),
    };
    // Every key under `prefix` sorts before the prefix with its last byte below 0xff raised by
    // one (trailing 0xff bytes dropped); none is unbounded.
    let mut end = prefix.to_vec();
    while end.last() == Some(&u8::MAX) {
        end.pop();
    }
    if let Some(last) = end.last_mut() {
        *last = last.saturating_add(1);
    }
    let end = (!end.is_empty()).then_some(end);
    let mut entries = storage.range(Some(&start), end.as_deref(), Order::Ascending);
    let mut page = vec![];
    for _ in 0..page_limit(limit) {
        let Some((mut key, value)) = entries.next() else {
            break;
        };
        // Every key in the range starts with `prefix`.
        key.drain(..prefix.len().min(key.len()));
        page.push((key, value));
    }
    page
}

/// Appends a key part that is not the last: its length (two big-endian bytes), then the bytes.
pub fn push_part(key: &mut Vec<u8>, part: &[u8]) {
    // Parts here are addresses and `u64`s, far below 64 KiB.
    let len = u16::try_from(part.len()).unwrap_or(u16::MAX);
    key.extend_from_slice(&len.to_be_bytes());
    key.extend_from_slice(part);
}

/// Reads a key suffix part by part.
pub struct KeyReader<'a>(&'a [u8]);

impl<'a> KeyReader<'a> {
    /// Starts at the first byte of `suffix`.
    pub fn new(suffix: &'a [u8]) -> Self {
        KeyReader(suffix)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], ContractError> {
        let (head, rest) = self.0.split_at_checked(n).ok_or_else(malformed)?;
        self.0 = rest;
        Ok(head)
    }

    /// A length-prefixed part (any part but the last).
    pub fn part(&mut self) -> Result<&'a [u8], ContractError> {
        let len: [u8; 2] = self.take(2)?.try_into().map_err(|_| malformed())?;
        self.take(usize::from(u16::from_be_bytes(len)))
    }

    /// A `u64` part: the last part, or (`prefixed`) one before it.
    pub fn u64(&mut self, prefixed: bool) -> Result<u64, ContractError> {
        let bytes = if prefixed {
            self.part()?
        } else {
            self.take(8)?
        };
        let bytes: [u8; 8] = bytes.try_into().map_err(|_| malformed())?;
        Ok(u64::from_be_bytes(bytes))
    }

    /// An address part (never the last here).
    pub fn addr(&mut self) -> Result<Addr, ContractError> {
        Ok(Addr::unchecked(utf8(self.part()?)?))
    }

    /// The rest of the suffix as text (a last string part).
    pub fn rest_str(self) -> Result<String, ContractError> {
        utf8(self.0)
    }
}

fn utf8(bytes: &[u8]) -> Result<String, ContractError> {
    String::from_utf8(bytes.to_vec()).map_err(|_| malformed())
}

fn malformed() -> ContractError {
    StdError::msg("malformed storage key").into()
}

#[cfg(test)]
#[path = "page_tests.rs"]
mod tests;
