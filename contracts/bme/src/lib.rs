//! Burn-Mint Equilibrium and the ACT compute credit (DESIGN §4.3).
//!
//! * **ACT ledger.** ACT (`uact`, 6 decimals, 1 ACT = 1 USD of compute) is a balance map inside
//!   this contract. Holders can only move it into allow-listed contracts with
//!   `send {contract, amount, msg}` (cw20-style hook); allow-listed contracts pay it out with
//!   `transfer {recipient, amount}`. There is no free transfer between users.
//! * **Requests.** `mint_act {}` (uakt attached) and `burn_act {amount}` queue a request with a
//!   persistent sequential id. The uakt of a mint is held as *pending AKT*; the uact of a burn is
//!   debited from the holder at once and held by the request (*pending ACT*), so it cannot be
//!   spent twice. Mints below `min_mint` and burns below `min_burn` are refused at submission,
//!   and so is any request from an address that already has `max_pending_per_owner` queued, so
//!   no single address can push an honest request back by more than a bounded number of epochs
//!   (the bound is stated in `execute::process`).
//!   `request_status {id}` says where any request is: queued, executed or cancelled.
//! * **Epochs.** The permissionless `process {limit}` runs due burn epochs (every
//!   `min_epoch_blocks`) and mint epochs (stretched in warning mode) at the oracle price, capped
//!   per call and per epoch. The collateral ratio and mode are recomputed after every executed
//!   record. Failures are retried for `max_attempts` epochs, then cancelled and refunded with the
//!   reason of the last failure.
//!
//! Invariants (checked by the tests):
//! * AKT: the contract's uakt bank balance == `vault.vault_akt + vault.pending_akt` (it can only be
//!   larger if someone bank-sends uakt to the contract directly, which is then simply unaccounted
//!   surplus).
//! * ACT: `vault.supply` == Σ ledger balances + `vault.pending_act` (ACT held by queued burn
//!   requests still exists until its request executes or is refunded).
//!
//! Layers: `contract` dispatches to `execute::*` (writes) and `query` (reads); both sit on
//! `ledger` (balances, where a request is), `breaker` (oracle price, mode and CR) and `math`;
//! `msg` holds every type a message or response carries, and `state` stores them.

pub mod breaker;
pub mod contract;
pub mod error;
pub mod execute;
pub mod ledger;
pub mod math;
pub mod msg;
pub mod query;
pub mod state;

pub use error::ContractError;
