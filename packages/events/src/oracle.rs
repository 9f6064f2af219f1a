//! Events of the oracle contract (`wasm-oracle.<action>`).
//!
//! A source is named by `pair` + `source` (the id the authority gave it). Prices are normalised
//! decimals (`raw × 10^expo`, exact); `raw_price`, `raw_conf` and `expo` are what the publisher sent,
//! so an indexer can rebuild every stored observation, including its ring-buffer slot
//! (`seq % capacity`), from `price_updated` alone.

use cosmwasm_std::{Addr, Decimal256};

catalogue! {
    contract = "oracle";
    /// Every oracle event.
    enum OracleEvent;

    /// A source was added to a pair. `kind` is `pyth` (with `contract` and `feed_id`) or `pusher`
    /// (with `address`).
    SourceAdded = "source_added" {
        pair: String, source: String, kind: String, contract: Option<Addr>,
        feed_id: Option<String>, address: Option<Addr>
    }
    /// A source was removed from a pair together with its stored observations.
    SourceRemoved = "source_removed" { pair: String, source: String, kind: String }
    /// An observation was accepted and stored as number `seq` (0-based) of this source.
    /// `via` is `refresh` (pulled from Pyth) or `push` (sent by the pusher `sender`).
    PriceUpdated = "price_updated" {
        pair: String, source: String, price: Decimal256, conf: Decimal256, raw_price: i64,
        raw_conf: u64, expo: i32, publish_time: i64, seq: u64, via: String, sender: Addr
    }
    /// An observation failed validation and was not stored; it is recorded as the source's last
    /// rejection. `reason` is one of `non_positive_price`, `exponent_out_of_range`,
    /// `future_publish_time`, `stale`, `low_confidence`, `feed_mismatch`, `query_failed`;
    /// `detail` explains it. `publish_time` is absent when the source did not answer.
    ObservationRejected = "observation_rejected" {
        pair: String, source: String, reason: String, detail: String, publish_time: Option<i64>
    }
    /// The stored health of a pair changed (`unknown` before its first evaluation).
    /// Values: `healthy`, `stale`, `low_sources`, `deviation`, `low_confidence`.
    HealthChanged = "health_changed" { pair: String, from: String, to: String, reason: String }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CatalogEvent, SupercloudEvent};

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
            via: "refresh".into(),
            sender: Addr::unchecked("keeper"),
        };
        let event = ev.to_event();
        assert_eq!(event.ty, "oracle.price_updated");
        let attrs = event
            .attributes
            .iter()
            .map(|a| (a.key.as_str(), a.value.as_str()));
        let parsed = SupercloudEvent::parse("wasm-oracle.price_updated", attrs).unwrap();
        assert_eq!(parsed, Some(SupercloudEvent::Oracle(ev.into())));
    }

    #[test]
    fn optional_source_fields_and_governance_events() {
        let ev = SourceAdded {
            pair: "akt/usd".into(),
            source: "relayer".into(),
            kind: "pusher".into(),
            contract: None,
            feed_id: None,
            address: Some(Addr::unchecked("relayer")),
        };
        let event = ev.to_event();
        assert!(!event.attributes.iter().any(|a| a.key == "feed_id"));
        let attrs = event
            .attributes
            .iter()
            .map(|a| (a.key.as_str(), a.value.as_str()));
        let parsed = SupercloudEvent::parse(&event.ty, attrs).unwrap().unwrap();
        assert_eq!(parsed, SupercloudEvent::Oracle(ev.into()));
        assert_eq!(HealthChanged::event_type(), "oracle.health_changed");
        assert!(OracleEvent::ACTIONS.contains(&"config_updated"));
    }
}
