//! Gas accounting: CosmWasm gas from the VM, and an estimate of what the chain would charge in
//! Cosmos SDK gas (wasmd's gas register plus the SDK's KV store costs).

use cosmwasm_std::{Event, Response};

/// wasmd `DefaultGasMultiplier`: CosmWasm gas per SDK gas.
pub const GAS_MULTIPLIER: u64 = 140_000;
/// wasmd `DefaultInstanceCost`: SDK gas to load a (not pinned) contract instance per call.
pub const INSTANCE_COST: u64 = 60_000;
/// wasmd `DefaultCompileCost`: SDK gas per byte of uploaded wasm.
pub const COMPILE_COST_PER_BYTE: u64 = 3;
/// wasmd `DefaultPerAttributeCost`.
pub const PER_ATTRIBUTE_COST: u64 = 10;
/// wasmd `DefaultPerCustomEventCost`.
pub const PER_CUSTOM_EVENT_COST: u64 = 20;
/// wasmd `DefaultEventAttributeDataCost` per byte beyond the free tier.
pub const EVENT_ATTRIBUTE_DATA_COST: u64 = 1;
/// wasmd `DefaultEventAttributeDataFreeTier` (bytes of key + value per attribute).
pub const EVENT_ATTRIBUTE_DATA_FREE_TIER: u64 = 100;

/// Cosmos SDK `KVGasConfig` defaults (store/types/gas.go).
mod kv {
    pub const HAS: u64 = 1_000;
    pub const DELETE: u64 = 1_000;
    pub const READ_FLAT: u64 = 1_000;
    pub const READ_PER_BYTE: u64 = 3;
    pub const WRITE_FLAT: u64 = 2_000;
    pub const WRITE_PER_BYTE: u64 = 30;
    pub const ITER_NEXT_FLAT: u64 = 30;
}

/// KV operations one VM call made, and their SDK gas under `KVGasConfig`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KvGas {
    pub reads: u64,
    pub writes: u64,
    pub deletes: u64,
    pub iter_nexts: u64,
    pub bytes_read: u64,
    pub bytes_written: u64,
    pub sdk_gas: u64,
}

impl KvGas {
    /// A `get`: flat read cost plus per byte of key and value (the SDK charges both).
    pub fn read(&mut self, key: usize, value: usize) -> u64 {
        let bytes = (key + value) as u64;
        self.reads += 1;
        self.bytes_read += bytes;
        self.charge(kv::READ_FLAT + kv::READ_PER_BYTE * bytes)
    }

    /// A `set`: flat write cost plus per byte of key and value.
    pub fn write(&mut self, key: usize, value: usize) -> u64 {
        let bytes = (key + value) as u64;
        self.writes += 1;
        self.bytes_written += bytes;
        self.charge(kv::WRITE_FLAT + kv::WRITE_PER_BYTE * bytes)
    }

    /// A `remove`.
    pub fn delete(&mut self) -> u64 {
        self.deletes += 1;
        self.charge(kv::DELETE)
    }

    /// An iterator step that yielded a record (the SDK charges the seek plus the bytes read).
    pub fn iter_next(&mut self, key: usize, value: usize) -> u64 {
        let bytes = (key + value) as u64;
        self.iter_nexts += 1;
        self.bytes_read += bytes;
        self.charge(kv::ITER_NEXT_FLAT + kv::READ_PER_BYTE * bytes)
    }

    /// Opening an iterator (charged like a `has`, which is what the SDK's first seek costs).
    pub fn iter_open(&mut self) -> u64 {
        self.charge(kv::HAS)
    }

    fn charge(&mut self, gas: u64) -> u64 {
        self.sdk_gas = self.sdk_gas.saturating_add(gas);
        gas
    }

    /// Sum of two counters.
    pub fn add(&mut self, other: &KvGas) {
        self.reads += other.reads;
        self.writes += other.writes;
        self.deletes += other.deletes;
        self.iter_nexts += other.iter_nexts;
        self.bytes_read += other.bytes_read;
        self.bytes_written += other.bytes_written;
        self.sdk_gas = self.sdk_gas.saturating_add(other.sdk_gas);
    }
}

/// The entry point a VM call ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntryPoint {
    Instantiate,
    Execute,
    Query,
    Migrate,
    Sudo,
    Reply,
}

impl EntryPoint {
    /// The export name.
    pub fn as_str(&self) -> &'static str {
        match self {
            EntryPoint::Instantiate => "instantiate",
            EntryPoint::Execute => "execute",
            EntryPoint::Query => "query",
            EntryPoint::Migrate => "migrate",
            EntryPoint::Sudo => "sudo",
            EntryPoint::Reply => "reply",
        }
    }
}

/// Gas of one VM call (nested calls, e.g. a query into another contract, are separate entries).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallGas {
    /// The artifact's name (as loaded).
    pub contract: String,
    pub entry_point: EntryPoint,
    /// Whether the call returned Ok.
    pub ok: bool,
    /// CosmWasm gas spent inside the VM (wasm execution and host functions, not storage).
    pub vm_gas: u64,
    /// The KV store operations and their SDK gas.
    pub kv: KvGas,
    /// wasmd's event charge on the returned attributes and events (SDK gas).
    pub event_gas: u64,
}

impl CallGas {
    /// Estimated SDK gas the chain charges for this call: instance load, VM gas converted with
    /// wasmd's multiplier, KV costs and event costs.
    pub fn sdk_gas(&self) -> u64 {
        INSTANCE_COST
            .saturating_add(self.vm_gas.div_ceil(GAS_MULTIPLIER))
            .saturating_add(self.kv.sdk_gas)
            .saturating_add(self.event_gas)
    }
}

/// wasmd's `EventCosts` for a contract response: per attribute, per byte above the free tier,
/// and per custom event.
pub fn event_gas<T>(response: &Response<T>) -> u64 {
    let attribute_cost = |attrs: &[cosmwasm_std::Attribute]| -> u64 {
        attrs
            .iter()
            .map(|a| {
                let bytes = (a.key.len() + a.value.len()) as u64;
                PER_ATTRIBUTE_COST
                    + EVENT_ATTRIBUTE_DATA_COST
                        * bytes.saturating_sub(EVENT_ATTRIBUTE_DATA_FREE_TIER)
            })
            .sum()
    };
    let events: u64 = response
        .events
        .iter()
        .map(|e: &Event| PER_CUSTOM_EVENT_COST + attribute_cost(&e.attributes))
        .sum();
    attribute_cost(&response.attributes) + events
}

/// Summed gas of several calls (e.g. everything one transaction ran).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GasTotals {
    pub calls: u64,
    pub vm_gas: u64,
    pub kv: KvGas,
    pub event_gas: u64,
    pub sdk_gas: u64,
}

impl GasTotals {
    /// Sums `calls`.
    pub fn of(calls: &[CallGas]) -> Self {
        let mut totals = GasTotals::default();
        for call in calls {
            totals.calls += 1;
            totals.vm_gas = totals.vm_gas.saturating_add(call.vm_gas);
            totals.kv.add(&call.kv);
            totals.event_gas = totals.event_gas.saturating_add(call.event_gas);
            totals.sdk_gas = totals.sdk_gas.saturating_add(call.sdk_gas());
        }
        totals
    }
}
