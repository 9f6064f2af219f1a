//! Events of the mock-pyth contract (`wasm-mock_pyth.<action>`), a test and devnet stand-in for a
//! Pyth contract. Values are the raw Pyth fields (`price × 10^expo`).

use cosmwasm_std::Addr;

catalogue! {
    contract = "mock_pyth";
    /// Every mock-pyth event.
    enum MockPythEvent;

    /// The publisher set feed `id` (64 lowercase hex digits) to these values.
    PriceSet = "price_set" {
        id: String, price: i64, conf: u64, expo: i32, publish_time: i64, ema_price: i64,
        ema_conf: u64, publisher: Addr
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CatalogEvent, SupercloudEvent};

    #[test]
    fn price_set_round_trips_with_contract_prefix() {
        let ev = PriceSet {
            id: "ab".repeat(32),
            price: -5,
            conf: 1,
            expo: -8,
            publish_time: 10,
            ema_price: 7,
            ema_conf: 2,
            publisher: Addr::unchecked("publisher"),
        };
        let event = ev.to_event();
        assert_eq!(event.ty, "mock_pyth.price_set");
        let attrs = event
            .attributes
            .iter()
            .map(|a| (a.key.as_str(), a.value.as_str()));
        let parsed = SupercloudEvent::parse("wasm-mock_pyth.price_set", attrs).unwrap();
        assert_eq!(parsed, Some(SupercloudEvent::MockPyth(ev.into())));
    }
}
