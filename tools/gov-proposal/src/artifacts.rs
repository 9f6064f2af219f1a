//! Reading the built wasm artifacts and verifying them before anything is proposed.
//!
//! A store proposal is the one step voters cannot undo cheaply, so every artifact is refused
//! unless its bytes are uploadable (wasm or gzip magic, at most wasmd's `MaxWasmSize`) and its
//! sha256 equals the line in the committed checksum list that `scripts/build-wasm.sh` wrote.

use std::collections::BTreeSet;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use sha2::{Digest, Sha256};

pub use wasm_check::MAX_WASM_SIZE;

/// Checksum list of the governance artifacts, relative to the artifacts directory.
pub const GOVERNANCE_CHECKSUMS: &str = "checksums.txt";
/// Checksum list of the test-only artifacts (mock-pyth), never part of a mainnet proposal.
pub const TEST_CHECKSUMS: &str = "checksums-test.txt";

/// The magic bytes and version of a wasm binary module.
const WASM_MAGIC: [u8; 4] = [0x00, 0x61, 0x73, 0x6d];
/// gzip magic plus the deflate method byte, the prefix wasmd's `IsGzip` looks for.
const GZIP_MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

/// One line of a checksum list: an artifact name and the sha256 it must have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// Artifact name without `.wasm` (`escrow`, `mock_pyth`, ...).
    pub name: String,
    /// File name as listed, relative to the list's directory.
    pub file: String,
    /// The sha256 the file must have.
    pub checksum: [u8; 32],
}

/// A verified artifact: its bytes and their checksum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// Artifact name without `.wasm`.
    pub name: String,
    /// Where it was read from.
    pub path: PathBuf,
    /// The raw (uncompressed) wasm.
    pub wasm: Vec<u8>,
    /// sha256 of `wasm`: the code hash the chain will report for the stored code.
    pub checksum: [u8; 32],
}

impl Artifact {
    /// The checksum as lower-case hex (the `sha256sum` form).
    pub fn checksum_hex(&self) -> String {
        hex::encode(self.checksum)
    }
}

/// sha256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Parses 64 hex digits into a checksum.
pub fn checksum_from_hex(text: &str) -> anyhow::Result<[u8; 32]> {
    let bytes = hex::decode(text).with_context(|| format!("`{text}` is not hex"))?;
    <[u8; 32]>::try_from(bytes.as_slice())
        .map_err(|_| anyhow::anyhow!("`{text}` is not a 32-byte sha256 (64 hex digits)"))
}

/// Parses a `sha256sum`-format checksum list (text form) into expected artifacts.
pub fn parse_checksum_list(text: &str, origin: &str) -> anyhow::Result<Vec<Expected>> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for entry in wasm_check::parse_checksums(text).with_context(|| format!("reading {origin}"))? {
        // Only plain `<name>.wasm` entries: a path would let a list point outside artifacts/.
        let name = entry
            .file
            .strip_suffix(".wasm")
            .filter(|n| !n.is_empty() && !n.contains(['/', '\\']) && n != &"." && n != &"..")
            .with_context(|| {
                format!(
                    "{origin}: `{}` is not a `<name>.wasm` file name",
                    entry.file
                )
            })?
            .to_string();
        if !seen.insert(name.clone()) {
            bail!("{origin}: `{}` is listed twice", entry.file);
        }
        out.push(Expected {
            name,
            file: entry.file,
            checksum: checksum_from_hex(&entry.sha256)?,
        });
    }
    Ok(out)
}

/// Reads a checksum list file.
pub fn read_checksum_list(path: &Path) -> anyhow::Result<Vec<Expected>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read checksum list {}", path.display()))?;
    parse_checksum_list(&text, &path.display().to_string())
}

/// Refuses an artifact wasmd would refuse (larger than [`MAX_WASM_SIZE`]) or that is not a raw
/// wasm module (a gzip artifact's sha256 would not be the code hash the chain reports).
pub fn check_uploadable(name: &str, wasm: &[u8]) -> anyhow::Result<()> {
    if wasm.len() > MAX_WASM_SIZE {
        bail!(
            "{name}: {} bytes exceeds wasmd's MaxWasmSize of {MAX_WASM_SIZE} bytes (800 KiB) by {} \
             bytes; the chain would refuse the upload",
            wasm.len(),
            wasm.len() - MAX_WASM_SIZE
        );
    }
    if !wasm.starts_with(&WASM_MAGIC) {
        bail!("{name}: not a wasm module (no `\\0asm` magic at the start)");
    }
    Ok(())
}

/// Reads `dir/<file>` and verifies size, magic and checksum against `expected`.
pub fn load_artifact(dir: &Path, expected: &Expected) -> anyhow::Result<Artifact> {
    let path = dir.join(&expected.file);
    let wasm = std::fs::read(&path).with_context(|| {
        format!(
            "cannot read {} (build the artifacts with scripts/build-wasm.sh)",
            path.display()
        )
    })?;
    check_uploadable(&expected.file, &wasm)?;
    let checksum = sha256(&wasm);
    if checksum != expected.checksum {
        bail!(
            "checksum mismatch for {}: the file has sha256 {}, the checksum list says {}; \
             refusing to propose bytes nobody can reproduce (rebuild with scripts/build-wasm.sh, \
             or commit the new checksums if the change is intended)",
            path.display(),
            hex::encode(checksum),
            hex::encode(expected.checksum)
        );
    }
    Ok(Artifact {
        name: expected.name.clone(),
        path,
        wasm,
        checksum,
    })
}

/// Checksum lists under `dir`: the governance list, plus the test list when `with_test`.
pub fn checksum_lists(dir: &Path, with_test: bool) -> anyhow::Result<Vec<Expected>> {
    let mut all = read_checksum_list(&dir.join(GOVERNANCE_CHECKSUMS))?;
    if with_test {
        for e in read_checksum_list(&dir.join(TEST_CHECKSUMS))? {
            if all.iter().any(|a| a.name == e.name) {
                bail!("`{}` is listed in both checksum lists", e.file);
            }
            all.push(e);
        }
    }
    Ok(all)
}

/// Loads and verifies every artifact listed in `dir`'s checksum lists, in list order.
pub fn load_artifacts(dir: &Path, with_test: bool) -> anyhow::Result<Vec<Artifact>> {
    checksum_lists(dir, with_test)?
        .iter()
        .map(|e| load_artifact(dir, e))
        .collect()
}

/// The bytes for `wasm_byte_code`: the wasm itself, or gzip of it when `gzip` (wasmd inflates
/// gzip before storing, and the code hash stays the sha256 of the raw wasm).
pub fn encode_wasm_byte_code(wasm: &[u8], gzip: bool) -> anyhow::Result<Vec<u8>> {
    if !gzip {
        return Ok(wasm.to_vec());
    }
    // mtime 0 and no file name (GzBuilder's defaults) keep the output a function of the input.
    let mut encoder = flate2::GzBuilder::new().write(Vec::new(), flate2::Compression::best());
    encoder.write_all(wasm).context("gzip")?;
    encoder.finish().context("gzip")
}

/// The raw wasm from `wasm_byte_code`: inflated when gzip (at most [`MAX_WASM_SIZE`] bytes, as
/// wasmd limits it), else as is.
pub fn decode_wasm_byte_code(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    if !bytes.starts_with(&GZIP_MAGIC) {
        return Ok(bytes.to_vec());
    }
    let mut out = Vec::new();
    let limit = u64::try_from(MAX_WASM_SIZE).unwrap_or(u64::MAX) + 1;
    flate2::read::GzDecoder::new(bytes)
        .take(limit)
        .read_to_end(&mut out)
        .context("inflating gzip wasm_byte_code")?;
    if out.len() > MAX_WASM_SIZE {
        bail!("gzip wasm_byte_code inflates beyond {MAX_WASM_SIZE} bytes");
    }
    Ok(out)
}
