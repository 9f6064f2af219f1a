//! Reads verified work and prices from other contracts, and turns them into amounts.
//!
//! Work is read with the shared [`VerifiedWorkQuery`] (DESIGN §4.1, §4.5), per eligible GPU model
//! over `(from, to]`, from every configured source and added up:
//! - the escrow contract (always): what the provider's leases actually paid for, booked at
//!   settlement height; a lease paying its own owner books nothing;
//! - the reservations contract, when `Config::reservations` is set: reserved time of attested
//!   hosts that the provider was paid for, booked at claim height (never `gpu_blocks`).
//!
//! GPU-seconds and GPU-blocks are summed per model over the sources; committed pilots convert each
//! model's summed GPU-seconds to hours once. Value is per denom and independent of the model, so
//! it is taken once per source (from its first model's answer) and the sources' values are added.
//! A source that fails to answer fails the measurement (settlement waits; nothing is paid short).

use cosmwasm_std::{
    from_json, to_json_binary, to_json_vec, Addr, Binary, ContractResult, Decimal256, Deps,
    QuerierWrapper, StdError, StdResult, SystemResult, Uint128, Uint256,
};
use serde::Serialize;
use supercloud_std::VerifiedWorkQuery;

use crate::error::ContractError;
use crate::msg::{Config, Pilot, PilotKind};

/// Seconds per hour (GPU-seconds to GPU-hours).
const SECONDS_PER_HOUR: u128 = 3_600;

map_struct! {
    /// The part of a source's `VerifiedWorkResponse` pip uses (other fields are ignored).
    pub struct Work {
        pub value: Uint256,
        pub gpu_blocks: Uint128,
        pub gpu_seconds: Uint128,
    }
}

/// The oracle's `price {pair}` query (`oracle::msg::QueryMsg::Price` on the wire).
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OracleQuery<'a> {
    Price { pair: &'a str },
}

map_struct! {
    /// The part of the oracle's `PriceResponse` pip uses.
    pub struct PriceAnswer {
        /// USD per whole budget token.
        pub price: Decimal256,
    }
}

/// `QueryRequest::Wasm(WasmQuery::Smart {..})` on the wire. Serializing `cosmwasm_std`'s
/// `QueryRequest` links the serializers of every query kind (about 3 KB of pip's wasm); this is
/// the one kind pip sends.
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SmartRequest<'a> {
    Wasm { smart: SmartQuery<'a> },
}

/// The body of a [`SmartRequest`].
#[derive(Serialize)]
pub struct SmartQuery<'a> {
    pub contract_addr: &'a str,
    pub msg: Binary,
}

/// What `QuerierWrapper::query_wasm_smart` does, with the request built as a [`SmartRequest`]
/// (the errors read the same): the answer of `contract` to the JSON query `msg`.
pub fn query_smart(querier: &QuerierWrapper, contract: &Addr, msg: Binary) -> StdResult<Binary> {
    let request = to_json_vec(&SmartRequest::Wasm {
        smart: SmartQuery {
            contract_addr: contract.as_str(),
            msg,
        },
    })?;
    match querier.raw_query(&request) {
        SystemResult::Err(e) => Err(StdError::msg(format_args!("Querier system error: {e}"))),
        SystemResult::Ok(ContractResult::Err(e)) => {
            Err(StdError::msg(format_args!("Querier contract error: {e}")))
        }
        SystemResult::Ok(ContractResult::Ok(value)) => Ok(value),
    }
}

/// One eligible GPU model's work in a range (escrow and reservations added up).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelWork {
    pub gpu_model: String,
    pub gpu_seconds: Uint128,
    pub gpu_blocks: Uint128,
    /// Committed kind: GPU-hours × the model's rate.
    pub usd: Option<Decimal256>,
}

/// A provider's eligible work in one range.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Measurement {
    pub gpu_seconds: Uint128,
    pub gpu_blocks: Uint128,
    /// Value paid to the provider in the pilot denom: escrow leases plus reservations.
    pub value: Uint256,
    /// Committed kind: Σ GPU-hours × rate (each model's hours floored to 18 decimals).
    pub usd: Option<Decimal256>,
    /// Whether `min_gpu_count` is met (always true without one).
    pub qualified: bool,
    /// The models with work, in the pilot's order.
    pub models: Vec<ModelWork>,
}

impl Measurement {
    /// The liquidity basis: eligible GPU-seconds, zero when not qualified.
    pub fn basis(&self) -> Uint128 {
        if self.qualified {
            self.gpu_seconds
        } else {
            Uint128::zero()
        }
    }
}

/// The cross-contract work queries one [`measure`] makes: one per eligible GPU model and source
/// (escrow, and reservations when configured). Settlement budgets its batches by this.
pub fn work_queries(config: &Config, pilot: &Pilot) -> u32 {
    let sources: u32 = if config.reservations.is_some() { 2 } else { 1 };
    // At most MAX_GPU_MODELS (8) models: no overflow.
    u32::try_from(pilot.eligible.gpu_models.len())
        .unwrap_or(u32::MAX)
        .saturating_mul(sources)
}

/// Measures `provider`'s eligible work in `(from, to]` (empty when `from >= to`).
pub fn measure(
    deps: Deps,
    config: &Config,
    pilot: &Pilot,
    provider: &Addr,
    from: u64,
    to: u64,
) -> Result<Measurement, ContractError> {
    let rates = match &pilot.kind {
        PilotKind::Committed { rates, .. } => Some(rates),
        PilotKind::Liquidity { .. } => None,
    };
    let mut m = Measurement {
        usd: rates.map(|_| Decimal256::zero()),
        qualified: true,
        ..Measurement::default()
    };
    if from < to {
        let sources = [Some(&config.escrow), config.reservations.as_ref()];
        for (i, model) in pilot.eligible.gpu_models.iter().enumerate() {
            let query = to_json_binary(&VerifiedWorkQuery::VerifiedWork {
                provider: provider.to_string(),
                denom: pilot.denom.clone(),
                gpu_model: model.clone(),
                from_height: from,
                to_height: to,
            })?;
            let mut seconds = Uint128::zero();
            let mut blocks = Uint128::zero();
            for source in sources.into_iter().flatten() {
                let work: Work = from_json(query_smart(&deps.querier, source, query.clone())?)?;
                if i == 0 {
                    // Value is per denom, the same for every model query of one source.
                    m.value = m.value.checked_add(work.value)?;
                }
                seconds = seconds.checked_add(work.gpu_seconds)?;
                blocks = blocks.checked_add(work.gpu_blocks)?;
            }
            if seconds.is_zero() && blocks.is_zero() {
                continue;
            }
            m.gpu_seconds = m.gpu_seconds.checked_add(seconds)?;
            m.gpu_blocks = m.gpu_blocks.checked_add(blocks)?;
            let mut usd = None;
            if let (Some(rates), Some(total)) = (rates, m.usd) {
                let rate = rates
                    .iter()
                    .find(|r| r.gpu_model == *model)
                    .map(|r| r.usd_per_gpu_hour)
                    .unwrap_or_default();
                let hours = Decimal256::checked_from_ratio(seconds, SECONDS_PER_HOUR)?;
                let model_usd = hours.checked_mul(rate)?;
                m.usd = Some(total.checked_add(model_usd)?);
                usd = Some(model_usd);
            }
            m.models.push(ModelWork {
                gpu_model: model.clone(),
                gpu_seconds: seconds,
                gpu_blocks: blocks,
                usd,
            });
        }
    }
    if let Some(min) = pilot.eligible.min_gpu_count {
        let blocks = to.saturating_sub(from);
        let needed = Uint128::from(min).checked_mul(Uint128::from(blocks))?;
        m.qualified = from < to && m.gpu_blocks >= needed;
    }
    Ok(m)
}

/// The oracle price of the budget token in USD; an error when the oracle has none.
pub fn price(deps: Deps, config: &Config) -> Result<Decimal256, ContractError> {
    let unavailable = |reason: String| ContractError::PriceUnavailable { reason };
    let query = to_json_binary(&OracleQuery::Price {
        pair: &config.oracle_pair,
    })?;
    let res: PriceAnswer = query_smart(&deps.querier, &config.oracle, query)
        .and_then(from_json)
        .map_err(|e| unavailable(e.to_string()))?;
    if res.price.is_zero() {
        return Err(unavailable("zero price".into()));
    }
    Ok(res.price)
}

/// 10^decimals.
fn scale(decimals: u32) -> Result<Uint256, ContractError> {
    Ok(Uint256::from(10u8).checked_pow(decimals)?)
}

/// floor(usd × 10^decimals / price): base units of the budget token for `usd`.
pub fn tokens_for_usd(
    usd: Decimal256,
    price: Decimal256,
    decimals: u32,
) -> Result<Uint256, ContractError> {
    if price.is_zero() {
        return Err(ContractError::PriceUnavailable {
            reason: "zero price".into(),
        });
    }
    // (usd·1e18 × scale) / (price·1e18), floored, with a 512-bit intermediate.
    Ok(usd
        .atomics()
        .checked_multiply_ratio(scale(decimals)?, price.atomics())?)
}

/// The USD value of `amount` base units at `price` USD per whole token: amount / 10^decimals ×
/// price (18 decimals, floored).
pub fn usd_value(
    amount: Uint256,
    price: Decimal256,
    decimals: u32,
) -> Result<Decimal256, ContractError> {
    Ok(Decimal256::checked_from_ratio(amount, scale(decimals)?)?.checked_mul(price)?)
}

/// floor(allocation × basis / total); zero when total is zero.
pub fn pro_rata(
    allocation: Uint256,
    basis: Uint128,
    total: Uint128,
) -> Result<Uint256, ContractError> {
    if total.is_zero() {
        return Ok(Uint256::zero());
    }
    Ok(allocation.checked_multiply_ratio(basis, total)?)
}

/// A payout after its caps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capped {
    /// What is paid.
    pub amount: Uint256,
    /// floor(multiple × value).
    pub value_cap: Uint256,
    /// Whether `amount` is below what the rule gave.
    pub capped: bool,
}

/// The payout of one provider for one epoch:
///
/// ```text
/// amount = min(due, floor(m × value), available)
/// ```
///
/// - `due`: the kind's rule, committed `floor(usd × 10^decimals / price)` with
///   `usd = Σ_model GPU-hours × rate`, liquidity `floor(allocation × basis / Σ basis)`;
/// - `value`: what the provider was paid by others in the pilot denom for the epoch's counted
///   range (escrow leases and attested reservations, as booked by those contracts; a lease that
///   pays its own owner books nothing, and a provider cannot reserve its own host);
/// - `m`: the pilot's `max_payout_multiple`;
/// - `available`: the remaining budget (committed) or the epoch's unpaid allocation (liquidity).
///
/// **What two colluding addresses can gain.** A tenant T and an enrolled provider P under one
/// control move `V` base units from T to P through a lease or a reservation. The move is internal
/// to the pair: it costs them nothing but gas (escrow and reservations keep no share of a
/// payment), and the GPU model and count of a lease are whatever T declares, so `due` can be made
/// as large as they like. The cap makes what the pilot pays them at most `m × V`:
///
/// ```text
/// gain per unit of value moved = amount / V ≤ m        (in the pilot's denom)
/// ```
///
/// whatever GPU count, model or rate they declare. The same capital can be moved again in the
/// next epoch, so over a pilot the pair gains at most `m × Σ_epochs V_epoch`, and never more than
/// the budget (committed) or the allocations (liquidity) that honest providers leave.
///
/// An honest provider is not capped while `due ≤ m × value`. For a committed pilot paying `r` USD
/// per GPU-hour at a token price of `p` USD, a provider whose leases pay `q` base units per
/// GPU-hour has `due / value = r × 10^decimals / (p × q)`; the authority chooses `m` at least
/// that subsidy ratio at the prices it expects. For a liquidity pilot, `due / value` is the
/// epoch's allocation per unit of the providers' revenue.
pub fn cap_payout(
    due: Uint256,
    value: Uint256,
    multiple: Decimal256,
    available: Uint256,
) -> Result<Capped, ContractError> {
    let value_cap =
        value.checked_multiply_ratio(multiple.atomics(), Decimal256::one().atomics())?;
    let amount = due.min(value_cap).min(available);
    Ok(Capped {
        amount,
        value_cap,
        capped: amount < due,
    })
}

#[cfg(test)]
#[path = "measure_tests.rs"]
mod tests;
