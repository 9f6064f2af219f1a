//! mock-pyth: publisher-only prices, the exact Pyth response JSON, governance.

use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env};
use cosmwasm_std::{Addr, Empty, Int64, Uint64};
use cw_multi_test::{App, AppResponse, ContractWrapper, Executor};
use mock_pyth::msg::{
    ConfigResponse, ExecuteMsg, FeedsResponse, InstantiateMsg, MigrateMsg, QueryMsg,
};
use supercloud_events::mock_pyth::MockPythEvent;
use supercloud_events::SupercloudEvent;
use supercloud_std::MigrateError;

const FEED: &str = "4ea5bb4d2f5900cc2e97ba534240950740b4d3b89fe712a94a7304fd2fd92702";

struct Suite {
    app: App,
    pyth: Addr,
    gov: Addr,
    publisher: Addr,
}

fn setup() -> Suite {
    let mut app = App::default();
    let gov = app.api().addr_make("gov");
    let publisher = app.api().addr_make("publisher");
    let code = app.store_code(Box::new(ContractWrapper::<_, _, _, _, _, _, Empty>::new(
        mock_pyth::contract::execute,
        mock_pyth::contract::instantiate,
        mock_pyth::contract::query,
    )));
    let msg = InstantiateMsg {
        authority: gov.to_string(),
        publisher: publisher.to_string(),
    };
    let pyth = app
        .instantiate_contract(code, gov.clone(), &msg, &[], "mock-pyth", None)
        .unwrap();
    Suite {
        app,
        pyth,
        gov,
        publisher,
    }
}

fn set(id: &str, price: i64, conf: u64, expo: i32, publish_time: i64) -> ExecuteMsg {
    ExecuteMsg::SetPrice {
        id: id.into(),
        price: Int64::new(price),
        conf: Uint64::new(conf),
        expo,
        publish_time,
        ema_price: None,
        ema_conf: None,
    }
}

impl Suite {
    fn exec(&mut self, sender: &Addr, msg: &ExecuteMsg) -> cosmwasm_std::StdResult<AppResponse> {
        self.app
            .execute_contract(sender.clone(), self.pyth.clone(), msg, &[])
    }
    fn raw_query(&self, json: &str) -> cosmwasm_std::StdResult<String> {
        let v: serde_json_value::Raw = self
            .app
            .wrap()
            .query_wasm_smart(&self.pyth, &serde_json_value::Raw(json.to_string()))?;
        Ok(v.0)
    }
}

/// Passes a JSON request through unchanged and returns the raw JSON answer.
mod serde_json_value {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Debug)]
    pub struct Raw(pub String);

    impl Serialize for Raw {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let v: Box<serde_json::value::RawValue> =
                serde_json::value::RawValue::from_string(self.0.clone())
                    .map_err(serde::ser::Error::custom)?;
            v.serialize(s)
        }
    }

    impl<'de> Deserialize<'de> for Raw {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let v = Box::<serde_json::value::RawValue>::deserialize(d)?;
            Ok(Raw(v.get().to_string()))
        }
    }
}

#[test]
fn answers_the_pyth_query_with_pyth_json() {
    let mut s = setup();
    let publisher = s.publisher.clone();
    let res = s
        .exec(
            &publisher,
            &set(
                &format!("0x{}", FEED.to_uppercase()),
                152_300_000,
                45_000,
                -8,
                1_700_000_000,
            ),
        )
        .unwrap();
    let ev = res
        .events
        .iter()
        .find_map(|e| {
            let attrs = e
                .attributes
                .iter()
                .map(|a| (a.key.as_str(), a.value.as_str()));
            match SupercloudEvent::parse(&e.ty, attrs).unwrap() {
                Some(SupercloudEvent::MockPyth(MockPythEvent::PriceSet(p))) => Some(p),
                _ => None,
            }
        })
        .unwrap();
    assert_eq!(
        (ev.id.as_str(), ev.price, ev.ema_price, ev.publisher),
        (FEED, 152_300_000, 152_300_000, publisher.clone())
    );
    let answer = s
        .raw_query(&format!(r#"{{"price_feed":{{"id":"{FEED}"}}}}"#))
        .unwrap();
    let price = r#"{"price":"152300000","conf":"45000","expo":-8,"publish_time":1700000000}"#;
    assert_eq!(
        answer,
        format!(r#"{{"price_feed":{{"id":"{FEED}","price":{price},"ema_price":{price}}}}}"#)
    );
    // Explicit EMA values; bad values are stored as given (the oracle must reject them).
    let msg = ExecuteMsg::SetPrice {
        id: FEED.into(),
        price: Int64::new(-7),
        conf: Uint64::new(1),
        expo: 5,
        publish_time: 1,
        ema_price: Some(Int64::new(9)),
        ema_conf: Some(Uint64::new(2)),
    };
    s.exec(&publisher, &msg).unwrap();
    let answer = s
        .raw_query(&format!(r#"{{"price_feed":{{"id":"{FEED}"}}}}"#))
        .unwrap();
    assert!(answer.contains(r#""price":{"price":"-7","conf":"1","expo":5,"publish_time":1},"ema_price":{"price":"9","conf":"2""#), "{answer}");
}

#[test]
fn only_the_publisher_sets_prices_and_unknown_feeds_error() {
    let mut s = setup();
    let gov = s.gov.clone();
    let err = s
        .exec(&gov, &set(FEED, 1, 0, 0, 0))
        .unwrap_err()
        .to_string();
    assert!(err.contains("only the publisher"), "{err}");
    let publisher = s.publisher.clone();
    let err = s
        .exec(&publisher, &set("abc", 1, 0, 0, 0))
        .unwrap_err()
        .to_string();
    assert!(err.contains("invalid feed id"), "{err}");
    let err = s
        .raw_query(&format!(r#"{{"price_feed":{{"id":"{FEED}"}}}}"#))
        .unwrap_err()
        .to_string();
    assert!(err.contains("not found"), "{err}");
}

#[test]
fn authority_replaces_publisher_and_pauses() {
    let mut s = setup();
    let (gov, old) = (s.gov.clone(), s.publisher.clone());
    let new = s.app.api().addr_make("new");
    let err = s
        .exec(
            &old,
            &ExecuteMsg::UpdateConfig {
                publisher: old.to_string(),
            },
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("only the authority"), "{err}");
    s.exec(
        &gov,
        &ExecuteMsg::UpdateConfig {
            publisher: new.to_string(),
        },
    )
    .unwrap();
    let config: ConfigResponse = s
        .app
        .wrap()
        .query_wasm_smart(&s.pyth, &QueryMsg::Config {})
        .unwrap();
    assert_eq!(
        (config.publisher, config.authority),
        (new.clone(), gov.clone())
    );
    assert!(s.exec(&old, &set(FEED, 1, 0, 0, 0)).is_err());
    s.exec(&new, &set(FEED, 1, 0, 0, 0)).unwrap();
    s.exec(&gov, &ExecuteMsg::SetPaused { paused: true })
        .unwrap();
    let err = s
        .exec(&new, &set(FEED, 2, 0, 0, 1))
        .unwrap_err()
        .to_string();
    assert!(err.contains("paused"), "{err}");
}

#[test]
fn feeds_paginate() {
    let mut s = setup();
    let publisher = s.publisher.clone();
    for i in 0..35u8 {
        s.exec(&publisher, &set(&format!("{i:02x}").repeat(32), 1, 0, 0, 0))
            .unwrap();
    }
    let page = |start_after: Option<String>, limit| -> FeedsResponse {
        s.app
            .wrap()
            .query_wasm_smart(&s.pyth, &QueryMsg::Feeds { start_after, limit })
            .unwrap()
    };
    assert_eq!(page(None, None).feeds.len(), 10);
    assert_eq!(page(None, Some(99)).feeds.len(), 30);
    let rest = page(Some("1f".repeat(32)), Some(30)).feeds;
    assert_eq!(rest.len(), 3);
    assert_eq!(rest[0].id, "20".repeat(32));
}

#[test]
fn migrate_refuses_replay_and_downgrade() {
    let mut deps = mock_dependencies();
    let gov = deps.api.addr_make("gov");
    let msg = InstantiateMsg {
        authority: gov.to_string(),
        publisher: gov.to_string(),
    };
    mock_pyth::contract::instantiate(deps.as_mut(), mock_env(), message_info(&gov, &[]), msg)
        .unwrap();
    let err = mock_pyth::contract::migrate(deps.as_mut(), mock_env(), MigrateMsg {}).unwrap_err();
    assert!(matches!(
        err,
        mock_pyth::ContractError::Migrate(MigrateError::AlreadyMigrated { .. })
    ));
    cw2::set_contract_version(&mut deps.storage, mock_pyth::CONTRACT_NAME, "0.0.1").unwrap();
    mock_pyth::contract::migrate(deps.as_mut(), mock_env(), MigrateMsg {}).unwrap();
    cw2::set_contract_version(&mut deps.storage, mock_pyth::CONTRACT_NAME, "9.0.0").unwrap();
    let err = mock_pyth::contract::migrate(deps.as_mut(), mock_env(), MigrateMsg {}).unwrap_err();
    assert!(matches!(
        err,
        mock_pyth::ContractError::Migrate(MigrateError::Downgrade { .. })
    ));
}
