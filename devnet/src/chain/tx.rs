//! Tx bytes: decoding a `TxRaw` into its messages, hashing, and building signed txs (the devnet
//! does not verify signatures; its signature is a deterministic digest of the sign doc).

use prost::Message;
use sha2::{Digest, Sha256};

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

/// Encodes `spec` as a `TxRaw` signed (SIGN_MODE_DIRECT shape) by the account with
/// `account_number` at `sequence` on `chain_id`.
pub fn encode_signed(chain_id: &str, account_number: u64, sequence: u64, spec: TxSpec) -> Vec<u8> {
    let body = TxBody {
        messages: spec.msgs,
        memo: spec.memo,
        ..Default::default()
    };
    let auth_info = AuthInfo {
        signer_infos: vec![SignerInfo {
            public_key: None,
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
    let body_bytes = body.encode_to_vec();
    let auth_info_bytes = auth_info.encode_to_vec();
    // Stand-in signature: 64 bytes from the sign doc's fields (nobody verifies it).
    let mut h = Sha256::new();
    h.update(&body_bytes);
    h.update(&auth_info_bytes);
    h.update(chain_id.as_bytes());
    h.update(account_number.to_be_bytes());
    let first: [u8; 32] = h.finalize().into();
    let second: [u8; 32] = Sha256::digest(first).into();
    let signature = [first, second].concat();
    TxRaw {
        body_bytes,
        auth_info_bytes,
        signatures: vec![signature],
    }
    .encode_to_vec()
}
