//! No accrual is lost to rounding (DESIGN §4.1, review finding): each payment carries the
//! fraction below one base unit to its next settlement, so whatever touches the account a
//! payment is charged `floor(rate × live blocks)`; and the events an indexer reads (rate,
//! predicted depletion, which deposit paid) agree with the contract's own answers.

use crate::common;

use common::*;
use cosmwasm_std::{Decimal256, Uint256};
use escrow::msg::{QueryMsg, TimeToDepletionResponse};
use proptest::prelude::*;
use supercloud_events::escrow as ev;
use supercloud_multitest::{of, one};

fn u(n: u128) -> Uint256 {
    Uint256::from(n)
}

fn settled_to(res: &cw_multi_test::AppResponse, payment_id: u64) -> u128 {
    of::<ev::PaymentSettled>(res)
        .iter()
        .filter(|e| e.payment_id == payment_id)
        .map(|e| cosmwasm_std::Uint128::try_from(e.amount).unwrap().u128())
        .sum()
}

#[test]
fn withdrawing_every_block_earns_what_one_withdrawal_earns() {
    // The review: 2.5 uakt per block for 10 blocks is 25 withdrawn once, but was 20 withdrawn
    // every block (each settlement floored 2.5 to 2).
    let mut once = Suite::new();
    once.open("owner", 1, 1_000);
    let p = once.pay("owner", 1, "provider", "2.5");
    once.advance(10);
    once.exec_ok("provider", &once.withdraw_msg("owner", 1, p), &[]);
    let mut every = Suite::new();
    every.open("owner", 1, 1_000);
    let q = every.pay("owner", 1, "provider", "2.5");
    for _ in 0..10 {
        every.advance(1);
        every.exec_ok("provider", &every.withdraw_msg("owner", 1, q), &[]);
    }
    assert_eq!(once.bank("provider"), START + 25);
    assert_eq!(every.bank("provider"), START + 25);
}

#[test]
fn a_sub_unit_rate_is_paid_even_when_touched_every_block() {
    // The review: at 0.9 per block, an owner depositing 1 every block (each deposit settles)
    // left the provider with 0 after 10 blocks and got every deposit back on close.
    let mut s = Suite::new();
    s.open("owner", 1, 0);
    let p = s.pay("owner", 1, "provider", "0.9");
    for _ in 0..10 {
        s.advance(1);
        s.deposit("owner", "owner", 1, 1);
    }
    s.exec_ok("owner", &s.close_msg("owner", 1), &[]);
    assert_eq!(s.bank("provider"), START + 9, "floor(0.9 × 10)");
    assert_eq!(s.bank("owner"), START - 9);
    let payment: escrow::msg::PaymentResponse = s.query(&QueryMsg::Payment {
        owner: s.addr("owner").to_string(),
        dseq: 1,
        payment_id: p,
    });
    assert_eq!(payment.withdrawn, u(9));
    assert_eq!(s.held(), 0);
}

#[test]
fn events_carry_the_rate_the_predicted_depletion_and_who_paid() {
    let mut s = Suite::new();
    let res = s.open("owner", 1, 100);
    let d = one::<ev::Deposited>(&res);
    assert_eq!((d.account_rate, d.depletes_at), (Decimal256::zero(), None));
    s.deposit("alice", "owner", 1, 50);
    let opened = {
        let msg = escrow::msg::ExecuteMsg::OpenPayment {
            dseq: 1,
            provider: s.addr("provider").to_string(),
            rate: "1.5".parse().unwrap(),
            resources: escrow::msg::Resources {
                gpu_model: "h100".into(),
                gpu_count: 1,
            },
        };
        one::<ev::PaymentOpened>(&s.exec_ok("owner", &msg, &[]))
    };
    let ttd = |s: &Suite| -> TimeToDepletionResponse {
        s.query(&QueryMsg::TimeToDepletion {
            owner: s.addr("owner").to_string(),
            dseq: 1,
        })
    };
    // 150 at 1.5 per block: 100 blocks covered, the 101st exhausts.
    assert_eq!(opened.account_rate, "1.5".parse::<Decimal256>().unwrap());
    assert_eq!(opened.depletes_at, Some(s.height() + 101));
    assert_eq!(opened.depletes_at, ttd(&s).depletes_at);
    s.advance(70);
    // 70 blocks = 105 due: the owner's 100 first (used up), then 5 of alice's 50.
    let res = s.deposit("bob", "owner", 1, 30);
    let consumed: Vec<_> = of::<ev::DepositConsumed>(&res)
        .into_iter()
        .map(|e| (e.depositor, e.amount, e.deposit_remaining))
        .collect();
    assert_eq!(
        consumed,
        vec![
            (s.addr("owner"), u(100), u(0)),
            (s.addr("alice"), u(5), u(45)),
        ]
    );
    let settled = one::<ev::Settled>(&res);
    assert_eq!(settled.amount, u(105));
    let deposited = one::<ev::Deposited>(&res);
    // 45 + 30 left at 1.5 per block: 50 more blocks, and the carry is 0 (105 was exact).
    assert_eq!(deposited.depletes_at, Some(s.height() + 51));
    assert_eq!(deposited.depletes_at, ttd(&s).depletes_at);
    assert_eq!(
        settled.depletes_at,
        Some(s.height() + 31),
        "before bob's 30"
    );
}

#[derive(Clone, Debug)]
enum Touch {
    Advance(u64),
    Withdraw(usize),
    Deposit(u128),
    Open(u64),
    Close(usize),
}

fn touch() -> impl Strategy<Value = Touch> {
    prop_oneof![
        5 => (1..30u64).prop_map(Touch::Advance),
        3 => (0..3usize).prop_map(Touch::Withdraw),
        2 => (1..50u128).prop_map(Touch::Deposit),
        1 => (1..3_000_000u64).prop_map(Touch::Open),
        1 => (0..3usize).prop_map(Touch::Close),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// For random rates (many below one unit per block) and random touch sequences, the total
    /// settled to each payment equals floor(rate × live blocks) of one settlement over its life.
    #[test]
    fn each_payment_is_charged_floor_of_rate_times_live_blocks(
        touches in prop::collection::vec(touch(), 1..40),
    ) {
        let mut s = Suite::new();
        s.open("owner", 1, 10_000_000);
        // (payment id, rate, opened at, closed at, settled so far)
        let mut payments: Vec<(u64, Decimal256, u64, Option<u64>, u128)> = Vec::new();
        let record = |payments: &mut Vec<(u64, Decimal256, u64, Option<u64>, u128)>, res: &cw_multi_test::AppResponse| {
            for p in payments.iter_mut() {
                p.4 += settled_to(res, p.0);
            }
        };
        for t in &touches {
            match *t {
                Touch::Advance(n) => s.advance(n),
                Touch::Withdraw(i) => {
                    if let Some(&(id, _, _, None, _)) = payments.get(i) {
                        let res = s.exec_ok("provider", &s.withdraw_msg("owner", 1, id), &[]);
                        record(&mut payments, &res);
                    }
                }
                Touch::Deposit(n) => {
                    let res = s.deposit("alice", "owner", 1, n);
                    record(&mut payments, &res);
                }
                Touch::Open(micro) if payments.len() < 3 => {
                    let rate = Decimal256::from_ratio(micro, 1_000_000u64);
                    let msg = escrow::msg::ExecuteMsg::OpenPayment {
                        dseq: 1,
                        provider: s.addr("provider").to_string(),
                        rate,
                        resources: escrow::msg::Resources { gpu_model: "h100".into(), gpu_count: 1 },
                    };
                    let res = s.exec_ok("owner", &msg, &[]);
                    record(&mut payments, &res);
                    let id = one::<ev::PaymentOpened>(&res).payment_id;
                    payments.push((id, rate, s.height(), None, 0));
                }
                Touch::Open(_) => {}
                Touch::Close(i) => {
                    if let Some(&(id, _, _, None, _)) = payments.get(i) {
                        let msg = escrow::msg::ExecuteMsg::ClosePayment {
                            owner: s.addr("owner").to_string(), dseq: 1, payment_id: id,
                        };
                        let res = s.exec_ok("owner", &msg, &[]);
                        record(&mut payments, &res);
                        payments[i].3 = Some(s.height());
                    }
                }
            }
        }
        s.advance(1);
        let res = s.exec_ok("owner", &s.close_msg("owner", 1), &[]);
        record(&mut payments, &res);
        let end = s.height();
        for (id, rate, opened, closed, settled) in &payments {
            let live = closed.unwrap_or(end) - opened;
            let once = Uint256::from(live).checked_mul_floor(*rate).unwrap();
            prop_assert_eq!(u(*settled), once, "payment {} at {} for {} blocks", id, rate, live);
        }
    }
}
