//! Unit tests of `breaker`.
use super::*;
use cosmwasm_std::{from_json, to_json_vec, Decimal256};

#[test]
fn the_price_query_is_the_oracle_crates_message() {
    let ours = to_json_vec(&OracleQuery::Price { pair: "akt/usd" }).unwrap();
    let theirs = to_json_vec(&oracle::msg::QueryMsg::Price {
        pair: "akt/usd".into(),
    })
    .unwrap();
    assert_eq!(ours, theirs);
}

#[test]
fn reads_the_oracle_crates_response_and_tolerates_new_fields() {
    let response = oracle::msg::PriceResponse {
        pair: "akt/usd".into(),
        price: "2.345".parse().unwrap(),
        publish_time: 1_700_000_000,
        sources: 2,
    };
    let json = to_json_vec(&response).unwrap();
    let read: OraclePrice = from_json(&json).unwrap();
    assert_eq!(Decimal256::from(read.price), response.price);
    let newer = br#"{"pair":"akt/usd","price":"1.5","publish_time":1,"sources":1,"left_out":[]}"#;
    let read: OraclePrice = from_json(newer).unwrap();
    assert_eq!(read.price, Decimal::percent(150));
    // Above `Decimal::MAX` (~3.4 × 10^20 USD per AKT): unreadable, so no price (halt-oracle).
    let absurd = br#"{"price":"1000000000000000000000"}"#;
    assert!(from_json::<OraclePrice>(absurd).is_err());
}
