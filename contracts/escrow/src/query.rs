//! Read-only views. Account and payment views include a live settlement preview at the query
//! height, so callers never see a balance that lazy settlement has not caught up with.

use cosmwasm_std::{from_json, Addr, Deps, Storage, Uint256};
use supercloud_std::{Authority, Paused};

use crate::account::{charged_streams, load_account, load_payment, open_payments, preview};
use crate::error::ContractError;
use crate::msg::{
    AccountRef, AccountRefsResponse, AccountResponse, AccountState, AccountsResponse,
    AllowanceResponse, AllowancesResponse, ConfigResponse, DepositInfo, DepositsResponse,
    PaymentRef, PaymentResponse, PaymentsResponse, SettlementPreview, TimeToDepletionResponse,
    VerifiedWorkResponse,
};
use crate::page::{page, prefix_of, push_part, KeyReader};
use crate::settlement::{blocks_covered, Settlement};
use crate::state::{
    Account, Allowance, Deposit, Payment, ACCOUNTS, ALLOWANCES, CONFIG, DEPOSITOR_ACCOUNTS,
    DEPOSITS, PAYMENTS, PROVIDER_PAYMENTS,
};
use crate::work;

/// Configuration, authority and pause flag.
pub fn config(deps: Deps) -> Result<ConfigResponse, ContractError> {
    let authority = Authority::load(deps.storage)?;
    Ok(ConfigResponse {
        authority: authority.current,
        pending_authority: authority.pending,
        paused: Paused::is_paused(deps.storage)?,
        config: CONFIG.load(deps.storage)?,
    })
}

fn account_response(
    storage: &dyn Storage,
    account: Account,
    height: u64,
) -> Result<AccountResponse, ContractError> {
    let settlement = preview(storage, &account, height)?;
    let standing_debt = open_payments(storage, &account)?
        .iter()
        .try_fold(Uint256::zero(), |acc, p| acc.checked_add(p.debt))?;
    Ok(AccountResponse {
        preview: SettlementPreview {
            height,
            settled: settlement.paid,
            debt: standing_debt.checked_add(settlement.debt)?,
            balance: account.balance.checked_sub(settlement.paid)?,
            exhausted_at: settlement
                .exhausted_at
                .or(account.overdraw.as_ref().map(|o| o.exhausted_at)),
        },
        refunds_pending: if account.state == AccountState::Closed {
            account.deposit_next.saturating_sub(account.deposit_head)
        } else {
            0
        },
        grace_until: account.overdraw.as_ref().map(|o| o.grace_until),
        consume_pending: account.consume_pending,
        owner: account.owner,
        dseq: account.dseq,
        denom: account.denom,
        state: account.state,
        opened_at: account.opened_at,
        settled_at: account.settled_at,
        balance: account.balance,
        rate: account.rate,
        open_payments: account.open_payments,
        total_deposited: account.total_deposited,
        total_settled: account.total_settled,
    })
}

/// One account with its preview.
pub fn account(
    deps: Deps,
    height: u64,
    owner: &str,
    dseq: u64,
) -> Result<AccountResponse, ContractError> {
    let owner = deps.api.addr_validate(owner)?;
    let account = load_account(deps.storage, &owner, dseq)?;
    account_response(deps.storage, account, height)
}

/// Remaining deposits, oldest first.
pub fn deposits(
    deps: Deps,
    owner: &str,
    dseq: u64,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Result<DepositsResponse, ContractError> {
    let owner = deps.api.addr_validate(owner)?;
    load_account(deps.storage, &owner, dseq)?;
    let key = DEPOSITS.key((&owner, dseq, 0));
    let start = start_after.map(|seq| seq.to_be_bytes().to_vec());
    let mut deposits = vec![];
    for (suffix, value) in page(deps.storage, prefix_of(&key, 8), start, limit) {
        let d: Deposit = from_json(&value)?;
        deposits.push(DepositInfo {
            seq: KeyReader::new(&suffix).u64(false)?,
            depositor: d.depositor,
            source: d.source,
            amount: d.amount,
            deposited: d.deposited,
            height: d.height,
        });
    }
    Ok(DepositsResponse { deposits })
}

fn payment_response(
    account: &Account,
    payment: Payment,
    settlement: &Settlement,
) -> PaymentResponse {
    let pending = settlement
        .charges
        .iter()
        .find(|c| c.payment_id == payment.id)
        .map(|c| (c.paid, c.debt))
        .unwrap_or_default();
    PaymentResponse {
        owner: account.owner.clone(),
        dseq: account.dseq,
        payment_id: payment.id,
        provider: payment.provider,
        rate: payment.rate,
        resources: payment.resources,
        state: payment.state,
        opened_at: payment.opened_at,
        // Saturating: the preview adds at most the account balance to one payment.
        withdrawable: payment.withdrawable.saturating_add(pending.0),
        debt: payment.debt.saturating_add(pending.1),
        withdrawn: payment.withdrawn,
        closed_at: payment.closed_at,
    }
}

/// One payment with its preview.
pub fn payment(
    deps: Deps,
    height: u64,
    owner: &str,
    dseq: u64,
    payment_id: u64,
) -> Result<PaymentResponse, ContractError> {
    let owner = deps.api.addr_validate(owner)?;
    let account = load_account(deps.storage, &owner, dseq)?;
    let payment = load_payment(deps.storage, &account, payment_id)?;
    let settlement = preview(deps.storage, &account, height)?;
    Ok(payment_response(&account, payment, &settlement))
}

/// An account's payments by id.
pub fn payments(
    deps: Deps,
    height: u64,
    owner: &str,
    dseq: u64,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Result<PaymentsResponse, ContractError> {
    let owner = deps.api.addr_validate(owner)?;
    let account = load_account(deps.storage, &owner, dseq)?;
    let settlement = preview(deps.storage, &account, height)?;
    let key = PAYMENTS.key((&owner, dseq, 0));
    let start = start_after.map(|id| id.to_be_bytes().to_vec());
    let mut payments = vec![];
    for (_, value) in page(deps.storage, prefix_of(&key, 8), start, limit) {
        let mut payment: Payment = from_json(&value)?;
        payment.trim_legacy_debt()?;
        payments.push(payment_response(&account, payment, &settlement));
    }
    Ok(PaymentsResponse { payments })
}

/// Blocks and seconds until the funds run out at current rates.
pub fn time_to_depletion(
    deps: Deps,
    height: u64,
    owner: &str,
    dseq: u64,
) -> Result<TimeToDepletionResponse, ContractError> {
    let owner = deps.api.addr_validate(owner)?;
    let account = load_account(deps.storage, &owner, dseq)?;
    let config = CONFIG.load(deps.storage)?;
    let settlement = preview(deps.storage, &account, height)?;
    let none = TimeToDepletionResponse {
        height,
        blocks: None,
        estimated_seconds: None,
        depletes_at: None,
    };
    // Already out of funds (or running out by this height): zero time left.
    let exhausted_at = match account.state {
        AccountState::Closed => return Ok(none),
        AccountState::Overdrawn => account.overdraw.as_ref().map(|o| o.exhausted_at),
        AccountState::Open => settlement.exhausted_at,
    };
    if exhausted_at.is_some() {
        return Ok(TimeToDepletionResponse {
            height,
            blocks: Some(0),
            estimated_seconds: Some(0),
            depletes_at: exhausted_at,
        });
    }
    // Past the preview, each stream carries what the preview left below one unit.
    // (The preview charged these same streams: one charge each, in order.)
    let mut streams = charged_streams(deps.storage, &account)?;
    for (stream, charge) in streams.iter_mut().zip(&settlement.charges) {
        stream.carry = charge.carry;
    }
    let balance = account.balance.checked_sub(settlement.paid)?;
    let Some(blocks) = blocks_covered(balance, &streams)? else {
        return Ok(none);
    };
    Ok(TimeToDepletionResponse {
        height,
        blocks: Some(blocks),
        estimated_seconds: Some(blocks.saturating_mul(config.block_time_ms) / 1000),
        depletes_at: Some(height.saturating_add(blocks).saturating_add(1)),
    })
}

/// Accounts of an owner, by dseq.
pub fn accounts_by_owner(
    deps: Deps,
    height: u64,
    owner: &str,
    start_after: Option<u64>,
    limit: Option<u32>,
) -> Result<AccountsResponse, ContractError> {
    let owner = deps.api.addr_validate(owner)?;
    let key = ACCOUNTS.key((&owner, 0));
    let start = start_after.map(|dseq| dseq.to_be_bytes().to_vec());
    let mut accounts = vec![];
    for (_, value) in page(deps.storage, prefix_of(&key, 8), start, limit) {
        accounts.push(account_response(deps.storage, from_json(&value)?, height)?);
    }
    Ok(AccountsResponse { accounts })
}

/// Accounts a depositor has deposited into.
pub fn accounts_by_depositor(
    deps: Deps,
    depositor: &str,
    start_after: Option<AccountRef>,
    limit: Option<u32>,
) -> Result<AccountRefsResponse, ContractError> {
    let depositor = deps.api.addr_validate(depositor)?;
    // Keys (depositor, owner, dseq): the page runs over (owner, dseq).
    let key = DEPOSITOR_ACCOUNTS.key((&depositor, &Addr::unchecked(""), 0));
    let start = match start_after {
        Some(r) => {
            let mut suffix = vec![];
            push_part(&mut suffix, deps.api.addr_validate(&r.owner)?.as_bytes());
            suffix.extend_from_slice(&r.dseq.to_be_bytes());
            Some(suffix)
        }
        None => None,
    };
    let mut accounts = vec![];
    for (suffix, _) in page(deps.storage, prefix_of(&key, 2 + 8), start, limit) {
        let mut r = KeyReader::new(&suffix);
        accounts.push(AccountRef {
            owner: r.addr()?.into_string(),
            dseq: r.u64(false)?,
        });
    }
    Ok(AccountRefsResponse { accounts })
}

/// Payments of a provider with their summaries previewed at `height`.
pub fn accounts_by_provider(
    deps: Deps,
    height: u64,
    provider: &str,
    start_after: Option<PaymentRef>,
    limit: Option<u32>,
) -> Result<PaymentsResponse, ContractError> {
    let provider = deps.api.addr_validate(provider)?;
    // Keys (provider, owner, (dseq, payment id)): the page runs over (owner, dseq, payment id),
    // the dseq length-prefixed as a part before the last.
    let key = PROVIDER_PAYMENTS.key((&provider, &Addr::unchecked(""), (0, 0)));
    let start = match start_after {
        Some(r) => {
            let mut suffix = vec![];
            push_part(&mut suffix, deps.api.addr_validate(&r.owner)?.as_bytes());
            push_part(&mut suffix, &r.dseq.to_be_bytes());
            suffix.extend_from_slice(&r.payment_id.to_be_bytes());
            Some(suffix)
        }
        None => None,
    };
    // Payments of one account sit next to each other: preview each account once.
    let mut current: Option<(Account, Settlement)> = None;
    let mut payments = vec![];
    for (suffix, _) in page(deps.storage, prefix_of(&key, 2 + 2 + 8 + 8), start, limit) {
        let mut r = KeyReader::new(&suffix);
        let (owner, dseq, payment_id) = (r.addr()?, r.u64(true)?, r.u64(false)?);
        let same = matches!(&current, Some((a, _)) if a.owner == owner && a.dseq == dseq);
        if !same {
            let account = load_account(deps.storage, &owner, dseq)?;
            let settlement = preview(deps.storage, &account, height)?;
            current = Some((account, settlement));
        }
        if let Some((account, settlement)) = &current {
            let payment = load_payment(deps.storage, account, payment_id)?;
            payments.push(payment_response(account, payment, settlement));
        }
    }
    Ok(PaymentsResponse { payments })
}

/// Verified work of a provider in `(from_height, to_height]`.
pub fn verified_work(
    deps: Deps,
    provider: &str,
    denom: String,
    gpu_model: String,
    from_height: u64,
    to_height: u64,
) -> Result<VerifiedWorkResponse, ContractError> {
    if from_height > to_height {
        return Err(ContractError::InvalidRange {
            from: from_height,
            to: to_height,
        });
    }
    let provider = deps.api.addr_validate(provider)?;
    let value = work::value_at(deps.storage, &provider, &denom, to_height)?.checked_sub(
        work::value_at(deps.storage, &provider, &denom, from_height)?,
    )?;
    let (end, start) = (
        work::gpu_at(deps.storage, &provider, &gpu_model, to_height)?,
        work::gpu_at(deps.storage, &provider, &gpu_model, from_height)?,
    );
    Ok(VerifiedWorkResponse {
        provider,
        from_height,
        to_height,
        denom,
        value,
        gpu_model,
        gpu_blocks: end.gpu_blocks.checked_sub(start.gpu_blocks)?,
        gpu_seconds: end.gpu_seconds.checked_sub(start.gpu_seconds)?,
    })
}

/// One allowance.
pub fn allowance(
    deps: Deps,
    granter: &str,
    grantee: &str,
    denom: &str,
) -> Result<AllowanceResponse, ContractError> {
    let (granter, grantee) = (
        deps.api.addr_validate(granter)?,
        deps.api.addr_validate(grantee)?,
    );
    let a = ALLOWANCES
        .may_load(deps.storage, (&granter, &grantee, denom))?
        .ok_or_else(|| ContractError::AllowanceNotFound {
            granter: granter.clone(),
            grantee: grantee.clone(),
            denom: denom.to_string(),
        })?;
    Ok(AllowanceResponse {
        granter,
        grantee,
        denom: denom.to_string(),
        scope: a.scope,
        balance: a.balance,
        expires_at: a.expires_at,
    })
}

/// Allowances a granter gave, by grantee and denom.
pub fn allowances(
    deps: Deps,
    granter: &str,
    start_after: Option<(String, String)>,
    limit: Option<u32>,
) -> Result<AllowancesResponse, ContractError> {
    let granter = deps.api.addr_validate(granter)?;
    // Keys (granter, grantee, denom): the page runs over (grantee, denom).
    let key = ALLOWANCES.key((&granter, &Addr::unchecked(""), ""));
    let start = match start_after {
        Some((grantee, denom)) => {
            let mut suffix = vec![];
            push_part(&mut suffix, deps.api.addr_validate(&grantee)?.as_bytes());
            suffix.extend_from_slice(denom.as_bytes());
            Some(suffix)
        }
        None => None,
    };
    let mut allowances = vec![];
    for (suffix, value) in page(deps.storage, prefix_of(&key, 2), start, limit) {
        let mut r = KeyReader::new(&suffix);
        let grantee = r.addr()?;
        let a: Allowance = from_json(&value)?;
        allowances.push(AllowanceResponse {
            granter: granter.clone(),
            grantee,
            denom: r.rest_str()?,
            scope: a.scope,
            balance: a.balance,
            expires_at: a.expires_at,
        });
    }
    Ok(AllowancesResponse { allowances })
}
