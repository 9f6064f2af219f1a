//! Denom validation with the Cosmos SDK rule `[a-zA-Z][a-zA-Z0-9/:._-]{2,127}`.

use thiserror::Error;

/// A denom that the bank module would refuse.
#[derive(Error, Debug, PartialEq, Eq)]
pub enum DenomError {
    /// Length outside 3..=128.
    #[error("invalid denom {denom:?}: length must be 3 to 128")]
    Length { denom: String },
    /// First character is not a letter.
    #[error("invalid denom {denom:?}: must start with a letter")]
    FirstChar { denom: String },
    /// A character outside `[a-zA-Z0-9/:._-]`.
    #[error("invalid denom {denom:?}: character {ch:?} is not allowed")]
    Char { denom: String, ch: char },
}

/// Checks `denom` against the Cosmos SDK denom rule.
pub fn validate_denom(denom: &str) -> Result<(), DenomError> {
    let owned = || denom.to_string();
    if !(3..=128).contains(&denom.len()) {
        return Err(DenomError::Length { denom: owned() });
    }
    let mut chars = denom.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return Err(DenomError::FirstChar { denom: owned() });
    }
    if let Some(ch) = chars.find(|c| !(c.is_ascii_alphanumeric() || "/:._-".contains(*c))) {
        return Err(DenomError::Char { denom: owned(), ch });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_native_and_ibc_denoms() {
        for d in [
            "uakt",
            "uact",
            "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1",
            "factory/x/y.z-1",
        ] {
            validate_denom(d).unwrap();
        }
    }

    #[test]
    fn rejects_bad_denoms() {
        assert!(matches!(
            validate_denom("ua"),
            Err(DenomError::Length { .. })
        ));
        assert!(matches!(
            validate_denom(&"a".repeat(129)),
            Err(DenomError::Length { .. })
        ));
        assert!(matches!(
            validate_denom("1akt"),
            Err(DenomError::FirstChar { .. })
        ));
        assert_eq!(
            validate_denom("uakt!"),
            Err(DenomError::Char {
                denom: "uakt!".into(),
                ch: '!'
            })
        );
        assert!(matches!(
            validate_denom("u akt"),
            Err(DenomError::Char { .. })
        ));
    }
}
