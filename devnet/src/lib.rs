//! Local single-node chain that runs the compiled contracts and serves CometBFT 0.38 RPC.

pub mod chain;
pub mod node;
pub mod proto;
pub mod rpc;
pub mod scenario;
