//! The hand-written protobuf: every message round-trips, and the field numbers on the wire are
//! the upstream ones (checked on the encoded bytes, so a wrong tag cannot round-trip silently).

use devnet::proto::abci::TxMsgData;
use devnet::proto::auth::{BaseAccount, QueryAccountRequest, QueryAccountResponse};
use devnet::proto::bank::{
    MsgSend, QueryAllBalancesRequest, QueryBalanceRequest, QueryBalanceResponse,
};
use devnet::proto::gov::{MsgSubmitProposal, MsgVote, VoteOption};
use devnet::proto::tx::{AuthInfo, Fee, ModeInfo, SignerInfo, TxBody, TxRaw};
use devnet::proto::type_url;
use devnet::proto::wasm::{
    AccessConfig, MsgExecuteContract, MsgInstantiateContract, MsgInstantiateContract2,
    MsgMigrateContract, MsgStoreCode, MsgStoreCodeResponse,
};
use devnet::proto::wasm_query::{
    CodeInfoResponse, ContractInfo, QueryCodeResponse, QueryContractInfoResponse,
    QuerySmartContractStateRequest,
};
use devnet::proto::{Any, Coin, Named};
use prost::Message;

fn round_trip<M: Message + Default + PartialEq + std::fmt::Debug>(m: &M) -> Vec<u8> {
    let bytes = m.encode_to_vec();
    assert_eq!(&M::decode(bytes.as_slice()).unwrap(), m);
    bytes
}

/// The protobuf key byte of field `n` with wire type 2 (length-delimited).
fn ld(n: u8) -> u8 {
    (n << 3) | 2
}

#[test]
fn tx_envelope_round_trips_with_upstream_tags() {
    let raw = TxRaw {
        body_bytes: vec![1],
        auth_info_bytes: vec![2],
        signatures: vec![vec![3]],
    };
    assert_eq!(
        round_trip(&raw),
        vec![ld(1), 1, 1, ld(2), 1, 2, ld(3), 1, 3]
    );
    let body = TxBody {
        messages: vec![Any {
            type_url: "/x".into(),
            value: vec![9],
        }],
        memo: "m".into(),
        timeout_height: 7,
        ..Default::default()
    };
    let bytes = round_trip(&body);
    assert_eq!(bytes[0], ld(1));
    assert!(bytes.windows(3).any(|w| w == [ld(2), 1, b'm']));
    assert!(
        bytes.windows(2).any(|w| w == [3 << 3, 7]),
        "timeout_height is field 3"
    );
    let auth = AuthInfo {
        signer_infos: vec![SignerInfo {
            public_key: None,
            mode_info: Some(ModeInfo::direct()),
            sequence: 5,
        }],
        fee: Some(Fee {
            amount: vec![Coin::new(10, "uakt")],
            gas_limit: 200_000,
            payer: String::new(),
            granter: String::new(),
        }),
    };
    let bytes = round_trip(&auth);
    // signer_infos(1){ mode_info(2){ single(1){ mode(1)=1 } } sequence(3)=5 }
    assert_eq!(
        &bytes[..10],
        &[ld(1), 8, ld(2), 4, ld(1), 2, 1 << 3, 1, 3 << 3, 5]
    );
}

#[test]
fn wasm_messages_round_trip_with_upstream_tags() {
    let coin = Coin::new(5, "uakt");
    let exec = MsgExecuteContract {
        sender: "a".into(),
        contract: "c".into(),
        msg: b"{}".to_vec(),
        funds: vec![coin.clone()],
    };
    let bytes = round_trip(&exec);
    assert!(
        bytes.contains(&ld(5)),
        "funds is field 5 of MsgExecuteContract"
    );
    assert!(!bytes.contains(&ld(4)));
    let store = MsgStoreCode {
        sender: "g".into(),
        wasm_byte_code: vec![0, 97, 115, 109],
        instantiate_permission: Some(AccessConfig::any_of(vec!["g".into()])),
    };
    let bytes = round_trip(&store);
    assert_eq!(
        bytes[9],
        ld(5),
        "instantiate_permission is field 5 of MsgStoreCode"
    );
    // AccessConfig: permission(1)=4 (AnyOfAddresses), addresses(3)
    assert_eq!(&bytes[11..15], &[1 << 3, 4, ld(3), 1]);
    let inst2 = MsgInstantiateContract2 {
        sender: "g".into(),
        admin: "g".into(),
        code_id: 3,
        label: "l".into(),
        msg: b"{}".to_vec(),
        funds: vec![coin.clone()],
        salt: b"s".to_vec(),
        fix_msg: false,
    };
    let bytes = round_trip(&inst2);
    assert!(
        bytes.windows(3).any(|w| w == [ld(7), 1, b's']),
        "salt is field 7"
    );
    assert!(
        bytes.windows(2).any(|w| w == [3 << 3, 3]),
        "code_id is field 3"
    );
    round_trip(&MsgInstantiateContract {
        sender: "a".into(),
        admin: String::new(),
        code_id: 1,
        label: "l".into(),
        msg: b"{}".to_vec(),
        funds: vec![coin],
    });
    let bytes = round_trip(&MsgMigrateContract {
        sender: "a".into(),
        contract: "c".into(),
        code_id: 2,
        msg: b"{}".to_vec(),
    });
    assert!(bytes.windows(2).any(|w| w == [3 << 3, 2]));
    assert_eq!(
        round_trip(&MsgStoreCodeResponse {
            code_id: 1,
            checksum: vec![7]
        }),
        vec![1 << 3, 1, ld(2), 1, 7]
    );
}

#[test]
fn bank_gov_auth_and_queries_round_trip() {
    round_trip(&MsgSend {
        from_address: "a".into(),
        to_address: "b".into(),
        amount: vec![Coin::new(1, "uakt")],
    });
    let submit = MsgSubmitProposal {
        messages: vec![MsgSend::default().to_any()],
        initial_deposit: vec![Coin::new(1, "uakt")],
        proposer: "p".into(),
        metadata: String::new(),
        title: "t".into(),
        summary: "s".into(),
        expedited: true,
    };
    let bytes = round_trip(&submit);
    assert!(
        bytes.windows(3).any(|w| w == [ld(5), 1, b't']),
        "title is field 5"
    );
    assert!(
        bytes.windows(2).any(|w| w == [7 << 3, 1]),
        "expedited is field 7"
    );
    let vote = MsgVote {
        proposal_id: 4,
        voter: "v".into(),
        option: VoteOption::NoWithVeto as i32,
        metadata: String::new(),
    };
    assert_eq!(
        round_trip(&vote),
        vec![1 << 3, 4, ld(2), 1, b'v', 3 << 3, 4]
    );
    let account = BaseAccount {
        address: "a".into(),
        pub_key: None,
        account_number: 3,
        sequence: 9,
    };
    assert_eq!(
        round_trip(&account),
        vec![ld(1), 1, b'a', 3 << 3, 3, 4 << 3, 9]
    );
    let packed = QueryAccountResponse {
        account: Some(account.to_any()),
    };
    let back = QueryAccountResponse::decode(round_trip(&packed).as_slice()).unwrap();
    assert_eq!(
        back.account.unwrap().unpack::<BaseAccount>().unwrap(),
        account
    );
    round_trip(&QueryAccountRequest {
        address: "a".into(),
    });
    round_trip(&QueryBalanceRequest {
        address: "a".into(),
        denom: "uakt".into(),
    });
    round_trip(&QueryBalanceResponse {
        balance: Some(Coin::new(2, "uakt")),
    });
    round_trip(&QueryAllBalancesRequest {
        address: "a".into(),
        pagination: None,
        resolve_denom: true,
    });
    round_trip(&QuerySmartContractStateRequest {
        address: "c".into(),
        query_data: b"{}".to_vec(),
    });
    round_trip(&QueryContractInfoResponse {
        address: "c".into(),
        contract_info: Some(ContractInfo {
            code_id: 1,
            creator: "g".into(),
            admin: "g".into(),
            label: "l".into(),
            ..Default::default()
        }),
    });
    let code = QueryCodeResponse {
        code_info: Some(CodeInfoResponse {
            code_id: 1,
            creator: "g".into(),
            data_hash: vec![1; 32],
            instantiate_permission: Some(AccessConfig::any_of(vec!["g".into()])),
        }),
        data: vec![0, 97],
    };
    let bytes = round_trip(&code);
    assert_eq!(bytes[0], ld(1));
    assert!(
        bytes.windows(2).any(|w| w == [ld(6), 5]),
        "instantiate_permission is field 6 of CodeInfoResponse"
    );
}

#[test]
fn any_and_tx_msg_data() {
    let send = MsgSend {
        from_address: "a".into(),
        ..Default::default()
    };
    let any = send.to_any();
    assert_eq!(any.type_url, type_url::MSG_SEND);
    assert_eq!(any.unpack::<MsgSend>().unwrap(), send);
    let wrong = any.unpack::<MsgVote>().unwrap_err().to_string();
    assert!(wrong.contains("expected /cosmos.gov.v1.MsgVote"), "{wrong}");
    let data = TxMsgData {
        msg_responses: vec![any],
    };
    let bytes = round_trip(&data);
    assert_eq!(
        bytes[0],
        ld(2),
        "msg_responses is field 2 of TxMsgData (1 is reserved)"
    );
    assert_eq!(
        type_url::response_of(type_url::MSG_EXECUTE),
        "/cosmwasm.wasm.v1.MsgExecuteContractResponse"
    );
    assert_eq!(type_url::module_of(type_url::MSG_EXECUTE), "wasm");
    assert_eq!(type_url::module_of(type_url::MSG_SEND), "bank");
    assert_eq!(type_url::module_of(type_url::MSG_VOTE), "gov");
}
