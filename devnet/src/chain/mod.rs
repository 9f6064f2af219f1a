//! The chain: a cw-multi-test `App` running the compiled contracts, with x/auth sequences and
//! fees, x/gov proposals, wasmd's upload and instantiate permissions, SDK 0.50-shaped tx results
//! and events, block sealing with an app hash, and `abci_query`.

pub mod accounts;
pub mod app;
pub mod auth;
mod block;
mod checktx;
pub mod codes;
pub mod config;
mod core;
mod deliver;
pub mod errors;
pub mod events;
mod exec;
pub mod gov;
pub mod handle;
pub mod keys;
pub mod kv;
pub mod mempool;
pub mod msgs;
mod query;
pub mod storage;
pub mod tx;

pub use accounts::{Account, Keyring};
pub use codes::{CodeLoader, VmLoader};
pub use config::ChainConfig;
pub use core::Chain;
pub use errors::TxError;
pub use handle::{channel, ChainClient, Inbox};
