//! Executes that keep a refusal as a [`Failure`], for the harnesses' `exec` / `exec_ok`.

use crate::failure::Failure;
use cosmwasm_std::{Addr, Coin};
use cw_multi_test::{App, AppResponse, Executor};
use serde::Serialize;
use std::fmt::Debug;

/// Executes `msg` on `contract` as `sender`; a refusal comes back as a [`Failure`].
pub fn execute<M: Serialize + Debug>(
    app: &mut App,
    sender: Addr,
    contract: &Addr,
    msg: &M,
    funds: &[Coin],
) -> Result<AppResponse, Failure> {
    app.execute_contract(sender, contract.clone(), msg, funds)
        .map_err(Failure)
}

/// Executes `msg` like [`execute`]; a refusal fails the test, naming the message and the error.
#[track_caller]
pub fn execute_ok<M: Serialize + Debug>(
    app: &mut App,
    sender: Addr,
    contract: &Addr,
    msg: &M,
    funds: &[Coin],
) -> AppResponse {
    // A `match`, not `unwrap_or_else`: a closure would hide the caller from `#[track_caller]`.
    match execute(app, sender, contract, msg, funds) {
        Ok(res) => res,
        Err(e) => panic!("{msg:?} failed: {e}"),
    }
}
