//! Events of the oracle contract (`wasm-oracle.<action>`).
//!
//! A source is named by `pair` + `source` (the id the authority gave it). Prices are normalised
//! decimals (`raw × 10^expo`, exact); `raw_price`, `raw_conf` and `expo` are what the publisher sent,
//! so an indexer can rebuild every stored observation, including its ring-buffer slot
//! (`seq % capacity`), from `price_updated` alone. The price consumers were served is announced
//! by `price_aggregated` (see there for exactly when it fires).

use cosmwasm_std::{Addr, Decimal256};

attr_enum! {
    /// Health of a pair (DESIGN §4.2). Only `healthy` yields a price.
    pub enum Health {
        /// At least `min_sources` healthy sources, a strict majority of them within
        /// `max_deviation_bps` of the median of the others (outliers are left out).
        Healthy = "healthy",
        /// No healthy source, and none is excluded for low confidence: all are stale or empty.
        Stale = "stale",
        /// Some, but fewer than `min_sources`, healthy sources (or no source configured).
        LowSources = "low_sources",
        /// Enough healthy sources, but after leaving out those further than `max_deviation_bps`
        /// from the median of the others, fewer than `min_sources` or than a strict majority
        /// remain.
        Deviation = "deviation",
        /// No healthy source, and at least one is excluded because its newest observation was
        /// rejected for its confidence interval.
        LowConfidence = "low_confidence",
    }
}

attr_enum! {
    /// Where a source's prices come from.
    pub enum SourceKindName {
        /// Pulled from a Pyth contract by the permissionless `refresh`.
        Pyth = "pyth",
        /// Pushed by an authorized relayer with `push`.
        Pusher = "pusher",
    }
}

attr_enum! {
    /// How an observation arrived.
    pub enum Via {
        /// Pulled from Pyth by `refresh`.
        Refresh = "refresh",
        /// Sent by the source's pusher with `push`.
        Push = "push",
    }
}

attr_enum! {
    /// Why an observation was rejected.
    pub enum RejectReason {
        /// `price <= 0`.
        NonPositivePrice = "non_positive_price",
        /// `expo` outside [−18, 0].
        ExponentOutOfRange = "exponent_out_of_range",
        /// `publish_time > block time + max_future_drift_s`.
        FuturePublishTime = "future_publish_time",
        /// `publish_time < block time − max_staleness_s`.
        Stale = "stale",
        /// `conf / price > max_conf_bps / 10000`.
        LowConfidence = "low_confidence",
        /// The Pyth contract answered for another feed id.
        FeedMismatch = "feed_mismatch",
        /// The Pyth contract query failed (no such feed, contract missing, bad response).
        QueryFailed = "query_failed",
    }
}

catalogue! {
    contract = "oracle";
    /// Every oracle event.
    enum OracleEvent;

    /// A source was added to a pair, pulled from Pyth (`kind` = `pyth`, with `contract` and
    /// `feed_id`) or pushed by a relayer (`pusher`, with `address`).
    SourceAdded = "source_added" {
        pair: String, source: String, kind: SourceKindName, contract: Option<Addr>,
        feed_id: Option<String>, address: Option<Addr>
    }
    /// A source was removed from a pair together with its stored observations.
    SourceRemoved = "source_removed" { pair: String, source: String, kind: SourceKindName }
    /// An observation was accepted and stored as number `seq` (0-based) of this source, pulled by
    /// `refresh` or pushed by the pusher `sender` (`via`).
    PriceUpdated = "price_updated" {
        pair: String, source: String, price: Decimal256, conf: Decimal256, raw_price: i64,
        raw_conf: u64, expo: i32, publish_time: i64, seq: u64, via: Via, sender: Addr
    }
    /// An observation failed validation and was not stored; it is recorded as the source's last
    /// rejection, `detail` explains it. `publish_time` is absent when the source did not answer.
    ObservationRejected = "observation_rejected" {
        pair: String, source: String, reason: RejectReason, detail: String,
        publish_time: Option<i64>
    }
    /// The stored health of a pair changed; `from` is absent at the pair's first evaluation.
    HealthChanged = "health_changed" {
        pair: String, from: Option<Health>, to: Health, reason: String
    }
    /// The pair's aggregate changed: the price consumers are served from this block on, as the
    /// `price` query answers at `height` (`time`, unix seconds). `price` is absent when the pair
    /// is not `healthy` (the query refuses then); `sources_used` counts the sources in the median
    /// (0 without a price); `left_out` lists, joined by `,`, the healthy sources left out for
    /// being further than `max_deviation_bps` from the median of the others (absent when none).
    ///
    /// Fires in `instantiate`, `refresh`, `push`, `add_source` and `remove_source` whenever the
    /// evaluated `(health, price)` differs from the last one emitted for the pair, so equal values
    /// are not repeated; the price in force at block h is the last `price_aggregated` at or
    /// before h. Between two such executes the query's TWAP slides with block time and a pair can
    /// turn stale (after `update_config`, or while paused, too): the next execute announces it.
    PriceAggregated = "price_aggregated" {
        pair: String, price: Option<Decimal256>, health: Health, sources_used: u32,
        left_out: Option<String>, height: u64, time: u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CatalogEvent, SupercloudEvent};

    fn round_trip(ev: OracleEvent) {
        let event = ev.to_event();
        let attrs = event
            .attributes
            .iter()
            .map(|a| (a.key.as_str(), a.value.as_str()));
        let parsed = SupercloudEvent::parse(&format!("wasm-{}", event.ty), attrs).unwrap();
        assert_eq!(parsed, Some(SupercloudEvent::Oracle(ev)));
    }

    #[test]
    fn price_updated_round_trips() {
        let ev = PriceUpdated {
            pair: "akt/usd".into(),
            source: "pyth".into(),
            price: Decimal256::percent(123),
            conf: Decimal256::permille(4),
            raw_price: 123_000_000,
            raw_conf: 400_000,
            expo: -8,
            publish_time: 1_700_000_000,
            seq: 3,
            via: Via::Refresh,
            sender: Addr::unchecked("keeper"),
        };
        let event = ev.to_event();
        assert_eq!(event.ty, "oracle.price_updated");
        assert!(event
            .attributes
            .iter()
            .any(|a| a.key == "via" && a.value == "refresh"));
        round_trip(ev.into());
    }

    #[test]
    fn optional_source_fields_and_governance_events() {
        let ev = SourceAdded {
            pair: "akt/usd".into(),
            source: "relayer".into(),
            kind: SourceKindName::Pusher,
            contract: None,
            feed_id: None,
            address: Some(Addr::unchecked("relayer")),
        };
        let event = ev.to_event();
        assert!(!event.attributes.iter().any(|a| a.key == "feed_id"));
        round_trip(ev.into());
        assert_eq!(HealthChanged::event_type(), "oracle.health_changed");
        assert!(OracleEvent::ACTIONS.contains(&"config_updated"));
    }

    #[test]
    fn health_and_aggregate_round_trip_with_closed_value_sets() {
        let first = HealthChanged {
            pair: "akt/usd".into(),
            from: None,
            to: Health::LowSources,
            reason: "no sources configured".into(),
        };
        assert!(!first.to_event().attributes.iter().any(|a| a.key == "from"));
        round_trip(first.into());
        let aggregated = PriceAggregated {
            pair: "akt/usd".into(),
            price: Some(Decimal256::percent(250)),
            health: Health::Healthy,
            sources_used: 2,
            left_out: Some("bad,worse".into()),
            height: 12,
            time: 1_700_000_000,
        };
        let attrs = aggregated.attributes();
        assert!(attrs.contains(&("price", "2.5".to_string())));
        assert!(attrs.contains(&("health", "healthy".to_string())));
        assert!(attrs.contains(&("left_out", "bad,worse".to_string())));
        round_trip(aggregated.into());
        let unavailable = PriceAggregated {
            pair: "akt/usd".into(),
            price: None,
            health: Health::Deviation,
            sources_used: 0,
            left_out: None,
            height: 13,
            time: 1_700_000_006,
        };
        let keys: Vec<&str> = unavailable.attributes().iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["pair", "health", "sources_used", "height", "time"]);
        round_trip(unavailable.into());
        // A value outside a closed set does not parse.
        let attrs = [
            ("pair", "akt/usd"),
            ("source", "x"),
            ("reason", "bogus"),
            ("detail", "d"),
        ];
        assert!(SupercloudEvent::parse("wasm-oracle.observation_rejected", attrs).is_err());
        assert_eq!(RejectReason::NAMES.len(), 7);
        assert_eq!(Health::Deviation.as_str(), "deviation");
    }
}
