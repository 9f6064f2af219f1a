//! tendermint-rpc responses to plain [`RawBlock`]s.

use chrono::{DateTime, Utc};
use sha2_free::tx_hash;
use tendermint::abci;
use tendermint_rpc::endpoint::{block, block_results};

use super::{RawBlock, RawEvent, RawTx};

/// Attributes that are not UTF-8 are kept lossily; the decoder will refuse the event if that
/// matters.
fn event(e: &abci::Event) -> RawEvent {
    RawEvent {
        kind: e.kind.clone(),
        attributes: e
            .attributes
            .iter()
            .map(|a| {
                (
                    String::from_utf8_lossy(a.key_bytes()).into_owned(),
                    String::from_utf8_lossy(a.value_bytes()).into_owned(),
                )
            })
            .collect(),
    }
}

/// Joins a block and its results (same height) into a [`RawBlock`].
pub fn raw_block(block: &block::Response, results: &block_results::Response) -> RawBlock {
    let header = &block.block.header;
    let nanos = header.time.unix_timestamp_nanos();
    let time = DateTime::<Utc>::from_timestamp_nanos(i64::try_from(nanos).unwrap_or(i64::MAX));
    let tx_results = results.txs_results.as_deref().unwrap_or_default();
    let txs = block
        .block
        .data
        .iter()
        .enumerate()
        .map(|(i, bytes)| {
            let result = tx_results.get(i);
            RawTx {
                index: u32::try_from(i).unwrap_or(u32::MAX),
                code: result.map_or(0, |r| r.code.value()),
                hash: tx_hash(bytes),
                events: result
                    .map(|r| r.events.iter().map(event).collect())
                    .unwrap_or_default(),
            }
        })
        .collect();
    RawBlock {
        height: header.height.value(),
        time,
        hash: block.block_id.hash.to_string(),
        txs,
        finalize_events: results.finalize_block_events.iter().map(event).collect(),
    }
}

/// The tx hash as CometBFT computes it: upper-case hex sha256 of the tx bytes.
mod sha2_free {
    use tendermint::crypto::Sha256;

    pub fn tx_hash(bytes: &[u8]) -> String {
        let digest = tendermint::crypto::default::Sha256::digest(bytes);
        digest.iter().map(|b| format!("{b:02X}")).collect()
    }
}
