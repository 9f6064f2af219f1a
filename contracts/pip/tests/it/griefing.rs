//! Griefing and denial of service (issue 23): GPU work nobody paid for earns nothing, and one
//! `settle_epoch` call never makes more cross-contract work queries than
//! `MAX_WORK_QUERIES_PER_CALL`, whatever the pilot's GPU models and sources.

use crate::common;

use common::*;
use cosmwasm_std::{
    to_json_binary, Binary, Decimal256, Deps, DepsMut, Empty, Env, MessageInfo, Response, StdError,
    Uint128, Uint256,
};
use cw_multi_test::{Contract, ContractWrapper, Executor};
use pip::msg::{ConfigUpdate, Eligibility, ExecuteMsg, ModelRate, NewPilot, PilotKind};
use supercloud_events::pip as ev;
use supercloud_multitest::events::of;
use supercloud_std::{VerifiedWorkQuery, VerifiedWorkResponse};

const AKT: u128 = 1_000_000;
/// $0.50 per AKT with 8 decimals.
const HALF_USD: i64 = 50_000_000;

fn mock_instantiate(_: DepsMut, _: Env, _: MessageInfo, _: Empty) -> Result<Response, StdError> {
    Ok(Response::new())
}

fn mock_execute(_: DepsMut, _: Env, _: MessageInfo, _: Empty) -> Result<Response, StdError> {
    Ok(Response::new())
}

/// A source that books what the review's escrow booked for a lease at 10⁻¹⁸ uakt per block
/// declaring u32::MAX GPUs on an account with no funds: full GPU-blocks (every 6-second block)
/// on every model, and no value.
fn mock_query(deps: Deps, _: Env, msg: VerifiedWorkQuery) -> Result<Binary, StdError> {
    let VerifiedWorkQuery::VerifiedWork {
        provider,
        denom,
        gpu_model,
        from_height,
        to_height,
    } = msg;
    let blocks = u128::from(to_height - from_height) * u128::from(u32::MAX);
    to_json_binary(&VerifiedWorkResponse {
        provider: deps.api.addr_validate(&provider)?,
        from_height,
        to_height,
        denom,
        value: Default::default(),
        gpu_model,
        gpu_blocks: Uint128::new(blocks),
        gpu_seconds: Uint128::new(blocks * 6),
    })
}

fn free_work_source() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        mock_execute,
        mock_instantiate,
        mock_query,
    ))
}

/// The attacker's lease, as in the review: `tenant` opens an account with no funds and a lease
/// to `provider` at 10⁻¹⁸ uakt per block for u32::MAX H100s.
fn free_lease(s: &mut Suite, tenant: &str, provider: &str) {
    let owner = s.addr(tenant);
    let escrow = s.escrow.clone();
    s.app
        .execute_contract(
            owner.clone(),
            escrow.clone(),
            &escrow::msg::ExecuteMsg::OpenAccount {
                dseq: 77,
                denom: DENOM.into(),
            },
            &[],
        )
        .unwrap();
    s.app
        .execute_contract(
            owner,
            escrow,
            &escrow::msg::ExecuteMsg::OpenPayment {
                dseq: 77,
                provider: s.addr(provider).to_string(),
                rate: Decimal256::new(Uint256::new(1)),
                resources: escrow::msg::Resources {
                    gpu_model: "h100".into(),
                    gpu_count: u32::MAX,
                },
            },
            &[],
        )
        .unwrap();
}

/// A committed pilot (id 1, 10 AKT) and a liquidity pilot (id 2, 1 AKT per epoch), one epoch of
/// 100 blocks from now, both with `p1` enrolled. Returns the start height.
fn two_pilots(s: &mut Suite) -> u64 {
    let h0 = s.height();
    let mut c = committed(h0, h0 + 100, 100, "2.5");
    c.volatility_buffer_bps = 0;
    assert_eq!(s.create(c, 10 * AKT).unwrap(), 1);
    assert_eq!(s.create(liquidity(h0, h0 + 100, 100, AKT), AKT).unwrap(), 2);
    s.enroll(1, &["p1"]);
    s.enroll(2, &["p1"]);
    h0
}

/// Settles both pilots' epoch and finalizes them; returns what p1 received. Checks that each
/// settlement paid p1 nothing for zero value and that both budgets returned whole.
fn settle_and_finalize(s: &mut Suite) -> u128 {
    let b1 = s.bank("p1");
    let t0 = s.bank_of(&s.treasury.clone());
    for id in [1, 2] {
        let res = s.settle(id, 0, None).unwrap();
        let settled = of::<ev::EpochSettled>(&res);
        assert_eq!(settled.len(), 1, "{settled:?}");
        let e = &settled[0];
        assert_eq!(e.provider, s.addr("p1"));
        assert!(e.value.is_zero() && e.value_cap.is_zero(), "{e:?}");
        assert!(
            e.amount.is_zero(),
            "pilot {id} paid {} for no value",
            e.amount
        );
        s.exec_ok("stranger", &ExecuteMsg::Finalize(pilot_ref(id)), &[]);
    }
    assert_eq!(
        s.bank_of(&s.treasury.clone()) - t0,
        11 * AKT,
        "both budgets return whole"
    );
    assert_eq!(s.held(), 0);
    s.bank("p1") - b1
}

/// The review's attack on the real escrow: a lease at 10⁻¹⁸ uakt per block for u32::MAX GPUs on
/// an account with no funds pays its provider nothing (the charge rounds to zero), so neither a
/// committed nor a liquidity pilot pays the provider anything.
#[test]
fn a_zero_value_lease_earns_nothing() {
    let mut s = Suite::new();
    let h0 = two_pilots(&mut s);
    free_lease(&mut s, "owner2", "p1");
    s.advance(100);
    s.withdraw("p1", &("owner2".to_string(), 77, 0));
    let escrow = s.escrow.clone();
    let work = s.work_of(&escrow, "p1", "h100", h0, h0 + 100);
    assert!(work.value.is_zero(), "{work:?}");
    s.advance(1);
    s.push_price(HALF_USD);
    assert_eq!(settle_and_finalize(&mut s), 0);
}

/// Whatever a source books as GPU work, work nobody paid for earns nothing: a source that books
/// full GPU-blocks of u32::MAX GPUs with zero value (what escrow booked for the review's lease)
/// gets a committed and a liquidity pilot to pay nothing. Without the value cap the committed
/// pilot pays its whole budget and the liquidity pilot its whole allocation.
#[test]
fn gpu_work_without_value_earns_nothing() {
    let mut s = Suite::new();
    let code = s.app.store_code(free_work_source());
    let gov = s.gov.clone();
    let source = s
        .app
        .instantiate_contract(code, gov, &Empty {}, &[], "free work", None)
        .unwrap();
    s.exec_ok(
        "gov",
        &ExecuteMsg::UpdateConfig(ConfigUpdate {
            escrow: Some(source.to_string()),
            ..Default::default()
        }),
        &[],
    );
    let h0 = two_pilots(&mut s);
    let work = s.work_of(&source, "p1", "h100", h0, h0 + 100);
    assert_eq!(work.gpu_blocks.u128(), 100 * u128::from(u32::MAX));
    s.advance(101);
    s.push_price(HALF_USD);
    assert_eq!(settle_and_finalize(&mut s), 0);
}

/// A committed pilot over `models` GPU models, one epoch of 100 blocks from `h0`.
fn many_models(h0: u64, models: usize) -> NewPilot {
    let gpu_models: Vec<String> = (0..models).map(|i| format!("gpu{i}")).collect();
    NewPilot {
        eligible: Eligibility {
            gpu_models: gpu_models.clone(),
            min_gpu_count: None,
        },
        kind: PilotKind::Committed {
            rates: gpu_models
                .into_iter()
                .map(|gpu_model| ModelRate {
                    gpu_model,
                    usd_per_gpu_hour: dec("1"),
                })
                .collect(),
            decimals: 6,
        },
        ..committed(h0, h0 + 100, 100, "1")
    }
}

/// (providers settled or measured, epoch completed) of one settle call.
fn handled(res: &cw_multi_test::AppResponse) -> (usize, bool) {
    let n = of::<ev::EpochSettled>(res).len() + of::<ev::ProviderMeasured>(res).len();
    (n, !of::<ev::EpochCompleted>(res).is_empty())
}

const PROVIDERS: [&str; 9] = ["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"];

/// With 8 models and both sources a provider takes 16 work queries, so a call measures at most
/// 64 / 16 = 4 providers whatever limit it asks for (the page limit alone, 10 by default and 30
/// at most, asked for 10.5M and 31.5M gas); with 1 model (2 queries) the page limit binds.
#[test]
fn a_settle_call_makes_at_most_64_work_queries() {
    let mut s = Suite::with_reservations();
    let h0 = s.height();
    let eight = s.create(many_models(h0, 8), 10 * AKT).unwrap();
    let one = s.create(many_models(h0, 1), 10 * AKT).unwrap();
    let mut liq = liquidity(h0, h0 + 100, 100, AKT);
    liq.eligible = many_models(h0, 8).eligible;
    let liq = s.create(liq, AKT).unwrap();
    for id in [eight, one, liq] {
        s.enroll(id, &PROVIDERS);
    }
    s.advance(101);
    s.push_price(HALF_USD);

    // Committed, 8 models: 4 + 4 + 1 providers, at the default and at the max limit alike.
    for (limit, expected) in [
        (None, (4, false)),
        (Some(30), (4, false)),
        (None, (1, true)),
    ] {
        let res = s.settle(eight, 0, limit).unwrap();
        assert_eq!(handled(&res), expected, "limit {limit:?}");
    }
    // Committed, 1 model: the page limit binds (3 of 9, then the other 6).
    assert_eq!(handled(&s.settle(one, 0, Some(3)).unwrap()), (3, false));
    assert_eq!(handled(&s.settle(one, 0, Some(30)).unwrap()), (6, true));
    // Liquidity, 8 models: the measure pass 4 + 4 per call; the call measuring the last provider
    // goes on paying with what is left of its page (no queries: 1 measured + 9 paid).
    assert_eq!(handled(&s.settle(liq, 0, Some(30)).unwrap()), (4, false));
    assert_eq!(handled(&s.settle(liq, 0, None).unwrap()), (4, false));
    assert_eq!(handled(&s.settle(liq, 0, None).unwrap()), (10, true));
}

/// The worst configuration a pilot may have, the most GPU models pip accepts with both sources,
/// still settles at least one provider per call within the budget, and a pilot with more models
/// is refused at creation.
#[test]
fn the_worst_pilot_fits_the_query_budget() {
    use pip::execute::{pilot::MAX_GPU_MODELS, settle::MAX_WORK_QUERIES_PER_CALL};
    let worst = u32::try_from(MAX_GPU_MODELS).unwrap() * 2;
    assert!(worst <= MAX_WORK_QUERIES_PER_CALL);
    let mut s = Suite::new();
    let h0 = s.height();
    let err = s
        .create(many_models(h0, MAX_GPU_MODELS + 1), AKT)
        .unwrap_err();
    assert!(err.says("between 1 and 8 GPU models"), "{err}");
}
