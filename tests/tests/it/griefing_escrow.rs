//! Griefing and denial-of-service attacks on escrow (issue 23), on both backends.
//!
//! Dust deposits used to freeze an account for good: every settlement walked the deposits it
//! used up, so ~2,600 one-uakt deposits from distinct addresses made every later withdraw, top-up
//! and close run out of gas. Now a settlement only lowers the balance and at most
//! `consume_batch` entries are consumed per call: 5,000 dust deposits later, a withdraw, a top-up,
//! a payment close and the account close each succeed and touch a bounded number of entries, the
//! provider is paid in full at once, and refunds finish in bounded calls with every uakt
//! accounted for. The backstops (a cap on live deposits, a minimum deposit) refuse the attack
//! outright with their default and authority-set values. (Gas per call, flat in the number of
//! dust entries, is measured by the gas bench's `griefing` rows.)

use cosmwasm_std::{coin, Uint256};
use cw_multi_test::{BankSudo, SudoMsg};
use escrow::msg::{
    AccountResponse, ConfigUpdate, DepositLimits, ExecuteMsg as Escrow, QueryMsg as EscrowQuery,
    Resources, DEFAULT_CONSUME_BATCH, DEFAULT_MAX_LIVE_DEPOSITS,
};
use supercloud_events::escrow::{DepositConsumed, Refunded};
use supercloud_tests::events::of;
use supercloud_tests::{on_both_backends, Suite, AKT};

/// Dust deposits the attacker makes.
const DUST: u64 = 5_000;
/// What the tenant opens with (first in line) and the sponsor adds after the dust.
const TENANT: u128 = 1_000;
const SPONSOR: u128 = 10_000_000;
/// The lease's rate per block and the blocks before the provider withdraws.
const RATE: u128 = 1_000;
const BLOCKS: u64 = 10;

fn mint(s: &mut Suite, name: &str, amount: u128) -> anyhow::Result<()> {
    let to_address = s.addr(name).to_string();
    s.app
        .sudo(SudoMsg::Bank(BankSudo::Mint {
            to_address,
            amount: vec![coin(amount, AKT)],
        }))
        .map_err(|e| anyhow::anyhow!("mint: {e}"))?;
    Ok(())
}

fn account(s: &Suite) -> anyhow::Result<AccountResponse> {
    s.q(
        &s.c.escrow,
        &EscrowQuery::Account {
            owner: s.addr("tenant").to_string(),
            dseq: 1,
        },
    )
}

fn deposit(s: &Suite, amount: u128) -> Escrow {
    Escrow::Deposit {
        owner: s.addr("tenant").to_string(),
        dseq: 1,
        amount: Uint256::from(amount),
        sources: vec![],
    }
}

fn set_limits(s: &mut Suite, limits: DepositLimits) -> anyhow::Result<()> {
    let escrow = s.c.escrow.clone();
    let msg = Escrow::UpdateConfig(ConfigUpdate {
        deposit_limits: Some(limits),
        ..ConfigUpdate::default()
    });
    s.exec_ok("limits", "gov", &escrow, &msg, &[])?;
    Ok(())
}

/// Runs `msg` and checks it consumed at most one batch of deposit entries.
fn bounded(
    s: &mut Suite,
    what: &str,
    sender: &str,
    msg: &Escrow,
    funds: u128,
) -> anyhow::Result<()> {
    let escrow = s.c.escrow.clone();
    let funds = if funds == 0 {
        vec![]
    } else {
        vec![coin(funds, AKT)]
    };
    let res = s.exec_ok(what, sender, &escrow, msg, &funds)?;
    let consumed = of::<DepositConsumed>(&res)?.len();
    anyhow::ensure!(
        consumed <= DEFAULT_CONSUME_BATCH as usize,
        "{what} consumed {consumed} entries"
    );
    Ok(())
}

fn dust_attack(s: &mut Suite) -> anyhow::Result<()> {
    let escrow = s.c.escrow.clone();
    s.exec_ok(
        "open",
        "tenant",
        &escrow,
        &Escrow::OpenAccount {
            dseq: 1,
            denom: AKT.into(),
        },
        &[coin(TENANT, AKT)],
    )?;
    // The default cap stops a stranger's 1,000th entry (the tenant's is the first).
    let cap = u64::from(DEFAULT_MAX_LIVE_DEPOSITS);
    for i in 0..DUST {
        let name = format!("dust{i}");
        mint(s, &name, 1)?;
        if i + 1 == cap {
            s.exec_err(
                &name,
                &escrow,
                &deposit(s, 1),
                &[coin(1, AKT)],
                "maximum of 1000 live deposits",
            )?;
            // An authority that raises the cap far (the attack then goes on) still leaves every
            // path bounded.
            set_limits(
                s,
                DepositLimits {
                    max_live_deposits: 100_000,
                    ..DepositLimits::default()
                },
            )?;
        }
        s.exec_ok("dust", &name, &escrow, &deposit(s, 1), &[coin(1, AKT)])?;
    }
    s.exec_ok(
        "sponsor",
        "sponsor",
        &escrow,
        &deposit(s, SPONSOR),
        &[coin(SPONSOR, AKT)],
    )?;
    s.exec_ok(
        "lease",
        "tenant",
        &escrow,
        &Escrow::OpenPayment {
            dseq: 1,
            provider: s.addr("provider").to_string(),
            rate: cosmwasm_std::Decimal256::from_ratio(RATE, 1u8),
            resources: Resources {
                gpu_model: "h100".into(),
                gpu_count: 8,
            },
        },
        &[],
    )?;
    s.advance(BLOCKS)?;
    let provider_before = s.bank(&s.addr("provider"), AKT);
    // One settlement uses up the tenant's deposit, all 5,000 dust entries and part of the
    // sponsor's: the provider is paid in full now; the entries are consumed over later calls.
    let withdraw = Escrow::Withdraw {
        owner: s.addr("tenant").to_string(),
        dseq: 1,
        payment_id: 0,
    };
    bounded(s, "withdraw", "provider", &withdraw, 0)?;
    let paid = RATE * u128::from(BLOCKS);
    anyhow::ensure!(s.bank(&s.addr("provider"), AKT) - provider_before == paid);
    let a = account(s)?;
    anyhow::ensure!(
        !a.consume_pending.is_zero(),
        "the dust waits to be consumed"
    );
    s.advance(1)?;
    bounded(s, "top-up", "tenant", &deposit(s, 5_000), 5_000)?;
    s.advance(1)?;
    let close_payment = Escrow::ClosePayment {
        owner: s.addr("tenant").to_string(),
        dseq: 1,
        payment_id: 0,
    };
    bounded(s, "close payment", "tenant", &close_payment, 0)?;
    let close = Escrow::CloseAccount {
        owner: s.addr("tenant").to_string(),
        dseq: 1,
    };
    s.exec_ok("close", "tenant", &escrow, &close, &[])?;
    // Refunds (and the consumption still owed) continue a batch per call.
    let refund = Escrow::Refund {
        owner: s.addr("tenant").to_string(),
        dseq: 1,
    };
    let pending = account(s)?.refunds_pending;
    let mut calls = 0u64;
    let mut refunded = Vec::new();
    while account(s)?.refunds_pending > 0 {
        let res = s.exec_ok("refund", "keeper", &escrow, &refund, &[])?;
        refunded.extend(of::<Refunded>(&res)?);
        calls += 1;
        anyhow::ensure!(calls <= DUST, "refunds do not progress");
    }
    // Each call finishes a whole batch of entries (consumed or refunded).
    anyhow::ensure!(
        calls == pending.div_ceil(30),
        "{calls} refund calls for {pending} entries"
    );
    // The tenant's first deposit and every dust uakt paid for the lease (oldest first), the
    // sponsor the rest; the sponsor and the tenant's top-up get back what was not spent.
    let total_paid = RATE * u128::from(BLOCKS + 2);
    let sponsor_spent = total_paid - TENANT - u128::from(DUST);
    let back = |who: &str| -> u128 {
        refunded
            .iter()
            .filter(|r| r.depositor == s.addr(who))
            .map(|r| r.amount.to_string().parse::<u128>().unwrap_or(0))
            .sum()
    };
    anyhow::ensure!(
        back("sponsor") == SPONSOR - sponsor_spent,
        "sponsor refund {}",
        back("sponsor")
    );
    anyhow::ensure!(back("tenant") == 5_000, "tenant refund {}", back("tenant"));
    anyhow::ensure!(
        s.bank(&escrow, AKT) == 0,
        "the escrow holds nothing after the refunds"
    );
    let a = account(s)?;
    anyhow::ensure!(a.consume_pending.is_zero() && a.balance.is_zero());
    // The authority's minimum refuses dust outright.
    set_limits(
        s,
        DepositLimits {
            min_deposit: vec![coin(1_000_000, AKT)],
            ..DepositLimits::default()
        },
    )?;
    s.exec_ok(
        "open 2",
        "tenant",
        &escrow,
        &Escrow::OpenAccount {
            dseq: 2,
            denom: AKT.into(),
        },
        &[coin(1_000_000, AKT)],
    )?;
    mint(s, "dust-late", 1)?;
    let dust = Escrow::Deposit {
        owner: s.addr("tenant").to_string(),
        dseq: 2,
        amount: Uint256::one(),
        sources: vec![],
    };
    s.exec_err(
        "dust-late",
        &escrow,
        &dust,
        &[coin(1, AKT)],
        "below the minimum of 1000000uakt",
    )?;
    Ok(())
}

#[test]
fn five_thousand_dust_deposits_freeze_nothing() {
    on_both_backends("2.5", &["sponsor", "provider", "tenant"], dust_attack).unwrap();
}
