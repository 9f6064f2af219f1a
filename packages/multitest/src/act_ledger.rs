//! A stand-in for the bme's ACT ledger: holds uact balances, `send`s them into a contract with the
//! `ActReceiveMsg` hook, and accepts the `ActLedgerMsg::Transfer` that escrow and reservations pay
//! ACT out with. It lets those contracts be tested against ACT without deploying the bme and its
//! oracle.

use crate::exec::execute;
use crate::failure::Failure;
use cosmwasm_schema::cw_serde;
use cosmwasm_std::{
    to_json_binary, Addr, Binary, Deps, DepsMut, Empty, Env, MessageInfo, Response, StdError,
    StdResult, Uint128,
};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};
use cw_storage_plus::Map;
use serde::Serialize;
use supercloud_std::{ActLedgerMsg, ActReceiveMsg};

/// uact balance per holder.
const BALANCES: Map<&Addr, Uint128> = Map::new("act");

/// What the stand-in ledger executes.
#[cw_serde]
pub enum ExecuteMsg {
    /// Creates `amount` uact for `to` (anyone may; the tests stand in for the bme's minting).
    Mint { to: String, amount: Uint128 },
    /// Moves `amount` to `contract` and calls its `receive` hook with `msg`.
    Send {
        contract: String,
        amount: Uint128,
        msg: Binary,
    },
    /// Moves `amount` from the caller to `recipient`, as `ActLedgerMsg::Transfer` asks.
    Transfer { recipient: String, amount: Uint128 },
}

/// What the stand-in ledger answers.
#[cw_serde]
pub enum QueryMsg {
    /// `address`'s uact balance, as a bare `Uint128`.
    Balance { address: String },
}

/// The stand-in ledger, to store in an App.
pub fn contract() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(execute_msg, instantiate, query))
}

/// Whether the `ActLedgerMsg::Transfer` JSON that escrow and reservations emit is exactly the
/// message this stand-in accepts; otherwise a passing test would prove nothing about the real bme.
pub fn transfer_shape_matches() -> bool {
    let ours = to_json_binary(&ActLedgerMsg::Transfer {
        recipient: "x".into(),
        amount: Uint128::one(),
    });
    let theirs = to_json_binary(&ExecuteMsg::Transfer {
        recipient: "x".into(),
        amount: Uint128::one(),
    });
    ours.ok() == theirs.ok()
}

/// A deployed stand-in ledger, with the account that mints on it.
pub struct ActLedger {
    /// The ledger contract's address.
    pub addr: Addr,
    /// Who instantiated it and sends its mints (the stand-in lets anyone mint).
    pub admin: Addr,
}

impl ActLedger {
    /// Stores and instantiates the stand-in ledger as `admin`.
    pub fn deploy(app: &mut App, admin: &Addr) -> Self {
        let code = app.store_code(contract());
        let addr = app
            .instantiate_contract(code, admin.clone(), &Empty {}, &[], "act", None)
            .expect("instantiate the stand-in ACT ledger");
        ActLedger {
            addr,
            admin: admin.clone(),
        }
    }

    /// `holder`'s uact balance.
    pub fn balance(&self, app: &App, holder: &Addr) -> u128 {
        let query = QueryMsg::Balance {
            address: holder.to_string(),
        };
        let b: Uint128 = app
            .wrap()
            .query_wasm_smart(&self.addr, &query)
            .expect("stand-in ACT ledger balance query");
        b.u128()
    }

    /// Mints `amount` uact to `to`.
    pub fn mint(&self, app: &mut App, to: &Addr, amount: u128) {
        let msg = ExecuteMsg::Mint {
            to: to.to_string(),
            amount: amount.into(),
        };
        app.execute_contract(self.admin.clone(), self.addr.clone(), &msg, &[])
            .expect("mint on the stand-in ACT ledger");
    }

    /// `from` sends `amount` uact into `contract` with `hook` as the receive message; the
    /// receiving contract's refusal comes back as a [`Failure`].
    pub fn send(
        &self,
        app: &mut App,
        from: Addr,
        contract: &Addr,
        amount: u128,
        hook: &impl Serialize,
    ) -> Result<AppResponse, Failure> {
        let msg = ExecuteMsg::Send {
            contract: contract.to_string(),
            amount: amount.into(),
            msg: to_json_binary(hook).expect("receive hook serializes"),
        };
        execute(app, from, &self.addr, &msg, &[])
    }
}

/// Moves `amount` from `from` to `to`, refusing an overdraft like the real ledger.
fn move_balance(deps: DepsMut, from: &Addr, to: &Addr, amount: Uint128) -> StdResult<()> {
    let have = BALANCES.may_load(deps.storage, from)?.unwrap_or_default();
    let left = have
        .checked_sub(amount)
        .map_err(|_| StdError::msg("insufficient ACT"))?;
    BALANCES.save(deps.storage, from, &left)?;
    let to_have = BALANCES.may_load(deps.storage, to)?.unwrap_or_default();
    BALANCES.save(deps.storage, to, &(to_have + amount))?;
    Ok(())
}

fn execute_msg(deps: DepsMut, _: Env, info: MessageInfo, msg: ExecuteMsg) -> StdResult<Response> {
    match msg {
        ExecuteMsg::Mint { to, amount } => {
            let to = deps.api.addr_validate(&to)?;
            let have = BALANCES.may_load(deps.storage, &to)?.unwrap_or_default();
            BALANCES.save(deps.storage, &to, &(have + amount))?;
            Ok(Response::new())
        }
        ExecuteMsg::Send {
            contract,
            amount,
            msg,
        } => {
            let contract = deps.api.addr_validate(&contract)?;
            move_balance(deps, &info.sender, &contract, amount)?;
            let hook = ActReceiveMsg {
                sender: info.sender.to_string(),
                amount,
                msg,
            };
            Ok(Response::new().add_message(hook.into_cosmos_msg(contract)?))
        }
        ExecuteMsg::Transfer { recipient, amount } => {
            let recipient = deps.api.addr_validate(&recipient)?;
            move_balance(deps, &info.sender, &recipient, amount)?;
            Ok(Response::new())
        }
    }
}

fn instantiate(_: DepsMut, _: Env, _: MessageInfo, _: Empty) -> StdResult<Response> {
    Ok(Response::new())
}

fn query(deps: Deps, _: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Balance { address } => {
            let a = deps.api.addr_validate(&address)?;
            to_json_binary(&BALANCES.may_load(deps.storage, &a)?.unwrap_or_default())
        }
    }
}
