//! The closed set of JSON-RPC methods the devnet serves: one list gives each method its wire
//! name, its argument names (for positional params and URI query strings, in CometBFT's route
//! table order) and whether it exists only on the websocket.

use std::fmt;
use std::str::FromStr;

/// Declares [`Method`] and its table from one list.
macro_rules! methods {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident = $name:literal ($($param:literal),*) $(, $ws:ident)?;
    )*) => {
        /// A CometBFT 0.38 RPC method.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Method {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Method {
            /// Every method, in route-table order.
            pub const ALL: &'static [Method] = &[$(Method::$variant),*];

            /// The wire name (`block_results`).
            pub const fn name(self) -> &'static str {
                match self {
                    $( Method::$variant => $name, )*
                }
            }

            /// Argument names, in the order positional params are read.
            pub const fn params(self) -> &'static [&'static str] {
                match self {
                    $( Method::$variant => &[$($param),*], )*
                }
            }

            /// Whether the method is served only over `/websocket` (subscriptions).
            pub const fn websocket_only(self) -> bool {
                match self {
                    $( Method::$variant => methods!(@ws $($ws)?), )*
                }
            }
        }
    };
    (@ws websocket_only) => { true };
    (@ws) => { false };
}

methods! {
    /// Liveness (`{}`).
    Health = "health"();
    /// Node info, sync info (latest and earliest block) and the validator.
    Status = "status"();
    /// The app's name, version and last block.
    AbciInfo = "abci_info"();
    /// A query to the app (`/cosmwasm.wasm.v1.Query/SmartContractState`, bank, auth, tx service).
    AbciQuery = "abci_query"("path", "data", "height", "prove");
    /// A block by height (latest when absent).
    Block = "block"("height");
    /// A block by hash.
    BlockByHash = "block_by_hash"("hash");
    /// Tx results and `finalize_block_events` of a height.
    BlockResults = "block_results"("height");
    /// Block metas of a height range (at most 20, newest first).
    Blockchain = "blockchain"("minHeight", "maxHeight");
    /// A header by height.
    Header = "header"("height");
    /// A header by block hash.
    HeaderByHash = "header_by_hash"("hash");
    /// The signed header of a height.
    Commit = "commit"("height");
    /// The validator set at a height.
    Validators = "validators"("height", "page", "per_page");
    /// The genesis document.
    Genesis = "genesis"();
    /// A tx by hash.
    Tx = "tx"("hash", "prove");
    /// Txs matching an event query.
    TxSearch = "tx_search"("query", "prove", "page", "per_page", "order_by");
    /// Blocks whose block events match an event query.
    BlockSearch = "block_search"("query", "page", "per_page", "order_by");
    /// Submits a tx without waiting for CheckTx.
    BroadcastTxAsync = "broadcast_tx_async"("tx");
    /// Submits a tx and returns its CheckTx result.
    BroadcastTxSync = "broadcast_tx_sync"("tx");
    /// Submits a tx and waits for the block that includes it.
    BroadcastTxCommit = "broadcast_tx_commit"("tx");
    /// Starts streaming the events matching a query.
    Subscribe = "subscribe"("query"), websocket_only;
    /// Stops one subscription.
    Unsubscribe = "unsubscribe"("query"), websocket_only;
    /// Stops every subscription of the connection.
    UnsubscribeAll = "unsubscribe_all"(), websocket_only;
}

/// A method name the devnet does not serve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownMethod(pub String);

impl fmt::Display for UnknownMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown RPC method `{}`", self.0)
    }
}

impl std::error::Error for UnknownMethod {}

impl FromStr for Method {
    type Err = UnknownMethod;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Method::ALL
            .iter()
            .copied()
            .find(|m| m.name() == s)
            .ok_or_else(|| UnknownMethod(s.to_string()))
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for (i, m) in Method::ALL.iter().enumerate() {
            assert_eq!(m.name().parse::<Method>(), Ok(*m));
            assert_eq!(m.to_string(), m.name());
            assert!(Method::ALL[..i].iter().all(|o| o.name() != m.name()));
        }
        assert_eq!(Method::ALL.len(), 22);
        assert_eq!(
            "broadcast_evidence".parse::<Method>(),
            Err(UnknownMethod("broadcast_evidence".into()))
        );
    }

    #[test]
    fn subscriptions_are_websocket_only() {
        let ws: Vec<&str> = Method::ALL
            .iter()
            .filter(|m| m.websocket_only())
            .map(|m| m.name())
            .collect();
        assert_eq!(ws, ["subscribe", "unsubscribe", "unsubscribe_all"]);
        assert_eq!(Method::TxSearch.params()[0], "query");
        assert_eq!(Method::Blockchain.params(), ["minHeight", "maxHeight"]);
    }
}
