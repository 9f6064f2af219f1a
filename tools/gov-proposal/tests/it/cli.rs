//! The binary end to end on fake artifacts: store-code, instantiate, migrate, and refusals.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{artifacts_dir, AKASH_GOV};
use gov_proposal::proposal::Proposal;
use gov_proposal::suite::Deployment;

fn run(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gov-proposal"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn writes_all_three_proposals() {
    let tmp = artifacts_dir();
    let dir = tmp.path();
    let art = dir.to_str().unwrap();
    let relayer = common::account(1);
    let treasury = common::account(2);

    let (ok, out, err) = run(
        dir,
        &["store-code", "--artifacts", art, "--out", "p/store.json"],
    );
    assert!(ok, "{err}");
    assert!(out.contains("wrote p/store.json (5 messages"), "{out}");
    let store = Proposal::read(&dir.join("p/store.json")).unwrap();
    assert_eq!(store.messages.len(), 5);

    let (ok, out, err) = run(
        dir,
        &[
            "instantiate",
            "--artifacts",
            art,
            "--out",
            "p/inst.json",
            "--first-code-id",
            "7",
            "--relayer",
            &relayer,
            "--treasury",
            &treasury,
            "--with-test-contracts",
        ],
    );
    assert!(ok, "{err}");
    let inst = Proposal::read(&dir.join("p/inst.json")).unwrap();
    assert_eq!(inst.messages.len(), 6);
    let deployment = Deployment::read(&dir.join("p/deployment.json")).unwrap();
    assert_eq!(
        deployment.authority, AKASH_GOV,
        "default authority is the gov module account"
    );
    // Code ids follow the store order: bme 7, escrow 8, oracle 9, pip 10, reservations 11, mock 12.
    let ids: Vec<(String, u64)> = deployment
        .contracts
        .iter()
        .map(|c| (c.name.clone(), c.code_id))
        .collect();
    assert!(
        ids.contains(&("bme".into(), 7)) && ids.contains(&("mock_pyth".into(), 12)),
        "{ids:?}"
    );
    assert!(out.contains(deployment.address("escrow").unwrap()), "{out}");

    let (ok, _, err) = run(
        dir,
        &[
            "migrate",
            "--artifacts",
            art,
            "--out",
            "p/mig.json",
            "--deployment",
            "p/deployment.json",
            "--code-id",
            "escrow=20",
            "--code-id",
            "pip=21",
        ],
    );
    assert!(ok, "{err}");
    let mig = serde_json::to_value(Proposal::read(&dir.join("p/mig.json")).unwrap()).unwrap();
    let msgs = mig["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 2);
    assert_eq!(msgs[0]["contract"], deployment.address("escrow").unwrap());
    assert_eq!(msgs[0]["code_id"], "20");
}

#[test]
fn refusals_exit_non_zero_with_a_reason() {
    let tmp = artifacts_dir();
    let dir = tmp.path();
    let art = dir.to_str().unwrap();
    std::fs::write(dir.join("pip.wasm"), common::fake_wasm("other", 4096)).unwrap();
    let (ok, _, err) = run(dir, &["store-code", "--artifacts", art]);
    assert!(!ok);
    assert!(
        err.contains("checksum mismatch") && err.contains("pip.wasm"),
        "{err}"
    );
    assert!(!dir.join("artifacts/proposals/store-code.json").exists());

    let (ok, _, err) = run(
        dir,
        &[
            "instantiate",
            "--artifacts",
            art,
            "--relayer",
            "x",
            "--treasury",
            "y",
        ],
    );
    assert!(!ok);
    assert!(err.contains("--first-code-id"), "{err}");

    let (ok, _, err) = run(
        dir,
        &[
            "instantiate",
            "--artifacts",
            art,
            "--code-id",
            "mock_pyth=3",
            "--relayer",
            "x",
            "--treasury",
            "y",
        ],
    );
    assert!(!ok);
    assert!(err.contains("--with-test-contracts"), "{err}");

    let (ok, _, err) = run(
        dir,
        &["migrate", "--artifacts", art, "--first-code-id", "3"],
    );
    assert!(!ok);
    assert!(err.contains("--deployment"), "{err}");
}
