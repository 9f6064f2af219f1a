//! Flattened event maps (`"type.key" -> values`) as CometBFT builds them: for websocket
//! subscriptions (`EventBus.validateAndStringifyEvents`: every attribute, plus `tm.event`,
//! `tx.hash`, `tx.height`) and for the tx / block indexers (`state/txindex/kv`: only attributes
//! with `index: true`, plus `tx.height`/`tx.hash` or `block.height`).

use super::query::EventMap;
use super::wire::hex_upper;
use crate::node::{AbciEvent, SealedBlock};

fn add(map: &mut EventMap, events: &[AbciEvent], indexed_only: bool) {
    for e in events.iter().filter(|e| !e.kind.is_empty()) {
        for a in e.attributes.iter().filter(|a| !a.key.is_empty()) {
            if indexed_only && !a.index {
                continue;
            }
            map.entry(format!("{}.{}", e.kind, a.key))
                .or_default()
                .push(a.value.clone());
        }
    }
}

fn tx_keys(map: &mut EventMap, block: &SealedBlock, index: usize) {
    if let Some(hash) = block.tx_hashes.get(index) {
        map.insert("tx.hash".into(), vec![hex_upper(hash)]);
    }
    map.insert("tx.height".into(), vec![block.height().to_string()]);
}

/// What a `Tx` event publishes to subscribers.
pub fn tx_event_map(block: &SealedBlock, index: usize) -> EventMap {
    let mut map = EventMap::new();
    if let Some(tx) = block.txs.get(index) {
        add(&mut map, &tx.outcome.events, false);
    }
    map.insert("tm.event".into(), vec!["Tx".into()]);
    tx_keys(&mut map, block, index);
    map
}

/// What a `NewBlock` event publishes to subscribers.
pub fn new_block_event_map(block: &SealedBlock) -> EventMap {
    let mut map = EventMap::new();
    add(&mut map, &block.finalize_block_events, false);
    map.insert("tm.event".into(), vec!["NewBlock".into()]);
    map
}

/// What the tx indexer stores for tx `index` (searched by `tx_search`).
pub fn tx_index_map(block: &SealedBlock, index: usize) -> EventMap {
    let mut map = EventMap::new();
    if let Some(tx) = block.txs.get(index) {
        add(&mut map, &tx.outcome.events, true);
    }
    tx_keys(&mut map, block, index);
    map
}

/// What the block indexer stores (searched by `block_search`).
pub fn block_index_map(block: &SealedBlock) -> EventMap {
    let mut map = EventMap::new();
    add(&mut map, &block.finalize_block_events, true);
    map.insert("block.height".into(), vec![block.height().to_string()]);
    map
}
