//! `reindex`: rebuilds every table derived from events out of `raw_event`, without the RPC, in one
//! transaction (readers see the old tables until it commits). The result equals what sync wrote.

use chrono::{DateTime, Utc};

use super::catalogue::{create_statements, table_name};
use super::{Store, StoreError};
use crate::decode::{classify, Decoded, DecodedBlock, EventPos, Followed, Phase, RawRow};
use crate::project::Projector;

/// Blocks read per round trip.
const CHUNK: i64 = 5_000;

/// Every table `reindex` rebuilds besides the event tables.
pub const DERIVED_TABLES: [&str; 9] = [
    "quarantine",
    "daily_event_count",
    "escrow_account",
    "escrow_payment",
    "payment_live_interval",
    "escrow_allowance",
    "daily_lease",
    "daily_depositor_spend",
    "daily_network",
];

/// The tables sync writes that `reindex` keeps: they come from blocks, not from events.
const BLOCK_TABLES: [&str; 4] = ["block", "daily_block", "raw_event", "followed_contract"];

/// Every table the indexer writes as it syncs: [`BLOCK_TABLES`], [`DERIVED_TABLES`] and the
/// event tables.
pub fn written_tables() -> Vec<String> {
    BLOCK_TABLES
        .iter()
        .chain(&DERIVED_TABLES)
        .map(|t| t.to_string())
        .chain(supercloud_events::all_events().map(table_name))
        .collect()
}

impl Store {
    /// Rebuilds the event tables, quarantine, daily counts and projections from `raw_event` and
    /// `block`; returns the events replayed.
    pub async fn reindex(&self, followed: &Followed) -> Result<u64, StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let mut tables: Vec<String> = supercloud_events::all_events().map(table_name).collect();
        tables.extend(DERIVED_TABLES.map(String::from));
        let list: Vec<String> = tables.iter().map(|t| format!("\"{t}\"")).collect();
        tx.batch_execute(&format!("TRUNCATE {}", list.join(", ")))
            .await?;
        for sql in create_statements() {
            tx.batch_execute(&sql).await?;
        }
        // Sync projected from an empty state at the first block; so does the replay.
        let mut projector = Projector::default();
        let mut after: i64 = -1;
        let mut replayed = 0u64;
        loop {
            let block_rows = tx
                .query(
                    "SELECT block_height, block_time FROM block WHERE block_height > $1
                     ORDER BY block_height LIMIT $2",
                    &[&after, &CHUNK],
                )
                .await?;
            let (Some(first), Some(last)) = (block_rows.first(), block_rows.last()) else {
                break;
            };
            let (lo, hi): (i64, i64) = (first.get(0), last.get(0));
            after = hi;
            let mut blocks = Vec::with_capacity(block_rows.len());
            for row in &block_rows {
                let h: i64 = row.get(0);
                blocks.push(DecodedBlock {
                    height: u64::try_from(h).map_err(|_| corrupt(h, "negative height"))?,
                    time: row.get::<_, DateTime<Utc>>(1),
                    hash: String::new(),
                    tx_count: 0,
                    events: Vec::new(),
                    new_contracts: Vec::new(),
                });
            }
            let rows = tx
                .query(
                    "SELECT block_height, phase, tx_index, event_index, contract_address, type,
                            attributes
                     FROM raw_event WHERE block_height BETWEEN $1 AND $2
                     ORDER BY block_height, phase, tx_index, event_index",
                    &[&lo, &hi],
                )
                .await?;
            for row in &rows {
                let key: (i64, i16, i32, i32) = (row.get(0), row.get(1), row.get(2), row.get(3));
                let bad = |reason: &str| corrupt(key.0, reason);
                let pos = EventPos {
                    height: u64::try_from(key.0).map_err(|_| bad("negative height"))?,
                    phase: Phase::from_code(key.1).ok_or_else(|| bad("unknown phase"))?,
                    tx_index: u32::try_from(key.2).map_err(|_| bad("negative tx index"))?,
                    event_index: u32::try_from(key.3).map_err(|_| bad("negative event index"))?,
                };
                let attrs: serde_json::Value = row.get(6);
                let attributes = attributes_of(&attrs).ok_or_else(|| bad("attributes"))?;
                let raw = RawRow {
                    pos,
                    contract: row.get(4),
                    kind: row.get(5),
                    attributes,
                };
                let outcome = classify(&raw, followed);
                let i = usize::try_from(key.0 - lo).map_err(|_| bad("event outside its chunk"))?;
                let block = blocks
                    .get_mut(i)
                    .ok_or_else(|| bad("event without its block"))?;
                if block.height != pos.height {
                    return Err(bad("block heights are not consecutive"));
                }
                block.events.push(Decoded { raw, outcome });
                replayed += 1;
            }
            let rows = super::batch::event_rows(&blocks);
            self.write_derived(&tx, &blocks, rows, &mut projector)
                .await?;
        }
        tx.commit().await?;
        // The live projector must not run ahead of (or behind) the rebuilt tables.
        *self.projector.lock().await = None;
        Ok(replayed)
    }
}

fn corrupt(height: i64, reason: &str) -> StoreError {
    StoreError::Corrupt {
        height,
        reason: reason.to_string(),
    }
}

fn attributes_of(v: &serde_json::Value) -> Option<Vec<(String, String)>> {
    v.as_array()?
        .iter()
        .map(|pair| {
            let pair = pair.as_array()?;
            Some((
                pair.first()?.as_str()?.to_string(),
                pair.get(1)?.as_str()?.to_string(),
            ))
        })
        .collect()
}
