//! Epoch arithmetic: how many epochs a pilot has and the heights each covers.

use crate::error::ContractError;

/// ceil((end − start) / epoch_length); fails unless start < end and epoch_length > 0, or when
/// the count does not fit u32.
pub fn epoch_count(start: u64, end: u64, epoch_length: u64) -> Result<u32, ContractError> {
    let invalid = |reason: &str| ContractError::InvalidPilot {
        reason: reason.to_string(),
    };
    if epoch_length == 0 {
        return Err(invalid("epoch_length must be positive"));
    }
    let span = end
        .checked_sub(start)
        .filter(|s| *s > 0)
        .ok_or_else(|| invalid("end must be after start"))?;
    let full = span / epoch_length;
    let count = if span % epoch_length == 0 {
        full
    } else {
        full.checked_add(1)
            .ok_or_else(|| invalid("too many epochs"))?
    };
    u32::try_from(count).map_err(|_| invalid("too many epochs"))
}

/// The heights `(from, to]` of epoch `epoch` (0-based): from = start + epoch × len,
/// to = min(from + len, end).
pub fn epoch_range(
    start: u64,
    end: u64,
    epoch_length: u64,
    epoch: u32,
) -> Result<(u64, u64), ContractError> {
    let overflow = || ContractError::OutOfRange {
        what: "epoch range",
    };
    let from = u64::from(epoch)
        .checked_mul(epoch_length)
        .and_then(|o| start.checked_add(o))
        .ok_or_else(overflow)?;
    let to = from
        .checked_add(epoch_length)
        .ok_or_else(overflow)?
        .min(end);
    Ok((from, to))
}

#[cfg(test)]
#[path = "schedule_tests.rs"]
mod tests;
