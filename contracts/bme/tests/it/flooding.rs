//! Queue flooding (issue 23): one address may hold at most `max_pending_per_owner` queued
//! requests, so an honest request waits at most `floor(N·A/R) + 1` epochs with `N ≤ P·k` (the
//! bound in `bme::execute::process`). The expected epochs below are counted by hand from that
//! formula and the queue order, not read from the contract.

use crate::common;

use bme::msg::{Params, ParamsUpdate, RequestKind};
use common::*;
use cw_multi_test::AppResponse;
use supercloud_events::bme::CancelReason;

/// The refusal text names the cap and its value.
fn cap_error(n: u32) -> String {
    format!("(max_pending_per_owner = {n})")
}

/// Advances to the next `kind` epoch and processes it (the other queue is empty in these tests
/// or not yet due).
fn epoch_of(s: &mut Suite, kind: RequestKind) -> AppResponse {
    let st = s.status();
    let due = match kind {
        RequestKind::Burn => st.next_burn_epoch,
        RequestKind::Mint => st.next_mint_epoch,
    };
    let h = s.height();
    if due > h {
        s.advance(due - h);
    }
    s.process()
}

/// Ids executed by each of the next `epochs` epochs of `kind`.
fn run_epochs(s: &mut Suite, kind: RequestKind, epochs: usize) -> Vec<Vec<u64>> {
    (0..epochs).map(|_| executed(&epoch_of(s, kind))).collect()
}

/// Mints and burns count together against the default cap of 10; a refusal changes nothing;
/// other addresses are not affected; executed requests free their slots.
#[test]
fn one_address_is_refused_past_the_cap_mints_and_burns_together() {
    let mut s = Suite::new("1");
    s.fund(1_000_000_000);
    s.mint("alice", 100_000_000).unwrap();
    s.next_epoch();
    assert_eq!(s.act_of("alice"), 99_750_000);
    assert_eq!(s.config().params.max_pending_per_owner, 10);
    for _ in 0..6 {
        s.mint("alice", 10_000_000).unwrap();
    }
    for _ in 0..4 {
        s.burn("alice", 1_000_000).unwrap();
    }
    let (act, bank, vault) = (s.act_of("alice"), s.bank_of("alice"), s.vault());
    assert_err(s.burn("alice", 1_000_000), &cap_error(10));
    assert_err(
        s.mint("alice", 10_000_000),
        "already has the most queued requests",
    );
    // Nothing moved: no ACT debited, no AKT taken, no request queued.
    assert_eq!(
        (s.act_of("alice"), s.bank_of("alice"), s.vault()),
        (act, bank, vault)
    );
    assert_eq!(s.queue(RequestKind::Mint).requests.len(), 6);
    assert_eq!(s.queue(RequestKind::Burn).requests.len(), 4);
    // The cap is per address.
    s.mint("bob", 10_000_000).unwrap();
    // The burn epoch executes alice's 4 burns: 4 slots free, no more.
    let res = epoch_of(&mut s, RequestKind::Burn);
    assert_eq!(executed(&res).len(), 11, "4 burns, then 6 + 1 mints");
    for _ in 0..10 {
        s.burn("alice", 1_000_000).unwrap();
    }
    assert_err(s.burn("alice", 1_000_000), &cap_error(10));
    s.assert_conserved(&[s.addr("alice"), s.addr("bob"), s.escrow.clone()]);
}

/// 50 dust-sized (minimum) burns from one address: 10 are queued, the rest refused. With
/// `R = 4` the honest burn behind them runs in epoch `floor(10/4) + 1 = 3`, exactly; without the
/// cap it would wait `floor(50/4) + 1 = 13` epochs.
#[test]
fn a_flood_delays_an_honest_burn_by_at_most_the_bound() {
    let mut s = Suite::with(
        "1",
        Some(Params {
            max_records_per_epoch: 4,
            ..Params::default()
        }),
    );
    s.fund(1_000_000_000);
    s.mint("alice", 100_000_000).unwrap();
    s.mint("bob", 10_000_000).unwrap();
    while !s.queue(RequestKind::Mint).requests.is_empty() {
        s.next_epoch();
    }
    let accepted = (0..50)
        .filter(|_| s.burn("alice", 1_000_000).is_ok())
        .count();
    assert_eq!(accepted, 10);
    // Ids 1 and 2 were the mints: alice's burns are 3..=12, bob's is 13.
    s.burn("bob", 1_000_000).unwrap();
    assert_eq!(s.queue(RequestKind::Burn).requests[10].id, 13);
    let epochs = run_epochs(&mut s, RequestKind::Burn, 3);
    assert_eq!(
        epochs,
        vec![vec![3, 4, 5, 6], vec![7, 8, 9, 10], vec![11, 12, 13]]
    );
    assert!(s.queue(RequestKind::Burn).requests.is_empty());
}

/// Two flooding addresses, `P = 3` set by the authority, `R = 2`: `N = 6` ahead, so the honest
/// mint runs in epoch `floor(6/2) + 1 = 4`, exactly.
#[test]
fn each_flooding_address_adds_at_most_p_records() {
    let mut s = Suite::with(
        "1",
        Some(Params {
            max_records_per_epoch: 2,
            ..Params::default()
        }),
    );
    s.update_params(ParamsUpdate {
        max_pending_per_owner: Some(3),
        ..Default::default()
    })
    .unwrap();
    for who in ["alice", "provider"] {
        for _ in 0..3 {
            s.mint(who, 10_000_000).unwrap();
        }
        assert_err(s.mint(who, 10_000_000), &cap_error(3));
    }
    s.mint("bob", 10_000_000).unwrap();
    let epochs = run_epochs(&mut s, RequestKind::Mint, 4);
    assert_eq!(
        epochs,
        vec![vec![1, 2], vec![3, 4], vec![5, 6], vec![7]],
        "alice 1-3, provider 4-6, bob 7"
    );
}

/// Retries count: with `R = 1`, `P = 2`, `A = 3` and two burns ahead that the vault cannot pay,
/// each is handled 3 times before it is cancelled, so the honest burn runs in epoch
/// `floor(2·3/1) + 1 = 7`, exactly.
#[test]
fn retried_requests_ahead_count_max_attempts_times() {
    let mut s = Suite::with(
        "1",
        Some(Params {
            max_records_per_epoch: 1,
            max_pending_per_owner: 2,
            ..Params::default()
        }),
    );
    s.mint("alice", 100_000_000).unwrap();
    s.next_epoch();
    s.mint("bob", 10_000_000).unwrap();
    s.next_epoch();
    // Vault 110 AKT. At 0.25 USD, 30 ACT would pay 120 AKT: more than the vault holds.
    assert_eq!(s.vault().vault_akt.u128(), 110_000_000);
    s.set_price("0.25");
    s.burn("alice", 30_000_000).unwrap();
    s.burn("alice", 30_000_000).unwrap();
    assert_err(s.burn("alice", 1_000_000), &cap_error(2));
    s.burn("bob", 1_000_000).unwrap();
    let mut cancelled = vec![];
    let mut ran_at = None;
    for epoch in 1..=7 {
        let res = epoch_of(&mut s, RequestKind::Burn);
        cancelled.extend(cancels(&res));
        if executed(&res) == vec![5] {
            ran_at = Some(epoch);
        }
    }
    assert_eq!(
        cancelled,
        vec![
            (3, CancelReason::VaultInsufficient),
            (4, CancelReason::VaultInsufficient)
        ]
    );
    assert_eq!(ran_at, Some(7));
}

/// The authority sets the cap (1..=100); lowering it below what an address already holds keeps
/// those requests and refuses new ones until they are processed.
#[test]
fn the_cap_is_set_by_the_authority() {
    let mut s = Suite::new("1");
    for bad in [0, 101] {
        assert_err(
            s.update_params(ParamsUpdate {
                max_pending_per_owner: Some(bad),
                ..Default::default()
            }),
            "max_pending_per_owner must be 1 to 100",
        );
    }
    for _ in 0..3 {
        s.mint("alice", 10_000_000).unwrap();
    }
    s.update_params(ParamsUpdate {
        max_pending_per_owner: Some(1),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(s.config().params.max_pending_per_owner, 1);
    assert_err(s.mint("alice", 10_000_000), &cap_error(1));
    assert_eq!(s.queue(RequestKind::Mint).requests.len(), 3);
    s.next_epoch();
    s.mint("alice", 10_000_000).unwrap();
    assert_err(s.mint("alice", 10_000_000), &cap_error(1));
    s.update_params(ParamsUpdate {
        max_pending_per_owner: Some(100),
        ..Default::default()
    })
    .unwrap();
    s.mint("alice", 10_000_000).unwrap();
}
