//! Signatures and the mempool on the chain itself (issue 19): SIGN_MODE_DIRECT verified in
//! CheckTx and in delivery, the SDK's codes, the sender's waiting txs counted in CheckTx's
//! sequence, a bounded mempool per sender, and admitted txs delivered in the next block.

use devnet::chain::keys::{self, Wallet};
use devnet::chain::mempool::{Refusal, MAX_PENDING_PER_SENDER};
use devnet::chain::tx::{encode_signed, TxSpec};
use devnet::chain::{Chain, ChainConfig, VmLoader};
use devnet::proto::bank::MsgSend;
use devnet::proto::tx::TxRaw;
use devnet::proto::{Coin, Named};
use prost::Message;

fn chain() -> Chain {
    let config = ChainConfig {
        accounts: vec![("alice".into(), 1_000_000_000), ("bob".into(), 10)],
        ..ChainConfig::default()
    };
    let mut chain = Chain::new(config, Box::new(VmLoader::workspace_cache().unwrap())).unwrap();
    chain.seal_block().unwrap();
    chain
}

/// A 1-uakt send from `from` to `to` at `sequence`, signed with `key`, paying `fee` uakt.
fn send(chain: &Chain, from: &str, to: &str, sequence: u64, fee: u128, key: &keys::Key) -> Vec<u8> {
    let addr = chain.keyring().require(from).unwrap().addr.clone();
    let to = chain.keyring().require(to).unwrap().addr.to_string();
    let number = chain.auth(&addr).unwrap().account_number;
    let msg = MsgSend {
        from_address: addr.to_string(),
        to_address: to,
        amount: vec![Coin::new(1, "uakt")],
    };
    encode_signed(
        &chain.config().chain_id,
        number,
        sequence,
        TxSpec {
            msgs: vec![msg.to_any()],
            memo: String::new(),
            gas_limit: 100_000,
            fee: vec![Coin::new(fee, "uakt")],
        },
        key,
    )
}

fn key_of(chain: &Chain, name: &str) -> keys::Key {
    let addr = chain.keyring().require(name).unwrap().addr.to_string();
    chain.keyring().key_of(&addr).unwrap().clone()
}

#[test]
fn check_tx_verifies_like_the_sdk_and_the_next_block_delivers() {
    let mut chain = chain();
    let alice = key_of(&chain, "alice");
    let fee = 2_500;
    // Garbage.
    let out = chain.check_tx(b"\xffnot a tx".to_vec()).unwrap();
    assert_eq!(
        (out.code, out.codespace.as_str()),
        (2, "sdk"),
        "{}",
        out.log
    );
    // Someone else's key: the key in the tx is not the signer's.
    let stranger = Wallet::from_seed(99).unwrap().key(0).unwrap();
    let out = chain
        .check_tx(send(&chain, "alice", "bob", 0, fee, &stranger))
        .unwrap();
    assert_eq!(out.code, 8, "{}", out.log);
    // A signature over other bytes: the right key, a broken signature.
    let mut raw = TxRaw::decode(send(&chain, "alice", "bob", 0, fee, &alice).as_slice()).unwrap();
    raw.signatures[0][10] ^= 1;
    let out = chain.check_tx(raw.encode_to_vec()).unwrap();
    assert_eq!(out.code, 4, "{}", out.log);
    assert!(
        out.log.contains("signature verification failed"),
        "{}",
        out.log
    );
    // Wrong sequence, a fee below the gas price, a fee above the balance.
    let out = chain
        .check_tx(send(&chain, "alice", "bob", 5, fee, &alice))
        .unwrap();
    assert_eq!(out.code, 32, "{}", out.log);
    let out = chain
        .check_tx(send(&chain, "alice", "bob", 0, 1, &alice))
        .unwrap();
    assert_eq!(out.code, 13, "{}", out.log);
    let bob = key_of(&chain, "bob");
    let out = chain
        .check_tx(send(&chain, "bob", "alice", 0, fee, &bob))
        .unwrap();
    assert_eq!(out.code, 5, "{}", out.log);
    // Consecutive sequences are admitted up to the per-sender cap; the next is refused.
    for seq in 0..MAX_PENDING_PER_SENDER as u64 {
        let out = chain
            .check_tx(send(&chain, "alice", "bob", seq, fee, &alice))
            .unwrap();
        assert_eq!(out.code, 0, "sequence {seq}: {}", out.log);
    }
    let flood = send(
        &chain,
        "alice",
        "bob",
        MAX_PENDING_PER_SENDER as u64,
        fee,
        &alice,
    );
    assert!(matches!(
        chain.check_tx(flood),
        Err(Refusal::SenderFull { .. })
    ));
    // Nothing ran yet; the next block delivers them all, in order, each code 0.
    let addr = chain.keyring().require("alice").unwrap().addr.clone();
    assert_eq!(chain.auth(&addr).unwrap().sequence, 0);
    let block = chain.seal_block().unwrap();
    assert_eq!(block.txs.len(), MAX_PENDING_PER_SENDER);
    assert!(block.txs.iter().all(|t| t.outcome.code == 0));
    assert_eq!(
        chain.auth(&addr).unwrap().sequence,
        MAX_PENDING_PER_SENDER as u64
    );
    // Delivery verifies too: a tampered tx delivered directly fails with code 4 and changes
    // nothing (the ante handler is all or nothing).
    let mut raw = TxRaw::decode(
        send(
            &chain,
            "alice",
            "bob",
            MAX_PENDING_PER_SENDER as u64,
            fee,
            &alice,
        )
        .as_slice(),
    )
    .unwrap();
    raw.signatures[0][0] ^= 1;
    let balance = chain.balance(&addr, "uakt").unwrap();
    let out = chain.deliver_tx(raw.encode_to_vec());
    assert_eq!(out.code, 4, "{}", out.log);
    assert_eq!(chain.balance(&addr, "uakt").unwrap(), balance);
    // The account now holds its key (set by its first tx), the one it signs with.
    let stored = devnet::chain::auth::pub_key(chain.app().storage(), addr.as_str()).unwrap();
    assert_eq!(stored, Some(alice.public_key().to_vec()));
}
