//! Sealing: turns a [`crate::node::ExecutedBlock`] into a CometBFT block (header, block id with
//! part-set header, commit) exactly as CometBFT 0.38 derives each hash, for one fixed validator.
//!
//! Header fields (CometBFT `state.MakeBlock` / `types.Block.fillHeader`):
//! * `data_hash` = Merkle root over the tx *hashes* (`Txs.Hash`: leaves are `sha256(tx)`);
//! * `last_commit_hash` = Merkle root over the proto `CommitSig`s of the previous commit;
//! * `last_results_hash` = Merkle root over the previous block's deterministic `ExecTxResult`s
//!   (code, data, gas_wanted, gas_used), as `types.NewResults(...).Hash()`;
//! * `app_hash` = the app hash *after the previous block* (CometBFT's one-block delay), and the
//!   genesis app hash at the initial height;
//! * `consensus_hash` = sha256 of proto `HashedParams{block_max_bytes, block_max_gas}`;
//! * `evidence_hash` = Merkle root of an empty list; `last_block_id` = `None` at the initial height.
//!
//! The part-set header is computed over the proto encoding of the block split into 64 KiB parts
//! (CometBFT `Block.MakePartSet(BlockPartSizeBytes)`), and the commit carries one `Commit` vote
//! with a deterministic 64-byte stand-in signature (clients do not verify it).

use anyhow::{anyhow, Context};
use prost::Message;
use sha2::{Digest, Sha512};
use tendermint::block::{self, parts, Commit, CommitSig, Header, Height};
use tendermint::crypto::default::Sha256;
use tendermint::merkle::simple_hash_from_byte_vectors;
use tendermint::{account, chain, validator, AppHash, Hash, PublicKey, Signature, Time};
use tendermint_proto::v0_38::abci::ExecTxResult as RawExecTxResult;
use tendermint_proto::v0_38::types::{
    Block as RawBlock, CommitSig as RawCommitSig, HashedParams as RawHashedParams,
};

use super::abci::{ExecutedBlock, ExecutedTx};

/// CometBFT 0.38 block protocol version.
pub const BLOCK_PROTOCOL: u64 = 11;
/// CometBFT 0.38 p2p protocol version.
pub const P2P_PROTOCOL: u64 = 8;
/// Voting power of the single validator.
pub const VOTING_POWER: u64 = 10;
/// `types.BlockPartSizeBytes`.
const PART_SIZE: usize = 65_536;

/// Consensus parameters the devnet reports (CometBFT / Cosmos SDK defaults).
pub mod params {
    /// `block.max_bytes` (21 MiB).
    pub const BLOCK_MAX_BYTES: i64 = 22_020_096;
    /// `block.max_gas` (-1 = unlimited).
    pub const BLOCK_MAX_GAS: i64 = -1;
    /// `evidence.max_age_num_blocks`.
    pub const EVIDENCE_MAX_AGE_NUM_BLOCKS: i64 = 100_000;
    /// `evidence.max_age_duration` in nanoseconds (48 h).
    pub const EVIDENCE_MAX_AGE_DURATION_NS: i64 = 172_800_000_000_000;
    /// `evidence.max_bytes`.
    pub const EVIDENCE_MAX_BYTES: i64 = 1_048_576;
}

/// RFC 8032 test vector 1 public key: a valid ed25519 point that never changes, so every run
/// derives the same validator address and validator-set hash.
const VALIDATOR_PUBKEY: [u8; 32] = [
    0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a,
    0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a,
];

/// The devnet's single, fixed validator.
#[derive(Clone, Debug)]
pub struct Validator {
    /// Ed25519 consensus key.
    pub pub_key: PublicKey,
    /// `sha256(pub_key)[..20]`.
    pub address: account::Id,
    /// Hash of the one-validator set (`validators_hash` and `next_validators_hash`).
    pub set_hash: Hash,
}

impl Validator {
    /// The fixed validator.
    pub fn fixed() -> anyhow::Result<Self> {
        let pub_key = PublicKey::from_raw_ed25519(&VALIDATOR_PUBKEY)
            .ok_or_else(|| anyhow!("invalid built-in validator key"))?;
        let power = tendermint::vote::Power::try_from(VOTING_POWER)?;
        let info = validator::Info::new(pub_key, power);
        let set = validator::Set::new(vec![info.clone()], Some(info));
        Ok(Validator {
            pub_key,
            address: account::Id::from(pub_key),
            set_hash: set.hash(),
        })
    }
}

/// Merkle root (CometBFT `merkle.HashFromByteSlices`) of `leaves`.
pub fn merkle_root<T: AsRef<[u8]>>(leaves: &[T]) -> [u8; 32] {
    simple_hash_from_byte_vectors::<Sha256>(leaves)
}

/// A Merkle inclusion proof (CometBFT `merkle.Proof`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MerkleProof {
    /// Number of leaves.
    pub total: u64,
    /// Index of the proven leaf.
    pub index: u64,
    /// `sha256(0x00 || leaf)`.
    pub leaf_hash: [u8; 32],
    /// Sibling hashes from the leaf up to the root.
    pub aunts: Vec<[u8; 32]>,
}

/// Proof that `leaves[index]` is in the tree of `leaves` (None if out of range).
pub fn merkle_proof<T: AsRef<[u8]>>(leaves: &[T], index: usize) -> Option<MerkleProof> {
    let leaf = leaves.get(index)?;
    let mut hasher = sha2::Sha256::new();
    hasher.update([0u8]);
    hasher.update(leaf.as_ref());
    Some(MerkleProof {
        total: leaves.len() as u64,
        index: index as u64,
        leaf_hash: hasher.finalize().into(),
        aunts: aunts(leaves, index),
    })
}

fn aunts<T: AsRef<[u8]>>(leaves: &[T], index: usize) -> Vec<[u8; 32]> {
    if leaves.len() <= 1 {
        return Vec::new();
    }
    let split = split_point(leaves.len());
    let (left, right) = leaves.split_at(split);
    if index < split {
        let mut trail = aunts(left, index);
        trail.push(merkle_root(right));
        trail
    } else {
        let mut trail = aunts(right, index - split);
        trail.push(merkle_root(left));
        trail
    }
}

/// Largest power of two strictly less than `n` (n >= 2).
fn split_point(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

/// SHA-256 of raw tx bytes (the tx hash CometBFT indexes and serves as uppercase hex).
pub fn tx_hash(bytes: &[u8]) -> [u8; 32] {
    sha2::Sha256::digest(bytes).into()
}

/// `consensus_hash`: sha256 of proto `HashedParams`.
pub fn consensus_hash() -> [u8; 32] {
    let hashed = RawHashedParams {
        block_max_bytes: params::BLOCK_MAX_BYTES,
        block_max_gas: params::BLOCK_MAX_GAS,
    };
    sha2::Sha256::digest(hashed.encode_to_vec()).into()
}

/// `last_results_hash` input: Merkle root over deterministic `ExecTxResult` proto bytes.
pub fn results_hash(txs: &[ExecutedTx]) -> [u8; 32] {
    let leaves: Vec<Vec<u8>> = txs
        .iter()
        .map(|tx| {
            RawExecTxResult {
                code: tx.outcome.code,
                data: tx.outcome.data.clone().into(),
                gas_wanted: tx.outcome.gas_wanted,
                gas_used: tx.outcome.gas_used,
                ..RawExecTxResult::default()
            }
            .encode_to_vec()
        })
        .collect();
    merkle_root(&leaves)
}

/// Converts nanoseconds since the Unix epoch into a CometBFT time.
pub fn time_from_nanos(nanos: u128) -> anyhow::Result<Time> {
    let secs = i64::try_from(nanos / 1_000_000_000).context("block time out of range")?;
    let sub = u32::try_from(nanos % 1_000_000_000).context("block time out of range")?;
    Ok(Time::from_unix_timestamp(secs, sub)?)
}

/// What sealing needs to know about the previous block.
pub struct Parent<'a> {
    /// The previous block id.
    pub block_id: block::Id,
    /// The previous block's commit.
    pub commit: Commit,
    /// The previous block's txs (for `last_results_hash`).
    pub txs: &'a [ExecutedTx],
    /// The app hash after the previous block.
    pub app_hash: &'a [u8],
}

/// Static chain facts sealing needs.
pub struct SealContext<'a> {
    /// Chain id.
    pub chain_id: &'a chain::Id,
    /// Header `version.app`.
    pub app_version: u64,
    /// App hash at the initial height.
    pub genesis_app_hash: &'a [u8],
    /// The validator.
    pub validator: &'a Validator,
}

/// A sealed header with its id and the encoded block size (the commit is recomputed when
/// needed, see [`commit_of`]).
pub struct Sealed {
    /// The header.
    pub header: Header,
    /// `header.hash()` plus the part-set header.
    pub block_id: block::Id,
    /// Size of the proto-encoded block (`block_meta.block_size`).
    pub block_size: usize,
}

/// Builds header, block id and commit for `block` on top of `parent` (None at the initial height).
pub fn seal(
    ctx: &SealContext<'_>,
    parent: Option<Parent<'_>>,
    block: &ExecutedBlock,
    tx_hashes: &[[u8; 32]],
) -> anyhow::Result<Sealed> {
    let time = time_from_nanos(block.time_unix_nanos)?;
    let height = Height::try_from(block.height)?;
    let empty: [[u8; 32]; 0] = [];
    let (last_block_id, last_commit, last_commit_hash, last_results_hash, app_hash) = match &parent
    {
        Some(p) => (
            Some(p.block_id),
            Some(p.commit.clone()),
            commit_hash(&p.commit),
            results_hash(p.txs),
            p.app_hash,
        ),
        None => (
            None,
            None,
            merkle_root(&empty),
            merkle_root(&empty),
            ctx.genesis_app_hash,
        ),
    };
    let header = Header {
        version: block::header::Version {
            block: BLOCK_PROTOCOL,
            app: ctx.app_version,
        },
        chain_id: ctx.chain_id.clone(),
        height,
        time,
        last_block_id,
        last_commit_hash: Some(Hash::Sha256(last_commit_hash)),
        data_hash: Some(Hash::Sha256(merkle_root(tx_hashes))),
        validators_hash: ctx.validator.set_hash,
        next_validators_hash: ctx.validator.set_hash,
        consensus_hash: Hash::Sha256(consensus_hash()),
        app_hash: AppHash::try_from(app_hash.to_vec())?,
        last_results_hash: Some(Hash::Sha256(last_results_hash)),
        evidence_hash: Some(Hash::Sha256(merkle_root(&empty))),
        proposer_address: ctx.validator.address,
    };
    let hash = header.hash();
    let txs: Vec<Vec<u8>> = block.txs.iter().map(|tx| tx.bytes.clone()).collect();
    let full = tendermint::Block::new(
        header.clone(),
        txs,
        tendermint::evidence::List::default(),
        last_commit,
    );
    let encoded = RawBlock::from(full).encode_to_vec();
    let parts: Vec<&[u8]> = encoded.chunks(PART_SIZE).collect();
    let total = u32::try_from(parts.len().max(1)).context("too many block parts")?;
    let block_id = block::Id {
        hash,
        part_set_header: parts::Header::new(total, Hash::Sha256(merkle_root(&parts)))?,
    };
    Ok(Sealed {
        header,
        block_id,
        block_size: encoded.len(),
    })
}

/// `Commit.Hash()`: Merkle root over the proto-encoded commit signatures.
fn commit_hash(commit: &Commit) -> [u8; 32] {
    let leaves: Vec<Vec<u8>> = commit
        .signatures
        .iter()
        .map(|sig| RawCommitSig::from(sig.clone()).encode_to_vec())
        .collect();
    merkle_root(&leaves)
}

/// The commit for the block with `block_id` at `height` and `time` on `chain_id`, signed by
/// `validator`: one `BlockIDFlagCommit` vote timestamped at the block time, with a deterministic
/// stand-in signature `sha512(chain_id || height || block hash)`. Nothing in it is random, so the
/// store keeps no commit and rebuilds one when it is served (or sealed over) instead.
pub fn commit_of(
    chain_id: &chain::Id,
    height: Height,
    time: Time,
    block_id: block::Id,
    validator: account::Id,
) -> Commit {
    let mut hasher = Sha512::new();
    hasher.update(chain_id.as_str().as_bytes());
    hasher.update(height.value().to_be_bytes());
    hasher.update(block_id.hash.as_bytes());
    let digest = hasher.finalize();
    // 64 bytes always make an ed25519 signature.
    let signature = Signature::new(&digest[..]).ok().flatten();
    Commit {
        height,
        round: block::Round::default(),
        block_id,
        signatures: vec![CommitSig::BlockIdFlagCommit {
            validator_address: validator,
            timestamp: time,
            signature,
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CometBFT `computeHashFromAunts`.
    fn root_from_aunts(index: usize, total: usize, leaf: [u8; 32], aunts: &[[u8; 32]]) -> [u8; 32] {
        let inner = |l: &[u8; 32], r: &[u8; 32]| -> [u8; 32] {
            let mut h = sha2::Sha256::new();
            h.update([1u8]);
            h.update(l);
            h.update(r);
            h.finalize().into()
        };
        match aunts.split_last() {
            None => leaf,
            Some((last, rest)) => {
                let split = split_point(total);
                if index < split {
                    inner(&root_from_aunts(index, split, leaf, rest), last)
                } else {
                    inner(
                        last,
                        &root_from_aunts(index - split, total - split, leaf, rest),
                    )
                }
            }
        }
    }

    #[test]
    fn proof_aunts_rebuild_root() {
        for n in 1..=9usize {
            let leaves: Vec<Vec<u8>> = (0..n).map(|i| vec![i as u8; 3]).collect();
            let root = merkle_root(&leaves);
            for index in 0..n {
                let p = merkle_proof(&leaves, index).expect("in range");
                assert_eq!((p.total, p.index), (n as u64, index as u64));
                assert_eq!(
                    root_from_aunts(index, n, p.leaf_hash, &p.aunts),
                    root,
                    "{n}/{index}"
                );
            }
            assert!(merkle_proof(&leaves, n).is_none());
        }
    }

    #[test]
    fn empty_merkle_root_is_sha256_of_nothing() {
        let empty: [[u8; 32]; 0] = [];
        assert_eq!(
            hex::encode_upper(merkle_root(&empty)),
            "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"
        );
    }
}
