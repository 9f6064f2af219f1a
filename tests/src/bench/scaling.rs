//! Scaling runs: how an operation's gas grows with the state it works over. Hot paths must be
//! flat in the number of depositors and reservations; per-payment and per-record work is linear
//! by design (each payment settles, each record executes).

use cosmwasm_std::{coin, Decimal256, Uint256};
use cw_multi_test::{BankSudo, SudoMsg};
use escrow::msg::ExecuteMsg as Escrow;
use escrow::msg::Resources;
use reservations::msg::{ExecuteMsg as Reservations, ReserveMsg};

use super::Bench;
use crate::suite::{h100_host, Suite, AKT};

/// Depositor counts of the escrow runs.
pub const DEPOSITORS: [u64; 3] = [1, 100, 10_000];
/// Open payments per account in the escrow runs.
pub const PAYMENTS: [u64; 3] = [1, 10, 100];
/// Reservations already on the host in the reservations runs.
pub const RESERVATIONS: [u64; 2] = [1, 5_000];
/// Due records in the bme runs.
pub const DUE_RECORDS: [u64; 2] = [1, 50];

/// Gives `name` `amount` uakt out of thin air (setup only).
pub(crate) fn fund(suite: &mut Suite, name: &str, amount: u128) -> anyhow::Result<()> {
    let to_address = suite.addr(name).to_string();
    suite
        .app
        .sudo(SudoMsg::Bank(BankSudo::Mint {
            to_address,
            amount: vec![coin(amount, AKT)],
        }))
        .map_err(|e| anyhow::anyhow!("mint: {e}"))?;
    Ok(())
}

pub(crate) fn ok<T>(r: Result<T, cosmwasm_std::StdError>, what: &str) -> anyhow::Result<T> {
    r.map_err(|e| anyhow::anyhow!("{what}: {e}"))
}

/// Escrow deposit, withdraw (settles every payment, pays one) and close_payment against an
/// account with `depositors` distinct depositors and `payments` open payments.
pub fn escrow(bench: &mut Bench) -> anyhow::Result<()> {
    let mut s = bench.suite()?;
    let escrow = s.c.escrow.clone();
    ok(
        s.exec(
            "gov",
            &escrow,
            &Escrow::UpdateConfig(escrow::msg::ConfigUpdate {
                max_open_payments: Some(100),
                // 10,000 depositors: far past the default cap on live deposits.
                deposit_limits: Some(escrow::msg::DepositLimits {
                    max_live_deposits: 100_000,
                    ..Default::default()
                }),
                ..Default::default()
            }),
            &[],
        ),
        "config",
    )?;
    let owner = s.addr("tenant").to_string();
    // Every deposit, set-up and measured alike: 1,000 uakt of attached funds.
    let deposit = |dseq: u64| Escrow::Deposit {
        owner: owner.clone(),
        dseq,
        amount: Uint256::from(1_000u128),
        sources: vec![],
    };
    let mut depositor_seq = 0u64;
    for (i, &n) in DEPOSITORS.iter().enumerate() {
        let dseq = i as u64 + 1;
        // The owner's opening deposit is large and first in line, so one block of settlement
        // consumes part of it only: what grows is the number of deposits behind it.
        ok(
            s.exec(
                "tenant",
                &escrow,
                &Escrow::OpenAccount {
                    dseq,
                    denom: AKT.into(),
                },
                &[coin(100_000_000_000, AKT)],
            ),
            "open",
        )?;
        for _ in 1..n {
            depositor_seq += 1;
            let name = format!("depositor{depositor_seq}");
            fund(&mut s, &name, 1_000_000)?;
            ok(
                s.exec(&name, &escrow, &deposit(dseq), &[coin(1_000, AKT)]),
                "deposit",
            )?;
            if depositor_seq.is_multiple_of(1_000) {
                bench.discard_log();
            }
        }
        let mut open = 0u64;
        for &p in &PAYMENTS {
            while open < p {
                ok(
                    s.exec(
                        "tenant",
                        &escrow,
                        &Escrow::OpenPayment {
                            dseq,
                            provider: s.addr("provider").to_string(),
                            rate: Decimal256::from_ratio(10u128, 1u128),
                            resources: Resources {
                                gpu_model: "h100".into(),
                                gpu_count: 1,
                            },
                        },
                        &[],
                    ),
                    "open payment",
                )?;
                open += 1;
            }
            s.advance(1)?;
            let scale = [("depositors", n), ("payments", p)];
            bench.measure(
                &mut s,
                "escrow",
                "deposit",
                &scale,
                "sponsor",
                &escrow,
                &deposit(dseq),
                &[coin(1_000, AKT)],
            )?;
            s.advance(1)?;
            bench.measure(
                &mut s,
                "escrow",
                "withdraw",
                &scale,
                "provider",
                &escrow,
                &Escrow::Withdraw {
                    owner: owner.clone(),
                    dseq,
                    payment_id: 0,
                },
                &[],
            )?;
        }
        s.advance(1)?;
        bench.measure(
            &mut s,
            "escrow",
            "close_account",
            &[("depositors", n), ("payments", open)],
            "tenant",
            &escrow,
            &Escrow::CloseAccount {
                owner: owner.clone(),
                dseq,
            },
            &[],
        )?;
    }
    Ok(())
}

/// Reservations reserve (after the last one, and into a gap between existing ones), confirm,
/// claim and cancel on a host that already holds `n` reservations.
pub fn reservations(bench: &mut Bench) -> anyhow::Result<()> {
    const HOUR: u64 = 3_600;
    const PRICE: u128 = 1_000_000;
    for &n in &RESERVATIONS {
        let mut s = bench.suite()?;
        let contract = s.c.reservations.clone();
        ok(
            s.exec(
                "provider",
                &contract,
                &Reservations::RegisterHost(h100_host("rig-1", coin(PRICE, AKT), None)),
                &[],
            ),
            "register",
        )?;
        let provider = s.addr("provider").to_string();
        let reserve = |start: u64| ReserveMsg {
            provider: provider.clone(),
            host_id: "rig-1".into(),
            start,
            end: start + HOUR,
            require_attestation: false,
        };
        // One-hour terms back to back from an hour ahead, leaving hour slot 1 free as the gap.
        let base = s.now() + HOUR;
        let slot = |k: u64| base + k * HOUR;
        let mut ids = Vec::new();
        let mut k = 0u64;
        while (ids.len() as u64) < n {
            if k != 1 {
                let res = ok(
                    s.exec(
                        "tenant",
                        &contract,
                        &Reservations::Reserve(reserve(slot(k))),
                        &[coin(PRICE, AKT)],
                    ),
                    "reserve",
                )?;
                ids.push(reservation_id(&res)?);
            }
            k += 1;
            if k.is_multiple_of(1_000) {
                bench.discard_log();
            }
        }
        let scale = [("reservations", n)];
        bench.measure(
            &mut s,
            "reservations",
            "reserve_after_last",
            &scale,
            "tenant2",
            &contract,
            &Reservations::Reserve(reserve(slot(k + 1))),
            &[coin(PRICE, AKT)],
        )?;
        bench.measure(
            &mut s,
            "reservations",
            "reserve_into_gap",
            &scale,
            "tenant2",
            &contract,
            &Reservations::Reserve(reserve(slot(1))),
            &[coin(PRICE, AKT)],
        )?;
        let first = ids.first().copied().unwrap_or_default();
        bench.measure(
            &mut s,
            "reservations",
            "confirm",
            &scale,
            "provider",
            &contract,
            &Reservations::Confirm { id: first },
            &[],
        )?;
        // Ids are sequential: the one reserved after the last is the next id.
        let after_last = ids.last().copied().unwrap_or_default() + 1;
        bench.measure(
            &mut s,
            "reservations",
            "cancel",
            &scale,
            "tenant2",
            &contract,
            &Reservations::Cancel {
                id: after_last,
                reason: None,
            },
            &[],
        )?;
        // Into the first term by half an hour.
        let blocks = (HOUR + HOUR / 2) / crate::suite::BLOCK_S;
        s.advance(blocks)?;
        bench.measure(
            &mut s,
            "reservations",
            "claim",
            &scale,
            "stranger",
            &contract,
            &Reservations::Claim { id: first },
            &[],
        )?;
    }
    Ok(())
}

/// The id of the reservation a reserve response booked.
fn reservation_id(res: &cw_multi_test::AppResponse) -> anyhow::Result<u64> {
    Ok(crate::events::one::<supercloud_events::reservations::ReservationRequested>(res)?.id)
}

/// bme `process` with `n` due mint records (one per account), all executed in one call.
pub fn bme(bench: &mut Bench) -> anyhow::Result<()> {
    for &n in &DUE_RECORDS {
        let mut s = bench.suite()?;
        let bme = s.c.bme.clone();
        for i in 0..n {
            let name = format!("minter{i}");
            fund(&mut s, &name, 20_000_000)?;
            ok(
                s.exec(
                    &name,
                    &bme,
                    &bme::msg::ExecuteMsg::MintAct {},
                    &[coin(20_000_000, AKT)],
                ),
                "mint",
            )?;
        }
        let status: bme::msg::StatusResponse =
            ok(s.query(&bme, &bme::msg::QueryMsg::Status {}), "status")?;
        let h = s.height();
        if status.next_mint_epoch > h {
            s.advance(status.next_mint_epoch - h)?;
        }
        let entry = bench.measure(
            &mut s,
            "bme",
            "process",
            &[("due_records", n)],
            "keeper",
            &bme,
            &bme::msg::ExecuteMsg::Process { limit: None },
            &[],
        )?;
        // Every record must have executed in that one call, or the figure is not per n records.
        let queue: bme::msg::RequestsResponse = ok(
            s.query(
                &bme,
                &bme::msg::QueryMsg::Queue {
                    kind: bme::msg::RequestKind::Mint,
                    start_after: None,
                    limit: Some(30),
                },
            ),
            "queue",
        )?;
        anyhow::ensure!(
            queue.requests.is_empty(),
            "bme process left {} mint requests queued (entry {entry:?})",
            queue.requests.len()
        );
    }
    Ok(())
}
