//! Wire compatibility with Pyth: requests and responses serialized by `pyth-sdk-cw` itself (the
//! crate Pyth consumers link on cosmwasm-std 1.x) are byte-for-byte what the oracle sends and
//! what mock-pyth answers.

use cosmwasm_std::{from_json, to_json_string, to_json_vec};
use pyth_sdk_cw::{Price, PriceFeed, PriceFeedResponse, PriceIdentifier, QueryMsg};

const FEED: &str = "4ea5bb4d2f5900cc2e97ba534240950740b4d3b89fe712a94a7304fd2fd92702";

fn pyth_response(price: i64, conf: u64, expo: i32, publish_time: i64) -> PriceFeedResponse {
    let id = PriceIdentifier::from_hex(FEED).unwrap();
    let spot = Price {
        price,
        conf,
        expo,
        publish_time,
    };
    let ema = Price {
        price: price / 2,
        conf: conf.saturating_add(1),
        expo,
        publish_time: publish_time.saturating_sub(1),
    };
    PriceFeedResponse {
        price_feed: PriceFeed::new(id, spot, ema),
    }
}

#[test]
fn request_bytes_match_pyth_sdk_cw() {
    let theirs = serde_json::to_vec(&QueryMsg::PriceFeed {
        id: PriceIdentifier::from_hex(FEED).unwrap(),
    })
    .unwrap();
    let ours = to_json_vec(&oracle::pyth::PythQueryMsg::PriceFeed { id: FEED.into() }).unwrap();
    assert_eq!(
        String::from_utf8(ours.clone()).unwrap(),
        format!(r#"{{"price_feed":{{"id":"{FEED}"}}}}"#)
    );
    assert_eq!(ours, theirs);
    // mock-pyth parses the standard request.
    let mock: mock_pyth::msg::QueryMsg = from_json(&theirs).unwrap();
    assert_eq!(
        mock,
        mock_pyth::msg::QueryMsg::PriceFeed { id: FEED.into() }
    );
    assert_eq!(to_json_vec(&mock).unwrap(), theirs);
}

#[test]
fn response_bytes_match_pyth_sdk_cw() {
    for (price, conf, expo, t) in [
        (123_456_789, 45_678, -8, 1_700_000_000),
        (-5, 0, 3, -1),
        (i64::MAX, u64::MAX, i32::MIN, i64::MAX),
        (i64::MIN, 0, i32::MAX, i64::MIN),
    ] {
        let theirs = serde_json::to_string(&pyth_response(price, conf, expo, t)).unwrap();
        // Pyth's encoding: i64/u64 prices as strings, expo and publish_time as numbers.
        assert!(
            theirs.contains(&format!(
                r#""price":"{price}","conf":"{conf}","expo":{expo},"publish_time":{t}"#
            )),
            "{theirs}"
        );
        let ours: oracle::pyth::PriceFeedResponse = from_json(theirs.as_bytes()).unwrap();
        assert_eq!(
            (
                ours.price_feed.price.price.i64(),
                ours.price_feed.price.conf.u64()
            ),
            (price, conf)
        );
        assert_eq!(
            (
                ours.price_feed.price.expo,
                ours.price_feed.price.publish_time
            ),
            (expo, t)
        );
        assert_eq!(ours.price_feed.id, FEED);
        assert_eq!(to_json_string(&ours).unwrap(), theirs);
        let mock: mock_pyth::msg::PriceFeedResponse = from_json(theirs.as_bytes()).unwrap();
        assert_eq!(to_json_string(&mock).unwrap(), theirs);
        // And back: pyth-sdk-cw reads what mock-pyth writes.
        let back: PriceFeedResponse =
            serde_json::from_str(&to_json_string(&mock).unwrap()).unwrap();
        assert_eq!(back, pyth_response(price, conf, expo, t));
    }
}
