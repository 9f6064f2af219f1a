//! Blocks, headers, commits and block metas (`types/block.go`, libs/json encoding).

use super::*;

/// `types.PartSetHeader`.
#[derive(Serialize)]
pub struct PartsJson {
    total: u32,
    hash: String,
}

/// `types.BlockID`.
#[derive(Serialize)]
pub struct BlockIdJson {
    hash: String,
    parts: PartsJson,
}

/// A block id; `None` is the zero `BlockID` (empty hash, zero parts).
pub fn block_id(id: Option<&block::Id>) -> BlockIdJson {
    match id {
        Some(id) => BlockIdJson {
            hash: hash_hex(&id.hash),
            parts: PartsJson {
                total: id.part_set_header.total,
                hash: hash_hex(&id.part_set_header.hash),
            },
        },
        None => BlockIdJson {
            hash: String::new(),
            parts: PartsJson {
                total: 0,
                hash: String::new(),
            },
        },
    }
}

/// `version.Consensus` (`app` omitted when 0).
#[derive(Serialize)]
pub struct VersionJson {
    block: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    app: Option<String>,
}

/// `types.Header`.
#[derive(Serialize)]
pub struct HeaderJson {
    version: VersionJson,
    chain_id: String,
    height: String,
    time: String,
    last_block_id: BlockIdJson,
    last_commit_hash: String,
    data_hash: String,
    validators_hash: String,
    next_validators_hash: String,
    consensus_hash: String,
    app_hash: String,
    last_results_hash: String,
    evidence_hash: String,
    proposer_address: String,
}

/// Encodes a header.
pub fn header(h: &Header) -> HeaderJson {
    HeaderJson {
        version: VersionJson {
            block: h.version.block.to_string(),
            app: (h.version.app != 0).then(|| h.version.app.to_string()),
        },
        chain_id: h.chain_id.to_string(),
        height: h.height.to_string(),
        time: time(&h.time),
        last_block_id: block_id(h.last_block_id.as_ref()),
        last_commit_hash: opt_hash_hex(&h.last_commit_hash),
        data_hash: opt_hash_hex(&h.data_hash),
        validators_hash: hash_hex(&h.validators_hash),
        next_validators_hash: hash_hex(&h.next_validators_hash),
        consensus_hash: hash_hex(&h.consensus_hash),
        app_hash: hex_upper(h.app_hash.as_bytes()),
        last_results_hash: opt_hash_hex(&h.last_results_hash),
        evidence_hash: opt_hash_hex(&h.evidence_hash),
        proposer_address: hex_upper(h.proposer_address.as_bytes()),
    }
}

/// `types.CommitSig`.
#[derive(Serialize)]
pub struct CommitSigJson {
    block_id_flag: i32,
    validator_address: String,
    timestamp: String,
    signature: Option<String>,
}

/// `types.Commit`.
#[derive(Serialize)]
pub struct CommitJson {
    height: String,
    round: u32,
    block_id: BlockIdJson,
    signatures: Vec<CommitSigJson>,
}

/// Encodes a commit; `None` is the zero commit of the initial block.
pub fn commit(c: Option<&Commit>) -> CommitJson {
    let Some(c) = c else {
        return CommitJson {
            height: "0".into(),
            round: 0,
            block_id: block_id(None),
            signatures: Vec::new(),
        };
    };
    let signatures = c
        .signatures
        .iter()
        .map(|sig| match sig {
            CommitSig::BlockIdFlagAbsent => CommitSigJson {
                block_id_flag: 1,
                validator_address: String::new(),
                timestamp: "0001-01-01T00:00:00Z".into(),
                signature: None,
            },
            CommitSig::BlockIdFlagCommit {
                validator_address,
                timestamp,
                signature,
            }
            | CommitSig::BlockIdFlagNil {
                validator_address,
                timestamp,
                signature,
            } => CommitSigJson {
                block_id_flag: if matches!(sig, CommitSig::BlockIdFlagCommit { .. }) {
                    2
                } else {
                    3
                },
                validator_address: hex_upper(validator_address.as_bytes()),
                timestamp: time(timestamp),
                signature: signature.as_ref().map(|s| b64(s.as_bytes())),
            },
        })
        .collect();
    CommitJson {
        height: c.height.to_string(),
        round: c.round.value(),
        block_id: block_id(Some(&c.block_id)),
        signatures,
    }
}

/// `types.Data`.
#[derive(Serialize)]
pub struct DataJson {
    txs: Vec<String>,
}

/// `types.EvidenceData` (always empty here).
#[derive(Serialize)]
pub struct EvidenceJson {
    evidence: [(); 0],
}

/// `types.Block`.
#[derive(Serialize)]
pub struct BlockJson {
    header: HeaderJson,
    data: DataJson,
    evidence: EvidenceJson,
    last_commit: CommitJson,
}

/// Encodes a full block.
pub fn block(b: &SealedBlock) -> BlockJson {
    BlockJson {
        header: header(&b.header),
        data: DataJson {
            txs: b.txs.iter().map(|tx| b64(&tx.bytes)).collect(),
        },
        evidence: EvidenceJson { evidence: [] },
        last_commit: commit(b.last_commit().as_ref()),
    }
}

/// `ResultBlock` (`/block`, `/block_by_hash`, `block_search` entries).
#[derive(Serialize)]
pub struct ResultBlockJson {
    block_id: BlockIdJson,
    block: BlockJson,
}

/// Encodes `/block`.
pub fn result_block(b: &SealedBlock) -> ResultBlockJson {
    ResultBlockJson {
        block_id: block_id(Some(&b.block_id)),
        block: block(b),
    }
}

/// `types.BlockMeta`.
#[derive(Serialize)]
pub struct BlockMetaJson {
    block_id: BlockIdJson,
    block_size: String,
    header: HeaderJson,
    num_txs: String,
}

/// Encodes a block meta.
pub fn block_meta(b: &SealedBlock) -> BlockMetaJson {
    BlockMetaJson {
        block_id: block_id(Some(&b.block_id)),
        block_size: b.block_size.to_string(),
        header: header(&b.header),
        num_txs: b.txs.len().to_string(),
    }
}

/// `ResultBlockchainInfo`.
#[derive(Serialize)]
pub struct BlockchainJson {
    last_height: String,
    block_metas: Vec<BlockMetaJson>,
}

/// Encodes `/blockchain` (`blocks` already in the order to serve).
pub fn blockchain(last_height: u64, blocks: &[std::sync::Arc<SealedBlock>]) -> BlockchainJson {
    BlockchainJson {
        last_height: last_height.to_string(),
        block_metas: blocks.iter().map(|b| block_meta(b)).collect(),
    }
}

/// `ResultHeader`.
#[derive(Serialize)]
pub struct ResultHeaderJson {
    header: HeaderJson,
}

/// Encodes `/header`.
pub fn result_header(b: &SealedBlock) -> ResultHeaderJson {
    ResultHeaderJson {
        header: header(&b.header),
    }
}

/// `types.SignedHeader`.
#[derive(Serialize)]
pub struct SignedHeaderJson {
    header: HeaderJson,
    commit: CommitJson,
}

/// `ResultCommit`.
#[derive(Serialize)]
pub struct ResultCommitJson {
    signed_header: SignedHeaderJson,
    canonical: bool,
}

/// Encodes `/commit`.
pub fn result_commit(b: &SealedBlock, canonical: bool) -> ResultCommitJson {
    ResultCommitJson {
        signed_header: SignedHeaderJson {
            header: header(&b.header),
            commit: commit(Some(&b.commit())),
        },
        canonical,
    }
}
