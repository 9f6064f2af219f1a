//! `abci_query` on the gRPC paths a CosmJS `CosmWasmClient` uses: wasm (smart, raw, contract
//! info, contracts by code, code, codes), bank (balance, all balances) and auth (account).
//! Only the latest state exists: a query at another height is refused, as a pruned node would.

use cosmwasm_std::{
    to_json_vec, Addr, Api, ContractResult, Empty, Querier, QueryRequest, SystemResult, WasmQuery,
};
use prost::Message;

use super::codes;
use super::core::Chain;
use super::{auth, errors::TxError};
use crate::node::QueryOutcome;
use crate::proto::auth::{BaseAccount, QueryAccountRequest, QueryAccountResponse};
use crate::proto::bank::{
    QueryAllBalancesRequest, QueryAllBalancesResponse, QueryBalanceRequest, QueryBalanceResponse,
};
use crate::proto::query::PageResponse;
use crate::proto::type_url::*;
use crate::proto::wasm_query::*;
use crate::proto::{Coin, Named};

type QueryResult = Result<Vec<u8>, TxError>;

fn decode<M: Message + Default>(data: &[u8]) -> Result<M, TxError> {
    M::decode(data).map_err(|e| TxError::tx_decode(format!("query request: {e}")))
}

/// A query's answer at `height`: its value, or its error's code and log.
pub(super) fn outcome(result: QueryResult, height: u64) -> QueryOutcome {
    match result {
        Ok(value) => QueryOutcome {
            value,
            height,
            ..Default::default()
        },
        Err(e) => QueryOutcome {
            code: e.code,
            codespace: e.codespace.to_string(),
            log: e.log,
            height,
            ..Default::default()
        },
    }
}

fn not_found(detail: impl std::fmt::Display) -> TxError {
    TxError {
        codespace: "sdk",
        code: 38,
        log: format!("{detail}: not found"),
    }
}

impl Chain {
    /// Answers an `abci_query` at `height` (0 or the latest height).
    pub fn abci_query(&self, path: &str, data: &[u8], height: u64) -> QueryOutcome {
        let result = if height != 0 && height != self.height {
            Err(TxError {
                codespace: "sdk",
                code: 26,
                log: format!(
                    "failed to load state at height {height}; only the latest height ({}) is kept: invalid height",
                    self.height
                ),
            })
        } else {
            self.route_query(path, data)
        };
        outcome(result, self.height)
    }

    fn route_query(&self, path: &str, data: &[u8]) -> QueryResult {
        match path {
            Q_SMART => self.q_smart(decode(data)?),
            Q_RAW => self.q_raw(decode(data)?),
            Q_CONTRACT_INFO => self.q_contract_info(decode(data)?),
            Q_CONTRACTS_BY_CODE => self.q_contracts_by_code(decode(data)?),
            Q_CODE => self.q_code(decode(data)?),
            Q_CODES => self.q_codes(),
            Q_BALANCE => self.q_balance(decode(data)?),
            Q_ALL_BALANCES => self.q_all_balances(decode(data)?),
            Q_ACCOUNT => self.q_account(decode(data)?),
            other => Err(TxError::unknown_request(format!(
                "no route for query path {other}"
            ))),
        }
    }

    fn contract(&self, address: &str) -> Result<Addr, TxError> {
        let addr = self
            .app
            .api()
            .addr_validate(address)
            .map_err(|e| TxError::invalid_address(format!("{address}: {e}")))?;
        self.app.contract_data(&addr).map_err(|_| TxError {
            codespace: "wasm",
            code: 22,
            log: format!("address {address}: no such contract"),
        })?;
        Ok(addr)
    }

    fn q_smart(&self, req: QuerySmartContractStateRequest) -> QueryResult {
        let addr = self.contract(&req.address)?;
        let request: QueryRequest<Empty> = QueryRequest::Wasm(WasmQuery::Smart {
            contract_addr: addr.to_string(),
            msg: req.query_data.into(),
        });
        let bytes = to_json_vec(&request).map_err(|e| TxError::internal(e.to_string()))?;
        let query_failed = |detail: String| TxError {
            codespace: "wasm",
            code: 9,
            log: format!("{detail}: query wasm contract failed"),
        };
        match self.app.raw_query(&bytes) {
            SystemResult::Ok(ContractResult::Ok(data)) => Ok(QuerySmartContractStateResponse {
                data: data.to_vec(),
            }
            .encode_to_vec()),
            SystemResult::Ok(ContractResult::Err(e)) => Err(query_failed(e)),
            SystemResult::Err(e) => Err(query_failed(e.to_string())),
        }
    }

    fn q_raw(&self, req: QueryRawContractStateRequest) -> QueryResult {
        let addr = self.contract(&req.address)?;
        let data = self
            .app
            .contract_storage(&addr)
            .get(&req.query_data)
            .unwrap_or_default();
        Ok(QueryRawContractStateResponse { data }.encode_to_vec())
    }

    fn q_contract_info(&self, req: QueryContractInfoRequest) -> QueryResult {
        let addr = self.contract(&req.address)?;
        let data = self
            .app
            .contract_data(&addr)
            .map_err(|e| TxError::internal(e.to_string()))?;
        let created = codes::created(self.app.storage(), addr.as_str())
            .map_err(TxError::internal)?
            .unwrap_or_default();
        Ok(QueryContractInfoResponse {
            address: addr.to_string(),
            contract_info: Some(ContractInfo {
                code_id: data.code_id,
                creator: data.creator.to_string(),
                admin: data.admin.map(|a| a.to_string()).unwrap_or_default(),
                label: data.label,
                created: Some(AbsoluteTxPosition {
                    block_height: created.height,
                    tx_index: created.tx_index,
                }),
                ..Default::default()
            }),
        }
        .encode_to_vec())
    }

    fn q_contracts_by_code(&self, req: QueryContractsByCodeRequest) -> QueryResult {
        let contracts =
            codes::contracts_of(self.app.storage(), req.code_id).map_err(TxError::internal)?;
        let total = contracts.len() as u64;
        Ok(QueryContractsByCodeResponse {
            contracts,
            pagination: Some(PageResponse {
                next_key: vec![],
                total,
            }),
        }
        .encode_to_vec())
    }

    fn code_info(record: &codes::CodeRecord) -> CodeInfoResponse {
        CodeInfoResponse {
            code_id: record.code_id,
            creator: record.creator.clone(),
            data_hash: hex::decode(&record.checksum).unwrap_or_default(),
            instantiate_permission: Some(record.permission.to_proto()),
        }
    }

    fn q_code(&self, req: QueryCodeRequest) -> QueryResult {
        let record = codes::record(self.app.storage(), req.code_id)
            .map_err(TxError::internal)?
            .ok_or_else(|| not_found(format!("code id {}", req.code_id)))?;
        Ok(QueryCodeResponse {
            code_info: Some(Self::code_info(&record)),
            data: codes::wasm(self.app.storage(), req.code_id).unwrap_or_default(),
        }
        .encode_to_vec())
    }

    fn q_codes(&self) -> QueryResult {
        let all = codes::all(self.app.storage()).map_err(TxError::internal)?;
        let total = all.len() as u64;
        Ok(QueryCodesResponse {
            code_infos: all.iter().map(Self::code_info).collect(),
            pagination: Some(PageResponse {
                next_key: vec![],
                total,
            }),
        }
        .encode_to_vec())
    }

    fn q_balance(&self, req: QueryBalanceRequest) -> QueryResult {
        let coin = self
            .app
            .wrap()
            .query_balance(&req.address, &req.denom)
            .map_err(|e| TxError::invalid_address(format!("{}: {e}", req.address)))?;
        Ok(QueryBalanceResponse {
            balance: Some(Coin {
                denom: coin.denom,
                amount: coin.amount.to_string(),
            }),
        }
        .encode_to_vec())
    }

    fn q_all_balances(&self, req: QueryAllBalancesRequest) -> QueryResult {
        let coins = self.all_balances(&req.address).map_err(TxError::internal)?;
        let total = coins.len() as u64;
        Ok(QueryAllBalancesResponse {
            balances: coins
                .into_iter()
                .map(|c| Coin {
                    denom: c.denom,
                    amount: c.amount.to_string(),
                })
                .collect(),
            pagination: Some(PageResponse {
                next_key: vec![],
                total,
            }),
        }
        .encode_to_vec())
    }

    fn q_account(&self, req: QueryAccountRequest) -> QueryResult {
        let record = auth::get(self.app.storage(), &req.address)
            .map_err(TxError::internal)?
            .ok_or_else(|| TxError {
                codespace: "sdk",
                code: 22,
                log: format!(
                    "rpc error: code = NotFound desc = account {} not found: key not found",
                    req.address
                ),
            })?;
        // Known once the account has signed a tx (the SDK's SetPubKey).
        let pub_key = auth::pub_key(self.app.storage(), &req.address)
            .map_err(TxError::internal)?
            .and_then(|k| <[u8; 33]>::try_from(k.as_slice()).ok())
            .map(|k| super::keys::pubkey_any(&k));
        let account = BaseAccount {
            address: req.address,
            pub_key,
            account_number: record.account_number,
            sequence: record.sequence,
        };
        Ok(QueryAccountResponse {
            account: Some(account.to_any()),
        }
        .encode_to_vec())
    }
}
