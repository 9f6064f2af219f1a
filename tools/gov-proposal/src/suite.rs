//! The suite's instantiation plan: predicted addresses and the wiring between the contracts.
//!
//! bme must know escrow and reservations (its `send` allow-list) while escrow and reservations
//! must know bme (their ACT ledger), so no instantiation order works with addresses learnt after
//! the fact. `MsgInstantiateContract2` makes the address a function of (code checksum, creator,
//! salt) alone, so the whole suite can be planned, wired and proposed at once. Every message is
//! built from the contracts' own `InstantiateMsg`/`MigrateMsg` types, so a schema change breaks
//! this crate's build instead of a proposal on chain.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{anyhow, bail, Context as _};
use cosmwasm_std::{instantiate2_address, CanonicalAddr};
use serde::{Deserialize, Serialize};

use crate::address;

/// The oracle pair bme and pip read, and that the oracle's sources serve.
pub const ORACLE_PAIR: &str = supercloud_chain::AKT_USD_PAIR;
/// Pyth's AKT/USD price feed id (the one Akash's own `x/oracle` Pyth params use).
pub const AKT_USD_FEED_ID: &str =
    "4ea5bb4d2f5900cc2e97ba534240950740b4d3b89fe712a94a7304fd2fd92702";
/// Oracle source id of the relayer's pusher source.
pub const PUSHER_SOURCE_ID: &str = "relayer";
/// Oracle source id of the Pyth pull source.
pub const PYTH_SOURCE_ID: &str = "pyth";
/// The test-only Pyth stand-in, planned only when its code is given.
pub const MOCK_PYTH: &str = "mock_pyth";
/// The governance contracts, in instantiation (dependency) order.
pub const GOVERNANCE_CONTRACTS: [&str; 5] = ["oracle", "bme", "escrow", "reservations", "pip"];
/// Every artifact of the suite in upload order: the Pyth stand-in, then the governance contracts.
/// The one list the devnet genesis and the test harness deploy from.
pub const CONTRACTS: [&str; GOVERNANCE_CONTRACTS.len() + 1] = {
    let mut all = [MOCK_PYTH; GOVERNANCE_CONTRACTS.len() + 1];
    let mut i = 0;
    while i < GOVERNANCE_CONTRACTS.len() {
        all[i + 1] = GOVERNANCE_CONTRACTS[i];
        i += 1;
    }
    all
};
/// Escrow grace window: 600 blocks, about an hour at Akash's 6 s blocks, for a top-up to reopen.
pub const ESCROW_GRACE_PERIOD_BLOCKS: u64 = 600;
/// Smallest escrow deposit in the native denom and in ACT: Akash v2.0.0's
/// `deployment.params.min_deposits` (0.5 AKT, 0.5 ACT), a backstop against dust deposits.
pub const ESCROW_MIN_DEPOSIT: u128 = 500_000;
/// Bond unbonding delay: 21 days, Akash's staking unbonding time, so a bond never leaves sooner
/// than stake would.
pub const RESERVATIONS_UNBONDING_PERIOD_S: u64 = 21 * 86_400;
/// A provider has a day to confirm a reservation request.
pub const RESERVATIONS_CONFIRM_WINDOW_S: u64 = 86_400;
/// Tenant cancellation fee, 5 %, paid to the provider.
pub const RESERVATIONS_CANCEL_FEE_BPS: u16 = 500;
/// wasmd's `MaxSaltSize`.
pub const MAX_SALT_LEN: usize = 64;

/// Chain facts and wiring choices for one deployment of the suite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuiteConfig {
    /// Bech32 prefix of the chain ("akash").
    pub chain_prefix: String,
    /// Gov module account address (bech32): sender, creator, admin and contract authority.
    pub authority: String,
    /// Native staking denom ("uakt").
    pub native_denom: String,
    /// Pusher source address for the oracle.
    pub relayer: String,
    /// Slash recipient and pip default return address.
    pub treasury: String,
    /// External Pyth contract and AKT/USD feed id.
    pub pyth: Option<PythFeed>,
    /// Salts are `format!("{salt_tag}/{name}")` bytes.
    pub salt_tag: String,
}

/// A Pyth contract and the feed id the oracle pulls from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PythFeed {
    /// The Pyth contract address.
    pub contract: String,
    /// 64 hex digits, `0x` optional.
    pub feed_id: String,
}

/// A stored code: crate name as in artifacts ("escrow", "mock_pyth", ...), code id, sha256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRef {
    /// Artifact name.
    pub name: String,
    /// Code id on chain.
    pub code_id: u64,
    /// sha256 of the stored wasm (the chain's code hash).
    pub checksum: [u8; 32],
}

/// One MsgInstantiateContract2 with its predicted address.
#[derive(Debug, Clone, PartialEq)]
pub struct Instantiation {
    /// Artifact name.
    pub name: String,
    /// Code id to instantiate.
    pub code_id: u64,
    /// Contract label.
    pub label: String,
    /// The contract's InstantiateMsg as JSON.
    pub msg: serde_json::Value,
    /// instantiate2 salt.
    pub salt: Vec<u8>,
    /// Contract admin (the authority).
    pub admin: String,
    /// Predicted contract address.
    pub address: String,
}

impl SuiteConfig {
    /// Checks addresses, denom, feed id and salt tag before anything is planned.
    pub fn validate(&self) -> anyhow::Result<()> {
        let prefix = &self.chain_prefix;
        address::validate(&self.authority, prefix).context("authority")?;
        address::validate(&self.relayer, prefix).context("relayer")?;
        address::validate(&self.treasury, prefix).context("treasury")?;
        validate_denom(&self.native_denom)?;
        if let Some(pyth) = &self.pyth {
            address::validate(&pyth.contract, prefix).context("pyth contract")?;
            normalize_feed_id(&pyth.feed_id)?;
        }
        if self.salt_tag.is_empty() {
            bail!("salt tag must not be empty");
        }
        for name in GOVERNANCE_CONTRACTS.iter().chain([&MOCK_PYTH]) {
            salt(&self.salt_tag, name)?;
        }
        Ok(())
    }
}

/// The salt of contract `name`: `"{salt_tag}/{name}"` as bytes, 1 to 64 bytes as wasmd requires.
pub fn salt(salt_tag: &str, name: &str) -> anyhow::Result<Vec<u8>> {
    let salt = format!("{salt_tag}/{name}").into_bytes();
    if salt.len() > MAX_SALT_LEN {
        bail!(
            "salt `{salt_tag}/{name}` is {} bytes; wasmd allows at most {MAX_SALT_LEN} (shorten the \
             salt tag)",
            salt.len()
        );
    }
    Ok(salt)
}

/// wasmd's instantiate2 address for (checksum, creator bech32, salt), bech32 with `prefix`.
pub fn predict_address(
    prefix: &str,
    checksum: &[u8; 32],
    creator: &str,
    salt: &[u8],
) -> anyhow::Result<String> {
    // `BuildContractAddressPredictable` with fix_msg = false hashes an empty msg, exactly what
    // cosmwasm-std's `instantiate2_address` does; the creator is the address's raw bytes, whatever
    // its prefix.
    let (_, creator_bytes) =
        address::decode(creator).with_context(|| format!("creator `{creator}`"))?;
    let canonical = instantiate2_address(checksum, &CanonicalAddr::from(creator_bytes), salt)
        .map_err(|e| anyhow!("instantiate2 address: {e}"))?;
    address::encode(prefix, canonical.as_slice())
}

/// Normalises a Pyth feed id to 64 lower-case hex digits without `0x`.
pub fn normalize_feed_id(feed_id: &str) -> anyhow::Result<String> {
    let hex = feed_id
        .strip_prefix("0x")
        .or_else(|| feed_id.strip_prefix("0X"))
        .unwrap_or(feed_id);
    if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        bail!("feed id `{feed_id}` is not 64 hex digits");
    }
    Ok(hex.to_ascii_lowercase())
}

/// Checks a native denom against the SDK's `[a-zA-Z][a-zA-Z0-9/:._-]{2,127}`.
pub fn validate_denom(denom: &str) -> anyhow::Result<()> {
    let mut chars = denom.chars();
    let ok = (3..=128).contains(&denom.len())
        && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "/:._-".contains(c));
    if !ok {
        bail!("`{denom}` is not a valid denom");
    }
    Ok(())
}

/// Plans the suite in dependency order; when `codes` includes "mock_pyth" it is instantiated first (authority = gov, publisher = relayer) and the oracle's Pyth source points at it.
///
/// With mock-pyth in the plan the oracle pulls from it (feed id from `cfg.pyth` if given, else
/// [`AKT_USD_FEED_ID`]); otherwise it pulls from `cfg.pyth` if given, and always accepts pushes
/// from the relayer. Every governance contract must be in `codes`; unknown or repeated names
/// are refused.
pub fn plan_suite(cfg: &SuiteConfig, codes: &[CodeRef]) -> anyhow::Result<Vec<Instantiation>> {
    cfg.validate()?;
    let mut by_name: BTreeMap<&str, &CodeRef> = BTreeMap::new();
    for code in codes {
        let name = code.name.as_str();
        if !GOVERNANCE_CONTRACTS.contains(&name) && name != MOCK_PYTH {
            bail!(
                "unknown contract `{name}` (known: {}, {MOCK_PYTH})",
                GOVERNANCE_CONTRACTS.join(", ")
            );
        }
        if by_name.insert(name, code).is_some() {
            bail!("contract `{name}` is given twice");
        }
    }
    let missing: Vec<&str> = GOVERNANCE_CONTRACTS
        .into_iter()
        .filter(|n| !by_name.contains_key(n))
        .collect();
    if !missing.is_empty() {
        bail!(
            "no code for {} (every governance contract is part of the suite)",
            missing.join(", ")
        );
    }
    let with_mock = by_name.contains_key(MOCK_PYTH);
    let order: Vec<&str> = with_mock
        .then_some(MOCK_PYTH)
        .into_iter()
        .chain(GOVERNANCE_CONTRACTS)
        .collect();

    // Addresses first: the messages below refer to contracts instantiated after them.
    let mut addr: BTreeMap<&str, String> = BTreeMap::new();
    let mut salts: BTreeMap<&str, Vec<u8>> = BTreeMap::new();
    for &name in &order {
        let code = by_name
            .get(name)
            .with_context(|| format!("no code for {name}"))?;
        let salt = salt(&cfg.salt_tag, name)?;
        let address = predict_address(&cfg.chain_prefix, &code.checksum, &cfg.authority, &salt)?;
        if let Some((other, _)) = addr.iter().find(|(_, a)| **a == address) {
            bail!("{name} and {other} would get the same address {address}");
        }
        addr.insert(name, address);
        salts.insert(name, salt);
    }
    let at = |name: &str| -> anyhow::Result<String> {
        addr.get(name)
            .cloned()
            .with_context(|| format!("no planned address for {name}"))
    };

    let gov = cfg.authority.clone();
    let pyth_source = if with_mock {
        let feed = cfg
            .pyth
            .as_ref()
            .map_or(AKT_USD_FEED_ID, |p| p.feed_id.as_str());
        Some((at(MOCK_PYTH)?, normalize_feed_id(feed)?))
    } else {
        cfg.pyth
            .as_ref()
            .map(|p| Ok::<_, anyhow::Error>((p.contract.clone(), normalize_feed_id(&p.feed_id)?)))
            .transpose()?
    };
    let mut sources = vec![oracle::msg::NewSource {
        pair: ORACLE_PAIR.to_string(),
        source: PUSHER_SOURCE_ID.to_string(),
        kind: oracle::msg::SourceKindMsg::Pusher {
            address: cfg.relayer.clone(),
        },
    }];
    if let Some((contract, feed_id)) = pyth_source {
        sources.push(oracle::msg::NewSource {
            pair: ORACLE_PAIR.to_string(),
            source: PYTH_SOURCE_ID.to_string(),
            kind: oracle::msg::SourceKindMsg::Pyth { contract, feed_id },
        });
    }

    let mut plan = Vec::with_capacity(order.len());
    for &name in &order {
        let msg = match name {
            MOCK_PYTH => serde_json::to_value(mock_pyth::msg::InstantiateMsg {
                authority: gov.clone(),
                publisher: cfg.relayer.clone(),
            })?,
            "oracle" => serde_json::to_value(oracle::msg::InstantiateMsg {
                authority: gov.clone(),
                limits: None,
                sources: sources.clone(),
            })?,
            "bme" => serde_json::to_value(bme::msg::InstantiateMsg {
                authority: gov.clone(),
                oracle: at("oracle")?,
                pair: Some(ORACLE_PAIR.to_string()),
                params: None,
                allow_list: vec![at("escrow")?, at("reservations")?],
            })?,
            "escrow" => serde_json::to_value(escrow::msg::InstantiateMsg {
                authority: gov.clone(),
                native_denoms: vec![cfg.native_denom.clone()],
                act_ledger: Some(at("bme")?),
                grace_period_blocks: ESCROW_GRACE_PERIOD_BLOCKS,
                block_time_ms: None,
                max_open_payments: None,
                refund_batch: None,
                deposit_limits: Some(escrow::msg::DepositLimits {
                    min_deposit: vec![
                        cosmwasm_std::coin(ESCROW_MIN_DEPOSIT, cfg.native_denom.clone()),
                        cosmwasm_std::coin(ESCROW_MIN_DEPOSIT, supercloud_chain::ACT_DENOM),
                    ],
                    ..escrow::msg::DepositLimits::default()
                }),
            })?,
            "reservations" => serde_json::to_value(reservations::msg::InstantiateMsg {
                authority: gov.clone(),
                native_denoms: vec![cfg.native_denom.clone()],
                act_ledger: Some(at("bme")?),
                bond_denom: cfg.native_denom.clone(),
                unbonding_period_s: RESERVATIONS_UNBONDING_PERIOD_S,
                confirm_window_s: RESERVATIONS_CONFIRM_WINDOW_S,
                cancel_fee_bps: RESERVATIONS_CANCEL_FEE_BPS,
                slash_recipient: cfg.treasury.clone(),
                max_attestation_validity_s: None,
            })?,
            "pip" => serde_json::to_value(pip::msg::InstantiateMsg {
                authority: gov.clone(),
                escrow: at("escrow")?,
                oracle: at("oracle")?,
                oracle_pair: Some(ORACLE_PAIR.to_string()),
                reservations: Some(at("reservations")?),
                // Akash's message filter forbids DistributionMsg, so returns go to the treasury.
                community_pool_allowed: Some(false),
                default_return_address: cfg.treasury.clone(),
                settle_grace_blocks: None,
            })?,
            other => bail!("no instantiate message for `{other}`"),
        };
        let code = by_name
            .get(name)
            .with_context(|| format!("no code for {name}"))?;
        plan.push(Instantiation {
            name: name.to_string(),
            code_id: code.code_id,
            label: format!("{}/{name}", cfg.salt_tag),
            msg,
            salt: salts
                .get(name)
                .cloned()
                .with_context(|| format!("no salt for {name}"))?,
            admin: gov.clone(),
            address: at(name)?,
        });
    }
    Ok(plan)
}

/// The MigrateMsg of contract `name` as JSON (all are `{}` today, built from the real types so
/// a contract that grows migration fields breaks this build).
pub fn migrate_msg(name: &str) -> anyhow::Result<serde_json::Value> {
    Ok(match name {
        "escrow" => serde_json::to_value(escrow::msg::MigrateMsg {})?,
        "oracle" => serde_json::to_value(oracle::msg::MigrateMsg {})?,
        "bme" => serde_json::to_value(bme::msg::MigrateMsg {})?,
        "pip" => serde_json::to_value(pip::msg::MigrateMsg {})?,
        "reservations" => serde_json::to_value(reservations::msg::MigrateMsg {})?,
        MOCK_PYTH => serde_json::to_value(mock_pyth::msg::MigrateMsg {})?,
        other => bail!("unknown contract `{other}`"),
    })
}

/// One contract to migrate: name, address and the code id to move to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// Artifact name (selects the MigrateMsg type).
    pub name: String,
    /// The contract address.
    pub contract: String,
    /// New code id.
    pub code_id: u64,
}

/// The record of a planned deployment: what the instantiate proposal creates, where.
///
/// Written next to the instantiate proposal so operators, the indexer and later migrate
/// proposals read the addresses instead of re-deriving them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployment {
    /// Bech32 prefix.
    pub chain_prefix: String,
    /// Creator, admin and authority of every contract.
    pub authority: String,
    /// Salt tag of the deployment.
    pub salt_tag: String,
    /// The contracts in instantiation order.
    pub contracts: Vec<DeployedContract>,
}

/// One contract of a [`Deployment`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeployedContract {
    /// Artifact name.
    pub name: String,
    /// Code id it is instantiated from.
    pub code_id: u64,
    /// sha256 hex of that code.
    pub checksum: String,
    /// Contract label.
    pub label: String,
    /// Predicted address.
    pub address: String,
}

impl Deployment {
    /// Builds the record of `plan` (made by [`plan_suite`] from `cfg` and `codes`).
    pub fn from_plan(
        cfg: &SuiteConfig,
        codes: &[CodeRef],
        plan: &[Instantiation],
    ) -> anyhow::Result<Self> {
        let contracts = plan
            .iter()
            .map(|i| {
                let code = codes
                    .iter()
                    .find(|c| c.name == i.name)
                    .with_context(|| format!("no code for {}", i.name))?;
                Ok(DeployedContract {
                    name: i.name.clone(),
                    code_id: i.code_id,
                    checksum: hex::encode(code.checksum),
                    label: i.label.clone(),
                    address: i.address.clone(),
                })
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(Deployment {
            chain_prefix: cfg.chain_prefix.clone(),
            authority: cfg.authority.clone(),
            salt_tag: cfg.salt_tag.clone(),
            contracts,
        })
    }

    /// The address of contract `name`, if part of the deployment.
    pub fn address(&self, name: &str) -> Option<&str> {
        self.contracts
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.address.as_str())
    }

    /// Reads a record written by [`Deployment::write`].
    pub fn read(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read deployment record {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    }

    /// Writes the record as pretty JSON.
    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        let text = serde_json::to_string_pretty(self)?;
        std::fs::write(path, text + "\n").with_context(|| format!("writing {}", path.display()))
    }
}
