//! RPC failures, classed by what the fetcher does next.

use thiserror::Error;

/// What went wrong with one RPC call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RpcFault {
    /// HTTP 429: slow down (shrink the window), then retry.
    RateLimited,
    /// HTTP 5xx or a JSON-RPC internal error: shrink the window, retry.
    Server,
    /// No answer in time: shrink the window, retry.
    Timeout,
    /// The body was not the JSON expected (e.g. truncated): retry.
    Malformed,
    /// Connection refused or reset: retry (another node if there is one).
    Connection,
    /// The node has pruned the height; it keeps blocks from `lowest` on.
    Pruned { lowest: u64 },
    /// The height is above the node's tip: retry later.
    NotYet,
}

impl RpcFault {
    /// Whether the fault says the node is overloaded (the window shrinks).
    pub fn is_pressure(&self) -> bool {
        matches!(self, Self::RateLimited | Self::Server | Self::Timeout)
    }

    /// The label used in logs and metrics.
    pub fn label(&self) -> &'static str {
        match self {
            Self::RateLimited => "rate_limited",
            Self::Server => "server",
            Self::Timeout => "timeout",
            Self::Malformed => "malformed",
            Self::Connection => "connection",
            Self::Pruned { .. } => "pruned",
            Self::NotYet => "not_yet",
        }
    }
}

/// A failed RPC call: which node, the fault class, and the client's message.
#[derive(Clone, Debug, Error)]
#[error("{url}: {} ({message})", fault.label())]
pub struct RpcError {
    pub url: String,
    pub fault: RpcFault,
    pub message: String,
}

impl RpcError {
    /// Classifies a tendermint-rpc error.
    pub fn classify(url: &str, err: &tendermint_rpc::Error) -> Self {
        use tendermint_rpc::error::ErrorDetail;
        let message = err.to_string();
        // flex_error keeps the transport's own message in the trace, not in `Display`.
        let trace = format!("{err:?}");
        let fault = match err.detail() {
            ErrorDetail::HttpRequestFailed(e) if e.status.as_u16() == 429 => RpcFault::RateLimited,
            ErrorDetail::HttpRequestFailed(e) if e.status.is_server_error() => RpcFault::Server,
            ErrorDetail::HttpRequestFailed(_) => RpcFault::Server,
            // The transport error's source is opaque here; its text says what happened.
            ErrorDetail::Http(_) if trace.contains("timed out") => RpcFault::Timeout,
            ErrorDetail::Http(_) if trace.contains("decod") || trace.contains("body") => {
                RpcFault::Malformed
            }
            ErrorDetail::Http(_) => RpcFault::Connection,
            ErrorDetail::Timeout(_) => RpcFault::Timeout,
            ErrorDetail::Serde(_) | ErrorDetail::Parse(_) => RpcFault::Malformed,
            ErrorDetail::Response(e) => from_response(&e.source.to_string()),
            _ => from_response(&message),
        };
        RpcError {
            url: url.to_string(),
            fault,
            message,
        }
    }
}

/// Reads CometBFT's own error texts: "lowest height is B" (pruned) and "must be less than or
/// equal to the current blockchain height" (not yet).
fn from_response(text: &str) -> RpcFault {
    if let Some(rest) = text.split("lowest height is ").nth(1) {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(lowest) = digits.parse() {
            return RpcFault::Pruned { lowest };
        }
    }
    if text.contains("current blockchain height") || text.contains("could not find") {
        return RpcFault::NotYet;
    }
    RpcFault::Server
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cometbft_texts_are_classed() {
        assert_eq!(
            from_response("height 3 is not available, lowest height is 120"),
            RpcFault::Pruned { lowest: 120 }
        );
        assert_eq!(
            from_response("height 9 must be less than or equal to the current blockchain height 8"),
            RpcFault::NotYet
        );
        assert_eq!(from_response("internal error"), RpcFault::Server);
        assert!(RpcFault::RateLimited.is_pressure());
        assert!(!RpcFault::Pruned { lowest: 1 }.is_pressure());
    }
}
