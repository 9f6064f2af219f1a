//! Unit tests of the lifecycle on stored state: the verified-work rule on the claim path.

use cosmwasm_std::testing::{mock_dependencies, mock_env, MockApi};
use cosmwasm_std::{Addr, Response, Uint256};
use supercloud_events::reservations::ReservationsEvent;
use supercloud_events::SupercloudEvent;

use super::claim;
use crate::msg::{Attestation, Config, Reservation, Status, Tee};
use crate::state::{ATTESTATIONS, CONFIG, RESERVATIONS};
use crate::work::{gpu_at, value_at};

const START: u64 = 1_000_000;
const HOUR: u64 = 3_600;

/// The `verified` flag of the response's `claimed` event.
fn claimed_verified(res: &Response) -> bool {
    let verified = res.events.iter().find_map(|e| {
        let attrs = e
            .attributes
            .iter()
            .map(|a| (a.key.as_str(), a.value.as_str()));
        match SupercloudEvent::parse(&e.ty, attrs) {
            Ok(Some(SupercloudEvent::Reservations(ReservationsEvent::Claimed(c)))) => {
                Some(c.verified)
            }
            _ => None,
        }
    });
    verified.expect("a claimed event")
}

/// Claims, after its end, a confirmed one-hour reservation of an attested 8-GPU host by
/// `tenant`, stored directly (as an earlier version or any other path would have left it);
/// returns whether the claim was verified and the work booked for the provider.
fn claim_stored_reservation(tenant: &Addr, provider: &Addr) -> (bool, Uint256, u128) {
    let mut deps = mock_dependencies();
    let config = Config {
        native_denoms: vec!["uakt".into()],
        act_ledger: None,
        bond_denom: "uakt".into(),
        unbonding_period_s: 0,
        confirm_window_s: HOUR,
        cancel_fee_bps: 0,
        slash_recipient: provider.clone(),
        max_attestation_validity_s: 365 * 86_400,
    };
    CONFIG.save(&mut deps.storage, &config).unwrap();
    let attestation = Attestation {
        auditor: provider.clone(),
        tee: Tee::Tdx,
        report_hash: "00".repeat(32),
        verified_at: START - HOUR,
        expires_at: START + 10 * HOUR,
    };
    ATTESTATIONS
        .save(&mut deps.storage, (provider, "h1"), &attestation)
        .unwrap();
    let reservation = Reservation {
        id: 1,
        tenant: tenant.clone(),
        provider: provider.clone(),
        host_id: "h1".into(),
        start: START,
        end: START + HOUR,
        price_per_hour: Uint256::from(3_600u32),
        denom: "uakt".into(),
        total: Uint256::from(3_600u32),
        claimed: Uint256::zero(),
        claimed_until: START,
        refunded: Uint256::zero(),
        gpu_model: "h100".into(),
        gpu_count: 8,
        status: Status::Confirmed,
        created_at: START - HOUR,
        confirm_deadline: START,
        confirmed_at: Some(START - HOUR),
        reclamation_window_s: None,
        reclaim_deadline: None,
        ended_at: None,
    };
    RESERVATIONS
        .save(&mut deps.storage, 1, &reservation)
        .unwrap();

    let mut env = mock_env();
    env.block.time = cosmwasm_std::Timestamp::from_seconds(START + HOUR);
    let res = claim(deps.as_mut(), &env, 1).unwrap();
    let height = env.block.height;
    let value = value_at(&deps.storage, provider, "uakt", height).unwrap();
    let gpu = gpu_at(&deps.storage, provider, "h100", height).unwrap();
    (claimed_verified(&res), value, gpu.u128())
}

/// Verified work cannot be bought from oneself (DESIGN §4.1): a claim of a reservation whose
/// tenant is its provider pays out but books nothing, even on an attested host; the same
/// reservation with another tenant books the full hour (3600 uakt, 8 GPUs × 3600 s).
#[test]
fn self_dealt_reservations_book_no_work() {
    let api = MockApi::default();
    let (provider, tenant) = (api.addr_make("provider"), api.addr_make("tenant"));

    let (verified, value, gpu_seconds) = claim_stored_reservation(&provider, &provider);
    assert!(!verified);
    assert_eq!((value, gpu_seconds), (Uint256::zero(), 0));

    let (verified, value, gpu_seconds) = claim_stored_reservation(&tenant, &provider);
    assert!(verified);
    assert_eq!((value, gpu_seconds), (Uint256::from(3_600u32), 8 * 3_600));
}
