//! Shared cw-multi-test harness: an oracle and a mock-pyth in one App.

use cosmwasm_std::{Addr, Decimal256, Empty, Int64, StdResult, Uint64};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};
use oracle::msg::{
    ExecuteMsg, Health, HealthResponse, InstantiateMsg, Limits, PriceResponse, QueryMsg,
    SourceKindMsg,
};
use supercloud_events::oracle::OracleEvent;
use supercloud_events::SupercloudEvent;
use supercloud_multitest::chain::advance_blocks;
use supercloud_multitest::events;

pub use supercloud_multitest::assert_err;

pub type AnyResult<T> = StdResult<T>;

/// The AKT/USD feed id Akash uses (any 32-byte id works with the mock).
pub const AKT_FEED: &str = "4ea5bb4d2f5900cc2e97ba534240950740b4d3b89fe712a94a7304fd2fd92702";
pub const OTHER_FEED: &str = "e62df6c8b4a85fe1a67db44dc12de5db330f7ac66b72dc658afedf0f4a415b43";
pub const PAIR: &str = "akt/usd";

pub fn oracle_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            oracle::contract::execute,
            oracle::contract::instantiate,
            oracle::contract::query,
        )
        .with_migrate(oracle::contract::migrate),
    )
}

pub fn mock_pyth_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        mock_pyth::contract::execute,
        mock_pyth::contract::instantiate,
        mock_pyth::contract::query,
    ))
}

pub struct Suite {
    pub app: App,
    pub oracle: Addr,
    pub pyth: Addr,
    pub gov: Addr,
    pub publisher: Addr,
    pub relayer: Addr,
    pub keeper: Addr,
    pub stranger: Addr,
}

pub fn dec(s: &str) -> Decimal256 {
    s.parse().unwrap()
}

impl Suite {
    /// Oracle with `limits` (defaults when `None`) and no sources, plus a mock-pyth.
    pub fn new(limits: Option<Limits>) -> Suite {
        let mut app = App::default();
        let gov = app.api().addr_make("gov");
        let publisher = app.api().addr_make("publisher");
        let relayer = app.api().addr_make("relayer");
        let keeper = app.api().addr_make("keeper");
        let stranger = app.api().addr_make("stranger");
        let pyth_code = app.store_code(mock_pyth_contract());
        let pyth = app
            .instantiate_contract(
                pyth_code,
                gov.clone(),
                &mock_pyth::msg::InstantiateMsg {
                    authority: gov.to_string(),
                    publisher: publisher.to_string(),
                },
                &[],
                "mock-pyth",
                None,
            )
            .unwrap();
        let code = app.store_code(oracle_contract());
        let oracle = app
            .instantiate_contract(
                code,
                gov.clone(),
                &InstantiateMsg {
                    authority: gov.to_string(),
                    limits,
                    sources: vec![],
                },
                &[],
                "oracle",
                Some(gov.to_string()),
            )
            .unwrap();
        Suite {
            app,
            oracle,
            pyth,
            gov,
            publisher,
            relayer,
            keeper,
            stranger,
        }
    }

    pub fn now(&self) -> i64 {
        self.app.block_info().time.seconds() as i64
    }

    /// Moves block time forward by `seconds` (and the height by one block).
    pub fn advance(&mut self, seconds: u64) {
        advance_blocks(&mut self.app, 1, seconds);
    }

    pub fn exec(&mut self, sender: &Addr, msg: &ExecuteMsg) -> AnyResult<AppResponse> {
        let oracle = self.oracle.clone();
        self.app.execute_contract(sender.clone(), oracle, msg, &[])
    }

    pub fn add_source(
        &mut self,
        pair: &str,
        source: &str,
        kind: SourceKindMsg,
    ) -> AnyResult<AppResponse> {
        let gov = self.gov.clone();
        self.exec(
            &gov,
            &ExecuteMsg::AddSource {
                pair: pair.into(),
                source: source.into(),
                kind,
            },
        )
    }

    pub fn add_pyth(&mut self, pair: &str, source: &str, feed: &str) -> AppResponse {
        let kind = SourceKindMsg::Pyth {
            contract: self.pyth.to_string(),
            feed_id: feed.into(),
        };
        self.add_source(pair, source, kind).unwrap()
    }

    pub fn add_pusher(&mut self, pair: &str, source: &str, address: &Addr) -> AppResponse {
        let kind = SourceKindMsg::Pusher {
            address: address.to_string(),
        };
        self.add_source(pair, source, kind).unwrap()
    }

    /// Sets a mock-pyth feed: `price ± conf` × 10^expo at `publish_time`.
    pub fn set_pyth(&mut self, feed: &str, price: i64, conf: u64, expo: i32, publish_time: i64) {
        let publisher = self.publisher.clone();
        let pyth = self.pyth.clone();
        self.app
            .execute_contract(
                publisher,
                pyth,
                &mock_pyth::msg::ExecuteMsg::SetPrice {
                    id: feed.into(),
                    price: Int64::new(price),
                    conf: Uint64::new(conf),
                    expo,
                    publish_time,
                    ema_price: None,
                    ema_conf: None,
                },
                &[],
            )
            .unwrap();
    }

    pub fn refresh(&mut self, pair: &str) -> AnyResult<AppResponse> {
        let keeper = self.keeper.clone();
        self.exec(&keeper, &ExecuteMsg::Refresh { pair: pair.into() })
    }

    pub fn push_as(
        &mut self,
        sender: &Addr,
        source: &str,
        price: i64,
        conf: u64,
        expo: i32,
        publish_time: i64,
    ) -> AnyResult<AppResponse> {
        self.exec(
            sender,
            &ExecuteMsg::Push {
                pair: PAIR.into(),
                source: source.into(),
                price: Int64::new(price),
                conf: Uint64::new(conf),
                expo,
                publish_time,
            },
        )
    }

    /// The relayer pushes to source `relayer` of akt/usd.
    pub fn push(&mut self, price: i64, conf: u64, expo: i32, publish_time: i64) -> AppResponse {
        let relayer = self.relayer.clone();
        self.push_as(&relayer, "relayer", price, conf, expo, publish_time)
            .unwrap()
    }

    pub fn query<T: serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> StdResult<T> {
        self.app.wrap().query_wasm_smart(&self.oracle, msg)
    }

    pub fn price(&self, pair: &str) -> StdResult<PriceResponse> {
        self.query(&QueryMsg::Price { pair: pair.into() })
    }

    pub fn health(&self, pair: &str) -> HealthResponse {
        self.query(&QueryMsg::Health { pair: pair.into() }).unwrap()
    }
}

/// Oracle events in a response, parsed with the shared catalogue.
pub fn oracle_events(res: &AppResponse) -> Vec<OracleEvent> {
    events(res)
        .into_iter()
        .filter_map(|e| match e {
            SupercloudEvent::Oracle(ev) => Some(ev),
            _ => None,
        })
        .collect()
}

/// The `health_changed` events of a response as `(from, to)`.
pub fn health_changes(res: &AppResponse) -> Vec<(Option<Health>, Health)> {
    oracle_events(res)
        .into_iter()
        .filter_map(|e| match e {
            OracleEvent::HealthChanged(h) => Some((h.from, h.to)),
            _ => None,
        })
        .collect()
}

/// The value of attribute `key` of the contract's `wasm` event.
pub fn attr(res: &AppResponse, key: &str) -> Option<String> {
    res.events
        .iter()
        .filter(|e| e.ty == "wasm")
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
}
