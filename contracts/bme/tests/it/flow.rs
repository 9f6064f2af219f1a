//! End to end: AKT → ACT → escrow deposit → provider paid ACT → provider burns ACT → AKT at a
//! different price.

use crate::common;

use bme::msg::{Mode, RequestKind, RequestState};
use common::*;
use cosmwasm_std::{Decimal256, Uint128};
use cw_multi_test::Executor;
use escrow::msg::Resources;
use escrow::msg::{ExecuteMsg as EscrowExec, ReceiveHook};
use supercloud_events::bme::BmeEvent;

#[test]
fn akt_to_act_to_escrow_to_provider_to_akt() {
    let mut s = Suite::new("2.5");
    let tenant = s.addr("tenant");
    let provider = s.addr("provider");

    // Tenant asks to mint with 100 AKT at 2.50 USD.
    let res = s.mint("tenant", 100_000_000).unwrap();
    let evs = bme_events(&res);
    assert!(matches!(&evs[0], BmeEvent::MintRequested(m)
        if m.id == 1 && m.amount_akt == Uint128::new(100_000_000)
            && m.expected_act == Uint128::new(250_000_000)));
    assert_eq!(s.bank(&s.bme), 100_000_000);
    assert_eq!(s.vault().pending_akt.u128(), 100_000_000);
    assert_eq!(s.by_owner("tenant", None, None).requests.len(), 1);
    // Nothing happens before the epoch.
    let res = s.process();
    assert!(executed(&res).is_empty());
    assert_eq!(s.act(&tenant), 0);

    // Mint epoch: 250 ACT gross, 25 bps spread rounded up = 0.625 ACT withheld.
    let res = s.next_epoch();
    assert_eq!(executed(&res), vec![1]);
    assert_eq!(s.act(&tenant), 249_375_000);
    let v = s.vault();
    assert_eq!(v.vault_akt.u128(), 100_000_000);
    assert_eq!(v.pending_akt.u128(), 0);
    assert_eq!(v.remint_credits.u128(), 100_000_000);
    assert_eq!(v.supply.u128(), 249_375_000);
    match s.request(1).state {
        RequestState::Executed {
            burned,
            minted,
            spread,
            paid,
            price,
            ..
        } => {
            assert_eq!(burned.u128(), 100_000_000);
            assert_eq!(minted.u128(), 250_000_000);
            assert_eq!(spread.u128(), 625_000);
            assert_eq!(paid.u128(), 249_375_000);
            assert_eq!(price, common::price("2.5"));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(s.by_owner("tenant", None, None).requests.is_empty());

    // Tenant opens an escrow account funded with 100 ACT through `send`.
    s.send_to_escrow("tenant", 100_000_000, &ReceiveHook::OpenAccount { dseq: 1 })
        .unwrap();
    assert_eq!(s.act(&tenant), 149_375_000);
    assert_eq!(s.act(&s.escrow.clone()), 100_000_000);

    // Owner opens a payment of 1 ACT per block to the provider.
    let escrow = s.escrow.clone();
    s.app
        .execute_contract(
            tenant.clone(),
            escrow.clone(),
            &EscrowExec::OpenPayment {
                dseq: 1,
                provider: provider.to_string(),
                rate: Decimal256::from_ratio(1_000_000u64, 1u64),
                resources: Resources {
                    gpu_model: "h100".into(),
                    gpu_count: 1,
                },
            },
            &[],
        )
        .unwrap();
    s.advance(20);
    // Provider withdraws: escrow pays through bme `transfer`.
    let res = s
        .app
        .execute_contract(
            provider.clone(),
            escrow.clone(),
            &EscrowExec::Withdraw {
                owner: tenant.to_string(),
                dseq: 1,
                payment_id: 0,
            },
            &[],
        )
        .unwrap();
    assert!(bme_events(&res).iter().any(|e| matches!(e,
        BmeEvent::ActTransferred(t) if t.recipient == provider && t.amount.u128() == 20_000_000)));
    assert_eq!(s.act(&provider), 20_000_000);
    assert_eq!(s.act(&escrow), 80_000_000);

    // The price moves to 4.00; the provider burns its 20 ACT for 5 AKT.
    s.set_price("4");
    let res = s.burn("provider", 20_000_000).unwrap();
    assert!(matches!(&bme_events(&res)[0], BmeEvent::BurnRequested(b)
        if b.id == 2 && b.expected_akt.u128() == 5_000_000 && b.balance.is_zero()));
    assert_eq!(s.act(&provider), 0);
    assert_eq!(s.vault().pending_act.u128(), 20_000_000);
    assert_eq!(s.supply(), 249_375_000);
    s.assert_conserved(&[tenant.clone(), provider.clone(), escrow.clone()]);
    let provider_akt = s.bank(&provider);
    let mut res = s.next_epoch();
    while executed(&res).is_empty() {
        res = s.next_epoch();
    }
    assert_eq!(executed(&res), vec![2]);
    assert_eq!(s.bank(&provider) - provider_akt, 5_000_000);

    // Final balances, exactly.
    assert_eq!(s.bank(&tenant), START - 100_000_000);
    assert_eq!(s.bank(&provider), START + 5_000_000);
    assert_eq!(s.bank(&s.bme), 95_000_000);
    assert_eq!(s.act(&tenant), 149_375_000);
    assert_eq!(s.act(&escrow), 80_000_000);
    assert_eq!(s.act(&provider), 0);
    let v = s.vault();
    assert_eq!(v.vault_akt.u128(), 95_000_000);
    assert_eq!(v.remint_credits.u128(), 95_000_000);
    assert_eq!(v.supply.u128(), 229_375_000);
    assert_eq!(v.total_minted_act.u128(), 249_375_000);
    assert_eq!(v.total_burned_act.u128(), 20_000_000);
    assert_eq!(v.total_akt_in.u128(), 100_000_000);
    assert_eq!(v.total_akt_out.u128(), 5_000_000);
    s.assert_conserved(&[tenant, provider, escrow]);
    // CR = 95 AKT × 4 / 229.375 ACT = 1.6566… → 16566 bps, healthy.
    let st = s.status();
    assert_eq!(st.cr_bps, 16_566);
    assert_eq!(st.mode, Mode::Healthy);
    assert_eq!(s.records(None, None).records.len(), 2);
    assert!(s.queue(RequestKind::Burn).requests.is_empty());
}
