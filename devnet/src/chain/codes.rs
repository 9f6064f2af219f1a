//! Code upload: turning wasm bytes into executable code (the VM), and the code registry wasmd
//! keeps (checksum, creator, instantiate permission) plus the contracts of each code.

use cosmwasm_std::{Addr, Empty, Event, Storage};
use cw_multi_test::Contract;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use supercloud_vm::VmRuntime;

use super::app::DevApp;
use super::errors::TxError;
use super::kv;
use crate::proto::wasm::{AccessConfig, AccessType};

/// Turns uploaded wasm into code the chain runs, and reports the gas that code spent.
pub trait CodeLoader {
    /// Runs the chain's upload checks on `wasm` and compiles it.
    fn load(&self, wasm: &[u8]) -> anyhow::Result<Box<dyn Contract<Empty>>>;

    /// Estimated SDK gas of every contract call since the last take.
    fn take_gas(&self) -> u64;
}

/// The real thing: cosmwasm-vm with Akash's capabilities (the artifacts governance uploads).
#[derive(Clone)]
pub struct VmLoader {
    runtime: VmRuntime,
}

impl VmLoader {
    /// A loader with its own VM cache.
    pub fn new() -> anyhow::Result<Self> {
        Ok(VmLoader {
            runtime: VmRuntime::new()?,
        })
    }

    /// A loader whose compiled modules persist in `dir` (reused by later processes).
    ///
    /// # Safety
    /// `dir` must only ever be written by supercloud-vm runtimes: cosmwasm-vm trusts the
    /// compiled modules it finds there.
    pub unsafe fn persistent(dir: &std::path::Path) -> anyhow::Result<Self> {
        // SAFETY: forwarded to the caller.
        let runtime = unsafe { VmRuntime::persistent(dir) }?;
        Ok(VmLoader { runtime })
    }

    /// A loader over the workspace's shared module cache (tests: each artifact compiles once,
    /// not once per test).
    pub fn workspace_cache() -> anyhow::Result<Self> {
        Ok(VmLoader {
            runtime: VmRuntime::workspace()?,
        })
    }

    /// A loader over an existing runtime (shares its module cache and gas log).
    pub fn with_runtime(runtime: VmRuntime) -> Self {
        VmLoader { runtime }
    }
}

impl CodeLoader for VmLoader {
    fn load(&self, wasm: &[u8]) -> anyhow::Result<Box<dyn Contract<Empty>>> {
        let name = format!("code-{}", &hex::encode(Sha256::digest(wasm))[..12]);
        Ok(Box::new(self.runtime.load(&name, wasm)?))
    }

    fn take_gas(&self) -> u64 {
        self.runtime
            .take_gas_log()
            .iter()
            .map(|call| call.sdk_gas())
            .fold(0u64, u64::saturating_add)
    }
}

/// Who may instantiate a code (wasmd's `AccessConfig`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Permission {
    /// Nobody.
    Nobody,
    /// Everybody.
    Everybody,
    /// Only these addresses.
    AnyOf(Vec<String>),
}

impl Permission {
    /// From the message's access config; `None` defaults to the uploader only.
    pub fn from_proto(config: Option<&AccessConfig>, uploader: &str) -> Result<Self, TxError> {
        let Some(config) = config else {
            return Ok(Permission::AnyOf(vec![uploader.to_string()]));
        };
        match AccessType::try_from(config.permission) {
            Ok(AccessType::Nobody) => Ok(Permission::Nobody),
            Ok(AccessType::Everybody) => Ok(Permission::Everybody),
            Ok(AccessType::AnyOfAddresses) if !config.addresses.is_empty() => {
                Ok(Permission::AnyOf(config.addresses.clone()))
            }
            _ => Err(TxError::invalid_request("invalid instantiate permission")),
        }
    }

    /// As wasmd's `AccessConfig`.
    pub fn to_proto(&self) -> AccessConfig {
        match self {
            Permission::Nobody => AccessConfig {
                permission: AccessType::Nobody as i32,
                addresses: vec![],
            },
            Permission::Everybody => AccessConfig {
                permission: AccessType::Everybody as i32,
                addresses: vec![],
            },
            Permission::AnyOf(addresses) => AccessConfig::any_of(addresses.clone()),
        }
    }

    /// Whether `addr` may instantiate.
    pub fn allows(&self, addr: &str) -> bool {
        match self {
            Permission::Nobody => false,
            Permission::Everybody => true,
            Permission::AnyOf(list) => list.iter().any(|a| a == addr),
        }
    }
}

/// What the chain records about a stored code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeRecord {
    /// Code id (from 1).
    pub code_id: u64,
    /// sha256 of the wasm, hex.
    pub checksum: String,
    /// Uploader (the gov module).
    pub creator: String,
    /// Who may instantiate.
    pub permission: Permission,
}

/// Where a contract was created.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Created {
    /// Block height.
    pub height: u64,
    /// Tx index in the block (the proposal's position for gov instantiations).
    pub tx_index: u64,
}

fn code_key(code_id: u64) -> Vec<u8> {
    kv::key(&[b"wasm", b"code", &code_id.to_be_bytes()])
}

fn bytes_key(code_id: u64) -> Vec<u8> {
    kv::key(&[b"wasm", b"bytes", &code_id.to_be_bytes()])
}

fn by_code_key(code_id: u64) -> Vec<u8> {
    kv::key(&[b"wasm", b"by_code", &code_id.to_be_bytes()])
}

fn created_key(addr: &str) -> Vec<u8> {
    kv::key(&[b"wasm", b"created", addr.as_bytes()])
}

/// Uploads `wasm` as `creator`: checks and compiles it, registers it with the app and records
/// it. Returns the code id and checksum.
pub fn store(
    app: &mut DevApp,
    loader: &dyn CodeLoader,
    creator: &Addr,
    wasm: &[u8],
    permission: Permission,
) -> Result<(u64, [u8; 32]), TxError> {
    let code = loader
        .load(wasm)
        .map_err(|e| TxError::create_failed(format!("{e:#}")))?;
    let checksum: [u8; 32] = Sha256::digest(wasm).into();
    let code_id = app.store_code_with_creator(creator.clone(), code);
    let record = CodeRecord {
        code_id,
        checksum: hex::encode(checksum),
        creator: creator.to_string(),
        permission,
    };
    let storage = app.storage_mut();
    kv::save(storage, &code_key(code_id), &record).map_err(TxError::internal)?;
    storage.set(&bytes_key(code_id), wasm);
    Ok((code_id, checksum))
}

/// The record of `code_id`.
pub fn record(storage: &dyn Storage, code_id: u64) -> anyhow::Result<Option<CodeRecord>> {
    kv::load(storage, &code_key(code_id))
}

/// The wasm bytes of `code_id`.
pub fn wasm(storage: &dyn Storage, code_id: u64) -> Option<Vec<u8>> {
    storage.get(&bytes_key(code_id))
}

/// Every code record, by id.
pub fn all(storage: &dyn Storage) -> anyhow::Result<Vec<CodeRecord>> {
    let mut out = Vec::new();
    let mut id = 1;
    while let Some(record) = record(storage, id)? {
        out.push(record);
        id += 1;
    }
    Ok(out)
}

/// Contracts instantiated from `code_id`, in creation order.
pub fn contracts_of(storage: &dyn Storage, code_id: u64) -> anyhow::Result<Vec<String>> {
    Ok(kv::load(storage, &by_code_key(code_id))?.unwrap_or_default())
}

/// Moves each contract a successful migration (its `migrate` events) moved to another code to
/// that code's list, as wasmd's contracts-by-code index follows a migration.
pub fn index_migrations(storage: &mut dyn Storage, events: &[Event]) -> anyhow::Result<()> {
    for event in events.iter().filter(|e| e.ty == "migrate") {
        let attr = |k: &str| {
            event
                .attributes
                .iter()
                .find(|a| a.key == k)
                .map(|a| a.value.clone())
        };
        let (Some(addr), Some(code_id)) = (attr("_contract_address"), attr("code_id")) else {
            continue;
        };
        let code_id: u64 = code_id.parse()?;
        for old in 1..=all(storage)?.len() as u64 {
            let mut list = contracts_of(storage, old)?;
            let before = list.len();
            list.retain(|a| *a != addr);
            if list.len() != before {
                kv::save(storage, &by_code_key(old), &list)?;
            }
        }
        let mut list = contracts_of(storage, code_id)?;
        list.push(addr);
        kv::save(storage, &by_code_key(code_id), &list)?;
    }
    Ok(())
}

/// Where the contract at `addr` was created.
pub fn created(storage: &dyn Storage, addr: &str) -> anyhow::Result<Option<Created>> {
    kv::load(storage, &created_key(addr))
}

/// Indexes the contracts `events` (a successful message's) instantiated.
pub fn index_instantiations(
    storage: &mut dyn Storage,
    events: &[Event],
    at: Created,
) -> anyhow::Result<()> {
    for event in events.iter().filter(|e| e.ty == "instantiate") {
        let attr = |k: &str| {
            event
                .attributes
                .iter()
                .find(|a| a.key == k)
                .map(|a| a.value.clone())
        };
        let (Some(addr), Some(code_id)) = (attr("_contract_address"), attr("code_id")) else {
            continue;
        };
        let code_id: u64 = code_id.parse()?;
        let mut list = contracts_of(storage, code_id)?;
        list.push(addr.clone());
        kv::save(storage, &by_code_key(code_id), &list)?;
        kv::save(storage, &created_key(&addr), &at)?;
    }
    Ok(())
}
