//! Failed txs land in the block with `code != 0`, the ante events only, and no state change
//! beyond the fee and the sequence; a refused ante handler changes nothing at all.

use cosmwasm_std::{Addr, Int64, Uint64};
use devnet::chain::tx::{encode_signed, TxSpec};
use devnet::chain::{Chain, ChainConfig, VmLoader};
use devnet::genesis::pass_proposal;
use devnet::proto::bank::MsgSend;
use devnet::proto::wasm::{
    AccessConfig, MsgExecuteContract, MsgInstantiateContract2, MsgStoreCode,
};
use devnet::proto::{Any, Coin, Named};

const FEED: &str = "4ea5bb4d2f5900cc2e97ba534240950740b4d3b89fe712a94a7304fd2fd92702";

/// A chain with mock-pyth stored and instantiated by governance (publisher `publisher`).
fn chain_with_mock_pyth() -> (Chain, Addr) {
    let config = ChainConfig {
        accounts: vec![
            ("publisher".into(), 1_000_000_000_000),
            ("mallory".into(), 1_000_000_000_000),
            ("bob".into(), 1),
        ],
        ..ChainConfig::default()
    };
    let mut chain = Chain::new(config, Box::new(VmLoader::workspace_cache().unwrap())).unwrap();
    let proposer = chain.account("validator-0").unwrap().addr;
    let publisher = chain.account("publisher").unwrap().addr;
    let gov = chain.gov().to_string();
    let wasm = supercloud_vm::artifact("mock_pyth").expect(
        "artifacts/mock_pyth.wasm is missing: run scripts/build-wasm.sh (scripts/test.sh does)",
    );
    let store = MsgStoreCode {
        sender: gov.clone(),
        wasm_byte_code: wasm,
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
    let inst = MsgInstantiateContract2 {
        sender: gov.clone(),
        admin: gov.clone(),
        code_id: 1,
        label: "mock-pyth".into(),
        msg: serde_json::to_vec(&mock_pyth::msg::InstantiateMsg {
            authority: gov.clone(),
            publisher: publisher.to_string(),
        })
        .unwrap(),
        funds: vec![],
        salt: b"test/mock_pyth".to_vec(),
        fix_msg: false,
    };
    pass_proposal(
        &mut chain,
        &proposer,
        "instantiate",
        vec![inst.to_any()],
        &mut |_| {},
    )
    .unwrap();
    let addr = devnet::chain::codes::contracts_of(chain.app().storage(), 1).unwrap();
    assert_eq!(addr.len(), 1);
    (chain, Addr::unchecked(&addr[0]))
}

fn set_price(sender: &Addr, contract: &Addr, price: i64) -> Any {
    MsgExecuteContract {
        sender: sender.to_string(),
        contract: contract.to_string(),
        msg: serde_json::to_vec(&mock_pyth::msg::ExecuteMsg::SetPrice {
            id: FEED.into(),
            price: Int64::new(price),
            conf: Uint64::new(1),
            expo: -8,
            publish_time: 1,
            ema_price: None,
            ema_conf: None,
        })
        .unwrap(),
        funds: vec![],
    }
    .to_any()
}

fn contract_state(chain: &Chain, contract: &Addr) -> Vec<(Vec<u8>, Vec<u8>)> {
    chain.app().dump_wasm_raw(contract)
}

#[test]
fn contract_refusal_keeps_state_and_charges_only_the_fee() {
    let (mut chain, pyth) = chain_with_mock_pyth();
    let mallory = chain.account("mallory").unwrap().addr;
    let publisher = chain.account("publisher").unwrap().addr;
    let state = contract_state(&chain, &pyth);
    let balance = chain.balance(&mallory, "uakt").unwrap();

    let tx = chain
        .sign(&mallory, vec![set_price(&mallory, &pyth, 42)], 500_000)
        .unwrap();
    let outcome = chain.deliver_tx(tx);
    assert_ne!(outcome.code, 0);
    assert_eq!((outcome.code, outcome.codespace.as_str()), (5, "wasm"));
    assert!(outcome.log.contains("message index: 0"), "{}", outcome.log);
    assert!(
        outcome.log.ends_with("execute wasm contract failed"),
        "{}",
        outcome.log
    );
    assert!(outcome.data.is_empty());
    let kinds: Vec<&str> = outcome.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "coin_spent",
            "coin_received",
            "transfer",
            "message",
            "tx",
            "tx",
            "tx"
        ]
    );
    let block = chain.seal_block().unwrap();
    assert_eq!(block.txs.len(), 1);
    assert_eq!(block.txs[0].outcome.code, outcome.code);
    assert_eq!(contract_state(&chain, &pyth), state);
    assert_eq!(
        chain.balance(&mallory, "uakt").unwrap(),
        balance - chain.config().fee_for(500_000)
    );
    assert_eq!(chain.auth(&mallory).unwrap().sequence, 1);

    // The same message from the publisher does change the state (the check above can fail).
    let tx = chain
        .sign(&publisher, vec![set_price(&publisher, &pyth, 42)], 500_000)
        .unwrap();
    let ok = chain.deliver_tx(tx);
    assert_eq!(ok.code, 0, "{}", ok.log);
    assert_ne!(contract_state(&chain, &pyth), state);
}

#[test]
fn a_failing_message_rolls_back_the_ones_before_it() {
    let (mut chain, pyth) = chain_with_mock_pyth();
    let mallory = chain.account("mallory").unwrap().addr;
    let bob = chain.account("bob").unwrap().addr;
    let send = MsgSend {
        from_address: mallory.to_string(),
        to_address: bob.to_string(),
        amount: vec![Coin::new(1_000, "uakt")],
    };
    let tx = chain
        .sign(
            &mallory,
            vec![send.to_any(), set_price(&mallory, &pyth, 1)],
            500_000,
        )
        .unwrap();
    let outcome = chain.deliver_tx(tx);
    assert_eq!(outcome.code, 5);
    assert!(outcome.log.contains("message index: 1"), "{}", outcome.log);
    assert_eq!(
        chain.balance(&bob, "uakt").unwrap(),
        1,
        "the send before the failure is undone"
    );
}

#[test]
fn a_refused_ante_handler_changes_nothing() {
    let (mut chain, _) = chain_with_mock_pyth();
    let mallory = chain.account("mallory").unwrap().addr;
    let bob = chain.account("bob").unwrap().addr;
    chain.seal_block().unwrap();
    let digest = chain.app().storage().digest();
    let auth = chain.auth(&mallory).unwrap();
    let balance = chain.balance(&mallory, "uakt").unwrap();
    let send = MsgSend {
        from_address: mallory.to_string(),
        to_address: bob.to_string(),
        amount: vec![Coin::new(1, "uakt")],
    };
    let key = chain.keyring().key_of(mallory.as_str()).unwrap().clone();
    let tx = encode_signed(
        "akash-devnet-1",
        auth.account_number,
        auth.sequence + 3,
        TxSpec {
            msgs: vec![send.to_any()],
            memo: String::new(),
            gas_limit: 100_000,
            fee: vec![Coin::new(2_500, "uakt")],
        },
        &key,
    );
    let outcome = chain.deliver_tx(tx);
    assert_eq!((outcome.code, outcome.codespace.as_str()), (32, "sdk"));
    assert!(
        outcome
            .log
            .starts_with("account sequence mismatch, expected 0, got 3"),
        "{}",
        outcome.log
    );
    assert!(outcome.events.is_empty());
    assert_eq!(chain.balance(&mallory, "uakt").unwrap(), balance);
    assert_eq!(chain.auth(&mallory).unwrap(), auth);
    let block = chain.seal_block().unwrap();
    assert_eq!(block.txs.len(), 1);
    // No write at all: the state digest (the app hash's input) did not move.
    assert_eq!(chain.app().storage().digest(), digest);
}

#[test]
fn out_of_gas_keeps_the_fee_and_sequence_and_rolls_back_the_messages() {
    let (mut chain, pyth) = chain_with_mock_pyth();
    let publisher = chain.account("publisher").unwrap().addr;
    let state = contract_state(&chain, &pyth);
    let balance = chain.balance(&publisher, "uakt").unwrap();

    // A message that succeeds with enough gas (set_price costs ~75k SDK gas plus the ante).
    let limit = 60_000;
    let tx = chain
        .sign(&publisher, vec![set_price(&publisher, &pyth, 42)], limit)
        .unwrap();
    let outcome = chain.deliver_tx(tx);
    assert_eq!((outcome.code, outcome.codespace.as_str()), (11, "sdk"));
    assert!(
        outcome.log.starts_with(&format!(
            "out of gas in location: /cosmwasm.wasm.v1.MsgExecuteContract; gasWanted: {limit}, gasUsed: "
        )) && outcome.log.ends_with(": out of gas"),
        "{}",
        outcome.log
    );
    // As on the SDK, the meter reports what was consumed, past the limit.
    assert_eq!(outcome.gas_wanted, i64::try_from(limit).unwrap());
    assert!(outcome.gas_used > outcome.gas_wanted, "{outcome:?}");
    assert!(outcome.data.is_empty());
    assert!(outcome.events.iter().all(|e| e.kind != "wasm"));
    assert_eq!(contract_state(&chain, &pyth), state);
    assert_eq!(
        chain.balance(&publisher, "uakt").unwrap(),
        balance - chain.config().fee_for(limit)
    );
    assert_eq!(chain.auth(&publisher).unwrap().sequence, 1);

    // Simulation runs the message and keeps nothing.
    let digest = chain.app().storage().digest();
    let simulated = chain
        .simulate(&publisher, vec![set_price(&publisher, &pyth, 42)])
        .unwrap();
    assert_eq!(contract_state(&chain, &pyth), state);
    assert_eq!(chain.auth(&publisher).unwrap().sequence, 1);
    assert_eq!(
        chain.app().storage().digest(),
        digest,
        "simulation left a write behind"
    );
    assert!(simulated > limit);

    // Enough gas: the same message goes through and uses less than it was given.
    let tx = chain
        .sign(&publisher, vec![set_price(&publisher, &pyth, 42)], 500_000)
        .unwrap();
    let ok = chain.deliver_tx(tx);
    assert_eq!(ok.code, 0, "{}", ok.log);
    assert!(ok.gas_used < ok.gas_wanted && ok.gas_used > i64::try_from(limit).unwrap());
    assert_ne!(contract_state(&chain, &pyth), state);
    // What simulation said, but for the few bytes the gas limit and fee add to the tx size.
    let used = u64::try_from(ok.gas_used).unwrap();
    assert!(used.abs_diff(simulated) <= 100, "{used} vs {simulated}");
    // A message the chain refuses is an error, not a gas figure.
    let mallory = chain.account("mallory").unwrap().addr;
    assert!(chain
        .simulate(&mallory, vec![set_price(&mallory, &pyth, 1)])
        .is_err());
}

#[test]
fn a_gas_limit_below_the_tx_size_cost_fails_in_the_ante_handler_and_charges_nothing() {
    let (mut chain, pyth) = chain_with_mock_pyth();
    let publisher = chain.account("publisher").unwrap().addr;
    let balance = chain.balance(&publisher, "uakt").unwrap();
    let tx = chain
        .sign(&publisher, vec![set_price(&publisher, &pyth, 42)], 1_000)
        .unwrap();
    let outcome = chain.deliver_tx(tx);
    assert_eq!((outcome.code, outcome.codespace.as_str()), (11, "sdk"));
    assert!(
        outcome
            .log
            .starts_with("out of gas in location: txSize; gasWanted: 1000, gasUsed: "),
        "{}",
        outcome.log
    );
    assert!(outcome.events.is_empty());
    assert_eq!(chain.balance(&publisher, "uakt").unwrap(), balance);
    assert_eq!(chain.auth(&publisher).unwrap().sequence, 0);
}

#[test]
fn running_out_in_a_later_message_rolls_back_the_earlier_ones() {
    let (mut chain, pyth) = chain_with_mock_pyth();
    let publisher = chain.account("publisher").unwrap().addr;
    let state = contract_state(&chain, &pyth);
    let one = chain
        .simulate(&publisher, vec![set_price(&publisher, &pyth, 7)])
        .unwrap();
    // Room for the first message, not for both.
    let limit = one + 20_000;
    let msgs = vec![
        set_price(&publisher, &pyth, 7),
        set_price(&publisher, &pyth, 8),
    ];
    let outcome = chain.deliver_tx(chain.sign(&publisher, msgs, limit).unwrap());
    assert_eq!((outcome.code, outcome.codespace.as_str()), (11, "sdk"));
    assert!(outcome.gas_used > outcome.gas_wanted, "{outcome:?}");
    assert_eq!(
        contract_state(&chain, &pyth),
        state,
        "message 0 was rolled back"
    );
    assert_eq!(chain.auth(&publisher).unwrap().sequence, 1);
}

#[test]
fn code_uploads_and_foreign_signers_are_not_simulated() {
    let (mut chain, pyth) = chain_with_mock_pyth();
    let publisher = chain.account("publisher").unwrap().addr;
    let mallory = chain.account("mallory").unwrap().addr;
    let gov = chain.gov().clone();
    let store = MsgStoreCode {
        sender: gov.to_string(),
        wasm_byte_code: b"\0asm\x01\0\0\0".to_vec(),
        instantiate_permission: None,
    };
    let digest = chain.app().storage().digest();
    let err = chain.simulate(&gov, vec![store.to_any()]).unwrap_err();
    assert!(
        err.to_string().contains("MsgStoreCode is not simulated"),
        "{err}"
    );
    let err = chain
        .simulate(&publisher, vec![set_price(&mallory, &pyth, 7)])
        .unwrap_err();
    assert!(err.to_string().contains("must be signed by"), "{err}");
    assert_eq!(chain.app().storage().digest(), digest);
}
