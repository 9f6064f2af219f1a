//! Lifecycle flows through cw-multi-test with block time moved by `app.update_block`.

use crate::common;
use supercloud_events::reservations as ev;
use supercloud_multitest::{of, one};

use common::*;
use cosmwasm_std::{coin, Uint128};
use reservations::msg::{
    AttestedHostsResponse, AvailabilityResponse, BondResponse, ExecuteMsg, HostsResponse, Phase,
    QueryMsg, ReceiveHook, ReservationsResponse, Status, VerifiedWorkResponse,
};

/// 3600 uakt per hour = 1 uakt per second.
const PRICE: u128 = 3_600;

fn setup() -> (Suite, u64) {
    let mut s = Suite::new();
    s.register("provider", "h1", PRICE, Some(HOUR));
    let start = s.now() + 2 * HOUR;
    (s, start)
}

#[test]
fn full_lifecycle_claims_pro_rata_and_completes() {
    let (mut s, start) = setup();
    let tenant0 = s.bank("tenant");
    let prov0 = s.bank("provider");
    let id = s.reserve("tenant", "provider", "h1", start, start + 2 * HOUR, 7_200);
    assert_eq!(s.bank("tenant"), tenant0 - 7_200);
    assert_eq!(s.held(), 7_200);
    assert_eq!(s.reservation(id).phase, Phase::Requested);
    let res = s.confirm("provider", id);
    assert_eq!(
        one::<ev::ReservationConfirmed>(&res).id.to_string(),
        id.to_string()
    );
    assert_eq!(s.reservation(id).phase, Phase::Confirmed);
    // Before start a claim pays nothing.
    let res = s.claim(id);
    assert_eq!(one::<ev::Claimed>(&res).amount.to_string(), "0");
    s.set_time(start + 1_800);
    assert_eq!(s.reservation(id).phase, Phase::Active);
    assert_eq!(s.reservation(id).claimable, u256(1_800));
    let res = s.claim(id);
    assert_eq!(one::<ev::Claimed>(&res).amount.to_string(), "1800");
    assert_eq!(one::<ev::Claimed>(&res).seconds.to_string(), "1800");
    assert_eq!(
        one::<ev::Claimed>(&res).gpu_seconds.to_string(),
        (8 * 1_800).to_string()
    );
    assert_eq!(one::<ev::Claimed>(&res).gpu_model.to_string(), "h100");
    assert_eq!(s.bank("provider"), prov0 + 1_800);
    // Same second: zero, no error.
    let res = s.claim(id);
    assert_eq!(one::<ev::Claimed>(&res).amount.to_string(), "0");
    assert_eq!(s.bank("provider"), prov0 + 1_800);
    s.set_time(start + 2 * HOUR + 100);
    assert_eq!(s.reservation(id).phase, Phase::Ended);
    let res = s.claim(id);
    assert_eq!(one::<ev::Claimed>(&res).amount.to_string(), "5400");
    assert!(!of::<ev::ReservationCompleted>(&res).is_empty());
    assert_eq!(s.bank("provider"), prov0 + 7_200);
    assert_eq!(s.held(), 0);
    let r = s.reservation(id);
    assert_eq!(r.reservation.status, Status::Completed);
    assert!(s
        .exec("stranger", &ExecuteMsg::Claim { id }, &[])
        .unwrap_err()
        .says("completed"));
    // The slot is free again (and was removed from the live index).
    let avail: AvailabilityResponse = s.query(&QueryMsg::Availability {
        provider: s.addr("provider").to_string(),
        host_id: "h1".into(),
        start: s.now(),
        end: s.now() + HOUR,
    });
    assert!(avail.available);
}

#[test]
fn overlap_boundaries() {
    let (mut s, start) = setup();
    let a = s.reserve("tenant", "provider", "h1", start, start + 2 * HOUR, 7_200);
    // end == other.start is not an overlap, on both sides.
    s.reserve(
        "tenant2",
        "provider",
        "h1",
        start + 2 * HOUR,
        start + 3 * HOUR,
        3_600,
    );
    s.reserve("tenant2", "provider", "h1", start - HOUR, start, 3_600);
    // One second of overlap is.
    let e = s
        .try_reserve(
            "tenant2",
            "provider",
            "h1",
            start + 3 * HOUR - 1,
            start + 4 * HOUR,
            3_601,
        )
        .unwrap_err();
    assert!(e.says("overlaps reservation"), "{e:?}");
    let e = s
        .try_reserve(
            "tenant2",
            "provider",
            "h1",
            start - 2 * HOUR + 1,
            start - HOUR + 1,
            3_600,
        )
        .unwrap_err();
    assert!(e.says("overlaps"));
    // Inside and enclosing.
    let e = s
        .try_reserve(
            "tenant2",
            "provider",
            "h1",
            start + 1,
            start + HOUR + 1,
            3_600,
        )
        .unwrap_err();
    assert!(e.says(&format!("overlaps reservation {a}")));
    let e = s
        .try_reserve(
            "tenant2",
            "provider",
            "h1",
            start - HOUR,
            start + 5 * HOUR,
            6 * 3_600,
        )
        .unwrap_err();
    assert!(e.says("overlaps"));
    // Availability reports the conflict.
    let avail: AvailabilityResponse = s.query(&QueryMsg::Availability {
        provider: s.addr("provider").to_string(),
        host_id: "h1".into(),
        start: start + 10,
        end: start + HOUR + 10,
    });
    assert!(!avail.available);
    assert_eq!(avail.conflict.unwrap().reservation.id, a);
    assert_eq!(avail.price, coin(3_600u128, DENOM));
    // Another host is independent.
    s.register("provider", "h2", PRICE, None);
    s.reserve("tenant2", "provider", "h2", start, start + HOUR, 3_600);
    // A cancelled reservation frees its slot.
    s.exec_ok(
        "tenant",
        &ExecuteMsg::Cancel {
            id: a,
            reason: None,
        },
        &[],
    );
    s.reserve("tenant2", "provider", "h1", start, start + HOUR, 3_600);
}

#[test]
fn term_and_payment_bounds() {
    let (mut s, start) = setup();
    let e = s
        .try_reserve("tenant", "provider", "h1", start, start + HOUR - 1, 3_599)
        .unwrap_err();
    assert!(e.says("outside 3600"));
    s.reserve("tenant", "provider", "h1", start, start + HOUR, 3_600);
    let year = 365 * DAY;
    let s2 = start + 10 * HOUR;
    let e = s
        .try_reserve(
            "tenant",
            "provider",
            "h1",
            s2,
            s2 + year + 1,
            (year + 1) as u128,
        )
        .unwrap_err();
    assert!(e.says("outside 3600"));
    s.reserve("tenant", "provider", "h1", s2, s2 + year, year as u128);
    let now = s.now();
    s.register("provider", "h2", PRICE, None);
    let e = s
        .try_reserve("tenant", "provider", "h2", now - 1, now + HOUR, 3_600)
        .unwrap_err();
    assert!(e.says("before now"));
    // Exact payment only, in the host's denom.
    let e = s
        .try_reserve("tenant", "provider", "h2", now, now + HOUR, 3_599)
        .unwrap_err();
    assert!(e.says("costs exactly 3600"));
    let e = s
        .try_reserve("tenant", "provider", "h2", now, now + HOUR, 3_601)
        .unwrap_err();
    assert!(e.says("costs exactly 3600"));
    let msg = ExecuteMsg::Reserve(s.reserve_msg("provider", "h2", now, now + HOUR));
    let e = s
        .exec("tenant", &msg, &[coin(3_600u128, USDC)])
        .unwrap_err();
    assert!(e.says("wrong denom"));
    // Own host refused.
    let e = s
        .try_reserve("provider", "provider", "h2", now, now + HOUR, 3_600)
        .unwrap_err();
    assert!(e.says("own host"));
}

#[test]
fn price_rounds_up_for_the_tenant() {
    let mut s = Suite::new();
    s.register("provider", "h1", 1_000, None); // 1000 per hour
    let start = s.now() + HOUR;
    // 3601 s at 1000/h = 1000.277..: the tenant pays 1001.
    let e = s
        .try_reserve("tenant", "provider", "h1", start, start + 3_601, 1_000)
        .unwrap_err();
    assert!(e.says("costs exactly 1001"));
    let id = s.reserve("tenant", "provider", "h1", start, start + 3_601, 1_001);
    s.confirm("provider", id);
    // Claims round down: after 1 s of 3601, 1001*1/3601 = 0.
    s.set_time(start + 1);
    let res = s.claim(id);
    assert_eq!(one::<ev::Claimed>(&res).amount.to_string(), "0");
    s.set_time(start + 3_601);
    let res = s.claim(id);
    assert_eq!(one::<ev::Claimed>(&res).claimed.to_string(), "1001");
    assert_eq!(s.held(), 0);
}

#[test]
fn attestation_requirements_and_expiry() {
    let (mut s, start) = setup();
    let mut req = s.reserve_msg("provider", "h1", start, start + HOUR);
    req.require_attestation = true;
    let msg = ExecuteMsg::Reserve(req.clone());
    let e = s
        .exec("tenant", &msg, &[coin(3_600u128, DENOM)])
        .unwrap_err();
    assert!(e.says("no valid attestation"));
    // Not an auditor yet.
    let att = ExecuteMsg::RecordAttestation {
        provider: s.addr("provider").to_string(),
        host_id: "h1".into(),
        tee: reservations::msg::Tee::SevSnp,
        report_hash: HASH.into(),
        expires_at: s.now() + DAY,
    };
    assert!(s
        .exec("auditor", &att, &[])
        .unwrap_err()
        .says("not an auditor"));
    // Only the authority appoints.
    let appoint = ExecuteMsg::AppointAuditor {
        auditor: s.addr("auditor").to_string(),
    };
    assert!(s
        .exec("stranger", &appoint, &[])
        .unwrap_err()
        .says("unauthorized"));
    s.appoint("auditor");
    // Bad hash and expiry.
    let bad = ExecuteMsg::RecordAttestation {
        provider: s.addr("provider").to_string(),
        host_id: "h1".into(),
        tee: reservations::msg::Tee::Tdx,
        report_hash: "abc".into(),
        expires_at: s.now() + DAY,
    };
    assert!(s.exec("auditor", &bad, &[]).unwrap_err().says("64 hex"));
    let past = ExecuteMsg::RecordAttestation {
        provider: s.addr("provider").to_string(),
        host_id: "h1".into(),
        tee: reservations::msg::Tee::Tdx,
        report_hash: HASH.into(),
        expires_at: s.now(),
    };
    assert!(s
        .exec("auditor", &past, &[])
        .unwrap_err()
        .says("expires_at"));
    let expires = s.now() + HOUR;
    let res = s.attest("provider", "h1", expires);
    assert_eq!(one::<ev::AttestationRecorded>(&res).tee.to_string(), "tdx");
    let res = s.exec_ok("tenant", &msg, &[coin(3_600u128, DENOM)]);
    assert_eq!(
        one::<ev::ReservationRequested>(&res).attested.to_string(),
        "true"
    );
    let attested: AttestedHostsResponse = s.query(&QueryMsg::AttestedHosts {
        start_after: None,
        limit: None,
    });
    assert_eq!(attested.hosts.len(), 1);
    // Expired at exactly expires_at.
    s.set_time(expires);
    let mut req2 = s.reserve_msg("provider", "h1", start + 5 * HOUR, start + 6 * HOUR);
    req2.require_attestation = true;
    let e = s
        .exec(
            "tenant",
            &ExecuteMsg::Reserve(req2.clone()),
            &[coin(3_600u128, DENOM)],
        )
        .unwrap_err();
    assert!(e.says("no valid attestation"));
    let attested: AttestedHostsResponse = s.query(&QueryMsg::AttestedHosts {
        start_after: None,
        limit: None,
    });
    assert!(attested.hosts.is_empty());
    // Renew, then revoke.
    let renew = ExecuteMsg::RenewAttestation {
        provider: s.addr("provider").to_string(),
        host_id: "h1".into(),
        expires_at: s.now() + DAY,
    };
    let res = s.exec_ok("auditor", &renew, &[]);
    assert_eq!(
        one::<ev::AttestationRecorded>(&res).renewed.to_string(),
        "true"
    );
    s.exec_ok(
        "tenant",
        &ExecuteMsg::Reserve(req2),
        &[coin(3_600u128, DENOM)],
    );
    let revoke = ExecuteMsg::RevokeAttestation {
        provider: s.addr("provider").to_string(),
        host_id: "h1".into(),
        reason: "report mismatch".into(),
    };
    s.exec_ok("auditor", &revoke, &[]);
    // Host-level requirement.
    let mut host = Suite::host_msg("h1", PRICE, DENOM, Some(HOUR));
    host.require_attestation = true;
    s.exec_ok("provider", &ExecuteMsg::UpdateHost(host), &[]);
    let e = s
        .try_reserve(
            "tenant",
            "provider",
            "h1",
            start + 8 * HOUR,
            start + 9 * HOUR,
            3_600,
        )
        .unwrap_err();
    assert!(e.says("no valid attestation"));
    // Removed auditors cannot attest.
    let remove = ExecuteMsg::RemoveAuditor {
        auditor: s.addr("auditor").to_string(),
    };
    s.exec_ok("gov", &remove, &[]);
    let again = ExecuteMsg::RecordAttestation {
        provider: s.addr("provider").to_string(),
        host_id: "h1".into(),
        tee: reservations::msg::Tee::Nvtrust,
        report_hash: HASH.into(),
        expires_at: s.now() + DAY,
    };
    assert!(s
        .exec("auditor", &again, &[])
        .unwrap_err()
        .says("not an auditor"));
}

#[test]
fn missed_confirmation_deadline_refunds_in_full() {
    let (mut s, start) = setup();
    let t0 = s.bank("tenant");
    let id = s.reserve("tenant", "provider", "h1", start, start + HOUR, 3_600);
    let deadline = s.reservation(id).reservation.confirm_deadline;
    assert_eq!(deadline, s.now() + CONFIRM_WINDOW);
    // A stranger cannot cancel before the deadline.
    let cancel = ExecuteMsg::Cancel { id, reason: None };
    assert!(s
        .exec("stranger", &cancel, &[])
        .unwrap_err()
        .says("unauthorized"));
    s.set_time(deadline + 1);
    assert_eq!(s.reservation(id).phase, Phase::Expired);
    let e = s
        .exec("provider", &ExecuteMsg::Confirm { id }, &[])
        .unwrap_err();
    assert!(e.says("confirmation deadline"));
    let res = s.exec_ok("stranger", &cancel, &[]);
    assert_eq!(
        one::<ev::ReservationCancelled>(&res).by.to_string(),
        "expired"
    );
    assert_eq!(
        one::<ev::ReservationCancelled>(&res).refund.to_string(),
        "3600"
    );
    assert_eq!(s.bank("tenant"), t0);
    assert_eq!(s.held(), 0);
}

#[test]
fn confirm_exactly_at_deadline_and_expired_requests_free_the_slot() {
    let (mut s, start) = setup();
    let id = s.reserve("tenant", "provider", "h1", start, start + HOUR, 3_600);
    let deadline = s.reservation(id).reservation.confirm_deadline;
    s.set_time(deadline);
    s.confirm("provider", id);
    // An expired request blocking a slot is cancelled (refunded) by the next reservation.
    let t0 = s.bank("tenant2");
    let id2 = s.reserve(
        "tenant2",
        "provider",
        "h1",
        start + HOUR,
        start + 2 * HOUR,
        3_600,
    );
    s.set_time(s.reservation(id2).reservation.confirm_deadline + 1);
    let res = s
        .exec(
            "tenant",
            &ExecuteMsg::Reserve(s.reserve_msg("provider", "h1", start + HOUR, start + 2 * HOUR)),
            &[coin(3_600u128, DENOM)],
        )
        .unwrap();
    assert_eq!(
        one::<ev::ReservationCancelled>(&res).by.to_string(),
        "expired"
    );
    assert_eq!(s.bank("tenant2"), t0);
    assert_eq!(s.reservation(id2).reservation.status, Status::Cancelled);
}

#[test]
fn tenant_cancel_fees() {
    let (mut s, start) = setup();
    let t0 = s.bank("tenant");
    let p0 = s.bank("provider");
    // Unconfirmed: tenant withdraws for free.
    let id = s.reserve("tenant", "provider", "h1", start, start + HOUR, 3_600);
    let res = s.exec_ok("tenant", &ExecuteMsg::Cancel { id, reason: None }, &[]);
    assert_eq!(one::<ev::ReservationCancelled>(&res).fee.to_string(), "0");
    assert_eq!(s.bank("tenant"), t0);
    // Confirmed: 5% fee (rounded up) to the provider.
    let id = s.reserve(
        "tenant",
        "provider",
        "h1",
        start,
        start + 3 * HOUR + 1,
        10_801,
    );
    s.confirm("provider", id);
    let res = s.exec_ok(
        "tenant",
        &ExecuteMsg::Cancel {
            id,
            reason: Some("plans changed".into()),
        },
        &[],
    );
    // 10801 * 5% = 540.05 -> 541.
    assert_eq!(one::<ev::ReservationCancelled>(&res).fee.to_string(), "541");
    assert_eq!(
        one::<ev::ReservationCancelled>(&res).refund.to_string(),
        "10260"
    );
    assert_eq!(s.bank("tenant"), t0 - 541);
    assert_eq!(s.bank("provider"), p0 + 541);
    assert_eq!(s.held(), 0);
    // After start the tenant cannot cancel.
    let id = s.reserve("tenant", "provider", "h1", start, start + HOUR, 3_600);
    s.confirm("provider", id);
    s.set_time(start);
    let e = s
        .exec("tenant", &ExecuteMsg::Cancel { id, reason: None }, &[])
        .unwrap_err();
    assert!(e.says("active"));
    assert!(s
        .exec("stranger", &ExecuteMsg::Cancel { id, reason: None }, &[])
        .unwrap_err()
        .says("unauthorized"));
}

#[test]
fn provider_cancel_refunds_unclaimed_and_bond_is_slashed() {
    let (mut s, start) = setup();
    s.exec_ok(
        "provider",
        &ExecuteMsg::PostBond {},
        &[coin(1_000u128, DENOM)],
    );
    let t0 = s.bank("tenant");
    let p0 = s.bank("provider");
    let id = s.reserve("tenant", "provider", "h1", start, start + 4 * HOUR, 14_400);
    s.confirm("provider", id);
    s.set_time(start + HOUR);
    s.claim(id);
    s.advance(600);
    let res = s.exec_ok(
        "provider",
        &ExecuteMsg::Cancel {
            id,
            reason: Some("hardware fault".into()),
        },
        &[],
    );
    assert_eq!(
        one::<ev::ReservationCancelled>(&res).by.to_string(),
        "provider"
    );
    // Everything not claimed goes back (the 600 s earned but unclaimed are forfeited).
    assert_eq!(
        one::<ev::ReservationCancelled>(&res).refund.to_string(),
        "10800"
    );
    assert_eq!(s.bank("tenant"), t0 - 3_600);
    assert_eq!(s.bank("provider"), p0 + 3_600);
    assert_eq!(s.held(), 1_000);
    // Slash: authority only, to the treasury.
    let slash = ExecuteMsg::SlashBond {
        provider: s.addr("provider").to_string(),
        amount: u256(400),
        reason: "cancelled an active reservation".into(),
        reservation_id: Some(id),
    };
    assert!(s
        .exec("tenant", &slash, &[])
        .unwrap_err()
        .says("unauthorized"));
    let res = s.exec_ok("gov", &slash, &[]);
    assert_eq!(one::<ev::BondSlashed>(&res).amount.to_string(), "400");
    assert_eq!(one::<ev::BondSlashed>(&res).reservation_id, Some(id));
    let treasury = s.addr("treasury");
    assert_eq!(s.bank_of(&treasury, DENOM), 400);
    let bond: BondResponse = s.query(&QueryMsg::Bond {
        provider: s.addr("provider").to_string(),
    });
    assert_eq!(bond.bond.bonded, u256(600));
    assert_eq!(s.held(), 600);
}

#[test]
fn provider_rejects_request_in_full() {
    let (mut s, start) = setup();
    let t0 = s.bank("tenant");
    let id = s.reserve("tenant", "provider", "h1", start, start + HOUR, 3_600);
    let res = s.exec_ok("provider", &ExecuteMsg::Cancel { id, reason: None }, &[]);
    assert_eq!(
        one::<ev::ReservationCancelled>(&res).by.to_string(),
        "provider"
    );
    assert_eq!(s.bank("tenant"), t0);
    let e = s
        .exec("provider", &ExecuteMsg::Confirm { id }, &[])
        .unwrap_err();
    assert!(e.says("cancelled"));
}

#[test]
fn reclamation_pays_until_deadline_and_refunds_rest() {
    let (mut s, start) = setup();
    let t0 = s.bank("tenant");
    let p0 = s.bank("provider");
    let id = s.reserve("tenant", "provider", "h1", start, start + 10 * HOUR, 36_000);
    let start_reclaim = ExecuteMsg::StartReclamation {
        id,
        reason: "maintenance".into(),
    };
    // Not before confirmation or start.
    assert!(s.exec("provider", &start_reclaim, &[]).is_err());
    s.confirm("provider", id);
    assert!(s
        .exec("provider", &start_reclaim, &[])
        .unwrap_err()
        .says("active"));
    s.set_time(start + 2 * HOUR);
    s.claim(id);
    assert!(s
        .exec("tenant", &start_reclaim, &[])
        .unwrap_err()
        .says("unauthorized"));
    let res = s.exec_ok("provider", &start_reclaim, &[]);
    let deadline = start + 3 * HOUR;
    assert_eq!(
        one::<ev::ReclamationStarted>(&res).deadline.to_string(),
        deadline.to_string()
    );
    assert_eq!(s.reservation(id).phase, Phase::Reclaiming);
    // The slot frees from the deadline on.
    s.reserve(
        "tenant2",
        "provider",
        "h1",
        deadline,
        deadline + HOUR,
        3_600,
    );
    let end = ExecuteMsg::EndReclamation { id };
    s.set_time(deadline - 1);
    assert!(s.exec("stranger", &end, &[]).unwrap_err().says("too early"));
    // Payment continues until the deadline and no further.
    s.set_time(deadline + 500);
    assert_eq!(s.reservation(id).claimable, u256(3_600));
    let res = s.exec_ok("stranger", &end, &[]);
    assert_eq!(
        one::<ev::ReservationReclaimed>(&res)
            .provider_paid
            .to_string(),
        "3600"
    );
    assert_eq!(
        one::<ev::ReservationReclaimed>(&res).refund.to_string(),
        "25200"
    );
    assert_eq!(s.bank("provider"), p0 + 10_800);
    assert_eq!(s.bank("tenant"), t0 - 10_800);
    assert_eq!(s.reservation(id).reservation.status, Status::Reclaimed);
    assert_eq!(s.held(), 3_600);
}

#[test]
fn reclamation_needs_a_window_that_ends_before_the_term() {
    let mut s = Suite::new();
    s.register("provider", "plain", PRICE, None);
    s.register("provider", "long", PRICE, Some(720 * HOUR));
    let start = s.now() + HOUR;
    let a = s.reserve(
        "tenant",
        "provider",
        "plain",
        start,
        start + 2 * HOUR,
        7_200,
    );
    let b = s.reserve("tenant", "provider", "long", start, start + 2 * HOUR, 7_200);
    s.confirm("provider", a);
    s.confirm("provider", b);
    s.set_time(start);
    let e = s
        .exec(
            "provider",
            &ExecuteMsg::StartReclamation {
                id: a,
                reason: String::new(),
            },
            &[],
        )
        .unwrap_err();
    assert!(e.says("reclamation window"));
    let e = s
        .exec(
            "provider",
            &ExecuteMsg::StartReclamation {
                id: b,
                reason: String::new(),
            },
            &[],
        )
        .unwrap_err();
    assert!(e.says("not before the end"));
    // Window bounds at registration.
    let bad = Suite::host_msg("bad", PRICE, DENOM, Some(HOUR - 1));
    let e = s
        .exec("provider", &ExecuteMsg::RegisterHost(bad), &[])
        .unwrap_err();
    assert!(e.says("reclamation_window_s"));
    let bad = Suite::host_msg("bad", PRICE, DENOM, Some(720 * HOUR + 1));
    assert!(s
        .exec("provider", &ExecuteMsg::RegisterHost(bad), &[])
        .is_err());
}

#[test]
fn bonds_unbond_after_delay() {
    let mut s = Suite::new();
    let p0 = s.bank("provider");
    let e = s
        .exec("provider", &ExecuteMsg::PostBond {}, &[coin(5u128, USDC)])
        .unwrap_err();
    assert!(e.says("uakt"));
    let res = s.exec_ok(
        "provider",
        &ExecuteMsg::PostBond {},
        &[coin(1_000u128, DENOM)],
    );
    assert_eq!(one::<ev::BondPosted>(&res).bonded.to_string(), "1000");
    let too_much = ExecuteMsg::RequestBondWithdrawal {
        amount: u256(1_001),
    };
    assert!(s
        .exec("provider", &too_much, &[])
        .unwrap_err()
        .says("exceeds"));
    let req = ExecuteMsg::RequestBondWithdrawal { amount: u256(700) };
    let res = s.exec_ok("provider", &req, &[]);
    let ready = s.now() + UNBONDING;
    assert_eq!(
        one::<ev::BondUnbonding>(&res).ready_at.to_string(),
        ready.to_string()
    );
    s.set_time(ready - 1);
    assert!(s
        .exec("provider", &ExecuteMsg::ClaimBond {}, &[])
        .unwrap_err()
        .says("too early"));
    // Unbonding is still slashable: 500 = 300 bonded + 200 unbonding.
    let slash = ExecuteMsg::SlashBond {
        provider: s.addr("provider").to_string(),
        amount: u256(500),
        reason: "audit failure".into(),
        reservation_id: None,
    };
    s.exec_ok("gov", &slash, &[]);
    s.set_time(ready);
    let res = s.exec_ok("provider", &ExecuteMsg::ClaimBond {}, &[]);
    assert_eq!(one::<ev::BondClaimed>(&res).amount.to_string(), "500");
    assert_eq!(s.bank("provider"), p0 - 500);
    assert_eq!(s.bank_of(&s.addr("treasury"), DENOM), 500);
    assert_eq!(s.held(), 0);
    // Nothing left to slash.
    assert!(s.exec("gov", &slash, &[]).unwrap_err().says("no bond"));
}

#[test]
fn act_payment_through_the_ledger() {
    let mut s = Suite::new();
    let host = Suite::host_msg("a1", 3_600, ACT, None);
    s.exec_ok("provider", &ExecuteMsg::RegisterHost(host), &[]);
    s.mint_act("tenant", 10_000);
    let start = s.now() + HOUR;
    let hook = ReceiveHook::Reserve(s.reserve_msg("provider", "a1", start, start + HOUR));
    let e = s.send_act("tenant", 3_599, &hook).unwrap_err();
    assert!(e.says("costs exactly 3600"));
    let res = s.send_act("tenant", 3_600, &hook).unwrap();
    let id: u64 = one::<ev::ReservationRequested>(&res)
        .id
        .to_string()
        .parse()
        .unwrap();
    assert_eq!(
        one::<ev::ReservationRequested>(&res).tenant.to_string(),
        s.addr("tenant").to_string()
    );
    assert_eq!(s.act(&s.contract), 3_600);
    s.confirm("provider", id);
    s.set_time(start + HOUR);
    s.claim(id);
    assert_eq!(s.act(&s.addr("provider")), 3_600);
    assert_eq!(s.act(&s.contract), 0);
    // Only the ledger may deliver ACT.
    let fake = ExecuteMsg::Receive(supercloud_std::ActReceiveMsg {
        sender: s.addr("stranger").to_string(),
        amount: Uint128::new(3_600),
        msg: cosmwasm_std::to_json_binary(&hook).unwrap(),
    });
    assert!(s
        .exec("stranger", &fake, &[])
        .unwrap_err()
        .says("configured ledger"));
    // A native-priced host refuses ACT.
    s.register("provider", "n1", 3_600, None);
    let hook =
        ReceiveHook::Reserve(s.reserve_msg("provider", "n1", start + 2 * HOUR, start + 3 * HOUR));
    assert!(s
        .send_act("tenant", 3_600, &hook)
        .unwrap_err()
        .says("wrong denom"));
}

#[test]
fn many_reservations_on_one_host_stay_cheap() {
    let mut s = Suite::new();
    s.register("provider", "h1", 1, None);
    let base = s.now() + HOUR;
    const N: u64 = 2_000;
    // Every other hour, so gaps remain.
    for i in 0..N {
        let st = base + 2 * i * HOUR;
        s.reserve("tenant", "provider", "h1", st, st + HOUR, 1);
    }
    // The gaps are free, any touch of a live interval is refused.
    let mid = base + 2 * (N / 2) * HOUR;
    s.reserve("tenant2", "provider", "h1", mid + HOUR, mid + 2 * HOUR, 1);
    let e = s
        .try_reserve(
            "tenant2",
            "provider",
            "h1",
            mid + HOUR - 1,
            mid + 2 * HOUR - 1,
            1,
        )
        .unwrap_err();
    assert!(e.says("overlaps"));
    let e = s
        .try_reserve("tenant2", "provider", "h1", mid - 10, mid + HOUR - 10, 1)
        .unwrap_err();
    assert!(e.says("overlaps"));
    let list: ReservationsResponse = s.query(&QueryMsg::ReservationsByHost {
        provider: s.addr("provider").to_string(),
        host_id: "h1".into(),
        start_after: Some(5),
        limit: Some(100),
    });
    assert_eq!(list.reservations.len(), 30);
    assert_eq!(list.reservations[0].reservation.id, 6);
}

#[test]
fn verified_work_counts_attested_claims_only() {
    let (mut s, start) = setup();
    s.register("provider", "h2", PRICE, None);
    s.appoint("auditor");
    s.attest("provider", "h1", start + 10 * DAY);
    let a = s.reserve("tenant", "provider", "h1", start, start + HOUR, 3_600);
    let b = s.reserve("tenant", "provider", "h2", start, start + HOUR, 3_600);
    s.confirm("provider", a);
    s.confirm("provider", b);
    let h0 = s.height();
    s.set_time(start + HOUR);
    let res = s.claim(a);
    assert_eq!(one::<ev::Claimed>(&res).verified.to_string(), "true");
    let res = s.claim(b);
    assert_eq!(one::<ev::Claimed>(&res).verified.to_string(), "false");
    let w: VerifiedWorkResponse = s.query(&QueryMsg::VerifiedWork {
        provider: s.addr("provider").to_string(),
        denom: DENOM.into(),
        gpu_model: "h100".into(),
        from_height: h0,
        to_height: s.height(),
    });
    assert_eq!(w.value, u256(3_600));
    assert_eq!(w.gpu_seconds, Uint128::new(8 * 3_600));
    assert_eq!(w.gpu_blocks, Uint128::zero());
    let before: VerifiedWorkResponse = s.query(&QueryMsg::VerifiedWork {
        provider: s.addr("provider").to_string(),
        denom: DENOM.into(),
        gpu_model: "h100".into(),
        from_height: 0,
        to_height: h0,
    });
    assert_eq!(before.value, u256(0));
}

/// Verified work cannot be bought from oneself (DESIGN §4.1): a provider cannot reserve its own
/// attested host, paying natively or in ACT through the ledger, so it books no work.
#[test]
fn providers_cannot_reserve_their_own_hosts_for_work() {
    let mut s = Suite::new();
    s.register("provider", "h1", PRICE, None);
    let act_host = Suite::host_msg("a1", PRICE, ACT, None);
    s.exec_ok("provider", &ExecuteMsg::RegisterHost(act_host), &[]);
    s.appoint("auditor");
    let start = s.now() + HOUR;
    s.attest("provider", "h1", start + 10 * DAY);
    s.attest("provider", "a1", start + 10 * DAY);
    let h0 = s.height();

    let e = s
        .try_reserve("provider", "provider", "h1", start, start + HOUR, 3_600)
        .unwrap_err();
    assert!(e.says("own host"), "{}", e.0);
    s.mint_act("provider", 3_600);
    let hook = ReceiveHook::Reserve(s.reserve_msg("provider", "a1", start, start + HOUR));
    let e = s.send_act("provider", 3_600, &hook).unwrap_err();
    assert!(e.says("own host"), "{}", e.0);
    // Nothing was taken and nothing is booked.
    assert_eq!(s.act(&s.addr("provider")), 3_600);
    assert_eq!(s.held(), 0);
    s.set_time(start + HOUR);
    for denom in [DENOM, ACT] {
        let w: VerifiedWorkResponse = s.query(&QueryMsg::VerifiedWork {
            provider: s.addr("provider").to_string(),
            denom: denom.into(),
            gpu_model: "h100".into(),
            from_height: h0,
            to_height: s.height(),
        });
        assert_eq!((w.value, w.gpu_seconds), (u256(0), Uint128::zero()));
    }
}

#[test]
fn host_registry_rules_and_queries() {
    let mut s = Suite::new();
    s.register("provider", "h1", PRICE, None);
    let e = s
        .exec(
            "provider",
            &ExecuteMsg::RegisterHost(Suite::host_msg("h1", PRICE, DENOM, None)),
            &[],
        )
        .unwrap_err();
    assert!(e.says("already registered"));
    let mut bad = Suite::host_msg("bad id", PRICE, DENOM, None);
    assert!(s
        .exec("provider", &ExecuteMsg::RegisterHost(bad.clone()), &[])
        .unwrap_err()
        .says("host_id"));
    bad.host_id = "ok".into();
    bad.price_per_hour = coin(0u128, DENOM);
    assert!(s
        .exec("provider", &ExecuteMsg::RegisterHost(bad.clone()), &[])
        .unwrap_err()
        .says("greater than zero"));
    bad.price_per_hour = coin(1u128, "uother");
    assert!(s
        .exec("provider", &ExecuteMsg::RegisterHost(bad.clone()), &[])
        .unwrap_err()
        .says("not accepted"));
    bad.price_per_hour = coin(1u128, DENOM);
    bad.attributes = vec![
        reservations::msg::Attribute {
            key: "region".into(),
            value: "eu".into(),
        },
        reservations::msg::Attribute {
            key: "region".into(),
            value: "us".into(),
        },
    ];
    assert!(s
        .exec("provider", &ExecuteMsg::RegisterHost(bad), &[])
        .unwrap_err()
        .says("duplicate attribute"));
    // Someone else's host cannot be updated.
    let e = s
        .exec(
            "provider2",
            &ExecuteMsg::UpdateHost(Suite::host_msg("h1", 1, DENOM, None)),
            &[],
        )
        .unwrap_err();
    assert!(e.says("not found"));
    let mut a100 = Suite::host_msg("h2", PRICE, DENOM, None);
    a100.gpu_model = "a100".into();
    s.exec_ok("provider", &ExecuteMsg::RegisterHost(a100), &[]);
    s.register("provider2", "x", PRICE, None);
    let h100: HostsResponse = s.query(&QueryMsg::HostsByGpuModel {
        gpu_model: "h100".into(),
        start_after: None,
        limit: None,
    });
    assert_eq!(h100.hosts.len(), 2);
    // Changing the model moves the index.
    let mut h1 = Suite::host_msg("h1", PRICE, DENOM, None);
    h1.gpu_model = "a100".into();
    s.exec_ok("provider", &ExecuteMsg::UpdateHost(h1), &[]);
    let a: HostsResponse = s.query(&QueryMsg::HostsByGpuModel {
        gpu_model: "a100".into(),
        start_after: None,
        limit: None,
    });
    assert_eq!(a.hosts.len(), 2);
    let mine: HostsResponse = s.query(&QueryMsg::HostsByProvider {
        provider: s.addr("provider").to_string(),
        start_after: Some("h1".into()),
        limit: None,
    });
    assert_eq!(mine.hosts.len(), 1);
    assert_eq!(mine.hosts[0].host.host_id, "h2");
    // Deactivated hosts take no reservations.
    s.exec_ok(
        "provider",
        &ExecuteMsg::SetHostActive {
            host_id: "h1".into(),
            active: false,
        },
        &[],
    );
    let start = s.now() + HOUR;
    let e = s
        .try_reserve("tenant", "provider", "h1", start, start + HOUR, 3_600)
        .unwrap_err();
    assert!(e.says("deactivated"));
}

#[test]
fn pause_blocks_inflows_but_not_exits() {
    let (mut s, start) = setup();
    let id = s.reserve("tenant", "provider", "h1", start, start + HOUR, 3_600);
    assert!(s
        .exec("stranger", &ExecuteMsg::SetPaused { paused: true }, &[])
        .is_err());
    s.exec_ok("gov", &ExecuteMsg::SetPaused { paused: true }, &[]);
    let e = s
        .try_reserve(
            "tenant",
            "provider",
            "h1",
            start + HOUR,
            start + 2 * HOUR,
            3_600,
        )
        .unwrap_err();
    assert!(e.says("paused"));
    s.exec_ok("tenant", &ExecuteMsg::Cancel { id, reason: None }, &[]);
    assert_eq!(s.held(), 0);
}
