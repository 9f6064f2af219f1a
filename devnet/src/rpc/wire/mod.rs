//! CometBFT 0.38's own JSON for every served object, written by hand instead of through
//! tendermint-rs's `Serialize` impls, because those differ from what a CometBFT node sends and
//! other clients (CosmJS `Comet38Client`) reject some of the differences.
//!
//! CometBFT encodes RPC results with `libs/json` (amino-compatible: int64/uint64/int as strings,
//! `[]byte` as base64, `HexBytes` as uppercase hex, nil slices as `null`, `omitempty` honoured),
//! except for the abci types that override `MarshalJSON` with gogoproto `jsonpb`
//! (`EmitDefaults: true`): `ExecTxResult`, `ResponseQuery`, `EventAttribute`
//! (`abci/types/types.go`). Differences fixed here, each checked against CometBFT v0.38.17
//! sources and the tendermint-rs 0.41 / CosmJS 0.39 decoders:
//!
//! 1. Tx result `data` is a base64 string (`null` when empty), not tendermint-rs's array of
//!    numbers (`ExecTxResult.Data []byte` via jsonpb). CosmJS `fromBase64` fails on the array.
//! 2. `block_results` has exactly `height, txs_results, finalize_block_events, validator_updates,
//!    consensus_param_updates, app_hash` (`rpc/core/types/responses.go` `ResultBlockResults`);
//!    tendermint-rs adds `begin_block_events`/`end_block_events: null`.
//! 3. `block_results.app_hash` is base64 (`[]byte`), not hex; `txs_results` and
//!    `finalize_block_events` are `null` when empty (nil slices); `validator_updates` is `null`
//!    (nil after the state-store round trip); `consensus_param_updates` is the full object the
//!    Cosmos SDK 0.50 returns from every FinalizeBlock, with `omitempty` (`version: {}`).
//! 4. The initial block's `header.last_block_id` is `{"hash":"","parts":{"total":0,"hash":""}}`
//!    (a zero `BlockID` value), not `null`; CosmJS's `decodeHeader` dereferences it, so
//!    `blockchain`/`block` fail on `null`. Its `last_commit` is the zero commit
//!    (`height "0"`, empty block id, `signatures: []`), which both clients read as "no commit".
//! 5. `header.version.app` is omitted when 0 (`omitempty` on the proto `Consensus`), tendermint-rs
//!    always writes it.
//! 6. Tx result fields follow jsonpb: `code` number, `gas_*` strings, `log/info/codespace` always
//!    present, `events[].attributes[]` as `{key, value, index}` plain strings with `index` always
//!    present; `finalize_block_events` use libs/json, so an event's empty `attributes` is omitted.
//! 7. `abci_query.response` is jsonpb: `index` "0", `key`/`value` base64 or `null`,
//!    `proofOps` (camelCase) `null`, `height` string. `abci_info.response` is libs/json with
//!    `omitempty` and base64 `last_block_app_hash`.
//! 8. `tx`/`tx_search` results have no `proof` key unless `prove` was set (`omitempty` on a zero
//!    `TxProof`); `index` is a number; `total_count` a string.
//! 9. Websocket `Tx` events are `{"TxResult":{"height":"N","index":i,"tx":..,"result":..}}`
//!    (embedded `abci.TxResult`, `index` omitted when 0), and event `type` tags are
//!    `tendermint/event/NewBlock` / `tendermint/event/Tx` (tendermint-rs writes `NewBlock`).

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde::Serialize;
use tendermint::block::{self, Commit, CommitSig, Header};
use tendermint::{Hash, Time};

use crate::node::seal::{self, params, Validator, BLOCK_PROTOCOL, P2P_PROTOCOL, VOTING_POWER};
use crate::node::SealedBlock;
use crate::node::{AbciEvent, ExecutedTx, QueryOutcome};

mod blocks;
mod info;
mod payloads;
mod results;

pub use blocks::*;
pub use info::*;
pub use payloads::*;
pub use results::*;

/// CometBFT version reported in `/status` (tendermint-rpc derives its compat mode from it).
pub const COMETBFT_VERSION: &str = "0.38.17";
/// Channels a default CometBFT 0.38 node advertises.
const CHANNELS: &str = "40202122233038606100";

/// Uppercase hex, CometBFT's `HexBytes`.
pub fn hex_upper(bytes: &[u8]) -> String {
    hex::encode_upper(bytes)
}

/// Standard base64 with padding, CometBFT's `[]byte`.
pub fn b64(bytes: &[u8]) -> String {
    BASE64.encode(bytes)
}

fn b64_or_null(bytes: &[u8]) -> Option<String> {
    (!bytes.is_empty()).then(|| b64(bytes))
}

fn hash_hex(hash: &Hash) -> String {
    hex_upper(hash.as_bytes())
}

fn opt_hash_hex(hash: &Option<Hash>) -> String {
    hash.as_ref().map(hash_hex).unwrap_or_default()
}

/// RFC 3339 with trimmed nanoseconds, like Go's `time.RFC3339Nano`.
pub fn time(t: &Time) -> String {
    t.to_rfc3339()
}
