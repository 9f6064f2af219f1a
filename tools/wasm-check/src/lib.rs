//! Static checks for built contract artifacts, as the chain runs them at upload.
//!
//! A `MsgStoreCode` on Akash passes through two gates before any code is stored:
//!
//! 1. wasmd refuses blobs larger than [`MAX_WASM_SIZE`] (`MaxWasmSize`, 800 KiB), and
//! 2. wasmvm runs cosmwasm-vm's static checks (valid wasm with only the features the VM enables,
//!    one memory, the `interface_version_8` marker, `allocate`/`deallocate`, only supported
//!    imports, required capabilities available, function and table limits) and then compiles the
//!    module with the singlepass backend.
//!
//! [`Checker`] reproduces both gates in-process with cosmwasm-vm 3.0.10 (the same 3.0 line as
//! Akash's wasmvm 3.0.2) and Akash's capability set [`AKASH_CAPABILITIES`], so artifacts are
//! known to be uploadable before a proposal is written. It adds one project rule on top: a
//! contract artifact must export `instantiate`, which catches a wasm accidentally built with the
//! `library` feature (entry points compiled out).
//!
//! ```no_run
//! let wasm = std::fs::read("artifacts/escrow.wasm").unwrap();
//! let report = wasm_check::check_artifact("escrow.wasm", &wasm).unwrap();
//! println!("{report}");
//! assert!(report.passed());
//! ```

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use cosmwasm_vm::testing::{MockApi, MockQuerier, MockStorage};
use cosmwasm_vm::{Cache, CacheOptions, Size};
use sha2::{Digest, Sha256};

/// The chain's limits, kept in `supercloud-chain` (a package, so the VM harness reads them without
/// depending on this tool); re-exported because they are part of what this tool checks.
pub use supercloud_chain::{AKASH_CAPABILITIES, MAX_WASM_SIZE};

/// The export every deployable contract must have (project rule, see the crate docs).
pub const REQUIRED_ENTRY_POINT: &str = "instantiate";

/// Prefix of the marker exports through which a contract declares the capabilities it needs.
const REQUIRES_PREFIX: &str = "requires_";

/// Why an artifact is not uploadable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Larger than wasmd's `MaxWasmSize`.
    TooLarge {
        /// Artifact size in bytes.
        size: usize,
        /// The limit in bytes ([`MAX_WASM_SIZE`]).
        limit: usize,
    },
    /// cosmwasm-vm refused the module in its static checks or while compiling it. The message is
    /// the VM's own, as wasmd would return it.
    Rejected(String),
    /// The VM accepts the module but it has no `instantiate` export, so it is not a deployable
    /// contract (typically built with the `library` feature).
    MissingInstantiate,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::TooLarge { size, limit } => write!(
                f,
                "size {size} bytes exceeds wasmd MaxWasmSize of {limit} bytes by {} bytes",
                size.saturating_sub(*limit)
            ),
            Failure::Rejected(msg) => {
                write!(f, "rejected by cosmwasm-vm: {msg}")?;
                if msg.contains("bulk memory") {
                    write!(
                        f,
                        " (hint: Rust >= 1.87 emits bulk-memory ops; lower them with binaryen's \
                         `wasm-opt --llvm-memory-copy-fill-lowering`, as scripts/build-wasm.sh does)"
                    )?;
                }
                Ok(())
            }
            Failure::MissingInstantiate => write!(
                f,
                "no `{REQUIRED_ENTRY_POINT}` export: not a deployable contract \
                 (built with the `library` feature?)"
            ),
        }
    }
}

/// The result of checking one artifact.
#[derive(Debug, Clone)]
pub struct Report {
    /// Display name, usually the artifact's file name.
    pub name: String,
    /// Size in bytes.
    pub size: usize,
    /// Lower-case hex SHA-256 of the bytes: the checksum wasmd stores as the code hash and the
    /// value listed in `artifacts/checksums.txt`.
    pub sha256: String,
    /// Capabilities the module declares through `requires_*` exports (read even when the VM
    /// rejects the module, so an unavailable capability is visible).
    pub required_capabilities: BTreeSet<String>,
    /// CosmWasm entry points the module exports (`instantiate`, `execute`, ...).
    pub entry_points: BTreeSet<String>,
    /// Everything that makes the artifact non-uploadable; empty when it passes.
    pub failures: Vec<Failure>,
    /// Time the checks took (dominated by the singlepass compile).
    pub elapsed: Duration,
}

impl Report {
    /// `true` when the artifact passed every check.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn list(set: &BTreeSet<String>) -> String {
            if set.is_empty() {
                "(none)".to_string()
            } else {
                set.iter().cloned().collect::<Vec<_>>().join(", ")
            }
        }
        writeln!(f, "{}", self.name)?;
        writeln!(
            f,
            "  size          {} bytes ({:.1}% of the {} byte limit)",
            self.size,
            self.size as f64 * 100.0 / MAX_WASM_SIZE as f64,
            MAX_WASM_SIZE
        )?;
        writeln!(f, "  sha256        {}", self.sha256)?;
        writeln!(f, "  capabilities  {}", list(&self.required_capabilities))?;
        writeln!(f, "  entry points  {}", list(&self.entry_points))?;
        let ms = self.elapsed.as_secs_f64() * 1000.0;
        if self.passed() {
            write!(f, "  result        PASS ({ms:.0} ms)")
        } else {
            write!(f, "  result        FAIL ({ms:.0} ms)")?;
            for failure in &self.failures {
                write!(f, "\n    - {failure}")?;
            }
            Ok(())
        }
    }
}

/// Runs the chain's checks with a fixed capability set. Holds a cosmwasm-vm [`Cache`] in a
/// private temporary directory, removed on drop; reuse one `Checker` for many artifacts.
pub struct Checker {
    cache: Cache<MockApi, MockStorage, MockQuerier>,
    capabilities: BTreeSet<String>,
    // Declared after `cache` so the directory outlives it during drop.
    _dir: tempfile::TempDir,
}

impl Checker {
    /// A checker with Akash's capabilities ([`AKASH_CAPABILITIES`]).
    pub fn akash() -> anyhow::Result<Self> {
        Self::with_capabilities(AKASH_CAPABILITIES.iter().copied())
    }

    /// A checker that offers exactly `capabilities` to contracts.
    pub fn with_capabilities<I, S>(capabilities: I) -> anyhow::Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let capabilities: BTreeSet<String> = capabilities.into_iter().map(Into::into).collect();
        let dir = tempfile::Builder::new()
            .prefix("wasm-check-")
            .tempdir()
            .context("creating a temporary directory for the cosmwasm-vm cache")?;
        let options = CacheOptions::new(
            dir.path(),
            capabilities.iter().cloned().collect::<HashSet<_>>(),
            Size::mebi(64),
            Size::mebi(32),
        );
        // SAFETY: `Cache::new` is unsafe because it trusts compiled modules found on disk. The
        // directory is freshly created, private to this process, and only written by this cache.
        let cache = unsafe { Cache::new(options) }
            .map_err(|e| anyhow::anyhow!("creating the cosmwasm-vm cache: {e}"))?;
        Ok(Self {
            cache,
            capabilities,
            _dir: dir,
        })
    }

    /// The capabilities this checker offers.
    pub fn capabilities(&self) -> &BTreeSet<String> {
        &self.capabilities
    }

    /// Checks one artifact: size limit, cosmwasm-vm static checks and compilation, and the
    /// `instantiate` rule. Never panics on bad input; every problem becomes a [`Failure`].
    pub fn check(&self, name: &str, wasm: &[u8]) -> Report {
        let start = Instant::now();
        let mut failures = Vec::new();

        if wasm.len() > MAX_WASM_SIZE {
            failures.push(Failure::TooLarge {
                size: wasm.len(),
                limit: MAX_WASM_SIZE,
            });
        }

        // Our own read of the exports: available even when the VM refuses to parse further.
        let exports = exported_functions(wasm).unwrap_or_default();
        let mut required_capabilities = required_capabilities(&exports);
        let mut entry_points: BTreeSet<String> = exports
            .iter()
            .filter(|name| is_entry_point(name))
            .cloned()
            .collect();

        // checked = true runs `check_wasm` (what wasmd's store does), then compiles; persisting
        // in our throw-away cache lets `analyze` read the stored code back.
        match self.cache.store_code(wasm, true, true) {
            Ok(checksum) => match self.cache.analyze(&checksum) {
                Ok(analysis) => {
                    required_capabilities = analysis.required_capabilities;
                    entry_points = analysis
                        .entrypoints
                        .iter()
                        .map(|entry| entry.to_string())
                        .collect();
                    if !entry_points.contains(REQUIRED_ENTRY_POINT) {
                        failures.push(Failure::MissingInstantiate);
                    }
                }
                Err(e) => failures.push(Failure::Rejected(e.to_string())),
            },
            Err(e) => failures.push(Failure::Rejected(e.to_string())),
        }

        Report {
            name: name.to_string(),
            size: wasm.len(),
            sha256: sha256_hex(wasm),
            required_capabilities,
            entry_points,
            failures,
            elapsed: start.elapsed(),
        }
    }
}

/// Checks one artifact with Akash's capabilities. Convenience for a single file; use a
/// [`Checker`] to check many. Errors only if the VM cache cannot be set up.
pub fn check_artifact(name: &str, wasm: &[u8]) -> anyhow::Result<Report> {
    Ok(Checker::akash()?.check(name, wasm))
}

/// Lower-case hex SHA-256 of `bytes` (the `sha256sum` format).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Capabilities declared by `requires_<capability>` function exports.
pub fn required_capabilities(exports: &BTreeSet<String>) -> BTreeSet<String> {
    exports
        .iter()
        .filter_map(|name| name.strip_prefix(REQUIRES_PREFIX))
        .filter(|cap| !cap.is_empty())
        .map(str::to_string)
        .collect()
}

fn is_entry_point(name: &str) -> bool {
    matches!(
        name,
        "instantiate" | "execute" | "migrate" | "sudo" | "reply" | "query"
    ) || name.starts_with("ibc_")
        || name.starts_with("ibc2_")
}

/// Names of the functions a wasm module exports, read from its export section without
/// validating the rest of the module. `None` if the bytes are not a readable wasm module.
pub fn exported_functions(wasm: &[u8]) -> Option<BTreeSet<String>> {
    const MAGIC_AND_VERSION: [u8; 8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    const EXPORT_SECTION: u8 = 7;
    const FUNC_EXPORT: u8 = 0;

    let mut reader = Reader {
        bytes: wasm,
        pos: 0,
    };
    if reader.take(8)? != MAGIC_AND_VERSION {
        return None;
    }
    let mut names = BTreeSet::new();
    while !reader.is_empty() {
        let id = reader.byte()?;
        let len = usize::try_from(reader.leb_u32()?).ok()?;
        let body = reader.take(len)?;
        if id != EXPORT_SECTION {
            continue;
        }
        let mut section = Reader {
            bytes: body,
            pos: 0,
        };
        let count = section.leb_u32()?;
        for _ in 0..count {
            let name_len = usize::try_from(section.leb_u32()?).ok()?;
            let name = std::str::from_utf8(section.take(name_len)?).ok()?;
            let kind = section.byte()?;
            section.leb_u32()?; // index
            if kind == FUNC_EXPORT {
                names.insert(name.to_string());
            }
        }
    }
    Some(names)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn is_empty(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let slice = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(slice)
    }

    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    /// Unsigned LEB128, at most 5 bytes (wasm's `u32`).
    fn leb_u32(&mut self) -> Option<u32> {
        let mut value: u32 = 0;
        for i in 0..5 {
            let b = self.byte()?;
            let bits = u32::from(b & 0x7f);
            if i == 4 && bits > 0x0f {
                return None;
            }
            value |= bits << (7 * i);
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }
}

/// One line of a `sha256sum`-format checksum file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecksumEntry {
    /// Lower-case hex SHA-256.
    pub sha256: String,
    /// File name as written in the file (relative to the checksum file's directory).
    pub file: String,
}

/// Parses `sha256sum` output (`<64 hex>  <file>` or `<64 hex> *<file>`), ignoring blank lines
/// and `#` comments.
pub fn parse_checksums(text: &str) -> anyhow::Result<Vec<ChecksumEntry>> {
    let mut entries = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (hash, rest) = line
            .split_once(' ')
            .with_context(|| format!("line {}: expected `<sha256>  <file>`", i + 1))?;
        let file = rest
            .strip_prefix(' ')
            .or_else(|| rest.strip_prefix('*'))
            .with_context(|| format!("line {}: expected two spaces after the checksum", i + 1))?;
        anyhow::ensure!(
            hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
            "line {}: `{hash}` is not a sha256 hex digest",
            i + 1
        );
        anyhow::ensure!(!file.is_empty(), "line {}: missing file name", i + 1);
        entries.push(ChecksumEntry {
            sha256: hash.to_ascii_lowercase(),
            file: file.to_string(),
        });
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The smallest module with the shape cosmwasm-vm expects of a contract, plus `extra` items.
    fn contract_wat(extra: &str) -> Vec<u8> {
        let text = format!(
            r#"(module
                 (memory (export "memory") 1)
                 (func (export "interface_version_8"))
                 (func (export "allocate") (param i32) (result i32) i32.const 0)
                 (func (export "deallocate") (param i32))
                 (func (export "instantiate") (param i32 i32 i32) (result i32) i32.const 0)
                 {extra}
               )"#
        );
        wat::parse_str(text).expect("test module must assemble")
    }

    /// Appends a custom section so the module grows to exactly `target` bytes.
    fn pad_to(mut wasm: Vec<u8>, target: usize) -> Vec<u8> {
        let name = b"pad";
        // id (1) + size LEB (fixed 5 bytes) + name length (1) + name.
        let overhead = 1 + 5 + 1 + name.len();
        let payload = target - wasm.len() - overhead;
        let size = (1 + name.len() + payload) as u32;
        wasm.push(0);
        for i in 0..5 {
            let mut b = ((size >> (7 * i)) & 0x7f) as u8;
            if i < 4 {
                b |= 0x80;
            }
            wasm.push(b);
        }
        wasm.push(name.len() as u8);
        wasm.extend_from_slice(name);
        wasm.resize(target, 0);
        wasm
    }

    fn checker() -> Checker {
        Checker::akash().expect("cache in a temp dir")
    }

    #[test]
    fn minimal_contract_passes_with_analysis() {
        let wasm = contract_wat("");
        let report = checker().check("minimal.wasm", &wasm);
        assert!(report.passed(), "{report}");
        assert_eq!(report.size, wasm.len());
        assert_eq!(report.sha256, sha256_hex(&wasm));
        assert_eq!(report.sha256.len(), 64);
        assert!(report.required_capabilities.is_empty());
        assert_eq!(
            report.entry_points,
            BTreeSet::from(["instantiate".to_string()])
        );
        assert!(report.to_string().contains("PASS"));
    }

    #[test]
    fn bulk_memory_is_rejected() {
        let wasm = contract_wat(
            r#"(func (export "execute") (param i32 i32 i32) (result i32)
                 (memory.copy (i32.const 0) (i32.const 16) (i32.const 8))
                 i32.const 0)"#,
        );
        let report = checker().check("bulk.wasm", &wasm);
        assert!(!report.passed());
        assert_eq!(report.failures.len(), 1, "{report}");
        let reason = report.failures[0].to_string();
        assert!(
            matches!(&report.failures[0], Failure::Rejected(msg) if msg.contains("bulk memory support is not enabled")),
            "{reason}"
        );
        assert!(
            reason.contains("llvm-memory-copy-fill-lowering"),
            "{reason}"
        );
        // The export scan still reports what the module would expose.
        assert!(report.entry_points.contains("execute"));
        assert!(report.to_string().contains("FAIL"));
    }

    #[test]
    fn capability_outside_akash_set_is_rejected() {
        let wasm = contract_wat(
            r#"(func (export "requires_iterator"))
               (func (export "requires_cosmwasm_3_0"))"#,
        );
        let report = checker().check("v3.wasm", &wasm);
        assert_eq!(
            report.required_capabilities,
            BTreeSet::from(["cosmwasm_3_0".to_string(), "iterator".to_string()])
        );
        assert_eq!(report.failures.len(), 1, "{report}");
        match &report.failures[0] {
            Failure::Rejected(msg) => {
                assert!(msg.contains("unavailable capabilities"), "{msg}");
                assert!(msg.contains("cosmwasm_3_0"), "{msg}");
                assert!(!msg.contains("iterator"), "{msg}");
            }
            other => panic!("unexpected failure: {other}"),
        }
    }

    #[test]
    fn capabilities_inside_akash_set_pass_and_are_reported() {
        let wasm = contract_wat(
            r#"(func (export "requires_cosmwasm_2_2"))
               (func (export "requires_akash"))"#,
        );
        let report = checker().check("caps.wasm", &wasm);
        assert!(report.passed(), "{report}");
        assert_eq!(
            report.required_capabilities,
            BTreeSet::from(["akash".to_string(), "cosmwasm_2_2".to_string()])
        );
        // A smaller capability set rejects the same module.
        let strict = Checker::with_capabilities(["iterator"]).unwrap();
        assert!(!strict.check("caps.wasm", &wasm).passed());
    }

    #[test]
    fn oversize_artifact_fails_the_size_check_only() {
        let at_limit = pad_to(contract_wat(""), MAX_WASM_SIZE);
        assert_eq!(at_limit.len(), MAX_WASM_SIZE);
        let checker = checker();
        let report = checker.check("at-limit.wasm", &at_limit);
        assert!(report.passed(), "{report}");

        let over = pad_to(contract_wat(""), MAX_WASM_SIZE + 1);
        let report = checker.check("over.wasm", &over);
        assert_eq!(
            report.failures,
            vec![Failure::TooLarge {
                size: MAX_WASM_SIZE + 1,
                limit: MAX_WASM_SIZE
            }]
        );
        assert!(report.failures[0]
            .to_string()
            .contains("exceeds wasmd MaxWasmSize of 819200 bytes by 1 bytes"));
    }

    #[test]
    fn library_build_without_instantiate_fails() {
        let wasm = wat::parse_str(
            r#"(module
                 (memory (export "memory") 1)
                 (func (export "interface_version_8"))
                 (func (export "allocate") (param i32) (result i32) i32.const 0)
                 (func (export "deallocate") (param i32)))"#,
        )
        .unwrap();
        let report = checker().check("lib.wasm", &wasm);
        assert_eq!(report.failures, vec![Failure::MissingInstantiate]);
    }

    #[test]
    fn missing_interface_marker_and_garbage_are_rejected() {
        let no_marker = wat::parse_str(
            r#"(module (memory 1)
                 (func (export "allocate") (param i32) (result i32) i32.const 0)
                 (func (export "deallocate") (param i32))
                 (func (export "instantiate") (param i32 i32 i32) (result i32) i32.const 0))"#,
        )
        .unwrap();
        let checker = checker();
        let report = checker.check("no-marker.wasm", &no_marker);
        assert!(matches!(&report.failures[..],
            [Failure::Rejected(msg)] if msg.contains("interface_version_")));

        let report = checker.check("garbage.wasm", b"not wasm at all");
        assert!(matches!(&report.failures[..],
            [Failure::Rejected(msg)] if msg.contains("could not be deserialized")));
        assert!(report.entry_points.is_empty());
    }

    #[test]
    fn export_scan_reads_function_exports_only() {
        let wasm = contract_wat(r#"(global (export "requires_global") i32 (i32.const 1))"#);
        let exports = exported_functions(&wasm).unwrap();
        assert!(exports.contains("instantiate"));
        assert!(exports.contains("interface_version_8"));
        assert!(!exports.contains("memory"));
        assert!(!exports.contains("requires_global"));
        assert_eq!(
            exported_functions(b"\0asm\x01\0\0\0"),
            Some(BTreeSet::new())
        );
        assert_eq!(exported_functions(b"\0asm"), None);
        // Truncated section body.
        assert_eq!(exported_functions(&wasm[..wasm.len() - 3]), None);
    }

    #[test]
    fn checksum_file_parsing() {
        let a = "a".repeat(64);
        let b = "B".repeat(64);
        let text = format!("# comment\n{a}  escrow.wasm\n\n{b} *oracle.wasm\n");
        let entries = parse_checksums(&text).unwrap();
        assert_eq!(
            entries,
            vec![
                ChecksumEntry {
                    sha256: a.clone(),
                    file: "escrow.wasm".into()
                },
                ChecksumEntry {
                    sha256: "b".repeat(64),
                    file: "oracle.wasm".into()
                },
            ]
        );
        assert!(parse_checksums("abc  x.wasm").is_err());
        assert!(parse_checksums(&format!("{a}x.wasm")).is_err());
    }
}
