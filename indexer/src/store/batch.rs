//! A batch of decoded blocks and the rows they become, built block by block as `sync` gathers
//! the blocks; writing it is `apply`'s.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use postgres_types::Type;

use super::catalogue::{self, table_name};
use super::value::SqlValue;
use crate::decode::{Decoded, DecodedBlock, EventPos, Outcome, RawRow};

/// Decoded blocks (consecutive, ascending) with their `block`, `raw_event` and event-table rows.
#[derive(Default)]
pub struct Batch {
    pub(super) blocks: Vec<DecodedBlock>,
    pub(super) block_rows: Vec<Vec<SqlValue>>,
    pub(super) raw_rows: Vec<Vec<SqlValue>>,
    pub(super) rows: EventRows,
}

impl Batch {
    /// Adds the next block and its rows.
    pub fn push(&mut self, b: DecodedBlock) {
        self.block_rows.push(vec![
            SqlValue::Big(big(b.height)),
            SqlValue::Time(b.time),
            SqlValue::Text(b.hash.clone()),
            SqlValue::Int(i32::try_from(b.tx_count).unwrap_or(i32::MAX)),
            SqlValue::Int(i32::try_from(b.events.len()).unwrap_or(i32::MAX)),
        ]);
        for d in &b.events {
            self.raw_rows.push(raw_row(d));
            self.rows.add(d, b.time);
        }
        self.blocks.push(b);
    }

    /// Blocks in the batch.
    pub fn len(&self) -> usize {
        self.blocks.len()
    }

    /// Whether the batch has no block.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// Events in the batch's blocks.
    pub fn events(&self) -> usize {
        self.raw_rows.len()
    }

    /// The last block.
    pub fn last(&self) -> Option<&DecodedBlock> {
        self.blocks.last()
    }
}

impl FromIterator<DecodedBlock> for Batch {
    fn from_iter<I: IntoIterator<Item = DecodedBlock>>(blocks: I) -> Self {
        let mut batch = Batch::default();
        for b in blocks {
            batch.push(b);
        }
        batch
    }
}

/// The columns `raw_event` and `quarantine` start with: where the event sits and what it is.
const EVENT_KEY: [(&str, Type); 6] = [
    ("block_height", Type::INT8),
    ("phase", Type::INT2),
    ("tx_index", Type::INT4),
    ("event_index", Type::INT4),
    ("contract_address", Type::TEXT),
    ("type", Type::TEXT),
];

/// [`EVENT_KEY`] followed by `extra` columns: names and types for `COPY`.
pub(super) fn event_key_columns(extra: &[(&str, Type)]) -> (Vec<String>, Vec<Type>) {
    EVENT_KEY
        .iter()
        .chain(extra)
        .map(|(n, t)| (n.to_string(), t.clone()))
        .unzip()
}

/// The [`EVENT_KEY`] values of a raw event, followed by `extra`.
fn event_key_row(raw: &RawRow, extra: SqlValue) -> Vec<SqlValue> {
    let EventPos {
        height,
        phase,
        tx_index,
        event_index,
    } = raw.pos;
    vec![
        SqlValue::Big(big(height)),
        SqlValue::Small(phase.code()),
        SqlValue::Int(i32::try_from(tx_index).unwrap_or(i32::MAX)),
        SqlValue::Int(i32::try_from(event_index).unwrap_or(i32::MAX)),
        SqlValue::Text(raw.contract.clone()),
        SqlValue::Text(raw.kind.clone()),
        extra,
    ]
}

/// Rows for one table with its column names and types.
pub(super) struct TableRows {
    pub names: Vec<String>,
    pub types: Vec<Type>,
    pub rows: Vec<Vec<SqlValue>>,
}

/// The rows a set of decoded events becomes (shared by sync and `reindex`).
#[derive(Default)]
pub(super) struct EventRows {
    /// Event table → rows.
    pub typed: BTreeMap<String, TableRows>,
    pub quarantine: Vec<Vec<SqlValue>>,
    /// (day, contract, type) → count.
    pub daily: BTreeMap<(NaiveDate, String, String), i64>,
}

impl EventRows {
    /// Adds one decoded event of a block at `time`.
    pub fn add(&mut self, d: &Decoded, time: DateTime<Utc>) {
        let quarantine = |reason: String| {
            let mut row = event_key_row(&d.raw, SqlValue::Text(reason));
            row.push(attributes_json(&d.raw.attributes));
            row
        };
        match &d.outcome {
            Outcome::Quarantined { reason } => self.quarantine.push(quarantine(reason.clone())),
            Outcome::Event { msg_index, event } => {
                match catalogue::row(d.raw.pos, *msg_index, &d.raw.contract, time, event) {
                    Ok(row) => {
                        let meta = event.meta();
                        let entry = self.typed.entry(table_name(meta)).or_insert_with(|| {
                            let (names, types) = catalogue::columns(meta);
                            TableRows {
                                names,
                                types,
                                rows: Vec::new(),
                            }
                        });
                        entry.rows.push(row);
                        *self
                            .daily
                            .entry((
                                time.date_naive(),
                                meta.contract.to_string(),
                                meta.action.to_string(),
                            ))
                            .or_default() += 1;
                    }
                    Err(e) => self.quarantine.push(quarantine(e.to_string())),
                }
            }
        }
    }
}

/// `[[key, value], ...]`, serialized straight from the pairs (no `serde_json::Value` tree:
/// one allocation per event instead of several per attribute).
pub(super) fn attributes_json(attrs: &[(String, String)]) -> SqlValue {
    // Serializing strings into a `String` cannot fail; an empty list stands in if it ever did.
    SqlValue::Json(serde_json::to_string(attrs).unwrap_or_else(|_| "[]".to_string()))
}

/// The rows a set of decoded events becomes, from `blocks` (for `reindex`, which has no batch).
pub(super) fn event_rows(blocks: &[DecodedBlock]) -> EventRows {
    let mut rows = EventRows::default();
    for b in blocks {
        for d in &b.events {
            rows.add(d, b.time);
        }
    }
    rows
}

pub(super) fn big(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn raw_row(d: &Decoded) -> Vec<SqlValue> {
    event_key_row(&d.raw, attributes_json(&d.raw.attributes))
}
