//! Test harness: a cw-multi-test App with the escrow and a minimal stand-in for the bme ACT
//! ledger (holds balances, `send`s into escrow, accepts `transfer` from escrow).

use cosmwasm_std::{coin, Addr, Coin, Decimal256, Empty, Uint256};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};
use escrow::msg::Resources;
use escrow::msg::{AccountResponse, ExecuteMsg, InstantiateMsg, QueryMsg, ReceiveHook, SourceMsg};
use supercloud_multitest::act_ledger::ActLedger;
use supercloud_multitest::chain::{advance_blocks, balance, funded_app};
use supercloud_multitest::{execute, execute_ok};

pub use supercloud_multitest::Failure;

pub const DENOM: &str = "uakt";
pub const USDC: &str = "ibc/usdc";

pub fn escrow_contract() -> Box<dyn Contract<Empty>> {
    Box::new(
        ContractWrapper::new(
            escrow::contract::execute,
            escrow::contract::instantiate,
            escrow::contract::query,
        )
        .with_migrate(escrow::contract::migrate),
    )
}

pub struct Suite {
    pub app: App,
    pub escrow: Addr,
    pub ledger: ActLedger,
    pub gov: Addr,
}

#[derive(Default)]
pub struct Opts {
    pub grace: u64,
    pub refund_batch: Option<u32>,
    pub max_open_payments: Option<u32>,
    pub deposit_limits: Option<escrow::msg::DepositLimits>,
}

pub const FUNDED: &[&str] = &[
    "owner",
    "owner2",
    "alice",
    "bob",
    "carol",
    "dave",
    "sponsor",
    "sponsor2",
    "agent",
    "provider",
    "provider2",
    "stranger",
];
pub const START: u128 = 1_000_000_000;

impl Suite {
    pub fn new() -> Self {
        Self::with(Opts::default())
    }

    pub fn with(opts: Opts) -> Self {
        let funds = [coin(START, DENOM), coin(START, USDC), coin(START, "uother")];
        let mut app = funded_app(FUNDED, &funds);
        let gov = app.api().addr_make("gov");
        let ledger = ActLedger::deploy(&mut app, &gov);
        let code = app.store_code(escrow_contract());
        let escrow = app
            .instantiate_contract(
                code,
                gov.clone(),
                &InstantiateMsg {
                    authority: gov.to_string(),
                    native_denoms: vec![DENOM.into(), USDC.into()],
                    act_ledger: Some(ledger.addr.to_string()),
                    grace_period_blocks: opts.grace,
                    block_time_ms: None,
                    max_open_payments: opts.max_open_payments,
                    refund_batch: opts.refund_batch,
                    deposit_limits: opts.deposit_limits.clone(),
                },
                &[],
                "escrow",
                Some(gov.to_string()),
            )
            .unwrap();
        Suite {
            app,
            escrow,
            ledger,
            gov,
        }
    }

    pub fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    pub fn height(&self) -> u64 {
        self.app.block_info().height
    }

    /// Moves `blocks` blocks ahead, 6 s each.
    pub fn advance(&mut self, blocks: u64) {
        advance_blocks(&mut self.app, blocks, 6);
    }

    pub fn exec(
        &mut self,
        sender: &str,
        msg: &ExecuteMsg,
        funds: &[Coin],
    ) -> Result<AppResponse, Failure> {
        let sender = self.addr(sender);
        execute(&mut self.app, sender, &self.escrow, msg, funds)
    }

    pub fn exec_ok(&mut self, sender: &str, msg: &ExecuteMsg, funds: &[Coin]) -> AppResponse {
        let sender = self.addr(sender);
        execute_ok(&mut self.app, sender, &self.escrow, msg, funds)
    }

    pub fn open(&mut self, owner: &str, dseq: u64, amount: u128) -> AppResponse {
        let funds = if amount == 0 {
            vec![]
        } else {
            vec![coin(amount, DENOM)]
        };
        let res = self.exec_ok(
            owner,
            &ExecuteMsg::OpenAccount {
                dseq,
                denom: DENOM.into(),
            },
            &funds,
        );
        // Dapps read the new account's id from the response data.
        let data: escrow::msg::OpenAccountResponse =
            cosmwasm_std::from_json(res.data.clone().expect("open_account returns data")).unwrap();
        assert_eq!((data.owner, data.dseq), (self.addr(owner), dseq));
        res
    }

    pub fn deposit(
        &mut self,
        depositor: &str,
        owner: &str,
        dseq: u64,
        amount: u128,
    ) -> AppResponse {
        let msg = ExecuteMsg::Deposit {
            owner: self.addr(owner).to_string(),
            dseq,
            amount: Uint256::from(amount),
            sources: vec![],
        };
        self.exec_ok(depositor, &msg, &[coin(amount, DENOM)])
    }

    pub fn deposit_msg(
        &self,
        owner: &str,
        dseq: u64,
        amount: u128,
        sources: Vec<SourceMsg>,
    ) -> ExecuteMsg {
        ExecuteMsg::Deposit {
            owner: self.addr(owner).to_string(),
            dseq,
            amount: Uint256::from(amount),
            sources,
        }
    }

    pub fn pay(&mut self, owner: &str, dseq: u64, provider: &str, rate: &str) -> u64 {
        let msg = ExecuteMsg::OpenPayment {
            dseq,
            provider: self.addr(provider).to_string(),
            rate: rate.parse::<Decimal256>().unwrap(),
            resources: Resources {
                gpu_model: "h100".into(),
                gpu_count: 8,
            },
        };
        let res = self.exec_ok(owner, &msg, &[]);
        // Dapps read the new id from the response data, not from events.
        let data: escrow::msg::OpenPaymentResponse =
            cosmwasm_std::from_json(res.data.expect("open_payment returns data")).unwrap();
        assert_eq!((data.owner, data.dseq), (self.addr(owner), dseq));
        data.payment_id
    }

    pub fn withdraw_msg(&self, owner: &str, dseq: u64, payment_id: u64) -> ExecuteMsg {
        ExecuteMsg::Withdraw {
            owner: self.addr(owner).to_string(),
            dseq,
            payment_id,
        }
    }

    pub fn close_msg(&self, owner: &str, dseq: u64) -> ExecuteMsg {
        ExecuteMsg::CloseAccount {
            owner: self.addr(owner).to_string(),
            dseq,
        }
    }

    pub fn bank(&self, name: &str) -> u128 {
        self.bank_of(&self.addr(name), DENOM)
    }

    pub fn bank_of(&self, addr: &Addr, denom: &str) -> u128 {
        balance(&self.app, addr, denom)
    }

    pub fn held(&self) -> u128 {
        self.bank_of(&self.escrow, DENOM)
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
            .send(&mut self.app, from, &self.escrow, amount, hook)
    }

    pub fn account(&self, owner: &str, dseq: u64) -> AccountResponse {
        self.query(&QueryMsg::Account {
            owner: self.addr(owner).to_string(),
            dseq,
        })
    }

    pub fn query<T: serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> T {
        self.app.wrap().query_wasm_smart(&self.escrow, msg).unwrap()
    }
}
