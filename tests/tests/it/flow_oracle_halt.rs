//! Oracle outage and recovery across oracle, mock-pyth and bme, on both backends.
//!
//! Gov adds a Pyth source (mock-pyth) next to the relayer; the keeper's `refresh` pulls it. A mint
//! and a burn are queued; then every feed stops: the oracle refuses to quote (with the health
//! reason), bme refuses new requests and its `process` switches to halt-oracle, retrying the
//! queued records without executing them (the uakt and uact stay pending, nothing is lost).
//! Mock-pyth publishes again and a refresh makes the pair healthy on the Pyth source alone: the
//! next `process` recovers and executes both records at the new price, to the exact uakt and
//! uact the formulas give.

use bme::msg::{ExecuteMsg as Bme, QueryMsg as BmeQuery, StatusResponse};
use bme::msg::{Mode, RequestKind, Vault};
use cosmwasm_std::{coin, Decimal, Decimal256, Int64, Uint128, Uint64};
use cw_multi_test::AppResponse;
use oracle::msg::{
    ExecuteMsg as Oracle, Health, HealthResponse, PriceResponse, QueryMsg as OracleQuery,
    SourceStatus,
};
use supercloud_events::bme::{
    BurnRequested, MintRequested, ModeChanged, RecordCancelled, RecordExecuted, RecordRetried,
    RetryReason,
};
use supercloud_events::oracle::{
    HealthChanged, ObservationRejected, PriceUpdated, SourceAdded, Via,
};
use supercloud_tests::events::{of, one};
use supercloud_tests::suite::{raw_price, FUNDED};
use supercloud_tests::{on_both_backends, Suite, AKT, PAIR, START};

/// Pyth feed id of AKT/USD.
const FEED: &str = "4ea5bb4d2f5900cc2e97ba534240950740b4d3b89fe712a94a7304fd2fd92702";
/// uakt the sponsor mints with before the outage (at 2.50: 99.75 ACT).
const SPONSOR_MINT: u128 = 40_000_000;
/// uact the sponsor queues for burning.
const BURN: u128 = 50_000_000;
/// uakt the tenant queues for minting.
const MINT: u128 = 100_000_000;

fn dec(s: &str) -> Decimal256 {
    s.parse().unwrap_or_default()
}

/// The relayer (mock-pyth's publisher) sets the feed at `usd`, published a second ago so the
/// observation fills the oracle's one-second TWAP window; the keeper refreshes.
fn pyth_publish(s: &mut Suite, usd: &str) -> anyhow::Result<AppResponse> {
    let (pyth, oracle) = (s.c.mock_pyth.clone(), s.c.oracle.clone());
    let publish_time = i64::try_from(s.now())? - 1;
    s.exec_ok(
        "set pyth price",
        "relayer",
        &pyth,
        &mock_pyth::msg::ExecuteMsg::SetPrice {
            id: FEED.into(),
            price: Int64::new(raw_price(usd)),
            conf: Uint64::new(100_000),
            expo: -8,
            publish_time,
            ema_price: None,
            ema_conf: None,
        },
        &[],
    )?;
    s.exec_ok(
        "refresh",
        "keeper",
        &oracle,
        &Oracle::Refresh { pair: PAIR.into() },
        &[],
    )
}

fn status(s: &Suite) -> anyhow::Result<StatusResponse> {
    s.q(&s.c.bme, &BmeQuery::Status {})
}

fn vault(s: &Suite) -> anyhow::Result<Vault> {
    s.q(&s.c.bme, &BmeQuery::Vault {})
}

fn flow(s: &mut Suite) -> anyhow::Result<()> {
    let (oracle, bme) = (s.c.oracle.clone(), s.c.bme.clone());
    let (tenant, sponsor) = (s.addr("tenant"), s.addr("sponsor"));
    let total_akt = s.bank_total(&FUNDED, AKT);

    // Gov adds mock-pyth as a second source; the keeper pulls it.
    let res = s.exec_ok(
        "add source",
        "gov",
        &oracle,
        &Oracle::AddSource {
            pair: PAIR.into(),
            source: "pyth".into(),
            kind: oracle::msg::SourceKindMsg::Pyth {
                contract: s.c.mock_pyth.to_string(),
                feed_id: format!("0x{}", FEED.to_uppercase()),
            },
        },
        &[],
    )?;
    assert_eq!(one::<SourceAdded>(&res)?.feed_id.as_deref(), Some(FEED));
    // Only gov may add sources.
    s.exec_err(
        "stranger",
        &oracle,
        &Oracle::RemoveSource {
            pair: PAIR.into(),
            source: "pyth".into(),
        },
        &[],
        "unauthorized",
    )?;
    let res = pyth_publish(s, "2.5")?;
    let update = one::<PriceUpdated>(&res)?;
    assert_eq!(
        (update.source.as_str(), update.seq, update.via, update.price),
        ("pyth", 0, Via::Refresh, dec("2.5")),
        "the Pyth source's first observation is accepted"
    );
    let p: PriceResponse = s.q(&oracle, &OracleQuery::Price { pair: PAIR.into() })?;
    assert_eq!(
        (p.price, p.sources),
        (dec("2.5"), 2),
        "median of both sources"
    );

    // The sponsor holds ACT; it queues a burn and the tenant queues a mint, for the next epoch.
    let minted = s.mint_act("sponsor", SPONSOR_MINT)?;
    assert_eq!(minted, 99_750_000, "40 AKT at 2.50 less 25 bps");
    let res = s.exec_ok(
        "burn request",
        "sponsor",
        &bme,
        &Bme::BurnAct {
            amount: Uint128::new(BURN),
        },
        &[],
    )?;
    assert_eq!(
        one::<BurnRequested>(&res)?.expected_akt,
        Uint128::new(20_000_000)
    );
    let res = s.exec_ok(
        "mint request",
        "tenant",
        &bme,
        &Bme::MintAct {},
        &[coin(MINT, AKT)],
    )?;
    assert_eq!(
        one::<MintRequested>(&res)?.expected_act,
        Uint128::new(250_000_000)
    );
    assert_eq!(s.act(&sponsor), minted - BURN);

    // Every feed stops: past the staleness limit the oracle refuses to quote, with the reason.
    s.stop_feed()?;
    let err = s
        .q::<PriceResponse, _>(&oracle, &OracleQuery::Price { pair: PAIR.into() })
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("price for akt/usd unavailable: stale"),
        "{err}"
    );
    let h: HealthResponse = s.q(&oracle, &OracleQuery::Health { pair: PAIR.into() })?;
    assert_eq!(
        (h.health, h.stored_health),
        (Health::Stale, Some(Health::Healthy))
    );
    assert!(h.sources.iter().all(|x| x.status == SourceStatus::Stale));
    // The keeper's refresh finds nothing new on mock-pyth and records the transition.
    let res = s.exec_ok(
        "refresh while stale",
        "keeper",
        &oracle,
        &Oracle::Refresh { pair: PAIR.into() },
        &[],
    )?;
    assert!(
        of::<PriceUpdated>(&res)?.is_empty() && of::<ObservationRejected>(&res)?.is_empty(),
        "the unchanged Pyth price is skipped, neither stored nor rejected"
    );
    let change = one::<HealthChanged>(&res)?;
    assert_eq!(
        (change.from, change.to),
        (Some(Health::Healthy), Health::Stale)
    );
    let st = status(s)?;
    assert_eq!((st.mode, st.live_mode), (Mode::Healthy, Mode::HaltOracle));
    assert!(
        st.oracle_error
            .as_deref()
            .unwrap_or_default()
            .contains("unavailable: stale"),
        "{:?}",
        st.oracle_error
    );
    // bme refuses new requests while it has no price.
    s.exec_err(
        "tenant2",
        &bme,
        &Bme::MintAct {},
        &[coin(MINT, AKT)],
        "stale",
    )?;
    s.exec_err(
        "sponsor",
        &bme,
        &Bme::BurnAct {
            amount: Uint128::new(1_000_000),
        },
        &[],
        "stale",
    )?;

    // The due epoch runs in halt-oracle: both records wait (one attempt each), nothing moves.
    let bank_bme = s.bank(&bme, AKT);
    let res = s.run_due_epoch()?;
    let halted_at = s.height();
    let mode = one::<ModeChanged>(&res)?;
    assert_eq!((mode.from, mode.to), (Mode::Healthy, Mode::HaltOracle));
    let retried: Vec<_> = of::<RecordRetried>(&res)?
        .into_iter()
        .map(|r| (r.kind, r.reason, r.attempts))
        .collect();
    assert_eq!(
        retried,
        vec![
            (RequestKind::Burn, RetryReason::OracleUnhealthy, 1),
            (RequestKind::Mint, RetryReason::OracleUnhealthy, 1),
        ]
    );
    assert!(of::<RecordExecuted>(&res)?.is_empty());
    assert!(of::<RecordCancelled>(&res)?.is_empty());
    let v = vault(s)?;
    assert_eq!((v.pending_akt.u128(), v.pending_act.u128()), (MINT, BURN));
    assert_eq!(v.vault_akt.u128(), SPONSOR_MINT);
    assert_eq!(s.bank(&bme, AKT), bank_bme, "the queued uakt stays in bme");
    assert_eq!(s.act(&tenant), 0);
    assert_eq!(s.bank(&tenant, AKT), START - MINT);
    let queued: bme::msg::RequestsResponse = s.q(
        &bme,
        &BmeQuery::Queue {
            kind: RequestKind::Mint,
            start_after: None,
            limit: None,
        },
    )?;
    assert_eq!(queued.requests.len(), 1);
    assert_eq!(
        queued.requests[0].last_error,
        Some(RetryReason::OracleUnhealthy)
    );
    assert_eq!(status(s)?.mode, Mode::HaltOracle);

    // Mock-pyth publishes 3.20 at the next epoch; one refresh makes the pair healthy on the
    // Pyth source alone (the relayer is still stale).
    let due = status(s)?.next_mint_epoch;
    assert_eq!(due, halted_at + 10);
    s.advance_to(due)?;
    let res = pyth_publish(s, "3.2")?;
    let change = one::<HealthChanged>(&res)?;
    assert_eq!(
        (change.from, change.to),
        (Some(Health::Stale), Health::Healthy)
    );
    let p: PriceResponse = s.q(&oracle, &OracleQuery::Price { pair: PAIR.into() })?;
    assert_eq!((p.price, p.sources), (dec("3.2"), 1));

    // The keeper's process recovers and executes the queued records at 3.20.
    let res = s.run_due_epoch()?;
    let mode = one::<ModeChanged>(&res)?;
    assert_eq!((mode.from, mode.to), (Mode::HaltOracle, Mode::Healthy));
    let executed = of::<RecordExecuted>(&res)?;
    anyhow::ensure!(executed.len() == 2, "both records execute");
    // Burn first: 50 ACT / 3.20 = 15.625 AKT (no settle spread).
    let (burn, mint) = (&executed[0], &executed[1]);
    assert_eq!(
        (burn.kind, burn.paid.u128(), burn.price, burn.attempts),
        (RequestKind::Burn, 15_625_000, Decimal::percent(320), 1)
    );
    // Mint: 100 AKT × 3.20 = 320 ACT, less ceil(25 bps) = 0.8 ACT.
    assert_eq!(
        (
            mint.kind,
            mint.minted.u128(),
            mint.spread.u128(),
            mint.paid.u128()
        ),
        (RequestKind::Mint, 320_000_000, 800_000, 319_200_000)
    );
    assert_eq!(s.act(&tenant), 319_200_000);
    assert_eq!(s.act(&sponsor), minted - BURN);
    assert_eq!(s.bank(&sponsor, AKT), START - SPONSOR_MINT + 15_625_000);
    let v = vault(s)?;
    assert_eq!((v.pending_akt.u128(), v.pending_act.u128()), (0, 0));
    assert_eq!(v.vault_akt.u128(), SPONSOR_MINT + MINT - 15_625_000);
    assert_eq!(v.supply.u128(), minted - BURN + 319_200_000);
    assert_eq!(
        s.bank(&bme, AKT),
        v.vault_akt.u128(),
        "bme holds exactly its vault"
    );

    // The relayer resumes too: both sources healthy again, the median back to two sources.
    s.set_price("3.2")?;
    let p: PriceResponse = s.q(&oracle, &OracleQuery::Price { pair: PAIR.into() })?;
    assert_eq!((p.price, p.sources), (dec("3.2"), 2));
    assert_eq!(
        s.bank_total(&FUNDED, AKT),
        total_akt,
        "no uakt created or lost"
    );
    Ok(())
}

#[test]
fn oracle_halt_and_recovery_match_on_native_and_wasm() {
    let (native, wasm) = on_both_backends("2.5", &[], flow).unwrap();
    assert_eq!(
        native.act(&native.addr("tenant")),
        wasm.act(&wasm.addr("tenant"))
    );
}
