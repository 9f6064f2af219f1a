//! One request through its states (`request_status`), the pending amounts and CR that every
//! executed or cancelled record carries, and migration of 0.1.0 state.

use crate::common;

use bme::msg::{
    CancelReason, ExecuteMsg, MigrateMsg, QueryMsg, RequestKind, RequestState,
    RequestStatusResponse, RetryReason,
};
use common::*;
use cosmwasm_std::{to_json_string, Uint128};
use cw_multi_test::Executor;
use supercloud_events::bme::{BmeEvent, RecordCancelled, RecordExecuted};

fn executed_events(res: &cw_multi_test::AppResponse) -> Vec<RecordExecuted> {
    bme_events(res)
        .into_iter()
        .filter_map(|e| match e {
            BmeEvent::RecordExecuted(x) => Some(x),
            _ => None,
        })
        .collect()
}

fn cancelled_events(res: &cw_multi_test::AppResponse) -> Vec<RecordCancelled> {
    bme_events(res)
        .into_iter()
        .filter_map(|e| match e {
            BmeEvent::RecordCancelled(x) => Some(x),
            _ => None,
        })
        .collect()
}

/// `floor(vault_uakt × price × 10000 / supply_uact)` for a price given as `num / den`.
fn cr_bps(vault_uakt: u128, num: u128, den: u128, supply_uact: u128) -> u32 {
    u32::try_from(vault_uakt * num * 10_000 / (den * supply_uact)).unwrap()
}

#[test]
fn request_status_follows_a_mint_from_queued_to_executed() {
    let mut s = Suite::new("2");
    let submitted = s.height();
    s.mint("tenant", 10_000_000).unwrap();
    let queued = s.request(1);
    assert_eq!(
        queued,
        RequestStatusResponse {
            id: 1,
            kind: RequestKind::Mint,
            owner: s.addr("tenant"),
            amount: Uint128::new(10_000_000),
            requested_at: submitted,
            attempts: 0,
            state: RequestState::Queued { last_error: None },
        }
    );
    // A failed attempt is counted and its reason shown while it waits.
    s.stop_feed();
    s.next_epoch();
    let waiting = s.request(1);
    assert_eq!(waiting.attempts, 1);
    assert_eq!(
        waiting.state,
        RequestState::Queued {
            last_error: Some(RetryReason::OracleUnhealthy)
        }
    );
    assert_eq!(
        to_json_string(&waiting.state).unwrap(),
        r#"{"queued":{"last_error":"oracle_unhealthy"}}"#
    );
    // Executed at 2.00: 10 AKT → 20 ACT gross, 25 bps = 0.05 ACT spread, 19.95 ACT paid.
    s.set_price("2");
    let mut res = s.next_epoch();
    while executed(&res).is_empty() {
        res = s.next_epoch();
    }
    let done = s.request(1);
    assert_eq!(
        (done.kind, done.amount.u128(), done.attempts),
        (RequestKind::Mint, 10_000_000, 1)
    );
    assert_eq!(done.requested_at, submitted);
    assert_eq!(
        done.state,
        RequestState::Executed {
            burned: Uint128::new(10_000_000),
            minted: Uint128::new(20_000_000),
            spread: Uint128::new(50_000),
            paid: Uint128::new(19_950_000),
            price: price("2"),
            height: s.height(),
        }
    );
    assert_eq!(s.act_of("tenant"), 19_950_000);
}

#[test]
fn request_status_shows_cancelled_requests_and_refuses_unknown_ids() {
    let mut s = Suite::new("2");
    // 5 AKT at 2.00 is exactly the 10 ACT minimum; at 1.90 it is 9.5 ACT, cancelled at execution.
    s.mint("tenant", 5_000_000).unwrap();
    s.set_price("1.9");
    let res = s.next_epoch();
    assert_eq!(cancels(&res), vec![(1, CancelReason::BelowMinMint)]);
    let cancelled = s.request(1);
    assert_eq!(cancelled.attempts, 0);
    assert_eq!(
        cancelled.state,
        RequestState::Cancelled {
            reason: CancelReason::BelowMinMint,
            refund: Uint128::new(5_000_000),
            height: s.height(),
        }
    );
    assert_eq!(s.bank_of("tenant"), START);

    // A burn that ran out of attempts keeps its last retry reason.
    s.set_price("1");
    s.mint("alice", 20_000_000).unwrap();
    s.next_epoch();
    s.burn("alice", 19_950_000).unwrap();
    s.set_price("0.01");
    let mut ended = vec![];
    while ended.is_empty() {
        ended = cancels(&s.next_epoch());
    }
    assert_eq!(ended, vec![(3, CancelReason::VaultInsufficient)]);
    let burn = s.request(3);
    assert_eq!((burn.kind, burn.attempts), (RequestKind::Burn, 3));
    assert!(matches!(
        burn.state,
        RequestState::Cancelled { reason: CancelReason::VaultInsufficient, refund, .. }
            if refund.u128() == 19_950_000
    ));

    // Ids never handed out are an error, not an empty answer.
    let unknown = s
        .app
        .wrap()
        .query_wasm_smart::<RequestStatusResponse>(&s.bme, &QueryMsg::RequestStatus { id: 4 });
    assert_err(unknown, "request 4 not found");
    assert_err(
        s.app.wrap().query_wasm_smart::<RequestStatusResponse>(
            &s.bme,
            &QueryMsg::RequestStatus { id: u64::MAX },
        ),
        "not found",
    );
}

#[test]
fn executed_records_carry_pending_amounts_and_the_cr_after() {
    let mut s = Suite::new("1");
    s.mint("tenant", 100_000_000).unwrap();
    s.next_epoch();
    assert_eq!(s.act_of("tenant"), 99_750_000);
    // Two mints and a burn wait; the price falls to 0.96; one record per queue runs.
    s.mint("alice", 20_000_000).unwrap();
    s.mint("bob", 30_000_000).unwrap();
    s.burn("tenant", 10_000_000).unwrap();
    s.set_price("0.96");
    let st = s.status();
    assert_eq!(st.next_burn_epoch, st.next_mint_epoch);
    let h = s.height();
    s.advance(st.next_mint_epoch - h);
    let res = s.process_limit(1);
    let ev = executed_events(&res);
    assert_eq!(ev.iter().map(|e| e.id).collect::<Vec<_>>(), vec![4, 2]);

    // Burn 4 first: 10 ACT at 0.96 pays floor(10 / 0.96) AKT. Both mints are still pending; its
    // own ACT no longer is. The CR falls below the one the call started with.
    let paid: u128 = 10_000_000 * 100 / 96;
    let (vault, supply) = (100_000_000 - paid, 99_750_000 - 10_000_000);
    let burn = &ev[0];
    assert_eq!(burn.paid.u128(), paid);
    assert_eq!(
        (burn.pending_akt.u128(), burn.pending_act.u128()),
        (50_000_000, 0)
    );
    assert_eq!(burn.cr_bps, cr_bps(vault, 96, 100, supply));
    assert!(burn.cr_bps < cr_bps(100_000_000, 96, 100, 99_750_000));
    // Then mint 2: 20 AKT at 0.96, less the 25 bps spread (rounded up); bob's 30 AKT wait.
    let gross: u128 = 20_000_000 * 96 / 100;
    let credited = gross - (gross * 25).div_ceil(10_000);
    let (vault, supply) = (vault + 20_000_000, supply + credited);
    let mint = &ev[1];
    assert_eq!(mint.paid.u128(), credited);
    assert_eq!(
        (mint.pending_akt.u128(), mint.pending_act.u128()),
        (30_000_000, 0)
    );
    assert_eq!(mint.cr_bps, cr_bps(vault, 96, 100, supply));
    // The last record's figures are the state after the call.
    let v = s.vault();
    assert_eq!((v.vault_akt.u128(), v.supply.u128()), (vault, supply));
    assert_eq!(
        (v.pending_akt, v.pending_act),
        (mint.pending_akt, mint.pending_act)
    );
    assert_eq!(s.status().cr_bps, mint.cr_bps);
}

#[test]
fn cancelled_records_carry_pending_amounts_and_the_cr_after() {
    let mut s = Suite::new("1.5");
    s.mint("tenant", 100_000_000).unwrap();
    s.next_epoch();
    // 100 AKT × 1.5 = 150 ACT − 0.375 spread.
    assert_eq!(s.act_of("tenant"), 149_625_000);
    s.mint("alice", 30_000_000).unwrap();
    s.burn("tenant", 5_000_000).unwrap();
    let cr_before = s.status().cr_bps;
    assert_eq!(cr_before, cr_bps(100_000_000, 3, 2, 149_625_000));
    // The oracle stops: both requests run out of attempts and are refunded.
    s.stop_feed();
    let mut cancelled = vec![];
    while cancelled.len() < 2 {
        cancelled.extend(cancelled_events(&s.next_epoch()));
    }
    // The burn epoch runs first: the ACT goes back, alice's AKT is still pending.
    let burn = &cancelled[0];
    assert_eq!((burn.id, burn.reason), (3, CancelReason::OracleUnhealthy));
    assert_eq!(
        (burn.pending_akt.u128(), burn.pending_act.u128()),
        (30_000_000, 0)
    );
    let mint = &cancelled[1];
    assert_eq!((mint.id, mint.reason), (2, CancelReason::OracleUnhealthy));
    assert_eq!((mint.pending_akt.u128(), mint.pending_act.u128()), (0, 0));
    // Refunds move neither the vault's AKT nor the supply, and without a price the CR is the last
    // one computed with a price.
    assert_eq!(burn.cr_bps, cr_before);
    assert_eq!(mint.cr_bps, cr_before);
    let v = s.vault();
    assert_eq!((v.pending_akt.u128(), v.pending_act.u128()), (0, 0));
    assert_eq!(
        cr_bps(v.vault_akt.u128(), 3, 2, v.supply.u128()),
        mint.cr_bps
    );
    assert_eq!(s.act_of("tenant"), 149_625_000);
}

/// 0.1.0 stored no `min_burn` and no `max_pending_per_owner`: after migrating, the defaults apply, and requests and records
/// stored by 0.1.0 (reasons as plain strings then, the same names now) still read.
#[test]
fn migrate_from_0_1_0_keeps_config_requests_and_records() {
    let mut s = Suite::new("1");
    s.mint("tenant", 10_000_000).unwrap();
    s.stop_feed();
    for _ in 0..3 {
        s.next_epoch();
    }
    s.set_price("1");
    s.mint("alice", 10_000_000).unwrap();
    s.stop_feed();
    s.next_epoch();
    assert!(matches!(
        s.request(1).state,
        RequestState::Cancelled {
            reason: CancelReason::OracleUnhealthy,
            ..
        }
    ));
    // Rewrite the stored configuration as 0.1.0 wrote it, and its cw2 version.
    let bme = s.bme.clone();
    {
        let mut store = s.app.contract_storage_mut(&bme);
        let raw = store.get(b"config").unwrap();
        let mut config: serde_json::Value = serde_json::from_slice(&raw).unwrap();
        let params = config["params"].as_object_mut().unwrap();
        assert!(params.remove("min_burn").is_some());
        assert!(params.remove("max_pending_per_owner").is_some());
        store.set(b"config", &serde_json::to_vec(&config).unwrap());
        let raw = store.get(b"contract_info").unwrap();
        let mut info: serde_json::Value = serde_json::from_slice(&raw).unwrap();
        info["version"] = "0.1.0".into();
        store.set(b"contract_info", &serde_json::to_vec(&info).unwrap());
    }
    let code = s.app.store_code(bme_contract());
    let gov = s.gov.clone();
    s.app
        .migrate_contract(gov, bme, &MigrateMsg {}, code)
        .unwrap();
    assert_eq!(s.config().params.min_burn.u128(), 1_000_000);
    assert_eq!(s.config().params.max_pending_per_owner, 10);
    assert!(matches!(
        s.request(2).state,
        RequestState::Queued {
            last_error: Some(RetryReason::OracleUnhealthy)
        }
    ));
    assert!(matches!(
        s.request(1).state,
        RequestState::Cancelled {
            reason: CancelReason::OracleUnhealthy,
            ..
        }
    ));
    assert_err(s.burn("tenant", 3), "below the minimum");
    // The new code's params survive a round trip through `update_params`.
    s.exec(
        "gov",
        &ExecuteMsg::UpdateParams(bme::msg::ParamsUpdate {
            min_burn: Some(Uint128::new(2_000_000)),
            ..Default::default()
        }),
        &[],
    )
    .unwrap();
    assert_eq!(s.config().params.min_burn.u128(), 2_000_000);
}
