//! Versioned migration guard: same contract name, strictly newer semver, so a migration can
//! neither downgrade a contract nor run twice.

use cosmwasm_std::{StdError, Storage};
use thiserror::Error;

/// Why a migration was refused.
#[derive(Error, Debug)]
pub enum MigrateError {
    /// Storage failed.
    #[error(transparent)]
    Std(#[from] StdError),
    /// The stored contract is a different contract.
    #[error("cannot migrate contract {stored} into {expected}")]
    WrongContract { stored: String, expected: String },
    /// A version string is not semver.
    #[error("invalid version {version:?}: {reason}")]
    InvalidVersion { version: String, reason: String },
    /// The stored version is newer than this code.
    #[error("cannot downgrade from {stored} to {new}")]
    Downgrade { stored: String, new: String },
    /// The stored version equals this code: the migration already ran.
    #[error("already at version {version}: migration refused")]
    AlreadyMigrated { version: String },
}

fn parse(version: &str) -> Result<semver::Version, MigrateError> {
    semver::Version::parse(version).map_err(|e| MigrateError::InvalidVersion {
        version: version.to_string(),
        reason: e.to_string(),
    })
}

/// Checks the stored cw2 version against `name`/`new_version` and records the new version.
/// Returns the version migrated from.
pub fn ensure_upgrade(
    storage: &mut dyn Storage,
    name: &str,
    new_version: &str,
) -> Result<String, MigrateError> {
    let stored = cw2::get_contract_version(storage)?;
    if stored.contract != name {
        return Err(MigrateError::WrongContract {
            stored: stored.contract,
            expected: name.to_string(),
        });
    }
    let (old, new) = (parse(&stored.version)?, parse(new_version)?);
    match old.cmp(&new) {
        std::cmp::Ordering::Greater => {
            return Err(MigrateError::Downgrade {
                stored: stored.version,
                new: new_version.to_string(),
            })
        }
        std::cmp::Ordering::Equal => {
            return Err(MigrateError::AlreadyMigrated {
                version: stored.version,
            })
        }
        std::cmp::Ordering::Less => {}
    }
    cw2::set_contract_version(storage, name, new_version)?;
    Ok(stored.version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::testing::MockStorage;

    fn stored(version: &str) -> MockStorage {
        let mut storage = MockStorage::new();
        cw2::set_contract_version(&mut storage, "crates.io:escrow", version).unwrap();
        storage
    }

    #[test]
    fn upgrade_once_then_refuse_replay() {
        let mut storage = stored("0.1.0");
        assert_eq!(
            ensure_upgrade(&mut storage, "crates.io:escrow", "0.2.0").unwrap(),
            "0.1.0"
        );
        assert_eq!(
            cw2::get_contract_version(&storage).unwrap().version,
            "0.2.0"
        );
        assert!(matches!(
            ensure_upgrade(&mut storage, "crates.io:escrow", "0.2.0"),
            Err(MigrateError::AlreadyMigrated { .. })
        ));
    }

    #[test]
    fn refuses_downgrade_wrong_name_and_garbage() {
        let mut storage = stored("1.2.0");
        assert!(matches!(
            ensure_upgrade(&mut storage, "crates.io:escrow", "1.1.9"),
            Err(MigrateError::Downgrade { .. })
        ));
        assert!(matches!(
            ensure_upgrade(&mut storage, "crates.io:oracle", "2.0.0"),
            Err(MigrateError::WrongContract { .. })
        ));
        assert!(matches!(
            ensure_upgrade(&mut storage, "crates.io:escrow", "two"),
            Err(MigrateError::InvalidVersion { .. })
        ));
        // Nothing changed after the refusals.
        assert_eq!(
            cw2::get_contract_version(&storage).unwrap().version,
            "1.2.0"
        );
    }
}
