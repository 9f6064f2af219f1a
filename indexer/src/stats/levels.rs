//! Network figures over a window of blocks and at one block (bme, pip, reservations), with the
//! same definitions as the `daily_network` rollup so cards and charts agree.

use deadpool_postgres::Pool;

use super::price::in_force;
use super::rolling::Window;
use super::{query, trim_decimal};
use crate::api::ApiError;

/// Flows over a window.
#[derive(async_graphql::SimpleObject, Clone, Debug, Default, PartialEq, Eq)]
pub struct Flows {
    /// **ACT minted**: uact credited to owners by executed mint requests (`record_executed`
    /// of kind mint, `paid`; the spread is never created).
    pub act_minted: String,
    /// **ACT burned**: uact that left the supply by executed burn requests (`burned`).
    pub act_burned: String,
    /// **AKT into the vault**: uakt that executed mints moved into the vault (`burned` of kind
    /// mint: AKT is kept, not burned).
    pub akt_vaulted: String,
    /// **PIP payouts (USD)**: Σ `epoch_settled.amount_usd` (payouts valued at the pilot's price).
    pub pip_paid_usd: String,
    /// **Reserved GPU-hours**: Σ `reservations.claimed.gpu_seconds` / 3600 (hours providers
    /// claimed on confirmed and active reservations).
    pub reserved_gpu_hours: String,
}

/// Levels after one block.
#[derive(async_graphql::SimpleObject, Clone, Debug, Default, PartialEq, Eq)]
pub struct Levels {
    /// **ACT supply** (uact) after the last bme event that reported it.
    pub act_supply: Option<String>,
    /// **Vault AKT** (uakt, free of pending mints) after the last bme event that reported it.
    pub vault_akt: Option<String>,
    /// **Collateral ratio** in basis points, as bme last reported it.
    pub cr_bps: Option<i64>,
    /// **AKT/USD** in force ([`super::price`]).
    pub akt_usd: Option<String>,
    /// The oracle was not healthy at the block: `akt_usd` is carried.
    pub price_stale: bool,
}

/// The flows of a window (see [`Flows`] for each definition).
pub async fn flows(pool: &Pool, w: Window) -> Result<Flows, ApiError> {
    let rows = query(
        pool,
        "SELECT
           (SELECT coalesce(sum(paid), 0)::text FROM bme_record_executed
             WHERE block_height > $1 AND block_height <= $2 AND kind = 'mint'),
           (SELECT coalesce(sum(burned), 0)::text FROM bme_record_executed
             WHERE block_height > $1 AND block_height <= $2 AND kind = 'burn'),
           (SELECT coalesce(sum(burned), 0)::text FROM bme_record_executed
             WHERE block_height > $1 AND block_height <= $2 AND kind = 'mint'),
           (SELECT trim_scale(coalesce(sum(amount_usd), 0))::text FROM pip_epoch_settled
             WHERE block_height > $1 AND block_height <= $2),
           (SELECT trim_scale(coalesce(sum(gpu_seconds), 0) / 3600.0)::text FROM reservations_claimed
             WHERE block_height > $1 AND block_height <= $2)",
        &[&w.lo, &w.hi],
    )
    .await?;
    let Some(r) = rows.first() else {
        return Ok(Flows::default());
    };
    let s = |i: usize| trim_decimal(&r.get::<_, String>(i));
    Ok(Flows {
        act_minted: s(0),
        act_burned: s(1),
        akt_vaulted: s(2),
        pip_paid_usd: s(3),
        reserved_gpu_hours: s(4),
    })
}

const LAST: &str =
    "block_height <= $1 ORDER BY block_height DESC, phase DESC, tx_index DESC, event_index DESC LIMIT 1";

/// The levels after block `height` (see [`Levels`]).
pub async fn levels_at(pool: &Pool, height: i64) -> Result<Levels, ApiError> {
    let sql = format!(
        "SELECT
           (SELECT supply::text FROM (
              (SELECT block_height, phase, tx_index, event_index, supply FROM bme_record_executed WHERE {LAST})
              UNION ALL
              (SELECT block_height, phase, tx_index, event_index, supply FROM bme_record_cancelled WHERE {LAST})
            ) s ORDER BY block_height DESC, phase DESC, tx_index DESC, event_index DESC LIMIT 1),
           (SELECT vault_akt::text FROM (
              (SELECT block_height, phase, tx_index, event_index, vault_akt FROM bme_record_executed WHERE {LAST})
              UNION ALL
              (SELECT block_height, phase, tx_index, event_index, vault_akt FROM bme_vault_funded WHERE {LAST})
            ) v ORDER BY block_height DESC, phase DESC, tx_index DESC, event_index DESC LIMIT 1),
           (SELECT cr_bps FROM (
              (SELECT block_height, phase, tx_index, event_index, cr_bps FROM bme_record_executed WHERE {LAST})
              UNION ALL
              (SELECT block_height, phase, tx_index, event_index, cr_bps FROM bme_record_cancelled WHERE {LAST})
              UNION ALL
              (SELECT block_height, phase, tx_index, event_index, cr_bps FROM bme_mode_changed WHERE {LAST})
            ) c ORDER BY block_height DESC, phase DESC, tx_index DESC, event_index DESC LIMIT 1)"
    );
    let rows = query(pool, &sql, &[&height]).await?;
    let price = in_force(pool, height).await?;
    let Some(r) = rows.first() else {
        return Ok(Levels::default());
    };
    Ok(Levels {
        act_supply: r.get(0),
        vault_akt: r.get(1),
        cr_bps: r.get(2),
        akt_usd: price.akt_usd,
        price_stale: price.stale,
    })
}
