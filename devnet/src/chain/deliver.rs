//! Tx delivery: the ante handler (signer, sequence, fee), then the messages as one unit that
//! commits or rolls back, producing an `ExecTxResult`-shaped outcome.

use anyhow::Context;
use base64::Engine;
use cosmwasm_std::{Addr, BankMsg};
use cw_multi_test::Executor;
use prost::Message;

use super::core::Chain;
use super::errors::{bank_error, TxError};
use super::events;
use super::exec::MsgOutcome;
use super::msgs::ChainMsg;
use super::tx::{self, TxSpec};
use super::{auth, codes::Created};
use crate::node::{AbciEvent, ExecutedTx, TxOutcome};
use crate::proto::abci::TxMsgData;
use crate::proto::coin::coins_string;
use crate::proto::{Any, Coin};

/// SDK gas per tx byte (`TxSizeCostPerByte`).
const GAS_PER_TX_BYTE: u64 = 10;
/// SDK gas for the ante handler's signature check and account reads/writes (estimate).
const ANTE_GAS: u64 = 6_000;
/// The gas limit a simulated tx is signed with (only its encoded size matters).
const SIMULATION_GAS_LIMIT: u64 = 100_000_000;

impl Chain {
    /// Builds a tx of `msgs` signed by `signer` at its current sequence, paying the minimum fee
    /// for `gas_limit`.
    pub fn sign(&self, signer: &Addr, msgs: Vec<Any>, gas_limit: u64) -> anyhow::Result<Vec<u8>> {
        let record = self.auth(signer)?;
        let key = self
            .keys
            .key_of(signer.as_str())
            .with_context(|| format!("no key for {signer}: not a devnet account"))?;
        let fee = self.config.fee_for(gas_limit);
        let spec = TxSpec {
            msgs,
            memo: String::new(),
            gas_limit,
            fee: if fee > 0 {
                vec![Coin::new(fee, &self.config.denom)]
            } else {
                vec![]
            },
        };
        Ok(tx::encode_signed(
            &self.config.chain_id,
            record.account_number,
            record.sequence,
            spec,
            key,
        ))
    }

    /// The SDK gas a tx of `msgs` from `signer` would use in the open block, found by running
    /// it and rolling every write back (what `cosmos.tx.v1beta1.Service/Simulate` answers; bots
    /// set their gas limit to this times a margin). A message the chain would refuse is an error.
    ///
    /// The ante handler's fee and balance checks are not simulated, and code uploads are refused
    /// (cw-multi-test registers code outside the storage a rollback undoes).
    pub fn simulate(&mut self, signer: &Addr, msgs: Vec<Any>) -> anyhow::Result<u64> {
        // Shaped as the real tx will be, so the size charge matches to a few bytes.
        let record = self.auth(signer)?;
        let fee = self.config.fee_for(SIMULATION_GAS_LIMIT);
        let spec = TxSpec {
            msgs,
            memo: String::new(),
            gas_limit: SIMULATION_GAS_LIMIT,
            fee: vec![Coin::new(fee, &self.config.denom)],
        };
        let bytes = tx::encode_for_simulation(record.sequence, spec);
        let decoded = tx::decode(&bytes)?;
        anyhow::ensure!(
            decoded.signers() == [signer.as_str()],
            "simulate: every message must be signed by {signer}"
        );
        let (gas, _, _) = self.run_rolled_back(signer, &decoded, bytes.len())?;
        Ok(gas)
    }

    /// Runs a decoded tx's messages in the open block as `signer` and rolls every write back:
    /// the SDK gas it used (size, ante, messages, VM), its events and message responses.
    pub(crate) fn run_rolled_back(
        &mut self,
        signer: &Addr,
        decoded: &tx::DecodedTx,
        size: usize,
    ) -> Result<(u64, Vec<AbciEvent>, Vec<Any>), TxError> {
        if let Some(store) = decoded
            .msgs
            .iter()
            .find(|m| matches!(m, ChainMsg::StoreCode(_)))
        {
            return Err(TxError::unknown_request(format!(
                "{} is not simulated",
                store.type_url()
            )));
        }
        self.ensure_open();
        let at = super::checktx::next_position(self);
        let mut gas = GAS_PER_TX_BYTE * size as u64 + ANTE_GAS;
        let _ = self.loader.take_gas();
        self.app.storage_mut().begin().map_err(TxError::internal)?;
        let mut refused = None;
        let (mut evs, mut responses) = (Vec::new(), Vec::new());
        for (i, msg) in decoded.msgs.iter().enumerate() {
            match self.run_msg(signer, msg, at) {
                Ok(out) => {
                    gas = gas.saturating_add(out.gas);
                    let mut msg_events = vec![events::message(msg.type_url(), signer.as_str())];
                    msg_events.extend(out.events);
                    events::tag(&mut msg_events, "msg_index", &i.to_string());
                    evs.extend(msg_events);
                    responses.push(out.response);
                }
                Err(e) => {
                    refused = Some(e.at_message(i));
                    break;
                }
            }
        }
        self.app.storage_mut().rollback();
        gas = gas.saturating_add(self.loader.take_gas());
        match refused {
            Some(e) => Err(e),
            None => Ok((gas, evs, responses)),
        }
    }

    /// Executes `bytes` in the open block (opening the next one if needed) and returns its
    /// result. A bad tx is a failed result, never an error.
    pub fn deliver_tx(&mut self, bytes: Vec<u8>) -> TxOutcome {
        self.ensure_open();
        let (height, tx_index) = match &self.open {
            Some(b) => (b.height, b.txs.len() as u64),
            None => (self.height + 1, 0),
        };
        let outcome = self.execute_tx(&bytes, Created { height, tx_index });
        if let Some(block) = &mut self.open {
            block.txs.push(ExecutedTx {
                bytes,
                outcome: outcome.clone(),
            });
        }
        outcome
    }

    /// Runs one tx against the fee's gas limit, as the SDK meters it: running out in the ante
    /// handler (tx bytes) changes nothing; running out in a message keeps the fee and sequence
    /// and rolls the messages back, reporting `gas_used` above `gas_wanted`.
    fn execute_tx(&mut self, bytes: &[u8], at: Created) -> TxOutcome {
        let mut gas_used = GAS_PER_TX_BYTE * bytes.len() as u64 + ANTE_GAS;
        let decoded = match tx::decode(bytes) {
            Ok(d) => d,
            Err(e) => return failed(e, 0, gas_used, Vec::new()),
        };
        let fee = decoded.fee();
        let gas_limit = fee.gas_limit;
        let gas_wanted = i64::try_from(gas_limit).unwrap_or(i64::MAX);
        if gas_used > gas_limit {
            let e = TxError::out_of_gas("txSize", gas_limit, gas_used);
            return failed(e, gas_wanted, gas_used, Vec::new());
        }
        let ante = match self.ante(&decoded, &fee) {
            Ok(ante) => ante,
            Err(e) => return failed(e, gas_wanted, gas_used, Vec::new()),
        };
        let _ = self.loader.take_gas();
        if let Err(e) = self.app.storage_mut().begin() {
            return failed(TxError::internal(e), gas_wanted, gas_used, ante.events);
        }
        let mut tx_events = ante.events.clone();
        let mut responses = Vec::with_capacity(decoded.msgs.len());
        for (i, msg) in decoded.msgs.iter().enumerate() {
            match self.run_msg(&ante.signer, msg, at) {
                Ok(MsgOutcome {
                    events: msg_events,
                    response,
                    gas,
                }) => {
                    let mut evs = vec![events::message(msg.type_url(), ante.signer.as_str())];
                    evs.extend(msg_events);
                    events::tag(&mut evs, "msg_index", &i.to_string());
                    tx_events.extend(evs);
                    responses.push(response);
                    // The message's own charge plus what its VM calls metered.
                    gas_used = gas_used
                        .saturating_add(gas)
                        .saturating_add(self.loader.take_gas());
                    if gas_used > gas_limit {
                        self.app.storage_mut().rollback();
                        let e = TxError::out_of_gas(msg.type_url(), gas_limit, gas_used);
                        return failed(e, gas_wanted, gas_used, ante.events);
                    }
                }
                Err(e) => {
                    self.app.storage_mut().rollback();
                    gas_used = gas_used.saturating_add(self.loader.take_gas());
                    // The meter runs out before the message gets to fail on its own.
                    let e = if gas_used > gas_limit {
                        TxError::out_of_gas(msg.type_url(), gas_limit, gas_used)
                    } else {
                        e.at_message(i)
                    };
                    return failed(e, gas_wanted, gas_used, ante.events);
                }
            }
        }
        // x/bank creates the account of a recipient it has never seen.
        let receivers = tx_events
            .iter()
            .filter(|e| e.kind == "coin_received")
            .flat_map(|e| e.attributes.iter().filter(|a| a.key == "receiver"));
        for receiver in receivers {
            if let Err(e) = auth::get_or_create(self.app.storage_mut(), &receiver.value) {
                self.app.storage_mut().rollback();
                return failed(TxError::internal(e), gas_wanted, gas_used, ante.events);
            }
        }
        self.app.storage_mut().commit();
        TxOutcome {
            code: 0,
            codespace: String::new(),
            log: String::new(),
            data: TxMsgData {
                msg_responses: responses,
            }
            .encode_to_vec(),
            gas_wanted,
            gas_used: i64::try_from(gas_used).unwrap_or(i64::MAX),
            events: tx_events,
        }
    }

    /// Signer checks, sequence check, signature verification (SIGN_MODE_DIRECT), fee
    /// deduction, the account's public key recorded, sequence increment; the ante events.
    fn ante(
        &mut self,
        decoded: &tx::DecodedTx,
        fee: &crate::proto::tx::Fee,
    ) -> Result<Ante, TxError> {
        let signed = self.single_signer(decoded)?;
        let signer = signed.signer.clone();
        let record = auth::get(self.app.storage(), signer.as_str())
            .map_err(TxError::internal)?
            .ok_or_else(|| {
                TxError::unknown_address(format!("fee payer address: {signer} does not exist"))
            })?;
        if signed.info.sequence != record.sequence {
            return Err(TxError::wrong_sequence(
                record.sequence,
                signed.info.sequence,
            ));
        }
        let key = self.verify_signature(decoded, &signed, record.account_number)?;
        let signature = signed.signature.to_vec();
        let fee_coins = super::msgs::coins(&fee.amount)?;
        let fee_text = coins_string(&fee.amount);
        let mut events = Vec::new();
        if fee_coins.iter().any(|c| !c.amount.is_zero()) {
            let res = self
                .app
                .execute(
                    signer.clone(),
                    BankMsg::Send {
                        to_address: self.fee_collector.to_string(),
                        amount: fee_coins,
                    }
                    .into(),
                )
                .map_err(|e| {
                    let mut err = bank_error(&e);
                    err.log = format!(
                        "{fee_text} is more than the fee payer's balance: {}",
                        err.log
                    );
                    err
                })?;
            events.extend(events::from_app(&res.events));
            events.push(AbciEvent::new("message", [("sender", signer.as_str())]));
        }
        auth::set_pub_key(self.app.storage_mut(), signer.as_str(), &key)
            .map_err(TxError::internal)?;
        auth::bump_sequence(self.app.storage_mut(), signer.as_str()).map_err(TxError::internal)?;
        events.push(AbciEvent::new(
            "tx",
            [("fee", fee_text.as_str()), ("fee_payer", signer.as_str())],
        ));
        events.push(AbciEvent::new(
            "tx",
            [("acc_seq", format!("{signer}/{}", record.sequence))],
        ));
        events.push(AbciEvent::new(
            "tx",
            [(
                "signature",
                base64::engine::general_purpose::STANDARD.encode(&signature),
            )],
        ));
        Ok(Ante { signer, events })
    }
}

/// What the ante handler established.
struct Ante {
    signer: Addr,
    events: Vec<AbciEvent>,
}

fn failed(e: TxError, gas_wanted: i64, gas_used: u64, events: Vec<AbciEvent>) -> TxOutcome {
    TxOutcome {
        code: e.code,
        codespace: e.codespace.to_string(),
        log: e.log,
        data: Vec::new(),
        gas_wanted,
        gas_used: i64::try_from(gas_used).unwrap_or(i64::MAX),
        events,
    }
}
