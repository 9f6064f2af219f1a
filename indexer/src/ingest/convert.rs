//! tendermint-rpc responses to plain [`RawBlock`]s.

use chrono::{DateTime, Utc};
use tendermint::abci;
use tendermint_rpc::endpoint::{block, block_results};

use super::{RawBlock, RawEvent, RawTx};

/// Attributes that are not UTF-8 are kept lossily; the decoder will refuse the event if that
/// matters.
fn event(index: usize, e: &abci::Event) -> RawEvent {
    RawEvent {
        index: u32::try_from(index).unwrap_or(u32::MAX),
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

/// Joins a block and its results (same height) into a [`RawBlock`], keeping only the events
/// whose type starts with `keep` (all when `None`): copying every bank and message event of every
/// tx only for the decoder to skip it was a large share of ingest's work.
pub fn raw_block(
    block: &block::Response,
    results: &block_results::Response,
    keep: Option<&str>,
) -> RawBlock {
    let events = |list: &[abci::Event]| -> Vec<RawEvent> {
        list.iter()
            .enumerate()
            .filter(|(_, e)| keep.is_none_or(|p| e.kind.starts_with(p)))
            .map(|(i, e)| event(i, e))
            .collect()
    };
    let header = &block.block.header;
    let nanos = header.time.unix_timestamp_nanos();
    let time = DateTime::<Utc>::from_timestamp_nanos(i64::try_from(nanos).unwrap_or(i64::MAX));
    let tx_results = results.txs_results.as_deref().unwrap_or_default();
    let txs = (0..block.block.data.len())
        .map(|i| {
            let result = tx_results.get(i);
            RawTx {
                index: u32::try_from(i).unwrap_or(u32::MAX),
                code: result.map_or(0, |r| r.code.value()),
                events: result.map(|r| events(&r.events)).unwrap_or_default(),
            }
        })
        .collect();
    RawBlock {
        height: header.height.value(),
        time,
        hash: block.block_id.hash.to_string(),
        txs,
        finalize_events: events(&results.finalize_block_events),
    }
}
