//! The JSON of the messages is what the derives made of the 0.1.0 types: the same names, the same
//! shapes, accepted and refused alike.

use super::*;
use cosmwasm_std::{from_json, to_json_string};

/// Each JSON (as 0.1.0 wrote it) parses and writes back unchanged.
fn same<T: serde::Serialize + serde::de::DeserializeOwned>(json: &str) -> T {
    let value: T = from_json(json).unwrap_or_else(|e| panic!("{json}: {e}"));
    assert_eq!(to_json_string(&value).unwrap(), json);
    value
}

#[test]
fn execute_messages_keep_their_wire_format() {
    let create = r#"{"create_pilot":{"name":"p","start":1,"end":2,"epoch_length":1,"eligible":{"gpu_models":["h100"],"min_gpu_count":null},"kind":{"committed":{"rates":[{"gpu_model":"h100","usd_per_gpu_hour":"2.5"}],"decimals":6}},"volatility_buffer_bps":0,"return_target":{"address":{"address":"t"}},"admin":null,"max_payout_multiple":"1.5"}}"#;
    let ExecuteMsg::CreatePilot(new) = same::<ExecuteMsg>(create) else {
        panic!("not create_pilot")
    };
    assert_eq!(new.max_payout_multiple, Decimal256::percent(150));
    for json in [
        r#"{"enroll":{"pilot_id":1}}"#,
        r#"{"approve":{"pilot_id":1,"provider":"p"}}"#,
        r#"{"enroll_provider":{"pilot_id":1,"provider":"p"}}"#,
        r#"{"withdraw_enrollment":{"pilot_id":1}}"#,
        r#"{"remove_provider":{"pilot_id":1,"provider":"p"}}"#,
        r#"{"settle_epoch":{"pilot_id":1,"epoch":2,"limit":null}}"#,
        r#"{"finalize":{"pilot_id":1}}"#,
        r#"{"cancel":{"pilot_id":1}}"#,
        r#"{"authority":{"accept":{}}}"#,
        r#"{"set_paused":{"paused":true}}"#,
        r#"{"update_config":{"escrow":null,"oracle":null,"oracle_pair":"akt/usd","reservations":null,"community_pool_allowed":null,"default_return_address":null,"settle_grace_blocks":null}}"#,
    ] {
        same::<ExecuteMsg>(json);
    }
    assert_eq!(
        from_json::<ExecuteMsg>(r#"{"settle_epoch":{"epoch":2,"pilot_id":1}}"#).unwrap(),
        ExecuteMsg::SettleEpoch {
            pilot_id: 1,
            epoch: 2,
            limit: None
        }
    );
}

#[test]
fn query_messages_keep_their_wire_format() {
    for json in [
        r#"{"config":{}}"#,
        r#"{"pilots":{"start_after":3,"limit":null}}"#,
        r#"{"pilot":{"pilot_id":1}}"#,
        r#"{"enrollments":{"pilot_id":1,"start_after":"p","limit":5}}"#,
        r#"{"epoch_results":{"pilot_id":1,"epoch":0,"start_after":null,"limit":null}}"#,
        r#"{"remaining_budget":{"pilot_id":1}}"#,
        r#"{"payouts_by_provider":{"provider":"p","start_after":[1,2],"limit":null}}"#,
    ] {
        same::<QueryMsg>(json);
    }
}

#[test]
fn malformed_messages_are_refused() {
    for (json, says) in [
        (r#"{"enrol":{"pilot_id":1}}"#, "unknown variant `enrol`"),
        (r#"{}"#, "invalid length 0"),
        (
            r#"{"finalize":{"pilot_id":1},"cancel":{"pilot_id":1}}"#,
            "invalid length 2",
        ),
        (r#"{"finalize":{}}"#, "missing field `pilot_id`"),
        (
            r#"{"settle_epoch":{"pilot_id":1,"epoch":2,"epoch":3}}"#,
            "duplicate field `epoch`",
        ),
        (r#"{"finalize":{"pilot_id":"1"}}"#, "invalid type"),
        (r#""finalize""#, "invalid type"),
    ] {
        let err = from_json::<ExecuteMsg>(json).unwrap_err().to_string();
        assert!(err.contains(says), "{json}: {err}");
    }
}

#[test]
fn stored_types_of_0_1_0_still_load() {
    // A 0.1.0 liquidity pilot: no `max_payout_multiple`, no `decimals`.
    let pilot = r#"{"id":1,"name":"l","denom":"uakt","start":1,"end":101,"epoch_length":100,"epochs":1,"eligible":{"gpu_models":["h100"],"min_gpu_count":2},"kind":{"liquidity":{"tokens_per_epoch":"1000"}},"volatility_buffer_bps":0,"buffer":"0","return_target":{"community_pool":{}},"admin":"a","budget":"1000","paid":"0","returned":"0","next_epoch":0,"status":"active","created_at":1}"#;
    let p: Pilot = from_json(pilot).unwrap();
    assert_eq!(p.max_payout_multiple, DEFAULT_MAX_PAYOUT_MULTIPLE);
    assert_eq!(p.kind.decimals(), DEFAULT_DECIMALS);
    assert_eq!(p.return_target, ReturnTarget::CommunityPool {});
    assert_eq!(p.status, PilotStatus::Active);
    let progress = r#"{"epoch":0,"phase":"measure","cursor":null,"price":null,"allocation":"5","total_basis":"0","paid":"0","providers":0}"#;
    assert_eq!(same::<Progress>(progress).phase, Phase::Measure);
    let enrollment = r#"{"status":"approved","requested_at":1,"approved_at":2}"#;
    assert_eq!(
        same::<Enrollment>(enrollment).status,
        EnrollmentStatus::Approved
    );
    let err = from_json::<Enrollment>(r#"{"status":"gone","requested_at":1,"approved_at":null}"#)
        .unwrap_err();
    assert!(err.to_string().contains("unknown variant `gone`"), "{err}");
}
