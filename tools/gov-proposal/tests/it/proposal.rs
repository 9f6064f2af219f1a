//! Artifact verification and the proposal JSON: exact proto-JSON field names, the gov v1
//! envelope, refusals, base64/gzip round trips, and the real artifacts when they are built.

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use common::{artifacts_dir, cfg, codes, fake_wasm, write_artifacts, AKASH_GOV};
use gov_proposal::artifacts::{self, MAX_WASM_SIZE};
use gov_proposal::proposal::{self, Proposal, ProposalText, StoreOptions};
use gov_proposal::suite::{self, plan_suite, Migration};
use serde_json::Value;

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

fn set<'a>(k: &[&'a str]) -> BTreeSet<&'a str> {
    k.iter().copied().collect()
}

fn json(p: &Proposal) -> Value {
    serde_json::from_str(&p.to_json().unwrap()).unwrap()
}

fn assert_envelope(v: &Value) {
    // cosmos-sdk x/gov/client/cli/util.go `proposal` (v0.50-0.53).
    assert_eq!(
        keys(v),
        set(&[
            "messages",
            "metadata",
            "deposit",
            "title",
            "summary",
            "expedited"
        ])
    );
    assert_eq!(v["expedited"], false);
    assert_eq!(v["deposit"], proposal::DEFAULT_DEPOSIT);
    assert!(v["messages"].as_array().is_some_and(|m| !m.is_empty()));
}

#[test]
fn artifacts_load_in_list_order_with_checksums() {
    let dir = artifacts_dir();
    let gov = artifacts::load_artifacts(dir.path(), false).unwrap();
    let names: Vec<_> = gov.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["bme", "escrow", "oracle", "pip", "reservations"]);
    for a in &gov {
        assert_eq!(a.wasm, fake_wasm(&a.name, 4096));
        assert_eq!(a.checksum_hex(), common::sha256_hex(&a.wasm));
    }
    let all = artifacts::load_artifacts(dir.path(), true).unwrap();
    assert_eq!(all.last().unwrap().name, "mock_pyth");
}

#[test]
fn checksum_mismatch_is_refused() {
    let dir = artifacts_dir();
    // The file changes after the list was written: a rebuild that does not reproduce.
    std::fs::write(
        dir.path().join("escrow.wasm"),
        fake_wasm("escrow-tampered", 4096),
    )
    .unwrap();
    let err = format!(
        "{:#}",
        artifacts::load_artifacts(dir.path(), false).unwrap_err()
    );
    assert!(err.contains("checksum mismatch"), "{err}");
    assert!(err.contains("escrow.wasm"), "{err}");
    assert!(
        err.contains(&common::sha256_hex(&fake_wasm("escrow", 4096))),
        "{err}"
    );
}

#[test]
fn oversize_is_refused_even_with_a_matching_checksum() {
    let dir = tempfile::tempdir().unwrap();
    write_artifacts(
        dir.path(),
        "checksums.txt",
        &[("escrow", fake_wasm("escrow", MAX_WASM_SIZE + 1))],
    );
    let err = format!(
        "{:#}",
        artifacts::load_artifacts(dir.path(), false).unwrap_err()
    );
    assert!(
        err.contains("exceeds wasmd's MaxWasmSize of 819200 bytes"),
        "{err}"
    );
    // Exactly at the limit is fine.
    write_artifacts(
        dir.path(),
        "checksums.txt",
        &[("escrow", fake_wasm("escrow", MAX_WASM_SIZE))],
    );
    assert_eq!(
        artifacts::load_artifacts(dir.path(), false).unwrap()[0]
            .wasm
            .len(),
        MAX_WASM_SIZE
    );
    // And the proposal builder refuses an oversize artifact handed to it directly.
    let big = artifacts::Artifact {
        name: "escrow".into(),
        path: "escrow.wasm".into(),
        wasm: fake_wasm("escrow", MAX_WASM_SIZE + 1),
        checksum: artifacts::sha256(&fake_wasm("escrow", MAX_WASM_SIZE + 1)),
    };
    let opts = StoreOptions {
        max_tx_bytes: usize::MAX,
        ..StoreOptions::default()
    };
    let err = proposal::store_code_proposal(&[big], AKASH_GOV, &opts, &ProposalText::default())
        .unwrap_err();
    assert!(err.to_string().contains("MaxWasmSize"), "{err}");
}

#[test]
fn bad_artifacts_and_lists_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    write_artifacts(
        dir.path(),
        "checksums.txt",
        &[("escrow", b"not wasm at all".to_vec())],
    );
    let err = format!(
        "{:#}",
        artifacts::load_artifacts(dir.path(), false).unwrap_err()
    );
    assert!(err.contains("not a wasm module"), "{err}");

    std::fs::remove_file(dir.path().join("escrow.wasm")).unwrap();
    let err = format!(
        "{:#}",
        artifacts::load_artifacts(dir.path(), false).unwrap_err()
    );
    assert!(err.contains("build the artifacts"), "{err}");

    let h = "0".repeat(64);
    assert!(artifacts::parse_checksum_list(&format!("{h}  ../escrow.wasm\n"), "x").is_err());
    assert!(artifacts::parse_checksum_list(&format!("{h}  escrow.txt\n"), "x").is_err());
    assert!(artifacts::parse_checksum_list(&format!("{h}  a.wasm\n{h}  a.wasm\n"), "x").is_err());
    assert!(artifacts::load_artifacts(tempfile::tempdir().unwrap().path(), false).is_err());
}

#[test]
fn store_code_json_has_the_proto_field_names() {
    let dir = artifacts_dir();
    let loaded = artifacts::load_artifacts(dir.path(), false).unwrap();
    for gzip in [true, false] {
        let opts = StoreOptions {
            gzip,
            ..StoreOptions::default()
        };
        let p = proposal::store_code_proposal(&loaded, AKASH_GOV, &opts, &ProposalText::default())
            .unwrap();
        let v = json(&p);
        assert_envelope(&v);
        let msgs = v["messages"].as_array().unwrap();
        assert_eq!(msgs.len(), loaded.len());
        for (m, a) in msgs.iter().zip(&loaded) {
            assert_eq!(
                keys(m),
                set(&[
                    "@type",
                    "sender",
                    "wasm_byte_code",
                    "instantiate_permission"
                ])
            );
            assert_eq!(m["@type"], "/cosmwasm.wasm.v1.MsgStoreCode");
            assert_eq!(m["sender"], AKASH_GOV);
            let perm = &m["instantiate_permission"];
            assert_eq!(keys(perm), set(&["permission", "addresses"]));
            // wasmd's AccessType JSON: its UnmarshalJSONPB only knows "AnyOfAddresses"; the proto
            // name would decode as Unspecified and fail ValidateBasic.
            assert_eq!(perm["permission"], "AnyOfAddresses");
            assert_ne!(perm["permission"], "ACCESS_TYPE_ANY_OF_ADDRESSES");
            assert_eq!(perm["addresses"], serde_json::json!([AKASH_GOV]));
            // base64 round trip, through gzip when used, gives the verified bytes back.
            let bytes = STANDARD
                .decode(m["wasm_byte_code"].as_str().unwrap())
                .unwrap();
            assert_eq!(bytes.starts_with(&[0x1f, 0x8b, 0x08]), gzip);
            assert_eq!(artifacts::decode_wasm_byte_code(&bytes).unwrap(), a.wasm);
            assert!(
                p.summary.contains(&a.checksum_hex()),
                "summary lists {}",
                a.name
            );
        }
        assert!(p.title.contains("bme, escrow, oracle, pip, reservations"));
        // The typed form reads back what was written.
        assert_eq!(serde_json::from_value::<Proposal>(v).unwrap(), p);
    }
}

#[test]
fn gzip_is_deterministic_and_smaller() {
    let wasm = fake_wasm("escrow", 100_000);
    let a = artifacts::encode_wasm_byte_code(&wasm, true).unwrap();
    assert_eq!(a, artifacts::encode_wasm_byte_code(&wasm, true).unwrap());
    assert!(a.len() < wasm.len() / 10);
    assert_eq!(
        artifacts::encode_wasm_byte_code(&wasm, false).unwrap(),
        wasm
    );
    // A gzip bomb beyond the wasmd limit is refused when decoding.
    let bomb = artifacts::encode_wasm_byte_code(&vec![0u8; MAX_WASM_SIZE + 10], true).unwrap();
    assert!(artifacts::decode_wasm_byte_code(&bomb).is_err());
}

#[test]
fn store_code_refuses_a_transaction_too_large_to_broadcast() {
    let dir = artifacts_dir();
    let loaded = artifacts::load_artifacts(dir.path(), false).unwrap();
    let opts = StoreOptions {
        gzip: false,
        max_tx_bytes: 20_000,
    };
    let err = proposal::store_code_proposal(&loaded, AKASH_GOV, &opts, &ProposalText::default())
        .unwrap_err();
    assert!(err.to_string().contains("max_tx_bytes"), "{err}");
    let mut tampered = loaded.clone();
    tampered[0].wasm.push(0);
    let err = proposal::store_code_proposal(
        &tampered,
        AKASH_GOV,
        &StoreOptions::default(),
        &ProposalText::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("does not match"), "{err}");
}

#[test]
fn instantiate_json_has_the_proto_field_names() {
    let cfg = cfg();
    let codes = codes(true);
    let plan = plan_suite(&cfg, &codes).unwrap();
    let p =
        proposal::instantiate_proposal(&plan, &codes, AKASH_GOV, &ProposalText::default()).unwrap();
    let v = json(&p);
    assert_envelope(&v);
    let msgs = v["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), plan.len());
    for (m, i) in msgs.iter().zip(&plan) {
        assert_eq!(
            keys(m),
            set(&[
                "@type", "sender", "admin", "code_id", "label", "msg", "funds", "salt", "fix_msg"
            ])
        );
        assert_eq!(m["@type"], "/cosmwasm.wasm.v1.MsgInstantiateContract2");
        assert_eq!(m["sender"], AKASH_GOV);
        assert_eq!(m["admin"], AKASH_GOV);
        // uint64 as jsonpb writes it.
        assert_eq!(m["code_id"], Value::String(i.code_id.to_string()));
        assert_eq!(m["label"], i.label);
        // RawContractMessage is inline JSON, not a string or base64.
        assert!(m["msg"].is_object());
        assert_eq!(m["msg"], i.msg);
        assert_eq!(m["funds"], serde_json::json!([]));
        assert_eq!(m["fix_msg"], false);
        let salt = STANDARD.decode(m["salt"].as_str().unwrap()).unwrap();
        assert_eq!(salt, format!("supercloud-test/{}", i.name).into_bytes());
        assert!(p.summary.contains(&i.address));
    }
    assert!(p
        .summary
        .contains(&hex::encode(common::checksum_of("escrow"))));
    // A plan whose code is not among `codes` is refused (its checksum could not be listed).
    assert!(proposal::instantiate_proposal(
        &plan,
        &codes[..2],
        AKASH_GOV,
        &ProposalText::default()
    )
    .is_err());
}

#[test]
fn migrate_json_has_the_proto_field_names() {
    let plan = plan_suite(&cfg(), &codes(false)).unwrap();
    let migrations: Vec<Migration> = plan
        .iter()
        .enumerate()
        .map(|(n, i)| Migration {
            name: i.name.clone(),
            contract: i.address.clone(),
            code_id: 10 + n as u64,
        })
        .collect();
    let checksums = vec![("escrow".to_string(), [7u8; 32])];
    let p =
        proposal::migrate_proposal(&migrations, &checksums, AKASH_GOV, &ProposalText::default())
            .unwrap();
    let v = json(&p);
    assert_envelope(&v);
    for (m, g) in v["messages"].as_array().unwrap().iter().zip(&migrations) {
        assert_eq!(
            keys(m),
            set(&["@type", "sender", "contract", "code_id", "msg"])
        );
        assert_eq!(m["@type"], "/cosmwasm.wasm.v1.MsgMigrateContract");
        assert_eq!(m["sender"], AKASH_GOV);
        assert_eq!(m["contract"], g.contract);
        assert_eq!(m["code_id"], Value::String(g.code_id.to_string()));
        assert_eq!(m["msg"], serde_json::json!({}));
    }
    assert!(p.summary.contains(&hex::encode([7u8; 32])));
    let mut twice = migrations.clone();
    twice.push(migrations[0].clone());
    assert!(proposal::migrate_proposal(&twice, &[], AKASH_GOV, &ProposalText::default()).is_err());
}

#[test]
fn envelope_texts_and_deposit_are_validated_and_written() {
    let plan = plan_suite(&cfg(), &codes(false)).unwrap();
    let text = ProposalText {
        title: Some("Deploy".into()),
        summary: Some("Why.".into()),
        metadata: "ipfs://x".into(),
        deposit: "5000000uakt".into(),
        expedited: true,
    };
    let p = proposal::instantiate_proposal(&plan, &codes(false), AKASH_GOV, &text).unwrap();
    assert_eq!(p.title, "Deploy");
    assert!(
        p.summary.starts_with("Why.\n\n"),
        "the intro comes first, details follow"
    );
    assert!(p.summary.contains(&plan[0].address));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/instantiate.json");
    p.write(&path).unwrap();
    assert_eq!(Proposal::read(&path).unwrap(), p);

    for (deposit, ok) in [
        ("", true),
        ("1uakt,2ibc/ABC", true),
        ("uakt", false),
        ("10", false),
        ("10u", false),
        ("-1uakt", false),
    ] {
        assert_eq!(proposal::validate_deposit(deposit).is_ok(), ok, "{deposit}");
    }
    let bad = |t: ProposalText| {
        proposal::instantiate_proposal(&plan, &codes(false), AKASH_GOV, &t).is_err()
    };
    assert!(bad(ProposalText {
        deposit: "lots".into(),
        ..ProposalText::default()
    }));
    assert!(bad(ProposalText {
        title: Some(" ".into()),
        ..ProposalText::default()
    }));
    assert!(bad(ProposalText {
        metadata: "m".repeat(256),
        ..ProposalText::default()
    }));
}

/// The committed artifacts, when built: verified against checksums.txt and proposable in one
/// transaction. The fake-blob tests above always run; this one adds the real bytes.
#[test]
fn real_artifacts_when_built() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../artifacts");
    if !dir.join("escrow.wasm").exists() {
        eprintln!(
            "note: {} has no built wasm (scripts/build-wasm.sh); real-artifact check skipped",
            dir.display()
        );
        return;
    }
    let loaded = artifacts::load_artifacts(&dir, true).unwrap();
    let names: Vec<_> = loaded.iter().map(|a| a.name.as_str()).collect();
    for n in suite::GOVERNANCE_CONTRACTS
        .iter()
        .chain([&suite::MOCK_PYTH])
    {
        assert!(names.contains(n), "{n} missing from the checksum lists");
    }
    let gov: Vec<_> = loaded
        .into_iter()
        .filter(|a| a.name != suite::MOCK_PYTH)
        .collect();
    let p = proposal::store_code_proposal(
        &gov,
        AKASH_GOV,
        &StoreOptions::default(),
        &ProposalText::default(),
    )
    .unwrap();
    assert_eq!(p.messages.len(), suite::GOVERNANCE_CONTRACTS.len());
}
