//! Stats: every metric of DESIGN §7 defined once, as SQL over the indexer's tables, each with its
//! definition in its doc comment. GraphQL (`api::graphql::stats`), the Console-compatible REST
//! routes (`api::rest`), the CSV export (`api::csv`, `indexer export`) and the dashboard all read
//! these functions; none of them holds SQL of its own.
//!
//! Shared rules:
//! - **Now** is the latest indexed block (`sync_cursor.block_time`), never the wall clock; its
//!   UTC day is the *day in progress*, returned with `in_progress = true` ([`clock`]).
//! - **Days** are UTC days: a block belongs to the day its time falls in.
//! - **Money** is an exact decimal string in base units of its denom (`uakt`, `uact`, the USDC
//!   denom); **USD** is an exact decimal string in whole US dollars: ACT and USDC count 1:1
//!   (10^6 base units = 1 USD), AKT at the oracle's aggregate price in force at each block
//!   ([`price`]); `usd_estimated` marks values where a carried (stale) price was used or some
//!   block had no price yet (such blocks count 0 USD).
//! - **Grouping**: lease metrics group by provider, owner and GPU model (from `daily_lease`);
//!   spend also groups by depositor (from `daily_depositor_spend`, optionally with owner). The
//!   depositor view is by *settlement* day: what settlements took from each depositor's deposits
//!   that day, which lags the blocks it paid for until the account is next touched.

pub mod clock;
pub mod dashboard;
pub mod decimal;
pub mod export;
pub mod group;
pub mod levels;
pub mod period;
pub mod price;
pub mod reconcile;
pub mod rolling;
pub mod series;
pub mod snapshots;
pub mod spend;

use deadpool_postgres::Pool;
use postgres_types::ToSql;
use tokio_postgres::Row;

use crate::api::ApiError;

pub use clock::{DayRange, Now};
pub use group::{Filter, GroupBy, Grouping};

/// Base units per whole token of every denom we price (`supercloud_chain::BASE_UNITS_PER_TOKEN`).
pub const BASE_UNITS: u128 = supercloud_chain::BASE_UNITS_PER_TOKEN;

/// Denoms worth 1 USD per whole token: ACT and the USD stablecoin.
pub fn one_to_one_denoms() -> Vec<String> {
    vec![
        supercloud_chain::ACT_DENOM.to_string(),
        supercloud_chain::USDC_DENOM.to_string(),
    ]
}

/// Runs `sql` (prepared once per connection) with `params` on a pooled reader.
pub(crate) async fn query(
    pool: &Pool,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<Row>, ApiError> {
    let client = pool.get().await?;
    let stmt = client.prepare_cached(sql).await?;
    Ok(client.query(&stmt, params).await?)
}

/// Whether the day of the current block is included in a daily answer.
#[derive(async_graphql::Enum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Current {
    /// Return the day in progress too, flagged `inProgress`.
    #[default]
    Include,
    /// Stop at the last complete day.
    Exclude,
}

/// `value` with trailing fractional zeros removed (`"1.500"` → `"1.5"`, `"2.0"` → `"2"`).
pub fn trim_decimal(value: &str) -> String {
    if !value.contains('.') {
        return value.to_string();
    }
    value
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_lose_only_trailing_zeros() {
        assert_eq!(trim_decimal("1.500"), "1.5");
        assert_eq!(trim_decimal("2.000"), "2");
        assert_eq!(trim_decimal("100"), "100");
        assert_eq!(trim_decimal("0.0"), "0");
        assert_eq!(trim_decimal("-3.10"), "-3.1");
    }
}
