//! The suite plan: order, typed messages, wiring through predicted addresses, refusals.

use crate::common;

use std::collections::BTreeMap;

use common::{cfg, codes};
use gov_proposal::address;
use gov_proposal::suite::{
    self, plan_suite, predict_address, Deployment, Instantiation, PythFeed, AKT_USD_FEED_ID,
    ORACLE_PAIR,
};

fn by_name(plan: &[Instantiation]) -> BTreeMap<&str, &Instantiation> {
    plan.iter().map(|i| (i.name.as_str(), i)).collect()
}

fn addr<'a>(plan: &'a [Instantiation], name: &str) -> &'a str {
    &plan.iter().find(|i| i.name == name).unwrap().address
}

/// Every string in `v`, recursively.
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(m) => m.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

#[test]
fn plan_order_salts_labels_and_addresses() {
    let cfg = cfg();
    let codes = codes(false);
    let plan = plan_suite(&cfg, &codes).unwrap();
    let names: Vec<&str> = plan.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["oracle", "bme", "escrow", "reservations", "pip"]);
    for i in &plan {
        let code = codes.iter().find(|c| c.name == i.name).unwrap();
        assert_eq!(i.code_id, code.code_id);
        assert_eq!(i.salt, format!("supercloud-test/{}", i.name).into_bytes());
        assert_eq!(i.label, format!("supercloud-test/{}", i.name));
        assert_eq!(i.admin, cfg.authority);
        assert_eq!(
            i.address,
            predict_address("akash", &code.checksum, &cfg.authority, &i.salt).unwrap()
        );
        // Contract addresses are 32 bytes (instantiate2), accounts 20.
        assert_eq!(address::validate(&i.address, "akash").unwrap().len(), 32);
    }
    let distinct: std::collections::BTreeSet<_> = plan.iter().map(|i| &i.address).collect();
    assert_eq!(distinct.len(), plan.len());
    // Deterministic, and the salt tag separates deployments.
    assert_eq!(plan, plan_suite(&cfg, &codes).unwrap());
    let other = plan_suite(
        &suite::SuiteConfig {
            salt_tag: "other".into(),
            ..cfg.clone()
        },
        &codes,
    )
    .unwrap();
    for (a, b) in plan.iter().zip(&other) {
        assert_ne!(a.address, b.address);
    }
}

#[test]
fn messages_deserialize_into_the_contracts_instantiate_msgs() {
    let cfg = cfg();
    let plan = plan_suite(&cfg, &codes(true)).unwrap();
    let p = by_name(&plan);
    let gov = cfg.authority.as_str();

    let m: mock_pyth::msg::InstantiateMsg =
        serde_json::from_value(p["mock_pyth"].msg.clone()).unwrap();
    assert_eq!(
        (m.authority.as_str(), m.publisher.as_str()),
        (gov, cfg.relayer.as_str())
    );

    let o: oracle::msg::InstantiateMsg = serde_json::from_value(p["oracle"].msg.clone()).unwrap();
    assert_eq!(o.authority, gov);
    assert!(o.limits.is_none());
    assert_eq!(o.sources.len(), 2);

    let b: bme::msg::InstantiateMsg = serde_json::from_value(p["bme"].msg.clone()).unwrap();
    assert_eq!(b.authority, gov);
    assert_eq!(b.pair.as_deref(), Some(ORACLE_PAIR));
    assert_eq!(ORACLE_PAIR, bme::contract::DEFAULT_PAIR);

    let e: escrow::msg::InstantiateMsg = serde_json::from_value(p["escrow"].msg.clone()).unwrap();
    assert_eq!(e.authority, gov);
    assert_eq!(e.native_denoms, ["uakt"]);
    assert_eq!(e.grace_period_blocks, suite::ESCROW_GRACE_PERIOD_BLOCKS);

    let r: reservations::msg::InstantiateMsg =
        serde_json::from_value(p["reservations"].msg.clone()).unwrap();
    assert_eq!(r.authority, gov);
    assert_eq!(r.bond_denom, "uakt");
    assert_eq!(r.slash_recipient, cfg.treasury);

    let q: pip::msg::InstantiateMsg = serde_json::from_value(p["pip"].msg.clone()).unwrap();
    assert_eq!(q.authority, gov);
    assert_eq!(q.default_return_address, cfg.treasury);
    assert_eq!(q.community_pool_allowed, Some(false));
    assert_eq!(q.oracle_pair.as_deref(), Some(ORACLE_PAIR));
}

#[test]
fn wiring_refers_to_predicted_addresses() {
    let cfg = cfg();
    let plan = plan_suite(&cfg, &codes(true)).unwrap();
    let p = by_name(&plan);

    let b: bme::msg::InstantiateMsg = serde_json::from_value(p["bme"].msg.clone()).unwrap();
    assert_eq!(b.oracle, addr(&plan, "oracle"));
    assert_eq!(
        b.allow_list,
        [addr(&plan, "escrow"), addr(&plan, "reservations")]
    );

    let e: escrow::msg::InstantiateMsg = serde_json::from_value(p["escrow"].msg.clone()).unwrap();
    assert_eq!(e.act_ledger.as_deref(), Some(addr(&plan, "bme")));

    let r: reservations::msg::InstantiateMsg =
        serde_json::from_value(p["reservations"].msg.clone()).unwrap();
    assert_eq!(r.act_ledger.as_deref(), Some(addr(&plan, "bme")));

    let q: pip::msg::InstantiateMsg = serde_json::from_value(p["pip"].msg.clone()).unwrap();
    assert_eq!(q.escrow, addr(&plan, "escrow"));
    assert_eq!(q.oracle, addr(&plan, "oracle"));
    assert_eq!(q.reservations.as_deref(), Some(addr(&plan, "reservations")));

    let o: oracle::msg::InstantiateMsg = serde_json::from_value(p["oracle"].msg.clone()).unwrap();
    let kinds: Vec<_> = o
        .sources
        .iter()
        .map(|s| (s.pair.as_str(), s.source.as_str(), &s.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                ORACLE_PAIR,
                "relayer",
                &oracle::msg::SourceKindMsg::Pusher {
                    address: cfg.relayer.clone()
                }
            ),
            (
                ORACLE_PAIR,
                "pyth",
                &oracle::msg::SourceKindMsg::Pyth {
                    contract: addr(&plan, "mock_pyth").to_string(),
                    feed_id: AKT_USD_FEED_ID.to_string()
                }
            ),
        ]
    );

    // Catch-all: every address-looking string in any message is a predicted contract or one of
    // the configured accounts, so nothing points at a stale or made-up address.
    let predicted: Vec<&str> = plan.iter().map(|i| i.address.as_str()).collect();
    let accounts = [
        cfg.authority.as_str(),
        cfg.relayer.as_str(),
        cfg.treasury.as_str(),
    ];
    let mut referenced = 0;
    for i in &plan {
        let mut all = Vec::new();
        strings(&i.msg, &mut all);
        for s in all.iter().filter(|s| s.starts_with("akash1")) {
            let bytes = address::validate(s, "akash").unwrap();
            if bytes.len() == 32 {
                assert!(
                    predicted.contains(&s.as_str()),
                    "{}: {s} is not predicted",
                    i.name
                );
                assert_ne!(s, &i.address, "{} refers to itself", i.name);
                referenced += 1;
            } else {
                assert!(
                    accounts.contains(&s.as_str()),
                    "{}: unexpected account {s}",
                    i.name
                );
            }
        }
    }
    // oracle->mock, bme->oracle/escrow/reservations, escrow->bme, reservations->bme, pip->3.
    assert_eq!(referenced, 1 + 3 + 1 + 1 + 3);
}

#[test]
fn pyth_source_choice() {
    let external = PythFeed {
        contract: common::account(9),
        feed_id: format!("0x{}", AKT_USD_FEED_ID.to_uppercase()),
    };
    let pyth_of = |plan: &[Instantiation]| {
        let o: oracle::msg::InstantiateMsg =
            serde_json::from_value(by_name(plan)["oracle"].msg.clone()).unwrap();
        o.sources
            .into_iter()
            .find(|s| s.source == "pyth")
            .map(|s| s.kind)
    };
    // No Pyth configured and no mock: pusher only.
    assert_eq!(pyth_of(&plan_suite(&cfg(), &codes(false)).unwrap()), None);
    // External Pyth: its contract, feed id normalised as the oracle stores it.
    let with_pyth = suite::SuiteConfig {
        pyth: Some(external.clone()),
        ..cfg()
    };
    assert_eq!(
        pyth_of(&plan_suite(&with_pyth, &codes(false)).unwrap()),
        Some(oracle::msg::SourceKindMsg::Pyth {
            contract: external.contract.clone(),
            feed_id: AKT_USD_FEED_ID.into()
        })
    );
    // mock-pyth in the plan wins over the external contract; the configured feed id is kept.
    let plan = plan_suite(&with_pyth, &codes(true)).unwrap();
    assert_eq!(plan[0].name, "mock_pyth");
    assert_eq!(
        pyth_of(&plan),
        Some(oracle::msg::SourceKindMsg::Pyth {
            contract: addr(&plan, "mock_pyth").into(),
            feed_id: AKT_USD_FEED_ID.into()
        })
    );
}

#[test]
fn refusals() {
    let err = |cfg: &suite::SuiteConfig, codes: &[suite::CodeRef]| {
        plan_suite(cfg, codes).unwrap_err().to_string()
    };
    let mut no_pip = codes(false);
    no_pip.retain(|c| c.name != "pip");
    assert!(err(&cfg(), &no_pip).contains("no code for pip"));
    let mut dup = codes(false);
    dup.push(dup[0].clone());
    assert!(err(&cfg(), &dup).contains("given twice"));
    let mut unknown = codes(false);
    unknown[0].name = "escrw".into();
    assert!(err(&cfg(), &unknown).contains("unknown contract `escrw`"));
    let long = suite::SuiteConfig {
        salt_tag: "x".repeat(60),
        ..cfg()
    };
    assert!(err(&long, &codes(false)).contains("at most 64"));
    let wrong_prefix = suite::SuiteConfig {
        relayer: address::encode("cosmos", &[1; 20]).unwrap(),
        ..cfg()
    };
    assert!(err(&wrong_prefix, &codes(false)).contains("relayer"));
    let bad_feed = suite::SuiteConfig {
        pyth: Some(PythFeed {
            contract: common::account(9),
            feed_id: "abc".into(),
        }),
        ..cfg()
    };
    assert!(err(&bad_feed, &codes(false)).contains("64 hex"));
    let bad_denom = suite::SuiteConfig {
        native_denom: "u".into(),
        ..cfg()
    };
    assert!(err(&bad_denom, &codes(false)).contains("denom"));
}

#[test]
fn migrate_msgs_are_the_contracts_migrate_msgs() {
    let _: escrow::msg::MigrateMsg =
        serde_json::from_value(suite::migrate_msg("escrow").unwrap()).unwrap();
    let _: oracle::msg::MigrateMsg =
        serde_json::from_value(suite::migrate_msg("oracle").unwrap()).unwrap();
    let _: bme::msg::MigrateMsg =
        serde_json::from_value(suite::migrate_msg("bme").unwrap()).unwrap();
    let _: pip::msg::MigrateMsg =
        serde_json::from_value(suite::migrate_msg("pip").unwrap()).unwrap();
    let _: reservations::msg::MigrateMsg =
        serde_json::from_value(suite::migrate_msg("reservations").unwrap()).unwrap();
    let _: mock_pyth::msg::MigrateMsg =
        serde_json::from_value(suite::migrate_msg("mock_pyth").unwrap()).unwrap();
    assert!(suite::migrate_msg("nope").is_err());
}

#[test]
fn deployment_record_round_trips() {
    let cfg = cfg();
    let codes = codes(true);
    let plan = plan_suite(&cfg, &codes).unwrap();
    let d = Deployment::from_plan(&cfg, &codes, &plan).unwrap();
    assert_eq!(d.address("bme"), Some(addr(&plan, "bme")));
    assert_eq!(d.contracts.len(), 6);
    assert_eq!(
        d.contracts[1].checksum,
        hex::encode(common::checksum_of("oracle"))
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deployment.json");
    d.write(&path).unwrap();
    assert_eq!(Deployment::read(&path).unwrap(), d);
}
