//! Dust cannot freeze an account (issue 23, DESIGN §4.1): settling never walks the deposit
//! queue, at most `consume_batch` entries are consumed per call, and whatever the batch size the
//! same depositor pays the same amount and gets the same refund as eager consumption gives.

use crate::common;

use std::collections::BTreeMap;

use common::*;
use cosmwasm_std::{coin, Addr, Decimal256, Uint256};
use cw_multi_test::{BankSudo, SudoMsg};
use escrow::error::ContractError;
use escrow::msg::{DepositLimits, ExecuteMsg, QueryMsg, Resources};
use proptest::prelude::*;
use supercloud_events::escrow as ev;
use supercloud_multitest::of;

fn u(n: u128) -> Uint256 {
    Uint256::from(n)
}

fn limits(consume_batch: u32, max_live_deposits: u32) -> DepositLimits {
    DepositLimits {
        min_deposit: vec![],
        max_live_deposits,
        consume_batch,
    }
}

fn suite(limits: DepositLimits) -> Suite {
    Suite::with(Opts {
        deposit_limits: Some(limits),
        ..Opts::default()
    })
}

/// Gives `name` coins out of thin air (for depositors outside the funded set).
fn mint(s: &mut Suite, name: &str, amount: u128) {
    let to_address = s.addr(name).to_string();
    s.app
        .sudo(SudoMsg::Bank(BankSudo::Mint {
            to_address,
            amount: vec![coin(amount, DENOM)],
        }))
        .unwrap();
}

/// Asserts that `msg` fails with exactly `expected` (by its message: the VM wraps the error).
fn refused(s: &mut Suite, sender: &str, msg: &ExecuteMsg, amount: u128, expected: ContractError) {
    let funds = if amount == 0 {
        vec![]
    } else {
        vec![coin(amount, DENOM)]
    };
    let failure = s.exec(sender, msg, &funds).unwrap_err();
    assert!(
        failure.says(&expected.to_string()),
        "{failure:?} is not {expected}"
    );
}

/// Σ amount per depositor of the `deposit_consumed` and `refunded` events of every response.
#[derive(Default, Debug, PartialEq, Eq)]
struct Ledger {
    consumed: BTreeMap<Addr, Uint256>,
    refunded: BTreeMap<Addr, Uint256>,
    /// Most `deposit_consumed` events of one deposit or withdraw.
    most_consumed_per_call: usize,
}

impl Ledger {
    fn read(&mut self, res: &cw_multi_test::AppResponse) {
        for e in of::<ev::DepositConsumed>(res) {
            *self.consumed.entry(e.depositor).or_default() += e.amount;
        }
        for e in of::<ev::Refunded>(res) {
            *self.refunded.entry(e.depositor).or_default() += e.amount;
        }
    }
}

#[derive(Clone, Debug)]
enum Step {
    Advance(u64),
    Deposit(usize, u128),
    Withdraw,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (1..40u64).prop_map(Step::Advance),
        4 => (0..6usize, 1..400u128).prop_map(|(who, n)| Step::Deposit(who, n)),
        2 => Just(Step::Withdraw),
    ]
}

const DEPOSITORS: [&str; 6] = ["owner", "alice", "bob", "carol", "dave", "erin"];

/// Runs `steps` on a fresh suite with `consume_batch`, then closes the account and refunds
/// everything; returns who paid and who got what back, and the provider's income.
fn run(steps: &[Step], consume_batch: u32) -> (Ledger, u128) {
    let mut s = suite(limits(consume_batch, 1_000));
    for name in &DEPOSITORS[3..] {
        mint(&mut s, name, 1_000_000);
    }
    let mut ledger = Ledger::default();
    ledger.read(&s.open("owner", 1, 50));
    let p = s.pay("owner", 1, "provider", "7.3");
    for step in steps {
        let res = match *step {
            Step::Advance(n) => {
                s.advance(n);
                continue;
            }
            Step::Deposit(who, n) => s.exec(
                DEPOSITORS[who],
                &s.deposit_msg("owner", 1, n, vec![]),
                &[coin(n, DENOM)],
            ),
            Step::Withdraw => s.exec("provider", &s.withdraw_msg("owner", 1, p), &[]),
        };
        // Deposits into an account closed by a lapsed grace window are refused: fine.
        if let Ok(res) = res {
            ledger.read(&res);
            // A close (a lapsed grace window) refunds up to `refund_batch` entries; otherwise a
            // call consumes at most `consume_batch`.
            if of::<ev::AccountClosed>(&res).is_empty() {
                let consumed = of::<ev::DepositConsumed>(&res).len();
                ledger.most_consumed_per_call = ledger.most_consumed_per_call.max(consumed);
            }
        }
    }
    s.advance(1);
    let close = s.close_msg("owner", 1);
    if let Ok(res) = s.exec("owner", &close, &[]) {
        ledger.read(&res);
    }
    let refund = ExecuteMsg::Refund {
        owner: s.addr("owner").to_string(),
        dseq: 1,
    };
    for _ in 0..1_000 {
        if s.account("owner", 1).refunds_pending == 0 {
            break;
        }
        ledger.read(&s.exec_ok("keeper", &refund, &[]));
    }
    let account = s.account("owner", 1);
    assert_eq!(account.refunds_pending, 0);
    assert_eq!(account.consume_pending, Uint256::zero());
    assert_eq!(s.held(), 0, "everything paid out or refunded");
    (ledger, s.bank("provider"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// Consuming one entry per call (and the rest later) or a hundred gives every depositor the
    /// same charges and refunds, and the provider the same income.
    #[test]
    fn the_consumption_batch_never_changes_who_pays(steps in prop::collection::vec(step(), 1..40)) {
        let (one, provider_one) = run(&steps, 1);
        let (all, provider_all) = run(&steps, 100);
        prop_assert!(one.most_consumed_per_call <= 1);
        prop_assert_eq!(&one.consumed, &all.consumed);
        prop_assert_eq!(&one.refunded, &all.refunded);
        prop_assert_eq!(provider_one, provider_all);
    }
}

#[test]
fn a_settlement_over_many_dust_entries_consumes_a_batch_per_call() {
    let mut s = suite(limits(10, 1_000));
    s.open("owner", 1, 100);
    for i in 0..50 {
        let name = format!("dust{i}");
        mint(&mut s, &name, 1);
        s.deposit(&name, "owner", 1, 1);
    }
    s.deposit("alice", "owner", 1, 10_000);
    let p = s.pay("owner", 1, "provider", "200");
    s.advance(1);
    // 200 due: the owner's 100, the 50 dust entries, 50 of alice's.
    let res = s.exec_ok("provider", &s.withdraw_msg("owner", 1, p), &[]);
    assert_eq!(of::<ev::DepositConsumed>(&res).len(), 10);
    assert_eq!(
        s.bank("provider") - START,
        200,
        "the provider is paid in full at once"
    );
    let account = s.account("owner", 1);
    assert_eq!(account.balance, u(100 + 50 + 10_000 - 200));
    // The owner's 100 and 9 dust entries were taken; 41 dust + 50 of alice's wait.
    assert_eq!(account.consume_pending, u(41 + 50));
    // Later calls continue: 41 dust entries in 5 calls, then alice's entry.
    let mut calls = 0;
    while !s.account("owner", 1).consume_pending.is_zero() {
        s.exec_ok(
            "alice",
            &s.deposit_msg("owner", 1, 1, vec![]),
            &[coin(1, DENOM)],
        );
        calls += 1;
    }
    assert_eq!(calls, 5);
    let deposits: escrow::msg::DepositsResponse = s.query(&QueryMsg::Deposits {
        owner: s.addr("owner").to_string(),
        dseq: 1,
        start_after: None,
        limit: None,
    });
    // Alice's entry alone is left, with what eager consumption would have left it.
    let left: Vec<_> = deposits
        .deposits
        .iter()
        .map(|d| (d.depositor.clone(), d.amount))
        .collect();
    assert_eq!(left, vec![(s.addr("alice"), u(10_000 - 50 + 5))]);
}

#[test]
fn a_full_queue_refuses_strangers_but_not_the_owner() {
    let mut s = suite(limits(30, 3));
    s.open("owner", 1, 100);
    s.deposit("alice", "owner", 1, 10);
    s.deposit("bob", "owner", 1, 10);
    let msg = s.deposit_msg("owner", 1, 10, vec![]);
    refused(
        &mut s,
        "carol",
        &msg,
        10,
        ContractError::TooManyDeposits { max: 3 },
    );
    // A top-up of the newest entry's depositor merges into it; an older depositor's would be a
    // new entry; the owner can always top up.
    s.deposit("bob", "owner", 1, 10);
    let msg = s.deposit_msg("owner", 1, 10, vec![]);
    refused(
        &mut s,
        "alice",
        &msg,
        10,
        ContractError::TooManyDeposits { max: 3 },
    );
    s.deposit("owner", "owner", 1, 10);
    // Once entries are used up, there is room again.
    s.pay("owner", 1, "provider", "120");
    s.advance(1);
    s.deposit("carol", "owner", 1, 10);
    let live = s.account("owner", 1);
    assert_eq!(live.balance, u(100 + 10 + 10 + 10 + 10 + 10 - 120));
}

#[test]
fn deposits_below_the_minimum_are_refused() {
    let mut s = suite(DepositLimits {
        min_deposit: vec![coin(1_000, DENOM)],
        ..limits(30, 1_000)
    });
    let open = ExecuteMsg::OpenAccount {
        dseq: 1,
        denom: DENOM.into(),
    };
    let below = || ContractError::DepositBelowMinimum {
        amount: u(999),
        min: u(1_000),
        denom: DENOM.into(),
    };
    refused(&mut s, "owner", &open, 999, below());
    // An account may open empty; its deposits must reach the minimum.
    s.open("owner", 1, 0);
    let msg = s.deposit_msg("owner", 1, 999, vec![]);
    refused(&mut s, "alice", &msg, 999, below());
    s.deposit("alice", "owner", 1, 1_000);
    assert_eq!(s.account("owner", 1).balance, u(1_000));
}

#[test]
fn a_lease_that_pays_nothing_books_no_gpu_work() {
    let mut s = Suite::new();
    s.open("owner", 1, 0);
    let msg = ExecuteMsg::OpenPayment {
        dseq: 1,
        provider: s.addr("provider").to_string(),
        rate: Decimal256::new(Uint256::one()),
        resources: Resources {
            gpu_model: "h100".into(),
            gpu_count: u32::MAX,
        },
    };
    let res = s.exec_ok("owner", &msg, &[]);
    let p = cosmwasm_std::from_json::<escrow::msg::OpenPaymentResponse>(res.data.unwrap())
        .unwrap()
        .payment_id;
    let from = s.height();
    s.advance(1_000);
    s.exec_ok("provider", &s.withdraw_msg("owner", 1, p), &[]);
    let work: escrow::msg::VerifiedWorkResponse = s.query(&QueryMsg::VerifiedWork {
        provider: s.addr("provider").to_string(),
        denom: DENOM.into(),
        gpu_model: "h100".into(),
        from_height: from,
        to_height: s.height(),
    });
    assert_eq!(work.value, Uint256::zero());
    assert_eq!((work.gpu_blocks.u128(), work.gpu_seconds.u128()), (0, 0));
}
