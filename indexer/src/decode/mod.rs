//! Decode: a [`RawBlock`] becomes the rows the store writes, read through the event catalogue
//! only. Failed txs change nothing and are skipped; of the rest, only events emitted by the
//! contracts we follow are kept. An event of a followed contract that the catalogue cannot read
//! is set aside with its reason (quarantine), never dropped and never fatal.

pub mod follow;

pub use follow::Followed;

use chrono::{DateTime, Utc};
use supercloud_events::{ParsedEvent, SupercloudEvent, CONTRACT_ADDRESS_KEY, WASM_EVENT_PREFIX};

use crate::ingest::{RawBlock, RawEvent};

/// The type prefix of every event decode reads (contract events); ingest may drop the rest.
pub const EVENT_PREFIX: &str = WASM_EVENT_PREFIX;

/// Where an event sits in its block: the key of every event row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventPos {
    pub height: u64,
    pub phase: Phase,
    /// Tx position in the block (0 for block-level events).
    pub tx_index: u32,
    /// Position among the tx's (or the block's) events.
    pub event_index: u32,
}

/// Which list of `block_results` an event came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// `txs_results[tx_index].events`.
    Tx = 0,
    /// `finalize_block_events` (after the block's txs).
    Finalize = 1,
}

impl Phase {
    /// As stored.
    pub fn code(self) -> i16 {
        self as i16
    }

    /// From its stored code.
    pub fn from_code(code: i16) -> Option<Self> {
        match code {
            0 => Some(Phase::Tx),
            1 => Some(Phase::Finalize),
            _ => None,
        }
    }
}

/// A contract event as delivered (kept in `raw_event`, so `reindex` never needs the RPC).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRow {
    pub pos: EventPos,
    pub contract: String,
    pub kind: String,
    pub attributes: Vec<(String, String)>,
}

/// What the catalogue made of a contract event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A catalogue event.
    Event {
        msg_index: Option<u32>,
        event: Box<SupercloudEvent>,
    },
    /// Set aside: unknown action, missing or malformed attribute.
    Quarantined { reason: String },
}

/// One event of a followed contract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub raw: RawRow,
    pub outcome: Outcome,
}

/// A contract newly followed in this block (discovered from its governance instantiation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewContract {
    pub address: String,
    /// Catalogue name (`escrow`, `oracle`, …).
    pub name: String,
    pub height: u64,
}

/// A block as the store writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedBlock {
    pub height: u64,
    pub time: DateTime<Utc>,
    pub hash: String,
    pub tx_count: u32,
    pub events: Vec<Decoded>,
    pub new_contracts: Vec<NewContract>,
}

/// Decodes one block; `followed` learns the contracts governance instantiates.
pub fn decode(block: &RawBlock, followed: &mut Followed) -> DecodedBlock {
    let mut events = Vec::new();
    let mut new_contracts = Vec::new();
    let height = block.height;
    for tx in block.txs.iter().filter(|t| t.code == 0) {
        for e in &tx.events {
            let pos = EventPos {
                height,
                phase: Phase::Tx,
                tx_index: tx.index,
                event_index: e.index,
            };
            if let Some(d) = decode_event(pos, e, followed, &mut new_contracts) {
                events.push(d);
            }
        }
    }
    for e in &block.finalize_events {
        let pos = EventPos {
            height,
            phase: Phase::Finalize,
            tx_index: 0,
            event_index: e.index,
        };
        if let Some(d) = decode_event(pos, e, followed, &mut new_contracts) {
            events.push(d);
        }
    }
    DecodedBlock {
        height,
        time: block.time,
        hash: block.hash.clone(),
        tx_count: u32::try_from(block.txs.len()).unwrap_or(u32::MAX),
        events,
        new_contracts,
    }
}

fn decode_event(
    pos: EventPos,
    e: &RawEvent,
    followed: &mut Followed,
    new_contracts: &mut Vec<NewContract>,
) -> Option<Decoded> {
    if !e.kind.starts_with(WASM_EVENT_PREFIX) {
        return None;
    }
    let contract = e
        .attributes
        .iter()
        .find(|(k, _)| k == CONTRACT_ADDRESS_KEY)
        .map(|(_, v)| v.clone())?;
    if pos.phase == Phase::Finalize {
        if let Some(name) = follow::instantiated_name(&e.kind) {
            if followed.discover(&contract, name) {
                new_contracts.push(NewContract {
                    address: contract.clone(),
                    name: name.to_string(),
                    height: pos.height,
                });
            }
        }
    }
    if !followed.contains(&contract) {
        return None;
    }
    let raw = RawRow {
        pos,
        contract,
        kind: e.kind.clone(),
        attributes: e.attributes.clone(),
    };
    let outcome = classify(&raw, followed);
    Some(Decoded { raw, outcome })
}

/// Reads a stored contract event through the catalogue (also used by `reindex`).
pub fn classify(raw: &RawRow, followed: &Followed) -> Outcome {
    let pairs = raw.attributes.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    match ParsedEvent::parse(&raw.kind, pairs) {
        Ok(Some(parsed)) => {
            let declared = parsed.event.meta().contract;
            match followed.name(&raw.contract) {
                Some(name) if name != declared => Outcome::Quarantined {
                    reason: format!(
                        "event type names contract {declared:?} but {} is followed as {name:?}",
                        raw.contract
                    ),
                },
                _ => Outcome::Event {
                    msg_index: parsed.msg_index,
                    event: Box::new(parsed.event),
                },
            }
        }
        Ok(None) => Outcome::Quarantined {
            reason: format!("event type {:?} is not in the catalogue", raw.kind),
        },
        Err(e) => Outcome::Quarantined {
            reason: e.to_string(),
        },
    }
}
