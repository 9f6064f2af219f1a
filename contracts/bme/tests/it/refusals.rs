//! Every validation and refusal path, the governance messages, pagination and wire shapes.

use crate::common;

use bme::msg::{
    ExecuteMsg, InstantiateMsg, MigrateMsg, Params, ParamsUpdate, QueryMsg, RequestKind,
};
use common::*;
use cosmwasm_std::{coin, coins, to_json_binary, to_json_string, Decimal256, Uint128};
use cw_multi_test::Executor;
use escrow::msg::Resources;
use escrow::msg::{ExecuteMsg as EscrowExec, ReceiveHook};
use supercloud_events::bme::BmeEvent;
use supercloud_std::{ActLedgerMsg, AuthorityMsg};

#[test]
fn transfer_json_is_the_ledger_message_escrow_sends() {
    let ours = ExecuteMsg::Transfer {
        recipient: "cosmwasm1provider".into(),
        amount: Uint128::new(1_234_567),
    };
    let theirs = ActLedgerMsg::Transfer {
        recipient: "cosmwasm1provider".into(),
        amount: Uint128::new(1_234_567),
    };
    assert_eq!(
        to_json_binary(&ours).unwrap(),
        to_json_binary(&theirs).unwrap()
    );
    assert_eq!(
        to_json_string(&ours).unwrap(),
        r#"{"transfer":{"recipient":"cosmwasm1provider","amount":"1234567"}}"#
    );
}

#[test]
fn mint_refusals() {
    let mut s = Suite::new("2");
    assert_err(
        s.exec("tenant", &ExecuteMsg::MintAct {}, &[]),
        "No funds sent",
    );
    assert_err(
        s.exec("tenant", &ExecuteMsg::MintAct {}, &coins(100, "uother")),
        "uakt",
    );
    // 4.999999 AKT × 2 = 9.999998 ACT < 10 ACT: refused at submission (no silent cancel later).
    assert_err(s.mint("tenant", 4_999_999), "below the minimum of 10000000");
    s.mint("tenant", 5_000_000).unwrap();
    // Paused.
    s.exec("gov", &ExecuteMsg::SetPaused { paused: true }, &[])
        .unwrap();
    assert_err(s.mint("tenant", 5_000_000), "paused");
    s.exec("gov", &ExecuteMsg::SetPaused { paused: false }, &[])
        .unwrap();
    // Halt-oracle.
    s.stop_feed();
    assert_err(s.mint("tenant", 50_000_000), "oracle price unavailable");
    // Only the accepted request holds AKT.
    assert_eq!(s.vault().pending_akt.u128(), 5_000_000);
    assert_eq!(s.bank(&s.bme), 5_000_000);
}

#[test]
fn burn_refusals() {
    let mut s = Suite::new("4");
    s.mint("tenant", 10_000_000).unwrap();
    s.next_epoch();
    assert_eq!(s.act_of("tenant"), 39_900_000);
    assert_err(s.burn("tenant", 0), "ACT amount must be greater than zero");
    assert_err(s.burn("tenant", 39_900_001), "insufficient ACT");
    assert_err(s.burn("alice", 1_000_000), "insufficient ACT");
    // 3 uact at 4 USD/AKT is 0.75 uakt → zero (with the minimum burn lowered to let it through).
    s.update_params(ParamsUpdate {
        min_burn: Some(Uint128::new(1)),
        ..Default::default()
    })
    .unwrap();
    assert_err(s.burn("tenant", 3), "rounds to zero");
    assert_err(
        s.exec(
            "tenant",
            &ExecuteMsg::BurnAct {
                amount: Uint128::new(10),
            },
            &coins(1, AKT),
        ),
        "accept funds",
    );
    s.stop_feed();
    assert_err(s.burn("tenant", 1_000_000), "oracle price unavailable");
    assert_eq!(s.act_of("tenant"), 39_900_000);
}

/// FIX (DESIGN §4.3): 3-uact burns were accepted and 500 of them delayed an honest burn by 110
/// blocks. Burns below `min_burn` (default 1 ACT) are refused at submission and queue nothing.
#[test]
fn dust_burns_are_refused_below_min_burn() {
    let mut s = Suite::new("1");
    s.mint("tenant", 20_000_000).unwrap();
    s.next_epoch();
    assert_eq!(s.act_of("tenant"), 19_950_000);
    assert_eq!(s.config().params.min_burn.u128(), 1_000_000);
    assert_err(
        s.burn("tenant", 3),
        "burn of 3 uact is below the minimum of 1000000 uact",
    );
    assert_err(s.burn("tenant", 999_999), "below the minimum of 1000000");
    assert_eq!(s.act_of("tenant"), 19_950_000);
    assert!(s.queue(RequestKind::Burn).requests.is_empty());
    // Exactly the minimum is accepted.
    s.burn("tenant", 1_000_000).unwrap();
    assert_eq!(s.queue(RequestKind::Burn).requests.len(), 1);
    assert_eq!(s.vault().pending_act.u128(), 1_000_000);
    // The authority moves the minimum; it applies to the next submission.
    s.update_params(ParamsUpdate {
        min_burn: Some(Uint128::new(5_000_000)),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(s.config().params.min_burn.u128(), 5_000_000);
    assert_err(s.burn("tenant", 4_999_999), "below the minimum of 5000000");
    s.burn("tenant", 5_000_000).unwrap();
    s.assert_conserved(&[s.addr("tenant"), s.escrow.clone()]);
}

#[test]
fn send_and_transfer_refusals() {
    let mut s = Suite::new("1");
    s.mint("tenant", 20_000_000).unwrap();
    s.next_epoch();
    let oracle = s.oracle.to_string();
    // Not allow-listed.
    assert_err(
        s.exec(
            "tenant",
            &ExecuteMsg::Send {
                contract: oracle,
                amount: Uint128::new(1),
                msg: b64("{}"),
            },
            &[],
        ),
        "is not an allow-listed ACT receiver",
    );
    assert_err(
        s.send_to_escrow("tenant", 0, &ReceiveHook::OpenAccount { dseq: 1 }),
        "must be greater than zero",
    );
    assert_err(
        s.send_to_escrow("tenant", 20_000_001, &ReceiveHook::OpenAccount { dseq: 1 }),
        "insufficient ACT",
    );
    // The hook failing reverts the send.
    assert_err(
        s.send_to_escrow(
            "tenant",
            1_000_000,
            &ReceiveHook::Deposit {
                owner: s.addr("alice").to_string(),
                dseq: 9,
            },
        ),
        "not found",
    );
    assert_eq!(s.act_of("tenant"), 19_950_000);
    // No free transfers between users.
    let bob = s.addr("bob").to_string();
    assert_err(
        s.exec(
            "tenant",
            &ExecuteMsg::Transfer {
                recipient: bob,
                amount: Uint128::new(1),
            },
            &[],
        ),
        "only allow-listed contracts may transfer",
    );
    // Paused: send refused.
    s.exec("gov", &ExecuteMsg::SetPaused { paused: true }, &[])
        .unwrap();
    assert_err(
        s.send_to_escrow("tenant", 1, &ReceiveHook::OpenAccount { dseq: 1 }),
        "paused",
    );
    assert_err(
        s.exec("keeper", &ExecuteMsg::Process { limit: None }, &[]),
        "paused",
    );
    assert_eq!(s.act_of("tenant"), 19_950_000);
}

#[test]
fn payouts_stay_open_while_paused() {
    let mut s = Suite::new("1");
    s.mint("tenant", 20_000_000).unwrap();
    s.next_epoch();
    s.send_to_escrow("tenant", 10_000_000, &ReceiveHook::OpenAccount { dseq: 1 })
        .unwrap();
    let (tenant, provider, escrow) = (s.addr("tenant"), s.addr("provider"), s.escrow.clone());
    s.app
        .execute_contract(
            tenant.clone(),
            escrow.clone(),
            &EscrowExec::OpenPayment {
                dseq: 1,
                provider: provider.to_string(),
                rate: Decimal256::from_ratio(1_000u64, 1u64),
                resources: Resources {
                    gpu_model: "a100".into(),
                    gpu_count: 2,
                },
            },
            &[],
        )
        .unwrap();
    s.advance(5);
    s.exec("gov", &ExecuteMsg::SetPaused { paused: true }, &[])
        .unwrap();
    s.app
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
    assert_eq!(s.act(&provider), 5_000);
    s.assert_conserved(&[tenant, provider, escrow]);
}

#[test]
fn fund_vault_is_authority_only_and_takes_only_attached_uakt() {
    let mut s = Suite::new("1");
    assert_err(
        s.exec("tenant", &ExecuteMsg::FundVault {}, &coins(5, AKT)),
        "only the authority",
    );
    assert_err(
        s.exec("gov", &ExecuteMsg::FundVault {}, &[]),
        "No funds sent",
    );
    assert_err(
        s.exec(
            "gov",
            &ExecuteMsg::FundVault {},
            &[coin(5, AKT), coin(5, "uother")],
        ),
        "Sent more than one denomination",
    );
    let gov_before = s.bank_of("gov");
    s.fund(7_000_000);
    assert_eq!(s.bank_of("gov"), gov_before - 7_000_000);
    let v = s.vault();
    assert_eq!(
        (v.vault_akt.u128(), v.total_funded.u128()),
        (7_000_000, 7_000_000)
    );
    assert_eq!(s.bank(&s.bme), 7_000_000);
}

#[test]
fn params_validation() {
    let mut s = Suite::new("1");
    assert_err(
        s.exec(
            "tenant",
            &ExecuteMsg::UpdateParams(ParamsUpdate::default()),
            &[],
        ),
        "only the authority",
    );
    let bad = [
        (
            ParamsUpdate {
                warn_bps: Some(9_000),
                ..Default::default()
            },
            "greater than halt",
        ),
        (
            ParamsUpdate {
                halt_bps: Some(9_600),
                ..Default::default()
            },
            "greater than halt",
        ),
        (
            ParamsUpdate {
                warn_bps: Some(10_001),
                ..Default::default()
            },
            "at most 10000",
        ),
        (
            ParamsUpdate {
                min_epoch_blocks: Some(0),
                ..Default::default()
            },
            "min_epoch_blocks",
        ),
        (
            ParamsUpdate {
                epoch_backoff_percent: Some(101),
                ..Default::default()
            },
            "backoff",
        ),
        (
            ParamsUpdate {
                mint_spread_bps: Some(1_001),
                ..Default::default()
            },
            "spreads",
        ),
        (
            ParamsUpdate {
                settle_spread_bps: Some(1_001),
                ..Default::default()
            },
            "spreads",
        ),
        (
            ParamsUpdate {
                max_records_per_epoch: Some(0),
                ..Default::default()
            },
            "max_records",
        ),
        (
            ParamsUpdate {
                min_mint: Some(Uint128::zero()),
                ..Default::default()
            },
            "min_mint",
        ),
        (
            ParamsUpdate {
                min_burn: Some(Uint128::zero()),
                ..Default::default()
            },
            "min_burn must be positive",
        ),
        (
            ParamsUpdate {
                max_attempts: Some(0),
                ..Default::default()
            },
            "max_attempts",
        ),
        (
            ParamsUpdate {
                pair: Some("AKT-USD".into()),
                ..Default::default()
            },
            "pair",
        ),
        (
            ParamsUpdate {
                oracle: Some("not an address".into()),
                ..Default::default()
            },
            "rror",
        ),
    ];
    for (u, needle) in bad {
        assert_err(s.update_params(u), needle);
    }
    assert_eq!(s.config().params, Params::default());
    let res = s
        .update_params(ParamsUpdate {
            warn_bps: Some(10_000),
            halt_bps: Some(9_900),
            settle_spread_bps: Some(10),
            min_mint: Some(Uint128::new(1)),
            ..Default::default()
        })
        .unwrap();
    assert!(matches!(&bme_events(&res)[0], BmeEvent::ConfigUpdated(_)));
    let p = s.config().params;
    assert_eq!(
        (p.warn_bps, p.halt_bps, p.settle_spread_bps),
        (10_000, 9_900, 10)
    );
    // The new min mint applies at submission.
    s.mint("tenant", 1).unwrap();
}

#[test]
fn allow_list_updates() {
    let mut s = Suite::new("1");
    let escrow = s.escrow.to_string();
    let other = s.addr("reservations").to_string();
    let upd = |add: Vec<String>, remove: Vec<String>| ExecuteMsg::UpdateAllowList { add, remove };
    assert_err(
        s.exec("tenant", &upd(vec![other.clone()], vec![]), &[]),
        "only the authority",
    );
    assert_err(s.exec("gov", &upd(vec![], vec![]), &[]), "nothing to add");
    assert_err(
        s.exec("gov", &upd(vec![escrow.clone()], vec![]), &[]),
        "already allow-listed",
    );
    assert_err(
        s.exec("gov", &upd(vec![], vec![other.clone()]), &[]),
        "not allow-listed",
    );
    assert_err(
        s.exec("gov", &upd(vec![other.clone(), other.clone()], vec![]), &[]),
        "duplicate",
    );
    assert_err(
        s.exec("gov", &upd(vec![escrow.clone()], vec![escrow.clone()]), &[]),
        "both added and removed",
    );
    assert_err(
        s.exec("gov", &upd(vec!["bad addr".into()], vec![]), &[]),
        "rror",
    );
    s.exec("gov", &upd(vec![other.clone()], vec![escrow.clone()]), &[])
        .unwrap();
    assert_eq!(s.config().allow_list, vec![s.addr("reservations")]);
    // Escrow is no longer a receiver nor a payer.
    s.mint("tenant", 20_000_000).unwrap();
    s.next_epoch();
    assert_err(
        s.send_to_escrow("tenant", 1, &ReceiveHook::OpenAccount { dseq: 1 }),
        "not an allow-listed",
    );
    // An allow-listed address pays out of its own balance only.
    let bob = s.addr("bob").to_string();
    assert_err(
        s.exec(
            "reservations",
            &ExecuteMsg::Transfer {
                recipient: bob,
                amount: Uint128::new(1),
            },
            &[],
        ),
        "insufficient ACT",
    );
}

#[test]
fn authority_handover_and_migrate() {
    let mut s = Suite::new("1");
    let next = s.addr("next").to_string();
    assert_err(
        s.exec(
            "tenant",
            &ExecuteMsg::Authority(AuthorityMsg::Propose {
                new_authority: next.clone(),
            }),
            &[],
        ),
        "only the authority",
    );
    let res = s
        .exec(
            "gov",
            &ExecuteMsg::Authority(AuthorityMsg::Propose {
                new_authority: next,
            }),
            &[],
        )
        .unwrap();
    assert!(matches!(
        &bme_events(&res)[0],
        BmeEvent::AuthorityProposed(_)
    ));
    assert_err(
        s.exec(
            "tenant",
            &ExecuteMsg::Authority(AuthorityMsg::Accept {}),
            &[],
        ),
        "only the proposed authority",
    );
    s.exec("next", &ExecuteMsg::Authority(AuthorityMsg::Accept {}), &[])
        .unwrap();
    assert_eq!(s.config().authority, s.addr("next"));
    assert_err(
        s.exec("gov", &ExecuteMsg::FundVault {}, &coins(1, AKT)),
        "only the authority",
    );
    assert_err(
        s.exec("gov", &ExecuteMsg::SetPaused { paused: true }, &[]),
        "only the authority",
    );
    // Migrating to the same version is a replay and is refused.
    let code = s.app.store_code(bme_contract());
    let (gov, bme) = (s.gov.clone(), s.bme.clone());
    assert_err(
        s.app.migrate_contract(gov, bme, &MigrateMsg {}, code),
        "already at version",
    );
}

#[test]
fn instantiate_validation() {
    let mut s = Suite::new("1");
    let code = s.app.store_code(bme_contract());
    let gov = s.gov.clone();
    let base = InstantiateMsg {
        authority: gov.to_string(),
        oracle: s.oracle.to_string(),
        pair: None,
        params: None,
        allow_list: vec![],
    };
    let cases = [
        (
            InstantiateMsg {
                params: Some(Params {
                    warn_bps: 9_000,
                    ..Params::default()
                }),
                ..base.clone()
            },
            "greater than halt",
        ),
        (
            InstantiateMsg {
                params: Some(Params {
                    min_burn: Uint128::zero(),
                    ..Params::default()
                }),
                ..base.clone()
            },
            "min_burn must be positive",
        ),
        (
            InstantiateMsg {
                pair: Some("akt".into()),
                ..base.clone()
            },
            "pair",
        ),
        (
            InstantiateMsg {
                allow_list: vec![gov.to_string(), gov.to_string()],
                ..base.clone()
            },
            "duplicate",
        ),
        (
            InstantiateMsg {
                oracle: "nope".into(),
                ..base.clone()
            },
            "rror",
        ),
    ];
    for (msg, needle) in cases {
        assert_err(
            s.app
                .instantiate_contract(code, gov.clone(), &msg, &[], "bme2", None),
            needle,
        );
    }
    assert_err(
        s.app
            .instantiate_contract(code, gov.clone(), &base, &coins(1, AKT), "bme2", None),
        "accept funds",
    );
}

#[test]
fn ids_are_sequential_and_queries_paginate() {
    let mut s = Suite::new("1");
    s.fund(1_000_000_000);
    for _ in 0..4 {
        s.mint("tenant", 10_000_000).unwrap();
    }
    s.mint("alice", 10_000_000).unwrap();
    let page = s.by_owner("tenant", None, Some(3));
    assert_eq!(
        page.requests.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    let page = s.by_owner("tenant", Some(3), None);
    assert_eq!(
        page.requests.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![4]
    );
    assert_eq!(s.by_owner("alice", None, None).requests[0].id, 5);
    let r = s.request(2);
    assert_eq!((r.kind, r.amount.u128()), (RequestKind::Mint, 10_000_000));

    // process caps: limit 2 leaves the epoch open; the next call continues at the same height.
    let s0 = s.status();
    let h = s.height();
    s.advance(s0.next_mint_epoch - h);
    let res = s.process_limit(2);
    assert_eq!(executed(&res), vec![1, 2]);
    assert!(!bme_events(&res)
        .iter()
        .any(|e| matches!(e, BmeEvent::EpochClosed(c) if c.kind == RequestKind::Mint)));
    let res = s.process_limit(2);
    assert_eq!(executed(&res), vec![3, 4]);
    let res = s.process();
    assert_eq!(executed(&res), vec![5]);
    assert!(bme_events(&res)
        .iter()
        .any(|e| matches!(e, BmeEvent::EpochClosed(c) if c.kind == RequestKind::Mint)));
    // Ids continue across kinds; records paginate by id.
    s.burn("tenant", 1_000_000).unwrap();
    assert_eq!(s.queue(RequestKind::Burn).requests[0].id, 6);
    let recs = s.records(Some(2), Some(2)).records;
    assert_eq!(recs.iter().map(|r| r.id).collect::<Vec<_>>(), vec![3, 4]);
    assert_eq!(s.records(None, Some(100)).records.len(), 5);
    // Request 6 is queued, not a ledger record yet.
    assert!(s.records(Some(5), None).records.is_empty());
}

#[test]
fn per_epoch_cap_holds_across_calls() {
    let mut s = Suite::with(
        "1",
        Some(Params {
            max_records_per_epoch: 3,
            ..Params::default()
        }),
    );
    for _ in 0..5 {
        s.mint("tenant", 10_000_000).unwrap();
    }
    let h = s.height();
    let due = s.status().next_mint_epoch;
    s.advance(due - h);
    let res = s.process_limit(100);
    assert_eq!(executed(&res), vec![1, 2, 3]);
    // Epoch closed at its cap: nothing more until the next one.
    assert!(executed(&s.process()).is_empty());
    let res = s.next_epoch();
    assert_eq!(executed(&res), vec![4, 5]);
}

#[test]
fn status_and_token_info() {
    let s = Suite::new("1.5");
    let st = s.status();
    assert_eq!(st.live_price, Some(price("1.5")));
    assert_eq!(st.live_cr_bps, u32::MAX);
    assert!(st.oracle_error.is_none());
    let ti: bme::msg::TokenInfoResponse = s.q(&QueryMsg::TokenInfo {});
    assert_eq!(
        (ti.symbol.as_str(), ti.decimals, ti.total_supply.u128()),
        ("ACT", 6, 0)
    );
}
