//! CosmJS SigningCosmWasmClient against the devnet (issue 19).
//!
//! devnet/js/sign.mjs signs with the devnet's mnemonic (BIP-44 index 0, the "dev" account) as a
//! dapp does: fee "auto" (Simulate), `broadcast_tx_sync`, polling for the tx; it opens an escrow
//! account with a deposit and a payment on it and reads them back, then sends the refusals
//! (garbage, altered signature, wrong sequence, unknown fee payer, fee above the balance, fee
//! below the minimum gas price, oversized tx, a flood from one sender, a duplicate). Everything it
//! reports is compared with the chain itself: the escrow's smart queries and the dev account
//! through `abci_query` (tendermint-rpc), and every block and block result up to the tip read
//! with tendermint-rpc, which must hold exactly the txs CosmJS says it landed. Needs node >= 20.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use devnet::proto::auth::{BaseAccount, QueryAccountRequest, QueryAccountResponse};
use devnet::proto::bank::{QueryBalanceRequest, QueryBalanceResponse};
use devnet::proto::type_url;
use devnet::proto::wasm_query::{QuerySmartContractStateRequest, QuerySmartContractStateResponse};
use devnet::rpc::Faults;
use devnet::runner::DevnetConfig;
use devnet::served::Served;
use prost::Message;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tendermint::block::Height;
use tendermint_rpc::client::CompatMode;
use tendermint_rpc::{Client, HttpClient};
use tokio::process::Command;

use crate::cosmjs::{ensure_node_modules, js_dir};

/// What genesis gives the dev account (1,000,000 AKT).
const DEV_FUNDS: u128 = 1_000_000_000_000;
/// What sign.mjs deposits, sends to the poor address, and how many txs the mempool takes from
/// one sender.
const DEPOSIT: u128 = 5_000_000;
const POOR_FUNDS: u128 = 1_000;
const MEMPOOL_PER_SENDER: usize = 16;

async fn rpc_client(url: &str) -> HttpClient {
    let status = HttpClient::new(url).unwrap().status().await.unwrap();
    let mode = CompatMode::from_version(status.node_info.version).unwrap();
    HttpClient::builder(url.parse().unwrap())
        .compat_mode(mode)
        .build()
        .unwrap()
}

/// `abci_query` over the RPC at the latest height, protobuf in and out.
async fn query<Req: Message, Res: Message + Default>(
    client: &HttpClient,
    path: &str,
    req: Req,
) -> Res {
    let res = client
        .abci_query(Some(path.to_string()), req.encode_to_vec(), None, false)
        .await
        .unwrap();
    assert!(res.code.is_ok(), "{path}: {}", res.log);
    Res::decode(res.value.as_slice()).unwrap()
}

async fn smart(client: &HttpClient, contract: &str, msg: Value) -> Value {
    let res: QuerySmartContractStateResponse = query(
        client,
        type_url::Q_SMART,
        QuerySmartContractStateRequest {
            address: contract.to_string(),
            query_data: serde_json::to_vec(&msg).unwrap(),
        },
    )
    .await;
    serde_json::from_slice(&res.data).unwrap()
}

async fn account(client: &HttpClient, address: &str) -> BaseAccount {
    query::<_, QueryAccountResponse>(
        client,
        type_url::Q_ACCOUNT,
        QueryAccountRequest {
            address: address.to_string(),
        },
    )
    .await
    .account
    .expect("account")
    .unpack()
    .unwrap()
}

async fn balance(client: &HttpClient, address: &str) -> u128 {
    query::<_, QueryBalanceResponse>(
        client,
        type_url::Q_BALANCE,
        QueryBalanceRequest {
            address: address.to_string(),
            denom: "uakt".into(),
        },
    )
    .await
    .balance
    .expect("balance")
    .amount
    .parse()
    .unwrap()
}

fn str_of<'a>(v: &'a Value, what: &str) -> &'a str {
    v.as_str()
        .unwrap_or_else(|| panic!("{what}: not a string: {v}"))
}

/// Mismatches in how the chain refuses txs, collected so one run names all of them.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(what());
        }
    }

    /// A refusal that `broadcast_tx_sync` answered with CheckTx code `code` (codespace `sdk`).
    fn code(&mut self, got: &Value, case: &str, code: u64) {
        self.check(got["code"] == code && got["codespace"] == "sdk", || {
            format!("{case}: expected code {code} (sdk), got {got}")
        });
        self.check(got["returnedHash"] == got["hash"], || {
            format!("{case}: the returned hash is not the tx's sha256: {got}")
        });
    }

    /// A refusal that `broadcast_tx_sync` answered with a JSON-RPC error containing `text`.
    fn rpc_error(&mut self, got: &Value, case: &str, text: &str) {
        let said = got["rpcError"].as_str().unwrap_or_default().to_lowercase();
        self.check(said.contains(&text.to_lowercase()), || {
            format!("{case}: expected a JSON-RPC error saying {text:?}, got {got}")
        });
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cosmjs_signing_client_writes_to_the_escrow_and_is_refused_as_a_chain_refuses() {
    let started = Instant::now();
    ensure_node_modules();
    let config = DevnetConfig {
        // Genesis deploys the suite; no history needed.
        history_days: 0,
        // The genesis time is far behind the wall clock, so live blocks come one per interval.
        live_interval: Some(Duration::from_millis(300)),
        vm_cache: Some(supercloud_vm::workspace_cache_dir()),
        ..DevnetConfig::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let served = Served::start(config.clone(), listener, Arc::new(Faults::default())).unwrap();
    let summary = served
        .ready()
        .await
        .expect("genesis (artifacts built? scripts/build-wasm.sh)");
    let store = served.store.clone();
    let url = format!("http://{}", served.addr);
    let client = rpc_client(&url).await;

    let (_, name, dev) = summary
        .accounts
        .iter()
        .find(|(index, _, _)| *index == 0)
        .cloned()
        .expect("account index 0");
    assert_eq!(name, devnet::scenario::DEV_ACCOUNT);
    let escrow = summary.contracts["escrow"].clone();
    let dev_at_start = account(&client, &dev).await;
    assert_eq!(dev_at_start.sequence, 0, "the scenario never signs as dev");
    assert_eq!(balance(&client, &dev).await, DEV_FUNDS);

    let js_started = Instant::now();
    let out = tokio::time::timeout(
        Duration::from_secs(180),
        Command::new("node")
            .arg(js_dir().join("sign.mjs"))
            .arg(&url)
            .arg(&summary.mnemonic)
            .arg(&escrow)
            .kill_on_drop(true)
            .output(),
    )
    .await
    .expect("CosmJS answers in time")
    .expect("run node");
    let js_wall = js_started.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let r: Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "report json ({e}): {stdout}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert!(
        out.status.success() && r.get("error").is_none(),
        "CosmJS failed: {r}"
    );

    // The wallet derives the dev account from the mnemonic, as the chain does.
    assert_eq!(r["dev"], dev.as_str(), "BIP-44 index 0 of the mnemonic");
    assert_eq!(r["chainId"], config.chain.chain_id.as_str());
    assert_eq!(
        r["devBefore"],
        json!({"accountNumber": dev_at_start.account_number, "sequence": 0})
    );

    // --- The two executes: included, code 0, fee "auto" pays the minimum gas price. -----------
    let provider = str_of(&r["provider"], "provider").to_string();
    let poor = str_of(&r["poor"], "poor").to_string();
    assert!(r["simulatedOpenGas"].as_u64().unwrap() > 0);
    for (key, data) in [
        ("open", json!({"owner": dev, "dseq": r["dseq"]})),
        (
            "pay",
            json!({"owner": dev, "dseq": r["dseq"], "payment_id": r["pay"]["getTx"]["data"]["payment_id"]}),
        ),
    ] {
        let tx = &r[key];
        let got = &tx["getTx"];
        assert_eq!(got["code"], 0, "{key}: {tx}");
        assert_eq!(got["hash"], tx["hash"], "{key}");
        assert_eq!(got["height"], tx["height"], "{key}");
        assert_eq!(got["gasWanted"], tx["gasWanted"], "{key}");
        assert_eq!(got["gasUsed"], tx["gasUsed"], "{key}");
        assert_eq!(
            got["gasLimit"], tx["gasWanted"],
            "{key}: the fee's gas limit"
        );
        assert_eq!(
            got["msgResponses"],
            json!(["/cosmwasm.wasm.v1.MsgExecuteContractResponse"])
        );
        assert_eq!(got["data"], data, "{key}: the contract's response data");
        let gas_limit: u128 = str_of(&got["gasLimit"], "gasLimit").parse().unwrap();
        let gas_used: u128 = str_of(&got["gasUsed"], "gasUsed").parse().unwrap();
        assert!(gas_used > 0 && gas_used <= gas_limit, "{key}: {got}");
        assert_eq!(got["fee"].as_array().unwrap().len(), 1, "{key}: {got}");
        assert_eq!(got["fee"][0]["denom"], "uakt");
        let fee: u128 = str_of(&got["fee"][0]["amount"], "fee").parse().unwrap();
        assert!(
            fee >= (gas_limit * 25).div_ceil(1000),
            "{key}: fee {fee} below 0.025uakt × {gas_limit}"
        );
        for t in ["execute", "message", "tx", "coin_spent", "transfer"] {
            assert!(
                got["eventTypes"].as_array().unwrap().contains(&json!(t)),
                "{key}: no {t} event: {got}"
            );
        }
    }
    assert_eq!(r["open"]["getTx"]["sequence"], "0");
    assert_eq!(r["pay"]["getTx"]["sequence"], "1");
    assert_eq!(r["open"]["getTx"]["memo"], "issue 19: open_account");
    let open_height = r["open"]["height"].as_u64().unwrap();
    let pay_height = r["pay"]["height"].as_u64().unwrap();
    assert!(summary.height < open_height && open_height < pay_height);
    let payment_id = r["pay"]["getTx"]["data"]["payment_id"]
        .as_u64()
        .expect("payment id");

    // --- Read back, by CosmJS and by the chain: what was sent. --------------------------------
    let dseq = r["dseq"].as_u64().unwrap();
    let acc = &r["account"];
    assert_eq!(acc["owner"], dev.as_str());
    assert_eq!(acc["dseq"], dseq);
    assert_eq!(acc["denom"], "uakt");
    assert_eq!(acc["state"], "open");
    assert_eq!(acc["total_deposited"], DEPOSIT.to_string());
    assert_eq!(acc["rate"], "1.5");
    assert_eq!(acc["open_payments"], json!([payment_id]));
    assert_eq!(acc["opened_at"], open_height);
    let pay = &r["payment"];
    assert_eq!(
        *pay,
        json!({
            "owner": dev,
            "dseq": dseq,
            "payment_id": payment_id,
            "provider": provider,
            "rate": "1.5",
            "resources": {"gpu_model": "h100", "gpu_count": 1},
            "state": "open",
            "opened_at": pay_height,
            "withdrawable": pay["withdrawable"],
            "debt": "0",
            "withdrawn": "0",
            "closed_at": null,
        })
    );
    let chain_acc = smart(
        &client,
        &escrow,
        json!({"account": {"owner": dev, "dseq": dseq}}),
    )
    .await;
    for field in [
        "owner",
        "dseq",
        "denom",
        "state",
        "opened_at",
        "rate",
        "open_payments",
        "total_deposited",
    ] {
        assert_eq!(chain_acc[field], acc[field], "account.{field}");
    }
    let chain_pay = smart(
        &client,
        &escrow,
        json!({"payment": {"owner": dev, "dseq": dseq, "payment_id": payment_id}}),
    )
    .await;
    for field in [
        "owner",
        "dseq",
        "payment_id",
        "provider",
        "rate",
        "resources",
        "state",
        "opened_at",
    ] {
        assert_eq!(chain_pay[field], pay[field], "payment.{field}");
    }

    // --- GetTx through abci_query (the tx extension and a raw query) agrees with the store. ---
    for (key, view) in [
        ("open", &r["grpcGetTx"]["open"]),
        ("pay", &r["grpcGetTx"]["pay"]),
    ] {
        let hash_hex = str_of(&r[key]["hash"], "hash");
        let hash: [u8; 32] = hex::decode(hash_hex).unwrap().try_into().unwrap();
        let (block, index) = store.find_tx(&hash).expect("tx in the store");
        let executed = &block.txs[index as usize];
        assert_eq!(view["txhash"], hash_hex, "{key}");
        assert_eq!(view["height"], block.height().to_string(), "{key}");
        assert_eq!(view["code"], 0, "{key}");
        assert_eq!(
            view["gasWanted"],
            executed.outcome.gas_wanted.to_string(),
            "{key}"
        );
        assert_eq!(
            view["gasUsed"],
            executed.outcome.gas_used.to_string(),
            "{key}"
        );
        assert_eq!(
            view["data"],
            hex::encode_upper(&executed.outcome.data),
            "{key}"
        );
        assert_eq!(
            view["messages"],
            json!(["/cosmwasm.wasm.v1.MsgExecuteContract"])
        );
        assert_eq!(view["signatures"], 1);
        assert_eq!(view["memo"], r[key]["getTx"]["memo"], "{key}");
    }
    assert_eq!(r["grpcGetTx"]["pay"]["code"], 0, "raw abci_query code");

    // --- Refusals, each with the code a Cosmos SDK 0.50 chain gives. --------------------------
    let refusals = &r["refusals"];
    for (case, got) in refusals.as_object().expect("refusals") {
        assert!(
            got.get("error").is_none(),
            "refusal {case} could not run: {got}"
        );
    }
    let mut problems = Problems::default();
    problems.code(&refusals["garbage"], "garbage", 2);
    problems.code(&refusals["badSignature"], "badSignature", 4);
    let wrong = &refusals["wrongSequence"];
    problems.code(wrong, "wrongSequence", 32);
    let mismatch = format!("expected {}, got {}", wrong["expected"], wrong["sent"]);
    problems.check(
        wrong["log"]
            .as_str()
            .unwrap_or_default()
            .contains(&mismatch),
        || format!("wrongSequence: the log does not say {mismatch:?}: {wrong}"),
    );
    // An address the chain has never seen: CosmJS `getAccount` answers null (x/auth's NotFound).
    problems.check(r["neverSeen"] == json!({"account": null}), || {
        format!(
            "CosmJS getAccount on an address never seen: {}",
            r["neverSeen"]
        )
    });
    // A fee payer the chain has never seen: x/auth's "unknown address".
    problems.code(&refusals["unknownPayer"], "unknownPayer", 9);
    problems.code(&refusals["feeBelowMinimum"], "feeBelowMinimum", 13);
    // A funded address (x/bank creates the recipient's account, so CosmJS finds it) paying a fee
    // above its balance.
    let above = &refusals["feeAboveBalance"];
    assert_eq!(above["fundCode"], 0, "{above}");
    assert_eq!(above["poorBalance"], POOR_FUNDS.to_string(), "{above}");
    problems.check(above.get("getAccountError").is_none(), || {
        format!(
            "feeAboveBalance: CosmJS getAccount on an address that received coins: {}",
            above["getAccountError"]
        )
    });
    problems.check(above["poorAccount"]["sequence"] == 0, || {
        format!("feeAboveBalance: no account for the funded address: {above}")
    });
    problems.code(above, "feeAboveBalance", 5);
    let oversized = &refusals["oversized"];
    assert!(oversized["size"].as_u64().unwrap() > 1_048_576);
    problems.rpc_error(oversized, "oversized", "too large");

    // The flood: 16 admitted, the rest refused as a full mempool, all 16 in the next block.
    let flood = &refusals["flood"];
    assert_eq!(
        flood["startHeight"], flood["endHeight"],
        "no block may land inside the burst (5 tries): {flood}"
    );
    let results = flood["results"].as_array().unwrap();
    assert_eq!(results.len(), 20);
    assert_eq!(flood["admitted"], MEMPOOL_PER_SENDER, "{flood}");
    for (i, res) in results.iter().enumerate() {
        if i < MEMPOOL_PER_SENDER {
            assert_eq!(res["code"], 0, "flood tx {i}: {res}");
            assert_eq!(res["returnedHash"], res["hash"]);
        } else {
            problems.rpc_error(res, &format!("flood tx {i}"), "mempool is full for sender");
        }
    }
    problems.rpc_error(
        &flood["duplicate"],
        "the first flood tx again",
        "tx already exists in cache",
    );
    let seq_before = flood["sequenceBefore"].as_u64().unwrap();
    assert_eq!(
        flood["sequenceAfter"].as_u64().unwrap(),
        seq_before + MEMPOOL_PER_SENDER as u64,
        "{flood}"
    );
    let flood_block = flood["endHeight"].as_u64().unwrap() + 1;
    let block = store.block(flood_block).expect("the block after the burst");
    let flood_hashes: Vec<String> = results[..MEMPOOL_PER_SENDER]
        .iter()
        .map(|x| str_of(&x["hash"], "hash").to_string())
        .collect();
    let in_block: Vec<String> = block.tx_hashes.iter().map(hex::encode_upper).collect();
    for h in &flood_hashes {
        assert!(
            in_block.contains(h),
            "flood tx {h} not in block {flood_block}"
        );
    }

    // --- The chain's own view of the dev account. ----------------------------------------------
    let tip = store.latest_height();
    let dev_now = account(&client, &dev).await;
    assert_eq!(dev_now.account_number, dev_at_start.account_number);
    assert_eq!(
        r["devAfter"],
        json!({"accountNumber": dev_now.account_number, "sequence": dev_now.sequence})
    );
    let poor_account = client
        .abci_query(
            Some(type_url::Q_ACCOUNT.to_string()),
            QueryAccountRequest {
                address: poor.clone(),
            }
            .encode_to_vec(),
            None,
            false,
        )
        .await
        .unwrap();
    problems.check(poor_account.code.is_ok(), || {
        format!(
            "x/auth has no account for {poor}, which received coins: {}",
            poor_account.log
        )
    });
    assert_eq!(balance(&client, &poor).await, POOR_FUNDS);

    // --- tendermint-rpc reads every block and result up to the tip; the txs landed where
    // CosmJS says, and nothing refused landed anywhere. ---------------------------------------
    let mut landed: BTreeMap<String, (u64, u32)> = BTreeMap::new();
    let (mut dev_txs, mut dev_fees) = (0u64, 0u128);
    for h in 1..=tip {
        let height = Height::try_from(h).unwrap();
        let b = client
            .block(height)
            .await
            .unwrap_or_else(|e| panic!("block {h}: {e}"));
        let res = client
            .block_results(height)
            .await
            .unwrap_or_else(|e| panic!("block_results {h}: {e}"));
        assert_eq!(b.block.header.height.value(), h);
        let results = res.txs_results.unwrap_or_default();
        assert_eq!(results.len(), b.block.data.len(), "block {h}");
        let sealed = store.block(h).expect("stored block");
        assert_eq!(b.block_id.hash, sealed.block_id.hash, "block {h} hash");
        for (tx, result) in b.block.data.iter().zip(&results) {
            let hash = hex::encode_upper(Sha256::digest(tx));
            landed.insert(hash, (h, result.code.value()));
            let decoded = devnet::chain::tx::decode(tx).expect("block txs decode");
            if decoded.signers() == [dev.as_str()] {
                assert!(result.code.is_ok(), "dev tx at {h}: {}", result.log);
                dev_txs += 1;
                dev_fees += decoded
                    .fee()
                    .amount
                    .iter()
                    .filter(|c| c.denom == "uakt")
                    .map(|c| c.amount.parse::<u128>().unwrap())
                    .sum::<u128>();
            }
        }
    }
    let fund = &refusals["feeAboveBalance"];
    let mut expected: Vec<(String, u64)> = vec![
        (str_of(&r["open"]["hash"], "open").to_string(), open_height),
        (str_of(&r["pay"]["hash"], "pay").to_string(), pay_height),
        (
            str_of(&fund["fundHash"], "fund").to_string(),
            fund["fundHeight"].as_u64().unwrap(),
        ),
    ];
    expected.extend(flood_hashes.iter().map(|h| (h.clone(), flood_block)));
    for (hash, height) in &expected {
        assert_eq!(
            landed.get(hash),
            Some(&(*height, 0)),
            "tx {hash} at {height} with code 0"
        );
    }
    let mut refused: BTreeSet<String> = BTreeSet::new();
    for case in [
        "garbage",
        "badSignature",
        "wrongSequence",
        "unknownPayer",
        "feeAboveBalance",
        "feeBelowMinimum",
        "oversized",
    ] {
        refused.insert(str_of(&refusals[case]["hash"], case).to_string());
    }
    for res in &results[MEMPOOL_PER_SENDER..] {
        refused.insert(str_of(&res["hash"], "hash").to_string());
    }
    for hash in &refused {
        assert!(!landed.contains_key(hash), "refused tx {hash} landed");
    }
    // Every dev tx in the chain is one CosmJS sent, each bumped the sequence once, and the dev
    // balance is what genesis gave less the deposit, the poor address's coins and the fees.
    assert_eq!(
        dev_txs, dev_now.sequence,
        "dev txs in blocks = dev sequence"
    );
    let attempts: u64 = flood["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["admitted"].as_u64().unwrap())
        .sum();
    assert_eq!(
        dev_now.sequence,
        3 + attempts,
        "open, pay, fund and the flood"
    );
    let dev_balance = balance(&client, &dev).await;
    assert_eq!(dev_balance, DEV_FUNDS - DEPOSIT - POOR_FUNDS - dev_fees);
    assert_eq!(r["devBalance"], dev_balance.to_string());

    eprintln!(
        "cosmjs_sign: genesis to tip {tip} with {} dev txs; node {:.1?}, total {:.1?}",
        dev_txs,
        js_wall,
        started.elapsed()
    );
    assert_eq!(served.refused_blocks(), 0);
    assert!(
        problems.0.is_empty(),
        "the chain refuses differently from CometBFT 0.38 / Cosmos SDK 0.50:\n{}",
        problems.0.join("\n")
    );
}
