//! bme: mint and burn requests and the epoch that executes them, the ACT ledger's `send` and
//! `transfer`, and the authority's vault, parameters, allow list, pause and handover.
//!
//! `transfer` is meant for allow-listed contracts (escrow and reservations pay out with it), but
//! the allow list holds addresses, not code: the authority allow-lists the sponsor account, which
//! then sends `transfer` itself. The entry is the ledger's side of a payout alone; the payouts
//! that cause it are measured as escrow's `withdraw` and reservations' `claim`.

use bme::msg::{ExecuteMsg, ParamsUpdate, StatusResponse};
use cosmwasm_std::{coin, to_json_binary, Uint128};

use super::{governance, measure};
use crate::bench::Bench;
use crate::suite::AKT;

pub(super) fn run(bench: &mut Bench) -> anyhow::Result<()> {
    let mut s = bench.suite()?;
    let bme = s.c.bme.clone();
    // 100 AKT at 2.50 USD: about 250 ACT, well above the 10 ACT minimum.
    measure(
        bench,
        &mut s,
        "bme",
        "tenant",
        &ExecuteMsg::MintAct {},
        &[coin(100_000_000, AKT)],
    )?;
    let status: StatusResponse = s
        .query(&bme, &bme::msg::QueryMsg::Status {})
        .map_err(|e| anyhow::anyhow!("status: {e}"))?;
    s.advance_to(status.next_mint_epoch)?;
    measure(
        bench,
        &mut s,
        "bme",
        "keeper",
        &ExecuteMsg::Process { limit: None },
        &[],
    )?;
    let minted = s.act(&s.addr("tenant"));
    anyhow::ensure!(minted > 0, "process minted nothing");
    measure(
        bench,
        &mut s,
        "bme",
        "tenant",
        &ExecuteMsg::BurnAct {
            amount: Uint128::new(10_000_000),
        },
        &[],
    )?;
    measure(
        bench,
        &mut s,
        "bme",
        "gov",
        &ExecuteMsg::FundVault {},
        &[coin(1_000_000, AKT)],
    )?;
    measure(
        bench,
        &mut s,
        "bme",
        "gov",
        &ExecuteMsg::UpdateParams(ParamsUpdate {
            max_attempts: Some(4),
            ..Default::default()
        }),
        &[],
    )?;

    // `send` into escrow (its receive hook runs inside the measurement).
    let hook = escrow::msg::ReceiveHook::OpenAccount { dseq: 1 };
    let send = ExecuteMsg::Send {
        contract: s.c.escrow.to_string(),
        amount: Uint128::new(5_000_000),
        msg: to_json_binary(&hook).map_err(|e| anyhow::anyhow!("hook: {e}"))?,
    };
    measure(bench, &mut s, "bme", "tenant", &send, &[])?;

    // `transfer` by an allow-listed account holding ACT.
    let sponsor = s.addr("sponsor").to_string();
    measure(
        bench,
        &mut s,
        "bme",
        "gov",
        &ExecuteMsg::UpdateAllowList {
            add: vec![sponsor],
            remove: vec![],
        },
        &[],
    )?;
    s.mint_act("sponsor", 10_000_000)?;
    let tenant = s.addr("tenant").to_string();
    measure(
        bench,
        &mut s,
        "bme",
        "sponsor",
        &ExecuteMsg::Transfer {
            recipient: tenant,
            amount: Uint128::new(1_000_000),
        },
        &[],
    )?;
    governance(
        bench,
        &mut s,
        "bme",
        |paused| ExecuteMsg::SetPaused { paused },
        ExecuteMsg::Authority,
    )
}
