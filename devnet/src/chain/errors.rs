//! Tx failures as the SDK reports them: a codespace, a code and a log line.

use std::fmt;

use cosmwasm_std::StdError;

/// A failed tx (or message): what lands in `ExecTxResult.{codespace, code, log}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxError {
    /// Module that failed (`sdk`, `wasm`, `gov`).
    pub codespace: &'static str,
    /// Error code within the codespace (never 0).
    pub code: u32,
    /// Human-readable reason, as the SDK formats it (`<detail>: <registered error text>`).
    pub log: String,
}

impl fmt::Display for TxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (codespace {}, code {})",
            self.log, self.codespace, self.code
        )
    }
}

impl std::error::Error for TxError {}

impl TxError {
    fn new(codespace: &'static str, code: u32, detail: impl fmt::Display, text: &str) -> Self {
        let detail = detail.to_string();
        let log = if detail.is_empty() {
            text.to_string()
        } else {
            format!("{detail}: {text}")
        };
        TxError {
            codespace,
            code,
            log,
        }
    }

    /// `sdk` 2: the tx bytes do not decode.
    pub fn tx_decode(detail: impl fmt::Display) -> Self {
        Self::new("sdk", 2, detail, "tx parse error")
    }

    /// `sdk` 7: a malformed address.
    pub fn invalid_address(detail: impl fmt::Display) -> Self {
        Self::new("sdk", 7, detail, "invalid address")
    }

    /// `sdk` 4: the signer may not do this.
    pub fn unauthorized(detail: impl fmt::Display) -> Self {
        Self::new("sdk", 4, detail, "unauthorized")
    }

    /// `sdk` 5: not enough coins.
    pub fn insufficient_funds(detail: impl fmt::Display) -> Self {
        Self::new("sdk", 5, detail, "insufficient funds")
    }

    /// `sdk` 10: a malformed coin amount.
    pub fn invalid_coins(detail: impl fmt::Display) -> Self {
        Self::new("sdk", 10, detail, "invalid coins")
    }

    /// `sdk` 9: the account does not exist.
    pub fn unknown_address(detail: impl fmt::Display) -> Self {
        Self::new("sdk", 9, detail, "unknown address")
    }

    /// `sdk` 6: an unknown message type.
    pub fn unknown_request(detail: impl fmt::Display) -> Self {
        Self::new("sdk", 6, detail, "unknown request")
    }

    /// `sdk` 8: the public key is missing, malformed or not the signer's.
    pub fn invalid_pubkey(detail: impl fmt::Display) -> Self {
        Self::new("sdk", 8, detail, "invalid pubkey")
    }

    /// `sdk` 13: the fee is below the minimum gas price times the gas limit.
    pub fn insufficient_fee(detail: impl fmt::Display) -> Self {
        Self::new("sdk", 13, detail, "insufficient fee")
    }

    /// `sdk` 18: a malformed message.
    pub fn invalid_request(detail: impl fmt::Display) -> Self {
        Self::new("sdk", 18, detail, "invalid request")
    }

    /// `sdk` 11: the tx needed more gas than its limit (`location`: where the meter ran out).
    pub fn out_of_gas(location: &str, wanted: u64, used: u64) -> Self {
        Self::new(
            "sdk",
            11,
            format!("out of gas in location: {location}; gasWanted: {wanted}, gasUsed: {used}"),
            "out of gas",
        )
    }

    /// `sdk` 32: the signer info's sequence is not the account's.
    pub fn wrong_sequence(expected: u64, got: u64) -> Self {
        Self::new(
            "sdk",
            32,
            format!("account sequence mismatch, expected {expected}, got {got}"),
            "incorrect account sequence",
        )
    }

    /// `wasm` 2: the code does not pass the chain's checks.
    pub fn create_failed(detail: impl fmt::Display) -> Self {
        Self::new("wasm", 2, detail, "create wasm contract failed")
    }

    /// `wasm` 4: instantiation failed.
    pub fn instantiate_failed(detail: impl fmt::Display) -> Self {
        Self::new("wasm", 4, detail, "instantiate wasm contract failed")
    }

    /// `wasm` 5: execution failed.
    pub fn execute_failed(detail: impl fmt::Display) -> Self {
        Self::new("wasm", 5, detail, "execute wasm contract failed")
    }

    /// `wasm` 11: migration failed.
    pub fn migrate_failed(detail: impl fmt::Display) -> Self {
        Self::new("wasm", 11, detail, "migrate wasm contract failed")
    }

    /// `gov` 2: no such proposal.
    pub fn unknown_proposal(id: u64) -> Self {
        Self::new("gov", 2, format!("{id}"), "unknown proposal")
    }

    /// `gov` 3: the proposal is not in its voting period.
    pub fn inactive_proposal(id: u64) -> Self {
        Self::new("gov", 3, format!("{id}"), "inactive proposal")
    }

    /// `gov` 11: a proposal without messages.
    pub fn no_proposal_msgs() -> Self {
        Self::new("gov", 11, "", "no messages proposed")
    }

    /// `gov` 13: a proposal message not signed by the gov module.
    pub fn invalid_signer(detail: impl fmt::Display) -> Self {
        Self::new(
            "gov",
            13,
            detail,
            "expected authority account as only signer for proposal message",
        )
    }

    /// `sdk` 1: anything else the devnet could not do.
    pub fn internal(detail: impl fmt::Display) -> Self {
        Self::new("sdk", 1, detail, "internal")
    }

    /// The same error with `failed to execute message; message index: i: ` in front, as the
    /// SDK's baseapp reports message failures.
    pub fn at_message(mut self, index: usize) -> Self {
        self.log = format!(
            "failed to execute message; message index: {index}: {}",
            self.log
        );
        self
    }
}

/// The root cause of a cw-multi-test error: the text after the last `kind: Other, error: `
/// (cw-multi-test prefixes the message it was executing), as wasmd logs only the contract's error.
pub fn std_text(e: &StdError) -> String {
    let text = e.to_string();
    const MARK: &str = "kind: Other, error: ";
    let root = match text.rfind(MARK) {
        Some(i) => &text[i + MARK.len()..],
        None => text.as_str(),
    };
    root.trim().to_string()
}

/// Classifies a bank error from cw-multi-test (an underflow is insufficient funds).
pub fn bank_error(e: &StdError) -> TxError {
    let text = std_text(e);
    if text.contains("Overflow") || text.contains("Cannot Sub") || text.contains("underflow") {
        TxError::insufficient_funds(text)
    } else {
        TxError::invalid_request(text)
    }
}
