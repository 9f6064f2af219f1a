//! The devnet's own records in the chain store (accounts, code registry, contract index,
//! proposals), as JSON under keys starting with `devnet/`, so the undo journal and the state
//! digest cover them like contract state.

use anyhow::Context;
use cosmwasm_std::Storage;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A key under the devnet namespace: `devnet/<parts joined by '/'>`.
pub fn key(parts: &[&[u8]]) -> Vec<u8> {
    let mut k = b"devnet".to_vec();
    for part in parts {
        k.push(b'/');
        k.extend_from_slice(part);
    }
    k
}

/// Reads and decodes the record at `key`.
pub fn load<T: DeserializeOwned>(storage: &dyn Storage, key: &[u8]) -> anyhow::Result<Option<T>> {
    storage
        .get(key)
        .map(|bytes| {
            serde_json::from_slice(&bytes)
                .with_context(|| format!("decoding {}", String::from_utf8_lossy(key)))
        })
        .transpose()
}

/// Encodes and writes `value` at `key`.
pub fn save<T: Serialize>(storage: &mut dyn Storage, key: &[u8], value: &T) -> anyhow::Result<()> {
    let bytes = serde_json::to_vec(value)
        .with_context(|| format!("encoding {}", String::from_utf8_lossy(key)))?;
    storage.set(key, &bytes);
    Ok(())
}
