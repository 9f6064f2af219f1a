//! Storage of the oracle. Everything per pair is bounded: at most [`MAX_SOURCES_PER_PAIR`]
//! sources, each with at most [`OBSERVATION_CAPACITY`] stored observations.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Decimal256, Order, StdResult, Storage};
use cw_storage_plus::{Item, Map};

use crate::error::ContractError;
use crate::msg::{Health, Limits, Observation, Rejection, SourceKind};

/// Observations kept per source; the oldest is overwritten (slot = `seq % capacity`). 32 covers a
/// 60 s window at one update every 2 s.
pub const OBSERVATION_CAPACITY: u32 = 32;
/// Sources per pair; also bounds every per-pair loop.
pub const MAX_SOURCES_PER_PAIR: u32 = 8;
/// Sources one instantiate message may add.
pub const MAX_INITIAL_SOURCES: u32 = 30;

/// A pair and the aggregate last announced for it (`health_changed`, `price_aggregated`).
#[cw_serde]
pub struct PairState {
    /// Configured sources.
    pub sources: u32,
    /// Health at the last evaluation by an execute (`None` before the first).
    pub health: Option<Health>,
    /// Reason given with `health`.
    pub reason: String,
    /// Price in force at the last evaluation by an execute (`None` unless healthy), as the last
    /// `price_aggregated` announced it. Absent in pairs stored by 0.1.0, which read as `None`.
    #[serde(default)]
    pub price: Option<Decimal256>,
}

/// A source of a pair.
#[cw_serde]
pub struct Source {
    pub kind: SourceKind,
    /// Accepted observations so far (the next `seq`).
    pub count: u64,
    pub latest: Option<Observation>,
    pub last_rejection: Option<Rejection>,
}

/// The limits.
pub const LIMITS: Item<Limits> = Item::new("limits");
/// Pairs by name.
pub const PAIRS: Map<&str, PairState> = Map::new("pairs");
/// Sources by (pair, source id).
pub const SOURCES: Map<(&str, &str), Source> = Map::new("sources");
/// Ring buffers by (pair, source id, slot).
pub const OBSERVATIONS: Map<(&str, &str, u32), Observation> = Map::new("observations");

/// The ring slot of observation number `seq`.
pub fn slot(seq: u64) -> Result<u32, ContractError> {
    // The capacity is a non-zero constant, so the remainder cannot fail and fits in u32.
    u32::try_from(seq % u64::from(OBSERVATION_CAPACITY))
        .map_err(|_| ContractError::OutOfRange { what: "ring slot" })
}

/// The smallest `seq` still stored for a source with `count` observations.
pub fn oldest_seq(count: u64) -> u64 {
    count.saturating_sub(u64::from(OBSERVATION_CAPACITY))
}

/// All sources of a pair in id order (bounded by [`MAX_SOURCES_PER_PAIR`]).
pub fn pair_sources(storage: &dyn Storage, pair: &str) -> StdResult<Vec<(String, Source)>> {
    SOURCES
        .prefix(pair)
        .range(storage, None, None, Order::Ascending)
        .take(MAX_SOURCES_PER_PAIR as usize)
        .collect()
}

/// The observations of a source that matter for a TWAP window starting at `window_start`,
/// newest first as `(publish_time, price)`: every observation after the window start plus the
/// last one at or before it (the price in force when the window opens). Reads at most
/// [`OBSERVATION_CAPACITY`] entries.
pub fn window_observations(
    storage: &dyn Storage,
    pair: &str,
    source_id: &str,
    source: &Source,
    window_start: i64,
) -> Result<Vec<(i64, Decimal256)>, ContractError> {
    let mut out = Vec::new();
    let mut seq = source.count;
    let oldest = oldest_seq(source.count);
    while seq > oldest {
        seq = seq.saturating_sub(1);
        let Some(obs) = OBSERVATIONS.may_load(storage, (pair, source_id, slot(seq)?))? else {
            break;
        };
        out.push((obs.publish_time, obs.price));
        if obs.publish_time <= window_start {
            break;
        }
    }
    Ok(out)
}
