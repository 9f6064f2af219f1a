//! Circuit breaker: CR crossing warning and halt in both directions, per-record recomputation,
//! stretched mint epochs, halted mints, an unhealthy oracle mid-queue, vault shortfalls.

use crate::common;

use bme::msg::{CancelReason, Mode, RequestKind, RequestState, RetryReason};
use common::*;
use supercloud_events::bme::BmeEvent;

/// Tenant holds 997.5 ACT minted from 1000 AKT at 1.00 (CR 10025 bps).
fn minted_suite() -> Suite {
    let mut s = Suite::new("1");
    s.mint("tenant", 1_000_000_000).unwrap();
    let res = s.next_epoch();
    assert_eq!(executed(&res), vec![1]);
    assert_eq!(s.act_of("tenant"), 997_500_000);
    assert_eq!(s.status().cr_bps, 10_025);
    s
}

#[test]
fn cr_crosses_warning_and_halt_down_and_up() {
    let mut s = minted_suite();
    assert_eq!(s.status().mode, Mode::Healthy);

    // 0.94: 940 / 997.5 = 9423 bps → warning; mint epochs stretch 7 steps: 10 × 1.1^7 = 19.
    s.set_price("0.94");
    let res = s.process();
    assert_eq!(mode_changes(&res), vec![(Mode::Healthy, Mode::Warning)]);
    let st = s.status();
    assert_eq!((st.mode, st.cr_bps), (Mode::Warning, 9_423));
    assert_eq!(st.mint_epoch_blocks, 19);
    // Mints are still accepted in warning; the next mint epoch after one closes is 19 blocks on.
    s.mint("alice", 20_000_000).unwrap();
    let mut res = s.next_epoch();
    while !bme_events(&res)
        .iter()
        .any(|e| matches!(e, BmeEvent::EpochClosed(c) if c.kind == RequestKind::Mint))
    {
        res = s.next_epoch();
    }
    let closed = bme_events(&res)
        .into_iter()
        .find_map(|e| match e {
            BmeEvent::EpochClosed(c) if c.kind == RequestKind::Mint => Some(c),
            _ => None,
        })
        .unwrap();
    assert_eq!(closed.executed, 1);
    // After alice's mint (18.8 ACT for 20 AKT) CR = 1020 × 0.94 / 1016.253 = 9434 → 6 steps → 17.
    let st = s.status();
    assert_eq!(st.cr_bps, 9_434);
    assert_eq!(closed.next_epoch, closed.height + 17);

    // 0.89: halt-CR. Mints refused at submission, burns still accepted.
    s.set_price("0.89");
    let res = s.process();
    assert_eq!(mode_changes(&res), vec![(Mode::Warning, Mode::HaltCr)]);
    assert_eq!(s.status().mode, Mode::HaltCr);
    assert_err(s.mint("bob", 100_000_000), "not accepted in mode halt_cr");
    s.burn("tenant", 10_000_000).unwrap();

    // Back up: 0.93 → warning, 1.00 → healthy; mints accepted again.
    s.set_price("0.93");
    let res = s.process();
    assert_eq!(mode_changes(&res), vec![(Mode::HaltCr, Mode::Warning)]);
    s.set_price("1");
    let res = s.process();
    assert_eq!(mode_changes(&res), vec![(Mode::Warning, Mode::Healthy)]);
    assert_eq!(s.status().mint_epoch_blocks, 10);
    s.mint("bob", 100_000_000).unwrap();
}

#[test]
fn cr_is_recomputed_after_every_record() {
    let mut s = minted_suite();
    // 0.91: CR 9122 (warning). Burning 100 ACT twice: 810/897.5 = 9025 (warning), then
    // 710/797.5 = 8902 (halt-CR) — the breaker trips between the two records.
    s.set_price("0.91");
    s.process();
    assert_eq!(s.status().mode, Mode::Warning);
    s.burn("tenant", 100_000_000).unwrap();
    s.burn("tenant", 100_000_000).unwrap();
    let mut res = s.next_epoch();
    while executed(&res).is_empty() {
        res = s.next_epoch();
    }
    let evs = bme_events(&res);
    let kinds: Vec<String> = evs
        .iter()
        .filter_map(|e| match e {
            BmeEvent::RecordExecuted(x) => Some(format!("exec:{}:{}", x.id, x.cr_bps)),
            BmeEvent::ModeChanged(m) => Some(format!("mode:{}:{}", m.to, m.cr_bps)),
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds,
        vec!["exec:2:9025", "exec:3:8902", "mode:halt_cr:8902"],
        "mode change right after the record that caused it"
    );
    assert_eq!(s.status().mode, Mode::HaltCr);
    // 100 ACT / 0.91 = 109.890109 AKT each.
    assert_eq!(s.vault().vault_akt.u128(), 1_000_000_000 - 2 * 109_890_109);
}

#[test]
fn halted_mints_wait_then_execute_or_cancel() {
    let mut s = minted_suite();
    // Queue a mint while healthy, then the price falls into halt-CR before its epoch.
    s.mint("alice", 50_000_000).unwrap();
    s.set_price("0.85");
    let res = s.next_epoch();
    assert!(bme_events(&res).iter().any(|e| matches!(e,
        BmeEvent::RecordRetried(r) if r.id == 2 && r.reason == RetryReason::Halted && r.attempts == 1)));
    // Recovery before the third attempt: it executes at the new price.
    s.set_price("1");
    let mut res = s.next_epoch();
    while executed(&res).is_empty() {
        res = s.next_epoch();
    }
    assert_eq!(executed(&res), vec![2]);
    assert_eq!(s.request(2).attempts, 1);
    assert_eq!(s.act_of("alice"), 49_875_000);

    // A second one stays halted for 3 epochs: cancelled with `halted`, AKT refunded.
    let before = s.bank_of("bob");
    s.mint("bob", 50_000_000).unwrap();
    s.set_price("0.85");
    let mut reasons = vec![];
    for _ in 0..10 {
        let res = s.next_epoch();
        reasons.extend(cancels(&res));
        if !reasons.is_empty() {
            break;
        }
    }
    assert_eq!(reasons, vec![(3, CancelReason::Halted)]);
    assert_eq!(s.bank_of("bob"), before);
    let status = s.request(3);
    match status.state {
        RequestState::Cancelled { reason, refund, .. } => {
            assert_eq!(reason, CancelReason::Halted);
            assert_eq!(refund.u128(), 50_000_000);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(status.attempts, 3);
    assert_eq!(s.vault().pending_akt.u128(), 0);
}

#[test]
fn oracle_unhealthy_mid_queue_waits_then_executes() {
    let mut s = Suite::new("2");
    s.mint("tenant", 20_000_000).unwrap();
    s.mint("alice", 30_000_000).unwrap();
    s.stop_feed();
    assert!(!s.oracle_healthy());
    // Submissions are refused while the oracle is unhealthy.
    assert_err(s.mint("bob", 30_000_000), "oracle price unavailable");
    let res = s.next_epoch();
    assert_eq!(mode_changes(&res), vec![(Mode::Healthy, Mode::HaltOracle)]);
    let retried: Vec<(u64, RetryReason, u32)> = bme_events(&res)
        .into_iter()
        .filter_map(|e| match e {
            BmeEvent::RecordRetried(r) => Some((r.id, r.reason, r.attempts)),
            _ => None,
        })
        .collect();
    assert_eq!(
        retried,
        vec![
            (1, RetryReason::OracleUnhealthy, 1),
            (2, RetryReason::OracleUnhealthy, 1)
        ]
    );
    assert_eq!(s.status().mode, Mode::HaltOracle);
    assert_eq!(s.queue(RequestKind::Mint).requests.len(), 2);
    // Feed back (at a different price): both execute in order at 3.00.
    s.set_price("3");
    let mut res = s.next_epoch();
    while executed(&res).is_empty() {
        res = s.next_epoch();
    }
    assert_eq!(executed(&res), vec![1, 2]);
    assert_eq!(mode_changes(&res)[0], (Mode::HaltOracle, Mode::Healthy));
    // 20 AKT × 3 = 60 ACT − 0.15 spread.
    assert_eq!(s.act_of("tenant"), 59_850_000);
    assert_eq!(s.act_of("alice"), 89_775_000);
    assert_eq!(s.request(1).attempts, 1);
    s.assert_conserved(&[s.addr("tenant"), s.addr("alice")]);
}

#[test]
fn oracle_unhealthy_for_three_epochs_cancels_and_refunds() {
    let mut s = minted_suite();
    let tenant_akt = s.bank_of("tenant");
    s.mint("alice", 20_000_000).unwrap();
    s.burn("tenant", 50_000_000).unwrap();
    assert_eq!(s.act_of("tenant"), 947_500_000);
    let alice_akt = s.bank_of("alice");
    s.stop_feed();
    let mut cancelled = vec![];
    for _ in 0..10 {
        let res = s.next_epoch();
        cancelled.extend(cancels(&res));
        if cancelled.len() == 2 {
            break;
        }
    }
    cancelled.sort();
    assert_eq!(
        cancelled,
        vec![
            (2, CancelReason::OracleUnhealthy),
            (3, CancelReason::OracleUnhealthy)
        ]
    );
    assert_eq!(s.bank_of("alice"), alice_akt + 20_000_000);
    assert_eq!(s.act_of("tenant"), 997_500_000);
    assert_eq!(s.bank_of("tenant"), tenant_akt);
    let v = s.vault();
    assert_eq!((v.pending_akt.u128(), v.pending_act.u128()), (0, 0));
    assert_eq!(v.supply.u128(), 997_500_000);
    s.assert_conserved(&[s.addr("tenant"), s.addr("alice")]);
}

#[test]
fn vault_shortfall_retries_until_funded() {
    let mut s = Suite::new("1");
    s.mint("tenant", 100_000_000).unwrap();
    s.next_epoch();
    assert_eq!(s.act_of("tenant"), 99_750_000);
    // At 0.50 the tenant's 99.75 ACT are worth 199.5 AKT; the vault has 100.
    s.set_price("0.5");
    s.burn("tenant", 99_750_000).unwrap();
    let mut res = s.next_epoch();
    while bme_events(&res)
        .iter()
        .all(|e| !matches!(e, BmeEvent::RecordRetried(_)))
    {
        res = s.next_epoch();
    }
    assert!(bme_events(&res).iter().any(|e| matches!(e,
        BmeEvent::RecordRetried(r) if r.id == 2 && r.reason == RetryReason::VaultInsufficient)));
    let res = s.fund(150_000_000);
    assert!(matches!(&bme_events(&res)[0], BmeEvent::VaultFunded(f)
        if f.amount.u128() == 150_000_000 && f.vault_akt.u128() == 250_000_000));
    let mut res = s.next_epoch();
    while executed(&res).is_empty() {
        res = s.next_epoch();
    }
    assert_eq!(executed(&res), vec![2]);
    assert_eq!(s.vault().vault_akt.u128(), 50_500_000);
    assert_eq!(s.vault().remint_credits.u128(), 0);
    assert_eq!(s.supply(), 0);
    assert_eq!(s.status().cr_bps, u32::MAX);
    s.assert_conserved(&[s.addr("tenant")]);

    // Never funded: cancelled with `vault_insufficient` after 3 epochs, ACT back to the owner.
    s.set_price("1");
    s.mint("alice", 10_000_000).unwrap();
    s.next_epoch();
    s.next_epoch();
    assert_eq!(s.act_of("alice"), 9_975_000);
    s.set_price("0.01");
    s.burn("alice", 9_975_000).unwrap();
    let mut cancelled = vec![];
    for _ in 0..10 {
        cancelled.extend(cancels(&s.next_epoch()));
        if !cancelled.is_empty() {
            break;
        }
    }
    assert_eq!(cancelled, vec![(4, CancelReason::VaultInsufficient)]);
    assert_eq!(s.act_of("alice"), 9_975_000);
    s.assert_conserved(&[s.addr("tenant"), s.addr("alice")]);
}
