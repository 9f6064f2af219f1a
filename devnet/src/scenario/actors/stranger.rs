//! The stranger: deliberately failing txs, as a live chain sees them: contract refusals, a code
//! upload from a user, a stale sequence, an overdraft, a gas limit too low for the work. Each
//! lands in its block with `code != 0` and changes nothing but the fee and the sequence (or
//! nothing at all when the ante handler refuses).

use crate::chain::tx::{encode_signed, TxSpec};
use crate::chain::Account;
use crate::chain::Chain;
use crate::proto::bank::MsgSend;
use crate::proto::wasm::{AccessConfig, MsgStoreCode};
use crate::proto::{Coin, Named};
use crate::scenario::ctx::{Call, Ctx};
use crate::scenario::world::Deployment;

/// Sends about `failures_per_day` failing txs per simulated day.
pub fn act(ctx: &mut Ctx, chain: &mut Chain) -> anyhow::Result<()> {
    if !ctx.chance(ctx.cfg.failures_per_day) {
        return Ok(());
    }
    let stranger = ctx.cast.stranger.clone();
    match ctx.pick(6) {
        0 => {
            let Some((dep, owner)) = first_deployment(ctx) else {
                return Ok(());
            };
            let call = Call::new(
                "escrow",
                &escrow::msg::ExecuteMsg::CloseAccount {
                    owner: owner.addr.to_string(),
                    dseq: dep.dseq,
                },
            )?;
            let outcome = ctx.send_failing(
                chain,
                &stranger,
                vec![call],
                "fail.close_foreign_account",
                None,
            )?;
            // Past its grace window an overdrawn account may be closed by anyone: the world
            // then learnt of it from the tx's `account_closed`.
            let _ = outcome;
        }
        1 => {
            let msg = MsgStoreCode {
                sender: stranger.addr.to_string(),
                wasm_byte_code: b"\0asm\x01\0\0\0".to_vec(),
                instantiate_permission: Some(AccessConfig::any_of(vec![stranger.addr.to_string()])),
            };
            let tx = chain.sign(&stranger.addr, vec![msg.to_any()], 2_000_000)?;
            ctx.deliver_raw(chain, tx, &[], "fail.store_code", true);
        }
        2 => {
            let auth = chain.auth(&stranger.addr)?;
            let key = chain
                .keyring()
                .key_of(stranger.addr.as_str())
                .ok_or_else(|| anyhow::anyhow!("no key for the stranger"))?
                .clone();
            let send = MsgSend {
                from_address: stranger.addr.to_string(),
                to_address: ctx.cast.treasury.addr.to_string(),
                amount: vec![Coin::new(1, "uakt")],
            };
            let tx = encode_signed(
                &chain.config().chain_id,
                auth.account_number,
                auth.sequence + 1,
                TxSpec {
                    msgs: vec![send.to_any()],
                    memo: "stale nonce".into(),
                    gas_limit: 100_000,
                    fee: vec![Coin::new(chain.config().fee_for(100_000), "uakt")],
                },
                &key,
            );
            ctx.deliver_raw(chain, tx, &[], "fail.wrong_sequence", true);
        }
        3 => {
            let balance = chain.balance(&stranger.addr, "uakt")?;
            let send = MsgSend {
                from_address: stranger.addr.to_string(),
                to_address: ctx.cast.treasury.addr.to_string(),
                amount: vec![Coin::new(balance * 10 + 1, "uakt")],
            };
            let tx = chain.sign(&stranger.addr, vec![send.to_any()], 100_000)?;
            ctx.deliver_raw(chain, tx, &[], "fail.overdraft", true);
        }
        4 => {
            // A deposit that would succeed, sent with a gas limit below what it costs.
            let Some((dep, owner)) = first_deployment(ctx) else {
                return Ok(());
            };
            let call = Call::new(
                "escrow",
                &escrow::msg::ExecuteMsg::Deposit {
                    owner: owner.addr.to_string(),
                    dseq: dep.dseq,
                    amount: gov_proposal::suite::ESCROW_MIN_DEPOSIT.into(),
                    sources: vec![escrow::msg::SourceMsg::Funds {}],
                },
            )?
            .funds("uakt", gov_proposal::suite::ESCROW_MIN_DEPOSIT);
            ctx.send_failing(
                chain,
                &stranger,
                vec![call],
                "fail.out_of_gas",
                Some(40_000),
            )?;
        }
        _ => {
            let call = Call::new(
                "oracle",
                &oracle::msg::ExecuteMsg::Push {
                    pair: gov_proposal::suite::ORACLE_PAIR.into(),
                    source: gov_proposal::suite::PUSHER_SOURCE_ID.into(),
                    price: cosmwasm_std::Int64::new(1),
                    conf: cosmwasm_std::Uint64::zero(),
                    expo: -8,
                    publish_time: 0,
                },
            )?;
            ctx.send_failing(chain, &stranger, vec![call], "fail.unauthorized_push", None)?;
        }
    }
    Ok(())
}

/// The first open uakt deployment and its owner, if any.
fn first_deployment(ctx: &Ctx) -> Option<(Deployment, Account)> {
    let dep = ctx
        .world
        .deployments
        .values()
        .find(|d| d.denom == "uakt")
        .cloned()?;
    let owner = ctx.cast.tenants.get(dep.owner).cloned()?;
    Some((dep, owner))
}
