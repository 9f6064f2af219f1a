//! Overdraw and refunds, on both backends: a uakt escrow account funded by its owner, a second
//! depositor and a sponsor (through an allowance) pays two leases at different rates until the
//! funds run out. The overdraw books per-payment debt from the exact first uncovered height; a
//! top-up inside the grace window pays the debt and reopens the account; the owner's close
//! refunds every depositor its own remainder in deposit order, in capped batches that anyone
//! continues, the sponsor's share back to its allowance. A second account lets its grace window
//! lapse with a partial top-up: anyone may then close it, and the rest of the debt is written
//! off. Every uakt is accounted for.

use cosmwasm_std::{coin, Decimal256, Uint256};
use escrow::msg::{
    AccountResponse, AllowanceResponse, ConfigUpdate, DepositsResponse, ExecuteMsg as Escrow,
    PaymentResponse, QueryMsg as EscrowQuery, ScopeMsg, SourceMsg, VerifiedWorkResponse,
};
use escrow::state::{AccountState, PaymentState, Resources};
use supercloud_tests::suite::{attr, attrs, events, one_attr, FUNDED};
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
    assert_eq!(
        one_attr(&res, "escrow.deposited", "depositor")?,
        s.addr("sponsor").to_string()
    );
    assert_eq!(one_attr(&res, "escrow.deposited", "source")?, "allowance");
    assert_eq!(one_attr(&res, "escrow.deposited", "balance")?, "1800");
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

    // 300 blocks later the provider withdraws: 2100 + 750 were due, 1800 covered it, in
    // payment order (all to lease a), so lease a owes 300 and lease b 750.
    s.advance(300)?;
    let h1 = s.height();
    let msg = withdraw(s, "tenant", 1, 0);
    let res = s.exec_ok("withdraw at overdraw", "provider", &escrow, &msg, &[])?;
    let settled = &events(&res, "escrow.settled");
    anyhow::ensure!(settled.len() == 1, "one settlement");
    assert_eq!(attr(settled[0], "from_height")?, h0.to_string());
    assert_eq!(attr(settled[0], "to_height")?, h1.to_string());
    assert_eq!(attr(settled[0], "amount")?, "1800");
    assert_eq!(attr(settled[0], "debt")?, "1050");
    assert_eq!(attr(settled[0], "balance")?, "0");
    assert_eq!(attr(settled[0], "exhausted_at")?, (h0 + n_out).to_string());
    assert_eq!(
        attrs(&res, "escrow.payment_settled", "amount")?,
        vec!["1800", "0"]
    );
    assert_eq!(
        attrs(&res, "escrow.payment_settled", "debt")?,
        vec!["300", "750"]
    );
    assert_eq!(
        one_attr(&res, "escrow.overdrawn", "grace_until")?,
        (h0 + n_out + GRACE).to_string()
    );
    assert_eq!(one_attr(&res, "escrow.withdrawn", "amount")?, "1800");
    assert_eq!(s.bank(&s.addr("provider"), AKT), START + 1_800);
    let acct = account(s, "tenant", 1)?;
    assert_eq!(acct.state, AccountState::Overdrawn);
    assert_eq!(acct.grace_until, Some(h0 + n_out + GRACE));
    let (pa, pb) = (payment(s, "tenant", 1, 0)?, payment(s, "tenant", 1, 1)?);
    assert_eq!((pa.state, pa.debt), (PaymentState::Overdrawn, u(300)));
    assert_eq!(
        (pb.state, pb.debt, pb.withdrawable),
        (PaymentState::Overdrawn, u(750), u(0))
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

    // Inside the grace window tenant2 tops up 2000: 300 + 750 of debt first, 950 queued, and
    // the account reopens with charging resumed from this height (overdrawn blocks are free).
    s.advance(10)?;
    let h2 = s.height();
    let msg = deposit(s, "tenant", 1, 2_000, vec![]);
    let res = s.exec_ok("top-up", "tenant2", &escrow, &msg, &[coin(2_000, AKT)])?;
    assert_eq!(
        attrs(&res, "escrow.debt_paid", "amount")?,
        vec!["300", "750"]
    );
    assert_eq!(
        attrs(&res, "escrow.debt_paid", "debt_remaining")?,
        vec!["0", "0"]
    );
    assert_eq!(
        one_attr(&res, "escrow.deposited", "deposit_remaining")?,
        "950"
    );
    assert_eq!(one_attr(&res, "escrow.reopened", "height")?, h2.to_string());
    assert!(
        events(&res, "escrow.settled").is_empty(),
        "overdrawn accounts do not accrue"
    );
    let acct = account(s, "tenant", 1)?;
    assert_eq!(
        (acct.state, acct.balance, acct.settled_at),
        (AccountState::Open, u(950), h2)
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
            (3, s.addr("tenant2").to_string(), u(950)),
            (4, s.addr("tenant").to_string(), u(400)),
            (5, s.addr("sponsor").to_string(), u(200)),
        ],
        "the first three deposits were used up; new entries follow in order"
    );

    // 20 blocks later the owner closes: 140 + 50 settle out of tenant2's entry, both leases
    // are paid out, and the first refund batch (2 deposits) goes back in deposit order.
    s.advance(20)?;
    let h3 = s.height();
    let msg = close(s, "tenant", 1);
    let res = s.exec_ok("close", "tenant", &escrow, &msg, &[])?;
    assert_eq!(one_attr(&res, "escrow.settled", "amount")?, "190");
    assert_eq!(
        attrs(&res, "escrow.payment_closed", "paid_out")?,
        vec![(300 + 140).to_string(), (750 + 50).to_string()]
    );
    assert_eq!(
        attrs(&res, "escrow.payment_closed", "unpaid_debt")?,
        vec!["0", "0"]
    );
    let refunds: Vec<_> = events(&res, "escrow.refunded")
        .iter()
        .map(|e| Ok((attr(e, "depositor")?, attr(e, "amount")?)))
        .collect::<anyhow::Result<_>>()?;
    assert_eq!(
        refunds,
        vec![
            (s.addr("tenant2").to_string(), "760".to_string()),
            (s.addr("tenant").to_string(), "400".to_string()),
        ]
    );
    assert_eq!(
        one_attr(&res, "escrow.account_closed", "refunds_pending")?,
        "1"
    );
    assert_eq!(
        one_attr(&res, "escrow.account_closed", "height")?,
        h3.to_string()
    );
    // Anyone continues: the sponsor's 200 is credited back to its allowance, not paid out.
    let refund = Escrow::Refund {
        owner: s.addr("tenant").to_string(),
        dseq: 1,
    };
    let res = s.exec_ok("refund", "stranger", &escrow, &refund, &[])?;
    assert_eq!(one_attr(&res, "escrow.refunded", "source")?, "allowance");
    assert_eq!(one_attr(&res, "escrow.refunded", "amount")?, "200");
    assert_eq!(
        one_attr(&res, "escrow.allowance_changed", "balance")?,
        "300"
    );
    s.exec_err("stranger", &escrow, &refund, &[], "has no pending refunds")?;
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
    assert_eq!(
        one_attr(&res, "escrow.allowance_revoked", "returned")?,
        "300"
    );
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

    // Account 2 (tenant2): 100 uakt at 3 per block, exhausted at the 34th block.
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
    let msg = open_payment(s, 2, "provider2", "3", 1);
    s.exec_ok("payment 2", "tenant2", &escrow, &msg, &[])?;
    let g0 = s.height();
    let n2 = first_uncovered(100, &["3"]);
    assert_eq!(n2, 34);
    s.advance(40)?;
    let msg = withdraw(s, "tenant2", 2, 0);
    let res = s.exec_ok("withdraw 2", "provider2", &escrow, &msg, &[])?;
    assert_eq!(
        one_attr(&res, "escrow.settled", "exhausted_at")?,
        (g0 + n2).to_string()
    );
    assert_eq!(one_attr(&res, "escrow.overdrawn", "debt")?, "20");
    assert_eq!(one_attr(&res, "escrow.withdrawn", "amount")?, "100");
    // A partial top-up pays some debt but does not reopen.
    let msg = deposit(s, "tenant2", 2, 5, vec![]);
    let res = s.exec_ok("partial top-up", "tenant", &escrow, &msg, &[coin(5, AKT)])?;
    assert_eq!(one_attr(&res, "escrow.debt_paid", "debt_remaining")?, "15");
    assert!(events(&res, "escrow.reopened").is_empty());
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
    assert_eq!(
        one_attr(&res, "escrow.account_closed", "reason")?,
        "overdrawn"
    );
    assert_eq!(
        one_attr(&res, "escrow.account_closed", "refunds_pending")?,
        "0"
    );
    assert_eq!(one_attr(&res, "escrow.payment_closed", "paid_out")?, "5");
    assert_eq!(
        one_attr(&res, "escrow.payment_closed", "unpaid_debt")?,
        "15"
    );
    assert!(
        events(&res, "escrow.refunded").is_empty(),
        "nothing left to refund"
    );

    // Exact end balances, and every uakt accounted for.
    let bank = |s: &Suite, n: &str| s.bank(&s.addr(n), AKT);
    assert_eq!(bank(s, "provider"), START + 1_800 + 440);
    assert_eq!(bank(s, "provider2"), START + 800 + 100 + 5);
    assert_eq!(bank(s, "tenant"), START - 1_000 - 5);
    assert_eq!(bank(s, "tenant2"), START - 500 - 2_000 + 760 - 100);
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
