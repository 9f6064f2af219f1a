//! Overdraw and refunds, on both backends: a uakt escrow account funded by its owner, a second
//! depositor and a sponsor (through an allowance) pays two leases at different rates until the
//! funds run out. Charging stops at the exhausting block (the first one the funds cannot cover):
//! the blocks before it are paid in full, that block's dues are paid in payment order with what is
//! left, and only its shortfall is debt, however late the account is touched. A top-up inside the
//! grace window pays the debt and reopens the account; the owner's close refunds every depositor
//! its own remainder in deposit order, in capped batches that anyone continues, the sponsor's
//! share back to its allowance. A second account lets its grace window lapse with a partial
//! top-up: anyone may then close it, and the rest of the debt is written off. Every uakt is
//! accounted for.

use cosmwasm_std::{coin, Decimal256, Uint256};
use escrow::msg::{
    AccountResponse, AccountState, AllowanceResponse, ConfigUpdate, DepositsResponse,
    ExecuteMsg as Escrow, PaymentResponse, PaymentState, QueryMsg as EscrowQuery, Resources,
    ScopeMsg, SourceMsg, VerifiedWorkResponse,
};
use supercloud_events::escrow::{
    AccountClosed, AllowanceChanged, AllowanceRevoked, CloseReason, DebtPaid, DepositSourceKind,
    Deposited, Overdrawn, PaymentClosed, PaymentSettled, Refunded, Reopened, Settled, Withdrawn,
};
use supercloud_tests::events::{of, one};
use supercloud_tests::suite::FUNDED;
use supercloud_tests::{on_both_backends, Suite, AKT, START};

/// Grace window after exhaustion in which a debt-clearing top-up reopens an account.
const GRACE: u64 = 150;
/// Deposits refunded per call.
const REFUND_BATCH: u32 = 2;
/// Per-block rates of the two leases of account 1 (the second one is fractional).
const RATE_A: &str = "7";
const RATE_B: &str = "2.5";

fn u(n: u128) -> Uint256 {
    Uint256::from(n)
}

/// `floor(rate × blocks)`, computed independently of the contract.
fn due(rate: &str, blocks: u64) -> u128 {
    let r: Decimal256 = rate.parse().unwrap_or_default();
    cosmwasm_std::Uint128::try_from((r * Decimal256::from_ratio(blocks, 1u8)).to_uint_floor())
        .map_or(u128::MAX, |v| v.u128())
}

/// The first block count whose cumulative charge exceeds `balance` (a plain linear scan).
fn first_uncovered(balance: u128, rates: &[&str]) -> u64 {
    (1..)
        .find(|n| rates.iter().map(|r| due(r, *n)).sum::<u128>() > balance)
        .unwrap_or(u64::MAX)
}

fn account(s: &Suite, owner: &str, dseq: u64) -> anyhow::Result<AccountResponse> {
    s.q(
        &s.c.escrow,
        &EscrowQuery::Account {
            owner: s.addr(owner).to_string(),
            dseq,
        },
    )
}

fn payment(s: &Suite, owner: &str, dseq: u64, payment_id: u64) -> anyhow::Result<PaymentResponse> {
    s.q(
        &s.c.escrow,
        &EscrowQuery::Payment {
            owner: s.addr(owner).to_string(),
            dseq,
            payment_id,
        },
    )
}

fn deposit(s: &Suite, owner: &str, dseq: u64, amount: u128, sources: Vec<SourceMsg>) -> Escrow {
    Escrow::Deposit {
        owner: s.addr(owner).to_string(),
        dseq,
        amount: u(amount),
        sources,
    }
}

fn open_payment(s: &Suite, dseq: u64, provider: &str, rate: &str, gpus: u32) -> Escrow {
    Escrow::OpenPayment {
        dseq,
        provider: s.addr(provider).to_string(),
        rate: rate.parse().unwrap_or_default(),
        resources: Resources {
            gpu_model: "h100".into(),
            gpu_count: gpus,
        },
    }
}

fn withdraw(s: &Suite, owner: &str, dseq: u64, payment_id: u64) -> Escrow {
    Escrow::Withdraw {
        owner: s.addr(owner).to_string(),
        dseq,
        payment_id,
    }
}

fn close(s: &Suite, owner: &str, dseq: u64) -> Escrow {
    Escrow::CloseAccount {
        owner: s.addr(owner).to_string(),
        dseq,
    }
}

fn flow(s: &mut Suite) -> anyhow::Result<()> {
    let escrow = s.c.escrow.clone();
    let held = |s: &Suite| s.bank(&s.c.escrow, AKT);
    let total_before = s.bank_total(&FUNDED, AKT);

    // Governance sets a grace window and a small refund batch.
    s.exec_ok(
        "config",
        "gov",
        &escrow,
        &Escrow::UpdateConfig(ConfigUpdate {
            grace_period_blocks: Some(GRACE),
            refund_batch: Some(REFUND_BATCH),
            ..ConfigUpdate::default()
        }),
        &[],
    )?;

    // Account 1: the tenant opens it with 1000, tenant2 adds 500, and the tenant spends 300 of
    // a 600 allowance the sponsor granted it (refunds of that part go back to the allowance).
    s.exec_ok(
        "open",
        "tenant",
        &escrow,
        &Escrow::OpenAccount {
            dseq: 1,
            denom: AKT.into(),
        },
        &[coin(1_000, AKT)],
    )?;
    let msg = deposit(s, "tenant", 1, 500, vec![]);
    s.exec_ok(
        "tenant2 deposit",
        "tenant2",
        &escrow,
        &msg,
        &[coin(500, AKT)],
    )?;
    let grant = Escrow::GrantAllowance {
        grantee: s.addr("tenant").to_string(),
        scope: ScopeMsg::Account {
            owner: s.addr("tenant").to_string(),
            dseq: 1,
        },
        expires_at: None,
    };
    s.exec_ok("grant", "sponsor", &escrow, &grant, &[coin(600, AKT)])?;
    let from_sponsor = vec![SourceMsg::Allowance {
        granter: s.addr("sponsor").to_string(),
    }];
    let msg = deposit(s, "tenant", 1, 300, from_sponsor.clone());
    let res = s.exec_ok("sponsored deposit", "tenant", &escrow, &msg, &[])?;
    let d = one::<Deposited>(&res)?;
    assert_eq!(
        (d.depositor, d.source, d.grantee, d.balance),
        (
            s.addr("sponsor"),
            DepositSourceKind::Allowance,
            Some(s.addr("tenant")),
            u(1_800)
        )
    );
    assert_eq!(held(s), 1_800 + 300, "deposits plus the unspent allowance");

    // Two leases from the same block: 7 and 2.5 uakt per block.
    let msg = open_payment(s, 1, "provider", RATE_A, 2);
    s.exec_ok("payment a", "tenant", &escrow, &msg, &[])?;
    let msg = open_payment(s, 1, "provider2", RATE_B, 1);
    s.exec_ok("payment b", "tenant", &escrow, &msg, &[])?;
    let h0 = s.height();
    let n_out = first_uncovered(1_800, &[RATE_A, RATE_B]);
    assert_eq!(n_out, 190, "1795 due after 189 blocks, 1805 after 190");
    let ttd: escrow::msg::TimeToDepletionResponse = s.q(
        &escrow,
        &EscrowQuery::TimeToDepletion {
            owner: s.addr("tenant").to_string(),
            dseq: 1,
        },
    )?;
    assert_eq!(ttd.blocks, Some(n_out - 1));
    assert_eq!(
        ttd.depletes_at,
        Some(h0 + n_out),
        "the height that exhausted_at will name"
    );

    // 300 blocks later the provider withdraws. Charging stopped at the exhausting block h0 + 190:
    // its 189 blocks before are paid in full (1323 + 472 = 1795), the 5 left go to that block's
    // dues in payment order (7 of lease a, then 3 of lease b), and only the rest is debt: lease a
    // owes 2 and lease b 3, not the 110 blocks after exhaustion that nobody touched.
    let covered = n_out - 1;
    let left = 1_800 - due(RATE_A, covered) - due(RATE_B, covered);
    let block = |r: &str| due(r, n_out) - due(r, covered);
    let take_a = block(RATE_A).min(left);
    let take_b = block(RATE_B).min(left - take_a);
    let paid = [due(RATE_A, covered) + take_a, due(RATE_B, covered) + take_b];
    let debt = [block(RATE_A) - take_a, block(RATE_B) - take_b];
    assert_eq!((paid, debt), ([1_328, 472], [2, 3]));
    s.advance(300)?;
    let msg = withdraw(s, "tenant", 1, 0);
    let res = s.exec_ok("withdraw at overdraw", "provider", &escrow, &msg, &[])?;
    let settled = one::<Settled>(&res)?;
    assert_eq!(
        (
            settled.from_height,
            settled.to_height,
            settled.amount,
            settled.debt,
            settled.balance,
            settled.exhausted_at
        ),
        (h0, h0 + n_out, u(1_800), u(5), u(0), Some(h0 + n_out))
    );
    let per_payment: Vec<_> = of::<PaymentSettled>(&res)?
        .into_iter()
        .map(|p| (p.payment_id, p.to_height, p.amount, p.debt))
        .collect();
    assert_eq!(
        per_payment,
        vec![
            (0, h0 + n_out, u(paid[0]), u(debt[0])),
            (1, h0 + n_out, u(paid[1]), u(debt[1])),
        ]
    );
    let overdrawn = one::<Overdrawn>(&res)?;
    assert_eq!(
        (
            overdrawn.exhausted_at,
            overdrawn.debt,
            overdrawn.grace_until
        ),
        (h0 + n_out, u(5), h0 + n_out + GRACE)
    );
    assert_eq!(one::<Withdrawn>(&res)?.amount, u(paid[0]));
    assert_eq!(s.bank(&s.addr("provider"), AKT), START + paid[0]);
    let acct = account(s, "tenant", 1)?;
    assert_eq!(acct.state, AccountState::Overdrawn);
    assert_eq!(acct.grace_until, Some(h0 + n_out + GRACE));
    let (pa, pb) = (payment(s, "tenant", 1, 0)?, payment(s, "tenant", 1, 1)?);
    assert_eq!((pa.state, pa.debt), (PaymentState::Overdrawn, u(debt[0])));
    assert_eq!(
        (pb.state, pb.debt, pb.withdrawable),
        (PaymentState::Overdrawn, u(debt[1]), u(paid[1]))
    );
    // Only the owner may close inside the grace window; an overdrawn account takes no leases.
    let msg = close(s, "tenant", 1);
    s.exec_err(
        "stranger",
        &escrow,
        &msg,
        &[],
        "unauthorized: only the owner",
    )?;
    let msg = open_payment(s, 1, "provider2", "1", 1);
    s.exec_err("tenant", &escrow, &msg, &[], "is overdrawn")?;

    // Inside the grace window tenant2 tops up 2000: 2 + 3 of debt first, 1995 queued, and
    // the account reopens with charging resumed from this height (overdrawn blocks are free).
    s.advance(10)?;
    let h2 = s.height();
    let queued = 2_000 - debt[0] - debt[1];
    let msg = deposit(s, "tenant", 1, 2_000, vec![]);
    let res = s.exec_ok("top-up", "tenant2", &escrow, &msg, &[coin(2_000, AKT)])?;
    let debt_paid: Vec<_> = of::<DebtPaid>(&res)?
        .into_iter()
        .map(|p| (p.payment_id, p.amount, p.debt_remaining))
        .collect();
    assert_eq!(
        debt_paid,
        vec![(0, u(debt[0]), u(0)), (1, u(debt[1]), u(0))]
    );
    assert_eq!(one::<Deposited>(&res)?.deposit_remaining, u(queued));
    assert_eq!(one::<Reopened>(&res)?.height, h2);
    assert!(
        of::<Settled>(&res)?.is_empty(),
        "overdrawn accounts do not accrue"
    );
    let acct = account(s, "tenant", 1)?;
    assert_eq!(
        (acct.state, acct.balance, acct.settled_at),
        (AccountState::Open, u(queued), h2)
    );
    // Two more deposits in the same block: the tenant's own 400 and 200 more of the allowance.
    let msg = deposit(s, "tenant", 1, 400, vec![]);
    s.exec_ok("tenant top-up", "tenant", &escrow, &msg, &[coin(400, AKT)])?;
    let msg = deposit(s, "tenant", 1, 200, from_sponsor);
    s.exec_ok("sponsor top-up", "tenant", &escrow, &msg, &[])?;
    let deps: DepositsResponse = s.q(
        &escrow,
        &EscrowQuery::Deposits {
            owner: s.addr("tenant").to_string(),
            dseq: 1,
            start_after: None,
            limit: None,
        },
    )?;
    let queue: Vec<_> = deps
        .deposits
        .iter()
        .map(|d| (d.seq, d.depositor.to_string(), d.amount))
        .collect();
    assert_eq!(
        queue,
        vec![
            (3, s.addr("tenant2").to_string(), u(queued)),
            (4, s.addr("tenant").to_string(), u(400)),
            (5, s.addr("sponsor").to_string(), u(200)),
        ],
        "the first three deposits were used up; new entries follow in order"
    );

    // 20 blocks later the owner closes: 140 + 50 settle out of tenant2's entry, both leases
    // are paid out (lease b had never withdrawn), and the first refund batch (2 deposits) goes
    // back in deposit order.
    s.advance(20)?;
    let h3 = s.height();
    let msg = close(s, "tenant", 1);
    let res = s.exec_ok("close", "tenant", &escrow, &msg, &[])?;
    assert_eq!(one::<Settled>(&res)?.amount, u(190));
    let closed: Vec<_> = of::<PaymentClosed>(&res)?
        .into_iter()
        .map(|p| (p.payment_id, p.reason, p.paid_out, p.unpaid_debt))
        .collect();
    assert_eq!(
        closed,
        vec![
            (0, CloseReason::AccountClosed, u(debt[0] + 140), u(0)),
            (
                1,
                CloseReason::AccountClosed,
                u(paid[1] + debt[1] + 50),
                u(0)
            ),
        ]
    );
    let refunds: Vec<_> = of::<Refunded>(&res)?
        .into_iter()
        .map(|e| (e.depositor, e.source, e.amount))
        .collect();
    assert_eq!(
        refunds,
        vec![
            (s.addr("tenant2"), DepositSourceKind::Funds, u(queued - 190)),
            (s.addr("tenant"), DepositSourceKind::Funds, u(400)),
        ]
    );
    let account_closed = one::<AccountClosed>(&res)?;
    assert_eq!(
        (
            account_closed.reason,
            account_closed.height,
            account_closed.refunds_pending
        ),
        (CloseReason::Owner, h3, 1)
    );
    // Anyone continues: the sponsor's 200 is credited back to its allowance, not paid out.
    let refund = Escrow::Refund {
        owner: s.addr("tenant").to_string(),
        dseq: 1,
    };
    let res = s.exec_ok("refund", "stranger", &escrow, &refund, &[])?;
    let refunded = one::<Refunded>(&res)?;
    assert_eq!(
        (refunded.depositor, refunded.source, refunded.amount),
        (s.addr("sponsor"), DepositSourceKind::Allowance, u(200))
    );
    let allowance = one::<AllowanceChanged>(&res)?;
    assert_eq!((allowance.credited, allowance.balance), (u(200), u(300)));
    // Nothing is pending now: a keeper's further refund is a no-op, not an error.
    let res = s.exec_ok("idle refund", "stranger", &escrow, &refund, &[])?;
    assert!(of::<Refunded>(&res)?.is_empty());
    let allowance: AllowanceResponse = s.q(
        &escrow,
        &EscrowQuery::Allowance {
            granter: s.addr("sponsor").to_string(),
            grantee: s.addr("tenant").to_string(),
            denom: AKT.into(),
        },
    )?;
    assert_eq!(allowance.balance, u(300));
    let revoke = Escrow::RevokeAllowance {
        grantee: s.addr("tenant").to_string(),
        denom: AKT.into(),
    };
    let res = s.exec_ok("revoke", "sponsor", &escrow, &revoke, &[])?;
    assert_eq!(one::<AllowanceRevoked>(&res)?.returned, u(300));
    let msg = deposit(s, "tenant", 1, 1, vec![]);
    s.exec_err("tenant", &escrow, &msg, &[coin(1, AKT)], "is closed")?;

    // Verified work after the reopening: lease a's 20 fully paid blocks on 2 GPUs.
    let work: VerifiedWorkResponse = s.q(
        &escrow,
        &EscrowQuery::VerifiedWork {
            provider: s.addr("provider").to_string(),
            denom: AKT.into(),
            gpu_model: "h100".into(),
            from_height: h2,
            to_height: h3,
        },
    )?;
    assert_eq!(
        (work.value, work.gpu_blocks.u128(), work.gpu_seconds.u128()),
        (u(140), 2 * 20, 2 * 20 * 6)
    );

    // Account 2 (tenant2): 100 uakt at 30 per block, exhausted at the 4th block: 90 pay three
    // blocks, the 10 left part of the fourth, whose shortfall of 20 is the whole debt.
    s.exec_ok(
        "open 2",
        "tenant2",
        &escrow,
        &Escrow::OpenAccount {
            dseq: 2,
            denom: AKT.into(),
        },
        &[coin(100, AKT)],
    )?;
    let msg = open_payment(s, 2, "provider2", "30", 1);
    s.exec_ok("payment 2", "tenant2", &escrow, &msg, &[])?;
    let g0 = s.height();
    let n2 = first_uncovered(100, &["30"]);
    assert_eq!(n2, 4);
    let debt2 = due("30", n2) - 100;
    assert_eq!(debt2, 20);
    s.advance(40)?;
    let msg = withdraw(s, "tenant2", 2, 0);
    let res = s.exec_ok("withdraw 2", "provider2", &escrow, &msg, &[])?;
    assert_eq!(one::<Settled>(&res)?.exhausted_at, Some(g0 + n2));
    assert_eq!(one::<Overdrawn>(&res)?.debt, u(debt2));
    assert_eq!(one::<Withdrawn>(&res)?.amount, u(100));
    // A partial top-up pays some debt but does not reopen.
    let msg = deposit(s, "tenant2", 2, 5, vec![]);
    let res = s.exec_ok("partial top-up", "tenant", &escrow, &msg, &[coin(5, AKT)])?;
    assert_eq!(one::<DebtPaid>(&res)?.debt_remaining, u(debt2 - 5));
    assert!(of::<Reopened>(&res)?.is_empty());
    // After the grace window deposits are refused and anyone may close.
    s.advance_to(g0 + n2 + GRACE + 1)?;
    let msg = deposit(s, "tenant2", 2, 50, vec![]);
    s.exec_err(
        "tenant",
        &escrow,
        &msg,
        &[coin(50, AKT)],
        "grace window ended",
    )?;
    let msg = close(s, "tenant2", 2);
    let res = s.exec_ok("close 2", "stranger", &escrow, &msg, &[])?;
    let account_closed = one::<AccountClosed>(&res)?;
    assert_eq!(
        (account_closed.reason, account_closed.refunds_pending),
        (CloseReason::Overdrawn, 0)
    );
    let payment_closed = one::<PaymentClosed>(&res)?;
    assert_eq!(
        (payment_closed.paid_out, payment_closed.unpaid_debt),
        (u(5), u(debt2 - 5))
    );
    assert!(of::<Refunded>(&res)?.is_empty(), "nothing left to refund");

    // Exact end balances, and every uakt accounted for: each lease of account 1 earned
    // floor(rate × live blocks) over its 190 + 20 live blocks.
    let bank = |s: &Suite, n: &str| s.bank(&s.addr(n), AKT);
    assert_eq!(due(RATE_A, n_out + 20), 1_470);
    assert_eq!(due(RATE_B, n_out + 20), 525);
    assert_eq!(bank(s, "provider"), START + 1_470);
    assert_eq!(bank(s, "provider2"), START + 525 + 100 + 5);
    assert_eq!(bank(s, "tenant"), START - 1_000 - 5);
    assert_eq!(bank(s, "tenant2"), START - 500 - 2_000 + 1_805 - 100);
    assert_eq!(bank(s, "sponsor"), START - 300);
    assert_eq!(held(s), 0, "escrow holds nothing once both accounts closed");
    assert_eq!(s.bank_total(&FUNDED, AKT), total_before);
    Ok(())
}

#[test]
fn overdraw_and_refunds_match_on_native_and_wasm() {
    let (native, wasm) = on_both_backends("2.5", &[], flow).unwrap();
    assert_eq!(native.transcript.lines.len(), wasm.transcript.lines.len());
}
