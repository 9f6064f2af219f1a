//! Migration from the code built at 0.1.0 (the artifacts in `tests/fixtures/v0.1.0`, byte for byte
//! what main had: their sha256 are the checksums main committed) to this version's code, on both
//! backends: the old code runs as wasm, the new code as native Rust on one backend and as the
//! compiled artifact on the other, and the two runs must agree exactly.
//!
//! Escrow carries a state change (each payment's carried fraction, absent in 0.1.0 state): a
//! lease settled by the old code, migrated, then settled by the new code is charged exactly
//! `floor(rate × blocks)` for the blocks after the migration, and every coin is accounted for. An
//! account overdrawn under 0.1.0 (debt for every block until the overdraw was noticed) keeps at
//! most one block's dues of debt after the migration (`Payment::trim_legacy_debt`).

use cosmwasm_std::{coin, Addr, Decimal256, Uint256};
use cw_multi_test::Executor;
use escrow::msg::{ExecuteMsg as Escrow, Resources};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use supercloud_tests::backend::vm_runtime;
use supercloud_tests::{on_both_backends, Suite, AKT, START};

/// The governance artifacts and the test-only mock as main built them (artifacts/checksums*.txt
/// at 0.1.0).
const V010: [(&str, &str); 6] = [
    (
        "bme",
        "bb94e1d3cbfc969c418e1bd68f375e6778b75356ab77bbda1eae05c658e3cd20",
    ),
    (
        "escrow",
        "730f80a6f692c81c8250c8083179bda9f2e2ccfdda4bdf7e08ead71b19fb4756",
    ),
    (
        "mock_pyth",
        "08875ffd348f320a985aff4b0178ee93c0ecc97c0a7dd870f39c29f5db935d5f",
    ),
    (
        "oracle",
        "044cbf84525042d2917ecd3db526f3097da45f1f5ce070925a1225fa8fd7b521",
    ),
    (
        "pip",
        "1a4006dd5e14e757186f93f7bbbf562929b1ef8aec1e79b5b81765d1fedf5ca6",
    ),
    (
        "reservations",
        "aadf000ddd74d0a1a10022ac4071fa29b11b0b67cbd5a4f209d4d449b5ebfa19",
    ),
];

fn fixture(name: &str) -> anyhow::Result<Vec<u8>> {
    let path = format!("{}/fixtures/v0.1.0/{name}.wasm", env!("CARGO_MANIFEST_DIR"));
    let wasm = std::fs::read(&path)?;
    let expected = V010
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, h)| *h)
        .ok_or_else(|| anyhow::anyhow!("no fixture {name}"))?;
    anyhow::ensure!(
        hex::encode(Sha256::digest(&wasm)) == expected,
        "{path} is not the 0.1.0 artifact"
    );
    Ok(wasm)
}

/// Stores the 0.1.0 code of `name` in the suite's app; returns its code id.
fn store_old(s: &mut Suite, name: &str) -> anyhow::Result<u64> {
    let old = vm_runtime()?.load(&format!("{name}@0.1.0"), &fixture(name)?)?;
    Ok(s.app.store_code(Box::new(old)))
}

/// The cw2 version stored by a contract.
fn version(s: &Suite, addr: &Addr) -> anyhow::Result<String> {
    let raw = s
        .app
        .contract_storage(addr)
        .get(b"contract_info")
        .ok_or_else(|| anyhow::anyhow!("no cw2 info"))?;
    let v: Value = serde_json::from_slice(&raw)?;
    Ok(v["version"].as_str().unwrap_or_default().to_string())
}

fn escrow_flow(s: &mut Suite) -> anyhow::Result<()> {
    let gov = s.addr("gov");
    let old_code = store_old(s, "escrow")?;
    let escrow = s
        .app
        .instantiate_contract(
            old_code,
            gov.clone(),
            &json!({ "authority": gov, "native_denoms": [AKT], "grace_period_blocks": 100 }),
            &[],
            "escrow@0.1.0",
            Some(gov.to_string()),
        )
        .map_err(|e| anyhow::anyhow!("instantiate 0.1.0: {e}"))?;
    let (tenant, provider) = (s.addr("tenant"), s.addr("provider"));
    s.exec(
        "tenant",
        &escrow,
        &Escrow::OpenAccount {
            dseq: 1,
            denom: AKT.into(),
        },
        &[coin(1_000, AKT)],
    )
    .map_err(|e| anyhow::anyhow!("open: {e}"))?;
    s.exec(
        "tenant",
        &escrow,
        &Escrow::OpenPayment {
            dseq: 1,
            provider: provider.to_string(),
            rate: Decimal256::percent(250),
            resources: Resources {
                gpu_model: "h100".into(),
                gpu_count: 1,
            },
        },
        &[],
    )
    .map_err(|e| anyhow::anyhow!("pay: {e}"))?;
    let withdraw = Escrow::Withdraw {
        owner: tenant.to_string(),
        dseq: 1,
        payment_id: 0,
    };
    // Under 0.1.0, every per-block settlement floors 2.5 to 2: 3 blocks pay 6, not 7.
    for _ in 0..3 {
        s.advance(1)?;
        s.exec("provider", &escrow, &withdraw, &[])
            .map_err(|e| anyhow::anyhow!("old withdraw: {e}"))?;
    }
    let before = s.bank(&provider, AKT);
    assert_eq!(before, START + 6, "0.1.0 lost the half units");

    // Account 2 runs dry under 0.1.0, which charged debt for every block until someone
    // looked: 10 uakt at 3 per block cover 3 blocks, but a withdraw 20 blocks in books
    // 60 - 10 = 50 of debt (the rule since 0.2.0 books only the exhausting block's shortfall).
    let (tenant2, provider2) = (s.addr("tenant2"), s.addr("provider2"));
    let open2 = Escrow::OpenAccount {
        dseq: 2,
        denom: AKT.into(),
    };
    s.exec("tenant2", &escrow, &open2, &[coin(10, AKT)])
        .map_err(|e| anyhow::anyhow!("open 2: {e}"))?;
    let lease2 = Escrow::OpenPayment {
        dseq: 2,
        provider: provider2.to_string(),
        rate: Decimal256::from_ratio(3u8, 1u8),
        resources: Resources {
            gpu_model: "h100".into(),
            gpu_count: 1,
        },
    };
    s.exec("tenant2", &escrow, &lease2, &[])
        .map_err(|e| anyhow::anyhow!("pay 2: {e}"))?;
    s.advance(20)?;
    let withdraw2 = Escrow::Withdraw {
        owner: tenant2.to_string(),
        dseq: 2,
        payment_id: 0,
    };
    s.exec("provider2", &escrow, &withdraw2, &[])
        .map_err(|e| anyhow::anyhow!("old withdraw 2: {e}"))?;
    let payment2 = escrow::msg::QueryMsg::Payment {
        owner: tenant2.to_string(),
        dseq: 2,
        payment_id: 0,
    };
    let old: Value = s.q(&escrow, &payment2)?;
    assert_eq!(
        old["debt"],
        json!("50"),
        "0.1.0 charged until the overdraw was noticed"
    );

    let new_code = s.store("escrow")?;
    s.migrate("gov", &escrow, new_code, &json!({}))
        .map_err(|e| anyhow::anyhow!("migrate: {e}"))?;
    assert_eq!(version(s, &escrow)?, env!("CARGO_PKG_VERSION"));
    // The new code caps that debt at one block's dues, ceil(3) = 3: a top-up of 3 inside the
    // grace window revives the deployment, whenever the overdraw was noticed.
    let migrated: escrow::msg::PaymentResponse = s.q(&escrow, &payment2)?;
    assert_eq!(migrated.debt, Uint256::from(3u8));
    let top_up = Escrow::Deposit {
        owner: tenant2.to_string(),
        dseq: 2,
        amount: Uint256::from(3u8),
        sources: vec![],
    };
    s.exec("tenant2", &escrow, &top_up, &[coin(3, AKT)])
        .map_err(|e| anyhow::anyhow!("top-up 2: {e}"))?;
    let account2: escrow::msg::AccountResponse = s.q(
        &escrow,
        &escrow::msg::QueryMsg::Account {
            owner: tenant2.to_string(),
            dseq: 2,
        },
    )?;
    assert_eq!(account2.state, escrow::msg::AccountState::Open);
    let close2 = Escrow::CloseAccount {
        owner: tenant2.to_string(),
        dseq: 2,
    };
    s.exec("tenant2", &escrow, &close2, &[])
        .map_err(|e| anyhow::anyhow!("close 2: {e}"))?;
    assert_eq!(s.bank(&provider2, AKT), START + 10 + 3);
    assert_eq!(s.bank(&tenant2, AKT), START - 13);
    // The new code reads the old payment (no stored carry: zero) and charges every block in full:
    // the 20 blocks account 2 waited (account 1 was not touched in them) and 10 more.
    for _ in 0..10 {
        s.advance(1)?;
        s.exec("provider", &escrow, &withdraw, &[])
            .map_err(|e| anyhow::anyhow!("new withdraw: {e}"))?;
    }
    assert_eq!(s.bank(&provider, AKT), START + 6 + 75, "floor(2.5 × 30)");
    let payment: escrow::msg::PaymentResponse = s.q(
        &escrow,
        &escrow::msg::QueryMsg::Payment {
            owner: tenant.to_string(),
            dseq: 1,
            payment_id: 0,
        },
    )?;
    assert_eq!(payment.withdrawn, Uint256::from(81u32));
    s.exec(
        "tenant",
        &escrow,
        &Escrow::CloseAccount {
            owner: tenant.to_string(),
            dseq: 1,
        },
        &[],
    )
    .map_err(|e| anyhow::anyhow!("close: {e}"))?;
    assert_eq!(s.bank(&tenant, AKT), START - 81, "the rest came back");
    assert_eq!(s.bank(&escrow, AKT), 0, "nothing left behind");
    Ok(())
}

#[test]
fn escrow_state_from_0_1_0_migrates_and_charges_exactly_on_both_backends() {
    on_both_backends(
        "2.50",
        &["tenant", "provider", "tenant2", "provider2"],
        escrow_flow,
    )
    .unwrap();
}

/// The instantiate message each 0.1.0 contract took (its fields at that version).
fn old_instantiate(s: &Suite, name: &str) -> Value {
    let gov = s.addr("gov").to_string();
    let treasury = s.addr("treasury").to_string();
    match name {
        "mock_pyth" => json!({ "authority": gov, "publisher": s.addr("relayer") }),
        "oracle" => json!({ "authority": gov, "sources": [] }),
        "bme" => json!({ "authority": gov, "oracle": s.c.oracle, "allow_list": [] }),
        "escrow" => json!({ "authority": gov, "native_denoms": [AKT] }),
        "reservations" => json!({
            "authority": gov, "native_denoms": [AKT], "bond_denom": AKT,
            "unbonding_period_s": 604800, "confirm_window_s": 3600, "cancel_fee_bps": 500,
            "slash_recipient": treasury,
        }),
        "pip" => json!({
            "authority": gov, "escrow": s.c.escrow, "oracle": s.c.oracle,
            "default_return_address": treasury,
        }),
        _ => Value::Null,
    }
}

#[test]
fn every_contract_migrates_from_its_0_1_0_code_once_on_both_backends() {
    on_both_backends("2.50", &[], |s| {
        let gov = s.addr("gov");
        for (name, _) in V010 {
            let old = store_old(s, name)?;
            let msg = old_instantiate(s, name);
            let addr = s
                .app
                .instantiate_contract(old, gov.clone(), &msg, &[], name, Some(gov.to_string()))
                .map_err(|e| anyhow::anyhow!("instantiate {name}@0.1.0: {e}"))?;
            assert_eq!(version(s, &addr)?, "0.1.0", "{name}");
            let new = s.store(name)?;
            s.migrate("gov", &addr, new, &json!({}))
                .map_err(|e| anyhow::anyhow!("migrate {name}: {e}"))?;
            assert_eq!(version(s, &addr)?, env!("CARGO_PKG_VERSION"), "{name}");
            // The migrated contract answers with its 0.1.0 state.
            let cfg: Value = s.q(&addr, &json!({ "config": {} }))?;
            assert_eq!(cfg["authority"], json!(gov), "{name}: {cfg}");
            // Migrating again is a replay.
            assert!(s.migrate("gov", &addr, new, &json!({})).is_err(), "{name}");
        }
        Ok(())
    })
    .unwrap();
}
