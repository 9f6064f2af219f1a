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

/// A `MAJOR.MINOR.PATCH[-PRE]` version (semver 2.0.0; build metadata is refused: cw2 versions
/// here never carry it). Hand-written rather than the `semver` crate, whose parser costs every
/// contract about 4 KB of its 400 KiB wasm budget; the tests check it against `semver`.
#[derive(Debug, PartialEq, Eq)]
struct Version<'a> {
    core: [u64; 3],
    pre: Vec<&'a str>,
}

impl Ord for Version<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        self.core.cmp(&other.core).then_with(|| {
            // A pre-release sorts before its release; identifiers compare field by field,
            // numeric ones as numbers and below alphanumeric ones, and more fields sort later.
            match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => {
                    for (a, b) in self.pre.iter().zip(&other.pre) {
                        let order = match (numeric(a), numeric(b)) {
                            (Some(x), Some(y)) => x.cmp(&y),
                            (Some(_), None) => Ordering::Less,
                            (None, Some(_)) => Ordering::Greater,
                            (None, None) => a.cmp(b),
                        };
                        if order != Ordering::Equal {
                            return order;
                        }
                    }
                    self.pre.len().cmp(&other.pre.len())
                }
            }
        })
    }
}

impl PartialOrd for Version<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// A numeric identifier's value (digits only, no leading zero unless it is `0`).
fn numeric(id: &str) -> Option<u64> {
    let digits = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
    if !digits || (id.len() > 1 && id.starts_with('0')) {
        return None;
    }
    id.parse().ok()
}

fn parse(version: &str) -> Result<Version<'_>, MigrateError> {
    let invalid = |reason: &str| MigrateError::InvalidVersion {
        version: version.to_string(),
        reason: reason.to_string(),
    };
    if version.contains('+') {
        return Err(invalid("build metadata is not supported"));
    }
    let (core, pre) = match version.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (version, None),
    };
    let mut parts = core.split('.');
    let mut numbers = [0u64; 3];
    for n in numbers.iter_mut() {
        *n = parts
            .next()
            .and_then(numeric)
            .ok_or_else(|| invalid("expected MAJOR.MINOR.PATCH numbers without leading zeros"))?;
    }
    if parts.next().is_some() {
        return Err(invalid("more than three version numbers"));
    }
    let mut ids = Vec::new();
    for id in pre.map(|p| p.split('.')).into_iter().flatten() {
        let alphanumeric = id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        let leading_zero =
            id.len() > 1 && id.starts_with('0') && id.bytes().all(|b| b.is_ascii_digit());
        if id.is_empty() || !alphanumeric || leading_zero {
            return Err(invalid("invalid pre-release identifier"));
        }
        ids.push(id);
    }
    Ok(Version {
        core: numbers,
        pre: ids,
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
        assert!(matches!(
            ensure_upgrade(&mut storage, "crates.io:escrow", "1.3.0+build"),
            Err(MigrateError::InvalidVersion { .. })
        ));
        // Nothing changed after the refusals.
        assert_eq!(
            cw2::get_contract_version(&storage).unwrap().version,
            "1.2.0"
        );
    }

    mod against_semver {
        use super::super::parse;
        use proptest::prelude::*;

        /// Versions with the shapes that matter: small numbers (ties), leading zeros, numeric
        /// and alphanumeric pre-release identifiers, empty identifiers, stray characters.
        fn version() -> impl Strategy<Value = String> {
            let number = prop_oneof!["0", "1", "2", "10", "01", "9"];
            let id = prop_oneof!["0", "1", "11", "02", "alpha", "beta", "rc", "x-y", "", "a_b"];
            (
                number.clone(),
                number.clone(),
                number,
                prop::option::of(prop::collection::vec(id, 1..4)),
            )
                .prop_map(|(a, b, c, pre)| match pre {
                    Some(ids) => format!("{a}.{b}.{c}-{}", ids.join(".")),
                    None => format!("{a}.{b}.{c}"),
                })
        }

        proptest! {
            /// Accepts exactly what `semver` accepts and orders versions as it does.
            #[test]
            fn parses_and_orders_as_semver(a in version(), b in version()) {
                let (ours_a, ours_b) = (parse(&a), parse(&b));
                let (ref_a, ref_b) = (semver::Version::parse(&a), semver::Version::parse(&b));
                prop_assert_eq!(ours_a.is_ok(), ref_a.is_ok(), "{}", a);
                prop_assert_eq!(ours_b.is_ok(), ref_b.is_ok(), "{}", b);
                if let (Ok(x), Ok(y), Ok(rx), Ok(ry)) = (ours_a, ours_b, ref_a, ref_b) {
                    prop_assert_eq!(x.cmp(&y), rx.cmp(&ry), "{} vs {}", a, b);
                }
            }
        }
    }
}
