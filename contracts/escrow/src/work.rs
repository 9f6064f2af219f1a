//! Verified work (DESIGN §4.1): what each provider was actually paid for, checkpointed by height
//! so that "work between heights h0 and h1" is two O(log n) lookups, never a walk over leases.
//!
//! Work is booked when value moves to a provider, at that height: value per denom (what moved to
//! the provider's withdrawable balance), and per GPU model the GPU-blocks and GPU-seconds that
//! value paid for, per payment (whole blocks at the payment's rate). A settlement that pays a
//! lease in full books all its blocks; one that runs short books, for each lease, only the
//! blocks that lease was actually paid for; a debt paid later by a top-up books its blocks then.
//! A provider whose leases were not settled yet has not been credited yet: settle (withdraw)
//! before an incentive epoch ends to have the work count in it.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Decimal256, StdResult, Storage, Uint128, Uint256, Uint64};
use cw_storage_plus::Map;
use supercloud_std::work::{checkpoint_at, Checkpoints};

use crate::error::ContractError;
use crate::msg::Resources;
use crate::settlement::UNIT;
use crate::wire::wire_struct;

/// Cumulative GPU work of one provider and GPU model.
#[cw_serde]
#[derive(Default)]
#[serde(try_from = "crate::wire::Value")]
#[schemaifier(mute_warnings)]
pub struct GpuWork {
    /// Σ gpu_count × fully paid blocks.
    pub gpu_blocks: Uint128,
    /// Σ gpu_count × seconds of fully paid blocks.
    pub gpu_seconds: Uint128,
}

wire_struct!(GpuWork {
    gpu_blocks,
    gpu_seconds
});

/// (provider, denom, height) -> cumulative value settled to the provider up to that height.
pub const WORK_VALUE: Checkpoints<Uint256> = Map::new("work_value");
/// (provider, gpu model, height) -> cumulative GPU work up to that height.
pub const WORK_GPU: Checkpoints<GpuWork> = Map::new("work_gpu");

/// One payment's contribution to a settlement.
pub struct Delta {
    /// Value moved to the provider.
    pub value: Uint256,
    /// Blocks paid in full.
    pub blocks: u64,
    /// Seconds of the blocks paid in full.
    pub seconds: u64,
}

/// GPU work follows value (zero value, zero work): the blocks a payment was charged for and the
/// value it paid, not yet matched. Each settlement adds both and books the blocks the value
/// covers, `min(blocks, floor(value / rate))`; the rest waits. So a lease whose charge rounds
/// to nothing (a rate of 10^-18 per block) books no GPU-blocks however many GPUs it declares, and
/// over a lease's life the blocks booked are those its payments cover, whatever the touches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Unbooked {
    /// Blocks charged whose GPU work is not booked yet.
    pub blocks: u64,
    /// Value paid but not yet matched to blocks (units, with the rate's 18 decimals).
    pub value: Decimal256,
}

impl Unbooked {
    /// Adds `blocks` charged and `value` paid at `rate` per block; returns the blocks to book now.
    pub fn book(
        &mut self,
        blocks: u64,
        value: Uint256,
        rate: Decimal256,
    ) -> Result<u64, ContractError> {
        let pending = self.blocks.saturating_add(blocks);
        let value = self.value.atomics().checked_add(value.checked_mul(UNIT)?)?;
        let covered = match value.checked_div(rate.atomics()) {
            Ok(q) => Uint64::try_from(q).map_or(u64::MAX, |b| b.u64()),
            // A zero rate (refused at opening): every block is paid.
            Err(_) => u64::MAX,
        };
        let booked = pending.min(covered);
        let used = rate.atomics().checked_mul(Uint256::from(booked))?;
        self.blocks = pending.saturating_sub(booked);
        self.value = Decimal256::new(value.saturating_sub(used));
        Ok(booked)
    }
}

/// `seconds` scaled to `part` of `whole` blocks (0 when `whole` is 0).
pub fn prorate_seconds(seconds: u64, part: u64, whole: u64) -> u64 {
    if whole == 0 {
        return 0;
    }
    // part may exceed whole (blocks booked late, once value covers them): u128 for the product,
    // and a quotient beyond u64 saturates.
    u64::try_from(u128::from(seconds) * u128::from(part) / u128::from(whole)).unwrap_or(u64::MAX)
}

/// The cumulative value settled in `denom` at or before `height`.
pub fn value_at(
    storage: &dyn Storage,
    provider: &Addr,
    denom: &str,
    height: u64,
) -> StdResult<Uint256> {
    checkpoint_at(&WORK_VALUE, storage, provider, denom, height)
}

/// The cumulative GPU work on `gpu_model` at or before `height`.
pub fn gpu_at(
    storage: &dyn Storage,
    provider: &Addr,
    gpu_model: &str,
    height: u64,
) -> StdResult<GpuWork> {
    checkpoint_at(&WORK_GPU, storage, provider, gpu_model, height)
}

/// Books one payment's settled work at `height`.
pub fn record(
    storage: &mut dyn Storage,
    provider: &Addr,
    denom: &str,
    resources: &Resources,
    height: u64,
    delta: Delta,
) -> Result<(), ContractError> {
    if !delta.value.is_zero() {
        let value = value_at(storage, provider, denom, height)?.checked_add(delta.value)?;
        WORK_VALUE.save(storage, (provider, denom, height), &value)?;
    }
    let count = u128::from(resources.gpu_count);
    if count > 0 && delta.blocks > 0 {
        let mut work = gpu_at(storage, provider, &resources.gpu_model, height)?;
        let blocks = Uint128::from(count).checked_mul(Uint128::from(delta.blocks))?;
        let seconds = Uint128::from(count).checked_mul(Uint128::from(delta.seconds))?;
        work.gpu_blocks = work.gpu_blocks.checked_add(blocks)?;
        work.gpu_seconds = work.gpu_seconds.checked_add(seconds)?;
        WORK_GPU.save(storage, (provider, &resources.gpu_model, height), &work)?;
    }
    Ok(())
}

#[cfg(test)]
#[path = "work_tests.rs"]
mod tests;
