//! Verified work for the incentive pilots (DESIGN §4.4): reserved GPU time of attested hosts that
//! the provider has actually been paid for, checkpointed by height so that "work between heights
//! h0 and h1" is two O(log n) lookups.
//!
//! Rule: work is booked when it is paid (a `claim`, a reclamation end, or a cancel that pays the
//! provider nothing is not work), at the paying block's height, and only when the host holds a
//! valid attestation at that moment (one O(1) read) and the tenant is not the provider (see
//! [`books_work`]). Value is what the provider received for the claimed seconds; `gpu_seconds` =
//! gpu_count × claimed seconds of the term. Cancellation fees are not work. `gpu_blocks` is always
//! zero here (reservations are timed in seconds, not blocks). A provider that claims late is
//! credited late: claim before an incentive epoch ends.
//!
//! Verified work cannot be bought from oneself (DESIGN §4.1): a provider may not reserve its own
//! host, and a reservation whose tenant is its provider books no work whatever created it. What
//! remains is two colluding addresses, a tenant paying a provider it controls: the value booked
//! is exactly the value moved from one to the other (it returns to them only through the
//! provider), and the GPU-seconds booked are at most the auditor-attested GPU count × elapsed
//! wall-clock time of a prepaid term. A cheap price does not help them: the pilots cap a payout at
//! a multiple of the value the provider was paid (DESIGN §4.4), so per unit of value moved the
//! pair gains at most that multiple, the same as for escrow leases.

use cosmwasm_std::{Addr, StdResult, Storage, Uint128, Uint256};
use cw_storage_plus::Map;
use supercloud_std::work::{checkpoint_at, Checkpoints};

use crate::error::ContractError;
use crate::msg::Reservation;

/// (provider, denom, height) -> cumulative value paid for verified work up to that height.
pub const WORK_VALUE: Checkpoints<Uint256> = Map::new("work_value");
/// (provider, gpu model, height) -> cumulative verified GPU-seconds up to that height.
pub const WORK_GPU: Checkpoints<Uint128> = Map::new("work_gpu");

/// The cumulative value at or before `height` (zero before the first checkpoint).
pub fn value_at(
    storage: &dyn Storage,
    provider: &Addr,
    denom: &str,
    height: u64,
) -> StdResult<Uint256> {
    checkpoint_at(&WORK_VALUE, storage, provider, denom, height)
}

/// The cumulative GPU-seconds at or before `height`.
pub fn gpu_at(
    storage: &dyn Storage,
    provider: &Addr,
    gpu_model: &str,
    height: u64,
) -> StdResult<Uint128> {
    checkpoint_at(&WORK_GPU, storage, provider, gpu_model, height)
}

/// Whether paid time of `r` counts as verified work: its host holds a valid attestation when it
/// is paid (`attested`) and its tenant is not its provider.
pub fn books_work(r: &Reservation, attested: bool) -> bool {
    attested && r.tenant != r.provider
}

/// One payment of verified work.
pub struct Work<'a> {
    pub provider: &'a Addr,
    pub denom: &'a str,
    pub gpu_model: &'a str,
    pub value: Uint256,
    pub gpu_seconds: u64,
}

/// Books verified work at `height`.
pub fn record(storage: &mut dyn Storage, height: u64, w: Work<'_>) -> Result<(), ContractError> {
    if !w.value.is_zero() {
        let value = value_at(storage, w.provider, w.denom, height)?.checked_add(w.value)?;
        WORK_VALUE.save(storage, (w.provider, w.denom, height), &value)?;
    }
    if w.gpu_seconds > 0 {
        let total = gpu_at(storage, w.provider, w.gpu_model, height)?
            .checked_add(Uint128::from(w.gpu_seconds))?;
        WORK_GPU.save(storage, (w.provider, w.gpu_model, height), &total)?;
    }
    Ok(())
}
