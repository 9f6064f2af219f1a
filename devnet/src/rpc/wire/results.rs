//! Tx results, events, `block_results`, `tx`, searches (jsonpb `ExecTxResult` inside libs/json).

use super::*;

/// An attribute (jsonpb: all three keys always present).
#[derive(Serialize)]
pub struct AttributeJson<'a> {
    key: &'a str,
    value: &'a str,
    index: bool,
}

/// An event inside an `ExecTxResult` (jsonpb: `type` and `attributes` always present).
#[derive(Serialize)]
pub struct PbEventJson<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    attributes: Vec<AttributeJson<'a>>,
}

/// A block-level event (libs/json: `omitempty` on `type` and `attributes`).
#[derive(Serialize)]
pub struct EventJson<'a> {
    #[serde(rename = "type", skip_serializing_if = "str::is_empty")]
    kind: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attributes: Vec<AttributeJson<'a>>,
}

fn attributes(e: &AbciEvent) -> Vec<AttributeJson<'_>> {
    e.attributes
        .iter()
        .map(|a| AttributeJson {
            key: &a.key,
            value: &a.value,
            index: a.index,
        })
        .collect()
}

/// Encodes block-level events.
pub fn events(events: &[AbciEvent]) -> Vec<EventJson<'_>> {
    events
        .iter()
        .map(|e| EventJson {
            kind: &e.kind,
            attributes: attributes(e),
        })
        .collect()
}

/// `abci.ExecTxResult` through jsonpb.
#[derive(Serialize)]
pub struct TxResultJson<'a> {
    code: u32,
    data: Option<String>,
    log: &'a str,
    info: &'a str,
    gas_wanted: String,
    gas_used: String,
    events: Vec<PbEventJson<'a>>,
    codespace: &'a str,
}

/// Encodes one tx result.
pub fn tx_result(tx: &ExecutedTx) -> TxResultJson<'_> {
    let o = &tx.outcome;
    TxResultJson {
        code: o.code,
        data: b64_or_null(&o.data),
        log: &o.log,
        info: "",
        gas_wanted: o.gas_wanted.to_string(),
        gas_used: o.gas_used.to_string(),
        events: o
            .events
            .iter()
            .map(|e| PbEventJson {
                kind: &e.kind,
                attributes: attributes(e),
            })
            .collect(),
        codespace: &o.codespace,
    }
}

/// `version` inside consensus params (`app` omitted when 0).
#[derive(Serialize)]
pub struct VersionParamsJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    app: Option<String>,
}

/// `cmtproto.ConsensusParams` through libs/json (as the SDK returns it from FinalizeBlock).
#[derive(Serialize)]
pub struct ConsensusParamsJson {
    block: serde_json::Value,
    evidence: serde_json::Value,
    validator: serde_json::Value,
    version: VersionParamsJson,
    abci: serde_json::Value,
}

/// The consensus params the devnet runs with.
pub fn consensus_params(app_version: u64) -> ConsensusParamsJson {
    ConsensusParamsJson {
        block: serde_json::json!({
            "max_bytes": params::BLOCK_MAX_BYTES.to_string(),
            "max_gas": params::BLOCK_MAX_GAS.to_string(),
        }),
        evidence: serde_json::json!({
            "max_age_num_blocks": params::EVIDENCE_MAX_AGE_NUM_BLOCKS.to_string(),
            "max_age_duration": params::EVIDENCE_MAX_AGE_DURATION_NS.to_string(),
            "max_bytes": params::EVIDENCE_MAX_BYTES.to_string(),
        }),
        validator: serde_json::json!({ "pub_key_types": ["ed25519"] }),
        version: VersionParamsJson {
            app: (app_version != 0).then(|| app_version.to_string()),
        },
        abci: serde_json::json!({}),
    }
}

/// `ResultBlockResults`.
#[derive(Serialize)]
pub struct BlockResultsJson<'a> {
    height: String,
    txs_results: Option<Vec<TxResultJson<'a>>>,
    finalize_block_events: Option<Vec<EventJson<'a>>>,
    validator_updates: Option<[(); 0]>,
    consensus_param_updates: ConsensusParamsJson,
    app_hash: String,
}

/// Encodes `/block_results`.
pub fn block_results(b: &SealedBlock, app_version: u64) -> BlockResultsJson<'_> {
    BlockResultsJson {
        height: b.height().to_string(),
        txs_results: (!b.txs.is_empty()).then(|| b.txs.iter().map(tx_result).collect()),
        finalize_block_events: (!b.finalize_block_events.is_empty())
            .then(|| events(&b.finalize_block_events)),
        validator_updates: None,
        consensus_param_updates: consensus_params(app_version),
        app_hash: b64(&b.result_app_hash),
    }
}

/// `merkle.Proof`.
#[derive(Serialize)]
pub struct ProofJson {
    total: String,
    index: String,
    leaf_hash: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    aunts: Vec<String>,
}

/// `types.TxProof`.
#[derive(Serialize)]
pub struct TxProofJson {
    root_hash: String,
    data: String,
    proof: ProofJson,
}

/// `ResultTx`.
#[derive(Serialize)]
pub struct ResultTxJson<'a> {
    hash: String,
    height: String,
    index: u32,
    tx_result: TxResultJson<'a>,
    tx: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    proof: Option<TxProofJson>,
}

/// Encodes `/tx` for tx `index` of `b` (None if out of range).
pub fn result_tx(b: &SealedBlock, index: u32, prove: bool) -> Option<ResultTxJson<'_>> {
    let i = usize::try_from(index).ok()?;
    let tx = b.txs.get(i)?;
    let hash = b.tx_hashes.get(i)?;
    let proof = if prove {
        let p = seal::merkle_proof(&b.tx_hashes, i)?;
        Some(TxProofJson {
            root_hash: hex_upper(&seal::merkle_root(&b.tx_hashes)),
            data: b64(&tx.bytes),
            proof: ProofJson {
                total: p.total.to_string(),
                index: p.index.to_string(),
                leaf_hash: b64(&p.leaf_hash),
                aunts: p.aunts.iter().map(|a| b64(a)).collect(),
            },
        })
    } else {
        None
    };
    Some(ResultTxJson {
        hash: hex_upper(hash),
        height: b.height().to_string(),
        index,
        tx_result: tx_result(tx),
        tx: b64(&tx.bytes),
        proof,
    })
}

/// `ResultTxSearch`.
#[derive(Serialize)]
pub struct TxSearchJson<'a> {
    txs: Vec<ResultTxJson<'a>>,
    total_count: String,
}

/// Encodes `/tx_search`.
pub fn tx_search(txs: Vec<ResultTxJson<'_>>, total: usize) -> TxSearchJson<'_> {
    TxSearchJson {
        txs,
        total_count: total.to_string(),
    }
}

/// `ResultBlockSearch`.
#[derive(Serialize)]
pub struct BlockSearchJson {
    blocks: Vec<ResultBlockJson>,
    total_count: String,
}

/// Encodes `/block_search`.
pub fn block_search(blocks: Vec<ResultBlockJson>, total: usize) -> BlockSearchJson {
    BlockSearchJson {
        blocks,
        total_count: total.to_string(),
    }
}
