//! wasmd's upload rules on Akash: only the gov module (through a proposal) stores code, and
//! instantiation is limited to the addresses the code allows (gov). Refusals land as failed txs
//! with the SDK's error and store nothing.

use devnet::chain::codes;
use devnet::chain::{Chain, ChainConfig, VmLoader};
use devnet::genesis::pass_proposal;
use devnet::proto::gov::MsgSubmitProposal;
use devnet::proto::type_url;
use devnet::proto::wasm::{AccessConfig, MsgInstantiateContract, MsgStoreCode};
use devnet::proto::wasm_query::{
    QueryCodesResponse, QueryContractsByCodeRequest, QueryContractsByCodeResponse,
};
use devnet::proto::{Coin, Named};
use prost::Message;

fn chain() -> Chain {
    let config = ChainConfig {
        accounts: vec![("mallory".into(), 1_000_000_000_000)],
        ..ChainConfig::default()
    };
    Chain::new(config, Box::new(VmLoader::workspace_cache().unwrap())).unwrap()
}

fn mock_pyth() -> Vec<u8> {
    supercloud_vm::artifact("mock_pyth").expect(
        "artifacts/mock_pyth.wasm is missing: run scripts/build-wasm.sh (scripts/test.sh does)",
    )
}

fn code_count(chain: &Chain) -> usize {
    let out = chain.abci_query(type_url::Q_CODES, &[], 0);
    assert_eq!(out.code, 0, "{}", out.log);
    QueryCodesResponse::decode(out.value.as_slice())
        .unwrap()
        .code_infos
        .len()
}

#[test]
fn code_upload_from_a_user_is_refused_and_stores_nothing() {
    let mut chain = chain();
    let mallory = chain.account("mallory").unwrap().addr;
    let before = chain.balance(&mallory, "uakt").unwrap();
    let store = MsgStoreCode {
        sender: mallory.to_string(),
        wasm_byte_code: mock_pyth(),
        instantiate_permission: None,
    };
    let tx = chain
        .sign(&mallory, vec![store.to_any()], 50_000_000)
        .unwrap();
    let outcome = chain.deliver_tx(tx);
    assert_eq!((outcome.code, outcome.codespace.as_str()), (4, "sdk"));
    assert_eq!(
        outcome.log,
        "failed to execute message; message index: 0: can not create code: unauthorized"
    );
    assert!(outcome.events.iter().all(|e| e.kind != "store_code"));
    chain.seal_block().unwrap();
    assert_eq!(code_count(&chain), 0);
    assert!(codes::all(chain.app().storage()).unwrap().is_empty());
    // The ante handler ran: fee paid, sequence used.
    let fee = chain.config().fee_for(50_000_000);
    assert_eq!(chain.balance(&mallory, "uakt").unwrap(), before - fee);
    assert_eq!(chain.auth(&mallory).unwrap().sequence, 1);
}

#[test]
fn instantiation_is_gov_only_and_proposals_need_gov_signed_messages() {
    let mut chain = chain();
    let mallory = chain.account("mallory").unwrap().addr;
    let proposer = chain.account("validator-0").unwrap().addr;
    let gov = chain.gov().to_string();
    let store = MsgStoreCode {
        sender: gov.clone(),
        wasm_byte_code: mock_pyth(),
        instantiate_permission: Some(AccessConfig::any_of(vec![gov.clone()])),
    };
    pass_proposal(
        &mut chain,
        &proposer,
        "store",
        vec![store.to_any()],
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(code_count(&chain), 1);

    let msg = serde_json::to_vec(&mock_pyth::msg::InstantiateMsg {
        authority: mallory.to_string(),
        publisher: mallory.to_string(),
    })
    .unwrap();
    let inst = MsgInstantiateContract {
        sender: mallory.to_string(),
        admin: String::new(),
        code_id: 1,
        label: "mine".into(),
        msg,
        funds: vec![],
    };
    let tx = chain
        .sign(&mallory, vec![inst.to_any()], 1_000_000)
        .unwrap();
    let outcome = chain.deliver_tx(tx);
    assert_eq!((outcome.code, outcome.codespace.as_str()), (4, "sdk"));
    assert!(
        outcome.log.ends_with("can not instantiate: unauthorized"),
        "{}",
        outcome.log
    );
    chain.seal_block().unwrap();
    let req = QueryContractsByCodeRequest {
        code_id: 1,
        pagination: None,
    }
    .encode_to_vec();
    let out = chain.abci_query(type_url::Q_CONTRACTS_BY_CODE, &req, 0);
    assert!(QueryContractsByCodeResponse::decode(out.value.as_slice())
        .unwrap()
        .contracts
        .is_empty());

    // A proposal may only carry messages the gov module signs.
    let sneaky = MsgSubmitProposal {
        messages: vec![inst.to_any()],
        initial_deposit: vec![Coin::new(chain.config().min_deposit, "uakt")],
        proposer: mallory.to_string(),
        title: "sneaky".into(),
        ..Default::default()
    };
    let tx = chain
        .sign(&mallory, vec![sneaky.to_any()], 1_000_000)
        .unwrap();
    let outcome = chain.deliver_tx(tx);
    assert_eq!((outcome.code, outcome.codespace.as_str()), (13, "gov"));
    assert!(devnet::chain::gov::proposal(&chain, 2).unwrap().is_none());
}
