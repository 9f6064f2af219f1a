//! `reindex`: rebuilds every table derived from events out of `raw_event`, without the RPC, in one
//! transaction (readers see the old tables until it commits). The result equals what sync wrote.

use chrono::{DateTime, Utc};

use super::apply::EventRows;
use super::catalogue::{create_statements, table_name};
use super::{Store, StoreError};
use crate::decode::{classify, Decoded, EventPos, Followed, Phase, RawRow};

/// Rows read per round trip.
const CHUNK: i64 = 20_000;

impl Store {
    /// Rebuilds the event tables, quarantine and daily counts; returns the events replayed.
    pub async fn reindex(&self, followed: &Followed) -> Result<u64, StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let mut tables: Vec<String> = supercloud_events::all_events().map(table_name).collect();
        tables.extend(["quarantine".to_string(), "daily_event_count".to_string()]);
        let list: Vec<String> = tables.iter().map(|t| format!("\"{t}\"")).collect();
        tx.batch_execute(&format!("TRUNCATE {}", list.join(", ")))
            .await?;
        for sql in create_statements() {
            tx.batch_execute(&sql).await?;
        }
        let mut after: (i64, i16, i32, i32) = (-1, 0, 0, 0);
        let mut replayed = 0u64;
        loop {
            let rows = tx
                .query(
                    "SELECT r.block_height, r.phase, r.tx_index, r.event_index, r.contract_address,
                            r.type, r.attributes, b.block_time
                     FROM raw_event r JOIN block b ON b.block_height = r.block_height
                     WHERE (r.block_height, r.phase, r.tx_index, r.event_index) > ($1, $2, $3, $4)
                     ORDER BY r.block_height, r.phase, r.tx_index, r.event_index
                     LIMIT $5",
                    &[&after.0, &after.1, &after.2, &after.3, &CHUNK],
                )
                .await?;
            if rows.is_empty() {
                break;
            }
            let mut out = EventRows::default();
            for row in &rows {
                let key: (i64, i16, i32, i32) = (row.get(0), row.get(1), row.get(2), row.get(3));
                after = key;
                let corrupt = |reason: &str| StoreError::Corrupt {
                    height: key.0,
                    reason: reason.to_string(),
                };
                let pos = EventPos {
                    height: u64::try_from(key.0).map_err(|_| corrupt("negative height"))?,
                    phase: Phase::from_code(key.1).ok_or_else(|| corrupt("unknown phase"))?,
                    tx_index: u32::try_from(key.2).map_err(|_| corrupt("negative tx index"))?,
                    event_index: u32::try_from(key.3)
                        .map_err(|_| corrupt("negative event index"))?,
                };
                let attrs: serde_json::Value = row.get(6);
                let attributes = attributes_of(&attrs).ok_or_else(|| corrupt("attributes"))?;
                let raw = RawRow {
                    pos,
                    contract: row.get(4),
                    kind: row.get(5),
                    attributes,
                };
                let time: DateTime<Utc> = row.get(7);
                let outcome = classify(&raw, followed);
                out.add(&Decoded { raw, outcome }, time);
                replayed += 1;
            }
            out.write(self, &tx).await?;
        }
        tx.commit().await?;
        Ok(replayed)
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
