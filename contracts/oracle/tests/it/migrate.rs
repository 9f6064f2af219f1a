//! Versioned migration: upgrade once, refuse replay, downgrade and another contract.

use cosmwasm_std::testing::{message_info, mock_dependencies, mock_env};
use oracle::contract::{instantiate, migrate};
use oracle::msg::{InstantiateMsg, MigrateMsg};
use oracle::{ContractError, CONTRACT_NAME, CONTRACT_VERSION};
use supercloud_std::MigrateError;

#[test]
fn migrate_refuses_replay_downgrade_and_foreign_contracts() {
    let mut deps = mock_dependencies();
    let gov = deps.api.addr_make("gov");
    let msg = InstantiateMsg {
        authority: gov.to_string(),
        limits: None,
        sources: vec![],
    };
    instantiate(deps.as_mut(), mock_env(), message_info(&gov, &[]), msg).unwrap();
    assert_eq!(
        cw2::get_contract_version(&deps.storage).unwrap().contract,
        "crates.io:oracle"
    );
    // Same version: a replay.
    let err = migrate(deps.as_mut(), mock_env(), MigrateMsg {}).unwrap_err();
    assert!(
        matches!(
            err,
            ContractError::Migrate(MigrateError::AlreadyMigrated { .. })
        ),
        "{err}"
    );
    // Older stored version: upgrades once, then refuses.
    cw2::set_contract_version(&mut deps.storage, CONTRACT_NAME, "0.0.1").unwrap();
    let res = migrate(deps.as_mut(), mock_env(), MigrateMsg {}).unwrap();
    assert_eq!(res.events[0].ty, "oracle.migrated");
    assert_eq!(
        cw2::get_contract_version(&deps.storage).unwrap().version,
        CONTRACT_VERSION
    );
    assert!(matches!(
        migrate(deps.as_mut(), mock_env(), MigrateMsg {}),
        Err(ContractError::Migrate(MigrateError::AlreadyMigrated { .. }))
    ));
    cw2::set_contract_version(&mut deps.storage, CONTRACT_NAME, "99.0.0").unwrap();
    assert!(matches!(
        migrate(deps.as_mut(), mock_env(), MigrateMsg {}),
        Err(ContractError::Migrate(MigrateError::Downgrade { .. }))
    ));
    cw2::set_contract_version(&mut deps.storage, "crates.io:escrow", "0.0.1").unwrap();
    assert!(matches!(
        migrate(deps.as_mut(), mock_env(), MigrateMsg {}),
        Err(ContractError::Migrate(MigrateError::WrongContract { .. }))
    ));
}
