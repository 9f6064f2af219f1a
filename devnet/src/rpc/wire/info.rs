//! Node and app facts: `status`, `validators`, `abci_info`, `abci_query`, `genesis`.

use super::*;

/// A `crypto.PubKey` with its amino type tag.
#[derive(Serialize)]
pub struct PubKeyJson {
    #[serde(rename = "type")]
    kind: &'static str,
    value: String,
}

fn pub_key(v: &Validator) -> PubKeyJson {
    PubKeyJson {
        kind: "tendermint/PubKeyEd25519",
        value: b64(&v.pub_key.to_bytes()),
    }
}

/// `types.Validator`.
#[derive(Serialize)]
pub struct ValidatorJson {
    address: String,
    pub_key: PubKeyJson,
    voting_power: String,
    proposer_priority: String,
}

/// `ResultValidators`.
#[derive(Serialize)]
pub struct ValidatorsJson {
    block_height: String,
    validators: Vec<ValidatorJson>,
    count: String,
    total: String,
}

/// Encodes `/validators` (the one fixed validator).
pub fn validators(v: &Validator, height: u64) -> ValidatorsJson {
    ValidatorsJson {
        block_height: height.to_string(),
        validators: vec![ValidatorJson {
            address: hex_upper(v.address.as_bytes()),
            pub_key: pub_key(v),
            voting_power: VOTING_POWER.to_string(),
            proposer_priority: "0".into(),
        }],
        count: "1".into(),
        total: "1".into(),
    }
}

/// Everything `/status` needs that is not in the store.
pub struct StatusInput<'a> {
    /// Node id (40 lowercase hex chars).
    pub node_id: &'a str,
    /// `chain_id`.
    pub network: &'a str,
    /// Moniker.
    pub moniker: &'a str,
    /// App protocol version.
    pub app_version: u64,
    /// `other.rpc_address`.
    pub rpc_address: &'a str,
    /// Newest served block.
    pub latest: Option<&'a SealedBlock>,
    /// Oldest stored block.
    pub earliest: Option<&'a SealedBlock>,
    /// The validator.
    pub validator: &'a Validator,
}

/// Encodes `/status` (`ResultStatus`).
pub fn status(s: &StatusInput<'_>) -> serde_json::Value {
    let epoch = "1970-01-01T00:00:00Z".to_string();
    let hash = |b: Option<&SealedBlock>| b.map(|b| hash_hex(&b.block_id.hash)).unwrap_or_default();
    let app = |b: Option<&SealedBlock>| {
        b.map(|b| hex_upper(b.header.app_hash.as_bytes()))
            .unwrap_or_default()
    };
    let height = |b: Option<&SealedBlock>| b.map_or(0, |b| b.height()).to_string();
    let when = |b: Option<&SealedBlock>| b.map_or(epoch.clone(), |b| time(&b.header.time));
    serde_json::json!({
        "node_info": {
            "protocol_version": {
                "p2p": P2P_PROTOCOL.to_string(),
                "block": BLOCK_PROTOCOL.to_string(),
                "app": s.app_version.to_string(),
            },
            "id": s.node_id,
            "listen_addr": "tcp://0.0.0.0:26656",
            "network": s.network,
            "version": COMETBFT_VERSION,
            "channels": CHANNELS,
            "moniker": s.moniker,
            "other": { "tx_index": "on", "rpc_address": s.rpc_address },
        },
        "sync_info": {
            "latest_block_hash": hash(s.latest),
            "latest_app_hash": app(s.latest),
            "latest_block_height": height(s.latest),
            "latest_block_time": when(s.latest),
            "earliest_block_hash": hash(s.earliest),
            "earliest_app_hash": app(s.earliest),
            "earliest_block_height": height(s.earliest),
            "earliest_block_time": when(s.earliest),
            "catching_up": false,
        },
        "validator_info": {
            "address": hex_upper(s.validator.address.as_bytes()),
            "pub_key": pub_key(s.validator),
            "voting_power": VOTING_POWER.to_string(),
        },
    })
}

/// Encodes `/abci_info` (`ResultABCIInfo`, libs/json with `omitempty`).
pub fn abci_info(
    data: &str,
    version: &str,
    app_version: u64,
    last_height: u64,
    last_app_hash: &[u8],
) -> serde_json::Value {
    let mut response = serde_json::Map::new();
    let mut put = |k: &str, v: String| {
        if !v.is_empty() && v != "0" {
            response.insert(k.into(), serde_json::Value::String(v));
        }
    };
    put("data", data.into());
    put("version", version.into());
    put("app_version", app_version.to_string());
    put("last_block_height", last_height.to_string());
    put("last_block_app_hash", b64(last_app_hash));
    serde_json::json!({ "response": response })
}

/// `abci.ResponseQuery` through jsonpb.
#[derive(Serialize)]
pub struct QueryJson<'a> {
    code: u32,
    log: &'a str,
    info: &'a str,
    index: &'static str,
    key: Option<String>,
    value: Option<String>,
    #[serde(rename = "proofOps")]
    proof_ops: Option<()>,
    height: String,
    codespace: &'a str,
}

/// `ResultABCIQuery`.
#[derive(Serialize)]
pub struct AbciQueryJson<'a> {
    response: QueryJson<'a>,
}

/// Encodes `/abci_query`.
pub fn abci_query(q: &QueryOutcome) -> AbciQueryJson<'_> {
    AbciQueryJson {
        response: QueryJson {
            code: q.code,
            log: &q.log,
            info: "",
            index: "0",
            key: b64_or_null(&q.key),
            value: b64_or_null(&q.value),
            proof_ops: None,
            height: q.height.to_string(),
            codespace: &q.codespace,
        },
    }
}

/// Encodes `/genesis` (`ResultGenesis` with a `GenesisDoc`).
pub fn genesis(
    chain_id: &str,
    genesis_time: &Time,
    initial_height: u64,
    app_version: u64,
    app_hash: &[u8],
    v: &Validator,
) -> serde_json::Value {
    serde_json::json!({
        "genesis": {
            "genesis_time": time(genesis_time),
            "chain_id": chain_id,
            "initial_height": initial_height.to_string(),
            "consensus_params": {
                "block": {
                    "max_bytes": params::BLOCK_MAX_BYTES.to_string(),
                    "max_gas": params::BLOCK_MAX_GAS.to_string(),
                },
                "evidence": {
                    "max_age_num_blocks": params::EVIDENCE_MAX_AGE_NUM_BLOCKS.to_string(),
                    "max_age_duration": params::EVIDENCE_MAX_AGE_DURATION_NS.to_string(),
                    "max_bytes": params::EVIDENCE_MAX_BYTES.to_string(),
                },
                "validator": { "pub_key_types": ["ed25519"] },
                "version": { "app": app_version.to_string() },
                "abci": { "vote_extensions_enable_height": "0" },
            },
            "validators": [{
                "address": hex_upper(v.address.as_bytes()),
                "pub_key": pub_key(v),
                "power": VOTING_POWER.to_string(),
                "name": "devnet-validator",
            }],
            "app_hash": hex_upper(app_hash),
            "app_state": {},
        }
    })
}
