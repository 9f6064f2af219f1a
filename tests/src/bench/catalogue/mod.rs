//! The catalogue: every execute message of every contract, measured on its successful path on
//! the wasm backend, one fresh [`Suite`] per contract.
//!
//! An entry's `op` is the snake_case JSON name of the message's variant, taken from the message
//! itself (so it cannot drift from `msg.rs`): `authority.<step>` for the nested handover, and
//! `receive.<hook>` for an ACT hook. A hook is reached through bme's `send`, so its entry,
//! recorded under the contract that receives it, covers the whole transaction (bme's `send` call
//! and the receiver's `receive` call); bme's own `send` is recorded separately under bme.
//! `scale` is empty throughout.

mod bme;
mod escrow;
mod mock_pyth;
mod oracle;
mod pip;
mod reservations;

use std::fmt::Debug;

use cosmwasm_std::{to_json_binary, Addr, Coin};
use serde::Serialize;
use supercloud_std::AuthorityMsg;

use super::{Bench, Entry};
use crate::suite::Suite;

/// Measures every execute message of every contract.
pub fn run(bench: &mut Bench) -> anyhow::Result<()> {
    mock_pyth::run(bench)?;
    oracle::run(bench)?;
    bme::run(bench)?;
    escrow::run(bench)?;
    reservations::run(bench)?;
    pip::run(bench)?;
    Ok(())
}

/// The address of contract `name` in `s`.
fn contract_addr(s: &Suite, name: &str) -> anyhow::Result<Addr> {
    s.c.all()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, a)| a.clone())
        .ok_or_else(|| anyhow::anyhow!("unknown contract {name}"))
}

/// The only key of a one-key JSON object (how serde writes an enum variant) and its value.
fn variant(v: &serde_json::Value) -> anyhow::Result<(&str, &serde_json::Value)> {
    match v.as_object() {
        Some(map) if map.len() == 1 => map
            .iter()
            .next()
            .map(|(k, v)| (k.as_str(), v))
            .ok_or_else(|| anyhow::anyhow!("empty object")),
        _ => anyhow::bail!("not an enum variant: {v}"),
    }
}

/// The op name of an execute message: its variant's JSON name, `authority.<step>` for the
/// handover.
fn op_of<M: Serialize>(msg: &M) -> anyhow::Result<String> {
    let json = serde_json::to_value(msg)?;
    let (name, inner) = variant(&json)?;
    Ok(match name {
        "authority" => format!("authority.{}", variant(inner)?.0),
        other => other.to_string(),
    })
}

/// Measures `msg` sent by `sender` to contract `contract`, named after its variant.
fn measure<M: Serialize + Debug>(
    bench: &mut Bench,
    s: &mut Suite,
    contract: &str,
    sender: &str,
    msg: &M,
    funds: &[Coin],
) -> anyhow::Result<Entry> {
    let addr = contract_addr(s, contract)?;
    let op = op_of(msg)?;
    bench.measure(s, contract, &op, &[], sender, &addr, msg, funds)
}

/// Measures bme `send` of `uact` from `sender` to `contract` with `hook`, recorded under
/// `contract` as `receive.<hook variant>`.
fn measure_hook<H: Serialize>(
    bench: &mut Bench,
    s: &mut Suite,
    contract: &str,
    sender: &str,
    uact: u128,
    hook: &H,
) -> anyhow::Result<Entry> {
    let addr = contract_addr(s, contract)?;
    let op = format!("receive.{}", op_of(hook)?);
    let msg = ::bme::msg::ExecuteMsg::Send {
        contract: addr.to_string(),
        amount: uact.into(),
        msg: to_json_binary(hook).map_err(|e| anyhow::anyhow!("hook: {e}"))?,
    };
    let ledger = s.c.bme.clone();
    bench.measure(s, contract, &op, &[], sender, &ledger, &msg, &[])
}

/// The messages every contract shares: `set_paused` (pausing is measured, resuming is not) and
/// the authority handover (`propose`, `cancel`, `propose` again, `accept` by the stranger; the
/// stranger then hands the contract back to gov, unmeasured).
fn governance<M: Serialize + Debug>(
    bench: &mut Bench,
    s: &mut Suite,
    contract: &str,
    set_paused: impl Fn(bool) -> M,
    authority: impl Fn(AuthorityMsg) -> M,
) -> anyhow::Result<()> {
    let addr = contract_addr(s, contract)?;
    measure(bench, s, contract, "gov", &set_paused(true), &[])?;
    s.exec_ok("resume", "gov", &addr, &set_paused(false), &[])?;
    let propose = |to: &Addr| {
        authority(AuthorityMsg::Propose {
            new_authority: to.to_string(),
        })
    };
    let (gov, stranger) = (s.addr("gov"), s.addr("stranger"));
    measure(bench, s, contract, "gov", &propose(&stranger), &[])?;
    measure(
        bench,
        s,
        contract,
        "gov",
        &authority(AuthorityMsg::Cancel {}),
        &[],
    )?;
    s.exec_ok("propose", "gov", &addr, &propose(&stranger), &[])?;
    measure(
        bench,
        s,
        contract,
        "stranger",
        &authority(AuthorityMsg::Accept {}),
        &[],
    )?;
    s.exec_ok("hand back", "stranger", &addr, &propose(&gov), &[])?;
    s.exec_ok(
        "take back",
        "gov",
        &addr,
        &authority(AuthorityMsg::Accept {}),
        &[],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use supercloud_vm::gas::INSTANCE_COST;

    /// Every execute op of every contract, written out from each contract's `src/msg.rs`
    /// (`ExecuteMsg`, the shared `AuthorityMsg` and the `ReceiveHook` enums). A new variant
    /// fails [`expected_list_is_every_variant_of_the_schema`] (top-level variants, via the
    /// committed schema) or stops [`_hooks_are_listed`] from compiling (hooks) until it is
    /// listed here, and then [`catalogue_measures_every_execute_message`] until it is measured.
    const EXPECTED: &[(&str, &[&str])] = &[
        (
            "mock_pyth",
            &[
                "set_price",
                "update_config",
                "set_paused",
                "authority.propose",
                "authority.accept",
                "authority.cancel",
            ],
        ),
        (
            "oracle",
            &[
                "refresh",
                "push",
                "add_source",
                "remove_source",
                "update_config",
                "set_paused",
                "authority.propose",
                "authority.accept",
                "authority.cancel",
            ],
        ),
        (
            "bme",
            &[
                "mint_act",
                "burn_act",
                "send",
                "transfer",
                "process",
                "fund_vault",
                "update_params",
                "update_allow_list",
                "set_paused",
                "authority.propose",
                "authority.accept",
                "authority.cancel",
            ],
        ),
        (
            "escrow",
            &[
                "open_account",
                "deposit",
                "open_payment",
                "withdraw",
                "close_payment",
                "close_account",
                "refund",
                "grant_allowance",
                "revoke_allowance",
                "receive.open_account",
                "receive.deposit",
                "receive.grant_allowance",
                "authority.propose",
                "authority.accept",
                "authority.cancel",
                "set_paused",
                "update_config",
            ],
        ),
        (
            "reservations",
            &[
                "register_host",
                "update_host",
                "set_host_active",
                "appoint_auditor",
                "remove_auditor",
                "record_attestation",
                "renew_attestation",
                "revoke_attestation",
                "post_bond",
                "request_bond_withdrawal",
                "claim_bond",
                "slash_bond",
                "reserve",
                "confirm",
                "cancel",
                "claim",
                "start_reclamation",
                "end_reclamation",
                "receive.reserve",
                "authority.propose",
                "authority.accept",
                "authority.cancel",
                "set_paused",
                "update_config",
            ],
        ),
        (
            "pip",
            &[
                "create_pilot",
                "enroll",
                "approve",
                "enroll_provider",
                "withdraw_enrollment",
                "remove_provider",
                "settle_epoch",
                "finalize",
                "cancel",
                "authority.propose",
                "authority.accept",
                "authority.cancel",
                "set_paused",
                "update_config",
            ],
        ),
    ];

    /// Compile-time guard for the hooks (the execute schema only shows `receive` with opaque
    /// bytes): a new hook variant breaks these matches; list it in [`EXPECTED`] and measure it.
    #[allow(dead_code)]
    fn _hooks_are_listed(e: &::escrow::msg::ReceiveHook, r: &::reservations::msg::ReceiveHook) {
        use ::escrow::msg::ReceiveHook as E;
        use ::reservations::msg::ReceiveHook as R;
        let _: &str = match e {
            E::OpenAccount { .. } => "receive.open_account",
            E::Deposit { .. } => "receive.deposit",
            E::GrantAllowance { .. } => "receive.grant_allowance",
        };
        let _: &str = match r {
            R::Reserve(_) => "receive.reserve",
        };
    }

    /// The variant names of a committed `schema/<crate>/raw/<file>.json` enum schema.
    fn schema_variants(schema: &serde_json::Value) -> BTreeSet<String> {
        schema["oneOf"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|v| {
                let required = v["required"].as_array().cloned().unwrap_or_default();
                let unit = v["enum"].as_array().cloned().unwrap_or_default();
                required.into_iter().chain(unit)
            })
            .filter_map(|n| n.as_str().map(str::to_string))
            .collect()
    }

    #[test]
    fn expected_list_is_every_variant_of_the_schema() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema");
        for (contract, ops) in EXPECTED {
            let krate = contract.replace('_', "-");
            let path = root.join(&krate).join("raw/execute.json");
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
            let mut from_schema = BTreeSet::new();
            for name in schema_variants(&schema) {
                match name.as_str() {
                    "authority" => {
                        for step in schema_variants(&schema["definitions"]["AuthorityMsg"]) {
                            from_schema.insert(format!("authority.{step}"));
                        }
                    }
                    // Hooks are opaque bytes in the schema: compare the prefix only.
                    "receive" => {
                        from_schema.insert("receive".to_string());
                    }
                    _ => {
                        from_schema.insert(name);
                    }
                }
            }
            let listed: BTreeSet<String> = ops
                .iter()
                .map(|op| match op.split_once('.') {
                    Some(("receive", _)) => "receive".to_string(),
                    _ => op.to_string(),
                })
                .collect();
            assert_eq!(
                listed, from_schema,
                "{contract}: EXPECTED differs from schema/{krate}/raw/execute.json"
            );
            let unique: BTreeSet<&str> = ops.iter().copied().collect();
            assert_eq!(unique.len(), ops.len(), "{contract}: duplicate op");
        }
    }

    #[test]
    fn catalogue_measures_every_execute_message() {
        let mut bench = Bench::new().unwrap();
        run(&mut bench).unwrap();
        let mut seen: BTreeMap<(&str, &str), Vec<&Entry>> = BTreeMap::new();
        for e in &bench.entries {
            seen.entry((e.contract.as_str(), e.op.as_str()))
                .or_default()
                .push(e);
        }
        let expected: BTreeSet<(&str, &str)> = EXPECTED
            .iter()
            .flat_map(|(c, ops)| ops.iter().map(move |op| (*c, *op)))
            .collect();
        for key in &expected {
            assert!(seen.contains_key(key), "{key:?} was not measured");
        }
        for (key, entries) in &seen {
            assert!(expected.contains(key), "{key:?} is not an execute op");
            for e in entries {
                assert!(
                    e.scale.is_empty(),
                    "{key:?}: catalogue entries have no scale"
                );
                assert!(e.calls >= 1, "{key:?}: no VM call");
                assert!(e.vm_gas > 0, "{key:?}: no VM gas");
                assert!(
                    e.est_chain_gas >= INSTANCE_COST * e.calls,
                    "{key:?}: {} chain gas for {} calls",
                    e.est_chain_gas,
                    e.calls
                );
            }
        }
        let one = |c: &str, op: &str| seen[&(c, op)][0];
        assert!(one("escrow", "open_payment").kv_writes > 0);
        assert!(one("escrow", "open_account").kv_writes > 0);
        // Pulling from Pyth queries the mock: two VM calls at least.
        assert!(one("oracle", "refresh").calls >= 2);
        // A hook is the ledger's call plus the receiver's.
        for (c, op) in &expected {
            if op.starts_with("receive.") {
                assert!(one(c, op).calls >= 2, "{c}.{op}: the hook did not run");
            }
        }
    }
}
