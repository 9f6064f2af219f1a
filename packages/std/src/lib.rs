//! Shared building blocks for the Supercloud contracts.
//!
//! Everything here is small on purpose: each contract keeps its own typed `ContractError` and wraps
//! these errors with `#[from]`, so a caller always sees which rule was broken.

pub mod act;
pub mod authority;
pub mod denom;
pub mod governance;
pub mod migrate;
pub mod pagination;
pub mod pause;
pub mod payout;
pub mod work;

pub use act::{ActError, ActLedgerMsg, ActReceiveMsg, ReceiveMsg, ReceivedAct, ACT_DENOM};
pub use authority::{Authority, AuthorityError, AuthorityMsg};
pub use denom::{validate_denom, DenomError};
pub use migrate::{ensure_upgrade, MigrateError};
pub use pagination::{page_limit, DEFAULT_LIMIT, MAX_LIMIT};
pub use pause::{PauseError, Paused};
pub use supercloud_events::{AuthorityChange, GovernanceEvents};
pub use work::{VerifiedWorkQuery, VerifiedWorkResponse};
