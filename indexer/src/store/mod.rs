//! Store: Postgres through a connection pool. Migrations are embedded and run at start; every
//! batch of blocks is written in one transaction together with the cursor, so a crash at any
//! point resumes with no gap and no duplicate.

pub mod alerts;
mod apply;
mod batch;
pub mod catalogue;
mod insert;
pub mod numeric;
mod project;
mod reindex;
mod status;
pub mod value;

pub use apply::{StorePhases, BLOCKS_CHANNEL, PARTITION_BLOCKS};
pub use batch::Batch;
pub use reindex::{written_tables, DERIVED_TABLES};
pub use status::Status;

use std::collections::HashSet;
use std::str::FromStr;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use supercloud_events::CATALOGUE_VERSION;

use crate::decode::Followed;

refinery::embed_migrations!("migrations");

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused a statement or the connection broke.
    #[error("database: {0}")]
    Db(#[from] tokio_postgres::Error),
    /// No connection could be taken from the pool.
    #[error("connection pool: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
    /// A migration failed.
    #[error("migration: {0}")]
    Migrate(#[from] refinery::Error),
    /// The database was written by a newer catalogue than this binary knows.
    #[error("the database holds catalogue version {found}; this indexer knows {known}")]
    Catalogue { found: i32, known: u32 },
    /// A stored row does not read back (e.g. a position that does not fit).
    #[error("stored row at height {height}: {reason}")]
    Corrupt { height: i64, reason: String },
}

impl StoreError {
    /// Whether retrying later may succeed (connection lost, server restarting).
    pub fn is_transient(&self) -> bool {
        match self {
            StoreError::Pool(_) => true,
            StoreError::Db(e) => match e.as_db_error() {
                None => true,
                Some(db) => e.is_closed() || transient_sqlstate(db.code().code()),
            },
            _ => false,
        }
    }
}

/// SQLSTATE classes a retry can outlive: connection exceptions (08), the server shutting down or
/// starting up (57P01–57P03: a fast shutdown ends every session with 57P01 before the socket
/// closes), serialization failures and deadlocks (40001, 40P01), and too many connections (53300).
fn transient_sqlstate(code: &str) -> bool {
    code.starts_with("08")
        || matches!(
            code,
            "57P01" | "57P02" | "57P03" | "40001" | "40P01" | "53300"
        )
}

/// The cursor: the last fully committed block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub height: u64,
    pub time: Option<chrono::DateTime<chrono::Utc>>,
}

/// A chain tip: height and block time.
type Tip = (u64, chrono::DateTime<chrono::Utc>);

/// The indexer's database.
#[derive(Clone)]
pub struct Store {
    pool: Pool,
    /// Partition indexes (height / PARTITION_BLOCKS) already ensured by this process.
    partitions: std::sync::Arc<std::sync::Mutex<HashSet<i64>>>,
    /// Expected seconds per block (time-to-depletion alerts).
    block_time_s: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// The chain tip the writer last saw (height, block time), recorded with each batch.
    tip: std::sync::Arc<std::sync::Mutex<Option<Tip>>>,
    /// The projector's state after the last committed batch (`None`: load it from the tables).
    projector: std::sync::Arc<tokio::sync::Mutex<Option<crate::project::Projector>>>,
}

impl Store {
    /// A pool over `url` (`postgres://…`).
    pub fn connect(url: &str, size: usize) -> Result<Self, StoreError> {
        let config = tokio_postgres::Config::from_str(url)?;
        let manager = Manager::from_config(
            config,
            tokio_postgres::NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(size.max(1))
            .build()
            .map_err(|e| StoreError::Corrupt {
                height: 0,
                reason: format!("pool: {e}"),
            })?;
        Ok(Store {
            pool,
            partitions: Default::default(),
            tip: Default::default(),
            block_time_s: std::sync::Arc::new(std::sync::atomic::AtomicU64::new(
                crate::alerts::DEFAULT_SECS_PER_BLOCK,
            )),
            projector: Default::default(),
        })
    }

    /// Notes the chain tip; the next batch records it beside the cursor (readiness and lag).
    pub fn set_tip(&self, height: u64, time: Option<chrono::DateTime<chrono::Utc>>) {
        if let (Ok(mut tip), Some(time)) = (self.tip.lock(), time) {
            *tip = Some((height, time));
        }
    }

    /// Sets the seconds per block time-to-depletion alerts assume.
    pub fn set_block_time(&self, secs: u64) {
        self.block_time_s
            .store(secs.max(1), std::sync::atomic::Ordering::Relaxed);
    }

    /// The pool (for readers).
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Runs the embedded migrations, creates the catalogue's event tables and the cursor row
    /// (`start_height − 1`, so the first block synced is `start_height`). Idempotent.
    pub async fn migrate(&self, start_height: u64) -> Result<(), StoreError> {
        let mut client = self.pool.get().await?;
        let client: &mut tokio_postgres::Client = &mut client;
        migrations::runner().run_async(client).await?;
        for sql in catalogue::create_statements() {
            client.batch_execute(&sql).await?;
        }
        let start = i64::try_from(start_height.saturating_sub(1)).unwrap_or(i64::MAX);
        // The first partition now, so the first batches of a sync pay no DDL.
        client
            .batch_execute(&apply::partition_ddl(
                start.saturating_add(1) / PARTITION_BLOCKS as i64,
            ))
            .await?;
        client
            .execute(
                "INSERT INTO sync_cursor (block_height, catalogue_version) VALUES ($1, $2)
                 ON CONFLICT (singleton) DO NOTHING",
                &[&start, &(CATALOGUE_VERSION as i32)],
            )
            .await?;
        let found: i32 = client
            .query_one("SELECT catalogue_version FROM sync_cursor", &[])
            .await?
            .get(0);
        if found > CATALOGUE_VERSION as i32 {
            return Err(StoreError::Catalogue {
                found,
                known: CATALOGUE_VERSION,
            });
        }
        Ok(())
    }

    /// The cursor.
    pub async fn cursor(&self) -> Result<Cursor, StoreError> {
        let client = self.pool.get().await?;
        let row = client
            .query_one("SELECT block_height, block_time FROM sync_cursor", &[])
            .await?;
        let height: i64 = row.get(0);
        Ok(Cursor {
            height: u64::try_from(height).unwrap_or(0),
            time: row.get(1),
        })
    }

    /// The followed contracts recorded so far, plus `given` (address, optional name).
    pub async fn followed(
        &self,
        given: &[(String, Option<String>)],
        discover: bool,
    ) -> Result<Followed, StoreError> {
        let client = self.pool.get().await?;
        let rows = client
            .query("SELECT contract_address, name FROM followed_contract", &[])
            .await?;
        let stored = rows
            .iter()
            .map(|r| (r.get::<_, String>(0), r.get::<_, Option<String>>(1)));
        Ok(Followed::new(stored.chain(given.iter().cloned()), discover))
    }
}
