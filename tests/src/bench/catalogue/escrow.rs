//! escrow: an account's whole life in uakt (open, deposits, an allowance, a payment withdrawn and
//! closed, the close and the refund it leaves behind), the ACT hooks, and governance.

use cosmwasm_std::{coin, Decimal256, Uint256};
use escrow::msg::Resources;
use escrow::msg::{ConfigUpdate, ExecuteMsg, ReceiveHook, ScopeMsg};

use super::{governance, measure, measure_hook};
use crate::bench::Bench;
use crate::suite::AKT;

pub(super) fn run(bench: &mut Bench) -> anyhow::Result<()> {
    let mut s = bench.suite()?;
    let tenant = s.addr("tenant").to_string();
    let (tenant2, provider) = (
        s.addr("tenant2").to_string(),
        s.addr("provider").to_string(),
    );
    measure(
        bench,
        &mut s,
        "escrow",
        "tenant",
        &ExecuteMsg::OpenAccount {
            dseq: 1,
            denom: AKT.into(),
        },
        &[coin(10_000_000, AKT)],
    )?;
    measure(
        bench,
        &mut s,
        "escrow",
        "sponsor",
        &ExecuteMsg::Deposit {
            owner: tenant.clone(),
            dseq: 1,
            amount: Uint256::from(1_000_000u128),
            sources: vec![],
        },
        &[coin(1_000_000, AKT)],
    )?;
    measure(
        bench,
        &mut s,
        "escrow",
        "sponsor",
        &ExecuteMsg::GrantAllowance {
            grantee: tenant2.clone(),
            scope: ScopeMsg::Any {},
            expires_at: None,
        },
        &[coin(1_000_000, AKT)],
    )?;
    measure(
        bench,
        &mut s,
        "escrow",
        "sponsor",
        &ExecuteMsg::RevokeAllowance {
            grantee: tenant2,
            denom: AKT.into(),
        },
        &[],
    )?;
    // Payment ids start at 0.
    measure(
        bench,
        &mut s,
        "escrow",
        "tenant",
        &ExecuteMsg::OpenPayment {
            dseq: 1,
            provider,
            rate: Decimal256::from_ratio(10u128, 1u128),
            resources: Resources {
                gpu_model: "h100".into(),
                gpu_count: 1,
            },
        },
        &[],
    )?;
    s.advance(10)?;
    measure(
        bench,
        &mut s,
        "escrow",
        "provider",
        &ExecuteMsg::Withdraw {
            owner: tenant.clone(),
            dseq: 1,
            payment_id: 0,
        },
        &[],
    )?;
    s.advance(10)?;
    measure(
        bench,
        &mut s,
        "escrow",
        "tenant",
        &ExecuteMsg::ClosePayment {
            owner: tenant.clone(),
            dseq: 1,
            payment_id: 0,
        },
        &[],
    )?;
    // One refund per call: closing refunds the owner's deposit and leaves the sponsor's.
    measure(
        bench,
        &mut s,
        "escrow",
        "gov",
        &ExecuteMsg::UpdateConfig(ConfigUpdate {
            refund_batch: Some(1),
            ..Default::default()
        }),
        &[],
    )?;
    measure(
        bench,
        &mut s,
        "escrow",
        "tenant",
        &ExecuteMsg::CloseAccount {
            owner: tenant.clone(),
            dseq: 1,
        },
        &[],
    )?;
    measure(
        bench,
        &mut s,
        "escrow",
        "stranger",
        &ExecuteMsg::Refund {
            owner: tenant.clone(),
            dseq: 1,
        },
        &[],
    )?;

    // The ACT hooks, through bme's `send`.
    s.mint_act("tenant", 100_000_000)?;
    let grantee = s.addr("tenant2").to_string();
    measure_hook(
        bench,
        &mut s,
        "escrow",
        "tenant",
        5_000_000,
        &ReceiveHook::OpenAccount { dseq: 2 },
    )?;
    measure_hook(
        bench,
        &mut s,
        "escrow",
        "tenant",
        1_000_000,
        &ReceiveHook::Deposit {
            owner: tenant.clone(),
            dseq: 2,
        },
    )?;
    measure_hook(
        bench,
        &mut s,
        "escrow",
        "tenant",
        1_000_000,
        &ReceiveHook::GrantAllowance {
            grantee: grantee.clone(),
            scope: ScopeMsg::Owner { owner: tenant },
            expires_at: None,
        },
    )?;
    governance(
        bench,
        &mut s,
        "escrow",
        |paused| ExecuteMsg::SetPaused { paused },
        ExecuteMsg::Authority,
    )
}
