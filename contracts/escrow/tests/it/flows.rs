//! Escrow behaviour through cw-multi-test with a real bank: every message, its failure modes,
//! and the money each party ends up with.

use crate::common;

use common::*;
use cosmwasm_std::{coin, Decimal256, Uint256};
use cw_multi_test::Executor;
use escrow::msg::{
    AccountRefsResponse, ConfigUpdate, DepositsResponse, ExecuteMsg, PaymentRef, PaymentResponse,
    PaymentsResponse, QueryMsg, ReceiveHook, ScopeMsg, SourceMsg, TimeToDepletionResponse,
};
use escrow::msg::{AccountState, CloseReason, PaymentState, Resources};
use supercloud_events::escrow as ev;
use supercloud_multitest::{of, one};
use supercloud_std::AuthorityMsg;

fn u(n: u128) -> Uint256 {
    Uint256::from(n)
}

#[test]
fn deposits_merge_per_depositor_and_are_spent_oldest_first() {
    let mut s = Suite::new();
    s.open("owner", 1, 100);
    s.deposit("alice", "owner", 1, 100);
    s.deposit("alice", "owner", 1, 50);
    let deps: DepositsResponse = s.query(&QueryMsg::Deposits {
        owner: s.addr("owner").to_string(),
        dseq: 1,
        start_after: None,
        limit: None,
    });
    assert_eq!(
        deps.deposits.len(),
        2,
        "alice's two deposits merge into one entry"
    );
    assert_eq!(
        (deps.deposits[1].amount, deps.deposits[1].deposited),
        (u(150), u(150))
    );
    let p = s.pay("owner", 1, "provider", "3");
    s.advance(50); // 150 due: owner's 100 first, then 50 of alice's.
    let res = s.exec_ok("provider", &s.withdraw_msg("owner", 1, p), &[]);
    assert_eq!(one::<ev::Withdrawn>(&res).amount, u(150));
    assert_eq!(s.bank("provider"), START + 150);
    let deps: DepositsResponse = s.query(&QueryMsg::Deposits {
        owner: s.addr("owner").to_string(),
        dseq: 1,
        start_after: None,
        limit: None,
    });
    assert_eq!(deps.deposits.len(), 1);
    assert_eq!(deps.deposits[0].depositor, s.addr("alice"));
    assert_eq!(deps.deposits[0].amount, u(100));
    assert_eq!(s.held(), 100);
}

#[test]
fn second_withdraw_in_the_same_block_pays_zero_without_failing() {
    let mut s = Suite::new();
    s.open("owner", 1, 1_000);
    let p = s.pay("owner", 1, "provider", "2.5");
    s.advance(4);
    let first = s.exec_ok("provider", &s.withdraw_msg("owner", 1, p), &[]);
    assert_eq!(one::<ev::Withdrawn>(&first).amount, u(10));
    let second = s.exec_ok("provider", &s.withdraw_msg("owner", 1, p), &[]);
    assert_eq!(one::<ev::Withdrawn>(&second).amount, u(0));
    assert!(
        of::<ev::Settled>(&second).is_empty(),
        "nothing to settle in the same block"
    );
    assert_eq!(s.bank("provider"), START + 10);
}

#[test]
fn settlement_event_carries_heights_and_per_payment_amounts() {
    let mut s = Suite::new();
    s.open("owner", 1, 1_000);
    let h0 = s.height();
    let a = s.pay("owner", 1, "provider", "1.5");
    let b = s.pay("owner", 1, "provider2", "0.7");
    s.advance(3);
    let res = s.exec_ok("provider", &s.withdraw_msg("owner", 1, a), &[]);
    let settled = one::<ev::Settled>(&res);
    assert_eq!((settled.from_height, settled.to_height), (h0, h0 + 3));
    assert_eq!(settled.amount, u(6)); // floor(4.5) + floor(2.1)
    let per: Vec<_> = of::<ev::PaymentSettled>(&res)
        .into_iter()
        .map(|e| (e.payment_id, e.amount))
        .collect();
    assert_eq!(per, vec![(a, u(4)), (b, u(2))]);
}

#[test]
fn overdraw_without_grace_closes_pays_what_was_covered_and_writes_off_debt() {
    let mut s = Suite::new(); // grace 0
    s.open("owner", 1, 55);
    let p = s.pay("owner", 1, "provider", "10");
    let h0 = s.height();
    s.advance(10);
    let res = s.exec_ok("provider", &s.withdraw_msg("owner", 1, p), &[]);
    // 55 covers 5 blocks (50); block 6 is the exhausting one: 5 of its 10 are paid, 5 are debt,
    // and charging stops there (the touch four blocks later adds nothing).
    let over = one::<ev::Overdrawn>(&res);
    assert_eq!((over.exhausted_at, over.debt), (h0 + 6, u(5)));
    let settled = one::<ev::Settled>(&res);
    assert_eq!(
        (settled.to_height, settled.exhausted_at, settled.depletes_at),
        (h0 + 6, Some(h0 + 6), None)
    );
    let closed = one::<ev::PaymentClosed>(&res);
    assert_eq!((closed.paid_out, closed.unpaid_debt), (u(55), u(5)));
    assert_eq!(closed.reason, CloseReason::AccountClosed);
    assert_eq!(
        one::<ev::AccountClosed>(&res).reason,
        CloseReason::Overdrawn
    );
    assert_eq!(s.bank("provider"), START + 55);
    assert_eq!(s.account("owner", 1).state, AccountState::Closed);
    assert_eq!(s.held(), 0);
    // Closed is terminal.
    let err = s
        .exec(
            "alice",
            &s.deposit_msg("owner", 1, 10, vec![]),
            &[coin(10, DENOM)],
        )
        .unwrap_err();
    assert!(err.says("grace window ended"), "{err}");
    assert_eq!(s.bank("alice"), START);
}

#[test]
fn overdraw_outcome_does_not_depend_on_when_the_account_is_touched() {
    // The same account touched at its exhausting block, 40 blocks later, and every block: the
    // same exhaustion height, the same debt, the same provider income and the same top-up to
    // reopen (the review found debt growing until somebody looked).
    let mut outcomes = Vec::new();
    for touch_every in [6u64, 46, 1] {
        let mut s = Suite::with(Opts {
            grace: 100,
            ..Opts::default()
        });
        s.open("owner", 1, 55);
        let p = s.pay("owner", 1, "provider", "10");
        let h0 = s.height();
        while s.height() < h0 + 46 {
            s.advance(touch_every.min(h0 + 46 - s.height()));
            s.exec_ok("provider", &s.withdraw_msg("owner", 1, p), &[]);
        }
        let acct = s.account("owner", 1);
        assert_eq!(acct.state, AccountState::Overdrawn);
        let res = s.deposit("sponsor", "owner", 1, 100);
        let debt_paid = one::<ev::DebtPaid>(&res).amount;
        outcomes.push((
            acct.preview.exhausted_at.map(|h| h - h0),
            acct.preview.debt,
            s.bank("provider") - START,
            debt_paid,
        ));
    }
    assert_eq!(outcomes[0], (Some(6), u(5), 55, u(5)));
    assert!(outcomes.iter().all(|o| *o == outcomes[0]), "{outcomes:?}");
}

#[test]
fn top_up_inside_grace_pays_debt_first_and_reopens() {
    let mut s = Suite::with(Opts {
        grace: 100,
        ..Opts::default()
    });
    s.open("owner", 1, 55);
    let p = s.pay("owner", 1, "provider", "10");
    s.advance(10);
    s.exec_ok("provider", &s.withdraw_msg("owner", 1, p), &[]);
    let acct = s.account("owner", 1);
    assert_eq!(acct.state, AccountState::Overdrawn);
    assert_eq!(acct.preview.debt, u(5));
    // Overdrawn accounts take no new payments.
    let err = s
        .exec(
            "owner",
            &ExecuteMsg::OpenPayment {
                dseq: 1,
                provider: s.addr("provider").to_string(),
                rate: Decimal256::one(),
                resources: Resources {
                    gpu_model: "a100".into(),
                    gpu_count: 1,
                },
            },
            &[],
        )
        .unwrap_err();
    assert!(err.says("is overdrawn"));
    s.advance(5); // not charged while overdrawn
    let res = s.deposit("sponsor", "owner", 1, 100);
    assert_eq!(one::<ev::DebtPaid>(&res).amount, u(5));
    let reopened = one::<ev::Reopened>(&res);
    assert_eq!(reopened.account_rate, Decimal256::from_ratio(10u8, 1u8));
    // 95 left at 10 per block: 9 blocks covered, the 10th after the reopen exhausts.
    assert_eq!(reopened.depletes_at, Some(s.height() + 10));
    let acct = s.account("owner", 1);
    assert_eq!(
        (acct.state, acct.balance, acct.settled_at),
        (AccountState::Open, u(95), s.height())
    );
    s.advance(2);
    s.exec_ok("provider", &s.withdraw_msg("owner", 1, p), &[]);
    assert_eq!(s.bank("provider"), START + 55 + 5 + 20);
    assert_eq!(s.held(), 75);
}

#[test]
fn after_grace_anyone_can_close_and_deposits_are_refused() {
    let mut s = Suite::with(Opts {
        grace: 3,
        ..Opts::default()
    });
    s.open("owner", 1, 20);
    s.pay("owner", 1, "provider", "10");
    s.advance(2); // exactly covered
    assert_eq!(s.account("owner", 1).preview.exhausted_at, None);
    s.advance(1); // exhausted at this height
    let err = s
        .exec("stranger", &s.close_msg("owner", 1), &[])
        .unwrap_err();
    assert!(err.says("unauthorized:"), "still inside grace");
    s.advance(4);
    let err = s
        .exec(
            "alice",
            &s.deposit_msg("owner", 1, 5, vec![]),
            &[coin(5, DENOM)],
        )
        .unwrap_err();
    assert!(err.says("grace window ended"), "{err}");
    let res = s.exec_ok("stranger", &s.close_msg("owner", 1), &[]);
    assert_eq!(
        one::<ev::AccountClosed>(&res).reason,
        CloseReason::Overdrawn
    );
    assert_eq!(s.bank("provider"), START + 20);
}

#[test]
fn close_refunds_each_depositor_its_remainder_in_deposit_order() {
    let mut s = Suite::new();
    s.open("owner", 1, 30);
    s.deposit("alice", "owner", 1, 40);
    s.deposit("bob", "owner", 1, 50);
    s.pay("owner", 1, "provider", "5");
    s.advance(10); // 50 spent: owner 30, alice 20
    let res = s.exec_ok("owner", &s.close_msg("owner", 1), &[]);
    let refunds: Vec<_> = of::<ev::Refunded>(&res)
        .into_iter()
        .map(|e| (e.depositor.to_string(), e.amount.to_string()))
        .collect();
    assert_eq!(
        refunds,
        vec![
            (s.addr("alice").to_string(), "20".into()),
            (s.addr("bob").to_string(), "50".into())
        ]
    );
    assert_eq!(s.bank("alice"), START - 20);
    assert_eq!(s.bank("bob"), START);
    assert_eq!(s.bank("owner"), START - 30);
    assert_eq!(s.bank("provider"), START + 50);
    assert_eq!(s.held(), 0);
    let err = s.exec("owner", &s.close_msg("owner", 1), &[]).unwrap_err();
    assert!(err.says("is closed"));
}

#[test]
fn refunds_run_in_capped_batches_that_anyone_continues() {
    let mut s = Suite::with(Opts {
        refund_batch: Some(2),
        ..Opts::default()
    });
    s.open("owner", 1, 10);
    for name in ["alice", "bob", "carol", "dave"] {
        s.deposit(name, "owner", 1, 10);
    }
    let res = s.exec_ok("owner", &s.close_msg("owner", 1), &[]);
    assert_eq!(of::<ev::Refunded>(&res).len(), 2);
    assert_eq!(one::<ev::AccountClosed>(&res).refunds_pending, 3);
    assert_eq!(s.account("owner", 1).refunds_pending, 3);
    let refund = ExecuteMsg::Refund {
        owner: s.addr("owner").to_string(),
        dseq: 1,
    };
    assert_eq!(
        of::<ev::Refunded>(&s.exec_ok("stranger", &refund, &[])).len(),
        2
    );
    assert_eq!(
        of::<ev::Refunded>(&s.exec_ok("stranger", &refund, &[])).len(),
        1
    );
    // Nothing pending: a no-op that keepers may call without a prior query.
    let res = s.exec_ok("stranger", &refund, &[]);
    assert!(of::<ev::Refunded>(&res).is_empty());
    assert_eq!(s.held(), 0);
    for name in ["owner", "alice", "bob", "carol", "dave"] {
        assert_eq!(s.bank(name), START, "{name} got everything back");
    }
}

#[test]
fn allowances_are_spent_in_listed_order_and_refunds_credit_them_back() {
    let mut s = Suite::new();
    s.open("owner", 1, 0);
    let grant = ExecuteMsg::GrantAllowance {
        grantee: s.addr("agent").to_string(),
        scope: ScopeMsg::Owner {
            owner: s.addr("owner").to_string(),
        },
        expires_at: None,
    };
    s.exec_ok("sponsor", &grant, &[coin(100, DENOM)]);
    s.exec_ok("sponsor2", &grant, &[coin(30, DENOM)]);
    let sources = vec![
        SourceMsg::Allowance {
            granter: s.addr("sponsor2").to_string(),
        },
        SourceMsg::Allowance {
            granter: s.addr("sponsor").to_string(),
        },
        SourceMsg::Funds {},
    ];
    // 30 from sponsor2, 100 from sponsor, 20 of the 80 attached; 60 goes back to the agent.
    let res = s.exec_ok(
        "agent",
        &s.deposit_msg("owner", 1, 150, sources),
        &[coin(80, DENOM)],
    );
    let parts: Vec<_> = of::<ev::Deposited>(&res)
        .into_iter()
        .map(|e| {
            (
                e.depositor.to_string(),
                e.source.to_string(),
                e.amount.to_string(),
            )
        })
        .collect();
    assert_eq!(
        parts,
        vec![
            (
                s.addr("sponsor2").to_string(),
                "allowance".into(),
                "30".into()
            ),
            (
                s.addr("sponsor").to_string(),
                "allowance".into(),
                "100".into()
            ),
            (s.addr("agent").to_string(), "funds".into(), "20".into()),
        ]
    );
    assert_eq!(s.bank("agent"), START - 20);
    s.pay("owner", 1, "provider", "10");
    s.advance(4); // 40 spent: all of sponsor2's 30, 10 of sponsor's
    s.exec_ok("owner", &s.close_msg("owner", 1), &[]);
    let a: escrow::msg::AllowanceResponse = s.query(&QueryMsg::Allowance {
        granter: s.addr("sponsor").to_string(),
        grantee: s.addr("agent").to_string(),
        denom: DENOM.into(),
    });
    assert_eq!(
        a.balance,
        u(90),
        "sponsor's unspent 90 credited back to the allowance"
    );
    assert_eq!(s.bank("agent"), START, "agent's own 20 refunded");
    // Revoke returns the allowance to the granter.
    let revoke = ExecuteMsg::RevokeAllowance {
        grantee: s.addr("agent").to_string(),
        denom: DENOM.into(),
    };
    s.exec_ok("sponsor", &revoke, &[]);
    assert_eq!(s.bank("sponsor"), START - 10);
    assert_eq!(s.bank("sponsor2"), START - 30);
    assert_eq!(s.held(), 0);
}

#[test]
fn allowance_rules_are_enforced() {
    let mut s = Suite::new();
    s.open("owner", 1, 0);
    s.open("owner2", 1, 0);
    let scope = ScopeMsg::Account {
        owner: s.addr("owner").to_string(),
        dseq: 1,
    };
    let grant = ExecuteMsg::GrantAllowance {
        grantee: s.addr("agent").to_string(),
        scope,
        expires_at: Some(s.height() + 5),
    };
    s.exec_ok("sponsor", &grant, &[coin(100, DENOM)]);
    let from_sponsor = || {
        vec![SourceMsg::Allowance {
            granter: common_addr("sponsor"),
        }]
    };
    let err = s
        .exec(
            "agent",
            &s.deposit_msg("owner2", 1, 10, from_sponsor()),
            &[],
        )
        .unwrap_err();
    assert!(err.says("does not cover account"));
    let err = s
        .exec(
            "stranger",
            &s.deposit_msg("owner", 1, 10, from_sponsor()),
            &[],
        )
        .unwrap_err();
    assert!(err.says("no allowance from"));
    let err = s
        .exec(
            "agent",
            &s.deposit_msg("owner", 1, 101, from_sponsor()),
            &[],
        )
        .unwrap_err();
    assert!(err.says("deposit sources cover"));
    let twice = vec![SourceMsg::Funds {}, SourceMsg::Funds {}];
    let err = s
        .exec(
            "agent",
            &s.deposit_msg("owner", 1, 10, twice),
            &[coin(10, DENOM)],
        )
        .unwrap_err();
    assert!(err.says("deposit source listed twice"));
    s.advance(5);
    let err = s
        .exec("agent", &s.deposit_msg("owner", 1, 10, from_sponsor()), &[])
        .unwrap_err();
    assert!(err.says("expired at height"));
    let self_grant = ExecuteMsg::GrantAllowance {
        grantee: s.addr("sponsor").to_string(),
        scope: ScopeMsg::Any {},
        expires_at: None,
    };
    assert!(s
        .exec("sponsor", &self_grant, &[coin(1, DENOM)])
        .unwrap_err()
        .says("granter and grantee must differ"));
    assert_eq!(s.held(), 100, "failed attempts moved nothing");
}

fn common_addr(name: &str) -> String {
    cosmwasm_std::testing::MockApi::default()
        .addr_make(name)
        .to_string()
}

#[test]
fn bad_input_is_refused_with_typed_errors_and_moves_nothing() {
    let mut s = Suite::new();
    s.open("owner", 1, 100);
    let open = |denom: &str| ExecuteMsg::OpenAccount {
        dseq: 2,
        denom: denom.into(),
    };
    assert!(s
        .exec("owner", &open("uother"), &[])
        .unwrap_err()
        .says("is not accepted for escrow accounts"));
    assert!(s
        .exec("owner", &open("u!"), &[])
        .unwrap_err()
        .says("invalid denom"));
    assert!(s
        .exec("owner", &open(DENOM), &[coin(5, USDC)])
        .unwrap_err()
        .says("wrong denom"));
    assert!(s
        .exec(
            "owner",
            &ExecuteMsg::OpenAccount {
                dseq: 1,
                denom: DENOM.into()
            },
            &[]
        )
        .unwrap_err()
        .says("already exists"));
    assert!(s
        .exec("alice", &s.deposit_msg("owner", 1, 0, vec![]), &[])
        .unwrap_err()
        .says("must be greater than zero"));
    assert!(s
        .exec(
            "alice",
            &s.deposit_msg("owner", 1, 10, vec![]),
            &[coin(10, USDC)]
        )
        .unwrap_err()
        .says("wrong denom"));
    assert!(s
        .exec(
            "alice",
            &s.deposit_msg("owner", 9, 10, vec![]),
            &[coin(10, DENOM)]
        )
        .unwrap_err()
        .says("not found"));
    assert!(s
        .exec(
            "alice",
            &s.deposit_msg("owner", 1, 10, vec![]),
            &[coin(9, DENOM)]
        )
        .unwrap_err()
        .says("deposit sources cover"));
    let pay = |rate: Decimal256, model: &str| ExecuteMsg::OpenPayment {
        dseq: 1,
        provider: common_addr("provider"),
        rate,
        resources: Resources {
            gpu_model: model.into(),
            gpu_count: 1,
        },
    };
    assert!(s
        .exec("owner", &pay(Decimal256::zero(), "h100"), &[])
        .unwrap_err()
        .says("must be greater than zero"));
    assert!(s
        .exec("owner", &pay(Decimal256::one(), ""), &[])
        .unwrap_err()
        .says("invalid resources"));
    assert!(s
        .exec("owner", &pay(Decimal256::one(), "h 100"), &[])
        .unwrap_err()
        .says("invalid resources"));
    assert!(s
        .exec("owner", &pay(Decimal256::one(), "h100"), &[coin(1, DENOM)])
        .unwrap_err()
        .says("accept funds"));
    // A rate settlement could overflow on is refused up front (it would freeze the account).
    assert!(s
        .exec("owner", &pay(Decimal256::MAX, "h100"), &[])
        .unwrap_err()
        .says("above the maximum"));
    assert_eq!(s.held(), 100, "refused messages moved nothing");
    // The highest rate accepted cannot break the books: the account overdraws and closes,
    // paying exactly what was deposited.
    s.exec_ok(
        "owner",
        &pay(escrow::execute::payment::max_rate(), "h100"),
        &[],
    );
    s.advance(2);
    s.exec_ok("provider", &s.withdraw_msg("owner", 1, 0), &[]);
    assert_eq!((s.held(), s.bank("provider")), (0, START + 100));
    assert_eq!(s.bank("alice"), START);
}

#[test]
fn only_the_right_parties_may_act() {
    let mut s = Suite::new();
    s.open("owner", 1, 100);
    let p = s.pay("owner", 1, "provider", "1");
    let err = s
        .exec("stranger", &s.withdraw_msg("owner", 1, p), &[])
        .unwrap_err();
    assert!(err.says("unauthorized:"));
    let close_payment = ExecuteMsg::ClosePayment {
        owner: s.addr("owner").to_string(),
        dseq: 1,
        payment_id: p,
    };
    assert!(s
        .exec("stranger", &close_payment, &[])
        .unwrap_err()
        .says("unauthorized:"));
    assert!(s
        .exec("stranger", &s.close_msg("owner", 1), &[])
        .unwrap_err()
        .says("unauthorized:"));
    for msg in [
        ExecuteMsg::SetPaused { paused: true },
        ExecuteMsg::UpdateConfig(ConfigUpdate {
            grace_period_blocks: Some(9),
            ..Default::default()
        }),
    ] {
        assert!(s
            .exec("stranger", &msg, &[])
            .unwrap_err()
            .says("only the authority"));
    }
    let hook = ExecuteMsg::Receive(supercloud_std::ActReceiveMsg {
        sender: s.addr("stranger").to_string(),
        amount: 5u128.into(),
        msg: cosmwasm_std::to_json_binary(&ReceiveHook::OpenAccount { dseq: 3 }).unwrap(),
    });
    assert!(s
        .exec("stranger", &hook, &[])
        .unwrap_err()
        .says("ACT is only accepted from the configured ledger"));
    // The provider may close its own payment; it is paid what was settled.
    s.advance(7);
    let res = s.exec_ok("provider", &close_payment, &[]);
    assert_eq!(one::<ev::PaymentClosed>(&res).reason, CloseReason::Provider);
    assert_eq!(s.bank("provider"), START + 7);
    let err = s
        .exec("provider", &s.withdraw_msg("owner", 1, p), &[])
        .unwrap_err();
    assert!(err.says("is closed"));
    let acct = s.account("owner", 1);
    assert_eq!(
        (acct.rate, acct.open_payments.len()),
        (Decimal256::zero(), 0)
    );
}

#[test]
fn pause_stops_inflows_but_not_exits() {
    let mut s = Suite::new();
    s.open("owner", 1, 100);
    let p = s.pay("owner", 1, "provider", "1");
    s.exec_ok("gov", &ExecuteMsg::SetPaused { paused: true }, &[]);
    let err = s
        .exec(
            "alice",
            &s.deposit_msg("owner", 1, 10, vec![]),
            &[coin(10, DENOM)],
        )
        .unwrap_err();
    assert!(err.says("contract is paused"));
    s.advance(3);
    s.exec_ok("provider", &s.withdraw_msg("owner", 1, p), &[]);
    s.exec_ok("owner", &s.close_msg("owner", 1), &[]);
    assert_eq!(s.bank("owner"), START - 3);
    s.exec_ok("gov", &ExecuteMsg::SetPaused { paused: false }, &[]);
    s.open("owner", 2, 1);
}

#[test]
fn authority_handover_takes_two_steps() {
    let mut s = Suite::new();
    let dao = s.addr("dao").to_string();
    s.exec_ok(
        "gov",
        &ExecuteMsg::Authority(AuthorityMsg::Propose { new_authority: dao }),
        &[],
    );
    let upd = ExecuteMsg::UpdateConfig(ConfigUpdate {
        refund_batch: Some(5),
        ..Default::default()
    });
    assert!(
        s.exec("dao", &upd, &[]).is_err(),
        "not authority before accepting"
    );
    let res = s.exec_ok("dao", &ExecuteMsg::Authority(AuthorityMsg::Accept {}), &[]);
    assert_eq!(
        res.events
            .iter()
            .filter(|e| e.ty == "wasm-escrow.authority_accepted")
            .count(),
        1
    );
    s.exec_ok("dao", &upd, &[]);
    assert!(s.exec("gov", &upd, &[]).is_err());
    let bad = ExecuteMsg::UpdateConfig(ConfigUpdate {
        refund_batch: Some(0),
        ..Default::default()
    });
    assert!(s.exec("dao", &bad, &[]).unwrap_err().says("invalid config"));
    let bad = ExecuteMsg::UpdateConfig(ConfigUpdate {
        native_denoms: Some(vec!["uact".into()]),
        ..Default::default()
    });
    assert!(s.exec("dao", &bad, &[]).unwrap_err().says("invalid config"));
}

#[test]
fn migrate_refuses_replay_and_downgrade() {
    let mut s = Suite::new();
    let code = s.app.store_code(escrow_contract());
    let err = s
        .app
        .migrate_contract(
            s.gov.clone(),
            s.escrow.clone(),
            &escrow::msg::MigrateMsg {},
            code,
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("already at version")
            || format!("{err:?}").contains("AlreadyMigrated"),
        "{err:?}"
    );
    cw2::set_contract_version(
        s.app.contract_storage_mut(&s.escrow).as_mut(),
        "crates.io:escrow",
        "0.0.1",
    )
    .unwrap();
    let res = s
        .app
        .migrate_contract(
            s.gov.clone(),
            s.escrow.clone(),
            &escrow::msg::MigrateMsg {},
            code,
        )
        .unwrap();
    assert!(res.events.iter().any(|e| e.ty == "wasm-escrow.migrated"));
    cw2::set_contract_version(
        s.app.contract_storage_mut(&s.escrow).as_mut(),
        "crates.io:escrow",
        "99.0.0",
    )
    .unwrap();
    let err = s
        .app
        .migrate_contract(
            s.gov.clone(),
            s.escrow.clone(),
            &escrow::msg::MigrateMsg {},
            code,
        )
        .unwrap_err();
    assert!(err.to_string().contains("cannot downgrade"), "{err}");
}

#[test]
fn time_to_depletion_counts_whole_blocks() {
    let mut s = Suite::new();
    s.open("owner", 1, 1_000);
    let none: TimeToDepletionResponse = s.query(&QueryMsg::TimeToDepletion {
        owner: s.addr("owner").to_string(),
        dseq: 1,
    });
    assert_eq!(none.blocks, None, "nothing charged yet");
    s.pay("owner", 1, "provider", "3");
    s.advance(100); // 300 due, 700 left: 233 more blocks
    let t: TimeToDepletionResponse = s.query(&QueryMsg::TimeToDepletion {
        owner: s.addr("owner").to_string(),
        dseq: 1,
    });
    assert_eq!(t.blocks, Some(233));
    assert_eq!(t.estimated_seconds, Some(233 * 6));
    assert_eq!(t.depletes_at, Some(s.height() + 234));
    s.advance(234);
    let acct = s.account("owner", 1);
    assert_eq!(
        acct.preview.exhausted_at, t.depletes_at,
        "the preview agrees with the estimate"
    );
    let t: TimeToDepletionResponse = s.query(&QueryMsg::TimeToDepletion {
        owner: s.addr("owner").to_string(),
        dseq: 1,
    });
    assert_eq!(t.blocks, Some(0));
}

#[test]
fn payments_preview_their_pending_settlement() {
    let mut s = Suite::new();
    s.open("owner", 1, 100);
    let p = s.pay("owner", 1, "provider", "4");
    s.advance(5);
    let pay: PaymentResponse = s.query(&QueryMsg::Payment {
        owner: s.addr("owner").to_string(),
        dseq: 1,
        payment_id: p,
    });
    assert_eq!((pay.withdrawable, pay.state), (u(20), PaymentState::Open));
    let acct = s.account("owner", 1);
    assert_eq!(
        (acct.balance, acct.preview.balance, acct.preview.settled),
        (u(100), u(80), u(20))
    );
}

#[test]
fn accounts_are_indexed_by_owner_depositor_and_provider_with_pagination() {
    let mut s = Suite::new();
    for dseq in 0..35 {
        s.open("owner", dseq, 0);
        s.deposit("alice", "owner", dseq, 1);
        s.pay("owner", dseq, "provider", "0.001");
    }
    let page: escrow::msg::AccountsResponse = s.query(&QueryMsg::AccountsByOwner {
        owner: s.addr("owner").to_string(),
        start_after: None,
        limit: None,
    });
    assert_eq!(page.accounts.len(), 10);
    let page: escrow::msg::AccountsResponse = s.query(&QueryMsg::AccountsByOwner {
        owner: s.addr("owner").to_string(),
        start_after: Some(29),
        limit: Some(100),
    });
    assert_eq!(
        page.accounts.iter().map(|a| a.dseq).collect::<Vec<_>>(),
        (30..35).collect::<Vec<_>>()
    );
    let refs: AccountRefsResponse = s.query(&QueryMsg::AccountsByDepositor {
        depositor: s.addr("alice").to_string(),
        start_after: None,
        limit: Some(100),
    });
    assert_eq!(refs.accounts.len(), 30, "capped at 30");
    let last = refs.accounts.last().cloned();
    let refs: AccountRefsResponse = s.query(&QueryMsg::AccountsByDepositor {
        depositor: s.addr("alice").to_string(),
        start_after: last,
        limit: Some(30),
    });
    assert_eq!(refs.accounts.len(), 5);
    s.advance(500);
    let page: PaymentsResponse = s.query(&QueryMsg::AccountsByProvider {
        provider: s.addr("provider").to_string(),
        start_after: None,
        limit: Some(7),
    });
    assert_eq!(page.payments.len(), 7);
    // One query gives a provider dashboard each lease's summary, previewed at this height:
    // 0.001/block for 500 blocks is 0.5, so nothing is withdrawable yet; the GPU declaration
    // and rate come back as opened.
    for p in &page.payments {
        assert_eq!(p.provider, s.addr("provider"));
        assert_eq!(p.rate, Decimal256::permille(1));
        assert_eq!(p.state, PaymentState::Open);
        assert_eq!(p.withdrawable, u(0));
        assert_eq!(p.resources.gpu_model, "h100");
    }
    s.advance(1_000);
    let last = page.payments.last().map(|p| PaymentRef {
        owner: p.owner.to_string(),
        dseq: p.dseq,
        payment_id: p.payment_id,
    });
    let next: PaymentsResponse = s.query(&QueryMsg::AccountsByProvider {
        provider: s.addr("provider").to_string(),
        start_after: last,
        limit: None,
    });
    assert_eq!(next.payments.first().map(|p| p.dseq), Some(7));
    // 1,500 blocks at 0.001 = 1.5: one whole unit is withdrawable in the preview.
    assert!(next.payments.iter().all(|p| p.withdrawable == u(1)));
}

#[test]
fn open_payments_per_account_are_capped() {
    let mut s = Suite::with(Opts {
        max_open_payments: Some(2),
        ..Opts::default()
    });
    s.open("owner", 1, 100);
    s.pay("owner", 1, "provider", "1");
    s.pay("owner", 1, "provider2", "1");
    let msg = ExecuteMsg::OpenPayment {
        dseq: 1,
        provider: s.addr("provider").to_string(),
        rate: Decimal256::one(),
        resources: Resources {
            gpu_model: "h100".into(),
            gpu_count: 1,
        },
    };
    assert!(s
        .exec("owner", &msg, &[])
        .unwrap_err()
        .says("maximum of 2 open payments"));
}

#[test]
fn act_arrives_through_the_ledger_hook_and_leaves_through_transfer() {
    let mut s = Suite::new();
    assert!(supercloud_multitest::act_ledger::transfer_shape_matches());
    s.mint_act("owner", 1_000);
    s.mint_act("sponsor", 500);
    s.send_act("owner", 600, &ReceiveHook::OpenAccount { dseq: 1 })
        .unwrap();
    s.send_act(
        "sponsor",
        500,
        &ReceiveHook::Deposit {
            owner: s.addr("owner").to_string(),
            dseq: 1,
        },
    )
    .unwrap();
    let acct = s.account("owner", 1);
    assert_eq!((acct.denom.as_str(), acct.balance), ("uact", u(1_100)));
    // Native coins cannot be deposited into an ACT account.
    let err = s
        .exec(
            "alice",
            &s.deposit_msg("owner", 1, 5, vec![]),
            &[coin(5, DENOM)],
        )
        .unwrap_err();
    assert!(err.says("wrong denom"));
    // ACT cannot be sent into a native account.
    s.open("owner", 2, 1);
    let err = s
        .send_act(
            "sponsor",
            0,
            &ReceiveHook::Deposit {
                owner: s.addr("owner").to_string(),
                dseq: 2,
            },
        )
        .unwrap_err();
    assert!(err.says("must be greater than zero"));
    let p = s.pay("owner", 1, "provider", "7");
    s.advance(100);
    s.exec_ok("provider", &s.withdraw_msg("owner", 1, p), &[]);
    assert_eq!(s.act(&s.addr("provider")), 700);
    s.exec_ok("owner", &s.close_msg("owner", 1), &[]);
    assert_eq!(
        s.act(&s.addr("owner")),
        400,
        "owner's 600 fully spent first... minus 700? no: owner 600 spent, sponsor 100 spent"
    );
}

#[test]
fn verified_work_counts_what_was_paid_by_height_range() {
    let mut s = Suite::new();
    s.open("owner", 1, 10_000);
    s.open("owner2", 1, 25);
    let h0 = s.height();
    let a = s.pay("owner", 1, "provider", "2"); // 8 × h100 per the harness
    let b = s.pay("owner2", 1, "provider", "5");
    s.advance(10);
    let h1 = s.height();
    s.exec_ok("provider", &s.withdraw_msg("owner", 1, a), &[]); // 20, 10 full blocks
    s.exec_ok("provider", &s.withdraw_msg("owner2", 1, b), &[]); // 25 of 50 due: 5 full blocks
    s.advance(10);
    s.exec_ok("provider", &s.withdraw_msg("owner", 1, a), &[]); // 20 more
    let h2 = s.height();
    let work = |s: &Suite, from, to| -> escrow::msg::VerifiedWorkResponse {
        s.query(&QueryMsg::VerifiedWork {
            provider: s.addr("provider").to_string(),
            denom: DENOM.into(),
            gpu_model: "h100".into(),
            from_height: from,
            to_height: to,
        })
    };
    let all = work(&s, h0, h2);
    assert_eq!(all.value, u(20 + 25 + 20));
    // 8 GPUs × (10 + 5 + 10) fully paid blocks: owner2's 25 covered 5 blocks, the 6th ran out.
    assert_eq!(all.gpu_blocks.u128(), 8 * (10 + 5 + 10));
    assert_eq!(all.gpu_seconds.u128(), 8 * (10 + 5 + 10) * 6);
    let first = work(&s, h0, h1);
    assert_eq!((first.value, first.gpu_blocks.u128()), (u(45), 8 * 15));
    let second = work(&s, h1, h2);
    assert_eq!((second.value, second.gpu_blocks.u128()), (u(20), 8 * 10));
    assert_eq!(work(&s, h0, h0).value, u(0));
    let other: escrow::msg::VerifiedWorkResponse = s.query(&QueryMsg::VerifiedWork {
        provider: s.addr("provider2").to_string(),
        denom: DENOM.into(),
        gpu_model: "h100".into(),
        from_height: h0,
        to_height: h2,
    });
    assert_eq!(
        (other.value, other.gpu_blocks.u128()),
        (u(0), 0),
        "a provider with no leases has no work"
    );
    let bad = s
        .app
        .wrap()
        .query_wasm_smart::<escrow::msg::VerifiedWorkResponse>(
            &s.escrow,
            &QueryMsg::VerifiedWork {
                provider: s.addr("provider").to_string(),
                denom: DENOM.into(),
                gpu_model: "h100".into(),
                from_height: h2,
                to_height: h0,
            },
        );
    assert!(bad.unwrap_err().to_string().contains("invalid range"));
}

#[test]
fn verified_work_follows_each_lease_share_and_debt_paid_later() {
    let mut s = Suite::with(Opts {
        grace: 1_000,
        ..Default::default()
    });
    s.open("owner", 1, 101);
    let h0 = s.height();
    let a = s.pay("owner", 1, "provider", "1");
    let b = s.pay("owner", 1, "provider2", "1");
    assert_eq!(b, a + 1);
    s.advance(100);
    // 2 per block, 101 held: 50 blocks are paid in full; the exhausting 51st block has 1 left,
    // which goes to `a` (id order), so `b` is paid 50 blocks and owes 1.
    s.exec_ok("provider", &s.withdraw_msg("owner", 1, a), &[]);
    let work = |s: &Suite, who: &str, from, to| -> escrow::msg::VerifiedWorkResponse {
        s.query(&QueryMsg::VerifiedWork {
            provider: s.addr(who).to_string(),
            denom: DENOM.into(),
            gpu_model: "h100".into(),
            from_height: from,
            to_height: to,
        })
    };
    let h1 = s.height();
    let paid = work(&s, "provider", h0, h1);
    assert_eq!((paid.value, paid.gpu_blocks.u128()), (u(51), 8 * 51));
    let short = work(&s, "provider2", h0, h1);
    assert_eq!(
        (short.value, short.gpu_blocks.u128()),
        (u(50), 8 * 50),
        "no GPU work is verified for the block nobody paid for"
    );
    // A top-up pays b's 1 of debt: that is when b's last block becomes verified.
    s.advance(1);
    s.deposit("owner", "owner", 1, 150);
    let h2 = s.height();
    let late = work(&s, "provider2", h1, h2);
    assert_eq!((late.value, late.gpu_blocks.u128()), (u(1), 8));
    assert_eq!(
        late.gpu_seconds.u128(),
        8 * 6,
        "seconds from the block time"
    );
    assert_eq!(work(&s, "provider", h1, h2).value, u(0));
}

#[test]
fn a_lease_paid_to_its_own_owner_books_no_verified_work() {
    // The review's drain: a provider opens its own account and pays itself for 1,000 H100s.
    let mut s = Suite::new();
    s.open("provider", 1, 1_000);
    let h0 = s.height();
    let own = s.pay("provider", 1, "provider", "1");
    // The same provider leased by somebody else, for comparison: that work counts.
    s.open("owner", 2, 1_000);
    let honest = s.pay("owner", 2, "provider", "1");
    s.advance(75);
    s.exec_ok("provider", &s.withdraw_msg("provider", 1, own), &[]);
    s.exec_ok("provider", &s.withdraw_msg("owner", 2, honest), &[]);
    let work: escrow::msg::VerifiedWorkResponse = s.query(&QueryMsg::VerifiedWork {
        provider: s.addr("provider").to_string(),
        denom: DENOM.into(),
        gpu_model: "h100".into(),
        from_height: h0,
        to_height: s.height(),
    });
    // Only the honest lease: 75 blocks at 1, 8 GPUs (Suite::pay declares 8 h100s).
    assert_eq!((work.value, work.gpu_blocks.u128()), (u(75), 8 * 75));
    // The self-paid lease still settles as money (the provider withdrew its own 75 + 75).
    assert_eq!(s.bank("provider"), START - 1_000 + 150);
}
