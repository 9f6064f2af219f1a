use super::*;
use cosmwasm_std::testing::{MockApi, MockStorage};
use cosmwasm_std::Event;
use supercloud_events::{
    bme, escrow, mock_pyth, oracle, pip, reservations, CatalogEvent, SupercloudEvent,
};

/// A contract error wrapping the shared ones, as every `ContractError` does.
#[derive(Debug)]
enum TestError {
    Authority(AuthorityError),
    // Only a storage failure while saving the flag builds this; MockStorage never fails.
    #[allow(dead_code)]
    Pause(PauseError),
}

impl From<AuthorityError> for TestError {
    fn from(e: AuthorityError) -> Self {
        TestError::Authority(e)
    }
}

impl From<PauseError> for TestError {
    fn from(e: PauseError) -> Self {
        TestError::Pause(e)
    }
}

#[derive(serde::Serialize)]
struct Config {
    limit: u32,
}

fn setup() -> (MockStorage, MockApi, Addr) {
    let mut storage = MockStorage::new();
    let api = MockApi::default();
    let gov = api.addr_make("gov");
    Authority::init(&mut storage, gov.clone()).unwrap();
    cw2::set_contract_version(&mut storage, "crates.io:escrow", "0.1.0").unwrap();
    (storage, api, gov)
}

/// The single event of a response.
fn only_event(response: &Response) -> &Event {
    assert_eq!(response.events.len(), 1);
    assert!(response.attributes.is_empty());
    assert!(response.messages.is_empty());
    &response.events[0]
}

fn attrs(event: &Event) -> Vec<(&str, &str)> {
    event
        .attributes
        .iter()
        .map(|a| (a.key.as_str(), a.value.as_str()))
        .collect()
}

fn propose(to: &Addr) -> AuthorityMsg {
    AuthorityMsg::Propose {
        new_authority: to.to_string(),
    }
}

#[test]
fn handover_emits_the_contracts_authority_events() {
    let (mut storage, api, gov) = setup();
    let next = api.addr_make("next");

    let res =
        handover::<escrow::EscrowEvent, AuthorityError>(&mut storage, &api, &gov, propose(&next))
            .unwrap();
    let event = only_event(&res);
    assert_eq!(event.ty, "escrow.authority_proposed");
    assert_eq!(
        attrs(event),
        [("authority", gov.as_str()), ("pending", next.as_str())]
    );

    let res = handover::<escrow::EscrowEvent, AuthorityError>(
        &mut storage,
        &api,
        &gov,
        AuthorityMsg::Cancel {},
    )
    .unwrap();
    let event = only_event(&res);
    assert_eq!(event.ty, "escrow.authority_cancelled");
    assert_eq!(
        attrs(event),
        [("authority", gov.as_str()), ("pending", next.as_str())]
    );

    // Another contract's enum: same rules, that contract's event type.
    handover::<oracle::OracleEvent, AuthorityError>(&mut storage, &api, &gov, propose(&next))
        .unwrap();
    let res = handover::<oracle::OracleEvent, AuthorityError>(
        &mut storage,
        &api,
        &next,
        AuthorityMsg::Accept {},
    )
    .unwrap();
    let event = only_event(&res);
    assert_eq!(event.ty, "oracle.authority_accepted");
    assert_eq!(
        attrs(event),
        [("previous", gov.as_str()), ("authority", next.as_str())]
    );
    Authority::assert(&storage, &next).unwrap();

    // The emitted event parses back as the catalogue's.
    let parsed = SupercloudEvent::parse(&event.ty, attrs(event)).unwrap();
    assert_eq!(
        parsed,
        Some(SupercloudEvent::Oracle(
            oracle::AuthorityAccepted {
                previous: gov,
                authority: next,
            }
            .into()
        ))
    );
}

#[test]
fn handover_refuses_strangers_and_changes_nothing() {
    let (mut storage, api, gov) = setup();
    let eve = api.addr_make("eve");
    let err = handover::<pip::PipEvent, AuthorityError>(&mut storage, &api, &eve, propose(&eve))
        .unwrap_err();
    assert!(matches!(err, AuthorityError::NotAuthority { ref authority } if *authority == gov));
    assert_eq!(
        err.to_string(),
        format!("unauthorized: only the authority {gov} may do this")
    );
    let err = handover::<pip::PipEvent, AuthorityError>(
        &mut storage,
        &api,
        &eve,
        AuthorityMsg::Accept {},
    )
    .unwrap_err();
    assert!(matches!(err, AuthorityError::NoneProposed));
    let stored = Authority::load(&storage).unwrap();
    assert_eq!(stored.current, gov);
    assert_eq!(stored.pending, None);
}

#[test]
fn set_paused_emits_pause_changed_and_sets_the_flag() {
    let (mut storage, _api, gov) = setup();
    let res = set_paused::<bme::BmeEvent, TestError>(&mut storage, &gov, true).unwrap();
    let event = only_event(&res);
    assert_eq!(event.ty, "bme.pause_changed");
    assert_eq!(
        attrs(event),
        [("authority", gov.as_str()), ("paused", "true")]
    );
    assert!(Paused::is_paused(&storage).unwrap());

    let res = set_paused::<reservations::ReservationsEvent, TestError>(&mut storage, &gov, false)
        .unwrap();
    let event = only_event(&res);
    assert_eq!(event.ty, "reservations.pause_changed");
    assert_eq!(
        attrs(event),
        [("authority", gov.as_str()), ("paused", "false")]
    );
    assert!(!Paused::is_paused(&storage).unwrap());
}

#[test]
fn set_paused_refuses_strangers_and_leaves_the_flag() {
    let (mut storage, api, gov) = setup();
    let eve = api.addr_make("eve");
    let err = set_paused::<escrow::EscrowEvent, TestError>(&mut storage, &eve, true).unwrap_err();
    match err {
        TestError::Authority(AuthorityError::NotAuthority { authority }) => {
            assert_eq!(authority, gov)
        }
        other => panic!("expected NotAuthority, got {other:?}"),
    }
    assert!(!Paused::is_paused(&storage).unwrap());
}

#[test]
fn set_paused_without_an_authority_is_a_storage_error() {
    let mut storage = MockStorage::new();
    let someone = MockApi::default().addr_make("someone");
    let err =
        set_paused::<escrow::EscrowEvent, TestError>(&mut storage, &someone, true).unwrap_err();
    assert!(matches!(err, TestError::Authority(AuthorityError::Std(_))));
}

#[test]
fn migrate_emits_migrated_once() {
    let (mut storage, _api, _gov) = setup();
    let res =
        migrate::<escrow::EscrowEvent, MigrateError>(&mut storage, "crates.io:escrow", "0.2.0")
            .unwrap();
    let event = only_event(&res);
    assert_eq!(event.ty, "escrow.migrated");
    assert_eq!(
        attrs(event),
        [("from_version", "0.1.0"), ("to_version", "0.2.0")]
    );
    assert_eq!(
        cw2::get_contract_version(&storage).unwrap().version,
        "0.2.0"
    );

    let err =
        migrate::<escrow::EscrowEvent, MigrateError>(&mut storage, "crates.io:escrow", "0.2.0")
            .unwrap_err();
    assert!(matches!(err, MigrateError::AlreadyMigrated { .. }));
    let err =
        migrate::<escrow::EscrowEvent, MigrateError>(&mut storage, "crates.io:oracle", "0.3.0")
            .unwrap_err();
    assert!(matches!(err, MigrateError::WrongContract { .. }));
}

#[test]
fn instantiated_and_config_updated_carry_the_config_as_json() {
    let gov = MockApi::default().addr_make("gov");
    let config = Config { limit: 7 };

    let res = instantiated::<mock_pyth::MockPythEvent, _, StdError>(gov.clone(), "1.2.3", &config)
        .unwrap();
    let event = only_event(&res);
    assert_eq!(event.ty, "mock_pyth.instantiated");
    assert_eq!(
        attrs(event),
        [
            ("authority", gov.as_str()),
            ("version", "1.2.3"),
            ("config", r#"{"limit":7}"#)
        ]
    );

    let res = config_updated::<pip::PipEvent, _, StdError>(&gov, &config).unwrap();
    let event = only_event(&res);
    assert_eq!(event.ty, "pip.config_updated");
    assert_eq!(
        attrs(event),
        [("authority", gov.as_str()), ("config", r#"{"limit":7}"#)]
    );
}

/// The trait's constructors build exactly the events the contracts used to build from the
/// catalogue structs, for every contract.
#[test]
fn trait_events_equal_the_catalogue_structs() {
    let gov = MockApi::default().addr_make("gov");
    macro_rules! same_for {
        ($($module:ident :: $enum:ident),* $(,)?) => {$(
            assert_eq!(
                GovernanceEvents::to_event(&<$module::$enum>::pause_changed(gov.clone(), true)),
                $module::PauseChanged { authority: gov.clone(), paused: true }.to_event()
            );
            assert_eq!(
                GovernanceEvents::to_event(&<$module::$enum>::config_updated(gov.clone(), "{}".into())),
                $module::ConfigUpdated { authority: gov.clone(), config: "{}".into() }.to_event()
            );
            assert_eq!(
                GovernanceEvents::to_event(&<$module::$enum>::migrated("1.0.0".into(), "1.1.0".into())),
                $module::Migrated { from_version: "1.0.0".into(), to_version: "1.1.0".into() }
                    .to_event()
            );
            assert_eq!(
                GovernanceEvents::to_event(&<$module::$enum>::instantiated(
                    gov.clone(),
                    "1.0.0".into(),
                    "{}".into()
                )),
                $module::Instantiated {
                    authority: gov.clone(),
                    version: "1.0.0".into(),
                    config: "{}".into()
                }
                .to_event()
            );
        )*};
    }
    same_for!(
        bme::BmeEvent,
        escrow::EscrowEvent,
        mock_pyth::MockPythEvent,
        oracle::OracleEvent,
        pip::PipEvent,
        reservations::ReservationsEvent,
    );
}
