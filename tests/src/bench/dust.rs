//! Dust runs (issue 23): what one call must walk when thousands of one-uakt deposits from
//! distinct addresses sit in an account's queue. A settlement that uses them all up, the calls
//! after it (a top-up, a payment close, the account close) and the refunds each handle at most
//! one batch of entries, so their gas must not grow with the number of dust entries.

use cosmwasm_std::{coin, Decimal256, Uint256};
use escrow::msg::{ConfigUpdate, DepositLimits, ExecuteMsg as Escrow, Resources};

use super::scaling::{fund, ok};
use super::Bench;
use crate::suite::AKT;

/// Dust entries per run. The smallest already makes every measured call consume a full batch
/// (four calls of 30 before the refunds), so growth between the scales is the cost of the queue
/// itself.
pub const DUST: [u64; 3] = [200, 1_000, 5_000];
/// The measured operations, in order.
pub const OPS: [&str; 5] = [
    "dust_withdraw",
    "dust_top_up",
    "dust_close_payment",
    "dust_close_account",
    "dust_refund",
];

/// One account per scale: the tenant's deposit, `n` dust deposits, a sponsor's; a lease whose
/// first settlement uses up all the dust; then each operation of [`OPS`] once.
pub fn escrow_dust(bench: &mut Bench) -> anyhow::Result<()> {
    let mut s = bench.suite()?;
    let escrow = s.c.escrow.clone();
    let limits = ConfigUpdate {
        deposit_limits: Some(DepositLimits {
            max_live_deposits: 100_000,
            ..DepositLimits::default()
        }),
        ..ConfigUpdate::default()
    };
    ok(
        s.exec("gov", &escrow, &Escrow::UpdateConfig(limits), &[]),
        "limits",
    )?;
    let owner = s.addr("tenant").to_string();
    let deposit = |dseq: u64, amount: u128| Escrow::Deposit {
        owner: owner.clone(),
        dseq,
        amount: Uint256::from(amount),
        sources: vec![],
    };
    let mut seq = 0u64;
    for &n in &DUST {
        let dseq = n;
        let open = Escrow::OpenAccount {
            dseq,
            denom: AKT.into(),
        };
        ok(
            s.exec("tenant", &escrow, &open, &[coin(1_000, AKT)]),
            "open",
        )?;
        for _ in 0..n {
            seq += 1;
            let name = format!("dust{seq}");
            fund(&mut s, &name, 1)?;
            ok(
                s.exec(&name, &escrow, &deposit(dseq, 1), &[coin(1, AKT)]),
                "dust",
            )?;
            if seq.is_multiple_of(1_000) {
                bench.discard_log();
            }
        }
        let sponsor = 100_000_000u128;
        ok(
            s.exec(
                "sponsor",
                &escrow,
                &deposit(dseq, sponsor),
                &[coin(sponsor, AKT)],
            ),
            "sponsor",
        )?;
        // A rate that uses up the tenant's 1,000 and all the dust in one block.
        let rate = Decimal256::from_ratio(1_000 + u128::from(n) + 100, 1u8);
        let lease = Escrow::OpenPayment {
            dseq,
            provider: s.addr("provider").to_string(),
            rate,
            resources: Resources {
                gpu_model: "h100".into(),
                gpu_count: 1,
            },
        };
        ok(s.exec("tenant", &escrow, &lease, &[]), "lease")?;
        bench.discard_log();
        s.advance(1)?;
        let scale = [("dust_entries", n)];
        let payment = |owner: &str| Escrow::Withdraw {
            owner: owner.to_string(),
            dseq,
            payment_id: 0,
        };
        let steps: [(&str, Escrow, u128); 5] = [
            (OPS[0], payment(&owner), 0),
            (OPS[1], deposit(dseq, 5_000), 5_000),
            (
                OPS[2],
                Escrow::ClosePayment {
                    owner: owner.clone(),
                    dseq,
                    payment_id: 0,
                },
                0,
            ),
            (
                OPS[3],
                Escrow::CloseAccount {
                    owner: owner.clone(),
                    dseq,
                },
                0,
            ),
            (
                OPS[4],
                Escrow::Refund {
                    owner: owner.clone(),
                    dseq,
                },
                0,
            ),
        ];
        for (op, msg, funds) in steps {
            let sender = match op {
                "dust_withdraw" => "provider",
                "dust_refund" => "keeper",
                _ => "tenant",
            };
            let funds = if funds == 0 {
                vec![]
            } else {
                vec![coin(funds, AKT)]
            };
            bench.measure(&mut s, "escrow", op, &scale, sender, &escrow, &msg, &funds)?;
        }
    }
    Ok(())
}
