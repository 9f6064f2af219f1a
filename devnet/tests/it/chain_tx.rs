//! Tx bytes: what the chain signs decodes back to its messages, the tx hash is sha256 of the
//! bytes (as the RPC block store indexes it), results carry SDK 0.50 events and `TxMsgData`.

use devnet::chain::msgs::ChainMsg;
use devnet::chain::tx::{decode, hash};
use devnet::chain::{Chain, ChainConfig, VmLoader};
use devnet::node::{BlockStore, StoreConfig};
use devnet::proto::abci::TxMsgData;
use devnet::proto::bank::MsgSend;
use devnet::proto::type_url;
use devnet::proto::wasm::MsgExecuteContract;
use devnet::proto::{Coin, Named};
use prost::Message;
use sha2::{Digest, Sha256};

fn chain() -> Chain {
    let config = ChainConfig {
        accounts: vec![("alice".into(), 1_000_000_000), ("bob".into(), 1_000)],
        ..ChainConfig::default()
    };
    Chain::new(config, Box::new(VmLoader::workspace_cache().unwrap())).unwrap()
}

fn send(from: &str, to: &str, amount: u128) -> MsgSend {
    MsgSend {
        from_address: from.into(),
        to_address: to.into(),
        amount: vec![Coin::new(amount, "uakt")],
    }
}

#[test]
fn signed_txs_decode_back_to_their_messages() {
    let mut chain = chain();
    let alice = chain.account("alice").unwrap().addr;
    let bob = chain.account("bob").unwrap().addr;
    let msgs = vec![
        send(alice.as_str(), bob.as_str(), 5).to_any(),
        MsgExecuteContract {
            sender: alice.to_string(),
            contract: "akash1contract".into(),
            msg: br#"{"refresh":{"pair":"akt/usd"}}"#.to_vec(),
            funds: vec![Coin::new(3, "uakt")],
        }
        .to_any(),
    ];
    let bytes = chain.sign(&alice, msgs.clone(), 300_000).unwrap();
    let tx = decode(&bytes).unwrap();
    let back: Vec<_> = tx.msgs.iter().map(ChainMsg::to_any).collect();
    assert_eq!(back, msgs);
    assert_eq!(tx.signers(), vec![alice.to_string()]);
    assert_eq!(tx.fee().gas_limit, 300_000);
    assert_eq!(tx.fee().amount, vec![Coin::new(7_500, "uakt")]);
    assert_eq!(tx.auth_info.signer_infos[0].sequence, 0);
    assert_eq!(tx.raw.signatures.len(), 1);
    assert!(decode(b"not a tx").is_err());
}

#[test]
fn tx_hash_is_sha256_of_the_bytes_and_results_follow_the_sdk() {
    let mut chain = chain();
    let alice = chain.account("alice").unwrap().addr;
    let bob = chain.account("bob").unwrap().addr;
    let tx = chain
        .sign(
            &alice,
            vec![send(alice.as_str(), bob.as_str(), 250).to_any()],
            100_000,
        )
        .unwrap();
    let outcome = chain.deliver_tx(tx.clone());
    assert_eq!(outcome.code, 0, "{}", outcome.log);
    let garbage = b"\x0a\x03abc".to_vec();
    let bad = chain.deliver_tx(garbage.clone());
    assert_eq!((bad.code, bad.codespace.as_str()), (2, "sdk"));
    assert!(bad.events.is_empty());
    let block = chain.seal_block().unwrap();
    assert_eq!(
        block.txs.len(),
        2,
        "a tx that does not decode still lands in the block"
    );

    let store = BlockStore::new(StoreConfig::new("akash-devnet-1")).unwrap();
    let sealed = store.push(block).unwrap();
    let expected: [u8; 32] = Sha256::digest(&tx).into();
    assert_eq!(sealed.tx_hashes[0], expected);
    assert_eq!(hash(&tx), expected);
    assert_eq!(sealed.tx_hashes[1], hash(&garbage));

    assert_eq!(chain.balance(&bob, "uakt").unwrap(), 1_250);
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
            "tx",
            "message",
            "coin_spent",
            "coin_received",
            "transfer"
        ]
    );
    let action = &outcome.events[7];
    let attr = |k: &str| {
        action
            .attributes
            .iter()
            .find(|a| a.key == k)
            .map(|a| a.value.as_str())
    };
    assert_eq!(attr("action"), Some(type_url::MSG_SEND));
    assert_eq!(attr("module"), Some("bank"));
    assert_eq!(attr("msg_index"), Some("0"));
    assert!(outcome.events[..7]
        .iter()
        .all(|e| e.attributes.iter().all(|a| a.key != "msg_index")));
    let data = TxMsgData::decode(outcome.data.as_slice()).unwrap();
    assert_eq!(data.msg_responses.len(), 1);
    assert_eq!(
        data.msg_responses[0].type_url,
        "/cosmos.bank.v1beta1.MsgSendResponse"
    );
}
