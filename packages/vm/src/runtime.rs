//! One cosmwasm-vm cache (the chain's module cache) shared by every loaded contract.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::{anyhow, Context};
use cosmwasm_std::Checksum;
use cosmwasm_vm::{capabilities_from_csv, Cache, CacheOptions, Size};
use tempfile::TempDir;

use crate::bridge::{BridgeApi, BridgeQuerier, BridgeStorage};
use crate::gas::CallGas;
use crate::VmContract;

/// The VM cache type every contract of a runtime shares.
pub(crate) type VmCache = Cache<BridgeApi, BridgeStorage, BridgeQuerier>;

pub(crate) struct Shared {
    pub cache: Arc<VmCache>,
    pub gas_log: Mutex<Vec<CallGas>>,
    /// Keeps a temporary cache directory alive as long as the cache (`None`: a persistent one).
    _dir: Option<TempDir>,
}

/// A cosmwasm-vm cache configured like Akash (its capability set), plus a gas log of every VM
/// call made through contracts loaded from it. Cheap to clone.
#[derive(Clone)]
pub struct VmRuntime {
    pub(crate) shared: Arc<Shared>,
}

impl VmRuntime {
    /// A runtime with a fresh cache in a temporary directory.
    pub fn new() -> anyhow::Result<Self> {
        let dir = tempfile::tempdir().context("creating the VM cache directory")?;
        // SAFETY: the directory is fresh and private to this runtime, so no tampered module can
        // be in it (the reason `Cache::new` is unsafe).
        let path = dir.path().to_path_buf();
        unsafe { Self::open(&path, Some(dir)) }
    }

    /// A runtime whose compiled modules persist in `dir` across processes (tests and benches
    /// reuse them instead of compiling every artifact again in each test binary).
    ///
    /// # Safety
    /// `dir` must only ever be written by this crate: cosmwasm-vm trusts the compiled modules
    /// it finds there (as wasmd trusts its own data directory).
    pub unsafe fn persistent(dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        // SAFETY: forwarded to the caller.
        unsafe { Self::open(dir, None) }
    }

    /// A runtime over the workspace's shared module cache ([`crate::workspace_cache_dir`]):
    /// each artifact is checked and compiled once, not once per test binary or test.
    pub fn workspace() -> anyhow::Result<Self> {
        // SAFETY: target/vm-cache is a build output written only by supercloud-vm runtimes.
        unsafe { Self::persistent(&crate::workspace_cache_dir()) }
    }

    unsafe fn open(dir: &Path, temp: Option<TempDir>) -> anyhow::Result<Self> {
        let cache = match temp {
            // SAFETY: forwarded to the callers (a private temp dir).
            Some(_) => Arc::new(unsafe { new_cache(dir) }?),
            // SAFETY: forwarded to the callers (the caller's promise about `dir`).
            None => unsafe { cache_of_dir(dir) }?,
        };
        Ok(VmRuntime {
            shared: Arc::new(Shared {
                cache,
                gas_log: Mutex::new(Vec::new()),
                _dir: temp,
            }),
        })
    }

    /// Runs the chain's static checks on `wasm`, compiles it and returns a contract that
    /// executes it. `name` labels its gas log entries.
    pub fn load(&self, name: &str, wasm: &[u8]) -> anyhow::Result<VmContract> {
        if wasm.len() > supercloud_chain::MAX_WASM_SIZE {
            anyhow::bail!(
                "{name}: {} bytes exceeds the chain's limit of {} bytes",
                wasm.len(),
                supercloud_chain::MAX_WASM_SIZE
            );
        }
        // The cache is content-addressed and only ever stores code that passed the checks, so
        // code already in it (a persistent cache) was checked and compiled before.
        let known = Checksum::generate(wasm);
        let checksum = match self.shared.cache.load_wasm(&known) {
            Ok(_) => known,
            Err(_) => self
                .shared
                .cache
                .store_code(wasm, true, true)
                .map_err(|e| anyhow!("{name}: the chain would refuse this code: {e}"))?,
        };
        Ok(VmContract::new(self.clone(), name.to_string(), checksum))
    }

    /// Loads `artifacts/<name>.wasm` (see [`crate::artifact`]).
    pub fn load_artifact(&self, name: &str) -> anyhow::Result<VmContract> {
        let wasm = crate::artifact(name)?;
        self.load(name, &wasm)
    }

    /// The gas of every VM call since the last take, in call order.
    pub fn take_gas_log(&self) -> Vec<CallGas> {
        match self.shared.gas_log.lock() {
            Ok(mut log) => std::mem::take(&mut *log),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        }
    }

    pub(crate) fn record(&self, call: CallGas) {
        match self.shared.gas_log.lock() {
            Ok(mut log) => log.push(call),
            Err(poisoned) => poisoned.into_inner().push(call),
        }
    }
}

/// A cosmwasm-vm cache over `dir` with Akash's capability set.
///
/// # Safety
/// As [`VmRuntime::persistent`]: only this crate writes `dir`.
unsafe fn new_cache(dir: &Path) -> anyhow::Result<VmCache> {
    let capabilities = capabilities_from_csv(&supercloud_chain::AKASH_CAPABILITIES.join(","));
    let options = CacheOptions::new(dir, capabilities, Size::mebi(256), Size::mebi(64));
    // SAFETY: forwarded to the callers.
    unsafe { Cache::new(options) }.map_err(|e| anyhow!("VM cache: {e}"))
}

/// The process's one cache over `dir`. cosmwasm-vm rewrites a module file in place when it
/// compiles it, so two caches over one directory (parallel tests in one binary) could read a
/// half-written module; runtimes sharing a directory share its cache (and its lock), each
/// keeping its own gas log.
///
/// # Safety
/// As [`VmRuntime::persistent`].
unsafe fn cache_of_dir(dir: &Path) -> anyhow::Result<Arc<VmCache>> {
    static CACHES: OnceLock<Mutex<HashMap<PathBuf, Arc<VmCache>>>> = OnceLock::new();
    let key = dir
        .canonicalize()
        .with_context(|| format!("resolving {}", dir.display()))?;
    let mut caches = CACHES
        .get_or_init(Default::default)
        .lock()
        .map_err(|_| anyhow!("the VM cache registry is poisoned"))?;
    if let Some(cache) = caches.get(&key) {
        return Ok(cache.clone());
    }
    // SAFETY: forwarded to the callers.
    let cache = Arc::new(unsafe { new_cache(&key) }?);
    caches.insert(key, cache.clone());
    Ok(cache)
}
