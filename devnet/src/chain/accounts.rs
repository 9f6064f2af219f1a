//! Deterministic accounts: 20-byte addresses derived from a seed and a name, module accounts
//! derived like the SDK's `authtypes.NewModuleAddress`, and their bech32 form.

use std::collections::BTreeMap;

use anyhow::Context;
use bech32::{Bech32, Hrp};
use cosmwasm_std::Addr;
use sha2::{Digest, Sha256};

/// The gov module's name (its account is the proposals' authority).
pub const GOV_MODULE: &str = "gov";
/// The fee collector module's name (fees go there).
pub const FEE_COLLECTOR_MODULE: &str = "fee_collector";

/// A named account of the devnet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// Name it was derived from (e.g. `tenant-3`).
    pub name: String,
    /// Bech32 address.
    pub addr: Addr,
    /// The 20 address bytes.
    pub raw: [u8; 20],
}

/// Bech32-encodes `bytes` with `prefix`.
pub fn bech32(prefix: &str, bytes: &[u8]) -> anyhow::Result<Addr> {
    let hrp = Hrp::parse(prefix).with_context(|| format!("bech32 prefix {prefix}"))?;
    let text = bech32::encode::<Bech32>(hrp, bytes).context("bech32 encoding")?;
    Ok(Addr::unchecked(text))
}

/// The SDK's module address: the first 20 bytes of sha256(module name)
/// (`address.Module(name)` = `crypto.AddressHash([]byte(name))`).
pub fn module_raw(name: &str) -> [u8; 20] {
    first20(&Sha256::digest(name.as_bytes()))
}

/// The bech32 address of module `name`.
pub fn module_address(prefix: &str, name: &str) -> anyhow::Result<Addr> {
    bech32(prefix, &module_raw(name))
}

/// The 20 address bytes of account `name` under `seed`:
/// sha256("supercloud-devnet/account" ‖ seed (8 bytes BE) ‖ name)[..20].
pub fn account_raw(seed: u64, name: &str) -> [u8; 20] {
    let mut h = Sha256::new();
    h.update(b"supercloud-devnet/account");
    h.update(seed.to_be_bytes());
    h.update(name.as_bytes());
    first20(&h.finalize())
}

fn first20(digest: &[u8]) -> [u8; 20] {
    let mut out = [0u8; 20];
    out.copy_from_slice(&digest[..20]);
    out
}

/// Every named account of a chain, by name.
#[derive(Clone, Debug, Default)]
pub struct Keyring {
    prefix: String,
    seed: u64,
    by_name: BTreeMap<String, Account>,
}

impl Keyring {
    /// An empty keyring deriving addresses under `seed` with bech32 `prefix`.
    pub fn new(prefix: &str, seed: u64) -> Self {
        Keyring {
            prefix: prefix.to_string(),
            seed,
            by_name: BTreeMap::new(),
        }
    }

    /// The account `name`, derived (and remembered) on first use.
    pub fn derive(&mut self, name: &str) -> anyhow::Result<Account> {
        if let Some(account) = self.by_name.get(name) {
            return Ok(account.clone());
        }
        let raw = account_raw(self.seed, name);
        let account = Account {
            name: name.to_string(),
            addr: bech32(&self.prefix, &raw)?,
            raw,
        };
        self.by_name.insert(name.to_string(), account.clone());
        Ok(account)
    }

    /// The account `name` if it was derived.
    pub fn get(&self, name: &str) -> Option<&Account> {
        self.by_name.get(name)
    }

    /// The account `name` or an error naming it.
    pub fn require(&self, name: &str) -> anyhow::Result<&Account> {
        self.get(name)
            .with_context(|| format!("no account named {name}"))
    }

    /// The name of the account at `addr`, if it is one of ours.
    pub fn name_of(&self, addr: &str) -> Option<&str> {
        self.by_name
            .values()
            .find(|a| a.addr.as_str() == addr)
            .map(|a| a.name.as_str())
    }

    /// Every account, by name.
    pub fn all(&self) -> impl Iterator<Item = &Account> {
        self.by_name.values()
    }
}
