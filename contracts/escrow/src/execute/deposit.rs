//! Deposits: from attached funds or sponsor allowances, in the order the caller lists sources.

use cosmwasm_std::{Addr, Coin, DepsMut, Env, Response, Storage, Uint256};
use supercloud_events::{escrow as ev, CatalogEvent};
use supercloud_std::ACT_DENOM;

use super::lifecycle::{load_account, maybe_reopen, pay_debt, save_account, touch, Clock};
use super::{assert_open_for_inflows, config};
use crate::error::ContractError;
use crate::msg::SourceMsg;
use crate::state::{
    Account, AccountState, Config, Deposit, DepositSource, ALLOWANCES, DEPOSITOR_ACCOUNTS,
    DEPOSITS, DEPOSIT_SLOTS,
};
use supercloud_std::payout::pay;

/// One depositor's share of a deposit.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    /// Who is refunded (the allowance's granter for allowance parts).
    pub depositor: Addr,
    pub source: DepositSource,
    pub amount: Uint256,
}

/// A deposit request after address validation.
pub struct DepositRequest {
    /// Who sent the message (or whose ACT the ledger delivered).
    pub sender: Addr,
    pub owner: Addr,
    pub dseq: u64,
    pub amount: Uint256,
    pub sources: Vec<SourceMsg>,
    /// What came with the message.
    pub attached: Attached,
}

/// Money that came with a deposit message.
pub enum Attached {
    /// Native coins attached to the message.
    Native(Vec<Coin>),
    /// uact delivered by the ACT ledger's `send` hook.
    Act(Uint256),
}

impl Attached {
    /// The amount in the account's `denom`, refusing anything else.
    fn amount_in(&self, denom: &str) -> Result<Uint256, ContractError> {
        let wrong = |got: &str| ContractError::WrongDenom {
            expected: denom.to_string(),
            got: got.to_string(),
        };
        match self {
            Attached::Act(amount) if denom == ACT_DENOM => Ok(*amount),
            Attached::Act(_) => Err(wrong(ACT_DENOM)),
            Attached::Native(funds) => match funds.as_slice() {
                [] => Ok(Uint256::zero()),
                // ACT never arrives as a bank coin: it only moves through the ledger.
                [coin] if coin.denom == denom && denom != ACT_DENOM => Ok(coin.amount),
                [coin, ..] => Err(wrong(&coin.denom)),
            },
        }
    }
}

/// Deposits into an account; settles first, pays any debt first, refunds unused attached funds.
pub fn deposit(deps: DepsMut, env: &Env, req: DepositRequest) -> Result<Response, ContractError> {
    assert_open_for_inflows(deps.storage)?;
    if req.amount.is_zero() {
        return Err(ContractError::ZeroAmount {
            what: "deposit amount",
        });
    }
    let config = config(deps.storage)?;
    let mut account = load_account(deps.storage, &req.owner, req.dseq)?;
    let attached = req.attached.amount_in(&account.denom)?;
    let height = env.block.height;
    let mut resp = Response::new().add_attribute("action", "deposit");
    reject_closed(&account)?;
    touch(
        deps.storage,
        &config,
        &mut account,
        Clock::from(env),
        &mut resp,
    )?;
    reject_closed(&account)?;
    let sources = if req.sources.is_empty() {
        vec![SourceMsg::Funds {}]
    } else {
        req.sources
    };
    let (parts, unused) = gather(
        deps.storage,
        deps.api,
        &account,
        &req.sender,
        req.amount,
        &sources,
        attached,
        height,
        &mut resp,
    )?;
    pay(
        &mut resp,
        config.act_ledger.as_ref(),
        &account.denom,
        &req.sender,
        unused,
    )?;
    add_parts(
        deps.storage,
        &config,
        &mut account,
        parts,
        Clock::from(env),
        &mut resp,
    )?;
    save_account(deps.storage, &account)?;
    Ok(resp)
}

fn reject_closed(account: &Account) -> Result<(), ContractError> {
    if account.state != AccountState::Closed {
        return Ok(());
    }
    // A lapsed overdraw closes inside this (reverted) transaction: say why, not just "closed".
    match &account.overdraw {
        Some(overdraw) => Err(ContractError::GraceExpired {
            owner: account.owner.clone(),
            dseq: account.dseq,
            grace_until: overdraw.grace_until,
        }),
        None => Err(ContractError::AccountClosed {
            owner: account.owner.clone(),
            dseq: account.dseq,
        }),
    }
}

/// Walks the sources in order until `amount` is covered. Returns the parts and the unused part
/// of the attached funds.
#[allow(clippy::too_many_arguments)]
fn gather(
    storage: &mut dyn Storage,
    api: &dyn cosmwasm_std::Api,
    account: &Account,
    sender: &Addr,
    amount: Uint256,
    sources: &[SourceMsg],
    attached: Uint256,
    height: u64,
    resp: &mut Response,
) -> Result<(Vec<Part>, Uint256), ContractError> {
    let mut left = amount;
    let mut unused = attached;
    let mut parts = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for source in sources {
        let name = match source {
            SourceMsg::Funds {} => "funds".to_string(),
            SourceMsg::Allowance { granter } => format!("allowance:{granter}"),
        };
        if seen.contains(&name) {
            return Err(ContractError::DuplicateSource { source_name: name });
        }
        seen.push(name);
        let part = match source {
            SourceMsg::Funds {} => {
                let take = unused.min(left);
                unused = unused.checked_sub(take)?;
                Part {
                    depositor: sender.clone(),
                    source: DepositSource::Funds,
                    amount: take,
                }
            }
            SourceMsg::Allowance { granter } => {
                let granter = api.addr_validate(granter)?;
                let take = spend_allowance(storage, account, &granter, sender, left, height, resp)?;
                Part {
                    depositor: granter,
                    source: DepositSource::Allowance {
                        grantee: sender.clone(),
                    },
                    amount: take,
                }
            }
        };
        left = left.checked_sub(part.amount)?;
        if !part.amount.is_zero() {
            parts.push(part);
        }
    }
    if !left.is_zero() {
        return Err(ContractError::InsufficientSources {
            requested: amount,
            covered: amount.checked_sub(left)?,
        });
    }
    Ok((parts, unused))
}

fn spend_allowance(
    storage: &mut dyn Storage,
    account: &Account,
    granter: &Addr,
    grantee: &Addr,
    wanted: Uint256,
    height: u64,
    resp: &mut Response,
) -> Result<Uint256, ContractError> {
    let key = (granter, grantee, account.denom.as_str());
    let mut allowance =
        ALLOWANCES
            .may_load(storage, key)?
            .ok_or_else(|| ContractError::AllowanceNotFound {
                granter: granter.clone(),
                grantee: grantee.clone(),
                denom: account.denom.clone(),
            })?;
    if let Some(expires_at) = allowance.expires_at {
        if height >= expires_at {
            return Err(ContractError::AllowanceExpired {
                granter: granter.clone(),
                expires_at,
            });
        }
    }
    if !allowance.scope.covers(&account.owner, account.dseq) {
        return Err(ContractError::AllowanceOutOfScope {
            granter: granter.clone(),
            owner: account.owner.clone(),
            dseq: account.dseq,
        });
    }
    let take = allowance.balance.min(wanted);
    if take.is_zero() {
        return Ok(take);
    }
    allowance.balance = allowance.balance.checked_sub(take)?;
    ALLOWANCES.save(storage, key, &allowance)?;
    resp.events.push(
        ev::AllowanceChanged {
            granter: granter.clone(),
            grantee: grantee.clone(),
            denom: account.denom.clone(),
            spent: take,
            credited: Uint256::zero(),
            balance: allowance.balance,
        }
        .to_event(),
    );
    Ok(take)
}

/// Books deposit parts: debt first when overdrawn, the rest merged into the depositor's entry.
pub fn add_parts(
    storage: &mut dyn Storage,
    config: &Config,
    account: &mut Account,
    parts: Vec<Part>,
    clock: Clock,
    resp: &mut Response,
) -> Result<(), ContractError> {
    let height = clock.height;
    for part in parts {
        let to_queue = if account.state == AccountState::Overdrawn {
            pay_debt(storage, config, account, part.amount, height, resp)?
        } else {
            part.amount
        };
        let deposit_remaining = enqueue(storage, account, &part, to_queue, height)?;
        account.total_deposited = account.total_deposited.checked_add(part.amount)?;
        DEPOSITOR_ACCOUNTS.save(
            storage,
            (&part.depositor, &account.owner, account.dseq),
            &(),
        )?;
        resp.events.push(
            ev::Deposited {
                owner: account.owner.clone(),
                dseq: account.dseq,
                depositor: part.depositor.clone(),
                source: part.source.kind().to_string(),
                grantee: part.source.grantee(),
                amount: part.amount,
                denom: account.denom.clone(),
                deposit_remaining,
                balance: account.balance,
                height,
            }
            .to_event(),
        );
    }
    maybe_reopen(storage, account, clock, resp)
}

/// Adds `amount` to the depositor's live entry for this source, or appends a new one.
/// Returns the entry's remaining amount.
fn enqueue(
    storage: &mut dyn Storage,
    account: &mut Account,
    part: &Part,
    amount: Uint256,
    height: u64,
) -> Result<Uint256, ContractError> {
    let slot = part.source.slot(&part.depositor);
    let slot_key = ((&account.owner, account.dseq), slot.as_str());
    let existing = DEPOSIT_SLOTS.may_load(storage, slot_key)?;
    if amount.is_zero() {
        let remaining = match existing {
            Some(seq) => {
                DEPOSITS
                    .load(storage, (&account.owner, account.dseq, seq))?
                    .amount
            }
            None => Uint256::zero(),
        };
        return Ok(remaining);
    }
    let (seq, mut deposit) = match existing {
        Some(seq) => (
            seq,
            DEPOSITS.load(storage, (&account.owner, account.dseq, seq))?,
        ),
        None => {
            let seq = account.deposit_next;
            account.deposit_next = seq.saturating_add(1);
            DEPOSIT_SLOTS.save(storage, slot_key, &seq)?;
            let fresh = Deposit {
                depositor: part.depositor.clone(),
                source: part.source.clone(),
                amount: Uint256::zero(),
                deposited: Uint256::zero(),
                height,
            };
            (seq, fresh)
        }
    };
    deposit.amount = deposit.amount.checked_add(amount)?;
    deposit.deposited = deposit.deposited.checked_add(amount)?;
    DEPOSITS.save(storage, (&account.owner, account.dseq, seq), &deposit)?;
    account.balance = account.balance.checked_add(amount)?;
    Ok(deposit.amount)
}
