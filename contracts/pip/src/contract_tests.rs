use super::*;

use cosmwasm_std::testing::{mock_dependencies, mock_env};
use cosmwasm_std::{Decimal256, Storage};

use crate::msg::{PilotKind, DEFAULT_MAX_PAYOUT_MULTIPLE};
use crate::state::PILOTS;

/// A 0.1.0 deployment with a committed pilot stored as 0.1.0 wrote it (no
/// `max_payout_multiple`) migrates, and the pilot loads with the conservative default: a payout
/// is at most what the provider was paid by others.
#[test]
fn migrates_from_0_1_0_and_old_pilots_get_the_default_multiple() {
    let mut deps = mock_dependencies();
    cw2::set_contract_version(&mut deps.storage, CONTRACT_NAME, "0.1.0").unwrap();
    let pilot = r#"{"id":7,"name":"c","denom":"uakt","start":1,"end":101,"epoch_length":100,"epochs":1,"eligible":{"gpu_models":["h100"],"min_gpu_count":null},"kind":{"committed":{"rates":[{"gpu_model":"h100","usd_per_gpu_hour":"2.5"}],"decimals":6}},"volatility_buffer_bps":1000,"buffer":"1000000","return_target":{"address":{"address":"treasury"}},"admin":null,"budget":"10000000","paid":"0","returned":"0","next_epoch":0,"status":"active","created_at":1}"#;
    deps.storage.set(&PILOTS.key(7), pilot.as_bytes());

    let res = migrate(deps.as_mut(), mock_env(), MigrateMsg {}).unwrap();
    assert_eq!(res.events[0].ty, "pip.migrated");
    let version = cw2::get_contract_version(&deps.storage).unwrap();
    assert_eq!(version.version, CONTRACT_VERSION);

    let p = PILOTS.load(&deps.storage, 7).unwrap();
    assert_eq!(p.max_payout_multiple, DEFAULT_MAX_PAYOUT_MULTIPLE);
    assert_eq!(p.max_payout_multiple, Decimal256::one());
    assert!(matches!(p.kind, PilotKind::Committed { decimals: 6, .. }));
    // Saved again, it keeps the value it loaded with.
    PILOTS.save(&mut deps.storage, 7, &p).unwrap();
    assert_eq!(PILOTS.load(&deps.storage, 7).unwrap(), p);

    // A replay is refused.
    assert!(migrate(deps.as_mut(), mock_env(), MigrateMsg {}).is_err());
}
