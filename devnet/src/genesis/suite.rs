//! Storing the artifacts and instantiating the suite through governance.

use std::collections::BTreeMap;

use anyhow::Context;
use cosmwasm_std::Addr;
use gov_proposal::suite::{plan_suite, CodeRef, Instantiation, SuiteConfig};
use sha2::Digest as _;

use super::proposal::pass_proposal;
use crate::chain::codes;
use crate::chain::Chain;
use crate::node::ExecutedBlock;
use crate::proto::wasm::{AccessConfig, MsgInstantiateContract2, MsgStoreCode};
use crate::proto::Named;

/// Artifacts the devnet deploys, in upload order (mock-pyth is the devnet's Pyth).
pub use gov_proposal::suite::CONTRACTS;

/// The deployed suite.
#[derive(Clone, Debug, PartialEq)]
pub struct Suite {
    /// Contract address by artifact name.
    pub contracts: BTreeMap<String, Addr>,
    /// Code id by artifact name.
    pub code_ids: BTreeMap<String, u64>,
    /// The plan the instantiate proposal carried (with the predicted addresses).
    pub plan: Vec<Instantiation>,
    /// Ids of the store and instantiate proposals.
    pub proposals: (u64, u64),
    /// Contracts instantiated from the previous release (see [`SuiteOptions`]), which a
    /// governance upgrade can migrate to the current artifacts.
    pub previous_release: Vec<String>,
}

/// How the devnet's genesis deploys the suite beyond the plain plan.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SuiteOptions {
    /// Native denoms escrow and reservations accept besides the staking denom (the USD
    /// stablecoin).
    pub extra_denoms: Vec<String>,
    /// Start the governance contracts on the previous release: the same code with its cw2
    /// version one release back (the only bytes that differ), so the history can carry the
    /// governance upgrade to the current artifacts (`<contract>.migrated`) without shipping an
    /// old build. Contracts whose version has no same-length predecessor stay current.
    pub previous_release: bool,
}

impl Suite {
    /// The address of contract `name`.
    pub fn addr(&self, name: &str) -> anyhow::Result<&Addr> {
        self.contracts
            .get(name)
            .with_context(|| format!("no contract {name} in the suite"))
    }
}

/// Reads `artifacts/<name>.wasm` with a message that says how to build it.
pub fn read_artifact(name: &str) -> anyhow::Result<Vec<u8>> {
    supercloud_vm::artifact(name).with_context(|| {
        format!(
            "artifact {name}.wasm is missing: the devnet runs the compiled contracts; build them \
             with scripts/build-wasm.sh (scripts/test.sh and scripts/demo.sh do it first)"
        )
    })
}

/// Stores every artifact through one proposal, then instantiates the suite through a second,
/// as planned by `gov_proposal::suite::plan_suite` with `relayer` and `treasury`. Checks that
/// each contract landed at its predicted address with the planned code. Sealed blocks go to
/// `sink`.
pub fn deploy_suite(
    chain: &mut Chain,
    proposer: &Addr,
    relayer: &Addr,
    treasury: &Addr,
    sink: &mut dyn FnMut(ExecutedBlock),
) -> anyhow::Result<Suite> {
    deploy_suite_with(
        chain,
        proposer,
        relayer,
        treasury,
        &SuiteOptions::default(),
        sink,
    )
}

/// [`deploy_suite`] with extra denoms and, optionally, the previous release.
pub fn deploy_suite_with(
    chain: &mut Chain,
    proposer: &Addr,
    relayer: &Addr,
    treasury: &Addr,
    options: &SuiteOptions,
    sink: &mut dyn FnMut(ExecutedBlock),
) -> anyhow::Result<Suite> {
    let gov = chain.gov().to_string();
    let mut store_msgs = Vec::with_capacity(CONTRACTS.len());
    let mut checksums = Vec::with_capacity(CONTRACTS.len());
    let mut previous_release = Vec::new();
    for name in CONTRACTS {
        let mut wasm = read_artifact(name)?;
        let governed = gov_proposal::suite::GOVERNANCE_CONTRACTS.contains(&name);
        if options.previous_release && governed {
            if let Some(older) = previous_release_of(name, &wasm) {
                wasm = older;
                previous_release.push(name.to_string());
            }
        }
        checksums.push(hex::encode(sha2::Sha256::digest(&wasm)));
        store_msgs.push(
            MsgStoreCode {
                sender: gov.clone(),
                wasm_byte_code: wasm,
                instantiate_permission: Some(AccessConfig::any_of(vec![gov.clone()])),
            }
            .to_any(),
        );
    }
    let stored = pass_proposal(
        chain,
        proposer,
        "Store the Supercloud contracts",
        store_msgs,
        sink,
    )?;

    let records = codes::all(chain.app().storage())?;
    let mut code_refs = Vec::with_capacity(CONTRACTS.len());
    for (name, checksum) in CONTRACTS.iter().zip(&checksums) {
        let record = records
            .iter()
            .find(|r| &r.checksum == checksum)
            .with_context(|| format!("{name} was not stored by proposal {}", stored.id))?;
        let mut sum = [0u8; 32];
        hex::decode_to_slice(checksum, &mut sum).context("checksum hex")?;
        code_refs.push(CodeRef {
            name: name.to_string(),
            code_id: record.code_id,
            checksum: sum,
        });
    }

    let config = SuiteConfig {
        chain_prefix: chain.config().prefix.to_string(),
        authority: gov.clone(),
        native_denom: chain.config().denom.clone(),
        relayer: relayer.to_string(),
        treasury: treasury.to_string(),
        pyth: None,
        salt_tag: "supercloud-devnet".into(),
    };
    let mut plan = plan_suite(&config, &code_refs)?;
    for i in plan
        .iter_mut()
        .filter(|i| i.name == "escrow" || i.name == "reservations")
    {
        if let Some(serde_json::Value::Array(denoms)) = i.msg.get_mut("native_denoms") {
            denoms.extend(
                options
                    .extra_denoms
                    .iter()
                    .map(|d| serde_json::Value::String(d.clone())),
            );
        }
    }
    let instantiate_msgs = plan
        .iter()
        .map(|i| {
            Ok(MsgInstantiateContract2 {
                sender: gov.clone(),
                admin: i.admin.clone(),
                code_id: i.code_id,
                label: i.label.clone(),
                msg: serde_json::to_vec(&i.msg)?,
                funds: vec![],
                salt: i.salt.clone(),
                fix_msg: false,
            }
            .to_any())
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let instantiated = pass_proposal(
        chain,
        proposer,
        "Instantiate the Supercloud suite",
        instantiate_msgs,
        sink,
    )?;

    let mut contracts = BTreeMap::new();
    for i in &plan {
        let addr = Addr::unchecked(&i.address);
        let data = chain.app().contract_data(&addr).map_err(|e| {
            anyhow::anyhow!(
                "{} is not at its predicted address {}: {e}",
                i.name,
                i.address
            )
        })?;
        anyhow::ensure!(
            data.code_id == i.code_id,
            "{} at {} runs code {} instead of {}",
            i.name,
            i.address,
            data.code_id,
            i.code_id
        );
        contracts.insert(i.name.clone(), addr);
    }
    Ok(Suite {
        contracts,
        code_ids: code_refs
            .iter()
            .map(|c| (c.name.clone(), c.code_id))
            .collect(),
        plan,
        proposals: (stored.id, instantiated.id),
        previous_release,
    })
}

/// `version` one release back with the same length (`0.2.0` → `0.1.0`, `1.4.2` → `1.4.1`), if
/// there is one.
fn previous_version(version: &str) -> Option<String> {
    let parts: Vec<u64> = version
        .split('.')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [major, minor, patch] = parts[..] else {
        return None;
    };
    let older = if patch > 0 {
        format!("{major}.{minor}.{}", patch - 1)
    } else if minor > 0 {
        format!("{major}.{}.0", minor - 1)
    } else {
        return None;
    };
    (older.len() == version.len()).then_some(older)
}

/// `wasm` (contract `name` at the workspace version) with its cw2 version string
/// (`crates.io:<name><version>`, present exactly once) set one release back.
fn previous_release_of(name: &str, wasm: &[u8]) -> Option<Vec<u8>> {
    let version = env!("CARGO_PKG_VERSION");
    let older = previous_version(version)?;
    let needle = format!("crates.io:{name}{version}");
    let needle = needle.as_bytes();
    let mut hits = wasm
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i);
    let at = hits.next()?;
    if hits.next().is_some() {
        return None;
    }
    let mut out = wasm.to_vec();
    let start = at + needle.len() - version.len();
    out[start..start + version.len()].copy_from_slice(older.as_bytes());
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previous_versions_keep_their_length() {
        assert_eq!(previous_version("0.2.0").as_deref(), Some("0.1.0"));
        assert_eq!(previous_version("1.4.2").as_deref(), Some("1.4.1"));
        assert_eq!(previous_version("0.10.0"), None);
        assert_eq!(previous_version("1.0.0"), None);
        assert_eq!(previous_version("x"), None);
    }

    #[test]
    fn only_the_version_bytes_change() {
        let version = env!("CARGO_PKG_VERSION");
        let older = previous_version(version).expect("the workspace version has a predecessor");
        let wasm = format!("\0asm..crates.io:escrow{version}..tail").into_bytes();
        let patched = previous_release_of("escrow", &wasm).expect("found once");
        let expected = format!("\0asm..crates.io:escrow{older}..tail").into_bytes();
        assert_eq!(patched, expected);
        let twice = format!("crates.io:pip{version}crates.io:pip{version}").into_bytes();
        assert_eq!(previous_release_of("pip", &twice), None);
        assert_eq!(previous_release_of("pip", b"no version here"), None);
    }
}
