//! Every integration test of `devnet`, linked into one binary.

mod chain_determinism;
mod chain_failed_tx;
mod chain_gov;
mod chain_proto;
mod chain_query;
mod chain_refusals;
mod chain_signatures;
mod chain_tx;
mod cli;
mod cosmjs;
mod cosmjs_sign;
mod e2e_cosmjs;
mod e2e_rpc;
mod rpc_common;
mod rpc_cosmjs;
mod rpc_determinism;
mod rpc_faults;
mod rpc_tendermint;
mod rpc_websocket;
mod rpc_wire;
mod scenario_month;
