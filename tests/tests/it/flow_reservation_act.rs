//! A bare-metal reservation paid in ACT, across bme and reservations, on both backends.
//!
//! Gov appoints an auditor; a provider registers an 8×H100 host priced in uact and the auditor
//! attests it. The tenant mints ACT and books two terms through bme's `send` with the
//! reservations receive hook (wrong amounts and overlaps are refused without moving ACT). The
//! provider confirms both. Claims pay pro rata to elapsed time, rounded down, and book verified
//! work while the host is attested (not after the auditor revokes it); the first term completes,
//! the tenant cancels the second before its start and pays the cancellation fee. Every uact is
//! accounted for across tenant, provider and the reservations contract.

use cosmwasm_std::{coin, Uint128, Uint256};
use reservations::msg::{
    Attribute, CancelledBy, ExecuteMsg as Res, HostMsg, QueryMsg as ResQuery, ReceiveHook,
    ReservationResponse, ReserveMsg, Tee, VerifiedWorkResponse,
};
use supercloud_events::bme::{ActSent, ActTransferred};
use supercloud_events::reservations::{
    AttestationRecorded, Claimed, HostRegistered, ReservationCancelled, ReservationCompleted,
    ReservationRequested,
};
use supercloud_tests::events::{of, one};
use supercloud_tests::{on_both_backends, Suite, BLOCK_S};

/// uact per hour of the host (odd, so term prices round).
const PRICE_PER_HOUR: u128 = 1_000_001;
const HOUR: u64 = 3_600;
const GPUS: u32 = 8;
const HASH: &str = "AA00000000000000000000000000000000000000000000000000000000000011";

/// What a term of `seconds` costs: ceil(price × seconds / 3600).
fn term_price(seconds: u64) -> u128 {
    (PRICE_PER_HOUR * u128::from(seconds)).div_ceil(u128::from(HOUR))
}

/// Advances block by block (6 s each) to unix time `t` (a multiple of 6 s ahead).
fn advance_to_time(s: &mut Suite, t: u64) -> anyhow::Result<()> {
    let now = s.now();
    anyhow::ensure!(
        t >= now && (t - now).is_multiple_of(BLOCK_S),
        "cannot land on {t} from {now}"
    );
    if t > now {
        s.advance((t - now) / BLOCK_S)?;
    }
    Ok(())
}

fn reserve_hook(s: &Suite, start: u64, end: u64) -> ReceiveHook {
    ReceiveHook::Reserve(ReserveMsg {
        provider: s.addr("provider").to_string(),
        host_id: "gpu-1".into(),
        start,
        end,
        require_attestation: true,
    })
}

fn reservation(s: &Suite, id: u64) -> anyhow::Result<ReservationResponse> {
    s.q(&s.c.reservations, &ResQuery::Reservation { id })
}

fn flow(s: &mut Suite) -> anyhow::Result<()> {
    let res_c = s.c.reservations.clone();
    let (tenant, provider) = (s.addr("tenant"), s.addr("provider"));
    let minted = s.mint_act("tenant", 100_000_000)?;
    assert_eq!(minted, 249_375_000);
    let held = |s: &Suite| s.act(&s.c.reservations);

    // Gov appoints the auditor; the provider registers a host priced in ACT.
    let appoint = Res::AppointAuditor {
        auditor: s.addr("auditor").to_string(),
    };
    s.exec_err("stranger", &res_c, &appoint, &[], "unauthorized")?;
    s.exec_ok("appoint", "gov", &res_c, &appoint, &[])?;
    let host = HostMsg {
        host_id: "gpu-1".into(),
        gpu_model: "h100".into(),
        gpu_count: GPUS,
        cpu: 128,
        memory: 1 << 40,
        bare_metal: true,
        attributes: vec![Attribute {
            key: "region".into(),
            value: "eu-west".into(),
        }],
        price_per_hour: coin(PRICE_PER_HOUR, "uact"),
        reclamation_window_s: None,
        require_attestation: false,
    };
    let res = s.exec_ok(
        "register",
        "provider",
        &res_c,
        &Res::RegisterHost(host),
        &[],
    )?;
    let registered = one::<HostRegistered>(&res)?;
    assert_eq!(
        (
            registered.denom.as_str(),
            registered.attributes.as_str(),
            registered.price_per_hour
        ),
        ("uact", "region=eu-west", Uint256::from(PRICE_PER_HOUR))
    );

    // The tenant asks for an attested host: refused until the auditor attests it.
    let t0 = s.now();
    let (start1, end1) = (t0 + 600, t0 + 600 + 3 * HOUR);
    let (start2, end2) = (end1 + HOUR, end1 + 3 * HOUR);
    let total1 = term_price(end1 - start1);
    let total2 = term_price(end2 - start2);
    assert_eq!((total1, total2), (3_000_003, 2_000_002));
    let hook = reserve_hook(s, start1, end1);
    let err = s.send_act("tenant", &res_c, total1, &hook);
    anyhow::ensure!(
        err.as_ref()
            .is_err_and(|e| e.to_string().contains("has no valid attestation")),
        "unattested host accepted: {err:?}"
    );
    let attest = Res::RecordAttestation {
        provider: provider.to_string(),
        host_id: "gpu-1".into(),
        tee: Tee::Tdx,
        report_hash: HASH.into(),
        expires_at: t0 + 30 * 86_400,
    };
    s.exec_err("stranger", &res_c, &attest, &[], "is not an auditor")?;
    let res = s.exec_ok("attest", "auditor", &res_c, &attest, &[])?;
    let attested = one::<AttestationRecorded>(&res)?;
    assert_eq!(
        (attested.tee, attested.report_hash, attested.renewed),
        (Tee::Tdx, HASH.to_lowercase(), false)
    );

    // Paying one uact short is refused and moves nothing.
    let err = s.send_act("tenant", &res_c, total1 - 1, &hook);
    let expected = format!("the term costs exactly {total1} uact, got {}", total1 - 1);
    anyhow::ensure!(
        err.as_ref()
            .is_err_and(|e| e.to_string().contains(&expected)),
        "short payment: {err:?}"
    );
    assert_eq!(s.act(&tenant), minted);
    // Exactly the price books the first term, through bme's send hook.
    let res = s
        .send_act("tenant", &res_c, total1, &hook)
        .map_err(|e| anyhow::anyhow!("reserve 1: {e}"))?;
    assert_eq!(one::<ActSent>(&res)?.amount, Uint128::new(total1));
    let requested = one::<ReservationRequested>(&res)?;
    assert_eq!(
        (
            requested.id,
            requested.total,
            requested.attested,
            requested.gpu_count
        ),
        (1, Uint256::from(total1), true, GPUS)
    );
    // An overlapping term is refused; the next free one is booked.
    let overlap = reserve_hook(s, end1 - HOUR, end1 + HOUR);
    let err = s.send_act("tenant", &res_c, term_price(2 * HOUR), &overlap);
    anyhow::ensure!(
        err.as_ref()
            .is_err_and(|e| e.to_string().contains("term overlaps reservation 1")),
        "overlap accepted: {err:?}"
    );
    let hook2 = reserve_hook(s, start2, end2);
    s.send_act("tenant", &res_c, total2, &hook2)
        .map_err(|e| anyhow::anyhow!("reserve 2: {e}"))?;
    assert_eq!(held(s), total1 + total2);
    assert_eq!(s.act(&tenant), minted - total1 - total2);

    // The provider confirms both; only the provider may.
    s.exec_err(
        "tenant",
        &res_c,
        &Res::Confirm { id: 1 },
        &[],
        "only the provider confirms",
    )?;
    for id in [1, 2] {
        s.exec_ok("confirm", "provider", &res_c, &Res::Confirm { id }, &[])?;
    }
    let reserved_at = s.height();

    // Halfway through the first term anyone claims for the provider: floor(total × 5400/10800).
    advance_to_time(s, start1 + 3 * HOUR / 2)?;
    let res = s.exec_ok("claim", "stranger", &res_c, &Res::Claim { id: 1 }, &[])?;
    let first = total1 * 5_400 / 10_800;
    assert_eq!(first, 1_500_001);
    let claimed = one::<Claimed>(&res)?;
    assert_eq!(
        (
            claimed.amount,
            claimed.seconds,
            claimed.gpu_seconds,
            claimed.verified
        ),
        (Uint256::from(first), 5_400, 5_400 * u64::from(GPUS), true)
    );
    assert_eq!(one::<ActTransferred>(&res)?.amount, Uint128::new(first));
    assert_eq!(s.act(&provider), first);
    // A second claim in the same second pays nothing.
    let res = s.exec_ok(
        "claim again",
        "provider",
        &res_c,
        &Res::Claim { id: 1 },
        &[],
    )?;
    assert_eq!(one::<Claimed>(&res)?.amount, Uint256::zero());
    assert!(of::<ActTransferred>(&res)?.is_empty());
    // The tenant cannot cancel a running term.
    let cancel1 = Res::Cancel {
        id: 1,
        reason: None,
    };
    s.exec_err("tenant", &res_c, &cancel1, &[], "tenant cancel not allowed")?;

    // The auditor revokes the attestation: later claims still pay but are not verified work.
    let revoke = Res::RevokeAttestation {
        provider: provider.to_string(),
        host_id: "gpu-1".into(),
        reason: "firmware changed".into(),
    };
    s.exec_ok("revoke", "auditor", &res_c, &revoke, &[])?;
    advance_to_time(s, end1 + 60)?;
    let res = s.exec_ok(
        "final claim",
        "stranger",
        &res_c,
        &Res::Claim { id: 1 },
        &[],
    )?;
    let claimed = one::<Claimed>(&res)?;
    assert_eq!(
        (claimed.amount, claimed.verified),
        (Uint256::from(total1 - first), false)
    );
    assert_eq!(
        one::<ReservationCompleted>(&res)?.total,
        Uint256::from(total1)
    );
    s.exec_err(
        "provider",
        &res_c,
        &Res::Claim { id: 1 },
        &[],
        "is completed",
    )?;

    // Before the second term starts the tenant cancels: 5% fee (rounded up) to the provider.
    let fee = (total2 * 500).div_ceil(10_000);
    assert_eq!(fee, 100_001);
    let cancel2 = Res::Cancel {
        id: 2,
        reason: Some("plans changed".into()),
    };
    let res = s.exec_ok("cancel", "tenant", &res_c, &cancel2, &[])?;
    let cancelled = one::<ReservationCancelled>(&res)?;
    assert_eq!(
        (cancelled.by, cancelled.fee, cancelled.refund),
        (
            CancelledBy::Tenant,
            Uint256::from(fee),
            Uint256::from(total2 - fee)
        )
    );
    let r2 = reservation(s, 2)?;
    assert_eq!(
        (r2.reservation.claimed, r2.reservation.refunded),
        (Uint256::from(fee), Uint256::from(total2 - fee))
    );
    assert_eq!(
        reservation(s, 1)?.reservation.claimed,
        Uint256::from(total1)
    );

    // Verified work: only the attested half of the first term, never the fee.
    let work: VerifiedWorkResponse = s.q(
        &res_c,
        &ResQuery::VerifiedWork {
            provider: provider.to_string(),
            denom: "uact".into(),
            gpu_model: "h100".into(),
            from_height: reserved_at,
            to_height: s.height(),
        },
    )?;
    assert_eq!(work.value, Uint256::from(first));
    assert_eq!(work.gpu_seconds.u128(), 5_400 * u128::from(GPUS));
    assert!(work.gpu_blocks.is_zero());

    // Exact ACT conservation.
    assert_eq!(
        held(s),
        0,
        "reservations holds nothing once both terms ended"
    );
    assert_eq!(s.act(&provider), total1 + fee);
    assert_eq!(s.act(&tenant), minted - total1 - fee);
    assert_eq!(s.act(&tenant) + s.act(&provider) + held(s), minted);
    let supply: bme::msg::TokenInfoResponse = s.q(&s.c.bme, &bme::msg::QueryMsg::TokenInfo {})?;
    assert_eq!(supply.total_supply.u128(), minted);
    Ok(())
}

#[test]
fn act_reservation_matches_on_native_and_wasm() {
    let (native, wasm) = on_both_backends("2.5", &[], flow).unwrap();
    assert_eq!(
        native.act(&native.addr("provider")),
        wasm.act(&wasm.addr("provider"))
    );
}
