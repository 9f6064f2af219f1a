//! One message, executed as `sender`: bank and wasm messages through the app, code upload and
//! gov through the chain, with wasmd's permission rules and the message's response.

use cosmwasm_std::Addr;
use cw_multi_test::Executor;
use prost::Message;

use super::codes::{self, Created, Permission};
use super::core::Chain;
use super::errors::{bank_error, std_text, TxError};
use super::events;
use super::gov;
use super::msgs::{to_cosmos, ChainMsg};
use crate::node::AbciEvent;
use crate::proto::type_url::response_of;
use crate::proto::wasm::MsgStoreCodeResponse;
use crate::proto::Any;

/// SDK gas charged for a bank send (estimate of its KV reads and writes).
const BANK_GAS: u64 = 20_000;
/// SDK gas charged for a gov message (estimate).
const GOV_GAS: u64 = 40_000;
/// wasmd's compile cost per byte of uploaded wasm.
const COMPILE_GAS_PER_BYTE: u64 = 3;

/// What a message produced.
pub struct MsgOutcome {
    /// Its events (without `msg_index`).
    pub events: Vec<AbciEvent>,
    /// Its response, packed (`<type URL>Response`).
    pub response: Any,
    /// SDK gas it used beyond the VM calls (those are reported by the loader).
    pub gas: u64,
}

impl Chain {
    /// Executes `msg` as `sender` (already authenticated as its signer, or the gov module).
    pub(crate) fn run_msg(
        &mut self,
        sender: &Addr,
        msg: &ChainMsg,
        at: Created,
    ) -> Result<MsgOutcome, TxError> {
        let response_url = response_of(msg.type_url());
        match msg {
            ChainMsg::StoreCode(m) => {
                if *sender != self.gov {
                    return Err(TxError::unauthorized("can not create code"));
                }
                let permission =
                    Permission::from_proto(m.instantiate_permission.as_ref(), sender.as_str())?;
                let (code_id, checksum) = codes::store(
                    &mut self.app,
                    self.loader.as_ref(),
                    sender,
                    &m.wasm_byte_code,
                    permission,
                )?;
                let checksum_hex = hex::encode(checksum);
                Ok(MsgOutcome {
                    events: vec![AbciEvent::new(
                        "store_code",
                        [
                            ("code_checksum", checksum_hex.as_str()),
                            ("code_id", code_id.to_string().as_str()),
                        ],
                    )],
                    response: Any {
                        type_url: response_url,
                        value: MsgStoreCodeResponse {
                            code_id,
                            checksum: checksum.to_vec(),
                        }
                        .encode_to_vec(),
                    },
                    gas: COMPILE_GAS_PER_BYTE * m.wasm_byte_code.len() as u64,
                })
            }
            ChainMsg::SubmitProposal(m) => {
                let (events, response) = gov::submit(self, sender, m)?;
                Ok(MsgOutcome {
                    events,
                    response: Any {
                        type_url: response_url,
                        value: response,
                    },
                    gas: GOV_GAS,
                })
            }
            ChainMsg::Vote(m) => {
                let events = gov::vote(self, sender, m)?;
                Ok(MsgOutcome {
                    events,
                    response: Any {
                        type_url: response_url,
                        value: Vec::new(),
                    },
                    gas: GOV_GAS,
                })
            }
            ChainMsg::Instantiate(_) | ChainMsg::Instantiate2(_) => {
                let code_id = match msg {
                    ChainMsg::Instantiate(m) => m.code_id,
                    ChainMsg::Instantiate2(m) => m.code_id,
                    _ => 0,
                };
                let record = codes::record(self.app.storage(), code_id)
                    .map_err(TxError::internal)?
                    .ok_or_else(|| {
                        TxError::instantiate_failed(format!("no such code: {code_id}"))
                    })?;
                if !record.permission.allows(sender.as_str()) {
                    return Err(TxError::unauthorized("can not instantiate"));
                }
                self.run_app(sender, msg, at, response_url, TxError::instantiate_failed)
            }
            ChainMsg::Execute(_) => {
                self.run_app(sender, msg, at, response_url, TxError::execute_failed)
            }
            ChainMsg::Migrate(_) => {
                self.run_app(sender, msg, at, response_url, TxError::migrate_failed)
            }
            ChainMsg::Send(_) => {
                let cosmos = to_cosmos(msg)?
                    .ok_or_else(|| TxError::internal("bank message without a bank translation"))?;
                let res = self
                    .app
                    .execute(sender.clone(), cosmos)
                    .map_err(|e| bank_error(&e))?;
                Ok(MsgOutcome {
                    events: events::from_app(&res.events),
                    response: Any {
                        type_url: response_url,
                        value: Vec::new(),
                    },
                    gas: BANK_GAS,
                })
            }
        }
    }

    /// A wasm message through the app; instantiations and migrations are indexed by code.
    fn run_app(
        &mut self,
        sender: &Addr,
        msg: &ChainMsg,
        at: Created,
        response_url: String,
        wrap: fn(String) -> TxError,
    ) -> Result<MsgOutcome, TxError> {
        let cosmos = to_cosmos(msg)?
            .ok_or_else(|| TxError::internal("wasm message without a wasm translation"))?;
        let res = self
            .app
            .execute(sender.clone(), cosmos)
            .map_err(|e| wrap(std_text(&e)))?;
        codes::index_instantiations(self.app.storage_mut(), &res.events, at)
            .map_err(TxError::internal)?;
        codes::index_migrations(self.app.storage_mut(), &res.events).map_err(TxError::internal)?;
        Ok(MsgOutcome {
            events: events::from_app(&res.events),
            response: Any {
                type_url: response_url,
                value: res.data.map(|d| d.to_vec()).unwrap_or_default(),
            },
            gas: 0,
        })
    }
}
