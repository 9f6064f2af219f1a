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

/// A pair stored by 0.1.0 has no last announced price: it reads as none, migrating keeps it, and
/// the first execute after the upgrade announces the price in force.
#[test]
fn pairs_stored_by_0_1_0_announce_their_price_after_migrating() {
    use cosmwasm_std::{Decimal256, Int64, Storage, Uint64};
    use oracle::contract::execute;
    use oracle::msg::{ExecuteMsg, Health, NewSource, SourceKindMsg};
    use oracle::state::PAIRS;
    use supercloud_events::oracle::{OracleEvent, PriceAggregated};
    use supercloud_events::SupercloudEvent;

    let mut deps = mock_dependencies();
    let gov = deps.api.addr_make("gov");
    let relayer = deps.api.addr_make("relayer");
    let msg = InstantiateMsg {
        authority: gov.to_string(),
        limits: None,
        sources: vec![NewSource {
            pair: "akt/usd".into(),
            source: "relayer".into(),
            kind: SourceKindMsg::Pusher {
                address: relayer.to_string(),
            },
        }],
    };
    let env = mock_env();
    instantiate(deps.as_mut(), env.clone(), message_info(&gov, &[]), msg).unwrap();
    // What 0.1.0 stored for a healthy pair.
    deps.storage.set(
        &PAIRS.key("akt/usd"),
        br#"{"sources":1,"health":"healthy","reason":"1 of 1 sources healthy, deviation 0 bps"}"#,
    );
    cw2::set_contract_version(&mut deps.storage, CONTRACT_NAME, "0.1.0").unwrap();
    migrate(deps.as_mut(), env.clone(), MigrateMsg {}).unwrap();
    let pair = PAIRS.load(&deps.storage, "akt/usd").unwrap();
    assert_eq!((pair.health, pair.price), (Some(Health::Healthy), None));
    let push = ExecuteMsg::Push {
        pair: "akt/usd".into(),
        source: "relayer".into(),
        price: Int64::new(250),
        conf: Uint64::new(1),
        expo: -2,
        publish_time: env.block.time.seconds() as i64,
    };
    let res = execute(
        deps.as_mut(),
        env.clone(),
        message_info(&relayer, &[]),
        push,
    )
    .unwrap();
    let announced: Vec<PriceAggregated> = res
        .events
        .iter()
        .filter_map(|e| {
            let attrs = e
                .attributes
                .iter()
                .map(|a| (a.key.as_str(), a.value.as_str()));
            match SupercloudEvent::parse(&e.ty, attrs).unwrap() {
                Some(SupercloudEvent::Oracle(OracleEvent::PriceAggregated(a))) => Some(a),
                _ => None,
            }
        })
        .collect();
    assert_eq!(
        announced,
        vec![PriceAggregated {
            pair: "akt/usd".into(),
            price: Some(Decimal256::percent(250)),
            health: Health::Healthy,
            sources_used: 1,
            left_out: None,
            height: env.block.height,
            time: env.block.time.seconds(),
        }]
    );
    let pair = PAIRS.load(&deps.storage, "akt/usd").unwrap();
    assert_eq!(pair.price, Some(Decimal256::percent(250)));
}
