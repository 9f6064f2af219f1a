//! Account numbers and sequences (the SDK's x/auth), kept in the chain store.

use cosmwasm_std::Storage;
use serde::{Deserialize, Serialize};

use super::kv;

/// What x/auth stores per account (its public key is stored apart, once it has signed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthRecord {
    /// Assigned when the account is created, in creation order.
    pub account_number: u64,
    /// Txs the account has signed.
    pub sequence: u64,
}

fn account_key(addr: &str) -> Vec<u8> {
    kv::key(&[b"auth", b"account", addr.as_bytes()])
}

fn next_number_key() -> Vec<u8> {
    kv::key(&[b"auth", b"next_number"])
}

/// The account at `addr`, if it exists.
pub fn get(storage: &dyn Storage, addr: &str) -> anyhow::Result<Option<AuthRecord>> {
    kv::load(storage, &account_key(addr))
}

/// The account at `addr`, created with the next account number if missing.
pub fn get_or_create(storage: &mut dyn Storage, addr: &str) -> anyhow::Result<AuthRecord> {
    if let Some(record) = get(storage, addr)? {
        return Ok(record);
    }
    let number: u64 = kv::load(storage, &next_number_key())?.unwrap_or(0);
    let record = AuthRecord {
        account_number: number,
        sequence: 0,
    };
    kv::save(storage, &next_number_key(), &(number + 1))?;
    kv::save(storage, &account_key(addr), &record)?;
    Ok(record)
}

/// Increments the sequence of the (existing) account at `addr`.
pub fn bump_sequence(storage: &mut dyn Storage, addr: &str) -> anyhow::Result<()> {
    let mut record = get_or_create(storage, addr)?;
    record.sequence += 1;
    kv::save(storage, &account_key(addr), &record)
}

fn pub_key_key(addr: &str) -> Vec<u8> {
    kv::key(&[b"auth", b"pub_key", addr.as_bytes()])
}

/// The public key the account at `addr` signed with (set by its first tx).
pub fn pub_key(storage: &dyn Storage, addr: &str) -> anyhow::Result<Option<Vec<u8>>> {
    kv::load(storage, &pub_key_key(addr))
}

/// Records the account's public key (the SDK's SetPubKey).
pub fn set_pub_key(storage: &mut dyn Storage, addr: &str, key: &[u8]) -> anyhow::Result<()> {
    kv::save(storage, &pub_key_key(addr), &key.to_vec())
}
