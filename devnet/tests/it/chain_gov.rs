//! Governance: the artifacts are stored and the suite instantiated only through proposals
//! (submitted, voted, executed by the end blocker), at the addresses
//! `gov_proposal::suite::plan_suite` predicts, with gov as creator, admin and only instantiator.

use devnet::chain::codes::{self, Permission};
use devnet::chain::gov::{self, ProposalStatus};
use devnet::chain::{Chain, ChainConfig, VmLoader};
use devnet::genesis::{deploy_suite, CONTRACTS};
use devnet::node::ExecutedBlock;
use devnet::proto::type_url;
use devnet::proto::wasm_query::{QueryContractInfoRequest, QueryContractInfoResponse};
use prost::Message;

fn chain() -> Chain {
    let config = ChainConfig {
        accounts: vec![
            ("relayer".into(), 1_000_000_000_000),
            ("treasury".into(), 1_000_000),
        ],
        ..ChainConfig::default()
    };
    Chain::new(config, Box::new(VmLoader::workspace_cache().unwrap())).unwrap()
}

fn attr<'a>(e: &'a devnet::node::AbciEvent, key: &str) -> Option<&'a str> {
    e.attributes
        .iter()
        .find(|a| a.key == key)
        .map(|a| a.value.as_str())
}

#[test]
fn proposals_store_and_instantiate_at_predicted_addresses() {
    let mut chain = chain();
    let proposer = chain.account("validator-0").unwrap().addr;
    let relayer = chain.account("relayer").unwrap().addr;
    let treasury = chain.account("treasury").unwrap().addr;
    let gov_addr = chain.gov().to_string();
    assert_eq!(
        gov_addr, "akash10d07y265gmmuvt4z0w9aw880jnsr700jhe7z0f",
        "Akash's gov module account"
    );
    let mut blocks: Vec<ExecutedBlock> = Vec::new();
    let suite = deploy_suite(&mut chain, &proposer, &relayer, &treasury, &mut |b| {
        blocks.push(b)
    })
    .unwrap();

    // Two proposals, both passed; each executed by an end blocker with EndBlock events.
    for id in [1, 2] {
        assert_eq!(
            gov::proposal(&chain, id).unwrap().unwrap().status,
            ProposalStatus::Passed
        );
    }
    let passed: Vec<&ExecutedBlock> = blocks
        .iter()
        .filter(|b| {
            b.finalize_block_events.iter().any(|e| {
                e.kind == "active_proposal" && attr(e, "proposal_result") == Some("proposal_passed")
            })
        })
        .collect();
    assert_eq!(passed.len(), 2);
    assert!(
        passed[0]
            .finalize_block_events
            .iter()
            .filter(|e| e.kind == "store_code")
            .count()
            == CONTRACTS.len()
    );
    assert!(passed
        .iter()
        .flat_map(|b| &b.finalize_block_events)
        .all(|e| attr(e, "mode") == Some("EndBlock")));
    let submits = blocks
        .iter()
        .flat_map(|b| &b.txs)
        .filter(|t| t.outcome.events.iter().any(|e| e.kind == "submit_proposal"))
        .count();
    assert_eq!(submits, 2);

    // Codes: stored by gov, instantiable by gov only.
    let records = codes::all(chain.app().storage()).unwrap();
    assert_eq!(records.len(), CONTRACTS.len());
    for r in &records {
        assert_eq!(r.creator, gov_addr);
        assert_eq!(r.permission, Permission::AnyOf(vec![gov_addr.clone()]));
    }

    // Contracts: at the predicted addresses, created and administered by gov.
    assert_eq!(suite.contracts.len(), CONTRACTS.len());
    for i in &suite.plan {
        assert_eq!(suite.contracts[&i.name].as_str(), i.address);
        let req = QueryContractInfoRequest {
            address: i.address.clone(),
        }
        .encode_to_vec();
        let out = chain.abci_query(type_url::Q_CONTRACT_INFO, &req, 0);
        assert_eq!(out.code, 0, "{}", out.log);
        let info = QueryContractInfoResponse::decode(out.value.as_slice())
            .unwrap()
            .contract_info
            .unwrap();
        assert_eq!(info.code_id, i.code_id);
        assert_eq!(info.creator, gov_addr);
        assert_eq!(info.admin, gov_addr);
        assert_eq!(info.label, i.label);
        assert_eq!(
            codes::contracts_of(chain.app().storage(), i.code_id).unwrap(),
            vec![i.address.clone()]
        );
    }
    // bme's allow-list names escrow and reservations at their predicted addresses.
    let bme_config: bme::msg::ConfigResponse = chain
        .query_smart(suite.addr("bme").unwrap(), &bme::msg::QueryMsg::Config {})
        .unwrap();
    let allow: Vec<String> = bme_config
        .allow_list
        .iter()
        .map(|a| a.to_string())
        .collect();
    assert!(allow.contains(&suite.addr("escrow").unwrap().to_string()));
    assert!(allow.contains(&suite.addr("reservations").unwrap().to_string()));
    assert_eq!(bme_config.authority.as_str(), gov_addr);
}

#[test]
fn a_rejected_proposal_executes_nothing() {
    use devnet::proto::gov::{MsgSubmitProposal, MsgVote, VoteOption};
    use devnet::proto::wasm::{AccessConfig, MsgStoreCode};
    use devnet::proto::{Coin, Named};
    let mut chain = chain();
    let proposer = chain.account("validator-0").unwrap().addr;
    let gov_addr = chain.gov().to_string();
    let store = MsgStoreCode {
        sender: gov_addr.clone(),
        wasm_byte_code: supercloud_vm::artifact("mock_pyth").expect("run scripts/build-wasm.sh"),
        instantiate_permission: Some(AccessConfig::any_of(vec![gov_addr])),
    };
    let submit = MsgSubmitProposal {
        messages: vec![store.to_any()],
        initial_deposit: vec![Coin::new(chain.config().min_deposit, "uakt")],
        proposer: proposer.to_string(),
        title: "store".into(),
        ..Default::default()
    };
    let tx = chain
        .sign(&proposer, vec![submit.to_any()], 50_000_000)
        .unwrap();
    assert_eq!(chain.deliver_tx(tx).code, 0);
    for name in chain.config().validators.clone() {
        let voter = chain.account(&name).unwrap().addr;
        let vote = MsgVote {
            proposal_id: 1,
            voter: voter.to_string(),
            option: VoteOption::No as i32,
            metadata: String::new(),
        };
        let tx = chain.sign(&voter, vec![vote.to_any()], 200_000).unwrap();
        assert_eq!(chain.deliver_tx(tx).code, 0);
    }
    let mut result = None;
    for _ in 0..20 {
        let block = chain.seal_block().unwrap();
        if let Some(e) = block
            .finalize_block_events
            .iter()
            .find(|e| e.kind == "active_proposal")
        {
            result = attr(e, "proposal_result").map(str::to_string);
            break;
        }
    }
    assert_eq!(result.as_deref(), Some("proposal_rejected"));
    assert_eq!(
        gov::proposal(&chain, 1).unwrap().unwrap().status,
        ProposalStatus::Rejected
    );
    assert!(codes::all(chain.app().storage()).unwrap().is_empty());
}
