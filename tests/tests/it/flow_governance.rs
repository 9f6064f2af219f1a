//! Governance on every contract of the suite, on both backends.
//!
//! - Authority handover is two-step on all six contracts: only the authority proposes, only the
//!   proposed address accepts, a cancelled proposal cannot be accepted, and after acceptance the
//!   old authority has no power left.
//! - Pause stops inflows but not exits: with escrow paused, accounts, deposits, allowances and
//!   leases are refused while withdrawals, closes, refunds and revocations go on; with bme paused,
//!   mint/burn/send/process are refused while escrow still pays out ACT through bme's `transfer`.
//! - Migrations (wasmd admin = gov) are versioned: the same code stored again is refused as a
//!   replay, an older code than the stored version as a downgrade, another contract's code as a
//!   different contract; a genuine upgrade runs once and is then refused as a replay.

use cosmwasm_std::{coin, Addr, Uint128, Uint256};
use escrow::msg::{ExecuteMsg as Escrow, ReceiveHook, Resources};
use serde_json::{json, Value};
use supercloud_events::{bme as bme_ev, escrow as escrow_ev, AuthorityChange};
use supercloud_tests::backend::CONTRACTS;
use supercloud_tests::events::{self, one, Governance};
use supercloud_tests::suite::FUNDED;
use supercloud_tests::{on_both_backends, Suite, AKT, START};

/// The new authority (a council multisig, say); it holds no funds.
const COUNCIL: &str = "council";

fn contract(s: &Suite, name: &str) -> anyhow::Result<Addr> {
    s.c.all()
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, a)| (*a).clone())
        .ok_or_else(|| anyhow::anyhow!("no contract {name}"))
}

fn authority(s: &Suite, addr: &Addr) -> anyhow::Result<(String, Option<String>)> {
    let cfg: Value = s.q(addr, &json!({ "config": {} }))?;
    let current = cfg["authority"].as_str().unwrap_or_default().to_string();
    let pending = cfg["pending_authority"].as_str().map(str::to_string);
    Ok((current, pending))
}

fn handover(msg: Value) -> Value {
    json!({ "authority": msg })
}

/// The stored cw2 `(contract, version)` of a contract.
fn cw2(s: &Suite, addr: &Addr) -> anyhow::Result<(String, String)> {
    let raw = s
        .app
        .contract_storage(addr)
        .get(b"contract_info")
        .ok_or_else(|| anyhow::anyhow!("no cw2 info"))?;
    let v: Value = serde_json::from_slice(&raw)?;
    Ok((
        v["contract"].as_str().unwrap_or_default().to_string(),
        v["version"].as_str().unwrap_or_default().to_string(),
    ))
}

/// Rewrites the stored cw2 version (what an older or newer deployment would have left).
fn set_stored_version(s: &mut Suite, addr: &Addr, version: &str) -> anyhow::Result<()> {
    let (name, _) = cw2(s, addr)?;
    let raw = serde_json::to_vec(&json!({ "contract": name, "version": version }))?;
    s.app.contract_storage_mut(addr).set(b"contract_info", &raw);
    Ok(())
}

fn migrate_err(
    s: &mut Suite,
    sender: &str,
    addr: &Addr,
    code_id: u64,
    fragment: &str,
) -> anyhow::Result<()> {
    match s.migrate(sender, addr, code_id, &json!({})) {
        Ok(_) => anyhow::bail!("migration accepted, expected {fragment:?}"),
        Err(e) => {
            let text = e.to_string();
            anyhow::ensure!(
                text.contains(fragment),
                "expected {fragment:?}, got: {text}"
            );
            Ok(())
        }
    }
}

fn handovers(s: &mut Suite) -> anyhow::Result<()> {
    let (gov, council) = (s.addr("gov").to_string(), s.addr(COUNCIL).to_string());
    for name in CONTRACTS {
        let addr = contract(s, name)?;
        let propose = handover(json!({ "propose": { "new_authority": council } }));
        let accept = handover(json!({ "accept": {} }));
        let cancel = handover(json!({ "cancel": {} }));
        s.exec_err(
            "stranger",
            &addr,
            &propose,
            &[],
            "unauthorized: only the authority",
        )?;
        let res = s.exec_ok("propose", "gov", &addr, &propose, &[])?;
        let proposed = Governance::Authority(AuthorityChange::Proposed {
            authority: s.addr("gov"),
            pending: s.addr(COUNCIL),
        });
        assert_eq!(events::all(&res)?, vec![proposed.of(name)?], "{name}");
        assert_eq!(
            authority(s, &addr)?,
            (gov.clone(), Some(council.clone())),
            "{name}"
        );
        s.exec_err(
            "tenant",
            &addr,
            &accept,
            &[],
            "unauthorized: only the proposed authority may accept",
        )?;
        s.exec_ok("cancel", "gov", &addr, &cancel, &[])?;
        s.exec_err(
            COUNCIL,
            &addr,
            &accept,
            &[],
            "no authority handover is pending",
        )?;
        s.exec_ok("propose again", "gov", &addr, &propose, &[])?;
        s.exec_ok("accept", COUNCIL, &addr, &accept, &[])?;
        assert_eq!(authority(s, &addr)?, (council.clone(), None), "{name}");
        // The old authority is powerless; the new one governs.
        let pause = json!({ "set_paused": { "paused": true } });
        s.exec_err(
            "gov",
            &addr,
            &pause,
            &[],
            "unauthorized: only the authority",
        )?;
        s.exec_ok("pause", COUNCIL, &addr, &pause, &[])?;
        let resume = json!({ "set_paused": { "paused": false } });
        s.exec_ok("resume", COUNCIL, &addr, &resume, &[])?;
    }
    Ok(())
}

fn pauses(s: &mut Suite) -> anyhow::Result<()> {
    let (escrow, bme) = (s.c.escrow.clone(), s.c.bme.clone());
    let tenant = s.addr("tenant").to_string();
    let minted = s.mint_act("tenant", 10_000_000)?;
    assert_eq!(minted, 24_937_500);

    // Before the pause: a uakt account with a lease and a sponsor allowance, and an ACT account.
    let open = Escrow::OpenAccount {
        dseq: 1,
        denom: AKT.into(),
    };
    s.exec_ok("open", "tenant", &escrow, &open, &[coin(10_000, AKT)])?;
    let provider = s.addr("provider").to_string();
    let lease = |dseq| Escrow::OpenPayment {
        dseq,
        provider: provider.clone(),
        rate: "10".parse().unwrap_or_default(),
        resources: Resources {
            gpu_model: "h100".into(),
            gpu_count: 1,
        },
    };
    s.exec_ok("lease", "tenant", &escrow, &lease(1), &[])?;
    let grant = Escrow::GrantAllowance {
        grantee: tenant.clone(),
        scope: escrow::msg::ScopeMsg::Any {},
        expires_at: None,
    };
    s.exec_ok("grant", "sponsor", &escrow, &grant, &[coin(700, AKT)])?;
    s.send_act(
        "tenant",
        &escrow,
        1_000_000,
        &ReceiveHook::OpenAccount { dseq: 2 },
    )
    .map_err(|e| anyhow::anyhow!("open ACT account: {e}"))?;
    s.exec_ok("ACT lease", "tenant", &escrow, &lease(2), &[])?;
    let leased_at = s.height();

    // Escrow paused: every inflow is refused.
    let pause = Escrow::SetPaused { paused: true };
    let res = s.exec_ok("pause escrow", COUNCIL, &escrow, &pause, &[])?;
    assert_eq!(
        one::<escrow_ev::PauseChanged>(&res)?,
        escrow_ev::PauseChanged {
            authority: s.addr(COUNCIL),
            paused: true
        }
    );
    let paused = "contract is paused";
    let open3 = Escrow::OpenAccount {
        dseq: 3,
        denom: AKT.into(),
    };
    s.exec_err("tenant", &escrow, &open3, &[coin(10, AKT)], paused)?;
    let deposit = Escrow::Deposit {
        owner: tenant.clone(),
        dseq: 1,
        amount: Uint256::from(500u128),
        sources: vec![],
    };
    s.exec_err("tenant2", &escrow, &deposit, &[coin(500, AKT)], paused)?;
    s.exec_err("sponsor", &escrow, &grant, &[coin(1, AKT)], paused)?;
    s.exec_err("tenant", &escrow, &lease(1), &[], paused)?;
    let act_deposit = ReceiveHook::Deposit {
        owner: tenant.clone(),
        dseq: 2,
    };
    let err = s.send_act("tenant", &escrow, 5, &act_deposit);
    anyhow::ensure!(
        err.as_ref().is_err_and(|e| e.to_string().contains(paused)),
        "ACT deposit while paused: {err:?}"
    );
    // ... while exits go on: withdraw, close with refunds, revoke.
    s.advance(5)?;
    let withdraw = |dseq| Escrow::Withdraw {
        owner: tenant.clone(),
        dseq,
        payment_id: 0,
    };
    let res = s.exec_ok("withdraw paused", "provider", &escrow, &withdraw(1), &[])?;
    let paid = Uint128::try_from(one::<escrow_ev::Withdrawn>(&res)?.amount)?.u128();
    assert_eq!(paid, 10 * u128::from(s.height() - leased_at));
    assert_eq!(paid, 50);
    let close = Escrow::CloseAccount {
        owner: tenant.clone(),
        dseq: 1,
    };
    let res = s.exec_ok("close paused", "tenant", &escrow, &close, &[])?;
    assert_eq!(
        one::<escrow_ev::Refunded>(&res)?.amount,
        Uint256::from(10_000 - paid)
    );
    let revoke = Escrow::RevokeAllowance {
        grantee: tenant.clone(),
        denom: AKT.into(),
    };
    let res = s.exec_ok("revoke paused", "sponsor", &escrow, &revoke, &[])?;
    assert_eq!(
        one::<escrow_ev::AllowanceRevoked>(&res)?.returned,
        Uint256::from(700u32)
    );
    assert_eq!(s.bank(&s.addr("tenant"), AKT), START - 10_000_000 - paid);
    assert_eq!(s.bank(&s.addr("provider"), AKT), START + paid);

    // bme paused too: no mint, burn, send or process; escrow still pays ACT out via transfer.
    let res = s.exec_ok(
        "pause bme",
        COUNCIL,
        &bme,
        &bme::msg::ExecuteMsg::SetPaused { paused: true },
        &[],
    )?;
    assert_eq!(
        one::<bme_ev::PauseChanged>(&res)?,
        bme_ev::PauseChanged {
            authority: s.addr(COUNCIL),
            paused: true
        }
    );
    s.exec_err(
        "tenant2",
        &bme,
        &bme::msg::ExecuteMsg::MintAct {},
        &[coin(10_000_000, AKT)],
        paused,
    )?;
    let burn = bme::msg::ExecuteMsg::BurnAct {
        amount: Uint128::new(1_000_000),
    };
    s.exec_err("tenant", &bme, &burn, &[], paused)?;
    let err = s.send_act("tenant", &escrow, 5, &act_deposit);
    anyhow::ensure!(err.is_err(), "send while bme paused");
    let process = bme::msg::ExecuteMsg::Process { limit: None };
    s.exec_err("keeper", &bme, &process, &[], paused)?;
    s.advance(3)?;
    let before = s.act(&s.addr("provider"));
    let res = s.exec_ok("ACT withdraw", "provider", &escrow, &withdraw(2), &[])?;
    let act_paid = one::<bme_ev::ActTransferred>(&res)?.amount.u128();
    assert_eq!(act_paid, 10 * u128::from(s.height() - leased_at));
    assert_eq!(act_paid, 80);
    assert_eq!(s.act(&s.addr("provider")), before + act_paid);

    // Resume both: inflows work again.
    s.exec_ok(
        "resume escrow",
        COUNCIL,
        &escrow,
        &Escrow::SetPaused { paused: false },
        &[],
    )?;
    s.exec_ok(
        "resume bme",
        COUNCIL,
        &bme,
        &bme::msg::ExecuteMsg::SetPaused { paused: false },
        &[],
    )?;
    s.send_act("tenant", &escrow, 5, &act_deposit)
        .map_err(|e| anyhow::anyhow!("ACT deposit after resume: {e}"))?;
    s.exec_ok(
        "open after resume",
        "tenant",
        &escrow,
        &open3,
        &[coin(10, AKT)],
    )?;
    assert_eq!(
        s.act(&s.addr("tenant")) + s.act(&s.addr("provider")) + s.act(&escrow),
        minted
    );
    Ok(())
}

fn migrations(s: &mut Suite) -> anyhow::Result<()> {
    for name in CONTRACTS {
        let addr = contract(s, name)?;
        let (stored_name, version) = cw2(s, &addr)?;
        assert!(stored_name.starts_with("crates.io:"), "{stored_name}");
        let same = s.store(name)?;
        // Only the wasmd admin (gov, not the contract authority) may migrate at all.
        migrate_err(s, COUNCIL, &addr, same, "Only admin can migrate contract")?;
        // The same code again is a replay.
        migrate_err(
            s,
            "gov",
            &addr,
            same,
            &format!("already at version {version}: migration refused"),
        )?;
    }
    // Downgrade, wrong contract and a genuine upgrade, on escrow and bme.
    for (name, other) in [("escrow", "bme"), ("bme", "escrow")] {
        let addr = contract(s, name)?;
        let (stored_name, version) = cw2(s, &addr)?;
        let same = s.store(name)?;
        set_stored_version(s, &addr, "99.0.0")?;
        migrate_err(
            s,
            "gov",
            &addr,
            same,
            &format!("cannot downgrade from 99.0.0 to {version}"),
        )?;
        let foreign = s.store(other)?;
        let (other_name, _) = cw2(s, &contract(s, other)?)?;
        migrate_err(
            s,
            "gov",
            &addr,
            foreign,
            &format!("cannot migrate contract {stored_name} into {other_name}"),
        )?;
        set_stored_version(s, &addr, "0.0.1")?;
        let res = s
            .migrate("gov", &addr, same, &json!({}))
            .map_err(|e| anyhow::anyhow!("upgrade {name}: {e}"))?;
        let migrated = Governance::Migrated {
            from: "0.0.1".into(),
            to: version.clone(),
        };
        assert_eq!(events::all(&res)?, vec![migrated.of(name)?], "{name}");
        assert_eq!(cw2(s, &addr)?, (stored_name, version.clone()));
        migrate_err(
            s,
            "gov",
            &addr,
            same,
            &format!("already at version {version}"),
        )?;
    }
    Ok(())
}

fn flow(s: &mut Suite) -> anyhow::Result<()> {
    let total = s.bank_total(&FUNDED, AKT);
    handovers(s)?;
    pauses(s)?;
    migrations(s)?;
    // The migrated contracts keep working with their state.
    let minted = s.mint_act("tenant2", 10_000_000)?;
    assert_eq!(minted, 24_937_500);
    assert_eq!(s.bank_total(&FUNDED, AKT), total);
    Ok(())
}

#[test]
fn governance_matches_on_native_and_wasm() {
    let (native, wasm) = on_both_backends("2.5", &[COUNCIL], flow).unwrap();
    assert_eq!(native.transcript.lines.len(), wasm.transcript.lines.len());
}
