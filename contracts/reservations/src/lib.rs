//! Bare-metal host reservations (DESIGN §4.5; AEP-44 reserved instances, AEP-82 reclamation,
//! AEP-29/86 hardware attestation and provider bonds).
//!
//! Providers register hosts with a price per hour; authority-appointed auditors record hardware
//! (TEE) attestations that expire; providers may post a slashable bond. A tenant reserves a host
//! for `[start, end)` (1 hour to 365 days), prepaying the whole term in a native coin or in ACT
//! (through the bme ledger's `send` hook). Reservations on one host never overlap. The provider
//! confirms within a deadline, is paid pro rata to elapsed time by `claim`, and may reclaim the
//! host with the host's notice window. Every time is block time in unix seconds.
//!
//! Conservation: what the contract holds in a denom equals Σ unclaimed value of reservations
//! that are not terminal plus Σ bonds (bonded + unbonding) in that denom.
//!
//! Layers, each importing only those below it: `wire` (JSON decoding) → `msg` (messages and the
//! types they carry) → `state` (storage) → `load`, `calendar`, `money`, `work` (loaders and
//! domain rules) → `execute` and `query` (neither imports the other) → `contract` (entry points).
//!
//! Size: the lowered wasm must stay within 400 KiB (the project's budget under wasmd's 800 KiB).
//! Measured while cutting it from 495,981 to 405,909 bytes, message and record decoding was the
//! largest part (derived `Deserialize`: ~80 KB); `wire` is why it is now small.

#[macro_use]
pub mod wire;

pub mod calendar;
pub mod contract;
pub mod error;
pub mod execute;
pub mod load;
pub mod money;
pub mod msg;
pub mod query;
pub mod state;
pub mod work;

pub use error::ContractError;
