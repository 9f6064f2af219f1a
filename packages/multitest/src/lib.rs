//! cw-multi-test fixtures shared by the contracts' own integration tests (`contracts/*/tests`).
//!
//! Only what two or more harnesses had written out identically lives here; each contract's
//! harness keeps its own `Suite` and the helpers that speak its messages.

pub mod act_ledger;
pub mod attrs;
pub mod chain;
pub mod events;
pub mod exec;
pub mod failure;

pub use events::{events, of, one};
pub use exec::{execute, execute_ok};
pub use failure::{assert_err, Failure};
