//! A contract's refusal as the harnesses see it.
//!
//! cw-multi-test 3 hands a contract error back as a message-only `StdError`, so the typed error is
//! gone by the time a test looks at it; matching a fragment of its text is all that is left.

use cosmwasm_std::{StdError, StdResult};
use std::fmt;

/// A failed execute, holding the error text cw-multi-test returned for the contract's error.
#[derive(Debug)]
pub struct Failure(pub StdError);

impl Failure {
    /// Whether the contract refused with an error whose message contains `fragment`.
    pub fn says(&self, fragment: &str) -> bool {
        self.0.to_string().contains(fragment)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Asserts that `result` failed with a message containing `needle`.
#[track_caller]
pub fn assert_err<T: fmt::Debug>(result: StdResult<T>, needle: &str) {
    match result {
        Ok(v) => panic!("expected an error containing {needle:?}, got Ok({v:?})"),
        Err(e) => {
            let msg = format!("{e}");
            assert!(
                msg.contains(needle),
                "error {msg:?} does not contain {needle:?}"
            );
        }
    }
}
