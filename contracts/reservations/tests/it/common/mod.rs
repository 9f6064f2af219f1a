//! Test harness: a cw-multi-test App with the reservations contract and a minimal stand-in for the
//! bme ACT ledger (holds balances, `send`s into the contract, accepts `transfer` from it).

use cosmwasm_std::{coin, Addr, Coin, Empty, Uint256};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};
use reservations::msg::Tee;
use reservations::msg::{
    ExecuteMsg, HostMsg, InstantiateMsg, QueryMsg, ReceiveHook, ReservationResponse, ReserveMsg,
};
use supercloud_multitest::act_ledger::ActLedger;
use supercloud_multitest::chain::{advance_blocks, balance, funded_app};
use supercloud_multitest::{execute, execute_ok};

pub use supercloud_multitest::attrs::attr;
pub use supercloud_multitest::Failure;

pub const DENOM: &str = "uakt";
pub const USDC: &str = "ibc/usdc";
pub const ACT: &str = "uact";
pub const HOUR: u64 = 3_600;
pub const DAY: u64 = 86_400;
pub const CONFIRM_WINDOW: u64 = HOUR;
pub const UNBONDING: u64 = 7 * DAY;
pub const FEE_BPS: u16 = 500;
pub const HASH: &str = "aa00000000000000000000000000000000000000000000000000000000000011";

pub fn reservations_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            reservations::contract::execute,
            reservations::contract::instantiate,
            reservations::contract::query,
        )
        .with_migrate(reservations::contract::migrate),
    )
}

pub struct Suite {
    pub app: App,
    pub contract: Addr,
    pub ledger: ActLedger,
}

pub const FUNDED: &[&str] = &[
    "tenant",
    "tenant2",
    "provider",
    "provider2",
    "auditor",
    "stranger",
];
pub const START: u128 = 1_000_000_000_000;

impl Suite {
    pub fn new() -> Self {
        let mut app = funded_app(FUNDED, &[coin(START, DENOM), coin(START, USDC)]);
        let gov = app.api().addr_make("gov");
        let ledger = ActLedger::deploy(&mut app, &gov);
        let code = app.store_code(reservations_contract());
        let treasury = app.api().addr_make("treasury");
        let contract = app
            .instantiate_contract(
                code,
                gov.clone(),
                &InstantiateMsg {
                    authority: gov.to_string(),
                    native_denoms: vec![DENOM.into(), USDC.into()],
                    act_ledger: Some(ledger.addr.to_string()),
                    bond_denom: DENOM.into(),
                    unbonding_period_s: UNBONDING,
                    confirm_window_s: CONFIRM_WINDOW,
                    cancel_fee_bps: FEE_BPS,
                    slash_recipient: treasury.to_string(),
                    max_attestation_validity_s: None,
                },
                &[],
                "reservations",
                Some(gov.to_string()),
            )
            .unwrap();
        Suite {
            app,
            contract,
            ledger,
        }
    }

    pub fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    pub fn now(&self) -> u64 {
        self.app.block_info().time.seconds()
    }

    pub fn height(&self) -> u64 {
        self.app.block_info().height
    }

    /// Moves block time forward by `seconds` (and the height by one block).
    pub fn advance(&mut self, seconds: u64) {
        advance_blocks(&mut self.app, 1, seconds);
    }

    /// Moves block time to exactly `t`.
    pub fn set_time(&mut self, t: u64) {
        let now = self.now();
        assert!(t >= now, "time only moves forward");
        self.advance(t - now);
    }

    pub fn exec(
        &mut self,
        sender: &str,
        msg: &ExecuteMsg,
        funds: &[Coin],
    ) -> Result<AppResponse, Failure> {
        // The authority is `addr_make("gov")`, so it signs by name like everyone else.
        let sender = self.addr(sender);
        execute(&mut self.app, sender, &self.contract, msg, funds)
    }

    pub fn exec_ok(&mut self, sender: &str, msg: &ExecuteMsg, funds: &[Coin]) -> AppResponse {
        let sender = self.addr(sender);
        execute_ok(&mut self.app, sender, &self.contract, msg, funds)
    }

    pub fn host_msg(host_id: &str, price: u128, denom: &str, window: Option<u64>) -> HostMsg {
        HostMsg {
            host_id: host_id.into(),
            gpu_model: "h100".into(),
            gpu_count: 8,
            cpu: 64,
            memory: 512 << 30,
            bare_metal: true,
            attributes: vec![],
            price_per_hour: coin(price, denom),
            reclamation_window_s: window,
            require_attestation: false,
        }
    }

    /// Registers `host_id` for `provider` at `price` uakt per hour.
    pub fn register(&mut self, provider: &str, host_id: &str, price: u128, window: Option<u64>) {
        let msg = ExecuteMsg::RegisterHost(Self::host_msg(host_id, price, DENOM, window));
        self.exec_ok(provider, &msg, &[]);
    }

    pub fn reserve_msg(&self, provider: &str, host_id: &str, start: u64, end: u64) -> ReserveMsg {
        ReserveMsg {
            provider: self.addr(provider).to_string(),
            host_id: host_id.into(),
            start,
            end,
            require_attestation: false,
        }
    }

    /// Reserves paying `amount` uakt; returns the id.
    pub fn try_reserve(
        &mut self,
        tenant: &str,
        provider: &str,
        host_id: &str,
        start: u64,
        end: u64,
        amount: u128,
    ) -> Result<u64, Failure> {
        let msg = ExecuteMsg::Reserve(self.reserve_msg(provider, host_id, start, end));
        let res = self.exec(tenant, &msg, &[coin(amount, DENOM)])?;
        Ok(attr(&res, "wasm", "reservation_id").parse().unwrap())
    }

    pub fn reserve(
        &mut self,
        tenant: &str,
        provider: &str,
        host_id: &str,
        start: u64,
        end: u64,
        amount: u128,
    ) -> u64 {
        self.try_reserve(tenant, provider, host_id, start, end, amount)
            .unwrap_or_else(|e| panic!("reserve failed: {}", e.0))
    }

    pub fn confirm(&mut self, provider: &str, id: u64) -> AppResponse {
        self.exec_ok(provider, &ExecuteMsg::Confirm { id }, &[])
    }

    pub fn claim(&mut self, id: u64) -> AppResponse {
        self.exec_ok("stranger", &ExecuteMsg::Claim { id }, &[])
    }

    pub fn appoint(&mut self, auditor: &str) {
        let msg = ExecuteMsg::AppointAuditor {
            auditor: self.addr(auditor).to_string(),
        };
        self.exec_ok("gov", &msg, &[]);
    }

    pub fn attest(&mut self, provider: &str, host_id: &str, expires_at: u64) -> AppResponse {
        let msg = ExecuteMsg::RecordAttestation {
            provider: self.addr(provider).to_string(),
            host_id: host_id.into(),
            tee: Tee::Tdx,
            report_hash: HASH.into(),
            expires_at,
        };
        self.exec_ok("auditor", &msg, &[])
    }

    pub fn bank(&self, name: &str) -> u128 {
        self.bank_of(&self.addr(name), DENOM)
    }

    pub fn bank_of(&self, addr: &Addr, denom: &str) -> u128 {
        balance(&self.app, addr, denom)
    }

    pub fn held(&self) -> u128 {
        self.bank_of(&self.contract, DENOM)
    }

    pub fn act(&self, addr: &Addr) -> u128 {
        self.ledger.balance(&self.app, addr)
    }

    pub fn mint_act(&mut self, name: &str, amount: u128) {
        let to = self.addr(name);
        self.ledger.mint(&mut self.app, &to, amount);
    }

    pub fn send_act(
        &mut self,
        from: &str,
        amount: u128,
        hook: &ReceiveHook,
    ) -> Result<AppResponse, Failure> {
        let from = self.addr(from);
        self.ledger
            .send(&mut self.app, from, &self.contract, amount, hook)
    }

    pub fn reservation(&self, id: u64) -> ReservationResponse {
        self.query(&QueryMsg::Reservation { id })
    }

    pub fn query<T: serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> T {
        self.app
            .wrap()
            .query_wasm_smart(&self.contract, msg)
            .unwrap()
    }
}

pub fn u256(v: u128) -> Uint256 {
    Uint256::from(v)
}
