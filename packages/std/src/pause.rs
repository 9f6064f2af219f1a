//! Authority-controlled pause switch. Paused contracts refuse state changes that move value in;
//! each contract decides which exits (refunds, withdrawals) stay open so no funds get stuck.

use cosmwasm_std::{StdError, Storage};
use cw_storage_plus::Item;
use thiserror::Error;

const PAUSED: Item<bool> = Item::new("paused");

/// Refusal because the contract is paused.
#[derive(Error, Debug)]
pub enum PauseError {
    /// Storage failed.
    #[error(transparent)]
    Std(#[from] StdError),
    /// The authority paused the contract.
    #[error("contract is paused")]
    Paused,
}

/// The pause flag.
pub struct Paused;

impl Paused {
    /// Sets or clears the flag.
    pub fn set(storage: &mut dyn Storage, paused: bool) -> Result<(), PauseError> {
        PAUSED.save(storage, &paused)?;
        Ok(())
    }

    /// Whether the contract is paused (false before the first `set`).
    pub fn is_paused(storage: &dyn Storage) -> Result<bool, PauseError> {
        Ok(PAUSED.may_load(storage)?.unwrap_or(false))
    }

    /// Fails when the contract is paused.
    pub fn assert_not_paused(storage: &dyn Storage) -> Result<(), PauseError> {
        if Self::is_paused(storage)? {
            return Err(PauseError::Paused);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::testing::MockStorage;

    #[test]
    fn pause_round_trip() {
        let mut storage = MockStorage::new();
        assert!(!Paused::is_paused(&storage).unwrap());
        Paused::assert_not_paused(&storage).unwrap();
        Paused::set(&mut storage, true).unwrap();
        assert!(matches!(
            Paused::assert_not_paused(&storage),
            Err(PauseError::Paused)
        ));
        Paused::set(&mut storage, false).unwrap();
        Paused::assert_not_paused(&storage).unwrap();
    }
}
