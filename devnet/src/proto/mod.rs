//! Hand-written prost 0.14 messages for the Cosmos SDK 0.53 / wasmd protobuf the devnet speaks:
//! transactions (`TxRaw`, `TxBody`, `AuthInfo`), the messages it executes, their responses, and
//! the gRPC queries a CosmJS `CosmWasmClient` sends through `abci_query`. Field numbers follow
//! the upstream `.proto` files (cosmos-sdk v0.53, wasmd v0.61).

pub mod abci;
pub mod any;
pub mod auth;
pub mod bank;
pub mod coin;
pub mod gov;
pub mod query;
pub mod tx;
pub mod tx_service;
pub mod type_url;
pub mod wasm;
pub mod wasm_query;

pub use any::{Any, Named};
pub use coin::Coin;
