//! Tx bytes: decoding a `TxRaw` into its messages, hashing, and building txs signed with
//! SIGN_MODE_DIRECT (what the ante handler verifies).

use prost::Message;
use sha2::{Digest, Sha256};

use super::keys::{self, Key};

use super::errors::TxError;
use super::msgs::ChainMsg;
use crate::proto::tx::{AuthInfo, Fee, ModeInfo, SignerInfo, TxBody, TxRaw};
use crate::proto::{Any, Coin};

/// A decoded tx.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodedTx {
    /// The raw envelope.
    pub raw: TxRaw,
    /// Its body.
    pub body: TxBody,
    /// Its auth info.
    pub auth_info: AuthInfo,
    /// The body's messages, decoded.
    pub msgs: Vec<ChainMsg>,
}

impl DecodedTx {
    /// The fee (empty when absent).
    pub fn fee(&self) -> Fee {
        self.auth_info.fee.clone().unwrap_or_default()
    }

    /// Distinct signers in order of first appearance (the first pays the fee).
    pub fn signers(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for msg in &self.msgs {
            let s = msg.signer();
            if !out.iter().any(|o| o == s) {
                out.push(s.to_string());
            }
        }
        out
    }
}

/// Decodes `TxRaw` → `TxBody` + `AuthInfo` → messages.
pub fn decode(bytes: &[u8]) -> Result<DecodedTx, TxError> {
    let raw = TxRaw::decode(bytes).map_err(|e| TxError::tx_decode(format!("TxRaw: {e}")))?;
    let body = TxBody::decode(raw.body_bytes.as_slice())
        .map_err(|e| TxError::tx_decode(format!("TxBody: {e}")))?;
    let auth_info = AuthInfo::decode(raw.auth_info_bytes.as_slice())
        .map_err(|e| TxError::tx_decode(format!("AuthInfo: {e}")))?;
    let msgs = body
        .messages
        .iter()
        .map(ChainMsg::decode)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DecodedTx {
        raw,
        body,
        auth_info,
        msgs,
    })
}

/// The tx hash: sha256 of the raw bytes (shown as uppercase hex).
pub fn hash(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// What to put in a tx.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TxSpec {
    /// Messages, all signed by the same account.
    pub msgs: Vec<Any>,
    /// Memo.
    pub memo: String,
    /// Gas limit.
    pub gas_limit: u64,
    /// Fee paid.
    pub fee: Vec<Coin>,
}

/// Encodes `spec` as a `TxRaw` shaped like a signed one (a 33-byte key, a 64-byte signature)
/// without signing it: what simulation runs, for any signer, keyed or not (module accounts).
pub fn encode_for_simulation(sequence: u64, spec: TxSpec) -> Vec<u8> {
    let placeholder = [2u8; 33];
    let (body_bytes, auth_info_bytes) = envelope(&placeholder, sequence, spec);
    TxRaw {
        body_bytes,
        auth_info_bytes,
        signatures: vec![vec![0; 64]],
    }
    .encode_to_vec()
}

/// The body and auth info bytes of `spec` from the holder of `public_key` at `sequence`.
fn envelope(public_key: &[u8; 33], sequence: u64, spec: TxSpec) -> (Vec<u8>, Vec<u8>) {
    let body = TxBody {
        messages: spec.msgs,
        memo: spec.memo,
        ..Default::default()
    };
    let auth_info = AuthInfo {
        signer_infos: vec![SignerInfo {
            public_key: Some(keys::pubkey_any(public_key)),
            mode_info: Some(ModeInfo::direct()),
            sequence,
        }],
        fee: Some(Fee {
            amount: spec.fee,
            gas_limit: spec.gas_limit,
            payer: String::new(),
            granter: String::new(),
        }),
    };
    (body.encode_to_vec(), auth_info.encode_to_vec())
}

/// Encodes `spec` as a `TxRaw` signed with SIGN_MODE_DIRECT by `key` (the account with
/// `account_number` at `sequence` on `chain_id`), its public key in the signer info as CosmJS
/// puts it.
pub fn encode_signed(
    chain_id: &str,
    account_number: u64,
    sequence: u64,
    spec: TxSpec,
    key: &Key,
) -> Vec<u8> {
    let (body_bytes, auth_info_bytes) = envelope(&key.public_key(), sequence, spec);
    let doc = keys::sign_doc(&body_bytes, &auth_info_bytes, chain_id, account_number);
    TxRaw {
        body_bytes,
        auth_info_bytes,
        signatures: vec![key.sign(&doc).to_vec()],
    }
    .encode_to_vec()
}
