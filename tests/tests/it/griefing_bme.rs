//! Griefing and denial-of-service attacks on bme (issue 23), on both backends.
//!
//! The audit's attack: 500 burns of 3 uact from one address delayed an honest burn by 110
//! blocks. Now dust burns and dust mints are refused at submission with their typed errors
//! (`min_burn`, `min_mint`, both set by the authority), and one address may hold at most
//! `max_pending_per_owner` (default 10) queued requests, so an honest request waits at most
//! `floor(N·A/R) + 1` epochs of its queue, `N ≤ P·k` requests ahead from `k` addresses (the
//! bound in `bme::execute::process`). Expected epochs are counted by hand from that formula.

use bme::msg::{
    ExecuteMsg as Bme, ParamsUpdate, QueryMsg as BmeQuery, RequestKind, RequestState,
    RequestStatusResponse, RequestsResponse, StatusResponse, Vault,
};
use cosmwasm_std::{coin, Uint128};
use supercloud_events::bme::{BurnRequested, MintRequested, RecordExecuted};
use supercloud_tests::events::{of, one};
use supercloud_tests::{on_both_backends, Suite, AKT};

/// The refusal of a request past the per-address cap names the cap and its value.
const CAP_10: &str = "already has the most queued requests one address may have \
                      (max_pending_per_owner = 10)";

fn burn_msg(uact: u128) -> Bme {
    Bme::BurnAct {
        amount: Uint128::new(uact),
    }
}

fn queue(s: &Suite, kind: RequestKind) -> anyhow::Result<Vec<u64>> {
    let bme = s.c.bme.clone();
    let page: RequestsResponse = s.q(
        &bme,
        &BmeQuery::Queue {
            kind,
            start_after: None,
            limit: Some(30),
        },
    )?;
    Ok(page.requests.iter().map(|r| r.id).collect())
}

fn vault(s: &Suite) -> anyhow::Result<Vault> {
    let bme = s.c.bme.clone();
    s.q(&bme, &BmeQuery::Vault {})
}

fn request(s: &Suite, id: u64) -> anyhow::Result<RequestStatusResponse> {
    let bme = s.c.bme.clone();
    s.q(&bme, &BmeQuery::RequestStatus { id })
}

fn set_params(s: &mut Suite, update: ParamsUpdate) -> anyhow::Result<()> {
    let bme = s.c.bme.clone();
    s.exec_ok(
        "update params",
        "gov",
        &bme,
        &Bme::UpdateParams(update),
        &[],
    )?;
    Ok(())
}

/// Advances to the next epoch of `kind` and lets the keeper process it (default limit: the whole
/// epoch in one call); returns the ids it executed.
fn epoch_of(s: &mut Suite, kind: RequestKind) -> anyhow::Result<Vec<u64>> {
    let bme = s.c.bme.clone();
    let status: StatusResponse = s.q(&bme, &BmeQuery::Status {})?;
    s.advance_to(match kind {
        RequestKind::Burn => status.next_burn_epoch,
        RequestKind::Mint => status.next_mint_epoch,
    })?;
    let res = s.exec_ok(
        "process",
        "keeper",
        &bme,
        &Bme::Process { limit: None },
        &[],
    )?;
    Ok(of::<RecordExecuted>(&res)?
        .into_iter()
        .filter(|r| r.kind == kind)
        .map(|r| r.id)
        .collect())
}

/// Burns below `min_burn` (1 ACT) and mints below `min_mint` (10 ACT at the current price) are
/// refused at submission with their typed errors and move nothing; exactly the minimum is
/// accepted; the authority's new minimums apply to the next submission.
fn dust_flow(s: &mut Suite) -> anyhow::Result<()> {
    let bme = s.c.bme.clone();
    let tenant = s.addr("tenant");
    // 100 AKT at 2.50: 250 ACT less the 25 bps spread.
    let minted = s.mint_act("tenant", 100_000_000)?;
    anyhow::ensure!(minted == 249_375_000, "minted {minted}");
    let (act, bank, held) = (s.act(&tenant), s.bank(&tenant, AKT), s.bank(&bme, AKT));

    s.exec_err(
        "tenant",
        &bme,
        &burn_msg(3),
        &[],
        "burn of 3 uact is below the minimum of 1000000 uact",
    )?;
    s.exec_err(
        "tenant",
        &bme,
        &burn_msg(999_999),
        &[],
        "burn of 999999 uact is below the minimum of 1000000 uact",
    )?;
    // 3 uakt at 2.50 is 7 uact; 3.999999 AKT is 9.9999975 ACT, floored.
    s.exec_err(
        "tenant",
        &bme,
        &Bme::MintAct {},
        &[coin(3, AKT)],
        "mint of 7 uact at the current price is below the minimum of 10000000 uact",
    )?;
    s.exec_err(
        "tenant",
        &bme,
        &Bme::MintAct {},
        &[coin(3_999_999, AKT)],
        "mint of 9999997 uact at the current price is below the minimum of 10000000 uact",
    )?;
    // Refused dust queued nothing and moved nothing.
    anyhow::ensure!(queue(s, RequestKind::Burn)?.is_empty(), "burn queued");
    anyhow::ensure!(queue(s, RequestKind::Mint)?.is_empty(), "mint queued");
    anyhow::ensure!(
        (s.act(&tenant), s.bank(&tenant, AKT), s.bank(&bme, AKT)) == (act, bank, held),
        "a refusal moved funds"
    );
    let v = vault(s)?;
    anyhow::ensure!(v.pending_act.is_zero() && v.pending_akt.is_zero());

    // Exactly the minimums are accepted.
    let res = s.exec_ok("min burn", "tenant", &bme, &burn_msg(1_000_000), &[])?;
    anyhow::ensure!(one::<BurnRequested>(&res)?.amount_act.u128() == 1_000_000);
    let res = s.exec_ok(
        "min mint",
        "tenant",
        &bme,
        &Bme::MintAct {},
        &[coin(4_000_000, AKT)],
    )?;
    anyhow::ensure!(one::<MintRequested>(&res)?.expected_act.u128() == 10_000_000);

    // The authority raises both minimums.
    set_params(
        s,
        ParamsUpdate {
            min_burn: Some(Uint128::new(5_000_000)),
            min_mint: Some(Uint128::new(20_000_000)),
            ..Default::default()
        },
    )?;
    s.exec_err(
        "tenant",
        &bme,
        &burn_msg(4_999_999),
        &[],
        "burn of 4999999 uact is below the minimum of 5000000 uact",
    )?;
    s.exec_err(
        "tenant",
        &bme,
        &Bme::MintAct {},
        &[coin(4_000_000, AKT)],
        "mint of 10000000 uact at the current price is below the minimum of 20000000 uact",
    )?;
    s.exec_ok("new min burn", "tenant", &bme, &burn_msg(5_000_000), &[])?;
    anyhow::ensure!(queue(s, RequestKind::Burn)?.len() == 2);
    anyhow::ensure!(queue(s, RequestKind::Mint)?.len() == 1);
    Ok(())
}

#[test]
fn dust_burns_and_mints_are_refused_at_submission() {
    on_both_backends("2.5", &[], dust_flow).unwrap();
}

/// The audit's 500 burns from one address: 10 are queued, 490 refused with the cap error. With
/// `R = 4` records per epoch the honest burn behind the 10 runs in epoch `floor(10/4) + 1 = 3`
/// exactly (without the cap: `floor(500/4) + 1 = 126`).
fn burn_flood_flow(s: &mut Suite) -> anyhow::Result<()> {
    let bme = s.c.bme.clone();
    set_params(
        s,
        ParamsUpdate {
            max_records_per_epoch: Some(4),
            ..Default::default()
        },
    )?;
    s.mint_act("stranger", 100_000_000)?;
    s.mint_act("tenant", 10_000_000)?;
    let stranger = s.addr("stranger");
    let act = s.act(&stranger);
    let mut accepted = 0;
    for _ in 0..500 {
        match s.exec("stranger", &bme, &burn_msg(1_000_000), &[]) {
            Ok(_) => accepted += 1,
            Err(e) => anyhow::ensure!(e.to_string().contains(CAP_10), "refused with: {e}"),
        }
    }
    anyhow::ensure!(accepted == 10, "accepted {accepted} flood burns");
    anyhow::ensure!(s.act(&stranger) == act - 10_000_000, "refusals debited ACT");
    let flood = queue(s, RequestKind::Burn)?;
    anyhow::ensure!(flood.len() == 10);

    let res = s.exec_ok("honest burn", "tenant", &bme, &burn_msg(1_000_000), &[])?;
    let honest = one::<BurnRequested>(&res)?.id;
    let epochs = (0..3)
        .map(|_| epoch_of(s, RequestKind::Burn))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut expected = vec![
        flood[0..4].to_vec(),
        flood[4..8].to_vec(),
        flood[8..].to_vec(),
    ];
    expected[2].push(honest);
    anyhow::ensure!(epochs == expected, "epochs executed {epochs:?}");
    anyhow::ensure!(matches!(
        request(s, honest)?.state,
        RequestState::Executed { .. }
    ));
    Ok(())
}

#[test]
fn one_address_cannot_flood_the_burn_queue() {
    on_both_backends("2.5", &[], burn_flood_flow).unwrap();
}

/// Two addresses each fill their 10 mint slots; with `R = 4` the honest mint behind the 20 runs
/// in epoch `floor(20/4) + 1 = 6` exactly, and not before.
fn mint_flood_flow(s: &mut Suite) -> anyhow::Result<()> {
    let bme = s.c.bme.clone();
    set_params(
        s,
        ParamsUpdate {
            max_records_per_epoch: Some(4),
            ..Default::default()
        },
    )?;
    // 4 AKT at 2.50 is exactly the 10 ACT minimum.
    let mint = [coin(4_000_000, AKT)];
    for who in ["stranger", "tenant2"] {
        for _ in 0..10 {
            s.exec_ok("flood mint", who, &bme, &Bme::MintAct {}, &mint)?;
        }
        s.exec_err(who, &bme, &Bme::MintAct {}, &mint, CAP_10)?;
    }
    let res = s.exec_ok("honest mint", "tenant", &bme, &Bme::MintAct {}, &mint)?;
    let honest = one::<MintRequested>(&res)?.id;
    for epoch in 1..=6 {
        let ran = epoch_of(s, RequestKind::Mint)?;
        anyhow::ensure!(
            ran.contains(&honest) == (epoch == 6),
            "epoch {epoch} executed {ran:?}"
        );
        anyhow::ensure!(ran.len() == if epoch == 6 { 1 } else { 4 });
    }
    Ok(())
}

#[test]
fn two_addresses_delay_an_honest_mint_by_at_most_their_caps() {
    on_both_backends("2.5", &[], mint_flood_flow).unwrap();
}
