//! reservations: a host's registry entry, its auditor and attestation, the provider's bond, a
//! reservation requested, confirmed, claimed and reclaimed, another cancelled, one paid in ACT
//! through the hook, and governance.

use cosmwasm_std::{coin, Coin, Uint256};
use reservations::msg::{
    Attribute, ConfigUpdate, ExecuteMsg, HostMsg, ReceiveHook, ReserveMsg, Tee,
};

use super::{governance, measure, measure_hook};
use crate::bench::Bench;
use crate::suite::{Suite, AKT, BLOCK_S};

const HOUR: u64 = 3_600;
const DAY: u64 = 86_400;
/// 32 bytes of TEE report hash.
const HASH: &str = "aa00000000000000000000000000000000000000000000000000000000000011";

/// An 8×H100 bare-metal host at `price` per hour (one unit per second at 3,600), reclaimable
/// with an hour's notice.
fn host(host_id: &str, price: Coin) -> HostMsg {
    crate::suite::h100_host(host_id, price, Some(HOUR))
}

/// Moves at least `seconds` ahead (whole blocks; the feed pushes as usual).
fn wait(s: &mut Suite, seconds: u64) -> anyhow::Result<()> {
    s.advance(seconds.div_ceil(BLOCK_S))
}

pub(super) fn run(bench: &mut Bench) -> anyhow::Result<()> {
    let mut s = bench.suite()?;
    let provider = s.addr("provider").to_string();
    let r = "reservations";

    // Host registry.
    measure(
        bench,
        &mut s,
        r,
        "provider",
        &ExecuteMsg::RegisterHost(host("h1", coin(3_600, AKT))),
        &[],
    )?;
    let mut updated = host("h1", coin(3_600, AKT));
    updated.attributes = vec![Attribute {
        key: "region".into(),
        value: "eu-west".into(),
    }];
    measure(
        bench,
        &mut s,
        r,
        "provider",
        &ExecuteMsg::UpdateHost(updated),
        &[],
    )?;
    let active = |active| ExecuteMsg::SetHostActive {
        host_id: "h1".into(),
        active,
    };
    measure(bench, &mut s, r, "provider", &active(false), &[])?;
    let addr = s.c.reservations.clone();
    s.exec_ok("reactivate", "provider", &addr, &active(true), &[])?;

    // Auditor and attestation.
    let auditor = s.addr("auditor").to_string();
    measure(
        bench,
        &mut s,
        r,
        "gov",
        &ExecuteMsg::AppointAuditor {
            auditor: auditor.clone(),
        },
        &[],
    )?;
    let record = ExecuteMsg::RecordAttestation {
        provider: provider.clone(),
        host_id: "h1".into(),
        tee: Tee::Tdx,
        report_hash: HASH.into(),
        expires_at: s.now() + 30 * DAY,
    };
    measure(bench, &mut s, r, "auditor", &record, &[])?;
    let renew = ExecuteMsg::RenewAttestation {
        provider: provider.clone(),
        host_id: "h1".into(),
        expires_at: s.now() + 60 * DAY,
    };
    measure(bench, &mut s, r, "auditor", &renew, &[])?;

    // Bond: posted, partly unbonding, slashed (claimed once unbonded, below).
    measure(
        bench,
        &mut s,
        r,
        "provider",
        &ExecuteMsg::PostBond {},
        &[coin(1_000_000, AKT)],
    )?;
    measure(
        bench,
        &mut s,
        r,
        "provider",
        &ExecuteMsg::RequestBondWithdrawal {
            amount: Uint256::from(300_000u128),
        },
        &[],
    )?;
    measure(
        bench,
        &mut s,
        r,
        "gov",
        &ExecuteMsg::SlashBond {
            provider: provider.clone(),
            amount: Uint256::from(100_000u128),
            reason: "audit failure".into(),
            reservation_id: None,
        },
        &[],
    )?;

    // Reservation 1 (ids start at 1): 10 hours from 2 hours on, at 1 uakt per second.
    let start = s.now() + 2 * HOUR;
    let reserve = |start: u64, hours: u64| ReserveMsg {
        provider: provider.clone(),
        host_id: "h1".into(),
        start,
        end: start + hours * HOUR,
        require_attestation: false,
    };
    measure(
        bench,
        &mut s,
        r,
        "tenant",
        &ExecuteMsg::Reserve(reserve(start, 10)),
        &[coin(36_000, AKT)],
    )?;
    measure(
        bench,
        &mut s,
        r,
        "provider",
        &ExecuteMsg::Confirm { id: 1 },
        &[],
    )?;
    wait(&mut s, 3 * HOUR)?;
    measure(
        bench,
        &mut s,
        r,
        "stranger",
        &ExecuteMsg::Claim { id: 1 },
        &[],
    )?;
    measure(
        bench,
        &mut s,
        r,
        "provider",
        &ExecuteMsg::StartReclamation {
            id: 1,
            reason: "maintenance".into(),
        },
        &[],
    )?;
    wait(&mut s, HOUR + 1)?;
    measure(
        bench,
        &mut s,
        r,
        "stranger",
        &ExecuteMsg::EndReclamation { id: 1 },
        &[],
    )?;

    // Reservation 2: requested, then cancelled by its tenant before the start.
    let start = s.now() + 2 * HOUR;
    s.exec_ok(
        "reserve 2",
        "tenant2",
        &addr,
        &ExecuteMsg::Reserve(reserve(start, 1)),
        &[coin(3_600, AKT)],
    )?;
    measure(
        bench,
        &mut s,
        r,
        "tenant2",
        &ExecuteMsg::Cancel {
            id: 2,
            reason: Some("plans changed".into()),
        },
        &[],
    )?;

    // Reservation 3: a uact-priced host paid through bme's `send`.
    let act_host = ExecuteMsg::RegisterHost(host("a1", coin(3_600, "uact")));
    s.exec_ok("register uact host", "provider", &addr, &act_host, &[])?;
    s.mint_act("tenant", 100_000_000)?;
    let start = s.now() + HOUR;
    let hook = ReceiveHook::Reserve(ReserveMsg {
        host_id: "a1".into(),
        ..reserve(start, 1)
    });
    measure_hook(bench, &mut s, r, "tenant", 3_600, &hook)?;

    let revoke = ExecuteMsg::RevokeAttestation {
        provider: provider.clone(),
        host_id: "h1".into(),
        reason: "report mismatch".into(),
    };
    measure(bench, &mut s, r, "auditor", &revoke, &[])?;
    measure(
        bench,
        &mut s,
        r,
        "gov",
        &ExecuteMsg::RemoveAuditor { auditor },
        &[],
    )?;

    // The unbonding period (7 days in the suite) has passed.
    wait(&mut s, 7 * DAY)?;
    measure(bench, &mut s, r, "provider", &ExecuteMsg::ClaimBond {}, &[])?;
    measure(
        bench,
        &mut s,
        r,
        "gov",
        &ExecuteMsg::UpdateConfig(ConfigUpdate {
            cancel_fee_bps: Some(400),
            ..Default::default()
        }),
        &[],
    )?;
    governance(
        bench,
        &mut s,
        r,
        |paused| ExecuteMsg::SetPaused { paused },
        ExecuteMsg::Authority,
    )
}
