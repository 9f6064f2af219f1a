//! [`VmContract`]: cw-multi-test's `Contract` over a compiled artifact in cosmwasm-vm.

use std::sync::{Arc, Mutex};

use cosmwasm_std::{
    from_json, to_json_vec, Binary, Checksum, ContractResult, Deps, DepsMut, Empty, Env,
    MessageInfo, Reply, Response, StdError, StdResult,
};
use cosmwasm_vm::{
    call_execute_raw, call_instantiate_raw, call_migrate_raw, call_query_raw, call_reply_raw,
    call_sudo_raw, Backend, InstanceOptions,
};
use cw_multi_test::Contract;

use crate::bridge::{BridgeApi, BridgeQuerier, BridgeStorage};
use crate::gas::{event_gas, CallGas, EntryPoint, KvGas};
use crate::runtime::VmRuntime;

/// Gas limit per VM call in CosmWasm gas: far above any block's budget, so the VM never stops a
/// call that a chain would run; it is there only to catch runaway loops.
const CALL_GAS_LIMIT: u64 = 100_000_000_000_000;

/// A compiled contract executed by cosmwasm-vm, usable wherever cw-multi-test takes a native
/// `ContractWrapper`. Errors come back with the contract's own error text, as natively.
#[derive(Clone)]
pub struct VmContract {
    runtime: VmRuntime,
    name: String,
    checksum: Checksum,
}

/// How a call lends storage to the VM.
enum Access<'a> {
    Write(&'a mut dyn cosmwasm_std::Storage),
    Read(&'a dyn cosmwasm_std::Storage),
}

impl VmContract {
    pub(crate) fn new(runtime: VmRuntime, name: String, checksum: Checksum) -> Self {
        VmContract {
            runtime,
            name,
            checksum,
        }
    }

    /// The artifact's name (as loaded).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Runs `entry` in a fresh instance over the lent backend; records its gas.
    fn call<T>(
        &self,
        entry: EntryPoint,
        access: Access<'_>,
        api: &dyn cosmwasm_std::Api,
        querier: &dyn cosmwasm_std::Querier,
        run: impl FnOnce(
            &mut cosmwasm_vm::Instance<BridgeApi, BridgeStorage, BridgeQuerier>,
        ) -> cosmwasm_vm::VmResult<Vec<u8>>,
        decode: impl FnOnce(&[u8]) -> StdResult<(T, u64)>,
    ) -> StdResult<T> {
        let meter = Arc::new(Mutex::new(KvGas::default()));
        let storage = match access {
            Access::Write(s) => BridgeStorage::read_write(s, meter.clone()),
            Access::Read(s) => BridgeStorage::read_only(s, meter.clone()),
        };
        let backend = Backend {
            api: BridgeApi::new(api),
            storage,
            querier: BridgeQuerier::new(querier),
        };
        let options = InstanceOptions {
            gas_limit: CALL_GAS_LIMIT,
        };
        let mut instance = self
            .runtime
            .shared
            .cache
            .get_instance(&self.checksum, backend, options)
            .map_err(|e| StdError::msg(format!("{}: VM instance: {e}", self.name)))?;
        let raw = run(&mut instance);
        let report = instance.create_gas_report();
        // Dropping the recycled backend ends every borrow the bridges hold.
        drop(instance.recycle());
        let decoded = raw
            .map_err(|e| StdError::msg(format!("{}: VM error: {e}", self.name)))
            .and_then(|bytes| decode(&bytes));
        let kv = match meter.lock() {
            Ok(m) => *m,
            Err(poisoned) => *poisoned.into_inner(),
        };
        self.runtime.record(CallGas {
            contract: self.name.clone(),
            entry_point: entry,
            ok: decoded.is_ok(),
            vm_gas: report.used_internally,
            kv,
            event_gas: decoded.as_ref().map_or(0, |(_, gas)| *gas),
        });
        decoded.map(|(value, _)| value)
    }

    fn response(
        &self,
        entry: EntryPoint,
        deps: DepsMut<Empty>,
        run: RawCall,
    ) -> StdResult<Response> {
        self.call(
            entry,
            Access::Write(deps.storage),
            deps.api,
            &*deps.querier,
            run,
            decode_response,
        )
    }
}

type RawCall<'a> = Box<
    dyn FnOnce(
            &mut cosmwasm_vm::Instance<BridgeApi, BridgeStorage, BridgeQuerier>,
        ) -> cosmwasm_vm::VmResult<Vec<u8>>
        + 'a,
>;

/// A contract result as the VM returns it: `{"ok":…}` or `{"error":"…"}`.
fn decode_response(bytes: &[u8]) -> StdResult<(Response, u64)> {
    match from_json::<ContractResult<Response>>(bytes)? {
        ContractResult::Ok(response) => {
            let gas = event_gas(&response);
            Ok((response, gas))
        }
        ContractResult::Err(message) => Err(StdError::msg(message)),
    }
}

fn decode_binary(bytes: &[u8]) -> StdResult<(Binary, u64)> {
    match from_json::<ContractResult<Binary>>(bytes)? {
        ContractResult::Ok(data) => Ok((data, 0)),
        ContractResult::Err(message) => Err(StdError::msg(message)),
    }
}

impl Contract<Empty> for VmContract {
    fn instantiate(
        &self,
        deps: DepsMut<Empty>,
        env: Env,
        info: MessageInfo,
        msg: Vec<u8>,
    ) -> StdResult<Response> {
        let (env, info) = (to_json_vec(&env)?, to_json_vec(&info)?);
        self.response(
            EntryPoint::Instantiate,
            deps,
            Box::new(move |i| call_instantiate_raw(i, &env, &info, &msg)),
        )
    }

    fn execute(
        &self,
        deps: DepsMut<Empty>,
        env: Env,
        info: MessageInfo,
        msg: Vec<u8>,
    ) -> StdResult<Response> {
        let (env, info) = (to_json_vec(&env)?, to_json_vec(&info)?);
        self.response(
            EntryPoint::Execute,
            deps,
            Box::new(move |i| call_execute_raw(i, &env, &info, &msg)),
        )
    }

    fn query(&self, deps: Deps<Empty>, env: Env, msg: Vec<u8>) -> StdResult<Binary> {
        let env = to_json_vec(&env)?;
        self.call(
            EntryPoint::Query,
            Access::Read(deps.storage),
            deps.api,
            &*deps.querier,
            move |i| call_query_raw(i, &env, &msg),
            decode_binary,
        )
    }

    fn reply(&self, deps: DepsMut<Empty>, env: Env, msg: Reply) -> StdResult<Response> {
        let (env, msg) = (to_json_vec(&env)?, to_json_vec(&msg)?);
        self.response(
            EntryPoint::Reply,
            deps,
            Box::new(move |i| call_reply_raw(i, &env, &msg)),
        )
    }

    fn sudo(&self, deps: DepsMut<Empty>, env: Env, msg: Vec<u8>) -> StdResult<Response> {
        let env = to_json_vec(&env)?;
        self.response(
            EntryPoint::Sudo,
            deps,
            Box::new(move |i| call_sudo_raw(i, &env, &msg)),
        )
    }

    fn migrate(&self, deps: DepsMut<Empty>, env: Env, msg: Vec<u8>) -> StdResult<Response> {
        let env = to_json_vec(&env)?;
        self.response(
            EntryPoint::Migrate,
            deps,
            Box::new(move |i| call_migrate_raw(i, &env, &msg)),
        )
    }

    fn checksum(&self) -> Option<Checksum> {
        Some(self.checksum)
    }
}
