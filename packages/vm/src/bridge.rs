//! The VM's backend (api, storage, querier) bridged onto what cw-multi-test hands a contract.
//!
//! cosmwasm-vm wants `'static` backend types, while cw-multi-test lends storage, api and querier
//! for one call only. The bridges hold raw pointers to those borrows. This is sound because a
//! bridge lives only inside [`crate::VmContract`]'s call: the instance is created, run and
//! recycled (dropping the bridges) before the borrowed objects go out of scope, and everything
//! runs on the caller's thread. Storage is accessed in place (no copy in or out): cw-multi-test
//! already runs every call inside a transaction it discards on error, so a failed call leaves
//! no trace, exactly as with a native contract.

use std::sync::{Arc, Mutex};

use cosmwasm_std::{Binary, CanonicalAddr, ContractResult, Order, Record, SystemResult};
use cosmwasm_vm::{BackendApi, BackendError, BackendResult, GasInfo, Querier, Storage};

use crate::gas::{KvGas, GAS_MULTIPLIER};

/// wasmd's `DefaultGasCostHumanAddress` / `DefaultGasCostCanonicalAddress` (SDK gas).
const HUMANIZE_COST: u64 = 5 * GAS_MULTIPLIER;
const CANONICALIZE_COST: u64 = 4 * GAS_MULTIPLIER;

/// The `Api` of the App, lent for one call.
#[derive(Clone, Copy)]
pub struct BridgeApi {
    api: *const (dyn cosmwasm_std::Api + 'static),
}

// SAFETY: only used on the thread that created it, within the lending call (see module doc).
unsafe impl Send for BridgeApi {}

impl BridgeApi {
    /// Lends `api` to the VM for the duration of one call.
    pub fn new(api: &dyn cosmwasm_std::Api) -> Self {
        // SAFETY: lifetime erased; the bridge is dropped before `api`'s borrow ends.
        let api: *const (dyn cosmwasm_std::Api + 'static) = unsafe { std::mem::transmute(api) };
        BridgeApi { api }
    }

    fn api(&self) -> &dyn cosmwasm_std::Api {
        // SAFETY: see `new`.
        unsafe { &*self.api }
    }
}

impl BackendApi for BridgeApi {
    fn addr_validate(&self, input: &str) -> BackendResult<()> {
        let gas = GasInfo::with_cost(CANONICALIZE_COST + HUMANIZE_COST);
        match self.api().addr_validate(input) {
            Ok(_) => (Ok(()), gas),
            Err(e) => (Err(BackendError::user_err(e.to_string())), gas),
        }
    }

    fn addr_canonicalize(&self, human: &str) -> BackendResult<Vec<u8>> {
        let gas = GasInfo::with_cost(CANONICALIZE_COST);
        match self.api().addr_canonicalize(human) {
            Ok(canonical) => (Ok(canonical.to_vec()), gas),
            Err(e) => (Err(BackendError::user_err(e.to_string())), gas),
        }
    }

    fn addr_humanize(&self, canonical: &[u8]) -> BackendResult<String> {
        let gas = GasInfo::with_cost(HUMANIZE_COST);
        match self.api().addr_humanize(&CanonicalAddr::from(canonical)) {
            Ok(human) => (Ok(human.into_string()), gas),
            Err(e) => (Err(BackendError::user_err(e.to_string())), gas),
        }
    }
}

/// The contract's (already prefixed) storage, lent for one call: writable for execute-like
/// entry points, read-only for queries.
enum Lent {
    ReadOnly(*const (dyn cosmwasm_std::Storage + 'static)),
    ReadWrite(*mut (dyn cosmwasm_std::Storage + 'static)),
}

/// An open iterator: its bounds and how far it got, re-seeked on every step so no borrow of
/// the storage is held between calls.
struct Cursor {
    start: Option<Vec<u8>>,
    end: Option<Vec<u8>>,
    order: Order,
    last: Option<Vec<u8>>,
    done: bool,
}

/// KV access with SDK gas metering, onto the lent storage.
pub struct BridgeStorage {
    lent: Lent,
    cursors: Vec<Cursor>,
    meter: Arc<Mutex<KvGas>>,
}

// SAFETY: as for `BridgeApi`.
unsafe impl Send for BridgeStorage {}

impl BridgeStorage {
    /// Lends writable storage.
    pub fn read_write(storage: &mut dyn cosmwasm_std::Storage, meter: Arc<Mutex<KvGas>>) -> Self {
        // SAFETY: lifetime erased; the bridge is dropped before the borrow ends.
        let ptr: *mut (dyn cosmwasm_std::Storage + 'static) =
            unsafe { std::mem::transmute(storage) };
        BridgeStorage {
            lent: Lent::ReadWrite(ptr),
            cursors: Vec::new(),
            meter,
        }
    }

    /// Lends read-only storage (queries).
    pub fn read_only(storage: &dyn cosmwasm_std::Storage, meter: Arc<Mutex<KvGas>>) -> Self {
        // SAFETY: lifetime erased; the bridge is dropped before the borrow ends.
        let ptr: *const (dyn cosmwasm_std::Storage + 'static) =
            unsafe { std::mem::transmute(storage) };
        BridgeStorage {
            lent: Lent::ReadOnly(ptr),
            cursors: Vec::new(),
            meter,
        }
    }

    fn storage(&self) -> &dyn cosmwasm_std::Storage {
        // SAFETY: see constructors.
        unsafe {
            match self.lent {
                Lent::ReadOnly(p) => &*p,
                Lent::ReadWrite(p) => &*p,
            }
        }
    }

    fn storage_mut(&mut self) -> Result<&mut dyn cosmwasm_std::Storage, BackendError> {
        match self.lent {
            // SAFETY: see constructors.
            Lent::ReadWrite(p) => Ok(unsafe { &mut *p }),
            Lent::ReadOnly(_) => Err(BackendError::user_err("storage is read-only in a query")),
        }
    }

    fn charge(&self, f: impl FnOnce(&mut KvGas) -> u64) -> GasInfo {
        let sdk = match self.meter.lock() {
            Ok(mut meter) => f(&mut meter),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        };
        GasInfo::with_externally_used(sdk.saturating_mul(GAS_MULTIPLIER))
    }
}

/// The smallest key strictly greater than `key` in byte order.
fn successor(key: &[u8]) -> Vec<u8> {
    let mut next = Vec::with_capacity(key.len() + 1);
    next.extend_from_slice(key);
    next.push(0);
    next
}

impl Storage for BridgeStorage {
    fn get(&self, key: &[u8]) -> BackendResult<Option<Vec<u8>>> {
        let value = self.storage().get(key);
        let gas = self.charge(|m| m.read(key.len(), value.as_ref().map_or(0, Vec::len)));
        (Ok(value), gas)
    }

    fn scan(
        &mut self,
        start: Option<&[u8]>,
        end: Option<&[u8]>,
        order: Order,
    ) -> BackendResult<u32> {
        let gas = self.charge(KvGas::iter_open);
        let id = match u32::try_from(self.cursors.len()) {
            Ok(id) => id,
            Err(_) => return (Err(BackendError::user_err("too many iterators")), gas),
        };
        self.cursors.push(Cursor {
            start: start.map(<[u8]>::to_vec),
            end: end.map(<[u8]>::to_vec),
            order,
            last: None,
            done: false,
        });
        (Ok(id), gas)
    }

    fn next(&mut self, iterator_id: u32) -> BackendResult<Option<Record>> {
        let Some(cursor) = self.cursors.get(iterator_id as usize) else {
            return (
                Err(BackendError::iterator_does_not_exist(iterator_id)),
                GasInfo::free(),
            );
        };
        if cursor.done {
            return (Ok(None), GasInfo::free());
        }
        // Narrow the original bounds past the last key returned, then take one record.
        let (start, end) = match (cursor.order, &cursor.last) {
            (_, None) => (cursor.start.clone(), cursor.end.clone()),
            (Order::Ascending, Some(last)) => (Some(successor(last)), cursor.end.clone()),
            (Order::Descending, Some(last)) => (cursor.start.clone(), Some(last.clone())),
        };
        let record = self
            .storage()
            .range(start.as_deref(), end.as_deref(), cursor.order)
            .next();
        let gas = match &record {
            Some((k, v)) => self.charge(|m| m.iter_next(k.len(), v.len())),
            None => GasInfo::free(),
        };
        if let Some(cursor) = self.cursors.get_mut(iterator_id as usize) {
            match &record {
                Some((k, _)) => cursor.last = Some(k.clone()),
                None => cursor.done = true,
            }
        }
        (Ok(record), gas)
    }

    fn set(&mut self, key: &[u8], value: &[u8]) -> BackendResult<()> {
        let gas = self.charge(|m| m.write(key.len(), value.len()));
        match self.storage_mut() {
            Ok(storage) => {
                storage.set(key, value);
                (Ok(()), gas)
            }
            Err(e) => (Err(e), gas),
        }
    }

    fn remove(&mut self, key: &[u8]) -> BackendResult<()> {
        let gas = self.charge(KvGas::delete);
        match self.storage_mut() {
            Ok(storage) => {
                storage.remove(key);
                (Ok(()), gas)
            }
            Err(e) => (Err(e), gas),
        }
    }
}

/// The App's querier (bank, other contracts), lent for one call.
pub struct BridgeQuerier {
    querier: *const (dyn cosmwasm_std::Querier + 'static),
}

// SAFETY: as for `BridgeApi`.
unsafe impl Send for BridgeQuerier {}

impl BridgeQuerier {
    /// Lends `querier` to the VM for the duration of one call.
    pub fn new(querier: &dyn cosmwasm_std::Querier) -> Self {
        // SAFETY: lifetime erased; the bridge is dropped before the borrow ends.
        let querier: *const (dyn cosmwasm_std::Querier + 'static) =
            unsafe { std::mem::transmute(querier) };
        BridgeQuerier { querier }
    }
}

impl Querier for BridgeQuerier {
    fn query_raw(
        &self,
        request: &[u8],
        _gas_limit: u64,
    ) -> BackendResult<SystemResult<ContractResult<Binary>>> {
        // SAFETY: see `new`. A query into another VM contract meters its own gas in its own call.
        let result = unsafe { &*self.querier }.raw_query(request);
        (Ok(result), GasInfo::free())
    }
}
