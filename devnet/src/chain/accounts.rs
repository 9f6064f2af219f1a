//! Named accounts: each a secp256k1 key of one wallet (BIP-44 index in the order names are
//! first derived, see [`super::keys`]), module accounts derived like the SDK's
//! `authtypes.NewModuleAddress`, and their bech32 form.

use std::collections::{BTreeMap, HashMap};

use anyhow::Context;
use bech32::{Bech32, Hrp};
use cosmwasm_std::Addr;
use sha2::{Digest, Sha256};

use super::config::ChainConfig;
use super::keys::{Key, Wallet};

/// The gov module's name (its account is the proposals' authority).
pub const GOV_MODULE: &str = "gov";
/// The fee collector module's name (fees go there).
pub const FEE_COLLECTOR_MODULE: &str = "fee_collector";

/// A named account of the devnet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// Name it was derived from (e.g. `tenant-3`).
    pub name: String,
    /// BIP-44 index of its key (`m/44'/118'/0'/0/index`).
    pub index: u32,
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

fn first20(digest: &[u8]) -> [u8; 20] {
    let mut out = [0u8; 20];
    out.copy_from_slice(&digest[..20]);
    out
}

/// Every named account of a chain: its key from the wallet, by name and by address.
#[derive(Clone, Debug)]
pub struct Keyring {
    prefix: String,
    wallet: Wallet,
    by_name: BTreeMap<String, Account>,
    /// Name and key by bech32 address, for the signer of a tx.
    by_addr: HashMap<String, (String, Key)>,
}

impl Keyring {
    /// An empty keyring deriving the accounts of `wallet` with bech32 `prefix`.
    pub fn new(prefix: &str, wallet: Wallet) -> Self {
        Keyring {
            prefix: prefix.to_string(),
            wallet,
            by_name: BTreeMap::new(),
            by_addr: HashMap::new(),
        }
    }

    /// The keyring of a chain at genesis: the wallet of `config.seed`, with the genesis
    /// accounts derived in the order `Chain::new` funds them (accounts, further balances,
    /// validators), so their BIP-44 indices follow from the config alone.
    pub fn genesis(config: &ChainConfig) -> anyhow::Result<Self> {
        let mut keys = Keyring::new(config.prefix, Wallet::from_seed(config.seed)?);
        let names = (config.accounts.iter().map(|(name, _)| name))
            .chain(config.extra_balances.iter().map(|(name, _, _)| name))
            .chain(config.validators.iter());
        for name in names {
            keys.derive(name)?;
        }
        Ok(keys)
    }

    /// The account `name`, derived (and remembered) on first use: the n-th name derived gets
    /// BIP-44 index n (from 0).
    pub fn derive(&mut self, name: &str) -> anyhow::Result<Account> {
        if let Some(account) = self.by_name.get(name) {
            return Ok(account.clone());
        }
        let index = u32::try_from(self.by_name.len()).context("too many accounts")?;
        let key = self
            .wallet
            .key(index)
            .with_context(|| format!("key of account {name}"))?;
        let raw = key.raw_address();
        let account = Account {
            name: name.to_string(),
            index,
            addr: bech32(&self.prefix, &raw)?,
            raw,
        };
        self.by_addr
            .insert(account.addr.to_string(), (name.to_string(), key));
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
        self.by_addr.get(addr).map(|(name, _)| name.as_str())
    }

    /// The key of the account at `addr`, if it is one of ours.
    pub fn key_of(&self, addr: &str) -> Option<&Key> {
        self.by_addr.get(addr).map(|(_, key)| key)
    }

    /// The mnemonic every account derives from (what a wallet imports to sign as them).
    pub fn phrase(&self) -> &str {
        self.wallet.phrase()
    }

    /// Every account, by name.
    pub fn all(&self) -> impl Iterator<Item = &Account> {
        self.by_name.values()
    }
}
