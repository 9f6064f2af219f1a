//! The whole contract suite in one cw-multi-test App, on native Rust or on the compiled wasm in
//! cosmwasm-vm, so every cross-contract flow runs on both and must end in the same state.

pub mod backend;
pub mod bench;
pub mod both;
pub mod events;
pub mod snapshot;
pub mod suite;
pub mod transcript;

pub use backend::Backend;
pub use both::on_both_backends;
pub use snapshot::Snapshot;
pub use suite::{Suite, AKT, BLOCK_S, PAIR, START};
