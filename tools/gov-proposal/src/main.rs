//! `gov-proposal`: writes governance proposal JSON for the Supercloud contracts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use clap::{Args, Parser, Subcommand};

use gov_proposal::address;
use gov_proposal::artifacts::{self, Expected};
use gov_proposal::proposal::{self, Proposal, ProposalText, StoreOptions};
use gov_proposal::suite::{self, CodeRef, Deployment, Migration, PythFeed, SuiteConfig};

/// Writes gov v1 proposal files (`akash tx gov submit-proposal FILE`) for the Supercloud contracts.
#[derive(Parser)]
#[command(version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// One MsgStoreCode per artifact in artifacts/checksums.txt (verified first).
    StoreCode(StoreCode),
    /// One MsgInstantiateContract2 per contract, wired together at predicted addresses.
    Instantiate(Instantiate),
    /// One MsgMigrateContract per contract of a deployment.
    Migrate(Migrate),
}

/// Flags every subcommand has.
#[derive(Args)]
struct Common {
    /// Directory with the wasm and the checksum lists.
    #[arg(long, default_value = "artifacts")]
    artifacts: PathBuf,
    /// Also use the test-only contracts (artifacts/checksums-test.txt: mock_pyth). Devnets only.
    #[arg(long)]
    with_test_contracts: bool,
    /// Bech32 prefix of the chain.
    #[arg(long, default_value = "akash")]
    chain_prefix: String,
    /// Sender and authority of every message [default: the gov module account of the prefix].
    #[arg(long)]
    authority: Option<String>,
    /// Initial deposit.
    #[arg(long, default_value = proposal::DEFAULT_DEPOSIT)]
    deposit: String,
    /// Proposal title [default: names the contracts].
    #[arg(long)]
    title: Option<String>,
    /// Opening paragraph of the summary; checksums and addresses are always appended.
    #[arg(long)]
    summary: Option<String>,
    /// Proposal metadata (at most 255 bytes, e.g. an ipfs:// link).
    #[arg(long, default_value = "")]
    metadata: String,
    /// Submit as an expedited proposal.
    #[arg(long)]
    expedited: bool,
}

#[derive(Args)]
struct StoreCode {
    #[command(flatten)]
    common: Common,
    /// Output file.
    #[arg(long, default_value = "artifacts/proposals/store-code.json")]
    out: PathBuf,
    /// Put the raw wasm in wasm_byte_code instead of gzip (the tx gets about 3x larger).
    #[arg(long)]
    no_gzip: bool,
    /// Largest transaction the chain's nodes accept (CometBFT default mempool max_tx_bytes).
    #[arg(long, default_value_t = proposal::DEFAULT_MAX_TX_BYTES)]
    max_tx_bytes: usize,
}

/// Code ids, given one by one or as the first id of the store proposal.
#[derive(Args)]
struct CodeIds {
    /// Code id of a contract, NAME=ID (repeatable), e.g. --code-id escrow=12.
    #[arg(long = "code-id", value_name = "NAME=ID")]
    code_id: Vec<String>,
    /// Code id the store proposal's first artifact got; the others follow in checksum-list
    /// order (wasmd numbers codes consecutively as the proposal's messages execute).
    #[arg(long, value_name = "ID", conflicts_with = "code_id")]
    first_code_id: Option<u64>,
}

#[derive(Args)]
struct Instantiate {
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    codes: CodeIds,
    /// Output file.
    #[arg(long, default_value = "artifacts/proposals/instantiate.json")]
    out: PathBuf,
    /// Where to write the deployment record [default: deployment.json next to --out].
    #[arg(long)]
    deployment_out: Option<PathBuf>,
    /// Native denom.
    #[arg(long, default_value = "uakt")]
    denom: String,
    /// Relayer address: the oracle's pusher source (and mock-pyth's publisher).
    #[arg(long)]
    relayer: String,
    /// Treasury address: slash recipient and pip default return address.
    #[arg(long)]
    treasury: String,
    /// Pyth contract the oracle pulls from.
    #[arg(long, requires = "pyth_feed_id")]
    pyth_contract: Option<String>,
    /// Pyth feed id for AKT/USD (64 hex digits).
    #[arg(long, requires = "pyth_contract")]
    pyth_feed_id: Option<String>,
    /// Deployment tag; salts are "<TAG>/<contract>" (at most 64 bytes).
    #[arg(long, default_value = "supercloud-v1")]
    salt_tag: String,
}

#[derive(Args)]
struct Migrate {
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    codes: CodeIds,
    /// Output file.
    #[arg(long, default_value = "artifacts/proposals/migrate.json")]
    out: PathBuf,
    /// Deployment record (written by `instantiate`) with the contract addresses.
    #[arg(long)]
    deployment: Option<PathBuf>,
    /// Contract address, NAME=ADDRESS (repeatable); overrides the deployment record.
    #[arg(long = "contract", value_name = "NAME=ADDRESS")]
    contract: Vec<String>,
}

fn main() {
    if let Err(e) = run(Cli::parse()) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::StoreCode(c) => store_code(c),
        Command::Instantiate(c) => instantiate(c),
        Command::Migrate(c) => migrate(c),
    }
}

impl Common {
    fn authority(&self) -> anyhow::Result<String> {
        let gov = address::gov_address(&self.chain_prefix)?;
        let Some(given) = &self.authority else {
            return Ok(gov);
        };
        address::validate(given, &self.chain_prefix).context("--authority")?;
        if *given != gov {
            // Devnets may use another account; a real chain refuses messages not signed by gov.
            eprintln!(
                "note: --authority {given} is not the gov module account of `{}` ({gov}); a chain \
                 rejects proposal messages whose signer is not gov",
                self.chain_prefix
            );
        }
        Ok(given.clone())
    }

    fn text(&self) -> ProposalText {
        ProposalText {
            title: self.title.clone(),
            summary: self.summary.clone(),
            metadata: self.metadata.clone(),
            deposit: self.deposit.clone(),
            expedited: self.expedited,
        }
    }

    fn checksum_lists(&self) -> anyhow::Result<Vec<Expected>> {
        artifacts::checksum_lists(&self.artifacts, self.with_test_contracts)
    }
}

fn parse_pair(text: &str, what: &str) -> anyhow::Result<(String, String)> {
    let (name, value) = text
        .split_once('=')
        .with_context(|| format!("{what} `{text}`: expected NAME=VALUE"))?;
    if name.is_empty() || value.is_empty() {
        bail!("{what} `{text}`: expected NAME=VALUE");
    }
    Ok((name.to_string(), value.to_string()))
}

impl CodeIds {
    /// Code ids by name, for the artifacts of `lists` (in list order).
    fn resolve(&self, lists: &[Expected]) -> anyhow::Result<BTreeMap<String, u64>> {
        let mut ids = BTreeMap::new();
        if let Some(first) = self.first_code_id {
            for (i, e) in lists.iter().enumerate() {
                let id = u64::try_from(i)
                    .ok()
                    .and_then(|i| first.checked_add(i))
                    .context("code id overflow")?;
                ids.insert(e.name.clone(), id);
            }
            return Ok(ids);
        }
        if self.code_id.is_empty() {
            bail!("give the code ids: --first-code-id N, or --code-id NAME=ID for each contract");
        }
        for text in &self.code_id {
            let (name, id) = parse_pair(text, "--code-id")?;
            let id: u64 = id
                .parse()
                .with_context(|| format!("--code-id {text}: `{id}` is not a code id"))?;
            if id == 0 {
                bail!("--code-id {text}: code ids start at 1");
            }
            if !lists.iter().any(|e| e.name == name) {
                bail!(
                    "--code-id {text}: `{name}` is not in the checksum lists{}",
                    if name == suite::MOCK_PYTH {
                        " (add --with-test-contracts)"
                    } else {
                        ""
                    }
                );
            }
            if ids.insert(name.clone(), id).is_some() {
                bail!("--code-id given twice for `{name}`");
            }
        }
        Ok(ids)
    }
}

fn report(path: &Path, proposal: &Proposal) {
    println!(
        "wrote {} ({} messages, {} bytes): {}",
        path.display(),
        proposal.messages.len(),
        proposal.to_json().map(|j| j.len()).unwrap_or(0),
        proposal.title
    );
}

fn store_code(c: StoreCode) -> anyhow::Result<()> {
    let authority = c.common.authority()?;
    let loaded = artifacts::load_artifacts(&c.common.artifacts, c.common.with_test_contracts)?;
    let opts = StoreOptions {
        gzip: !c.no_gzip,
        max_tx_bytes: c.max_tx_bytes,
    };
    let proposal = proposal::store_code_proposal(&loaded, &authority, &opts, &c.common.text())?;
    proposal.write(&c.out)?;
    report(&c.out, &proposal);
    for a in &loaded {
        println!(
            "  {:<14} {:>7} bytes  sha256 {}",
            a.name,
            a.wasm.len(),
            a.checksum_hex()
        );
    }
    Ok(())
}

fn instantiate(c: Instantiate) -> anyhow::Result<()> {
    let authority = c.common.authority()?;
    let lists = c.common.checksum_lists()?;
    let ids = c.codes.resolve(&lists)?;
    let codes: Vec<CodeRef> = lists
        .iter()
        .filter_map(|e| {
            ids.get(&e.name).map(|&code_id| CodeRef {
                name: e.name.clone(),
                code_id,
                checksum: e.checksum,
            })
        })
        .collect();
    let cfg = SuiteConfig {
        chain_prefix: c.common.chain_prefix.clone(),
        authority: authority.clone(),
        native_denom: c.denom,
        relayer: c.relayer,
        treasury: c.treasury,
        pyth: c
            .pyth_contract
            .zip(c.pyth_feed_id)
            .map(|(contract, feed_id)| PythFeed { contract, feed_id }),
        salt_tag: c.salt_tag,
    };
    let plan = suite::plan_suite(&cfg, &codes)?;
    let proposal = proposal::instantiate_proposal(&plan, &codes, &authority, &c.common.text())?;
    let deployment = Deployment::from_plan(&cfg, &codes, &plan)?;
    proposal.write(&c.out)?;
    let record = c
        .deployment_out
        .unwrap_or_else(|| c.out.with_file_name("deployment.json"));
    deployment.write(&record)?;
    report(&c.out, &proposal);
    for i in &plan {
        println!("  {:<14} code {:>4}  {}", i.name, i.code_id, i.address);
    }
    println!(
        "wrote {} (the addresses above, for operators and migrate)",
        record.display()
    );
    Ok(())
}

fn migrate(c: Migrate) -> anyhow::Result<()> {
    let authority = c.common.authority()?;
    let lists = c.common.checksum_lists()?;
    let ids = c.codes.resolve(&lists)?;
    let deployment = c.deployment.as_deref().map(Deployment::read).transpose()?;
    let mut addresses: BTreeMap<String, String> = deployment
        .iter()
        .flat_map(|d| &d.contracts)
        .map(|k| (k.name.clone(), k.address.clone()))
        .collect();
    for text in &c.contract {
        let (name, addr) = parse_pair(text, "--contract")?;
        address::validate(&addr, &c.common.chain_prefix)
            .with_context(|| format!("--contract {text}"))?;
        addresses.insert(name, addr);
    }
    if addresses.is_empty() {
        bail!("give the contracts: --deployment FILE or --contract NAME=ADDRESS");
    }
    let mut migrations = Vec::new();
    let mut checksums = Vec::new();
    // In checksum-list order, the order the codes were stored in.
    for e in &lists {
        let Some(&code_id) = ids.get(&e.name) else {
            continue;
        };
        let contract = addresses.get(&e.name).with_context(|| {
            format!(
                "no address for `{}` (add --contract {}=ADDRESS)",
                e.name, e.name
            )
        })?;
        migrations.push(Migration {
            name: e.name.clone(),
            contract: contract.clone(),
            code_id,
        });
        checksums.push((e.name.clone(), e.checksum));
    }
    let proposal =
        proposal::migrate_proposal(&migrations, &checksums, &authority, &c.common.text())?;
    proposal.write(&c.out)?;
    report(&c.out, &proposal);
    for m in &migrations {
        println!("  {:<14} {} -> code {}", m.name, m.contract, m.code_id);
    }
    Ok(())
}
