//! Tenant mints ACT → funds an escrow account (a sponsor adds ACT too) → the lease pays the
//! provider in ACT → the provider burns ACT for AKT. On both backends, same end state.

use cosmwasm_std::{Decimal256, Uint128};
use escrow::msg::Resources;
use escrow::msg::{ExecuteMsg as Escrow, ReceiveHook};
use supercloud_tests::{on_both_backends, Suite, AKT};

/// uact per block the lease pays: 100 blocks earn 2 ACT, above bme's 1 ACT minimum burn.
const RATE: u128 = 20_000;

fn flow(s: &mut Suite) -> anyhow::Result<()> {
    let (escrow, bme) = (s.c.escrow.clone(), s.c.bme.clone());
    let (tenant, provider) = (s.addr("tenant"), s.addr("provider"));

    // 100 AKT at 2.50 USD: 250 ACT less the 25 bps mint spread.
    let minted = s.mint_act("tenant", 100_000_000)?;
    assert_eq!(minted, 249_375_000);
    let sponsored = s.mint_act("sponsor", 4_000_000)?;
    assert!(sponsored > 0);

    s.send_act(
        "tenant",
        &escrow,
        5_000_000,
        &ReceiveHook::OpenAccount { dseq: 7 },
    )
    .map_err(|e| anyhow::anyhow!("open: {e}"))?;
    s.send_act(
        "sponsor",
        &escrow,
        sponsored,
        &ReceiveHook::Deposit {
            owner: tenant.to_string(),
            dseq: 7,
        },
    )
    .map_err(|e| anyhow::anyhow!("sponsor deposit: {e}"))?;
    assert_eq!(s.act(&escrow), 5_000_000 + sponsored);

    s.exec(
        "tenant",
        &escrow,
        &Escrow::OpenPayment {
            dseq: 7,
            provider: provider.to_string(),
            rate: Decimal256::from_ratio(RATE, 1u128),
            resources: Resources {
                gpu_model: "h100".into(),
                gpu_count: 2,
            },
        },
        &[],
    )
    .map_err(|e| anyhow::anyhow!("open payment: {e}"))?;
    let opened = s.height();
    s.advance(100)?;
    s.exec(
        "provider",
        &escrow,
        &Escrow::Withdraw {
            owner: tenant.to_string(),
            dseq: 7,
            payment_id: 0,
        },
        &[],
    )
    .map_err(|e| anyhow::anyhow!("withdraw: {e}"))?;
    let earned = RATE * u128::from(s.height() - opened);
    assert_eq!(s.act(&provider), earned);
    assert_eq!(s.act(&escrow), 5_000_000 + sponsored - earned);

    // A stranger cannot withdraw the provider's money; nothing moves.
    let refused = s.exec(
        "stranger",
        &escrow,
        &Escrow::Withdraw {
            owner: tenant.to_string(),
            dseq: 7,
            payment_id: 0,
        },
        &[],
    );
    assert!(refused.is_err());
    assert_eq!(s.act(&provider), earned);

    // The provider burns its ACT at a higher AKT price: fewer uakt per uact.
    s.set_price("3.2")?;
    let akt_before = s.bank(&provider, AKT);
    s.exec(
        "provider",
        &bme,
        &bme::msg::ExecuteMsg::BurnAct {
            amount: Uint128::new(earned),
        },
        &[],
    )
    .map_err(|e| anyhow::anyhow!("burn: {e}"))?;
    assert_eq!(s.act(&provider), 0);
    s.run_due_epoch()?;
    let paid = s.bank(&provider, AKT) - akt_before;
    // earned uact at 3.2 USD/AKT is at most earned / 3.2 uakt (spread withheld).
    assert!(
        paid > 0 && paid * 32 <= earned * 10,
        "paid {paid} for {earned}"
    );

    // The tenant closes: its remainder comes back in ACT, the sponsor's share to the sponsor.
    s.exec(
        "tenant",
        &escrow,
        &Escrow::CloseAccount {
            owner: tenant.to_string(),
            dseq: 7,
        },
        &[],
    )
    .map_err(|e| anyhow::anyhow!("close: {e}"))?;
    assert_eq!(s.act(&escrow), 0, "escrow holds nothing after close");
    // Closing settles the blocks since the withdraw: those go to the provider.
    let settled_at_close = s.act(&provider);
    assert!(settled_at_close > 0 && settled_at_close.is_multiple_of(RATE));
    let total = s.act(&tenant) + s.act(&s.addr("sponsor")) + settled_at_close + earned;
    assert_eq!(total, minted + sponsored, "every uact accounted for");
    Ok(())
}

#[test]
fn act_lease_flow_matches_on_native_and_wasm() {
    let (native, wasm) = on_both_backends("2.5", &[], flow).unwrap();
    assert_eq!(
        native.act(&native.addr("tenant")),
        wasm.act(&wasm.addr("tenant"))
    );
}
