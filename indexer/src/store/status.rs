//! What `indexer status` prints: heights, lag and rows per table.

use super::{Store, StoreError};

/// The database's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    /// Last committed block.
    pub height: u64,
    pub time: Option<chrono::DateTime<chrono::Utc>>,
    /// Rows per table (empty tables other than `block` and `raw_event` are left out).
    pub rows: Vec<(String, i64)>,
    pub quarantined: i64,
    pub followed: Vec<(String, Option<String>)>,
}

impl Store {
    /// Counts rows (exactly: the tables of one indexer are small enough, and this is an
    /// operator's command, not a hot path).
    pub async fn status(&self) -> Result<Status, StoreError> {
        let cursor = self.cursor().await?;
        let client = self.pool.get().await?;
        let mut rows = Vec::new();
        // Quarantine and the followed contracts have their own fields.
        let tables = super::written_tables()
            .into_iter()
            .filter(|t| t != "quarantine" && t != "followed_contract");
        for t in tables {
            let n: i64 = client
                .query_one(&format!("SELECT count(*) FROM \"{t}\""), &[])
                .await?
                .get(0);
            if n > 0 || t == "block" || t == "raw_event" {
                rows.push((t, n));
            }
        }
        let quarantined: i64 = client
            .query_one("SELECT count(*) FROM quarantine", &[])
            .await?
            .get(0);
        let followed = client
            .query(
                "SELECT contract_address, name FROM followed_contract ORDER BY since_height, name",
                &[],
            )
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        Ok(Status {
            height: cursor.height,
            time: cursor.time,
            rows,
            quarantined,
            followed,
        })
    }
}
