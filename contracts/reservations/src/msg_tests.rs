//! Unit tests of message wire shapes.

use super::QueryMsg;
use cosmwasm_std::to_json_string;
use supercloud_std::VerifiedWorkQuery;

/// Consumers send the shared `VerifiedWorkQuery`; this contract must parse it unchanged.
#[test]
fn verified_work_query_matches_the_shared_message() {
    let ours = QueryMsg::VerifiedWork {
        provider: "cosmwasm1provider".into(),
        denom: "uakt".into(),
        gpu_model: "h100".into(),
        from_height: 100,
        to_height: 200,
    };
    let shared = VerifiedWorkQuery::VerifiedWork {
        provider: "cosmwasm1provider".into(),
        denom: "uakt".into(),
        gpu_model: "h100".into(),
        from_height: 100,
        to_height: 200,
    };
    let expected = r#"{"verified_work":{"provider":"cosmwasm1provider","denom":"uakt","gpu_model":"h100","from_height":100,"to_height":200}}"#;
    assert_eq!(to_json_string(&ours).unwrap(), expected);
    assert_eq!(to_json_string(&shared).unwrap(), expected);
}
