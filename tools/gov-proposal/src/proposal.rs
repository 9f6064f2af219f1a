//! The gov v1 proposal file and the three proposals this crate writes.
//!
//! The envelope is the one Cosmos SDK 0.53's `tx gov submit-proposal` parses (`x/gov/client/cli/
//! util.go`, struct `proposal`): `messages` (proto-JSON `Any`s), `metadata`, `deposit` (a coin
//! string), `title`, `summary`, `expedited`.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{bail, Context as _};
use serde::{Deserialize, Serialize};

use crate::artifacts::{self, Artifact};
use crate::msgs::{
    AccessConfig, MsgInstantiateContract2, MsgMigrateContract, MsgStoreCode, WasmMsg,
};
use crate::suite::{self, CodeRef, Instantiation, Migration};

/// Default deposit: 1000 AKT (check `akash q gov params` for the chain's `min_deposit`).
pub const DEFAULT_DEPOSIT: &str = "1000000000uakt";
/// CometBFT's default mempool `max_tx_bytes` (1 MiB): nodes with default config refuse larger
/// transactions, so a store proposal above it could not even be broadcast.
pub const DEFAULT_MAX_TX_BYTES: usize = 1024 * 1024;
/// Room left in a transaction for everything but the code: envelope, texts, signature, fee.
pub const TX_OVERHEAD_BYTES: usize = 16 * 1024;
/// gov's default `MaxMetadataLen`.
pub const MAX_METADATA_LEN: usize = 255;
/// Title limit: kept within gov's default metadata limit, a conservative bound for explorers too.
pub const MAX_TITLE_LEN: usize = 255;
/// gov's summary limit in SDK 0.50-0.53: 40 x `MaxMetadataLen` (keeper `assertSummaryLength`).
pub const MAX_SUMMARY_LEN: usize = 10_200;

/// A gov v1 proposal file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    /// The messages gov executes, in order, if the proposal passes.
    pub messages: Vec<WasmMsg>,
    /// Free-form metadata (often an IPFS link), at most 255 bytes.
    pub metadata: String,
    /// Initial deposit, a coin list such as `1000000000uakt`.
    pub deposit: String,
    /// Title.
    pub title: String,
    /// Summary (markdown), with the checksums and addresses voters verify.
    pub summary: String,
    /// Whether to use the expedited voting period.
    pub expedited: bool,
}

/// Texts and deposit of a proposal; `None` title or summary intro take this crate's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalText {
    /// Title; a default naming the contracts when `None`.
    pub title: Option<String>,
    /// Opening paragraph of the summary; the generated details always follow it.
    pub summary: Option<String>,
    /// Metadata.
    pub metadata: String,
    /// Deposit coin string.
    pub deposit: String,
    /// Expedited proposal.
    pub expedited: bool,
}

impl Default for ProposalText {
    fn default() -> Self {
        ProposalText {
            title: None,
            summary: None,
            metadata: String::new(),
            deposit: DEFAULT_DEPOSIT.to_string(),
            expedited: false,
        }
    }
}

/// How the store proposal encodes code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreOptions {
    /// gzip `wasm_byte_code` (wasmd inflates it; the code hash stays the raw wasm's sha256).
    pub gzip: bool,
    /// Refuse when the code would make the transaction larger than this.
    pub max_tx_bytes: usize,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            gzip: true,
            max_tx_bytes: DEFAULT_MAX_TX_BYTES,
        }
    }
}

impl Proposal {
    /// Checks what the CLI and gov would refuse: no messages, empty or overlong texts, a
    /// malformed deposit.
    pub fn validate(&self) -> anyhow::Result<()> {
        if self.messages.is_empty() {
            bail!("a proposal needs at least one message");
        }
        if self.title.trim().is_empty() || self.title.len() > MAX_TITLE_LEN {
            bail!("title must be 1 to {MAX_TITLE_LEN} bytes");
        }
        if self.summary.trim().is_empty() || self.summary.len() > MAX_SUMMARY_LEN {
            bail!("summary must be 1 to {MAX_SUMMARY_LEN} bytes");
        }
        if self.metadata.len() > MAX_METADATA_LEN {
            bail!("metadata must be at most {MAX_METADATA_LEN} bytes");
        }
        validate_deposit(&self.deposit)
    }

    /// The proposal as pretty JSON, as written to disk.
    pub fn to_json(&self) -> anyhow::Result<String> {
        Ok(serde_json::to_string_pretty(self)? + "\n")
    }

    /// Validates and writes the proposal to `path`, creating parent directories.
    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        self.validate()?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        std::fs::write(path, self.to_json()?).with_context(|| format!("writing {}", path.display()))
    }

    /// Reads a proposal file.
    pub fn read(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    }
}

/// Checks a deposit coin list (`<amount><denom>[,...]`, or empty for none).
pub fn validate_deposit(deposit: &str) -> anyhow::Result<()> {
    if deposit.is_empty() {
        return Ok(());
    }
    for coin in deposit.split(',') {
        let split = coin
            .find(|c: char| !c.is_ascii_digit())
            .filter(|&i| i > 0)
            .with_context(|| format!("deposit `{deposit}`: `{coin}` is not <amount><denom>"))?;
        let (amount, denom) = coin.split_at(split);
        amount
            .parse::<u128>()
            .with_context(|| format!("deposit `{deposit}`: bad amount `{amount}`"))?;
        suite::validate_denom(denom).with_context(|| format!("deposit `{deposit}`"))?;
    }
    Ok(())
}

fn build(
    messages: Vec<WasmMsg>,
    title: String,
    summary: String,
    text: &ProposalText,
) -> anyhow::Result<Proposal> {
    let proposal = Proposal {
        messages,
        metadata: text.metadata.clone(),
        deposit: text.deposit.clone(),
        title: text.title.clone().unwrap_or(title),
        summary,
        expedited: text.expedited,
    };
    proposal.validate()?;
    Ok(proposal)
}

fn summary(intro: &Option<String>, default_intro: &str, details: &str) -> String {
    format!(
        "{}\n\n{details}",
        intro.as_deref().unwrap_or(default_intro).trim_end()
    )
}

fn names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}

/// One `MsgStoreCode` per artifact, instantiation restricted to `authority`.
///
/// Refuses an artifact that is oversize, not wasm, or whose checksum field does not match its
/// bytes, and a proposal whose code would not fit in `opts.max_tx_bytes`.
pub fn store_code_proposal(
    artifacts: &[Artifact],
    authority: &str,
    opts: &StoreOptions,
    text: &ProposalText,
) -> anyhow::Result<Proposal> {
    if artifacts.is_empty() {
        bail!("no artifacts to store");
    }
    let mut messages = Vec::with_capacity(artifacts.len());
    let mut details = String::from(
        "Code (sha256 of the uncompressed wasm: the code hash the chain reports after upload):\n\n",
    );
    let mut code_bytes = 0usize;
    for (i, a) in artifacts.iter().enumerate() {
        if artifacts[..i].iter().any(|b| b.name == a.name) {
            bail!("artifact `{}` is given twice", a.name);
        }
        artifacts::check_uploadable(&a.name, &a.wasm)?;
        if artifacts::sha256(&a.wasm) != a.checksum {
            bail!(
                "artifact `{}`: checksum field does not match its bytes",
                a.name
            );
        }
        let bytes = artifacts::encode_wasm_byte_code(&a.wasm, opts.gzip)?;
        // Guards the compressor: what the chain inflates must be exactly what was verified.
        if artifacts::decode_wasm_byte_code(&bytes)? != a.wasm {
            bail!("artifact `{}`: wasm_byte_code does not round-trip", a.name);
        }
        code_bytes += bytes.len();
        let _ = writeln!(
            details,
            "- `{}.wasm` {} bytes, sha256 `{}`",
            a.name,
            a.wasm.len(),
            a.checksum_hex()
        );
        messages.push(WasmMsg::StoreCode(MsgStoreCode {
            sender: authority.to_string(),
            wasm_byte_code: bytes,
            instantiate_permission: Some(AccessConfig::any_of(vec![authority.to_string()])),
        }));
    }
    let estimate = code_bytes + TX_OVERHEAD_BYTES;
    if estimate > opts.max_tx_bytes {
        bail!(
            "the code alone is {code_bytes} bytes{}, so the transaction would be about {estimate} \
             bytes, above the {} byte limit (CometBFT's default mempool max_tx_bytes); {}store \
             fewer contracts per proposal, or raise the limit if the chain's nodes accept more",
            if opts.gzip { " gzipped" } else { "" },
            opts.max_tx_bytes,
            if opts.gzip { "" } else { "enable gzip, " }
        );
    }
    let _ = write!(
        details,
        "\nInstantiation is restricted to the gov module ({authority}); code ids are assigned in \
         the order above. To verify, build the tagged commit with `scripts/build-wasm.sh` and \
         compare with `artifacts/checksums.txt`; after execution `akash q wasm code-info <id>` \
         shows the same hashes."
    );
    let list = names(artifacts.iter().map(|a| a.name.as_str()));
    build(
        messages,
        format!("Store Supercloud contracts: {list}"),
        summary(
            &text.summary,
            "Uploads the Supercloud contracts (reproducible builds, instantiation by governance only).",
            &details,
        ),
        text,
    )
}

/// One `MsgInstantiateContract2` per planned contract (`fix_msg` false, no funds), sent by
/// `authority`; `codes` supply the checksums listed in the summary.
pub fn instantiate_proposal(
    plan: &[Instantiation],
    codes: &[CodeRef],
    authority: &str,
    text: &ProposalText,
) -> anyhow::Result<Proposal> {
    if plan.is_empty() {
        bail!("nothing to instantiate");
    }
    let mut details = String::from(
        "Contracts, in execution order (addresses are instantiate2-predicted from the code hash, \
         the gov module and the salt):\n\n",
    );
    let mut messages = Vec::with_capacity(plan.len());
    for i in plan {
        let code = codes
            .iter()
            .find(|c| c.name == i.name && c.code_id == i.code_id)
            .with_context(|| format!("no code {} for `{}`", i.code_id, i.name))?;
        let _ = writeln!(
            details,
            "- {}: code {} (sha256 `{}`) at `{}`",
            i.name,
            i.code_id,
            hex::encode(code.checksum),
            i.address
        );
        messages.push(WasmMsg::InstantiateContract2(MsgInstantiateContract2 {
            sender: authority.to_string(),
            admin: i.admin.clone(),
            code_id: i.code_id,
            label: i.label.clone(),
            msg: i.msg.clone(),
            funds: Vec::new(),
            salt: i.salt.clone(),
            // The address must not depend on the msg: the msgs name each other's addresses.
            fix_msg: false,
        }));
    }
    let _ = write!(
        details,
        "\nBefore voting, check with `akash q wasm code-info <id>` that each code id has the \
         sha256 above; a different code would land at a different address and break the wiring."
    );
    let list = names(plan.iter().map(|i| i.name.as_str()));
    build(
        messages,
        format!("Instantiate Supercloud: {list}"),
        summary(
            &text.summary,
            "Instantiates the Supercloud suite wired together, with the gov module as admin and \
             authority of every contract.",
            &details,
        ),
        text,
    )
}

/// One `MsgMigrateContract` per migration, sent by `authority` (the contracts' admin), with each
/// contract's own MigrateMsg; `checksums` (name, expected code hash) go into the summary.
pub fn migrate_proposal(
    migrations: &[Migration],
    checksums: &[(String, [u8; 32])],
    authority: &str,
    text: &ProposalText,
) -> anyhow::Result<Proposal> {
    if migrations.is_empty() {
        bail!("nothing to migrate");
    }
    let mut details = String::from("Migrations:\n\n");
    let mut messages = Vec::with_capacity(migrations.len());
    for (i, m) in migrations.iter().enumerate() {
        if migrations[..i].iter().any(|o| o.contract == m.contract) {
            bail!("contract {} is migrated twice", m.contract);
        }
        let hash = checksums.iter().find(|(n, _)| *n == m.name).map_or_else(
            || "not given".to_string(),
            |(_, c)| format!("`{}`", hex::encode(c)),
        );
        let _ = writeln!(
            details,
            "- {} `{}` to code {} (sha256 {hash})",
            m.name, m.contract, m.code_id
        );
        messages.push(WasmMsg::MigrateContract(MsgMigrateContract {
            sender: authority.to_string(),
            contract: m.contract.clone(),
            code_id: m.code_id,
            msg: suite::migrate_msg(&m.name)?,
        }));
    }
    let _ = write!(
        details,
        "\nEach contract refuses a migration to an older version or to the version it runs."
    );
    let list = names(migrations.iter().map(|m| m.name.as_str()));
    build(
        messages,
        format!("Migrate Supercloud contracts: {list}"),
        summary(
            &text.summary,
            "Migrates the Supercloud contracts to newly stored code.",
            &details,
        ),
        text,
    )
}
