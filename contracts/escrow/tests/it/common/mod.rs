//! Test harness: a cw-multi-test App with the escrow and a minimal stand-in for the bme ACT
//! ledger (holds balances, `send`s into escrow, accepts `transfer` from escrow).

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{
    coin, to_json_binary, Addr, Binary, Coin, Decimal256, Deps, DepsMut, Empty, Env, MessageInfo,
    Response, StdError, StdResult, Uint128, Uint256,
};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};
use cw_storage_plus::Map;
use escrow::msg::{AccountResponse, ExecuteMsg, InstantiateMsg, QueryMsg, ReceiveHook, SourceMsg};
use escrow::state::Resources;
use supercloud_std::{ActLedgerMsg, ActReceiveMsg};

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

const LEDGER: Map<&Addr, Uint128> = Map::new("act");

#[cw_serde]
pub enum LedgerExec {
    Mint {
        to: String,
        amount: Uint128,
    },
    Send {
        contract: String,
        amount: Uint128,
        msg: Binary,
    },
    Transfer {
        recipient: String,
        amount: Uint128,
    },
}

#[cw_serde]
pub enum LedgerQuery {
    Balance { address: String },
}

fn ledger_move(deps: DepsMut, from: &Addr, to: &Addr, amount: Uint128) -> StdResult<()> {
    let have = LEDGER.may_load(deps.storage, from)?.unwrap_or_default();
    let left = have
        .checked_sub(amount)
        .map_err(|_| StdError::msg("insufficient ACT"))?;
    LEDGER.save(deps.storage, from, &left)?;
    let to_have = LEDGER.may_load(deps.storage, to)?.unwrap_or_default();
    LEDGER.save(deps.storage, to, &(to_have + amount))?;
    Ok(())
}

fn ledger_execute(
    deps: DepsMut,
    _env: Env,
    info: MessageInfo,
    msg: LedgerExec,
) -> StdResult<Response> {
    match msg {
        LedgerExec::Mint { to, amount } => {
            let to = deps.api.addr_validate(&to)?;
            let have = LEDGER.may_load(deps.storage, &to)?.unwrap_or_default();
            LEDGER.save(deps.storage, &to, &(have + amount))?;
            Ok(Response::new())
        }
        LedgerExec::Send {
            contract,
            amount,
            msg,
        } => {
            let contract = deps.api.addr_validate(&contract)?;
            ledger_move(deps, &info.sender, &contract, amount)?;
            let hook = ActReceiveMsg {
                sender: info.sender.to_string(),
                amount,
                msg,
            };
            Ok(Response::new().add_message(hook.into_cosmos_msg(contract)?))
        }
        LedgerExec::Transfer { recipient, amount } => {
            let recipient = deps.api.addr_validate(&recipient)?;
            ledger_move(deps, &info.sender, &recipient, amount)?;
            Ok(Response::new())
        }
    }
}

fn ledger_instantiate(_: DepsMut, _: Env, _: MessageInfo, _: Empty) -> StdResult<Response> {
    Ok(Response::new())
}

fn ledger_query(deps: Deps, _env: Env, msg: LedgerQuery) -> StdResult<Binary> {
    match msg {
        LedgerQuery::Balance { address } => {
            let a = deps.api.addr_validate(&address)?;
            to_json_binary(&LEDGER.may_load(deps.storage, &a)?.unwrap_or_default())
        }
    }
}

/// The transfer message shape escrow emits must be what this ledger accepts.
pub fn ledger_transfer_shape_matches() -> bool {
    let ours = to_json_binary(&ActLedgerMsg::Transfer {
        recipient: "x".into(),
        amount: Uint128::one(),
    });
    let theirs = to_json_binary(&LedgerExec::Transfer {
        recipient: "x".into(),
        amount: Uint128::one(),
    });
    ours.ok() == theirs.ok()
}

/// A failed execute, holding the contract's own typed error.
#[derive(Debug)]
pub struct Failure(pub StdError);

impl Failure {
    /// Whether the contract refused with an error whose message contains `fragment`
    /// (cw-multi-test 3 hands contract errors back as text).
    pub fn says(&self, fragment: &str) -> bool {
        self.0.to_string().contains(fragment)
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

pub struct Suite {
    pub app: App,
    pub escrow: Addr,
    pub ledger: Addr,
    pub gov: Addr,
}

#[derive(Default)]
pub struct Opts {
    pub grace: u64,
    pub refund_batch: Option<u32>,
    pub max_open_payments: Option<u32>,
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
        let mut app = App::new(|router, api, storage| {
            for name in FUNDED {
                router
                    .bank
                    .init_balance(
                        storage,
                        &api.addr_make(name),
                        vec![coin(START, DENOM), coin(START, USDC), coin(START, "uother")],
                    )
                    .unwrap();
            }
        });
        let gov = app.api().addr_make("gov");
        let ledger_code = app.store_code(Box::new(ContractWrapper::new(
            ledger_execute,
            ledger_instantiate,
            ledger_query,
        )));
        let ledger = app
            .instantiate_contract(ledger_code, gov.clone(), &Empty {}, &[], "act", None)
            .unwrap();
        let code = app.store_code(escrow_contract());
        let escrow = app
            .instantiate_contract(
                code,
                gov.clone(),
                &InstantiateMsg {
                    authority: gov.to_string(),
                    native_denoms: vec![DENOM.into(), USDC.into()],
                    act_ledger: Some(ledger.to_string()),
                    grace_period_blocks: opts.grace,
                    block_time_ms: None,
                    max_open_payments: opts.max_open_payments,
                    refund_batch: opts.refund_batch,
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

    pub fn advance(&mut self, blocks: u64) {
        self.app.update_block(|b| {
            b.height += blocks;
            b.time = b.time.plus_seconds(6 * blocks);
        });
    }

    pub fn exec(
        &mut self,
        sender: &str,
        msg: &ExecuteMsg,
        funds: &[Coin],
    ) -> Result<AppResponse, Failure> {
        let sender = self.addr(sender);
        self.app
            .execute_contract(sender, self.escrow.clone(), msg, funds)
            .map_err(Failure)
    }

    pub fn exec_ok(&mut self, sender: &str, msg: &ExecuteMsg, funds: &[Coin]) -> AppResponse {
        self.exec(sender, msg, funds)
            .unwrap_or_else(|e| panic!("{msg:?} failed: {}", e.0))
    }

    pub fn open(&mut self, owner: &str, dseq: u64, amount: u128) -> AppResponse {
        let funds = if amount == 0 {
            vec![]
        } else {
            vec![coin(amount, DENOM)]
        };
        self.exec_ok(
            owner,
            &ExecuteMsg::OpenAccount {
                dseq,
                denom: DENOM.into(),
            },
            &funds,
        )
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
        attr(&res, "wasm", "payment_id").parse().unwrap()
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
        let amount = self.app.wrap().query_balance(addr, denom).unwrap().amount;
        Uint128::try_from(amount).unwrap().u128()
    }

    pub fn held(&self) -> u128 {
        self.bank_of(&self.escrow, DENOM)
    }

    pub fn act(&self, addr: &Addr) -> u128 {
        let b: Uint128 = self
            .app
            .wrap()
            .query_wasm_smart(
                &self.ledger,
                &LedgerQuery::Balance {
                    address: addr.to_string(),
                },
            )
            .unwrap();
        b.u128()
    }

    pub fn mint_act(&mut self, name: &str, amount: u128) {
        let to = self.addr(name).to_string();
        self.app
            .execute_contract(
                self.gov.clone(),
                self.ledger.clone(),
                &LedgerExec::Mint {
                    to,
                    amount: amount.into(),
                },
                &[],
            )
            .unwrap();
    }

    pub fn send_act(
        &mut self,
        from: &str,
        amount: u128,
        hook: &ReceiveHook,
    ) -> Result<AppResponse, Failure> {
        let msg = LedgerExec::Send {
            contract: self.escrow.to_string(),
            amount: amount.into(),
            msg: to_json_binary(hook).unwrap(),
        };
        let from = self.addr(from);
        self.app
            .execute_contract(from, self.ledger.clone(), &msg, &[])
            .map_err(Failure)
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

/// The value of attribute `key` in the first event of type `ty` (`wasm` or a full custom type).
pub fn attr(res: &AppResponse, ty: &str, key: &str) -> String {
    res.events
        .iter()
        .filter(|e| e.ty == ty)
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
        .unwrap_or_else(|| panic!("no attribute {key} in {ty} events: {:?}", res.events))
}

/// All events of a custom type (`escrow.<action>` becomes `wasm-escrow.<action>`).
pub fn events<'a>(res: &'a AppResponse, action: &str) -> Vec<&'a cosmwasm_std::Event> {
    let ty = format!("wasm-escrow.{action}");
    res.events.iter().filter(|e| e.ty == ty).collect()
}

/// Attribute of a catalogue event.
pub fn ev_attr(event: &cosmwasm_std::Event, key: &str) -> String {
    event
        .attributes
        .iter()
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
        .unwrap_or_else(|| panic!("no {key} in {event:?}"))
}
