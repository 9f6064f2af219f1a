//! Execute handlers, one file per concern, and the helpers they share.

pub mod enrollment;
pub mod governance;
pub mod pilot;
pub mod settle;

use cosmwasm_std::{Addr, AnyMsg, BankMsg, Binary, Coin, CosmosMsg, Env, Storage, Uint256};
use supercloud_events::pip as ev;
use supercloud_std::Authority;

use crate::error::ContractError;
use crate::msg::{Config, Pilot, ReturnReason, ReturnTarget};

/// Fails unless `sender` is the authority or the pilot's admin.
pub fn assert_manager(
    storage: &dyn Storage,
    pilot: &Pilot,
    sender: &Addr,
) -> Result<(), ContractError> {
    if pilot.admin.as_ref() == Some(sender) || Authority::assert(storage, sender).is_ok() {
        return Ok(());
    }
    Err(ContractError::NotManager { pilot_id: pilot.id })
}

/// Type URL of the Cosmos SDK message that funds the community pool.
pub const FUND_COMMUNITY_POOL_TYPE_URL: &str = "/cosmos.distribution.v1beta1.MsgFundCommunityPool";

/// Where a return actually goes: a pilot that asked for the community pool falls back to the
/// configured address when the chain (config) does not allow it, so a return never fails for it.
pub fn resolve_target(config: &Config, pilot: &Pilot) -> ReturnTarget {
    match &pilot.return_target {
        ReturnTarget::CommunityPool {} if !config.community_pool_allowed => ReturnTarget::Address {
            address: config.default_return_address.to_string(),
        },
        other => other.clone(),
    }
}

/// How a return target is written in events.
pub fn target_label(target: &ReturnTarget) -> String {
    match target {
        ReturnTarget::Address { address } => address.clone(),
        ReturnTarget::CommunityPool {} => "community_pool".into(),
    }
}

/// Sends `amount` of the pilot's denom to `target`; books it as returned and gives the event.
/// The caller saves the pilot. `amount` must be non-zero.
pub fn return_funds(
    env: &Env,
    config: &Config,
    pilot: &mut Pilot,
    amount: Uint256,
    reason: ReturnReason,
) -> Result<(CosmosMsg, ev::Returned), ContractError> {
    pilot.returned = pilot.returned.checked_add(amount)?;
    let remaining = pilot.remaining()?;
    let target = resolve_target(config, pilot);
    let msg = match &target {
        ReturnTarget::Address { address } => BankMsg::Send {
            to_address: address.clone(),
            amount: vec![Coin::new(amount, pilot.denom.clone())],
        }
        .into(),
        ReturnTarget::CommunityPool {} => CosmosMsg::Any(AnyMsg {
            type_url: FUND_COMMUNITY_POOL_TYPE_URL.into(),
            value: fund_community_pool_proto(env.contract.address.as_str(), &pilot.denom, amount),
        }),
    };
    let event = ev::Returned {
        pilot_id: pilot.id,
        amount,
        denom: pilot.denom.clone(),
        to: target_label(&target),
        reason,
        remaining,
    };
    Ok((msg, event))
}

/// Protobuf `MsgFundCommunityPool { amount: [Coin{denom, amount}], depositor }`.
pub fn fund_community_pool_proto(depositor: &str, denom: &str, amount: Uint256) -> Binary {
    let mut coin = Vec::new();
    proto_string(&mut coin, 1, denom);
    proto_string(&mut coin, 2, &amount.to_string());
    let mut msg = Vec::new();
    proto_bytes(&mut msg, 1, &coin);
    proto_string(&mut msg, 2, depositor);
    Binary::from(msg)
}

fn proto_string(out: &mut Vec<u8>, field: u8, value: &str) {
    proto_bytes(out, field, value.as_bytes());
}

fn proto_bytes(out: &mut Vec<u8>, field: u8, value: &[u8]) {
    // Wire type 2 (length-delimited); field numbers here are below 16, so the key is one byte.
    out.push((field << 3) | 2);
    let mut len = value.len();
    while len >= 0x80 {
        out.push(((len & 0x7f) as u8) | 0x80);
        len >>= 7;
    }
    out.push(len as u8);
    out.extend_from_slice(value);
}

#[cfg(test)]
#[path = "mod_tests.rs"]
mod tests;
