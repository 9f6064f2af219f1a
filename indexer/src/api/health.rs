//! `/healthz` (the process is up) and `/readyz` (the database answers and the indexer has caught
//! up with the chain), both from the cursor row the writer commits with its data.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};

use super::{ApiError, ApiState};

/// Where indexing stands, as the writer last committed it.
#[derive(Clone, Debug, PartialEq)]
pub struct SyncStatus {
    /// The cursor: last block whose rows are all committed.
    pub height: i64,
    /// That block's time (None before the first block).
    pub time: Option<DateTime<Utc>>,
    /// The chain tip the writer last saw (None until it has seen one).
    pub chain_height: Option<i64>,
    /// The tip's block time.
    pub chain_time: Option<DateTime<Utc>>,
}

impl SyncStatus {
    /// Reads the cursor row; a database without one is not ready.
    pub async fn read(state: &ApiState) -> Result<Self, ApiError> {
        let client = state.read.get().await?;
        let _t = state.metrics.time_query("sync_status");
        let row = client
            .query_opt(
                "SELECT block_height, block_time, chain_height, chain_time FROM sync_cursor",
                &[],
            )
            .await?
            .ok_or_else(|| ApiError::Unavailable("the database is not migrated".into()))?;
        Ok(SyncStatus {
            height: row.try_get(0)?,
            time: row.try_get(1)?,
            chain_height: row.try_get(2)?,
            chain_time: row.try_get(3)?,
        })
    }

    /// Blocks behind the tip (None before a tip was seen).
    pub fn lag_blocks(&self) -> Option<i64> {
        self.chain_height.map(|h| (h - self.height).max(0))
    }

    /// Chain time of the tip − time of the last indexed block, never the wall clock (a replayed
    /// or paused chain is not "late").
    pub fn lag_seconds(&self) -> Option<f64> {
        let (tip, at) = (self.chain_time?, self.time?);
        Some(((tip - at).num_milliseconds().max(0)) as f64 / 1000.0)
    }

    /// Caught up: a tip was seen and the cursor is at most `max_lag` blocks behind it.
    pub fn caught_up(&self, max_lag: u64) -> bool {
        self.lag_blocks()
            .is_some_and(|lag| u64::try_from(lag).unwrap_or(u64::MAX) <= max_lag)
    }
}

/// `GET /healthz`: 200 while the process runs.
pub async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: 200 when caught up, 503 while backfilling or when the database does not
/// answer; the body says which.
pub async fn readyz(State(state): State<ApiState>) -> Response {
    match SyncStatus::read(&state).await {
        Ok(s) => {
            let ready = s.caught_up(state.ready_lag_blocks);
            let body = Json(serde_json::json!({
                "ready": ready,
                "lastIndexedHeight": s.height,
                "chainHeight": s.chain_height,
                "lagBlocks": s.lag_blocks(),
            }));
            let status = if ready {
                StatusCode::OK
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            };
            (status, body).into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, "readyz: database unreadable");
            let body = Json(serde_json::json!({ "ready": false, "error": e.code() }));
            (StatusCode::SERVICE_UNAVAILABLE, body).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp(s, 0)
    }

    #[test]
    fn caught_up_needs_a_tip_and_a_small_lag() {
        let mut s = SyncStatus {
            height: 100,
            time: at(1_000),
            chain_height: None,
            chain_time: None,
        };
        assert!(!s.caught_up(10));
        assert_eq!(s.lag_seconds(), None);
        s.chain_height = Some(110);
        s.chain_time = at(1_060);
        assert!(s.caught_up(10));
        assert_eq!(s.lag_seconds(), Some(60.0));
        s.chain_height = Some(111);
        assert!(!s.caught_up(10));
    }
}
