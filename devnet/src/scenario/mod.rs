//! A seeded scenario driver: realistic traffic on the deployed suite, deterministic (ChaCha8
//! seeded from the config, no wall clock), fast-forwarded over simulated days and then live.
//!
//! Per block, in order: governance (pilots created by proposals and voted by the validators),
//! the price relayer (AKT/USD random walk pushed to the oracle and published on mock-pyth,
//! hourly and before any price-dependent tx), BME (tenants mint and burn ACT, the keeper runs
//! `process` when an epoch is due), escrow (sponsors fund allowances, tenants open deployments
//! in uakt or ACT with one to three leases, top them up, close them; the keeper finishes
//! refunds), provider withdrawals, reservations (bookings in uakt or ACT, confirmations, claims,
//! cancels, attestation renewals), pilots (enrollment, approval, epoch settlement, finalize),
//! and a few deliberately failing txs.
//!
//! Keeper work (bme `process`, pip settlement, escrow refunds) and price pushes are signed txs
//! from keeper and relayer accounts, not block-level work: on Akash these contracts have no
//! end blocker (CosmWasm has none), bots call the permissionless entry points.

mod actors;
mod bme;
mod calls;
mod closing;
mod config;
mod driver;
mod escrow;
mod failures;
mod governance;
mod oracle;
mod pip;
mod providers;
mod reservations;
mod setup;
mod stats;
mod world;

pub use actors::{chain_config, genesis_accounts, Actors, AKT};
pub use calls::{sdk_numbers, Call};
pub use config::ScenarioConfig;
pub use driver::{Scenario, DAY_S};
pub use stats::{ContractStats, Stats};
pub use world::World;
