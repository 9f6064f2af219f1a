//! The hand-written decoding must accept exactly what serde's derive accepted, with the same
//! result. Each check decodes the same JSON with the contract's type and with a `#[cw_serde]`
//! twin that still derives `Deserialize` (the definition as it was), and compares outcome and
//! re-serialized value. Probes cover the forms clients send and the odd ones serde also takes.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{
    from_json, to_json_string, to_json_vec, Addr, Binary, Decimal256, Uint128, Uint256,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{FromValue, Value, WireError};
use crate::msg::{
    AccountRef, AccountState, CloseReason, Config, ConfigUpdate, DepositLimits, DepositSource,
    ExecuteMsg, InstantiateMsg, MigrateMsg, PaymentRef, PaymentState, QueryMsg, ReceiveHook,
    Resources, Scope, ScopeMsg, SourceMsg,
};
use crate::state::{Account, Allowance, Deposit, Overdraw, Payment};
use crate::work::GpuWork;

/// Decodes `json` as `Ours` and as its derived twin `Twin`: both refuse it, or both accept it
/// and serialize back to the same JSON.
fn same<Ours, Twin>(json: &str)
where
    Ours: DeserializeOwned + Serialize,
    Twin: DeserializeOwned + Serialize,
{
    let ours = from_json::<Ours>(json.as_bytes());
    let twin = from_json::<Twin>(json.as_bytes());
    match (&ours, &twin) {
        (Ok(o), Ok(t)) => assert_eq!(
            to_json_string(o).unwrap(),
            to_json_string(t).unwrap(),
            "decoded differently: {json}"
        ),
        (Err(_), Err(_)) => {}
        _ => panic!(
            "accepted by one side only: {json}\n ours: {:?}\n twin: {:?}",
            ours.as_ref().err().map(|e| e.to_string()),
            twin.as_ref().err().map(|e| e.to_string()),
        ),
    }
}

/// As [`same`], and the JSON must be accepted (so the probe lists cannot silently refuse all).
fn accepted<Ours, Twin>(json: &str)
where
    Ours: DeserializeOwned + Serialize,
    Twin: DeserializeOwned + Serialize,
{
    assert!(
        from_json::<Twin>(json.as_bytes()).is_ok(),
        "twin refuses {json}"
    );
    same::<Ours, Twin>(json);
}

/// As [`same`], and the JSON must be refused.
fn refused<Ours, Twin>(json: &str)
where
    Ours: DeserializeOwned + Serialize,
    Twin: DeserializeOwned + Serialize,
{
    assert!(
        from_json::<Twin>(json.as_bytes()).is_err(),
        "twin takes {json}"
    );
    same::<Ours, Twin>(json);
}

mod twin {
    //! The types as `#[cw_serde]` derived them (field order and attributes unchanged).
    use super::*;

    #[cw_serde]
    pub enum DepositSource {
        Funds,
        Allowance { grantee: Addr },
    }

    #[cw_serde]
    pub enum Scope {
        Any,
        Owner(Addr),
        Account(Addr, u64),
    }

    #[cw_serde]
    pub struct Resources {
        pub gpu_model: String,
        pub gpu_count: u32,
    }

    #[cw_serde]
    pub struct Payment {
        pub id: u64,
        pub provider: Addr,
        pub rate: Decimal256,
        pub resources: Resources,
        pub state: PaymentState,
        pub opened_at: u64,
        #[serde(default)]
        pub carry: Decimal256,
        pub withdrawable: Uint256,
        pub debt: Uint256,
        pub withdrawn: Uint256,
        pub closed_at: Option<u64>,
        pub close_reason: Option<CloseReason>,
        #[serde(default)]
        pub unbooked_blocks: u64,
        #[serde(default)]
        pub unbooked_value: Decimal256,
    }

    #[cw_serde]
    pub struct Overdraw {
        pub detected_at: u64,
        pub exhausted_at: u64,
        pub grace_until: u64,
    }

    #[cw_serde]
    pub struct Account {
        pub owner: Addr,
        pub dseq: u64,
        pub denom: String,
        pub state: AccountState,
        pub opened_at: u64,
        pub settled_at: u64,
        pub settled_time: u64,
        pub balance: Uint256,
        pub deposit_head: u64,
        pub deposit_next: u64,
        pub open_payments: Vec<u64>,
        pub next_payment_id: u64,
        pub rate: Decimal256,
        pub overdraw: Option<Overdraw>,
        pub closed_at: Option<u64>,
        pub total_deposited: Uint256,
        pub total_settled: Uint256,
        #[serde(default)]
        pub consume_pending: Uint256,
    }

    #[cw_serde]
    pub struct Deposit {
        pub depositor: Addr,
        pub source: DepositSource,
        pub amount: Uint256,
        pub deposited: Uint256,
        pub height: u64,
    }

    #[cw_serde]
    pub struct Allowance {
        pub scope: Scope,
        pub balance: Uint256,
        pub expires_at: Option<u64>,
    }

    #[cw_serde]
    pub struct Config {
        pub native_denoms: Vec<String>,
        pub act_ledger: Option<Addr>,
        pub grace_period_blocks: u64,
        pub block_time_ms: u64,
        pub max_open_payments: u32,
        pub refund_batch: u32,
        #[serde(default)]
        pub deposit_limits: DepositLimits,
    }

    #[cw_serde]
    pub struct DepositLimits {
        pub min_deposit: Vec<cosmwasm_std::Coin>,
        pub max_live_deposits: u32,
        pub consume_batch: u32,
    }

    impl Default for DepositLimits {
        fn default() -> Self {
            DepositLimits {
                min_deposit: vec![],
                max_live_deposits: 1_000,
                consume_batch: 30,
            }
        }
    }

    #[cw_serde]
    pub struct GpuWork {
        pub gpu_blocks: Uint128,
        pub gpu_seconds: Uint128,
    }

    #[cw_serde]
    pub struct InstantiateMsg {
        pub authority: String,
        pub native_denoms: Vec<String>,
        pub act_ledger: Option<String>,
        #[serde(default)]
        pub grace_period_blocks: u64,
        pub block_time_ms: Option<u64>,
        pub max_open_payments: Option<u32>,
        pub refund_batch: Option<u32>,
        pub deposit_limits: Option<DepositLimits>,
    }

    #[cw_serde]
    pub struct ConfigUpdate {
        pub native_denoms: Option<Vec<String>>,
        pub act_ledger: Option<String>,
        pub grace_period_blocks: Option<u64>,
        pub block_time_ms: Option<u64>,
        pub max_open_payments: Option<u32>,
        pub refund_batch: Option<u32>,
        pub deposit_limits: Option<DepositLimits>,
    }

    #[cw_serde]
    pub enum SourceMsg {
        Funds {},
        Allowance { granter: String },
    }

    #[cw_serde]
    pub enum ScopeMsg {
        Any {},
        Owner { owner: String },
        Account { owner: String, dseq: u64 },
    }

    #[cw_serde]
    pub struct ActReceiveMsg {
        pub sender: String,
        pub amount: Uint128,
        pub msg: Binary,
    }

    #[cw_serde]
    pub enum AuthorityMsg {
        Propose { new_authority: String },
        Accept {},
        Cancel {},
    }

    #[cw_serde]
    pub enum ExecuteMsg {
        OpenAccount {
            dseq: u64,
            denom: String,
        },
        Deposit {
            owner: String,
            dseq: u64,
            amount: Uint256,
            #[serde(default)]
            sources: Vec<SourceMsg>,
        },
        OpenPayment {
            dseq: u64,
            provider: String,
            rate: Decimal256,
            resources: Resources,
        },
        Withdraw {
            owner: String,
            dseq: u64,
            payment_id: u64,
        },
        ClosePayment {
            owner: String,
            dseq: u64,
            payment_id: u64,
        },
        CloseAccount {
            owner: String,
            dseq: u64,
        },
        Refund {
            owner: String,
            dseq: u64,
        },
        GrantAllowance {
            grantee: String,
            scope: ScopeMsg,
            expires_at: Option<u64>,
        },
        RevokeAllowance {
            grantee: String,
            denom: String,
        },
        Receive(ActReceiveMsg),
        Authority(AuthorityMsg),
        SetPaused {
            paused: bool,
        },
        UpdateConfig(ConfigUpdate),
    }

    #[cw_serde]
    pub enum ReceiveHook {
        OpenAccount {
            dseq: u64,
        },
        Deposit {
            owner: String,
            dseq: u64,
        },
        GrantAllowance {
            grantee: String,
            scope: ScopeMsg,
            expires_at: Option<u64>,
        },
    }

    #[cw_serde]
    pub struct MigrateMsg {}

    #[cw_serde]
    pub struct AccountRef {
        pub owner: String,
        pub dseq: u64,
    }

    #[cw_serde]
    pub struct PaymentRef {
        pub owner: String,
        pub dseq: u64,
        pub payment_id: u64,
    }

    #[cw_serde]
    pub enum QueryMsg {
        Config {},
        Account {
            owner: String,
            dseq: u64,
        },
        Deposits {
            owner: String,
            dseq: u64,
            start_after: Option<u64>,
            limit: Option<u32>,
        },
        Payment {
            owner: String,
            dseq: u64,
            payment_id: u64,
        },
        Payments {
            owner: String,
            dseq: u64,
            start_after: Option<u64>,
            limit: Option<u32>,
        },
        TimeToDepletion {
            owner: String,
            dseq: u64,
        },
        AccountsByOwner {
            owner: String,
            start_after: Option<u64>,
            limit: Option<u32>,
        },
        AccountsByDepositor {
            depositor: String,
            start_after: Option<AccountRef>,
            limit: Option<u32>,
        },
        AccountsByProvider {
            provider: String,
            start_after: Option<PaymentRef>,
            limit: Option<u32>,
        },
        VerifiedWork {
            provider: String,
            denom: String,
            gpu_model: String,
            from_height: u64,
            to_height: u64,
        },
        Allowance {
            granter: String,
            grantee: String,
            denom: String,
        },
        Allowances {
            granter: String,
            start_after: Option<(String, String)>,
            limit: Option<u32>,
        },
    }
}

const PAYMENT: &str = r#"{"id":3,"provider":"prov","rate":"1.5","resources":{"gpu_model":"h100","gpu_count":2},"state":"open","opened_at":7,"carry":"0.25","withdrawable":"10","debt":"0","withdrawn":"4","closed_at":null,"close_reason":null}"#;

#[test]
fn payments_decode_as_derived_in_every_form() {
    type O = Payment;
    type T = twin::Payment;
    accepted::<O, T>(PAYMENT);
    // Written by 0.1.0: no carry (zero), and a closed one with its reason.
    accepted::<O, T>(
        r#"{"id":3,"provider":"p","rate":"1","resources":{"gpu_model":"none","gpu_count":0},"state":"closed","opened_at":7,"withdrawable":"0","debt":"0","withdrawn":"4","closed_at":9,"close_reason":"account_closed"}"#,
    );
    // Field order, absent options, unknown fields (of any JSON shape) and a unit variant as
    // `{"name": null}` are all taken.
    accepted::<O, T>(
        r#"{"close_reason":{"owner":null},"withdrawn":"4","debt":"0","withdrawable":"10","opened_at":7,"state":{"overdrawn":null},"resources":{"gpu_count":2,"gpu_model":"h100","x":1},"rate":"1.5","provider":"prov","id":3,"future":[1,-2.5,{"a":null},"s",true,1e300,18446744073709551616]}"#,
    );
    // The array form, with or without the defaulted field's successors... as serde has it.
    accepted::<O, T>(r#"[3,"prov","1.5",["h100",2],"open",7,"0.25","10","0","4",null,null]"#);
    for bad in [
        // A known field twice (an unknown one twice is fine: see below).
        r#"{"id":3,"id":3,"provider":"p","rate":"1","resources":{"gpu_model":"a","gpu_count":0},"state":"open","opened_at":7,"withdrawable":"0","debt":"0","withdrawn":"0"}"#,
        // Missing required field.
        r#"{"provider":"p","rate":"1","resources":{"gpu_model":"a","gpu_count":0},"state":"open","opened_at":7,"withdrawable":"0","debt":"0","withdrawn":"0"}"#,
        // A defaulted field may be absent, not null.
        r#"{"id":3,"provider":"p","rate":"1","resources":{"gpu_model":"a","gpu_count":0},"state":"open","opened_at":7,"carry":null,"withdrawable":"0","debt":"0","withdrawn":"0"}"#,
        // Wrong kinds and ranges.
        r#"{"id":"3","provider":"p","rate":"1","resources":{"gpu_model":"a","gpu_count":0},"state":"open","opened_at":7,"withdrawable":"0","debt":"0","withdrawn":"0"}"#,
        r#"{"id":3.0,"provider":"p","rate":"1","resources":{"gpu_model":"a","gpu_count":0},"state":"open","opened_at":7,"withdrawable":"0","debt":"0","withdrawn":"0"}"#,
        r#"{"id":-1,"provider":"p","rate":"1","resources":{"gpu_model":"a","gpu_count":0},"state":"open","opened_at":7,"withdrawable":"0","debt":"0","withdrawn":"0"}"#,
        r#"{"id":18446744073709551616,"provider":"p","rate":"1","resources":{"gpu_model":"a","gpu_count":0},"state":"open","opened_at":7,"withdrawable":"0","debt":"0","withdrawn":"0"}"#,
        r#"{"id":3,"provider":"p","rate":"1","resources":{"gpu_model":"a","gpu_count":4294967296},"state":"open","opened_at":7,"withdrawable":"0","debt":"0","withdrawn":"0"}"#,
        r#"{"id":3,"provider":"p","rate":1,"resources":{"gpu_model":"a","gpu_count":0},"state":"open","opened_at":7,"withdrawable":"0","debt":"0","withdrawn":"0"}"#,
        r#"{"id":3,"provider":"p","rate":"1.2.3","resources":{"gpu_model":"a","gpu_count":0},"state":"open","opened_at":7,"withdrawable":"0","debt":"0","withdrawn":"0"}"#,
        r#"{"id":3,"provider":"p","rate":"1","resources":{"gpu_model":"a","gpu_count":0},"state":"open","opened_at":7,"withdrawable":"-1","debt":"0","withdrawn":"0"}"#,
        r#"{"id":3,"provider":"p","rate":"1","resources":{"gpu_model":"a","gpu_count":0},"state":"shut","opened_at":7,"withdrawable":"0","debt":"0","withdrawn":"0"}"#,
        r#"{"id":3,"provider":"p","rate":"1","resources":{"gpu_model":"a","gpu_count":0},"state":{"open":{}},"opened_at":7,"withdrawable":"0","debt":"0","withdrawn":"0"}"#,
        r#"{"id":3,"provider":7,"rate":"1","resources":{"gpu_model":"a","gpu_count":0},"state":"open","opened_at":7,"withdrawable":"0","debt":"0","withdrawn":"0"}"#,
        r#"{"id":3,"provider":"p","rate":"1","resources":null,"state":"open","opened_at":7,"withdrawable":"0","debt":"0","withdrawn":"0"}"#,
        // Arrays: an absent `Option` at the end is not taken, nor one value too many.
        r#"[3,"prov","1.5",["h100",2],"open",7,"0.25","10","0","4",null]"#,
        r#"[3,"prov","1.5",["h100",2],"open",7,"0.25","10","0","4",null,null,null]"#,
        r#"[3,"prov","1.5",["h100"],"open",7,"0.25","10","0","4",null,null]"#,
        "null",
        "\"payment\"",
        "7",
    ] {
        refused::<O, T>(bad);
    }
    accepted::<O, T>(
        r#"{"x":1,"x":2,"id":3,"provider":"p","rate":"1","resources":{"gpu_model":"a","gpu_count":0},"state":"open","opened_at":7,"withdrawable":"0","debt":"0","withdrawn":"0"}"#,
    );
}

#[test]
fn accounts_deposits_allowances_and_config_decode_as_derived() {
    let account = r#"{"owner":"o","dseq":1,"denom":"uakt","state":"overdrawn","opened_at":1,"settled_at":5,"settled_time":30,"balance":"0","deposit_head":2,"deposit_next":4,"open_payments":[0,3],"next_payment_id":4,"rate":"2.5","overdraw":{"detected_at":6,"exhausted_at":5,"grace_until":15},"closed_at":null,"total_deposited":"100","total_settled":"100"}"#;
    accepted::<Account, twin::Account>(account);
    accepted::<Account, twin::Account>(&account.replace(
        r#""overdraw":{"detected_at":6,"exhausted_at":5,"grace_until":15}"#,
        r#""overdraw":[6,5,15]"#,
    ));
    refused::<Account, twin::Account>(&account.replace("[0,3]", "[0,\"3\"]"));
    refused::<Account, twin::Account>(&account.replace("[0,3]", "null"));
    refused::<Account, twin::Account>(&account.replace(r#","grace_until":15"#, ""));
    accepted::<Overdraw, twin::Overdraw>(r#"{"detected_at":6,"exhausted_at":5,"grace_until":15}"#);

    for json in [
        r#"{"depositor":"a","source":"funds","amount":"5","deposited":"9","height":3}"#,
        r#"{"depositor":"a","source":{"funds":null},"amount":"5","deposited":"9","height":3}"#,
        r#"{"depositor":"a","source":{"allowance":{"grantee":"g"}},"amount":"5","deposited":"9","height":3}"#,
        r#"{"depositor":"a","source":{"allowance":["g"]},"amount":"5","deposited":"9","height":3}"#,
    ] {
        accepted::<Deposit, twin::Deposit>(json);
    }
    for json in [
        r#"{"depositor":"a","source":{"funds":{}},"amount":"5","deposited":"9","height":3}"#,
        r#"{"depositor":"a","source":"allowance","amount":"5","deposited":"9","height":3}"#,
        r#"{"depositor":"a","source":{"allowance":{}},"amount":"5","deposited":"9","height":3}"#,
        r#"{"depositor":"a","source":{"funds":null,"allowance":{"grantee":"g"}},"amount":"5","deposited":"9","height":3}"#,
        r#"{"depositor":"a","source":{},"amount":"5","deposited":"9","height":3}"#,
        r#"{"depositor":"a","source":"grant","amount":"5","deposited":"9","height":3}"#,
    ] {
        refused::<Deposit, twin::Deposit>(json);
    }

    for scope in [
        r#""any""#,
        r#"{"any":null}"#,
        r#"{"owner":"o"}"#,
        r#"{"account":["o",4]}"#,
    ] {
        accepted::<Allowance, twin::Allowance>(&format!(
            r#"{{"scope":{scope},"balance":"5","expires_at":null}}"#
        ));
    }
    for scope in [
        r#""owner""#,
        r#"{"any":{}}"#,
        r#"{"owner":["o"]}"#,
        r#"{"account":["o"]}"#,
        r#"{"account":["o",4,5]}"#,
        r#"{"account":{"0":"o","1":4}}"#,
    ] {
        refused::<Allowance, twin::Allowance>(&format!(r#"{{"scope":{scope},"balance":"5"}}"#));
    }

    accepted::<Config, twin::Config>(
        r#"{"native_denoms":["uakt","ibc/x"],"act_ledger":"bme","grace_period_blocks":0,"block_time_ms":6000,"max_open_payments":20,"refund_batch":30}"#,
    );
    accepted::<Config, twin::Config>(
        r#"{"native_denoms":[],"grace_period_blocks":0,"block_time_ms":6000,"max_open_payments":20,"refund_batch":30,"deposit_limits":{"min_deposit":[{"denom":"uakt","amount":"1000"}],"max_live_deposits":5,"consume_batch":7}}"#,
    );
    accepted::<Config, twin::Config>(
        r#"{"native_denoms":[],"grace_period_blocks":0,"block_time_ms":6000,"max_open_payments":20,"refund_batch":30}"#,
    );
    refused::<Config, twin::Config>(
        r#"{"native_denoms":[],"block_time_ms":6000,"max_open_payments":20,"refund_batch":30}"#,
    );
    accepted::<GpuWork, twin::GpuWork>(
        r#"{"gpu_blocks":"340282366920938463463374607431768211455","gpu_seconds":"0"}"#,
    );
    refused::<GpuWork, twin::GpuWork>(
        r#"{"gpu_blocks":"340282366920938463463374607431768211456","gpu_seconds":"0"}"#,
    );
}

#[test]
fn messages_decode_as_derived() {
    type E = ExecuteMsg;
    type Te = twin::ExecuteMsg;
    for json in [
        r#"{"open_account":{"dseq":1,"denom":"uakt"}}"#,
        r#"{"deposit":{"owner":"o","dseq":1,"amount":"5"}}"#,
        r#"{"deposit":{"owner":"o","dseq":1,"amount":"5","sources":[{"funds":{}},{"allowance":{"granter":"g"}}]}}"#,
        r#"{"deposit":{"owner":"o","dseq":1,"amount":"5","sources":[{"funds":[]}]}}"#,
        r#"{"open_payment":{"dseq":1,"provider":"p","rate":"0.000000000000000001","resources":{"gpu_model":"h100","gpu_count":8}}}"#,
        r#"{"withdraw":{"owner":"o","dseq":1,"payment_id":0}}"#,
        r#"{"close_payment":{"owner":"o","dseq":1,"payment_id":0}}"#,
        r#"{"close_account":{"owner":"o","dseq":1}}"#,
        r#"{"refund":{"owner":"o","dseq":1,"memo":"x"}}"#,
        r#"{"grant_allowance":{"grantee":"g","scope":{"any":{}}}}"#,
        r#"{"grant_allowance":{"grantee":"g","scope":{"owner":{"owner":"o"}},"expires_at":9}}"#,
        r#"{"grant_allowance":{"grantee":"g","scope":{"account":{"owner":"o","dseq":2}},"expires_at":null}}"#,
        r#"{"revoke_allowance":{"grantee":"g","denom":"uakt"}}"#,
        r#"{"receive":{"sender":"s","amount":"7","msg":"eyJkZXBvc2l0Ijp7fX0="}}"#,
        r#"{"authority":{"propose":{"new_authority":"n"}}}"#,
        r#"{"authority":{"accept":{}}}"#,
        r#"{"authority":{"cancel":{}}}"#,
        r#"{"set_paused":{"paused":true}}"#,
        r#"{"update_config":{}}"#,
        r#"{"update_config":{"native_denoms":["uakt"],"act_ledger":"l","grace_period_blocks":5,"block_time_ms":1,"max_open_payments":3,"refund_batch":4}}"#,
    ] {
        accepted::<E, Te>(json);
    }
    for json in [
        r#"{"open_account":{"dseq":1}}"#,
        r#"{"deposit":{"owner":"o","dseq":1,"amount":"5","sources":null}}"#,
        r#"{"deposit":{"owner":"o","dseq":1,"amount":5}}"#,
        r#"{"deposit":{"owner":"o","dseq":1,"amount":"5","sources":["funds"]}}"#,
        r#"{"open_payment":{"dseq":1,"provider":"p","rate":"x","resources":{"gpu_model":"h100","gpu_count":8}}}"#,
        r#"{"receive":{"sender":"s","amount":"7","msg":"not base64!"}}"#,
        r#"{"receive":{"sender":"s","amount":"-7","msg":""}}"#,
        r#"{"authority":{"propose":{}}}"#,
        r#"{"authority":"accept"}"#,
        r#"{"authority":{"resign":{}}}"#,
        r#"{"set_paused":{"paused":"true"}}"#,
        r#"{"update_config":null}"#,
        r#""update_config""#,
        r#"{"close_account":{"owner":"o","dseq":1},"refund":{"owner":"o","dseq":1}}"#,
        r#"{}"#,
        r#"{"no_such_message":{}}"#,
        r#"[]"#,
    ] {
        refused::<E, Te>(json);
    }

    type R = ReceiveHook;
    type Tr = twin::ReceiveHook;
    accepted::<R, Tr>(r#"{"open_account":{"dseq":3}}"#);
    accepted::<R, Tr>(r#"{"deposit":{"owner":"o","dseq":3}}"#);
    accepted::<R, Tr>(r#"{"grant_allowance":{"grantee":"g","scope":{"any":{}}}}"#);
    refused::<R, Tr>(r#"{"deposit":{"dseq":3}}"#);

    accepted::<InstantiateMsg, twin::InstantiateMsg>(
        r#"{"authority":"gov","native_denoms":["uakt"]}"#,
    );
    accepted::<InstantiateMsg, twin::InstantiateMsg>(
        r#"{"authority":"gov","native_denoms":[],"act_ledger":"l","grace_period_blocks":9,"block_time_ms":5000,"max_open_payments":1,"refund_batch":2}"#,
    );
    refused::<InstantiateMsg, twin::InstantiateMsg>(
        r#"{"authority":"gov","native_denoms":[],"grace_period_blocks":null}"#,
    );
    refused::<InstantiateMsg, twin::InstantiateMsg>(r#"{"native_denoms":[]}"#);
    // The array form may leave out the defaulted field only with everything after it.
    accepted::<InstantiateMsg, twin::InstantiateMsg>(
        r#"["gov",["uakt"],null,3,null,null,null,null]"#,
    );
    refused::<InstantiateMsg, twin::InstantiateMsg>(r#"["gov",["uakt"],null]"#);

    accepted::<MigrateMsg, twin::MigrateMsg>("{}");
    accepted::<MigrateMsg, twin::MigrateMsg>(r#"{"anything":[1]}"#);
    accepted::<MigrateMsg, twin::MigrateMsg>("[]");
    refused::<MigrateMsg, twin::MigrateMsg>("null");
    refused::<MigrateMsg, twin::MigrateMsg>("[1]");
}

#[test]
fn queries_decode_as_derived() {
    type Q = QueryMsg;
    type Tq = twin::QueryMsg;
    for json in [
        r#"{"config":{}}"#,
        r#"{"account":{"owner":"o","dseq":1}}"#,
        r#"{"deposits":{"owner":"o","dseq":1}}"#,
        r#"{"deposits":{"owner":"o","dseq":1,"start_after":4,"limit":10}}"#,
        r#"{"payment":{"owner":"o","dseq":1,"payment_id":2}}"#,
        r#"{"payments":{"owner":"o","dseq":1,"start_after":null,"limit":null}}"#,
        r#"{"time_to_depletion":{"owner":"o","dseq":1}}"#,
        r#"{"accounts_by_owner":{"owner":"o","limit":30}}"#,
        r#"{"accounts_by_depositor":{"depositor":"d","start_after":{"owner":"o","dseq":1}}}"#,
        r#"{"accounts_by_provider":{"provider":"p","start_after":{"owner":"o","dseq":1,"payment_id":0}}}"#,
        r#"{"verified_work":{"provider":"p","denom":"uakt","gpu_model":"h100","from_height":1,"to_height":2}}"#,
        r#"{"allowance":{"granter":"a","grantee":"b","denom":"uakt"}}"#,
        r#"{"allowances":{"granter":"a","start_after":["b","uakt"]}}"#,
    ] {
        accepted::<Q, Tq>(json);
    }
    for json in [
        r#""config""#,
        r#"{"config":null}"#,
        r#"{"deposits":{"owner":"o","dseq":1,"limit":-1}}"#,
        r#"{"accounts_by_depositor":{"depositor":"d","start_after":{"owner":"o"}}}"#,
        r#"{"allowances":{"granter":"a","start_after":["b"]}}"#,
        r#"{"allowances":{"granter":"a","start_after":"b"}}"#,
    ] {
        refused::<Q, Tq>(json);
    }
    accepted::<AccountRef, twin::AccountRef>(r#"{"owner":"o","dseq":1}"#);
    accepted::<PaymentRef, twin::PaymentRef>(r#"{"owner":"o","dseq":1,"payment_id":0}"#);
}

/// Every variant decodes back from its own serialization: the tags and field names in the
/// `wire_*!` lists are the ones `Serialize` writes.
#[test]
fn every_variant_round_trips() {
    fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: T) {
        let json = to_json_vec(&value).unwrap();
        assert_eq!(from_json::<T>(&json).unwrap(), value);
    }
    /// Also written with the struct (or, for a variant, its struct body) as the array of its
    /// field values in the order `Serialize` writes them, the declaration order: the `wire_*!`
    /// field lists are in that order.
    fn as_arrays<T>(value: T, variant: bool)
    where
        T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug + FromValue,
    {
        let to_array = |v: Value| match v {
            Value::Map(entries) => Value::Seq(entries.into_iter().map(|(_, x)| x).collect()),
            other => panic!("not an object: {other:?}"),
        };
        let json: Value = from_json(to_json_vec(&value).unwrap()).unwrap();
        let array = match json {
            Value::Map(mut entries) if variant => {
                let (tag, body) = entries.pop().unwrap();
                Value::Map(vec![(tag, to_array(body))])
            }
            other => to_array(other),
        };
        assert_eq!(T::from_value(array).unwrap(), value);
        round_trip(value);
    }
    let (s, n) = (String::from("x"), 7u64);
    let resources = Resources {
        gpu_model: s.clone(),
        gpu_count: 2,
    };
    let scope = ScopeMsg::Account {
        owner: s.clone(),
        dseq: n,
    };
    for msg in [
        ExecuteMsg::OpenAccount {
            dseq: n,
            denom: s.clone(),
        },
        ExecuteMsg::Deposit {
            owner: s.clone(),
            dseq: n,
            amount: Uint256::MAX,
            sources: vec![
                SourceMsg::Funds {},
                SourceMsg::Allowance { granter: s.clone() },
            ],
        },
        ExecuteMsg::OpenPayment {
            dseq: n,
            provider: s.clone(),
            rate: Decimal256::MAX,
            resources: resources.clone(),
        },
        ExecuteMsg::Withdraw {
            owner: s.clone(),
            dseq: n,
            payment_id: n,
        },
        ExecuteMsg::ClosePayment {
            owner: s.clone(),
            dseq: n,
            payment_id: n,
        },
        ExecuteMsg::CloseAccount {
            owner: s.clone(),
            dseq: n,
        },
        ExecuteMsg::Refund {
            owner: s.clone(),
            dseq: n,
        },
        ExecuteMsg::GrantAllowance {
            grantee: s.clone(),
            scope: scope.clone(),
            expires_at: Some(n),
        },
        ExecuteMsg::GrantAllowance {
            grantee: s.clone(),
            scope: ScopeMsg::Owner { owner: s.clone() },
            expires_at: None,
        },
        ExecuteMsg::GrantAllowance {
            grantee: s.clone(),
            scope: ScopeMsg::Any {},
            expires_at: None,
        },
        ExecuteMsg::RevokeAllowance {
            grantee: s.clone(),
            denom: s.clone(),
        },
        ExecuteMsg::Receive(supercloud_std::ActReceiveMsg {
            sender: s.clone(),
            amount: Uint128::MAX,
            msg: Binary::from(b"{}".as_slice()),
        }),
        ExecuteMsg::Authority(supercloud_std::AuthorityMsg::Propose {
            new_authority: s.clone(),
        }),
        ExecuteMsg::Authority(supercloud_std::AuthorityMsg::Accept {}),
        ExecuteMsg::Authority(supercloud_std::AuthorityMsg::Cancel {}),
        ExecuteMsg::SetPaused { paused: true },
        ExecuteMsg::UpdateConfig(ConfigUpdate {
            native_denoms: Some(vec![s.clone()]),
            act_ledger: Some(s.clone()),
            grace_period_blocks: Some(n),
            block_time_ms: Some(n),
            max_open_payments: Some(1),
            refund_batch: Some(u32::MAX),
            deposit_limits: Some(DepositLimits {
                min_deposit: vec![cosmwasm_std::coin(5, "uakt")],
                max_live_deposits: 3,
                consume_batch: 4,
            }),
        }),
        ExecuteMsg::UpdateConfig(ConfigUpdate::default()),
    ] {
        let newtype_enum = matches!(msg, ExecuteMsg::Authority(_));
        if newtype_enum {
            round_trip(msg);
        } else {
            as_arrays(msg, true);
        }
    }
    for hook in [
        ReceiveHook::OpenAccount { dseq: n },
        ReceiveHook::Deposit {
            owner: s.clone(),
            dseq: n,
        },
        ReceiveHook::GrantAllowance {
            grantee: s.clone(),
            scope,
            expires_at: Some(n),
        },
    ] {
        as_arrays(hook, true);
    }
    let (page, owner) = (Some(30u32), s.clone());
    for query in [
        QueryMsg::Config {},
        QueryMsg::Account {
            owner: owner.clone(),
            dseq: n,
        },
        QueryMsg::Deposits {
            owner: owner.clone(),
            dseq: n,
            start_after: Some(n),
            limit: page,
        },
        QueryMsg::Payment {
            owner: owner.clone(),
            dseq: n,
            payment_id: n,
        },
        QueryMsg::Payments {
            owner: owner.clone(),
            dseq: n,
            start_after: None,
            limit: page,
        },
        QueryMsg::TimeToDepletion {
            owner: owner.clone(),
            dseq: n,
        },
        QueryMsg::AccountsByOwner {
            owner: owner.clone(),
            start_after: Some(n),
            limit: None,
        },
        QueryMsg::AccountsByDepositor {
            depositor: owner.clone(),
            start_after: Some(AccountRef {
                owner: owner.clone(),
                dseq: n,
            }),
            limit: page,
        },
        QueryMsg::AccountsByProvider {
            provider: owner.clone(),
            start_after: Some(PaymentRef {
                owner: owner.clone(),
                dseq: n,
                payment_id: n,
            }),
            limit: page,
        },
        QueryMsg::VerifiedWork {
            provider: owner.clone(),
            denom: s.clone(),
            gpu_model: s.clone(),
            from_height: 0,
            to_height: u64::MAX,
        },
        QueryMsg::Allowance {
            granter: owner.clone(),
            grantee: s.clone(),
            denom: s.clone(),
        },
        QueryMsg::Allowances {
            granter: owner.clone(),
            start_after: Some((s.clone(), s.clone())),
            limit: page,
        },
    ] {
        as_arrays(query, true);
    }
    as_arrays(MigrateMsg {}, false);
    as_arrays(resources.clone(), false);
    as_arrays(
        AccountRef {
            owner: s.clone(),
            dseq: n,
        },
        false,
    );
    as_arrays(
        PaymentRef {
            owner: s.clone(),
            dseq: n,
            payment_id: 1,
        },
        false,
    );
    as_arrays(
        Overdraw {
            detected_at: 1,
            exhausted_at: 2,
            grace_until: 3,
        },
        false,
    );
    as_arrays(ConfigUpdate::default(), false);
    as_arrays(
        InstantiateMsg {
            authority: s.clone(),
            native_denoms: vec![s.clone()],
            act_ledger: Some(s.clone()),
            grace_period_blocks: n,
            block_time_ms: Some(n),
            max_open_payments: Some(1),
            refund_batch: Some(2),
            deposit_limits: None,
        },
        false,
    );
    let addr = Addr::unchecked("a");
    for (scope, source) in [
        (Scope::Any, DepositSource::Funds),
        (
            Scope::Owner(addr.clone()),
            DepositSource::Allowance {
                grantee: addr.clone(),
            },
        ),
        (Scope::Account(addr.clone(), n), DepositSource::Funds),
    ] {
        as_arrays(
            Allowance {
                scope,
                balance: Uint256::MAX,
                expires_at: Some(n),
            },
            false,
        );
        as_arrays(
            Deposit {
                depositor: addr.clone(),
                source,
                amount: Uint256::one(),
                deposited: Uint256::MAX,
                height: n,
            },
            false,
        );
    }
    for (state, reason) in [
        (PaymentState::Open, None),
        (PaymentState::Overdrawn, Some(CloseReason::Owner)),
        (PaymentState::Closed, Some(CloseReason::Provider)),
        (PaymentState::Closed, Some(CloseReason::AccountClosed)),
        (PaymentState::Closed, Some(CloseReason::Overdrawn)),
    ] {
        as_arrays(
            Payment {
                id: n,
                provider: addr.clone(),
                rate: Decimal256::MAX,
                resources: resources.clone(),
                state,
                opened_at: n,
                carry: Decimal256::percent(50),
                withdrawable: Uint256::MAX,
                debt: Uint256::one(),
                withdrawn: Uint256::zero(),
                closed_at: Some(n),
                close_reason: reason,
                unbooked_blocks: n,
                unbooked_value: Decimal256::percent(25),
            },
            false,
        );
    }
    for state in [
        AccountState::Open,
        AccountState::Overdrawn,
        AccountState::Closed,
    ] {
        as_arrays(
            Account {
                owner: addr.clone(),
                dseq: n,
                denom: s.clone(),
                state,
                opened_at: n,
                settled_at: n,
                settled_time: n,
                balance: Uint256::MAX,
                deposit_head: 0,
                deposit_next: u64::MAX,
                open_payments: vec![0, n],
                next_payment_id: n,
                rate: Decimal256::percent(1),
                overdraw: Some(Overdraw {
                    detected_at: 1,
                    exhausted_at: 2,
                    grace_until: 3,
                }),
                closed_at: Some(n),
                total_deposited: Uint256::MAX,
                total_settled: Uint256::one(),
                consume_pending: Uint256::one(),
            },
            false,
        );
    }
    as_arrays(
        Config {
            native_denoms: vec![s.clone()],
            act_ledger: Some(addr),
            grace_period_blocks: n,
            block_time_ms: n,
            max_open_payments: 1,
            refund_batch: 2,
            deposit_limits: DepositLimits::default(),
        },
        false,
    );
    as_arrays(
        GpuWork {
            gpu_blocks: Uint128::MAX,
            gpu_seconds: Uint128::one(),
        },
        false,
    );
}

#[test]
fn errors_name_the_field_and_the_problem() {
    let err = |json: &str| {
        from_json::<ExecuteMsg>(json.as_bytes())
            .unwrap_err()
            .to_string()
    };
    assert!(err(r#"{"close_account":{"dseq":1}}"#).contains("missing field `owner`"));
    assert!(
        err(r#"{"close_account":{"owner":"o","owner":"o","dseq":1}}"#)
            .contains("duplicate field `owner`")
    );
    assert!(err(r#"{"close_account":{"owner":"o","dseq":"1"}}"#)
        .contains("dseq: invalid type: a string, expected an unsigned integer"));
    assert!(err(r#"{"shut":{}}"#).contains("unknown variant `shut`"));
    assert_eq!(
        WireError::Field("limit", Box::new(Value::Null.type_error("x"))).to_string(),
        "limit: invalid type: null, expected x"
    );
}
