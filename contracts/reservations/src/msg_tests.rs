//! Unit tests of message wire shapes: every message decoded by `crate::wire` reads back what its
//! derived `Serialize` writes, every message name of the JSON schema decodes, lenient inputs are
//! still accepted and malformed ones refused with the field named.

use cosmwasm_schema::schema_for;
use cosmwasm_schema::schemars::schema::{RootSchema, Schema};
use cosmwasm_std::{
    coin, from_json, to_json_binary, to_json_string, to_json_vec, Uint128, Uint256,
};
use serde::{de::DeserializeOwned, Serialize};
use std::collections::BTreeSet;
use std::fmt::Debug;
use supercloud_std::{ActReceiveMsg, AuthorityMsg, VerifiedWorkQuery};

use super::*;
use crate::wire::Value;

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
    assert_eq!(from_json::<QueryMsg>(expected).unwrap(), ours);
}

/// Serializes with the derived `Serialize` and decodes with `crate::wire`.
pub(crate) fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) {
    let json = to_json_vec(value).unwrap();
    let back: T = from_json(&json).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&json));
    });
    assert_eq!(&back, value, "{}", String::from_utf8_lossy(&json));
}

/// The tag (`{"<tag>": …}`) of a serialized enum value.
fn tag_of<T: Serialize>(value: &T) -> String {
    let value: Value = from_json(to_json_vec(value).unwrap()).unwrap();
    value.into_variant().unwrap().0
}

/// The tags of an externally tagged enum's schema (`oneOf` of objects with one required key).
fn schema_tags(schema: RootSchema) -> BTreeSet<String> {
    let one_of = schema.schema.subschemas.unwrap().one_of.unwrap();
    one_of
        .into_iter()
        .map(|s| match s {
            Schema::Object(o) => {
                let required = o.object.unwrap().required;
                assert_eq!(required.len(), 1);
                required.into_iter().next().unwrap()
            }
            Schema::Bool(_) => panic!("unexpected schema"),
        })
        .collect()
}

fn host_msg(attributes: Vec<Attribute>, window: Option<u64>) -> HostMsg {
    HostMsg {
        host_id: "h-1.a_b".into(),
        gpu_model: "h100".into(),
        gpu_count: u32::MAX,
        cpu: 64,
        memory: u64::MAX,
        bare_metal: true,
        attributes,
        price_per_hour: coin(u128::MAX, "ibc/ABC"),
        reclamation_window_s: window,
        require_attestation: true,
    }
}

fn reserve_msg(require_attestation: bool) -> ReserveMsg {
    ReserveMsg {
        provider: "provider".into(),
        host_id: "h1".into(),
        start: 1,
        end: u64::MAX,
        require_attestation,
    }
}

fn every_execute_msg() -> Vec<ExecuteMsg> {
    let attrs = vec![
        Attribute {
            key: "region".into(),
            value: "eu \"west\"\n".into(),
        },
        Attribute {
            key: "k".into(),
            value: String::new(),
        },
    ];
    let hook = to_json_binary(&ReceiveHook::Reserve(reserve_msg(true))).unwrap();
    vec![
        ExecuteMsg::RegisterHost(host_msg(attrs, Some(3_600))),
        ExecuteMsg::UpdateHost(host_msg(vec![], None)),
        ExecuteMsg::SetHostActive {
            host_id: "h1".into(),
            active: false,
        },
        ExecuteMsg::AppointAuditor {
            auditor: "a".into(),
        },
        ExecuteMsg::RemoveAuditor {
            auditor: "a".into(),
        },
        ExecuteMsg::RecordAttestation {
            provider: "p".into(),
            host_id: "h1".into(),
            tee: Tee::SevSnp,
            report_hash: "ab".repeat(32),
            expires_at: 7,
        },
        ExecuteMsg::RenewAttestation {
            provider: "p".into(),
            host_id: "h1".into(),
            expires_at: 8,
        },
        ExecuteMsg::RevokeAttestation {
            provider: "p".into(),
            host_id: "h1".into(),
            reason: "ü".into(),
        },
        ExecuteMsg::PostBond {},
        ExecuteMsg::RequestBondWithdrawal {
            amount: Uint256::MAX,
        },
        ExecuteMsg::ClaimBond {},
        ExecuteMsg::SlashBond {
            provider: "p".into(),
            amount: Uint256::one(),
            reason: String::new(),
            reservation_id: Some(3),
        },
        ExecuteMsg::SlashBond {
            provider: "p".into(),
            amount: Uint256::one(),
            reason: "r".into(),
            reservation_id: None,
        },
        ExecuteMsg::Reserve(reserve_msg(false)),
        ExecuteMsg::Confirm { id: 0 },
        ExecuteMsg::Cancel {
            id: 1,
            reason: Some("r".into()),
        },
        ExecuteMsg::Cancel {
            id: 1,
            reason: None,
        },
        ExecuteMsg::Claim { id: u64::MAX },
        ExecuteMsg::StartReclamation {
            id: 2,
            reason: "r".into(),
        },
        ExecuteMsg::EndReclamation { id: 2 },
        ExecuteMsg::Receive(ActReceiveMsg {
            sender: "s".into(),
            amount: Uint128::MAX,
            msg: hook,
        }),
        ExecuteMsg::Authority(AuthorityMsg::Propose {
            new_authority: "n".into(),
        }),
        ExecuteMsg::Authority(AuthorityMsg::Accept {}),
        ExecuteMsg::Authority(AuthorityMsg::Cancel {}),
        ExecuteMsg::SetPaused { paused: true },
        ExecuteMsg::UpdateConfig(ConfigUpdate {
            native_denoms: Some(vec!["uakt".into(), "ibc/X".into()]),
            act_ledger: Some("bme".into()),
            unbonding_period_s: Some(1),
            confirm_window_s: Some(2),
            cancel_fee_bps: Some(u16::MAX),
            slash_recipient: Some("t".into()),
            max_attestation_validity_s: Some(3),
        }),
        ExecuteMsg::UpdateConfig(ConfigUpdate::default()),
    ]
}

fn every_query_msg() -> Vec<QueryMsg> {
    let p = || "provider".to_string();
    vec![
        QueryMsg::Config {},
        QueryMsg::Host {
            provider: p(),
            host_id: "h".into(),
        },
        QueryMsg::HostsByProvider {
            provider: p(),
            start_after: Some("h".into()),
            limit: Some(u32::MAX),
        },
        QueryMsg::HostsByProvider {
            provider: p(),
            start_after: None,
            limit: None,
        },
        QueryMsg::HostsByGpuModel {
            gpu_model: "h100".into(),
            start_after: Some((p(), "h".into())),
            limit: Some(3),
        },
        QueryMsg::AttestedHosts {
            start_after: Some((u64::MAX, p(), "h".into())),
            limit: None,
        },
        QueryMsg::AttestedHosts {
            start_after: None,
            limit: Some(0),
        },
        QueryMsg::Availability {
            provider: p(),
            host_id: "h".into(),
            start: 1,
            end: 2,
        },
        QueryMsg::Reservation { id: 9 },
        QueryMsg::ReservationsByTenant {
            tenant: "t".into(),
            start_after: Some(4),
            limit: Some(5),
        },
        QueryMsg::ReservationsByProvider {
            provider: p(),
            start_after: None,
            limit: None,
        },
        QueryMsg::ReservationsByHost {
            provider: p(),
            host_id: "h".into(),
            start_after: Some(0),
            limit: None,
        },
        QueryMsg::Bond { provider: p() },
        QueryMsg::Bonds {
            start_after: Some(p()),
            limit: Some(1),
        },
        QueryMsg::Auditors {
            start_after: None,
            limit: None,
        },
        QueryMsg::VerifiedWork {
            provider: p(),
            denom: "uakt".into(),
            gpu_model: "h100".into(),
            from_height: 0,
            to_height: u64::MAX,
        },
    ]
}

#[test]
fn every_message_reads_back_what_serde_writes() {
    let executes = every_execute_msg();
    executes.iter().for_each(round_trip);
    every_query_msg().iter().for_each(round_trip);
    round_trip(&ReceiveHook::Reserve(reserve_msg(true)));
    round_trip(&MigrateMsg {});
    round_trip(&InstantiateMsg {
        authority: "gov".into(),
        native_denoms: vec![],
        act_ledger: None,
        bond_denom: "uakt".into(),
        unbonding_period_s: 1,
        confirm_window_s: 2,
        cancel_fee_bps: 3,
        slash_recipient: "t".into(),
        max_attestation_validity_s: Some(4),
    });
    // The ACT hook inside `receive` decodes too.
    let ExecuteMsg::Receive(receive) = &executes[20] else {
        panic!("sample order changed");
    };
    assert_eq!(
        from_json::<ReceiveHook>(&receive.msg).unwrap(),
        ReceiveHook::Reserve(reserve_msg(true))
    );
}

/// Each message name of the JSON schema decodes (a name the decoder lacks would be an unknown
/// variant) and the samples above cover every one.
#[test]
fn every_schema_message_name_decodes() {
    let cases = [
        (
            schema_tags(schema_for!(ExecuteMsg)),
            every_execute_msg()
                .iter()
                .map(tag_of)
                .collect::<BTreeSet<_>>(),
        ),
        (
            schema_tags(schema_for!(QueryMsg)),
            every_query_msg().iter().map(tag_of).collect(),
        ),
    ];
    for (schema, samples) in cases {
        assert_eq!(schema, samples);
    }
}

/// What serde's derive accepted beyond what `Serialize` writes is still accepted: absent
/// `Option`s and `#[serde(default)]` fields, `null` for an `Option`, and unknown fields.
#[test]
fn lenient_inputs_are_still_accepted() {
    let msg: ExecuteMsg =
        from_json(r#"{"reserve":{"provider":"p","host_id":"h","start":1,"end":2}}"#).unwrap();
    assert_eq!(
        msg,
        ExecuteMsg::Reserve(ReserveMsg {
            provider: "p".into(),
            host_id: "h".into(),
            start: 1,
            end: 2,
            require_attestation: false,
        })
    );
    let msg: ExecuteMsg = from_json(r#"{"cancel":{"id":1,"reason":null}}"#).unwrap();
    assert_eq!(
        msg,
        ExecuteMsg::Cancel {
            id: 1,
            reason: None
        }
    );
    let msg: ExecuteMsg = from_json(r#"{"cancel":{"id":1}}"#).unwrap();
    assert_eq!(
        msg,
        ExecuteMsg::Cancel {
            id: 1,
            reason: None
        }
    );
    let msg: ExecuteMsg =
        from_json(r#"{"confirm":{"extra":[1,{"a":null},-2.5,"x"],"id":7,"more":true}}"#).unwrap();
    assert_eq!(msg, ExecuteMsg::Confirm { id: 7 });
    let msg: QueryMsg = from_json(r#" { "bonds" : { } } "#).unwrap();
    assert_eq!(
        msg,
        QueryMsg::Bonds {
            start_after: None,
            limit: None
        }
    );
    let msg: ExecuteMsg = from_json(r#"{"post_bond":{"ignored":1}}"#).unwrap();
    assert_eq!(msg, ExecuteMsg::PostBond {});
    let mut host = host_msg(vec![], None);
    host.require_attestation = false;
    let json = r#"{"register_host":{"host_id":"h-1.a_b","gpu_model":"h100","gpu_count":4294967295,"cpu":64,"memory":18446744073709551615,"bare_metal":true,"price_per_hour":{"denom":"ibc/ABC","amount":"340282366920938463463374607431768211455"}}}"#;
    assert_eq!(
        from_json::<ExecuteMsg>(json).unwrap(),
        ExecuteMsg::RegisterHost(host)
    );
}

/// The error text of decoding `json` as `T`.
fn error<T: DeserializeOwned + Debug>(json: &str) -> String {
    from_json::<T>(json).unwrap_err().to_string()
}

/// Malformed messages are refused with serde-like texts naming the field.
#[test]
fn malformed_messages_are_refused_with_the_field_named() {
    let cases: &[(&str, &str)] = &[
        (r#"{"confirm":{}}"#, "missing field `id`"),
        (r#"{"confirm":{"id":1,"id":2}}"#, "duplicate field `id`"),
        (
            r#"{"confirm":{"id":"1"}}"#,
            "id: invalid type: a string, expected an unsigned integer",
        ),
        (r#"{"confirm":{"id":-1}}"#, "id: invalid type: a number"),
        (r#"{"confirm":{"id":1.5}}"#, "id: invalid type: a number"),
        (
            r#"{"confirm":{"id":18446744073709551616}}"#,
            "id: invalid type: a number",
        ),
        (r#"{"confirm":{"id":null}}"#, "id: invalid type: null"),
        (r#"{"nope":{}}"#, "unknown variant `nope`"),
        (
            r#"{"confirm":{"id":1},"claim":{"id":1}}"#,
            "exactly one key",
        ),
        (
            r#""post_bond""#,
            "invalid type: a string, expected an object",
        ),
        (
            r#"{"confirm":[1]}"#,
            "invalid type: an array, expected an object",
        ),
        (
            r#"{"request_bond_withdrawal":{"amount":12}}"#,
            "amount: invalid type: a number, expected a string",
        ),
        (
            r#"{"request_bond_withdrawal":{"amount":"-1"}}"#,
            "amount: invalid value",
        ),
        (
            r#"{"record_attestation":{"provider":"p","host_id":"h","tee":"sgx","report_hash":"x","expires_at":1}}"#,
            "tee: invalid value: \"sgx\"",
        ),
        (
            r#"{"register_host":{"host_id":"h","gpu_model":"m","gpu_count":4294967296,"cpu":1,"memory":1,"bare_metal":true,"price_per_hour":{"denom":"u","amount":"1"}}}"#,
            "gpu_count: invalid value: \"4294967296\", expected an integer up to 4294967295",
        ),
        (
            r#"{"register_host":{"host_id":"h","gpu_model":"m","gpu_count":1,"cpu":1,"memory":1,"bare_metal":true,"price_per_hour":{"denom":"u","amount":5}}}"#,
            "price_per_hour: amount: invalid type: a number",
        ),
        (
            r#"{"update_config":{"cancel_fee_bps":65536}}"#,
            "cancel_fee_bps: invalid value: \"65536\", expected an integer up to 65535",
        ),
        (
            r#"{"receive":{"sender":"s","amount":"1","msg":"!!"}}"#,
            "msg: invalid value: \"!!\", expected base64",
        ),
        (r#"{"authority":{"resign":{}}}"#, "unknown variant `resign`"),
        (r#"{"confirm":{"id":1}"#, "EOF while parsing"),
    ];
    for (json, expected) in cases {
        let e = error::<ExecuteMsg>(json);
        assert!(e.contains(expected), "{json}: {e}");
    }
    let e = error::<QueryMsg>(r#"{"attested_hosts":{"start_after":[1,"p"]}}"#);
    assert!(
        e.contains("start_after: invalid type: an array, expected an array of 3 items"),
        "{e}"
    );
    let e = error::<QueryMsg>(r#"{"attested_hosts":{"start_after":["1","p","h"]}}"#);
    assert!(
        e.contains("start_after: invalid type: a string, expected an unsigned integer"),
        "{e}"
    );
}

/// The string enums serialize as their names, exactly as the derived `Serialize` did.
#[test]
fn names_serialize_as_before() {
    assert_eq!(
        to_json_string(&Status::Reclaiming).unwrap(),
        r#""reclaiming""#
    );
    assert_eq!(to_json_string(&Phase::Expired).unwrap(), r#""expired""#);
    assert_eq!(Phase::Active.as_str(), "active");
}
