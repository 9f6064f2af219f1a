//! Test harness: one cw-multi-test App with the oracle (one pusher source for akt/usd), the
//! escrow (accepting ACT from this bme) and the bme.

use bme::msg::{
    BalanceResponse, ConfigResponse, ExecuteMsg, InstantiateMsg, Params, ParamsUpdate, QueryMsg,
    RecordsResponse, RequestKind, RequestStatusResponse, RequestsResponse, StatusResponse,
    TokenInfoResponse, Vault,
};
use cosmwasm_std::{
    coin, coins, Addr, Binary, Decimal, Decimal256, Empty, Int64, StdError, Uint128, Uint64,
};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};
use supercloud_events::bme::{BmeEvent, CancelReason, Mode};
use supercloud_events::SupercloudEvent;
use supercloud_multitest::chain::{advance_blocks, balance, funded_app};
use supercloud_multitest::events;

pub use supercloud_multitest::assert_err;

pub const AKT: &str = "uakt";
pub const PAIR: &str = "akt/usd";
/// Seconds per block in the harness.
pub const BLOCK_S: u64 = 5;
/// Oracle staleness in the harness: 13 blocks without a push make the price stale.
pub const STALENESS_S: u64 = 60;
pub const START: u128 = 1_000_000_000_000;
pub const FUNDED: [&str; 6] = ["gov", "tenant", "alice", "bob", "provider", "keeper"];

pub fn bme_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            bme::contract::execute,
            bme::contract::instantiate,
            bme::contract::query,
        )
        .with_migrate(bme::contract::migrate),
    )
}

fn oracle_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        oracle::contract::execute,
        oracle::contract::instantiate,
        oracle::contract::query,
    ))
}

fn escrow_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        escrow::contract::execute,
        escrow::contract::instantiate,
        escrow::contract::query,
    ))
}

pub struct Suite {
    pub app: App,
    pub bme: Addr,
    pub oracle: Addr,
    pub escrow: Addr,
    pub gov: Addr,
    pub relayer: Addr,
    /// Price the relayer keeps pushing on every block advance (`None`: the feed stops).
    pub price: Option<i64>,
}

/// A decimal from a string.
pub fn dec(s: &str) -> Decimal256 {
    s.parse().unwrap()
}

/// A bme price (USD per AKT) from a string.
pub fn price(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// `usd` (e.g. "2.5") as Pyth's raw i64 with expo −8.
fn raw(usd: &str) -> i64 {
    let atomics = dec(usd).atomics(); // 10^18 scale
    let v = atomics / cosmwasm_std::Uint256::from(10_000_000_000u64);
    i64::try_from(Uint128::try_from(v).unwrap().u128()).unwrap()
}

impl Suite {
    /// Oracle at `price` USD/AKT, escrow and bme (default params unless `params`), escrow
    /// allow-listed.
    pub fn with(price: &str, params: Option<Params>) -> Suite {
        let mut app = funded_app(&FUNDED, &[coin(START, AKT), coin(START, "uother")]);
        let gov = app.api().addr_make("gov");
        let relayer = app.api().addr_make("relayer");
        let code = app.store_code(oracle_contract());
        let oracle = app
            .instantiate_contract(
                code,
                gov.clone(),
                &oracle::msg::InstantiateMsg {
                    authority: gov.to_string(),
                    limits: Some(oracle::msg::Limits {
                        max_staleness_s: STALENESS_S,
                        twap_window_s: 1,
                        ..Default::default()
                    }),
                    sources: vec![oracle::msg::NewSource {
                        pair: PAIR.into(),
                        source: "relayer".into(),
                        kind: oracle::msg::SourceKindMsg::Pusher {
                            address: relayer.to_string(),
                        },
                    }],
                },
                &[],
                "oracle",
                None,
            )
            .unwrap();
        let code = app.store_code(bme_contract());
        let bme = app
            .instantiate_contract(
                code,
                gov.clone(),
                &InstantiateMsg {
                    authority: gov.to_string(),
                    oracle: oracle.to_string(),
                    pair: None,
                    params,
                    allow_list: vec![],
                },
                &[],
                "bme",
                Some(gov.to_string()),
            )
            .unwrap();
        let code = app.store_code(escrow_contract());
        let escrow = app
            .instantiate_contract(
                code,
                gov.clone(),
                &escrow::msg::InstantiateMsg {
                    authority: gov.to_string(),
                    native_denoms: vec![AKT.into()],
                    act_ledger: Some(bme.to_string()),
                    grace_period_blocks: 0,
                    block_time_ms: None,
                    max_open_payments: None,
                    refund_batch: None,
                    deposit_limits: None,
                },
                &[],
                "escrow",
                None,
            )
            .unwrap();
        let mut suite = Suite {
            app,
            bme,
            oracle,
            escrow: escrow.clone(),
            gov: gov.clone(),
            relayer,
            price: None,
        };
        suite
            .exec(
                "gov",
                &ExecuteMsg::UpdateAllowList {
                    add: vec![escrow.to_string()],
                    remove: vec![],
                },
                &[],
            )
            .unwrap();
        suite.set_price(price);
        suite
    }

    pub fn new(price: &str) -> Suite {
        Suite::with(price, None)
    }

    pub fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    pub fn height(&self) -> u64 {
        self.app.block_info().height
    }

    fn push(&mut self, price: i64) {
        let now = self.app.block_info().time.seconds() as i64;
        let (relayer, oracle) = (self.relayer.clone(), self.oracle.clone());
        self.app
            .execute_contract(
                relayer,
                oracle,
                &oracle::msg::ExecuteMsg::Push {
                    pair: PAIR.into(),
                    source: "relayer".into(),
                    price: Int64::new(price),
                    conf: Uint64::zero(),
                    expo: -8,
                    publish_time: now,
                },
                &[],
            )
            .unwrap();
    }

    /// Moves `blocks` blocks ahead (5 s each); the relayer pushes the current price, if any.
    pub fn advance(&mut self, blocks: u64) {
        advance_blocks(&mut self.app, blocks, BLOCK_S);
        if let Some(p) = self.price {
            self.push(p);
        }
    }

    /// The relayer publishes `usd`; one block later it is the whole TWAP window.
    pub fn set_price(&mut self, usd: &str) {
        let p = raw(usd);
        self.price = Some(p);
        // A fresh block, so the publish time is newer than the last push.
        advance_blocks(&mut self.app, 1, BLOCK_S);
        self.push(p);
        self.advance(1);
    }

    /// The feed stops and goes stale.
    pub fn stop_feed(&mut self) {
        self.price = None;
        self.advance(STALENESS_S / BLOCK_S + 1);
    }

    pub fn oracle_healthy(&self) -> bool {
        self.app
            .wrap()
            .query_wasm_smart::<oracle::msg::PriceResponse>(
                &self.oracle,
                &oracle::msg::QueryMsg::Price { pair: PAIR.into() },
            )
            .is_ok()
    }

    pub fn exec(
        &mut self,
        sender: &str,
        msg: &ExecuteMsg,
        funds: &[cosmwasm_std::Coin],
    ) -> Result<AppResponse, StdError> {
        let sender = self.addr(sender);
        let bme = self.bme.clone();
        self.app.execute_contract(sender, bme, msg, funds)
    }

    pub fn mint(&mut self, who: &str, uakt: u128) -> Result<AppResponse, StdError> {
        self.exec(who, &ExecuteMsg::MintAct {}, &coins(uakt, AKT))
    }

    pub fn burn(&mut self, who: &str, uact: u128) -> Result<AppResponse, StdError> {
        self.exec(
            who,
            &ExecuteMsg::BurnAct {
                amount: uact.into(),
            },
            &[],
        )
    }

    pub fn process(&mut self) -> AppResponse {
        self.exec("keeper", &ExecuteMsg::Process { limit: None }, &[])
            .unwrap()
    }

    pub fn process_limit(&mut self, limit: u32) -> AppResponse {
        self.exec("keeper", &ExecuteMsg::Process { limit: Some(limit) }, &[])
            .unwrap()
    }

    /// Advances to the next due epoch (burn or mint) and processes it.
    pub fn next_epoch(&mut self) -> AppResponse {
        let s = self.status();
        let due = s.next_burn_epoch.min(s.next_mint_epoch);
        let h = self.height();
        if due > h {
            self.advance(due - h);
        }
        self.process()
    }

    pub fn fund(&mut self, uakt: u128) -> AppResponse {
        self.exec("gov", &ExecuteMsg::FundVault {}, &coins(uakt, AKT))
            .unwrap()
    }

    pub fn send_to_escrow(
        &mut self,
        who: &str,
        uact: u128,
        hook: &escrow::msg::ReceiveHook,
    ) -> Result<AppResponse, StdError> {
        let contract = self.escrow.to_string();
        self.exec(
            who,
            &ExecuteMsg::Send {
                contract,
                amount: uact.into(),
                msg: cosmwasm_std::to_json_binary(hook).unwrap(),
            },
            &[],
        )
    }

    pub fn update_params(&mut self, u: ParamsUpdate) -> Result<AppResponse, StdError> {
        self.exec("gov", &ExecuteMsg::UpdateParams(u), &[])
    }

    pub fn q<T: serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> T {
        self.app.wrap().query_wasm_smart(&self.bme, msg).unwrap()
    }

    pub fn act(&self, who: &Addr) -> u128 {
        self.q::<BalanceResponse>(&QueryMsg::Balance {
            address: who.to_string(),
        })
        .balance
        .u128()
    }

    pub fn act_of(&self, name: &str) -> u128 {
        self.act(&self.addr(name))
    }

    pub fn bank(&self, who: &Addr) -> u128 {
        balance(&self.app, who, AKT)
    }

    pub fn bank_of(&self, name: &str) -> u128 {
        self.bank(&self.addr(name))
    }

    pub fn supply(&self) -> u128 {
        self.q::<TokenInfoResponse>(&QueryMsg::TokenInfo {})
            .total_supply
            .u128()
    }

    pub fn vault(&self) -> Vault {
        self.q(&QueryMsg::Vault {})
    }

    pub fn status(&self) -> StatusResponse {
        self.q(&QueryMsg::Status {})
    }

    pub fn config(&self) -> ConfigResponse {
        self.q(&QueryMsg::Config {})
    }

    /// Where request `id` is (queued, executed or cancelled).
    pub fn request(&self, id: u64) -> RequestStatusResponse {
        self.q(&QueryMsg::RequestStatus { id })
    }

    pub fn records(&self, start_after: Option<u64>, limit: Option<u32>) -> RecordsResponse {
        self.q(&QueryMsg::Records { start_after, limit })
    }

    pub fn queue(&self, kind: RequestKind) -> RequestsResponse {
        self.q(&QueryMsg::Queue {
            kind,
            start_after: None,
            limit: Some(30),
        })
    }

    pub fn by_owner(
        &self,
        name: &str,
        start_after: Option<u64>,
        limit: Option<u32>,
    ) -> RequestsResponse {
        self.q(&QueryMsg::RequestsByOwner {
            owner: self.addr(name).to_string(),
            start_after,
            limit,
        })
    }

    /// Both conservation invariants over the given ledger holders (must be all of them).
    pub fn assert_conserved(&self, holders: &[Addr]) {
        let v = self.vault();
        assert_eq!(
            self.bank(&self.bme),
            v.vault_akt.u128() + v.pending_akt.u128(),
            "AKT held == vault + pending"
        );
        let sum: u128 = holders.iter().map(|h| self.act(h)).sum();
        assert_eq!(
            v.supply.u128(),
            sum + v.pending_act.u128(),
            "ACT supply == Σ balances + pending burns"
        );
        assert_eq!(self.supply(), v.supply.u128());
    }
}

/// bme events of a response, parsed with the shared catalogue.
pub fn bme_events(res: &AppResponse) -> Vec<BmeEvent> {
    events(res)
        .into_iter()
        .filter_map(|e| match e {
            SupercloudEvent::Bme(ev) => Some(ev),
            _ => None,
        })
        .collect()
}

/// `(from, to)` of every `mode_changed` in a response.
pub fn mode_changes(res: &AppResponse) -> Vec<(Mode, Mode)> {
    bme_events(res)
        .into_iter()
        .filter_map(|e| match e {
            BmeEvent::ModeChanged(m) => Some((m.from, m.to)),
            _ => None,
        })
        .collect()
}

/// `(id, reason)` of every `record_cancelled` in a response.
pub fn cancels(res: &AppResponse) -> Vec<(u64, CancelReason)> {
    bme_events(res)
        .into_iter()
        .filter_map(|e| match e {
            BmeEvent::RecordCancelled(c) => Some((c.id, c.reason)),
            _ => None,
        })
        .collect()
}

/// Ids of every `record_executed` in a response.
pub fn executed(res: &AppResponse) -> Vec<u64> {
    bme_events(res)
        .into_iter()
        .filter_map(|e| match e {
            BmeEvent::RecordExecuted(x) => Some(x.id),
            _ => None,
        })
        .collect()
}

pub fn b64(s: &str) -> Binary {
    Binary::from(s.as_bytes())
}
