//! Property: whatever users, keepers, the authority and the price do, the contract's uakt equals
//! vault + pending AKT, and the ACT supply equals Σ ledger balances + ACT held by queued burns.

use crate::common;

use common::*;
use escrow::msg::ReceiveHook;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Mint(usize, u128),
    Burn(usize, u128),
    SendToEscrow(usize, u128),
    Price(u32),
    Process(u64, u32),
    Fund(u128),
    StopFeed,
}

const USERS: [&str; 3] = ["tenant", "alice", "bob"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..3usize, 1_000_000u128..200_000_000).prop_map(|(u, a)| Op::Mint(u, a)),
        3 => (0..3usize, 1u128..100_000_000).prop_map(|(u, a)| Op::Burn(u, a)),
        1 => (0..3usize, 1u128..50_000_000).prop_map(|(u, a)| Op::SendToEscrow(u, a)),
        2 => (5u32..500).prop_map(Op::Price),
        4 => (0u64..15, 1u32..60).prop_map(|(b, l)| Op::Process(b, l)),
        1 => (1u128..100_000_000).prop_map(Op::Fund),
        1 => Just(Op::StopFeed),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn akt_and_act_are_conserved(ops in prop::collection::vec(op(), 1..40)) {
        let mut s = Suite::new("1");
        let mut holders: Vec<_> = USERS.iter().map(|u| s.addr(u)).collect();
        holders.push(s.escrow.clone());
        let mut dseq = 0u64;
        for op in ops {
            // Refusals are fine; they must leave everything unchanged (checked below).
            match op {
                Op::Mint(u, a) => { let _ = s.mint(USERS[u], a); }
                Op::Burn(u, a) => { let _ = s.burn(USERS[u], a); }
                Op::SendToEscrow(u, a) => {
                    dseq += 1;
                    let _ = s.send_to_escrow(USERS[u], a, &ReceiveHook::OpenAccount { dseq });
                }
                Op::Price(cents) => s.set_price(&format!("{}.{:02}", cents / 100, cents % 100)),
                Op::Process(blocks, limit) => {
                    s.advance(blocks);
                    s.process_limit(limit);
                }
                Op::Fund(a) => { s.fund(a); }
                Op::StopFeed => s.stop_feed(),
            }
            s.assert_conserved(&holders);
            let v = s.vault();
            // Queued work matches the pending totals.
            let pending_akt: u128 = s.queue(bme::msg::RequestKind::Mint).requests.iter().map(|r| r.amount.u128()).sum();
            let pending_act: u128 = s.queue(bme::msg::RequestKind::Burn).requests.iter().map(|r| r.amount.u128()).sum();
            prop_assert_eq!(pending_akt, v.pending_akt.u128());
            prop_assert_eq!(pending_act, v.pending_act.u128());
            // Vault flows add up.
            prop_assert_eq!(
                v.vault_akt.u128(),
                v.total_funded.u128() + v.total_akt_in.u128() - v.total_akt_out.u128()
            );
            prop_assert_eq!(v.supply.u128(), v.total_minted_act.u128() - v.total_burned_act.u128());
        }
    }
}
