//! Property: whatever happens, the contract holds exactly Σ budgets − Σ payouts − Σ returns,
//! and each pilot's own books balance (budget = paid + returned + remaining).

use crate::common;

use common::*;
use pip::msg::{EnrollmentRef, ExecuteMsg, PilotsResponse, QueryMsg};
use proptest::prelude::*;
use supercloud_events::pip as ev;
use supercloud_multitest::events::of;

#[derive(Debug, Clone)]
enum Op {
    CreateCommitted {
        budget: u128,
        len: u64,
        usd_cents: u32,
    },
    CreateLiquidity {
        budget_mult: u128,
        len: u64,
        tokens: u128,
    },
    Enroll {
        pilot: usize,
        provider: usize,
    },
    Withdraw {
        pilot: usize,
        provider: usize,
    },
    Lease {
        provider: usize,
        model: usize,
        count: u32,
    },
    Book {
        lease: usize,
    },
    Advance {
        blocks: u64,
    },
    Price {
        e8: i64,
    },
    Settle {
        pilot: usize,
        limit: u32,
        fresh_price: Option<i64>,
    },
    Finalize {
        pilot: usize,
    },
    Cancel {
        pilot: usize,
    },
}

const PROVIDERS: [&str; 5] = ["p1", "p2", "p3", "p4", "p5"];
const MODELS: [&str; 3] = ["h100", "a100", "rtx4090"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (1u128..50_000_000, 5u64..20, 1u32..500).prop_map(|(budget, len, usd_cents)| {
            Op::CreateCommitted {
                budget,
                len,
                usd_cents,
            }
        }),
        2 => (3u128..6, 5u64..20, 1u128..2_000_000).prop_map(|(budget_mult, len, tokens)| {
            Op::CreateLiquidity {
                budget_mult,
                len,
                tokens,
            }
        }),
        4 => (0usize..4, 0usize..5).prop_map(|(pilot, provider)| Op::Enroll { pilot, provider }),
        1 => (0usize..8, 0usize..5).prop_map(|(pilot, provider)| Op::Withdraw { pilot, provider }),
        3 => (0usize..5, 0usize..3, 1u32..9).prop_map(|(provider, model, count)| Op::Lease {
            provider,
            model,
            count
        }),
        4 => (0usize..14).prop_map(|lease| Op::Book { lease }),
        6 => (3u64..30).prop_map(|blocks| Op::Advance { blocks }),
        1 => (1_000_000i64..500_000_000).prop_map(|e8| Op::Price { e8 }),
        6 => (0usize..4, 1u32..4, prop::option::of(1_000_000i64..500_000_000))
            .prop_map(|(pilot, limit, fresh_price)| Op::Settle { pilot, limit, fresh_price }),
        1 => (0usize..8).prop_map(|pilot| Op::Finalize { pilot }),
        1 => (0usize..8).prop_map(|pilot| Op::Cancel { pilot }),
    ]
}

struct Books {
    budgets: u128,
    payouts: u128,
    returns: u128,
    pilots: Vec<u64>,
    leases: Vec<(String, (String, u64, u64))>,
}

/// Σ payouts and Σ returns of a response, read from its typed events.
fn paid_and_returned(res: &cw_multi_test::AppResponse) -> (u128, u128) {
    let sum = |amounts: Vec<cosmwasm_std::Uint256>| -> u128 {
        amounts
            .into_iter()
            .map(|a| cosmwasm_std::Uint128::try_from(a).unwrap().u128())
            .sum()
    };
    (
        sum(of::<ev::EpochSettled>(res)
            .into_iter()
            .map(|e| e.amount)
            .collect()),
        sum(of::<ev::Returned>(res)
            .into_iter()
            .map(|e| e.amount)
            .collect()),
    )
}

fn check(s: &Suite, books: &Books, treasury0: u128) -> Result<(), TestCaseError> {
    let held = s.held();
    prop_assert_eq!(held, books.budgets - books.payouts - books.returns);
    prop_assert_eq!(s.bank_of(&s.treasury) - treasury0, books.returns);
    let mut remaining = 0u128;
    let mut start_after = None;
    loop {
        let page: PilotsResponse = s.query(&QueryMsg::Pilots {
            start_after,
            limit: Some(30),
        });
        if page.pilots.is_empty() {
            break;
        }
        for p in &page.pilots {
            let r = cosmwasm_std::Uint128::try_from(p.remaining).unwrap().u128();
            let (b, paid, ret) = (
                cosmwasm_std::Uint128::try_from(p.pilot.budget)
                    .unwrap()
                    .u128(),
                cosmwasm_std::Uint128::try_from(p.pilot.paid)
                    .unwrap()
                    .u128(),
                cosmwasm_std::Uint128::try_from(p.pilot.returned)
                    .unwrap()
                    .u128(),
            );
            prop_assert_eq!(b, paid + ret + r);
            remaining += r;
            start_after = Some(p.pilot.id);
        }
    }
    prop_assert_eq!(held, remaining);
    Ok(())
}

fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
    let mut s = Suite::new();
    let treasury0 = s.bank_of(&s.treasury.clone());
    let mut books = Books {
        budgets: 0,
        payouts: 0,
        returns: 0,
        pilots: vec![],
        leases: vec![],
    };
    // A committed and a liquidity pilot with every provider enrolled and an H100 lease each, so
    // that random bookings and settlements actually pay.
    let h = s.height();
    for (new, budget) in [
        (committed(h, h + 60, 20, "40"), 30_000_000u128),
        (liquidity(h, h + 60, 20, 1_000_000), 4_000_000),
    ] {
        let id = s.create(new, budget).unwrap();
        books.budgets += budget;
        books.pilots.push(id);
        s.enroll(id, &PROVIDERS);
    }
    for p in PROVIDERS {
        let l = s.honest_lease("owner", p, "h100", 8);
        books.leases.push((p.to_string(), l));
    }
    for op in ops {
        let h = s.height();
        match op {
            Op::CreateCommitted {
                budget,
                len,
                usd_cents,
            } => {
                let usd = format!("{}.{:02}", usd_cents / 100, usd_cents % 100);
                let mut new = committed(h, h + 3 * len, len, &usd);
                new.volatility_buffer_bps = (usd_cents % 3) * 1_000;
                if let Ok(id) = s.create(new, budget) {
                    books.budgets += budget;
                    books.pilots.push(id);
                }
            }
            Op::CreateLiquidity {
                budget_mult,
                len,
                tokens,
            } => {
                let budget = tokens * budget_mult;
                if let Ok(id) = s.create(liquidity(h, h + 3 * len, len, tokens), budget) {
                    books.budgets += budget;
                    books.pilots.push(id);
                }
            }
            Op::Enroll { pilot, provider } => {
                // Half the time: enroll the provider in every pilot.
                let ids: Vec<u64> = if pilot % 2 == 0 {
                    books.pilots.clone()
                } else {
                    books.pilots.get(pilot).copied().into_iter().collect()
                };
                for id in ids {
                    let provider = s.addr(PROVIDERS[provider]).to_string();
                    let _ = s.exec(
                        "gov",
                        &ExecuteMsg::EnrollProvider(EnrollmentRef {
                            pilot_id: id,
                            provider,
                        }),
                        &[],
                    );
                }
            }
            Op::Withdraw { pilot, provider } => {
                if let Some(&id) = books.pilots.get(pilot) {
                    let _ = s.exec(
                        PROVIDERS[provider],
                        &ExecuteMsg::WithdrawEnrollment(pilot_ref(id)),
                        &[],
                    );
                }
            }
            Op::Lease {
                provider,
                model,
                count,
            } => {
                if books.leases.len() < 10 {
                    // Odd counts: a lease at 1 uakt per block, whose payouts the value cap
                    // binds; even counts: the market rate.
                    let rate = if count % 2 == 0 {
                        market_rate(count)
                    } else {
                        1
                    };
                    let l = s.lease(
                        "owner",
                        PROVIDERS[provider],
                        rate,
                        MODELS[model],
                        count,
                        DEPOSIT,
                    );
                    books.leases.push((PROVIDERS[provider].to_string(), l));
                }
            }
            Op::Book { lease } => {
                // Past the known leases: book them all.
                let picked: Vec<_> = match books.leases.get(lease) {
                    Some(one) => vec![one.clone()],
                    None => books.leases.clone(),
                };
                for (p, l) in picked {
                    s.withdraw(&p, &l);
                }
            }
            Op::Advance { blocks } => s.advance(blocks),
            Op::Price { e8 } => s.push_price(e8),
            Op::Settle {
                pilot,
                limit,
                fresh_price,
            } => {
                if let Some(e8) = fresh_price {
                    s.push_price(e8);
                }
                if let Some(&id) = books.pilots.get(pilot) {
                    let epoch = s.pilot(id).pilot.next_epoch;
                    if let Ok(res) = s.settle(id, epoch, Some(limit)) {
                        let (paid, returned) = paid_and_returned(&res);
                        books.payouts += paid;
                        books.returns += returned;
                    }
                }
            }
            Op::Finalize { pilot } | Op::Cancel { pilot } => {
                if let Some(&id) = books.pilots.get(pilot) {
                    let (sender, msg) = if matches!(op, Op::Cancel { .. }) {
                        ("gov", ExecuteMsg::Cancel(pilot_ref(id)))
                    } else {
                        ("stranger", ExecuteMsg::Finalize(pilot_ref(id)))
                    };
                    if let Ok(res) = s.exec(sender, &msg, &[]) {
                        books.returns += paid_and_returned(&res).1;
                        prop_assert!(s.pilot(id).remaining.is_zero());
                    }
                }
            }
        }
        check(&s, &books, treasury0)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn holdings_equal_budgets_minus_payouts_minus_returns(ops in prop::collection::vec(op(), 20..90)) {
        run(ops)?;
    }
}
