//! Local single-node chain that runs the compiled contracts and serves CometBFT 0.38 RPC.
//!
//! * [`chain`]: the state machine (cw-multi-test `App` running the artifacts in cosmwasm-vm,
//!   x/auth sequences and fees, x/gov proposals, wasmd's upload rules, SDK 0.50 events, app
//!   hash, `abci_query`), living on one thread behind [`chain::ChainClient`].
//! * [`proto`]: the hand-written Cosmos SDK / wasmd protobuf it speaks.
//! * [`genesis`]: the suite stored and instantiated through governance proposals.
//! * [`scenario`]: seeded traffic, fast-forwarded over simulated days, then live.
//! * [`node`]: what a CometBFT node keeps: the seam with the chain (executed blocks, queries),
//!   sealing into headers and commits, the block store.
//! * [`rpc`]: what it serves: CometBFT 0.38 JSON-RPC over HTTP and websocket.
//! * [`runner`]: all of it on a thread feeding a block sink; [`served`] puts it behind the
//!   [`rpc`] server; [`cli`] and the `devnet` binary put that behind a command line.
//!
//! One way: `chain` → `node` ← `rpc`; `scenario` drives `chain`; `runner`/`served` wire them.
//!
//! Everything that deploys the suite reads `artifacts/<name>.wasm`; `scripts/build-wasm.sh`
//! builds them (`scripts/test.sh` runs it before the tests, `scripts/demo.sh` when missing), and
//! a missing artifact is an error that says so.

pub mod chain;
pub mod cli;
pub mod genesis;
pub mod node;
pub mod proto;
pub mod rpc;
pub mod runner;
pub mod scenario;
pub mod served;
