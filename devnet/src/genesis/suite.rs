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
fn read_artifact(name: &str) -> anyhow::Result<Vec<u8>> {
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
    let gov = chain.gov().to_string();
    let mut store_msgs = Vec::with_capacity(CONTRACTS.len());
    let mut checksums = Vec::with_capacity(CONTRACTS.len());
    for name in CONTRACTS {
        let wasm = read_artifact(name)?;
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
    let plan = plan_suite(&config, &code_refs)?;
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
    })
}
