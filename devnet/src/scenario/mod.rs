//! A seeded scenario driver: traffic that looks like a network on the deployed suite,
//! deterministic (ChaCha8 seeded from the config, no wall clock), fast-forwarded over simulated
//! days and then live.
//!
//! * [`config`]: the named load profiles (`demo`, `mainnet-day`) and their knobs.
//! * [`cast`]: the accounts and their popularity (Zipf: a few large tenants and providers, a
//!   long tail), genesis balances in uakt and the USD stablecoin.
//! * [`actors`]: what each participant does, a module each (governance, relayer, keeper,
//!   tenants, sponsors, providers, auditor, stranger).
//! * [`incidents`]: the stress calendar (outage, crash, pause, slash, upgrade, ...).
//! * [`driver`]: [`Scenario`]: setup, one block at a time, fast-forward, go live.
//! * [`ctx`], [`world`], [`agenda`], [`stats`]: what the actors share (randomness, sending txs,
//!   the model of the chain, timers, counters).
//!
//! Per block, in order: governance (follow-ups of passed proposals, planned pilots), the
//! relayer, the incidents due, the keeper, tenants, sponsors, providers, the auditor, the
//! stranger. Keeper work and price pushes are signed txs from keeper and relayer accounts,
//! not block-level work: on Akash these contracts have no end blocker (CosmWasm has none), bots
//! call the permissionless entry points. Contract events are read back through the catalogue
//! (`TxOutcome::catalogued`), never by attribute key.

pub mod actors;
mod agenda;
pub mod cast;
pub mod config;
pub mod ctx;
mod driver;
pub mod incidents;
mod stats;
pub mod world;

pub use cast::{chain_config, genesis_accounts, Cast, AKT, DEV_ACCOUNT, DEV_FUNDS, STABLE};
pub use config::{Load, ScenarioConfig};
pub use ctx::{sdk_numbers, Call, DAY_S};
pub use driver::Scenario;
pub use stats::{ContractStats, Stats};
pub use world::World;
