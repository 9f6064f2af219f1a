//! Unit tests of stored records: each reads back what its derived `Serialize` writes (the format
//! 0.1.0 stored with derived serde), and records as 0.1.0 stored them still load.

use cosmwasm_std::{from_json, Addr, Uint256};

use crate::msg::tests::round_trip;
use crate::msg::{Attestation, Attribute, Bond, Config, Host, Price, Reservation, Status, Tee};
use crate::state::Auditor;

fn reservation(status: Status, optional: Option<u64>) -> Reservation {
    Reservation {
        id: 1,
        tenant: Addr::unchecked("tenant"),
        provider: Addr::unchecked("provider"),
        host_id: "h1".into(),
        start: 10,
        end: 3_610,
        price_per_hour: Uint256::MAX,
        denom: "uakt".into(),
        total: Uint256::from(3_600u32),
        claimed: Uint256::one(),
        claimed_until: 11,
        refunded: Uint256::zero(),
        gpu_model: "h100".into(),
        gpu_count: 8,
        status,
        created_at: 5,
        confirm_deadline: 10,
        confirmed_at: optional,
        reclamation_window_s: optional,
        reclaim_deadline: optional,
        ended_at: optional,
    }
}

#[test]
fn every_stored_record_reads_back_what_serde_writes() {
    let config = Config {
        native_denoms: vec!["uakt".into()],
        act_ledger: Some(Addr::unchecked("bme")),
        bond_denom: "uakt".into(),
        unbonding_period_s: 1,
        confirm_window_s: 2,
        cancel_fee_bps: 10_000,
        slash_recipient: Addr::unchecked("t"),
        max_attestation_validity_s: 3,
    };
    round_trip(&config);
    round_trip(&Config {
        act_ledger: None,
        ..config
    });
    for optional in [None, Some(0), Some(u64::MAX)] {
        for status in [
            Status::Requested,
            Status::Confirmed,
            Status::Reclaiming,
            Status::Completed,
            Status::Cancelled,
            Status::Reclaimed,
        ] {
            round_trip(&reservation(status, optional));
        }
    }
    round_trip(&Host {
        provider: Addr::unchecked("p"),
        host_id: "h".into(),
        gpu_model: "none".into(),
        gpu_count: 0,
        cpu: 1,
        memory: 2,
        bare_metal: false,
        attributes: vec![Attribute {
            key: "a".into(),
            value: "b".into(),
        }],
        price_per_hour: Price {
            amount: Uint256::one(),
            denom: "uact".into(),
        },
        reclamation_window_s: Some(3_600),
        require_attestation: false,
        active: true,
        registered_at: 4,
    });
    for tee in [Tee::Tdx, Tee::SevSnp, Tee::Nvtrust, Tee::None] {
        round_trip(&Attestation {
            auditor: Addr::unchecked("a"),
            tee,
            report_hash: "00".repeat(32),
            verified_at: 1,
            expires_at: 2,
        });
    }
    round_trip(&Bond::default());
    round_trip(&Bond {
        bonded: Uint256::MAX,
        unbonding: Uint256::one(),
        ready_at: Some(5),
    });
    round_trip(&Auditor { appointed_at: 6 });
}

/// Reservation and host records exactly as 0.1.0 stored them (derived serde, field order of the
/// structs) still load, so `migrate` from 0.1.0 needs no data step.
#[test]
fn records_stored_by_0_1_0_still_load() {
    let stored = r#"{"id":3,"tenant":"t","provider":"p","host_id":"h1","start":100,"end":3700,"price_per_hour":"3600","denom":"uakt","total":"3600","claimed":"0","claimed_until":100,"refunded":"0","gpu_model":"h100","gpu_count":8,"status":"reclaiming","created_at":50,"confirm_deadline":100,"confirmed_at":60,"reclamation_window_s":3600,"reclaim_deadline":3000,"ended_at":null}"#;
    let r: Reservation = from_json(stored).unwrap();
    assert_eq!(
        (r.id, r.status, r.total, r.confirmed_at, r.ended_at),
        (
            3,
            Status::Reclaiming,
            Uint256::from(3_600u32),
            Some(60),
            None
        )
    );
    let stored = r#"{"provider":"p","host_id":"h1","gpu_model":"h100","gpu_count":8,"cpu":64,"memory":1024,"bare_metal":true,"attributes":[{"key":"region","value":"eu"}],"price_per_hour":{"amount":"10","denom":"uakt"},"reclamation_window_s":null,"require_attestation":false,"active":true,"registered_at":5}"#;
    let h: Host = from_json(stored).unwrap();
    assert_eq!(
        (h.attributes[0].value.as_str(), h.price_per_hour.amount),
        ("eu", Uint256::from(10u32))
    );
    let stored =
        r#"{"auditor":"a","tee":"sev_snp","report_hash":"ff","verified_at":1,"expires_at":2}"#;
    assert_eq!(from_json::<Attestation>(stored).unwrap().tee, Tee::SevSnp);
}
