//! [`Chain`]: the state machine. One `App` on one thread; txs execute as they are delivered into
//! the open block, and sealing the block runs the end blocker and fixes the app hash.

use anyhow::Context;
use cosmwasm_std::{Addr, BlockInfo, Coin, Timestamp};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::accounts::{module_address, Account, Keyring, FEE_COLLECTOR_MODULE, GOV_MODULE};
use super::app::{self, DevApp};
use super::auth;
use super::codes::CodeLoader;
use super::config::ChainConfig;
use crate::node::ExecutedTx;

/// The block being built.
pub(crate) struct OpenBlock {
    pub height: u64,
    pub time_s: u64,
    pub txs: Vec<ExecutedTx>,
}

/// The devnet chain: a cw-multi-test `App` plus x/auth, x/gov and wasmd's upload rules.
pub struct Chain {
    pub(crate) app: DevApp,
    pub(crate) loader: Box<dyn CodeLoader>,
    pub(crate) config: ChainConfig,
    pub(crate) keys: Keyring,
    pub(crate) gov: Addr,
    pub(crate) fee_collector: Addr,
    /// Last sealed height (0 before the first block).
    pub(crate) height: u64,
    /// Time of the last sealed block, seconds.
    pub(crate) time_s: u64,
    pub(crate) open: Option<OpenBlock>,
    pub(crate) app_hash: [u8; 32],
    /// Txs from outside waiting for the next block.
    pub(crate) mempool: super::mempool::Mempool,
}

impl Chain {
    /// A chain at genesis: every configured account (and each validator) funded and registered,
    /// the gov module account funded; no block sealed yet.
    pub fn new(config: ChainConfig, loader: Box<dyn CodeLoader>) -> anyhow::Result<Self> {
        let mut keys = Keyring::genesis(&config)?;
        let gov = module_address(config.prefix, GOV_MODULE)?;
        let fee_collector = module_address(config.prefix, FEE_COLLECTOR_MODULE)?;
        let mut balances: Vec<(Addr, Vec<Coin>)> = Vec::new();
        let mut registered: Vec<Addr> = Vec::new();
        for (name, amount) in &config.accounts {
            let account = keys.derive(name)?;
            balances.push((
                account.addr.clone(),
                vec![Coin::new(*amount, &config.denom)],
            ));
            registered.push(account.addr);
        }
        for (name, denom, amount) in &config.extra_balances {
            let account = keys.derive(name)?;
            let coin = Coin::new(*amount, denom);
            match balances.iter_mut().find(|(a, _)| *a == account.addr) {
                Some((_, coins)) => coins.push(coin),
                None => {
                    balances.push((account.addr.clone(), vec![coin]));
                    registered.push(account.addr);
                }
            }
        }
        for name in &config.validators {
            let account = keys.derive(name)?;
            if !registered.contains(&account.addr) {
                balances.push((
                    account.addr.clone(),
                    vec![Coin::new(1_000_000_000u128, &config.denom)],
                ));
                registered.push(account.addr);
            }
        }
        if config.gov_balance > 0 {
            balances.push((
                gov.clone(),
                vec![Coin::new(config.gov_balance, &config.denom)],
            ));
        }
        let genesis = BlockInfo {
            height: 0,
            time: Timestamp::from_seconds(config.genesis_time_s),
            chain_id: config.chain_id.clone(),
        };
        let mut app = app::build(config.prefix, genesis, balances)?;
        for addr in [&gov, &fee_collector].into_iter().chain(registered.iter()) {
            auth::get_or_create(app.storage_mut(), addr.as_str())?;
        }
        let app_hash = app.storage().digest().to_bytes();
        Ok(Chain {
            app,
            loader,
            time_s: config.genesis_time_s.saturating_sub(config.block_time_s),
            config,
            keys,
            gov,
            fee_collector,
            height: 0,
            open: None,
            app_hash,
            mempool: Default::default(),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &ChainConfig {
        &self.config
    }

    /// Last sealed height.
    pub fn height(&self) -> u64 {
        self.height
    }

    /// Time of the last sealed block (seconds); before block 1, one block time before genesis.
    pub fn time_s(&self) -> u64 {
        self.time_s
    }

    /// App hash after the last sealed block.
    pub fn app_hash(&self) -> [u8; 32] {
        self.app_hash
    }

    /// Height and time the next tx executes at (the open block, or the one that would open).
    pub fn pending_block(&self) -> (u64, u64) {
        match &self.open {
            Some(b) => (b.height, b.time_s),
            None => (self.height + 1, self.time_s + self.config.block_time_s),
        }
    }

    /// The gov module account (authority of every contract).
    pub fn gov(&self) -> &Addr {
        &self.gov
    }

    /// The fee collector module account.
    pub fn fee_collector(&self) -> &Addr {
        &self.fee_collector
    }

    /// The named account, derived on first use (it exists on chain once funded or signing).
    pub fn account(&mut self, name: &str) -> anyhow::Result<Account> {
        self.keys.derive(name)
    }

    /// Every named account derived so far.
    pub fn keyring(&self) -> &Keyring {
        &self.keys
    }

    /// The underlying app (read-only).
    pub fn app(&self) -> &DevApp {
        &self.app
    }

    /// A smart query against the current state.
    pub fn query_smart<T: DeserializeOwned, M: Serialize>(
        &self,
        contract: &Addr,
        msg: &M,
    ) -> anyhow::Result<T> {
        self.app
            .wrap()
            .query_wasm_smart(contract, msg)
            .map_err(|e| anyhow::anyhow!("query {contract}: {e}"))
    }

    /// Bank balance of `addr` in `denom`.
    pub fn balance(&self, addr: &Addr, denom: &str) -> anyhow::Result<u128> {
        let coin = self
            .app
            .wrap()
            .query_balance(addr, denom)
            .map_err(|e| anyhow::anyhow!("balance of {addr}: {e}"))?;
        cosmwasm_std::Uint128::try_from(coin.amount)
            .map(|a| a.u128())
            .context("balance above u128")
    }

    /// Every non-zero bank balance of `addr`, by denom (read from the bank module's store).
    pub fn all_balances(&self, addr: &str) -> anyhow::Result<Vec<Coin>> {
        let mut key = Vec::with_capacity(16 + addr.len());
        for part in [&b"bank"[..], &b"balances"[..]] {
            key.extend_from_slice(&(part.len() as u16).to_be_bytes());
            key.extend_from_slice(part);
        }
        key.extend_from_slice(addr.as_bytes());
        let Some(bytes) = cosmwasm_std::Storage::get(self.app.storage(), &key) else {
            return Ok(Vec::new());
        };
        let mut coins: Vec<Coin> =
            serde_json::from_slice(&bytes).context("decoding a bank balance")?;
        coins.retain(|c| !c.amount.is_zero());
        coins.sort_by(|a, b| a.denom.cmp(&b.denom));
        Ok(coins)
    }

    /// Account number and next sequence of `addr` (after every tx delivered so far).
    pub fn auth(&self, addr: &Addr) -> anyhow::Result<auth::AuthRecord> {
        auth::get(self.app.storage(), addr.as_str())?
            .with_context(|| format!("account {addr} not found"))
    }
}
