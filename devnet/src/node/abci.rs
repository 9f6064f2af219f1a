//! The seam between execution ([`crate::chain`]) and the node ([`super::store`], [`crate::rpc`]):
//! what a sealed block carries and how the RPC server asks the chain for state. Plain data, no
//! CometBFT or cw-multi-test types, so either side can change its internals without touching the
//! other.

/// One ABCI event attribute (CometBFT 0.38 sends plain UTF-8 strings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    pub key: String,
    pub value: String,
    pub index: bool,
}

/// One ABCI event, as it appears in `txs_results[].events` or `finalize_block_events`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AbciEvent {
    pub kind: String,
    pub attributes: Vec<Attribute>,
}

impl AbciEvent {
    /// An event whose attributes are all indexed.
    pub fn new<K: Into<String>, V: Into<String>>(
        kind: impl Into<String>,
        attributes: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        AbciEvent {
            kind: kind.into(),
            attributes: attributes
                .into_iter()
                .map(|(key, value)| Attribute {
                    key: key.into(),
                    value: value.into(),
                    index: true,
                })
                .collect(),
        }
    }
}

impl AbciEvent {
    /// The event read through the contracts' event catalogue: `Ok(None)` for events that are
    /// not ours (bank, `message`, SDK), an error for one of ours that does not parse.
    pub fn parsed(
        &self,
    ) -> Result<Option<supercloud_events::ParsedEvent>, supercloud_events::ParseError> {
        supercloud_events::ParsedEvent::parse(
            &self.kind,
            self.attributes
                .iter()
                .map(|a| (a.key.as_str(), a.value.as_str())),
        )
    }

    /// The event as catalogue type `E`, when it is one.
    pub fn as_catalogued<E: supercloud_events::CatalogEvent>(&self) -> Option<E> {
        let ty = self
            .kind
            .strip_prefix(supercloud_events::WASM_EVENT_PREFIX)?;
        if ty != E::event_type() {
            return None;
        }
        let attrs = supercloud_events::Attrs::new(
            self.attributes
                .iter()
                .map(|a| (a.key.as_str(), a.value.as_str())),
        )
        .ok()?;
        E::from_attrs(&attrs).ok()
    }
}

/// What executing one tx produced (`ExecTxResult`). `code == 0` is success; a failed tx still
/// lands in the block with its ante events only.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct TxOutcome {
    pub code: u32,
    pub codespace: String,
    pub log: String,
    /// Raw bytes (the RPC layer base64-encodes them, as CometBFT does).
    pub data: Vec<u8>,
    pub gas_wanted: i64,
    pub gas_used: i64,
    pub events: Vec<AbciEvent>,
}

impl TxOutcome {
    /// Every event of catalogue type `E` this tx emitted, in order.
    pub fn catalogued<E: supercloud_events::CatalogEvent>(&self) -> Vec<E> {
        self.events
            .iter()
            .filter_map(AbciEvent::as_catalogued)
            .collect()
    }
}

/// A tx as included in a block: its `TxRaw` protobuf bytes and its result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecutedTx {
    pub bytes: Vec<u8>,
    pub outcome: TxOutcome,
}

/// Everything the chain hands to the block store when it seals a height.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecutedBlock {
    pub height: u64,
    /// Block time, nanoseconds since the Unix epoch.
    pub time_unix_nanos: u128,
    pub txs: Vec<ExecutedTx>,
    /// Block-level events (keeper work, `mode` = `BeginBlock` / `EndBlock`).
    pub finalize_block_events: Vec<AbciEvent>,
    /// Deterministic digest of the state after this block.
    pub app_hash: [u8; 32],
}

/// Answer to an `abci_query`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct QueryOutcome {
    pub code: u32,
    pub codespace: String,
    pub log: String,
    pub key: Vec<u8>,
    pub value: Vec<u8>,
    pub height: u64,
}

/// Static facts the chain reports through `/status` and `/abci_info`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainInfo {
    pub chain_id: String,
    pub moniker: String,
    pub app_version: u64,
}

/// State access the RPC server needs from the chain; implemented by the chain, called from
/// async RPC handlers (so it must be cheap to share across threads).
pub trait Abci: Send + Sync {
    /// Handles `abci_query` for `path` (e.g. `/cosmwasm.wasm.v1.Query/SmartContractState`) with
    /// protobuf request `data` at `height` (0 = latest).
    fn query(&self, path: &str, data: &[u8], height: u64) -> QueryOutcome;

    /// CheckTx for a broadcast tx: its result (code 0: admitted to the mempool for the next
    /// block), or why the mempool refused it outright (too large, full), as CometBFT reports it.
    fn check_tx(&self, tx: Vec<u8>) -> Result<TxOutcome, String>;
}
