//! Writing a batch of decoded blocks: one transaction for the blocks, their raw events, the event
//! tables, quarantine, discovered contracts, the daily counts and the cursor. Blocks and raw
//! events go through binary `COPY`; the other tables through pipelined `unnest` inserts.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use futures::pin_mut;
use postgres_types::{ToSql, Type};
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::Transaction;

use super::batch::{big, event_key_columns, Batch, EventRows};
use super::catalogue::table_name;
use super::insert::insert;
use super::project;
use super::value::SqlValue;
use super::{Store, StoreError};
use crate::decode::{DecodedBlock, Outcome};
use crate::project::{BlockIn, Projector};

/// The channel the writer notifies with the last height of each committed batch (the payload);
/// `serve` processes listen on it to feed subscriptions.
pub const BLOCKS_CHANNEL: &str = "indexer_blocks";

/// Heights per partition of the height-partitioned tables: about 70 days of mainnet blocks, so
/// retention and backfill work on whole partitions.
pub const PARTITION_BLOCKS: u64 = 1_000_000;

/// What one batch wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub blocks: u64,
    pub events: u64,
    pub quarantined: u64,
    /// Events that contradicted the projector's state.
    pub anomalies: u64,
    /// Where the batch's store time went.
    pub phases: StorePhases,
}

/// Store time by phase (summed over batches by sync; printed by the benchmark).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StorePhases {
    /// Blocks, raw events, partitions and discovered contracts.
    pub raw: std::time::Duration,
    /// Event tables, quarantine and daily counts.
    pub events: std::time::Duration,
    /// Loading and running the projector and writing its rows.
    pub projection: std::time::Duration,
    /// The cursor update and the commit.
    pub commit: std::time::Duration,
}

impl std::ops::AddAssign for StorePhases {
    fn add_assign(&mut self, o: Self) {
        self.raw += o.raw;
        self.events += o.events;
        self.projection += o.projection;
        self.commit += o.commit;
    }
}

/// What [`Store::write_derived`] did.
pub(super) struct Derived {
    pub quarantined: u64,
    pub anomalies: u64,
    pub events_time: std::time::Duration,
    pub projection_time: std::time::Duration,
}

impl EventRows {
    /// Writes the rows in `tx`.
    pub async fn write(self, store: &Store, tx: &Transaction<'_>) -> Result<(), StoreError> {
        for (table, t) in &self.typed {
            let heights = t.rows.iter().filter_map(|r| match r.first() {
                Some(SqlValue::Big(h)) => Some(*h),
                _ => None,
            });
            store.ensure_partitions(tx, table, heights).await?;
        }
        // One statement per table, all sent before the first answer is awaited: Postgres works
        // through them back to back. (A `COPY` per table was slower: each waits for the last.)
        let (names, types) = event_key_columns(&[("reason", Type::TEXT), ("raw", Type::JSONB)]);
        let mut writes: Vec<_> = self
            .typed
            .iter()
            .map(|(table, t)| insert(tx, table, &t.names, &t.types, &t.rows, None))
            .collect();
        writes.push(insert(
            tx,
            "quarantine",
            &names,
            &types,
            &self.quarantine,
            None,
        ));
        futures::future::try_join_all(writes).await?;
        if !self.daily.is_empty() {
            let (mut days, mut contracts, mut types, mut counts) = (vec![], vec![], vec![], vec![]);
            for ((day, contract, ty), n) in self.daily {
                days.push(day);
                contracts.push(contract);
                types.push(ty);
                counts.push(n);
            }
            tx.execute(
                "INSERT INTO daily_event_count (day, contract, type, count)
                 SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::bigint[])
                 ON CONFLICT (day, contract, type)
                 DO UPDATE SET count = daily_event_count.count + EXCLUDED.count",
                &[&days, &contracts, &types, &counts],
            )
            .await?;
        }
        Ok(())
    }
}

/// Binary `COPY` of `rows` into `table`.
async fn copy_in(
    tx: &Transaction<'_>,
    table: &str,
    names: &[String],
    types: &[Type],
    rows: &[Vec<SqlValue>],
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let sql = format!("COPY \"{table}\" ({}) FROM STDIN BINARY", names.join(", "));
    let sink = tx.copy_in(&sql).await?;
    let writer = BinaryCopyInWriter::new(sink, types);
    pin_mut!(writer);
    for row in rows {
        let refs: Vec<&(dyn ToSql + Sync)> = row.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
        writer.as_mut().write(&refs).await?;
    }
    writer.finish().await?;
    Ok(())
}

impl Store {
    /// Writes `blocks` (consecutive, ascending) and moves the cursor to the last, atomically.
    pub async fn apply(&self, blocks: &[DecodedBlock]) -> Result<Written, StoreError> {
        self.apply_batch(blocks.iter().cloned().collect()).await
    }

    /// Writes a gathered batch and moves the cursor to its last block, atomically.
    pub async fn apply_batch(&self, batch: Batch) -> Result<Written, StoreError> {
        let result = self.apply_inner(batch).await;
        if result.is_err() {
            // The projector may have moved past what committed: reload it next time.
            *self.projector.lock().await = None;
            // Partitions created in the rolled-back transaction are gone again.
            if let Ok(mut p) = self.partitions.lock() {
                p.clear();
            }
        }
        result
    }

    async fn apply_inner(&self, batch: Batch) -> Result<Written, StoreError> {
        let Batch {
            blocks,
            block_rows,
            raw_rows,
            rows,
        } = batch;
        let Some(last) = blocks.last() else {
            return Ok(Written::default());
        };
        let started = std::time::Instant::now();
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        // Durability is the cursor's: a commit lost in a crash loses its cursor move too, so the
        // batch is fetched again. Not waiting for the WAL flush is safe and saves a sync per batch.
        tx.batch_execute("SET LOCAL synchronous_commit = off")
            .await?;
        let mut written = Written {
            events: raw_rows.len() as u64,
            ..Written::default()
        };
        for c in blocks.iter().flat_map(|b| &b.new_contracts) {
            tx.execute(
                "INSERT INTO followed_contract (contract_address, name, since_height)
                 VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                &[&c.address, &c.name, &big(c.height)],
            )
            .await?;
        }
        let block_names = [
            "block_height",
            "block_time",
            "hash",
            "tx_count",
            "event_count",
        ]
        .map(String::from);
        let block_types = [
            Type::INT8,
            Type::TIMESTAMPTZ,
            Type::TEXT,
            Type::INT4,
            Type::INT4,
        ];
        copy_in(&tx, "block", &block_names, &block_types, &block_rows).await?;
        daily_blocks(&tx, &blocks).await?;
        self.ensure_partitions(
            &tx,
            "raw_event",
            raw_rows.iter().filter_map(|r| match r.first() {
                Some(SqlValue::Big(h)) => Some(*h),
                _ => None,
            }),
        )
        .await?;
        let (raw_names, raw_types) = event_key_columns(&[("attributes", Type::JSONB)]);
        copy_in(&tx, "raw_event", &raw_names, &raw_types, &raw_rows).await?;
        written.phases.raw = started.elapsed();
        let mut projector = self.projector.lock().await;
        let projector = match projector.as_mut() {
            Some(p) => p,
            None => projector.insert(project::load(&tx, blocks[0].height.saturating_sub(1)).await?),
        };
        projector.alerts.rules = super::alerts::rules(&tx).await?;
        projector.alerts.secs_per_block =
            self.block_time_s.load(std::sync::atomic::Ordering::Relaxed);
        let derived = self.write_derived(&tx, &blocks, rows, projector).await?;
        written.quarantined = derived.quarantined;
        written.anomalies = derived.anomalies;
        written.phases.events = derived.events_time;
        written.phases.projection = derived.projection_time;
        let committing = std::time::Instant::now();
        // Subscribers (any `serve` process) learn of the new blocks when this commits.
        tx.execute(
            "SELECT pg_notify($1, $2)",
            &[&BLOCKS_CHANNEL, &last.height.to_string()],
        )
        .await?;
        let tip = self.tip.lock().ok().and_then(|t| *t);
        let (chain_height, chain_time) = match tip {
            Some((h, t)) if h >= last.height => (big(h), t),
            _ => (big(last.height), last.time),
        };
        tx.execute(
            "UPDATE sync_cursor SET block_height = $1, hash = $2, block_time = $3,
                 chain_height = $4, chain_time = $5, updated_at = now()",
            &[
                &big(last.height),
                &last.hash,
                &last.time,
                &chain_height,
                &chain_time,
            ],
        )
        .await?;
        tx.commit().await?;
        written.phases.commit = committing.elapsed();
        written.blocks = blocks.len() as u64;
        Ok(written)
    }

    /// Writes what the events of `blocks` derive: event tables, quarantine, daily counts and the
    /// projections (shared by sync and `reindex`).
    pub(super) async fn write_derived(
        &self,
        tx: &Transaction<'_>,
        blocks: &[DecodedBlock],
        rows: EventRows,
        projector: &mut Projector,
    ) -> Result<Derived, StoreError> {
        let started = std::time::Instant::now();
        let inputs: Vec<BlockIn> = blocks
            .iter()
            .map(|b| BlockIn {
                height: b.height,
                time: b.time,
                events: b
                    .events
                    .iter()
                    .filter_map(|d| match &d.outcome {
                        Outcome::Event { event, .. } => Some(event.as_ref()),
                        Outcome::Quarantined { .. } => None,
                    })
                    .collect(),
            })
            .collect();
        let quarantined = rows.quarantine.len() as u64;
        rows.write(self, tx).await?;
        let events_time = started.elapsed();
        let projecting = std::time::Instant::now();
        let changes = projector.project(&inputs);
        for a in &changes.anomalies {
            tracing::warn!(anomaly = %a, "projection");
        }
        project::write(tx, &changes).await?;
        super::alerts::write(tx, &changes).await?;
        Ok(Derived {
            quarantined,
            anomalies: changes.anomalies.len() as u64,
            events_time,
            projection_time: projecting.elapsed(),
        })
    }

    /// Creates the partitions that `heights` fall in, of every height-partitioned table at once
    /// (one round trip per new partition, once per process). `_table` names the caller's table;
    /// all of them get the partition so that no later batch pays for its DDL.
    pub(super) async fn ensure_partitions(
        &self,
        tx: &Transaction<'_>,
        _table: &str,
        heights: impl Iterator<Item = i64>,
    ) -> Result<(), StoreError> {
        let parts: std::collections::BTreeSet<i64> =
            heights.map(|h| h / PARTITION_BLOCKS as i64).collect();
        for part in parts {
            let known = self
                .partitions
                .lock()
                .map(|p| p.contains(&part))
                .unwrap_or(false);
            if known {
                continue;
            }
            tx.batch_execute(&partition_ddl(part)).await?;
            if let Ok(mut p) = self.partitions.lock() {
                p.insert(part);
            }
        }
        Ok(())
    }
}

/// `CREATE TABLE IF NOT EXISTS` of partition `part` of every height-partitioned table.
pub(super) fn partition_ddl(part: i64) -> String {
    let (from, to) = (
        part * PARTITION_BLOCKS as i64,
        (part + 1) * PARTITION_BLOCKS as i64,
    );
    let tables = std::iter::once("raw_event".to_string())
        .chain(supercloud_events::all_events().map(table_name))
        .map(|table| {
            format!(
                "CREATE TABLE IF NOT EXISTS \"{table}_p{part}\" PARTITION OF \"{table}\"
                 FOR VALUES FROM ({from}) TO ({to});"
            )
        });
    // Nothing filters on raw attributes (they are read whole, by position), so autovacuum's
    // ANALYZE need not sample and sort them (that sort was most of autovacuum's time in backfill
    // profiles). A partition does not take this from its parent, so each one is told.
    let no_stats =
        format!("ALTER TABLE \"raw_event_p{part}\" ALTER COLUMN attributes SET STATISTICS 0;");
    tables
        .chain(std::iter::once(no_stats))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Adds the batch's blocks and transactions to their days in `daily_block`.
async fn daily_blocks(tx: &Transaction<'_>, blocks: &[DecodedBlock]) -> Result<(), StoreError> {
    let mut days: BTreeMap<NaiveDate, (i64, i64)> = BTreeMap::new();
    for b in blocks {
        let day = days.entry(b.time.date_naive()).or_default();
        day.0 += 1;
        day.1 += i64::from(b.tx_count);
    }
    let rows: Vec<Vec<SqlValue>> = days
        .into_iter()
        .map(|(day, (blocks, txs))| {
            vec![
                SqlValue::Date(day),
                SqlValue::Big(blocks),
                SqlValue::Big(txs),
            ]
        })
        .collect();
    insert(
        tx,
        "daily_block",
        &["day", "block_count", "tx_count"],
        &[Type::DATE, Type::INT8, Type::INT8],
        &rows,
        Some(
            "ON CONFLICT (day) DO UPDATE SET
             block_count = daily_block.block_count + EXCLUDED.block_count,
             tx_count = daily_block.tx_count + EXCLUDED.tx_count",
        ),
    )
    .await
}
