//! Public messages of the oracle. A consumer contract depends on this crate with feature
//! `library` and queries `QueryMsg::Price { pair }` for a [`PriceResponse`].

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Decimal256, Int64, Uint64};
use supercloud_std::AuthorityMsg;

/// The closed value sets are the event catalogue's, so messages, state and events share one
/// definition.
pub use supercloud_events::oracle::{Health, RejectReason, SourceKindName};

/// Authority-set limits (DESIGN §4.2). Defaults: staleness 30 s, confidence 200 bps (2 %),
/// future drift 10 s, TWAP window 60 s, deviation 150 bps, 1 source.
#[cw_serde]
pub struct Limits {
    /// An observation older than `block time − max_staleness_s` is rejected, and a source whose
    /// latest observation is that old is stale. Range 1..=86400.
    pub max_staleness_s: u64,
    /// Reject an observation when `conf / price > max_conf_bps / 10000`. Range 1..=10000.
    pub max_conf_bps: u32,
    /// Reject an observation published after `block time + max_future_drift_s`. Range 0..=3600.
    pub max_future_drift_s: u64,
    /// Length of the per-source time-weighted average, ending at block time. Range 1..=86400.
    pub twap_window_s: u64,
    /// A healthy source whose TWAP is further than `max_deviation_bps / 10000` from the median
    /// of the other healthy sources' TWAPs is left out of the median; the pair is `deviation`
    /// when that leaves fewer than `min_sources` or than a strict majority of the healthy
    /// sources. Distance: `|a − b| / min(a, b)`. Range 1..=10000.
    pub max_deviation_bps: u32,
    /// Fewest healthy sources for a usable price. Range 1..=8.
    pub min_sources: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_staleness_s: 30,
            max_conf_bps: 200,
            max_future_drift_s: 10,
            twap_window_s: 60,
            max_deviation_bps: 150,
            min_sources: 1,
        }
    }
}

/// Where a source's prices come from, as given in messages (addresses unchecked).
#[cw_serde]
pub enum SourceKindMsg {
    /// Pulled by `refresh` with `{"price_feed":{"id":feed_id}}` on the Pyth contract `contract`.
    /// `feed_id`: 64 hex digits, `0x` optional, any case (stored lowercase without `0x`).
    Pyth { contract: String, feed_id: String },
    /// Pushed by the relayer `address` with `push`.
    Pusher { address: String },
}

/// Where a source's prices come from (validated).
#[cw_serde]
pub enum SourceKind {
    Pyth { contract: Addr, feed_id: String },
    Pusher { address: Addr },
}

impl SourceKind {
    /// `pyth` or `pusher`.
    pub fn name(&self) -> SourceKindName {
        match self {
            SourceKind::Pyth { .. } => SourceKindName::Pyth,
            SourceKind::Pusher { .. } => SourceKindName::Pusher,
        }
    }
}

/// A source to add: `source` is its id within `pair` (`[a-z0-9_-]{1,32}`).
#[cw_serde]
pub struct NewSource {
    /// `base/quote`, each 1-16 of `[a-z0-9]`, e.g. `akt/usd`.
    pub pair: String,
    pub source: String,
    pub kind: SourceKindMsg,
}

/// Instantiates with the authority (gov), optional limits (defaults otherwise) and up to 30
/// sources.
#[cw_serde]
pub struct InstantiateMsg {
    pub authority: String,
    pub limits: Option<Limits>,
    pub sources: Vec<NewSource>,
}

/// State-changing messages.
#[cw_serde]
pub enum ExecuteMsg {
    /// Permissionless keeper call: pulls every `pyth` source of `pair`, validates and records
    /// the observations, and re-evaluates the pair's health. A bad source never fails the call;
    /// its outcome is reported in the attributes `source.<id>` and, when rejected, in an
    /// `oracle.observation_rejected` event.
    Refresh { pair: String },
    /// The pusher of `source` submits one observation, in Pyth's raw form
    /// (`price ± conf` × 10^`expo`, `publish_time` in unix seconds; `price` and `conf` are JSON
    /// strings). Validated like a pulled observation; only unauthorized or malformed calls fail.
    Push {
        pair: String,
        source: String,
        price: Int64,
        conf: Uint64,
        expo: i32,
        publish_time: i64,
    },
    /// Authority only: adds a source to a pair (creating the pair).
    AddSource {
        pair: String,
        source: String,
        kind: SourceKindMsg,
    },
    /// Authority only: removes a source and its observations.
    RemoveSource { pair: String, source: String },
    /// Authority only: changes the given limits; omitted fields keep their value.
    UpdateConfig {
        max_staleness_s: Option<u64>,
        max_conf_bps: Option<u32>,
        max_future_drift_s: Option<u64>,
        twap_window_s: Option<u64>,
        max_deviation_bps: Option<u32>,
        min_sources: Option<u32>,
    },
    /// Authority only: while paused, `refresh` and `push` are refused; queries keep answering
    /// (and the price turns stale on its own).
    SetPaused { paused: bool },
    /// Two-step authority handover.
    Authority(AuthorityMsg),
}

/// Queries.
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// For consumers: the aggregated price, or an error when the pair is not healthy.
    #[returns(PriceResponse)]
    Price { pair: String },
    /// For dashboards: current health with reason and per-source detail; never errors for a
    /// known pair.
    #[returns(HealthResponse)]
    Health { pair: String },
    /// Authority, limits and constants.
    #[returns(ConfigResponse)]
    Config {},
    /// Pairs in name order (default 10, max 30).
    #[returns(PairsResponse)]
    Pairs {
        start_after: Option<String>,
        limit: Option<u32>,
    },
    /// Sources of a pair in id order, each with its latest observation (default 10, max 30).
    #[returns(SourcesResponse)]
    Sources {
        pair: String,
        start_after: Option<String>,
        limit: Option<u32>,
    },
    /// Stored observations of one source, newest first; `start_after` is a `seq` and the page
    /// continues with smaller ones (default 10, max 30; at most the ring capacity exist).
    #[returns(ObservationsResponse)]
    Observations {
        pair: String,
        source: String,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
}

/// Migration takes no parameters.
#[cw_serde]
pub struct MigrateMsg {}

/// One stored observation. `price` and `conf` are normalised exactly (`raw × 10^expo`).
#[cw_serde]
pub struct Observation {
    /// 0-based number of this source's accepted observations; ring slot = `seq % capacity`.
    pub seq: u64,
    pub price: Decimal256,
    pub conf: Decimal256,
    /// The exponent the publisher used.
    pub expo: i32,
    /// Publisher's timestamp (unix seconds).
    pub publish_time: i64,
    /// Block time (unix seconds) when it was recorded.
    pub recorded_at: u64,
}

/// The most recent rejected observation of a source (cleared when one is accepted).
#[cw_serde]
pub struct Rejection {
    pub reason: RejectReason,
    pub detail: String,
    pub publish_time: Option<i64>,
    /// Block time of the rejection.
    pub at: u64,
}

/// Health of one source as used by the aggregate.
#[cw_serde]
#[derive(Copy, Eq)]
pub enum SourceStatus {
    Healthy,
    /// No observation stored yet.
    NoData,
    Stale,
    /// Its newest observation was rejected for confidence.
    LowConfidence,
}

/// Consumer price: median of the TWAPs of the healthy sources that are not left out.
///
/// Its fields are fixed: consumers deployed with an older copy of this type refuse unknown
/// fields, so what is left out is reported by the `health` query instead.
#[cw_serde]
pub struct PriceResponse {
    pub pair: String,
    /// Quote units per base unit (e.g. USD per AKT), 18 decimals.
    pub price: Decimal256,
    /// The oldest `publish_time` among the latest observations of the sources used.
    pub publish_time: i64,
    /// Number of sources in the median (healthy and not left out).
    pub sources: u32,
}

/// A healthy source left out of the median because its TWAP is too far from the others'.
#[cw_serde]
pub struct LeftOut {
    pub source: String,
    /// Its TWAP over the window.
    pub twap: Decimal256,
    /// The median of the other healthy sources' TWAPs nearest to `twap` (for an even number of
    /// others, any value between the two middle ones is a median).
    pub median_of_others: Decimal256,
    /// `|twap − median_of_others| / min(twap, median_of_others)` in bps, rounded up; above
    /// `max_deviation_bps`.
    pub deviation_bps: u64,
    /// The same in words.
    pub reason: String,
}

/// One source in a [`HealthResponse`].
#[cw_serde]
pub struct SourceHealth {
    pub source: String,
    pub status: SourceStatus,
    /// TWAP over the window; only for healthy sources.
    pub twap: Option<Decimal256>,
    pub latest_price: Option<Decimal256>,
    pub publish_time: Option<i64>,
    pub detail: String,
}

/// Dashboard view of a pair at the current block time.
#[cw_serde]
pub struct HealthResponse {
    pub pair: String,
    pub health: Health,
    pub reason: String,
    /// Median of the TWAPs of the sources used, present whenever one is (even if the pair is
    /// not healthy: check `health` before using it).
    pub price: Option<Decimal256>,
    /// Oldest latest `publish_time` among the sources used.
    pub publish_time: Option<i64>,
    pub healthy_sources: u32,
    /// Healthy sources in the median `price`: those not in `left_out`.
    pub sources_used: u32,
    /// Healthy sources left out of the median, with the reason.
    pub left_out: Vec<LeftOut>,
    /// `(max − min) / min` of all healthy TWAPs (left-out ones included) in bps, rounded up.
    pub deviation_bps: Option<u64>,
    /// Health last stored by `refresh`/`push`/source changes (what the last
    /// `health_changed` event announced); `None` before the first evaluation.
    pub stored_health: Option<Health>,
    pub sources: Vec<SourceHealth>,
}

/// Response of `config`.
#[cw_serde]
pub struct ConfigResponse {
    pub authority: Addr,
    pub pending_authority: Option<Addr>,
    pub paused: bool,
    pub limits: Limits,
    /// Observations kept per source (ring buffer size).
    pub observation_capacity: u32,
    pub max_sources_per_pair: u32,
}

/// One pair in [`PairsResponse`].
#[cw_serde]
pub struct PairInfo {
    pub pair: String,
    pub sources: u32,
    pub stored_health: Option<Health>,
    pub stored_reason: String,
}

/// Response of `pairs`.
#[cw_serde]
pub struct PairsResponse {
    pub pairs: Vec<PairInfo>,
}

/// One source in [`SourcesResponse`].
#[cw_serde]
pub struct SourceInfo {
    pub pair: String,
    pub source: String,
    pub kind: SourceKind,
    /// Accepted observations so far.
    pub count: u64,
    pub latest: Option<Observation>,
    pub last_rejection: Option<Rejection>,
}

/// Response of `sources`.
#[cw_serde]
pub struct SourcesResponse {
    pub sources: Vec<SourceInfo>,
}

/// Response of `observations`.
#[cw_serde]
pub struct ObservationsResponse {
    pub observations: Vec<Observation>,
}
