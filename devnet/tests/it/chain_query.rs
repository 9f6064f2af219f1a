//! `abci_query` on the gRPC paths a CosmJS `CosmWasmClient` uses, protobuf in and out, against
//! the suite deployed through governance.

use devnet::chain::{Chain, ChainConfig, VmLoader};
use devnet::genesis::{deploy_suite, Suite};
use devnet::node::QueryOutcome;
use devnet::proto::auth::{BaseAccount, QueryAccountRequest, QueryAccountResponse};
use devnet::proto::bank::{
    QueryAllBalancesRequest, QueryAllBalancesResponse, QueryBalanceRequest, QueryBalanceResponse,
};
use devnet::proto::type_url::*;
use devnet::proto::wasm_query::*;
use devnet::proto::Coin;
use prost::Message;
use sha2::{Digest, Sha256};

fn deployed() -> (Chain, Suite) {
    let config = ChainConfig {
        accounts: vec![("relayer".into(), 7_000_000), ("treasury".into(), 1)],
        ..ChainConfig::default()
    };
    let mut chain = Chain::new(config, Box::new(VmLoader::workspace_cache().unwrap())).unwrap();
    let proposer = chain.account("validator-0").unwrap().addr;
    let relayer = chain.account("relayer").unwrap().addr;
    let treasury = chain.account("treasury").unwrap().addr;
    let suite = deploy_suite(&mut chain, &proposer, &relayer, &treasury, &mut |_| {})
        .expect("deploying the suite (artifacts built? scripts/build-wasm.sh)");
    (chain, suite)
}

fn ok(out: QueryOutcome) -> Vec<u8> {
    assert_eq!(out.code, 0, "{}", out.log);
    out.value
}

#[test]
fn wasm_bank_and_auth_queries() {
    let (chain, suite) = deployed();
    let escrow = suite.addr("escrow").unwrap().to_string();
    let q = |path: &str, req: Vec<u8>| chain.abci_query(path, &req, 0);

    let req = QuerySmartContractStateRequest {
        address: escrow.clone(),
        query_data: br#"{"config":{}}"#.to_vec(),
    };
    let data =
        QuerySmartContractStateResponse::decode(ok(q(Q_SMART, req.encode_to_vec())).as_slice())
            .unwrap()
            .data;
    let config: escrow::msg::ConfigResponse = serde_json::from_slice(&data).unwrap();
    assert_eq!(config.authority, chain.gov().clone());

    let bad_query = QuerySmartContractStateRequest {
        address: escrow.clone(),
        query_data: br#"{"no_such_query":{}}"#.to_vec(),
    };
    let out = q(Q_SMART, bad_query.encode_to_vec());
    assert_eq!((out.code, out.codespace.as_str()), (9, "wasm"));
    let nobody = QuerySmartContractStateRequest {
        address: chain.gov().to_string(),
        query_data: b"{}".to_vec(),
    };
    let out = q(Q_SMART, nobody.encode_to_vec());
    assert_eq!((out.code, out.codespace.as_str()), (22, "wasm"));

    // cw2 keeps the contract name under `contract_info`.
    let raw = QueryRawContractStateRequest {
        address: escrow.clone(),
        query_data: b"contract_info".to_vec(),
    };
    let data = QueryRawContractStateResponse::decode(ok(q(Q_RAW, raw.encode_to_vec())).as_slice())
        .unwrap()
        .data;
    assert!(
        String::from_utf8_lossy(&data).contains("escrow"),
        "{}",
        String::from_utf8_lossy(&data)
    );

    let codes = QueryCodesResponse::decode(ok(q(Q_CODES, vec![])).as_slice()).unwrap();
    assert_eq!(codes.code_infos.len(), 6);
    let escrow_code = suite.code_ids["escrow"];
    let code = QueryCodeResponse::decode(
        ok(q(
            Q_CODE,
            QueryCodeRequest {
                code_id: escrow_code,
            }
            .encode_to_vec(),
        ))
        .as_slice(),
    )
    .unwrap();
    let wasm = supercloud_vm::artifact("escrow").unwrap();
    assert_eq!(code.data, wasm);
    assert_eq!(
        code.code_info.unwrap().data_hash,
        Sha256::digest(&wasm).to_vec()
    );
    let missing = q(Q_CODE, QueryCodeRequest { code_id: 99 }.encode_to_vec());
    assert_ne!(missing.code, 0);

    let relayer = chain.keyring().require("relayer").unwrap().addr.to_string();
    let balance = QueryBalanceResponse::decode(
        ok(q(
            Q_BALANCE,
            QueryBalanceRequest {
                address: relayer.clone(),
                denom: "uakt".into(),
            }
            .encode_to_vec(),
        ))
        .as_slice(),
    )
    .unwrap();
    assert_eq!(balance.balance, Some(Coin::new(7_000_000, "uakt")));
    let all = QueryAllBalancesResponse::decode(
        ok(q(
            Q_ALL_BALANCES,
            QueryAllBalancesRequest {
                address: relayer.clone(),
                pagination: None,
                resolve_denom: false,
            }
            .encode_to_vec(),
        ))
        .as_slice(),
    )
    .unwrap();
    assert_eq!(all.balances, vec![Coin::new(7_000_000, "uakt")]);

    let account: BaseAccount = QueryAccountResponse::decode(
        ok(q(
            Q_ACCOUNT,
            QueryAccountRequest {
                address: relayer.clone(),
            }
            .encode_to_vec(),
        ))
        .as_slice(),
    )
    .unwrap()
    .account
    .unwrap()
    .unpack()
    .unwrap();
    assert_eq!(account.address, relayer);
    let unknown = q(
        Q_ACCOUNT,
        QueryAccountRequest {
            address: escrow.clone(),
        }
        .encode_to_vec(),
    );
    assert!(
        unknown.log.contains(&format!("account {escrow} not found")),
        "{}",
        unknown.log
    );

    // Only the latest state exists.
    let latest = chain.height();
    let req = QueryCodesRequest { pagination: None }.encode_to_vec();
    assert_eq!(chain.abci_query(Q_CODES, &req, latest).code, 0);
    let old = chain.abci_query(Q_CODES, &req, latest - 1);
    assert_eq!((old.code, old.codespace.as_str()), (26, "sdk"));
    assert_eq!(chain.abci_query("/nope", &[], 0).code, 6);
}
