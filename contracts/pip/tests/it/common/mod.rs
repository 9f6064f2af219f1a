//! Test harness: escrow and (optionally) reservations (verified work), oracle (pusher source) and
//! pip in one cw-multi-test App.

use cosmwasm_std::{coin, Addr, Coin, Decimal256, Empty, Int64, Uint256, Uint64};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};
use escrow::msg::Resources;
use pip::msg::{
    Eligibility, EnrollmentRef, EpochResultsResponse, ExecuteMsg, InstantiateMsg, ModelRate,
    NewPilot, PayoutsResponse, PilotKind, PilotRef, PilotResponse, QueryMsg,
    RemainingBudgetResponse,
};
use supercloud_multitest::chain::{advance_blocks, balance, funded_app};
use supercloud_multitest::{execute, execute_ok};

use supercloud_events::pip as ev;
use supercloud_multitest::events::{of, one};
pub use supercloud_multitest::Failure;

pub const DENOM: &str = "uakt";
/// What a lease pays per GPU and block in these tests: 5,000 uakt, i.e. 3 AKT ($1.50 at $0.50)
/// per GPU-hour of 6-second blocks, a market price below the pilots' subsidised rates.
pub const GPU_BLOCK: u128 = 5_000;
/// A deposit that outlasts every test's leases.
pub const DEPOSIT: u128 = 1_000_000_000;
/// The tests' pilots pay at most twice what a provider was paid by others.
pub const MULTIPLE: &str = "2";
pub const START: u128 = 1_000_000_000_000;
pub const BLOCK_SECONDS: u64 = 6;

pub fn pip_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            pip::contract::execute,
            pip::contract::instantiate,
            pip::contract::query,
        )
        .with_migrate(pip::contract::migrate),
    )
}

fn escrow_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        escrow::contract::execute,
        escrow::contract::instantiate,
        escrow::contract::query,
    ))
}

fn reservations_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        reservations::contract::execute,
        reservations::contract::instantiate,
        reservations::contract::query,
    ))
}

fn oracle_contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        oracle::contract::execute,
        oracle::contract::instantiate,
        oracle::contract::query,
    ))
}

pub const FUNDED: &[&str] = &[
    "gov", "owner", "owner2", "p1", "p2", "p3", "p4", "p5", "p6", "admin", "stranger",
];

pub struct Suite {
    pub app: App,
    pub escrow: Addr,
    /// Set by [`Suite::with_reservations`], which also configures pip to read it.
    pub reservations: Option<Addr>,
    pub oracle: Addr,
    pub pip: Addr,
    pub gov: Addr,
    pub treasury: Addr,
    pub relayer: Addr,
    next_dseq: u64,
}

impl Suite {
    /// Escrow is pip's only source of verified work.
    pub fn new() -> Self {
        Self::build(false)
    }

    /// A reservations contract is deployed too and pip reads it as a second source.
    pub fn with_reservations() -> Self {
        Self::build(true)
    }

    fn build(with_reservations: bool) -> Self {
        let mut app = funded_app(FUNDED, &[coin(START, DENOM)]);
        let gov = app.api().addr_make("gov");
        let treasury = app.api().addr_make("treasury");
        let relayer = app.api().addr_make("relayer");
        let code = app.store_code(escrow_contract());
        let escrow = app
            .instantiate_contract(
                code,
                gov.clone(),
                &escrow::msg::InstantiateMsg {
                    authority: gov.to_string(),
                    native_denoms: vec![DENOM.into()],
                    act_ledger: None,
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
        let code = app.store_code(oracle_contract());
        let oracle = app
            .instantiate_contract(
                code,
                gov.clone(),
                &oracle::msg::InstantiateMsg {
                    authority: gov.to_string(),
                    limits: None,
                    sources: vec![oracle::msg::NewSource {
                        pair: "akt/usd".into(),
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
        let reservations = with_reservations.then(|| {
            let code = app.store_code(reservations_contract());
            app.instantiate_contract(
                code,
                gov.clone(),
                &reservations::msg::InstantiateMsg {
                    authority: gov.to_string(),
                    native_denoms: vec![DENOM.into()],
                    act_ledger: None,
                    bond_denom: DENOM.into(),
                    unbonding_period_s: 7 * 86_400,
                    confirm_window_s: 3_600,
                    cancel_fee_bps: 500,
                    slash_recipient: treasury.to_string(),
                    max_attestation_validity_s: None,
                },
                &[],
                "reservations",
                None,
            )
            .unwrap()
        });
        let code = app.store_code(pip_contract());
        let pip = app
            .instantiate_contract(
                code,
                gov.clone(),
                &InstantiateMsg {
                    authority: gov.to_string(),
                    escrow: escrow.to_string(),
                    oracle: oracle.to_string(),
                    oracle_pair: None,
                    reservations: reservations.as_ref().map(Addr::to_string),
                    community_pool_allowed: None,
                    default_return_address: treasury.to_string(),
                    settle_grace_blocks: Some(50),
                },
                &[],
                "pip",
                Some(gov.to_string()),
            )
            .unwrap();
        Suite {
            app,
            escrow,
            reservations,
            oracle,
            pip,
            gov,
            treasury,
            relayer,
            next_dseq: 1,
        }
    }

    pub fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    pub fn height(&self) -> u64 {
        self.app.block_info().height
    }

    pub fn advance(&mut self, blocks: u64) {
        advance_blocks(&mut self.app, blocks, BLOCK_SECONDS);
    }

    /// Advances to exactly `height`.
    pub fn advance_to(&mut self, height: u64) {
        let now = self.height();
        assert!(height >= now, "cannot go back from {now} to {height}");
        self.advance(height - now);
    }

    pub fn exec(
        &mut self,
        sender: &str,
        msg: &ExecuteMsg,
        funds: &[Coin],
    ) -> Result<AppResponse, Failure> {
        let sender = self.addr(sender);
        execute(&mut self.app, sender, &self.pip, msg, funds)
    }

    pub fn exec_ok(&mut self, sender: &str, msg: &ExecuteMsg, funds: &[Coin]) -> AppResponse {
        let sender = self.addr(sender);
        execute_ok(&mut self.app, sender, &self.pip, msg, funds)
    }

    /// The relayer pushes the AKT price in USD (8 decimals) at the current block time.
    pub fn push_price(&mut self, price_e8: i64) {
        let now = self.app.block_info().time.seconds() as i64;
        self.app
            .execute_contract(
                self.relayer.clone(),
                self.oracle.clone(),
                &oracle::msg::ExecuteMsg::Push {
                    pair: "akt/usd".into(),
                    source: "relayer".into(),
                    price: Int64::new(price_e8),
                    conf: Uint64::new(1),
                    expo: -8,
                    publish_time: now,
                },
                &[],
            )
            .unwrap();
    }

    /// Opens a lease from `owner` to `provider` (rate uakt per block, `count` GPUs of `model`),
    /// funded with `deposit`. Returns (owner, dseq, payment_id).
    pub fn lease(
        &mut self,
        owner: &str,
        provider: &str,
        rate: u128,
        model: &str,
        count: u32,
        deposit: u128,
    ) -> (String, u64, u64) {
        let dseq = self.next_dseq;
        self.next_dseq += 1;
        let owner_addr = self.addr(owner);
        self.app
            .execute_contract(
                owner_addr.clone(),
                self.escrow.clone(),
                &escrow::msg::ExecuteMsg::OpenAccount {
                    dseq,
                    denom: DENOM.into(),
                },
                &[coin(deposit, DENOM)],
            )
            .unwrap();
        let res = self
            .app
            .execute_contract(
                owner_addr,
                self.escrow.clone(),
                &escrow::msg::ExecuteMsg::OpenPayment {
                    dseq,
                    provider: self.addr(provider).to_string(),
                    rate: Decimal256::from_ratio(rate, 1u128),
                    resources: Resources {
                        gpu_model: model.into(),
                        gpu_count: count,
                    },
                },
                &[],
            )
            .unwrap();
        let payment_id = one::<supercloud_events::escrow::PaymentOpened>(&res).payment_id;
        (owner.to_string(), dseq, payment_id)
    }

    /// An honest lease: `count` GPUs of `model` at the market rate, well funded.
    pub fn honest_lease(
        &mut self,
        owner: &str,
        provider: &str,
        model: &str,
        count: u32,
    ) -> (String, u64, u64) {
        self.lease(owner, provider, market_rate(count), model, count, DEPOSIT)
    }

    /// The owner closes the lease's account: the provider is paid what accrued and the unspent
    /// deposit is refunded to the owner.
    pub fn close_account(&mut self, lease: &(String, u64, u64)) {
        let owner = self.addr(&lease.0);
        self.app
            .execute_contract(
                owner.clone(),
                self.escrow.clone(),
                &escrow::msg::ExecuteMsg::CloseAccount {
                    owner: owner.to_string(),
                    dseq: lease.1,
                },
                &[],
            )
            .unwrap();
        // A no-op when the close refunded everything already.
        self.app
            .execute_contract(
                owner.clone(),
                self.escrow.clone(),
                &escrow::msg::ExecuteMsg::Refund {
                    owner: owner.to_string(),
                    dseq: lease.1,
                },
                &[],
            )
            .unwrap();
    }

    /// The provider withdraws, which settles the lease and books its verified work now.
    pub fn withdraw(&mut self, provider: &str, lease: &(String, u64, u64)) {
        let owner = self.addr(&lease.0).to_string();
        let sender = self.addr(provider);
        self.app
            .execute_contract(
                sender,
                self.escrow.clone(),
                &escrow::msg::ExecuteMsg::Withdraw {
                    owner,
                    dseq: lease.1,
                    payment_id: lease.2,
                },
                &[],
            )
            .unwrap();
    }

    pub fn verified_gpu_seconds(&self, provider: &str, model: &str, from: u64, to: u64) -> u128 {
        let r: escrow::msg::VerifiedWorkResponse = self
            .app
            .wrap()
            .query_wasm_smart(
                &self.escrow,
                &escrow::msg::QueryMsg::VerifiedWork {
                    provider: self.addr(provider).to_string(),
                    denom: DENOM.into(),
                    gpu_model: model.into(),
                    from_height: from,
                    to_height: to,
                },
            )
            .unwrap();
        r.gpu_seconds.u128()
    }

    fn reservations_addr(&self) -> Addr {
        self.reservations
            .clone()
            .expect("suite built without reservations")
    }

    fn exec_reservations(
        &mut self,
        sender: &str,
        msg: &reservations::msg::ExecuteMsg,
        funds: &[Coin],
    ) -> AppResponse {
        // The authority is `addr_make("gov")`, so it signs by name like everyone else.
        let sender = self.addr(sender);
        let contract = self.reservations_addr();
        execute_ok(&mut self.app, sender, &contract, msg, funds)
    }

    /// `provider` registers bare-metal host `host_id` with `count` GPUs of `model`, priced
    /// `price_per_hour` uakt.
    pub fn register_host(
        &mut self,
        provider: &str,
        host_id: &str,
        model: &str,
        count: u32,
        price_per_hour: u128,
    ) {
        let msg = reservations::msg::ExecuteMsg::RegisterHost(reservations::msg::HostMsg {
            host_id: host_id.into(),
            gpu_model: model.into(),
            gpu_count: count,
            cpu: 64,
            memory: 512 << 30,
            bare_metal: true,
            attributes: vec![],
            price_per_hour: coin(price_per_hour, DENOM),
            reclamation_window_s: None,
            require_attestation: false,
        });
        self.exec_reservations(provider, &msg, &[]);
    }

    /// The authority appoints `auditor` on the reservations contract.
    pub fn appoint_auditor(&mut self, auditor: &str) {
        let msg = reservations::msg::ExecuteMsg::AppointAuditor {
            auditor: self.addr(auditor).to_string(),
        };
        self.exec_reservations("gov", &msg, &[]);
    }

    /// `auditor` records a TDX attestation of `provider`'s host, valid for 30 days from now.
    pub fn attest(&mut self, auditor: &str, provider: &str, host_id: &str) {
        let expires_at = self.app.block_info().time.seconds() + 30 * 86_400;
        let msg = reservations::msg::ExecuteMsg::RecordAttestation {
            provider: self.addr(provider).to_string(),
            host_id: host_id.into(),
            tee: reservations::msg::Tee::Tdx,
            report_hash: "aa00000000000000000000000000000000000000000000000000000000000011".into(),
            expires_at,
        };
        self.exec_reservations(auditor, &msg, &[]);
    }

    /// `tenant` reserves `provider`'s host for `[start, end)` (unix seconds) attaching exactly
    /// `price` uakt, and the provider confirms. Returns the reservation id.
    pub fn reserve_confirmed(
        &mut self,
        tenant: &str,
        provider: &str,
        host_id: &str,
        start: u64,
        end: u64,
        price: u128,
    ) -> u64 {
        let res = self
            .reserve(tenant, provider, host_id, start, end, price)
            .unwrap_or_else(|e| panic!("reserve failed: {}", e.0));
        let id = one::<supercloud_events::reservations::ReservationRequested>(&res).id;
        self.exec_reservations(
            provider,
            &reservations::msg::ExecuteMsg::Confirm { id },
            &[],
        );
        id
    }

    /// `tenant` asks to reserve `provider`'s host for `[start, end)` attaching `price` uakt.
    pub fn reserve(
        &mut self,
        tenant: &str,
        provider: &str,
        host_id: &str,
        start: u64,
        end: u64,
        price: u128,
    ) -> Result<AppResponse, Failure> {
        let msg = reservations::msg::ExecuteMsg::Reserve(reservations::msg::ReserveMsg {
            provider: self.addr(provider).to_string(),
            host_id: host_id.into(),
            start,
            end,
            require_attestation: false,
        });
        let sender = self.addr(tenant);
        let contract = self.reservations_addr();
        execute(
            &mut self.app,
            sender,
            &contract,
            &msg,
            &[coin(price, DENOM)],
        )
    }

    /// Anyone claims a reservation: pays its provider and books verified work now when the host
    /// is attested. Returns the claim's `verified` attribute.
    pub fn claim(&mut self, id: u64) -> bool {
        let res = self.exec_reservations(
            "stranger",
            &reservations::msg::ExecuteMsg::Claim { id },
            &[],
        );
        one::<supercloud_events::reservations::Claimed>(&res).verified
    }

    /// A source's verified work, asked with the shared query pip sends.
    pub fn work_of(
        &self,
        source: &Addr,
        provider: &str,
        model: &str,
        from: u64,
        to: u64,
    ) -> supercloud_std::VerifiedWorkResponse {
        self.app
            .wrap()
            .query_wasm_smart(
                source,
                &supercloud_std::VerifiedWorkQuery::VerifiedWork {
                    provider: self.addr(provider).to_string(),
                    denom: DENOM.into(),
                    gpu_model: model.into(),
                    from_height: from,
                    to_height: to,
                },
            )
            .unwrap()
    }

    pub fn create(&mut self, new: NewPilot, budget: u128) -> Result<u64, Failure> {
        let res = self.exec("gov", &ExecuteMsg::CreatePilot(new), &[coin(budget, DENOM)])?;
        Ok(one::<ev::PilotCreated>(&res).pilot_id)
    }

    pub fn enroll(&mut self, pilot_id: u64, providers: &[&str]) {
        for p in providers {
            let provider = self.addr(p).to_string();
            self.exec_ok(
                "gov",
                &ExecuteMsg::EnrollProvider(EnrollmentRef { pilot_id, provider }),
                &[],
            );
        }
    }

    pub fn settle(
        &mut self,
        pilot_id: u64,
        epoch: u32,
        limit: Option<u32>,
    ) -> Result<AppResponse, Failure> {
        self.exec(
            "stranger",
            &ExecuteMsg::SettleEpoch {
                pilot_id,
                epoch,
                limit,
            },
            &[],
        )
    }

    /// Settles the epoch to completion with batches of `limit`; returns the number of calls.
    pub fn settle_all(&mut self, pilot_id: u64, epoch: u32, limit: u32) -> u32 {
        let mut calls = 0;
        loop {
            calls += 1;
            let res = self
                .settle(pilot_id, epoch, Some(limit))
                .unwrap_or_else(|e| panic!("settle failed: {}", e.0));
            if !of::<ev::EpochCompleted>(&res).is_empty() {
                return calls;
            }
            assert!(calls < 1000, "settlement never completes");
        }
    }

    pub fn bank(&self, name: &str) -> u128 {
        self.bank_of(&self.addr(name))
    }

    pub fn bank_of(&self, addr: &Addr) -> u128 {
        balance(&self.app, addr, DENOM)
    }

    pub fn held(&self) -> u128 {
        self.bank_of(&self.pip)
    }

    pub fn query<T: serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> T {
        self.app.wrap().query_wasm_smart(&self.pip, msg).unwrap()
    }

    pub fn pilot(&self, pilot_id: u64) -> PilotResponse {
        self.query(&QueryMsg::Pilot(PilotRef { pilot_id }))
    }

    pub fn budget(&self, pilot_id: u64) -> RemainingBudgetResponse {
        self.query(&QueryMsg::RemainingBudget(PilotRef { pilot_id }))
    }

    pub fn results(&self, pilot_id: u64, epoch: u32) -> EpochResultsResponse {
        self.query(&QueryMsg::EpochResults {
            pilot_id,
            epoch,
            start_after: None,
            limit: Some(30),
        })
    }

    pub fn payouts(&self, provider: &str) -> PayoutsResponse {
        self.query(&QueryMsg::PayoutsByProvider {
            provider: self.addr(provider).to_string(),
            start_after: None,
            limit: None,
        })
    }
}

pub fn dec(s: &str) -> Decimal256 {
    s.parse().unwrap()
}

pub fn u256(v: u128) -> Uint256 {
    Uint256::from(v)
}

/// A committed pilot paying `usd` per H100-hour (and half that per A100-hour).
pub fn committed(start: u64, end: u64, epoch_length: u64, usd: &str) -> NewPilot {
    NewPilot {
        name: "committed".into(),
        start,
        end,
        epoch_length,
        eligible: Eligibility {
            gpu_models: vec!["h100".into(), "a100".into()],
            min_gpu_count: None,
        },
        kind: PilotKind::Committed {
            rates: vec![
                ModelRate {
                    gpu_model: "h100".into(),
                    usd_per_gpu_hour: dec(usd),
                },
                ModelRate {
                    gpu_model: "a100".into(),
                    usd_per_gpu_hour: dec(usd) * dec("0.5"),
                },
            ],
            decimals: 6,
        },
        volatility_buffer_bps: 1_000,
        return_target: None,
        admin: None,
        max_payout_multiple: dec(MULTIPLE),
    }
}

/// A liquidity pilot splitting `tokens` per epoch over H100 GPU-seconds.
pub fn liquidity(start: u64, end: u64, epoch_length: u64, tokens: u128) -> NewPilot {
    NewPilot {
        name: "liquidity".into(),
        start,
        end,
        epoch_length,
        eligible: Eligibility {
            gpu_models: vec!["h100".into()],
            min_gpu_count: None,
        },
        kind: PilotKind::Liquidity {
            tokens_per_epoch: u256(tokens),
            decimals: None,
        },
        volatility_buffer_bps: 0,
        return_target: None,
        admin: None,
        max_payout_multiple: dec(MULTIPLE),
    }
}

/// An honest lease's rate: `count` GPUs at [`GPU_BLOCK`] each.
pub fn market_rate(count: u32) -> u128 {
    GPU_BLOCK * u128::from(count)
}

pub fn pilot_ref(pilot_id: u64) -> PilotRef {
    PilotRef { pilot_id }
}
