//! Provider incentive pilots (DESIGN §4.4): programs that pay providers for verified work and
//! always give back what they do not spend.
//!
//! A pilot is created by the authority with its whole budget attached (one denom). Its run
//! `(start, end]` is cut into epochs of `epoch_length` blocks; epoch `i` covers the heights
//! `(start + i·len, min(start + (i+1)·len, end)]`. Providers enroll and are approved by the
//! authority or the pilot admin. After an epoch ends, anyone settles it: the contract reads each
//! approved provider's work from the verified-work query of the escrow contract and, when
//! configured, of the reservations contract (never from a claim the provider makes) and pays by
//! the pilot kind's rule, capped by a multiple of the value the provider was actually paid by
//! others for that work and by what is left of the budget (see [`measure::cap_payout`]).
//! Settlement runs in capped batches with a stored cursor. `finalize` (permissionless, after the
//! end) and `cancel` (authority) return every unspent coin to the pilot's return target.
//!
//! Conservation: per denom, the contract holds exactly Σ over open pilots of
//! `budget − paid − returned`; closed pilots have `budget == paid + returned`.

// First, so that its macro is in scope in the modules below.
#[macro_use]
mod serde_map;

pub mod contract;
pub mod error;
pub mod execute;
pub mod load;
pub mod measure;
pub mod msg;
pub mod query;
pub mod schedule;
pub mod state;

pub use error::ContractError;
