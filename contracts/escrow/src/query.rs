//! Read-only views. Account and payment views include a live settlement preview at the query
//! height, so callers never see a balance that lazy settlement has not caught up with.

use cosmwasm_std::{Deps, Order, StdResult, Storage, Uint256};
use cw_storage_plus::Bound;
use supercloud_std::{page_limit, Authority, Paused};

use crate::account::{charged_streams, load_account, load_payment, open_payments, preview};
use crate::error::ContractError;
use crate::msg::{
    AccountRef, AccountRefsResponse, AccountResponse, AccountState, AccountsResponse,
    AllowanceResponse, AllowancesResponse, ConfigResponse, DepositInfo, DepositsResponse,
    PaymentRef, PaymentResponse, PaymentsResponse, SettlementPreview, TimeToDepletionResponse,
    VerifiedWorkResponse,
};
use crate::settlement::{blocks_covered, Settlement, Stream};
use crate::state::{
    Account, Payment, ACCOUNTS, ALLOWANCES, CONFIG, DEPOSITOR_ACCOUNTS, DEPOSITS, PAYMENTS,
    PROVIDER_PAYMENTS,
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
    let deposits = DEPOSITS
        .prefix((&owner, dseq))
        .range(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(page_limit(limit))
        .map(|item| {
            let (seq, d) = item?;
            Ok(DepositInfo {
                seq,
                depositor: d.depositor,
                source: d.source,
                amount: d.amount,
                deposited: d.deposited,
                height: d.height,
            })
        })
        .collect::<StdResult<Vec<_>>>()?;
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
    let payments = PAYMENTS
        .prefix((&owner, dseq))
        .range(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(page_limit(limit))
        .map(|item| Ok(payment_response(&account, item?.1, &settlement)))
        .collect::<Result<Vec<_>, ContractError>>()?;
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
    let streams: Vec<Stream> = charged_streams(deps.storage, &account)?
        .into_iter()
        .zip(&settlement.charges)
        .map(|(s, c)| Stream {
            carry: c.carry,
            ..s
        })
        .collect();
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
    let accounts = ACCOUNTS
        .prefix(&owner)
        .range(
            deps.storage,
            start_after.map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(page_limit(limit))
        .map(|item| account_response(deps.storage, item?.1, height))
        .collect::<Result<Vec<_>, ContractError>>()?;
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
    let start = start_after
        .map(|r| Ok::<_, ContractError>((deps.api.addr_validate(&r.owner)?, r.dseq)))
        .transpose()?;
    let accounts = DEPOSITOR_ACCOUNTS
        .sub_prefix(&depositor)
        .keys(
            deps.storage,
            start.as_ref().map(|(o, d)| Bound::exclusive((o, *d))),
            None,
            Order::Ascending,
        )
        .take(page_limit(limit))
        .map(|item| {
            let (owner, dseq) = item?;
            Ok(AccountRef {
                owner: owner.to_string(),
                dseq,
            })
        })
        .collect::<StdResult<Vec<_>>>()?;
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
    let start = start_after
        .map(|r| {
            Ok::<_, ContractError>((deps.api.addr_validate(&r.owner)?, (r.dseq, r.payment_id)))
        })
        .transpose()?;
    let keys = PROVIDER_PAYMENTS
        .sub_prefix(&provider)
        .keys(
            deps.storage,
            start.as_ref().map(|(o, k)| Bound::exclusive((o, *k))),
            None,
            Order::Ascending,
        )
        .take(page_limit(limit))
        .collect::<StdResult<Vec<_>>>()?;
    // Payments of one account sit next to each other: preview each account once.
    let mut current: Option<(Account, Settlement)> = None;
    let mut payments = Vec::with_capacity(keys.len());
    for (owner, (dseq, payment_id)) in keys {
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
    let start = start_after
        .map(|(g, d)| Ok::<_, ContractError>((deps.api.addr_validate(&g)?, d)))
        .transpose()?;
    let allowances = ALLOWANCES
        .sub_prefix(&granter)
        .range(
            deps.storage,
            start
                .as_ref()
                .map(|(g, d)| Bound::exclusive((g, d.as_str()))),
            None,
            Order::Ascending,
        )
        .take(page_limit(limit))
        .map(|item| {
            let ((grantee, denom), a) = item?;
            Ok(AllowanceResponse {
                granter: granter.clone(),
                grantee,
                denom,
                scope: a.scope,
                balance: a.balance,
                expires_at: a.expires_at,
            })
        })
        .collect::<StdResult<Vec<_>>>()?;
    Ok(AllowancesResponse { allowances })
}
