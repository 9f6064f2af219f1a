//! The actors, a module each: what every kind of participant does, in one place.
//!
//! | actor | does |
//! |---|---|
//! | [`governance`] | proposals: pilots, pauses, configuration, authority, vault, slashes, upgrade |
//! | [`relayer`] | AKT/USD prices on the oracle and mock-pyth (and a second relayer) |
//! | [`keeper`] | bme epochs, escrow refunds, pilot settlement and finalization, expired requests, reclamation ends |
//! | [`tenants`] | deployments (mostly lease-less), top-ups, closes; ACT mints and burns; bookings |
//! | [`sponsors`] | allowances: grants, expiring grants, revocations |
//! | [`providers`] | hosts and bonds, withdrawals and lease closes, confirming and claiming bookings, pilot enrollment |
//! | [`auditor`] | attestations, renewals, revocations |
//! | [`stranger`] | deliberately failing txs |
//!
//! Each works on the shared [`super::ctx::Ctx`] (randomness, cast, counters, the world model);
//! actors with timers of their own keep them in a struct ([`tenants::Tenants`],
//! [`providers::Providers`], [`governance::Governance`]).

pub mod auditor;
pub mod governance;
pub mod keeper;
pub mod providers;
pub mod relayer;
pub mod sponsors;
pub mod stranger;
pub mod tenants;
