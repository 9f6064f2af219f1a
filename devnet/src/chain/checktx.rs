//! Txs from outside: signature verification as the SDK's ante handler does it (shared with
//! delivery), CheckTx into the [`Mempool`](super::mempool::Mempool), and `Simulate`.

use cosmwasm_std::Addr;
use prost::Message;

use super::core::Chain;
use super::errors::TxError;
use super::keys;
use super::mempool::{Mempool, Refusal};
use super::tx::{self, DecodedTx};
use super::{auth, codes::Created};
use crate::node::{QueryOutcome, TxOutcome};
use crate::proto::tx::{mode_info, SignerInfo, SIGN_MODE_DIRECT};
use crate::proto::tx_service::{AbciResult, Event, GasInfo, SimulateRequest, SimulateResponse};

/// What the single signer of a tx put in it.
pub(crate) struct Signed<'a> {
    pub signer: Addr,
    pub info: &'a SignerInfo,
    pub signature: &'a [u8],
}

impl Chain {
    /// The tx's one signer, its signer info and signature (the devnet takes single-signer txs).
    pub(crate) fn single_signer<'a>(&self, decoded: &'a DecodedTx) -> Result<Signed<'a>, TxError> {
        let signers = decoded.signers();
        let [signer] = signers.as_slice() else {
            return Err(TxError::unauthorized(format!(
                "txs must have exactly one signer on this devnet, got {}",
                signers.len()
            )));
        };
        let [info] = decoded.auth_info.signer_infos.as_slice() else {
            return Err(TxError::unauthorized(format!(
                "wrong number of signers; expected 1, got {}",
                decoded.auth_info.signer_infos.len()
            )));
        };
        let [signature] = decoded.raw.signatures.as_slice() else {
            return Err(TxError::unauthorized(format!(
                "invalid number of signatures; expected: 1, got {}",
                decoded.raw.signatures.len()
            )));
        };
        let signer = cosmwasm_std::Api::addr_validate(self.app.api(), signer)
            .map_err(|e| TxError::invalid_address(format!("{signer}: {e}")))?;
        Ok(Signed {
            signer,
            info,
            signature,
        })
    }

    /// The SDK's SetPubKey and SigVerification: the key in the tx (or the one on chain) must be
    /// the signer's, and must have signed the SIGN_MODE_DIRECT sign doc (body, auth info, chain
    /// id, account number). Returns the key, for the account to remember.
    pub(crate) fn verify_signature(
        &self,
        decoded: &DecodedTx,
        signed: &Signed,
        account_number: u64,
    ) -> Result<Vec<u8>, TxError> {
        let signer = signed.signer.as_str();
        let key = match &signed.info.public_key {
            Some(any) => keys::pubkey_from_any(any)
                .map_err(|e| TxError::invalid_pubkey(format!("{e:#}")))?
                .to_vec(),
            None => auth::pub_key(self.app.storage(), signer)
                .map_err(TxError::internal)?
                .ok_or_else(|| TxError::invalid_pubkey("pubkey on account is not set"))?,
        };
        let key33: [u8; 33] = key
            .as_slice()
            .try_into()
            .map_err(|_| TxError::invalid_pubkey("a secp256k1 key has 33 bytes"))?;
        let (_, raw) = bech32::decode(signer)
            .map_err(|e| TxError::invalid_address(format!("{signer}: {e}")))?;
        if keys::raw_address(&key33).as_slice() != raw.as_slice() {
            return Err(TxError::invalid_pubkey(format!(
                "pubKey does not match signer address {signer} with signer index: 0"
            )));
        }
        let direct = matches!(
            &signed.info.mode_info.as_ref().and_then(|m| m.sum.clone()),
            Some(mode_info::Sum::Single(s)) if s.mode == SIGN_MODE_DIRECT
        );
        let doc = keys::sign_doc(
            &decoded.raw.body_bytes,
            &decoded.raw.auth_info_bytes,
            &self.config.chain_id,
            account_number,
        );
        if !direct || !keys::verify(&key, &doc, signed.signature) {
            return Err(TxError::unauthorized(format!(
                "signature verification failed; please verify account number ({account_number}), \
                 sequence ({}) and chain-id ({})",
                signed.info.sequence, self.config.chain_id
            )));
        }
        Ok(key)
    }

    /// CheckTx for a tx from outside: decodes it, checks its signer, sequence (after the
    /// sender's txs already waiting), signature, fee (at least the minimum gas price, at most
    /// the balance), and admits it to the mempool for the next block. A refusal by the mempool
    /// itself (size, a full mempool) is an error, as CometBFT reports it; everything else is a
    /// result with the SDK's code.
    pub fn check_tx(&mut self, bytes: Vec<u8>) -> Result<TxOutcome, Refusal> {
        Mempool::check_size(&bytes)?;
        let decoded = match tx::decode(&bytes) {
            Ok(d) => d,
            Err(e) => return Ok(check_failed(e, 0)),
        };
        // CometBFT checks its own limits (full, already in its cache) before the app's CheckTx.
        if let Some(sender) = decoded.signers().first() {
            self.mempool.room_for(sender, &bytes)?;
        }
        let fee = decoded.fee();
        let gas_wanted = i64::try_from(fee.gas_limit).unwrap_or(i64::MAX);
        let signer = match self.check_ante(&decoded, &fee) {
            Ok(signer) => signer,
            Err(e) => return Ok(check_failed(e, gas_wanted)),
        };
        self.mempool.push(signer.as_str(), bytes);
        Ok(TxOutcome {
            gas_wanted,
            ..Default::default()
        })
    }

    fn check_ante(
        &self,
        decoded: &DecodedTx,
        fee: &crate::proto::tx::Fee,
    ) -> Result<Addr, TxError> {
        let signed = self.single_signer(decoded)?;
        let signer = signed.signer.as_str();
        let record = auth::get(self.app.storage(), signer)
            .map_err(TxError::internal)?
            .ok_or_else(|| {
                TxError::unknown_address(format!("fee payer address: {signer} does not exist"))
            })?;
        let expected = record.sequence + self.mempool.pending_of(signer);
        if signed.info.sequence != expected {
            return Err(TxError::wrong_sequence(expected, signed.info.sequence));
        }
        self.verify_signature(decoded, &signed, record.account_number)?;
        let denom = &self.config.denom;
        let paid: u128 = fee
            .amount
            .iter()
            .filter(|c| c.denom == *denom)
            .filter_map(|c| c.amount.parse::<u128>().ok())
            .sum();
        let required = self.config.fee_for(fee.gas_limit);
        if paid < required {
            return Err(TxError::insufficient_fee(format!(
                "insufficient fees; got: {paid}{denom} required: {required}{denom}"
            )));
        }
        let balance = self
            .balance(&signed.signer, denom)
            .map_err(TxError::internal)?;
        if paid > balance {
            return Err(TxError::insufficient_funds(format!(
                "{balance}{denom} is smaller than {paid}{denom}"
            )));
        }
        Ok(signed.signer)
    }

    /// `cosmos.tx.v1beta1.Service/Simulate`: runs the tx's messages in the open block and rolls
    /// every write back; the gas used and the result. As on a chain, the signature is not
    /// checked (clients simulate before signing), the signer must exist.
    pub fn simulate_query(&mut self, data: &[u8]) -> QueryOutcome {
        let result = self.simulate_request(data).map(|r| r.encode_to_vec());
        super::query::outcome(result, self.height)
    }

    fn simulate_request(&mut self, data: &[u8]) -> Result<SimulateResponse, TxError> {
        let req = SimulateRequest::decode(data)
            .map_err(|e| TxError::tx_decode(format!("SimulateRequest: {e}")))?;
        let decoded = tx::decode(&req.tx_bytes)?;
        let signed = self.single_signer(&decoded)?;
        auth::get(self.app.storage(), signed.signer.as_str())
            .map_err(TxError::internal)?
            .ok_or_else(|| {
                TxError::unknown_address(format!("account {} not found", signed.signer))
            })?;
        let (gas_used, events, responses) =
            self.run_rolled_back(&signed.signer, &decoded, req.tx_bytes.len())?;
        Ok(SimulateResponse {
            gas_info: Some(GasInfo {
                gas_wanted: decoded.fee().gas_limit,
                gas_used,
            }),
            result: Some(AbciResult {
                data: crate::proto::abci::TxMsgData {
                    msg_responses: responses.clone(),
                }
                .encode_to_vec(),
                log: String::new(),
                events: events.iter().map(Event::from).collect(),
                msg_responses: responses,
            }),
        })
    }
}

/// The position a simulated or checked tx would have in the open block.
pub(crate) fn next_position(chain: &Chain) -> Created {
    match &chain.open {
        Some(b) => Created {
            height: b.height,
            tx_index: b.txs.len() as u64,
        },
        None => Created {
            height: chain.height + 1,
            tx_index: 0,
        },
    }
}

fn check_failed(e: TxError, gas_wanted: i64) -> TxOutcome {
    TxOutcome {
        code: e.code,
        codespace: e.codespace.to_string(),
        log: e.log,
        gas_wanted,
        ..Default::default()
    }
}
