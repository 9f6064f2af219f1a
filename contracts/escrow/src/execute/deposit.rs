//! Deposits: from attached funds or sponsor allowances, in the order the caller lists sources.

use cosmwasm_std::{Addr, Coin, DepsMut, Env, Response, Uint256};
use supercloud_events::escrow as ev;
use supercloud_std::payout::pay;
use supercloud_std::ACT_DENOM;

use super::assert_open_for_inflows;
use super::lifecycle::AccountTx;
use crate::error::ContractError;
use crate::msg::{AccountState, Config, DepositSource, SourceMsg};
use crate::state::{Account, Deposit, ALLOWANCES, DEPOSITOR_ACCOUNTS, DEPOSITS};

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
    let api = deps.api;
    let mut tx = AccountTx::load(deps.storage, env, &req.owner, req.dseq)?;
    let attached = req.attached.amount_in(&tx.account.denom)?;
    check_min_deposit(&tx.config, &tx.account.denom, req.amount)?;
    reject_closed(&tx.account)?;
    tx.touch()?;
    reject_closed(&tx.account)?;
    let sources = if req.sources.is_empty() {
        vec![SourceMsg::Funds {}]
    } else {
        req.sources
    };
    let (parts, unused) = gather(&mut tx, api, &req.sender, req.amount, &sources, attached)?;
    let ledger = tx.config.act_ledger.clone();
    let denom = tx.account.denom.clone();
    pay(&mut tx.resp, ledger.as_ref(), &denom, &req.sender, unused)?;
    add_parts(&mut tx, parts)?;
    Ok(tx.finish()?.add_attribute("action", "deposit"))
}

/// Refuses a deposit below the authority's minimum for `denom` (a backstop against dust).
pub fn check_min_deposit(
    config: &Config,
    denom: &str,
    amount: Uint256,
) -> Result<(), ContractError> {
    let min = config.deposit_limits.min_deposit_of(denom);
    if amount < min {
        return Err(ContractError::DepositBelowMinimum {
            amount,
            min,
            denom: denom.to_string(),
        });
    }
    Ok(())
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
fn gather(
    tx: &mut AccountTx,
    api: &dyn cosmwasm_std::Api,
    sender: &Addr,
    amount: Uint256,
    sources: &[SourceMsg],
    attached: Uint256,
) -> Result<(Vec<Part>, Uint256), ContractError> {
    let mut left = amount;
    let mut unused = attached;
    let mut parts = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        if sources.iter().take(i).any(|seen| seen == source) {
            let source_name = match source {
                SourceMsg::Funds {} => "funds".to_string(),
                SourceMsg::Allowance { granter } => format!("allowance:{granter}"),
            };
            return Err(ContractError::DuplicateSource { source_name });
        }
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
                let take = spend_allowance(tx, &granter, sender, left)?;
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
    tx: &mut AccountTx,
    granter: &Addr,
    grantee: &Addr,
    wanted: Uint256,
) -> Result<Uint256, ContractError> {
    let (owner, dseq, denom) = (
        tx.account.owner.clone(),
        tx.account.dseq,
        tx.account.denom.clone(),
    );
    let key = (granter, grantee, denom.as_str());
    let mut allowance = ALLOWANCES.may_load(tx.storage(), key)?.ok_or_else(|| {
        ContractError::AllowanceNotFound {
            granter: granter.clone(),
            grantee: grantee.clone(),
            denom: denom.clone(),
        }
    })?;
    if let Some(expires_at) = allowance.expires_at {
        if tx.clock.height >= expires_at {
            return Err(ContractError::AllowanceExpired {
                granter: granter.clone(),
                expires_at,
            });
        }
    }
    if !allowance.scope.covers(&owner, dseq) {
        return Err(ContractError::AllowanceOutOfScope {
            granter: granter.clone(),
            owner,
            dseq,
        });
    }
    let take = allowance.balance.min(wanted);
    if take.is_zero() {
        return Ok(take);
    }
    allowance.balance = allowance.balance.checked_sub(take)?;
    ALLOWANCES.save(tx.storage(), key, &allowance)?;
    tx.emit(ev::AllowanceChanged {
        granter: granter.clone(),
        grantee: grantee.clone(),
        denom: denom.clone(),
        spent: take,
        credited: Uint256::zero(),
        balance: allowance.balance,
    });
    Ok(take)
}

/// Books deposit parts: debt first when overdrawn, the rest merged into the depositor's entry.
pub fn add_parts(tx: &mut AccountTx, parts: Vec<Part>) -> Result<(), ContractError> {
    for part in parts {
        let to_queue = if tx.account.state == AccountState::Overdrawn {
            tx.pay_debt(part.amount)?
        } else {
            part.amount
        };
        let deposit_remaining = enqueue(tx, &part, to_queue)?;
        tx.account.total_deposited = tx.account.total_deposited.checked_add(part.amount)?;
        let (owner, dseq) = (tx.account.owner.clone(), tx.account.dseq);
        DEPOSITOR_ACCOUNTS.save(tx.storage(), (&part.depositor, &owner, dseq), &())?;
        let depletes_at = tx.depletes_at()?;
        tx.emit(ev::Deposited {
            owner,
            dseq,
            depositor: part.depositor.clone(),
            source: part.source.kind(),
            grantee: part.source.grantee(),
            amount: part.amount,
            denom: tx.account.denom.clone(),
            deposit_remaining,
            balance: tx.account.balance,
            height: tx.clock.height,
            account_rate: tx.account.rate,
            depletes_at,
        });
    }
    tx.maybe_reopen()
}

/// Adds `amount` to the newest entry when it is the same depositor's from the same source (a
/// run of top-ups stays one entry), or appends a new entry. Returns the entry's remaining amount.
///
/// Only the newest entry is ever merged into: what settlements charged and no call has taken yet
/// (`consume_pending`) reaches it last and never exceeds what it held, so merged or appended,
/// every entry ends with exactly what consuming at every settlement would have left it, however
/// many entries each call consumes. (An older entry merged into could jump ahead of others'
/// deposits by an amount that depends on when the queue was last consumed.)
fn enqueue(tx: &mut AccountTx, part: &Part, amount: Uint256) -> Result<Uint256, ContractError> {
    if amount.is_zero() {
        // Everything paid debt: the account was overdrawn, so its deposits are spent.
        return Ok(Uint256::zero());
    }
    let height = tx.clock.height;
    let (owner, dseq) = (tx.account.owner.clone(), tx.account.dseq);
    let newest = match tx.account.deposit_next.checked_sub(1) {
        Some(seq) if seq >= tx.account.deposit_head => {
            let entry = DEPOSITS.load(tx.storage(), (&owner, dseq, seq))?;
            (entry.depositor == part.depositor && entry.source == part.source)
                .then_some((seq, entry))
        }
        _ => None,
    };
    let (seq, mut deposit) = match newest {
        Some(merge) => merge,
        None => {
            check_live_deposits(tx, part)?;
            let seq = tx.account.deposit_next;
            tx.account.deposit_next = seq.saturating_add(1);
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
    DEPOSITS.save(tx.storage(), (&owner, dseq, seq), &deposit)?;
    tx.account.balance = tx.account.balance.checked_add(amount)?;
    Ok(deposit.amount)
}

/// Refuses a new entry past `max_live_deposits`, unless the owner deposits (its own funds, or a
/// sponsor's allowance it spends): a full queue must not lock the owner out of its deployment.
fn check_live_deposits(tx: &AccountTx, part: &Part) -> Result<(), ContractError> {
    let owner = &tx.account.owner;
    let by_owner = match &part.source {
        DepositSource::Funds => part.depositor == *owner,
        DepositSource::Allowance { grantee } => grantee == owner,
    };
    let max = tx.config.deposit_limits.max_live_deposits;
    let live = tx
        .account
        .deposit_next
        .saturating_sub(tx.account.deposit_head);
    if !by_owner && live >= u64::from(max) {
        return Err(ContractError::TooManyDeposits { max });
    }
    Ok(())
}
