//! Alerts through the API: keys issued with `indexer api-key`, every refusal of a mutation with
//! its code, keys that act only for their owner, and revocation (the writer's side of an alert
//! created here is in `alert_deliveries`).

use std::process::Command;

use devnet::rpc::FaultConfig;
use indexer::api::server::{ServeConfig, Server};
use serde_json::{json, Value};

use crate::common::*;

/// `indexer --database-url url api-key …`: its stdout (the command must succeed).
pub(super) fn api_key(url: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_indexer"))
        .args(["--database-url", url, "api-key"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A new key from the CLI: (id, key).
pub(super) fn new_key(url: &str, scope: &[&str]) -> (i64, String) {
    let mut args = vec!["create"];
    args.extend_from_slice(scope);
    args.extend(["--label", "test"]);
    let out = api_key(url, &args);
    let field = |name: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| panic!("no {name} in {out}"))
    };
    (field("id").parse().unwrap(), field("key"))
}

/// A served API on an ephemeral port (primary = read database).
pub(super) struct Api {
    base: String,
    http: reqwest::Client,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Api {
    pub(super) async fn start(url: &str, allow_private_webhooks: bool) -> Api {
        let config = ServeConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            read_database_url: url.to_string(),
            database_url: url.to_string(),
            allow_private_webhooks,
            pool_size: 4,
            ..ServeConfig::default()
        };
        let server = Server::bind(&config).await.unwrap();
        let base = format!("http://{}", server.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(server.run(async {
            let _ = rx.await;
        }));
        Api {
            base,
            http: reqwest::Client::new(),
            _stop: tx,
        }
    }

    /// POSTs `query` with `key` as bearer; the JSON body.
    async fn gql(&self, key: Option<&str>, query: &str, variables: Value) -> Value {
        let mut r = self.http.post(format!("{}/graphql", self.base));
        if let Some(k) = key {
            r = r.bearer_auth(k);
        }
        let r = r
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        r.json().await.unwrap()
    }

    /// `data` of a request that must succeed.
    pub(super) async fn ok(&self, key: &str, query: &str, variables: Value) -> Value {
        let body = self.gql(Some(key), query, variables).await;
        assert!(body.get("errors").is_none(), "{query}: {body}");
        body["data"].clone()
    }

    /// The code of a request that must fail.
    async fn code(&self, key: Option<&str>, query: &str, variables: Value) -> String {
        let body = self.gql(key, query, variables).await;
        body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("{query}: no error code in {body}"))
            .to_string()
    }
}

pub(super) const CREATE: &str = "mutation($input: AlertInput!) { createAlert(input: $input) {
    secret alert { id owner dseq name metric comparator threshold state enabled } } }";

pub(super) fn input(owner: &str, dseq: i64, metric: &str, threshold: &str, hook: &str) -> Value {
    json!({ "input": { "owner": owner, "dseq": dseq, "name": "low funds", "note": "ops",
        "metric": metric, "comparator": "BELOW", "threshold": threshold, "webhookUrl": hook } })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alert_mutations_refuse_bad_input_with_codes_and_keys_act_only_for_their_owner() {
    let (chain, db) = tokio::join!(Chain::start(FaultConfig::default()), Db::start());
    let url = db.fresh();
    sync_to_tip(&url, vec![chain.url()]).await;
    let sql = client(&url).await;
    let open: Vec<(String, i64)> = sql
        .query(
            "SELECT DISTINCT ON (owner) owner, dseq FROM escrow_account
             WHERE state <> 'closed' ORDER BY owner, dseq LIMIT 2",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(open.len(), 2, "two owners with open accounts");
    let ((a, a_dseq), (b, b_dseq)) = (open[0].clone(), open[1].clone());
    let closed: (String, i64) = sql
        .query_one(
            "SELECT o.owner, o.dseq FROM escrow_account_opened o JOIN escrow_account_closed c
               USING (owner, dseq) ORDER BY o.block_height LIMIT 1",
            &[],
        )
        .await
        .map(|r| (r.get(0), r.get(1)))
        .expect("the history closes an account");

    let (a_id, key_a) = new_key(&url, &["--owner", &a]);
    let (_, key_b) = new_key(&url, &["--owner", &b]);
    let (_, key_all) = new_key(&url, &["--all"]);
    let strict = Api::start(&url, false).await;
    let api = Api::start(&url, true).await;
    let hook = "http://127.0.0.1:9/hook";

    // Refusals, each with its code.
    let ok_input = input(&a, a_dseq, "BALANCE", "100", hook);
    assert_eq!(
        strict.code(None, CREATE, ok_input.clone()).await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        api.code(Some("sck_00"), CREATE, ok_input.clone()).await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        api.code(Some("nonsense"), CREATE, ok_input.clone()).await,
        "UNAUTHENTICATED"
    );
    let on_b = input(&b, b_dseq, "BALANCE", "100", hook);
    assert_eq!(api.code(Some(&key_a), CREATE, on_b).await, "FORBIDDEN");
    let unknown = input(&a, 987_654_321, "BALANCE", "100", hook);
    assert_eq!(
        api.code(Some(&key_a), CREATE, unknown).await,
        "UNKNOWN_ACCOUNT"
    );
    let on_closed = input(&closed.0, closed.1, "BALANCE", "100", hook);
    assert_eq!(
        api.code(Some(&key_all), CREATE, on_closed).await,
        "ACCOUNT_CLOSED"
    );
    for (metric, t) in [
        ("BALANCE", "-1"),
        ("BALANCE", "ten"),
        ("BALANCE", "1e3"),
        ("BALANCE_PERCENT_OF_TOP_UP", "1000.01"),
        ("TIME_TO_DEPLETION", "0"),
    ] {
        let i = input(&a, a_dseq, metric, t, hook);
        assert_eq!(
            api.code(Some(&key_a), CREATE, i).await,
            "INVALID_THRESHOLD",
            "{metric} {t}"
        );
    }
    for bad in [
        "ftp://example.com/hook",
        "not a url",
        "http://no-such-host.invalid/hook",
    ] {
        let i = input(&a, a_dseq, "BALANCE", "1", bad);
        assert_eq!(
            api.code(Some(&key_a), CREATE, i).await,
            "INVALID_WEBHOOK",
            "{bad}"
        );
    }
    assert_eq!(
        strict.code(Some(&key_a), CREATE, ok_input.clone()).await,
        "PRIVATE_WEBHOOK"
    );
    // A GET never mutates.
    let r = api
        .http
        .get(format!("{}/graphql", api.base))
        .query(&[("query", "mutation { deleteAlert(id: 1) }")])
        .bearer_auth(&key_a)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 405);
    let stored: i64 = sql
        .query_one("SELECT count(*) FROM alert", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(stored, 0, "nothing refused was stored");

    // Key A creates, sees, changes and deletes its alert; key B can do none of it.
    let created = api.ok(&key_a, CREATE, ok_input.clone()).await["createAlert"].clone();
    let id = created["alert"]["id"].as_i64().unwrap();
    let secret = created["secret"].as_str().unwrap();
    assert_eq!(created["alert"]["owner"], a.as_str());
    assert_eq!(created["alert"]["state"], "OK");
    let row = sql
        .query_one(
            "SELECT secret, metric, comparator, threshold::text FROM alert WHERE id = $1",
            &[&id],
        )
        .await
        .unwrap();
    assert_eq!(
        row.get::<_, String>(0),
        secret,
        "the secret shown is the one stored"
    );
    assert_eq!(
        (
            row.get::<_, String>(1),
            row.get::<_, String>(2),
            row.get::<_, String>(3)
        ),
        ("balance".into(), "below".into(), "100".into())
    );
    let list = "{ alerts { totalCount edges { node { id } } } }";
    assert_eq!(
        api.ok(&key_a, list, json!({})).await["alerts"]["totalCount"],
        1
    );
    assert_eq!(
        api.ok(&key_b, list, json!({})).await["alerts"]["totalCount"],
        0
    );
    assert_eq!(
        api.ok(&key_all, list, json!({})).await["alerts"]["totalCount"],
        1
    );
    let by_account = "query($o: String!, $d: Int) { alerts(owner: $o, dseq: $d) { totalCount } }";
    let of = |o: &str, d: i64| json!({ "o": o, "d": d });
    let total = |v: Value| v["alerts"]["totalCount"].as_i64().unwrap();
    assert_eq!(total(api.ok(&key_all, by_account, of(&a, a_dseq)).await), 1);
    assert_eq!(
        total(api.ok(&key_all, by_account, of(&a, a_dseq + 1)).await),
        0
    );
    assert_eq!(
        api.code(Some(&key_b), by_account, of(&a, a_dseq)).await,
        "FORBIDDEN"
    );
    let one = "query($id: Int!) { alert(id: $id) { id state enabled disabledReason } }";
    let by_id = json!({ "id": id });
    assert_eq!(
        api.code(Some(&key_b), one, by_id.clone()).await,
        "FORBIDDEN"
    );
    assert_eq!(api.code(None, one, by_id.clone()).await, "UNAUTHENTICATED");
    let update = "mutation($id: Int!, $t: String!) {
        updateAlert(id: $id, input: { threshold: $t, metric: TIME_TO_DEPLETION }) { threshold metric } }";
    let vars = json!({ "id": id, "t": "0" });
    assert_eq!(
        api.code(Some(&key_a), update, vars).await,
        "INVALID_THRESHOLD"
    );
    let vars = json!({ "id": id, "t": "3600" });
    assert_eq!(
        api.code(Some(&key_b), update, vars.clone()).await,
        "FORBIDDEN"
    );
    let updated = api.ok(&key_a, update, vars).await;
    assert_eq!(
        updated["updateAlert"],
        json!({ "threshold": "3600", "metric": "TIME_TO_DEPLETION" })
    );
    let disable = "mutation($id: Int!) { disableAlert(id: $id) { enabled disabledReason } }";
    assert_eq!(
        api.code(Some(&key_b), disable, by_id.clone()).await,
        "FORBIDDEN"
    );
    let d = api.ok(&key_a, disable, by_id.clone()).await;
    assert_eq!(d["disableAlert"]["enabled"], false);
    assert!(d["disableAlert"]["disabledReason"].is_string());
    let enable = "mutation($id: Int!) { enableAlert(id: $id) { enabled disabledReason } }";
    let e = api.ok(&key_a, enable, by_id.clone()).await;
    assert_eq!(
        e["enableAlert"],
        json!({ "enabled": true, "disabledReason": null })
    );
    let delete = "mutation($id: Int!) { deleteAlert(id: $id) }";
    assert_eq!(
        api.code(Some(&key_b), delete, by_id.clone()).await,
        "FORBIDDEN"
    );
    assert_eq!(
        api.ok(&key_a, delete, by_id.clone()).await["deleteAlert"],
        id
    );
    assert_eq!(
        api.code(Some(&key_a), one, by_id.clone()).await,
        "NOT_FOUND"
    );

    // `api-key list` never shows a key; a revoked key is refused at once.
    let listed = api_key(&url, &["list"]);
    assert!(
        !listed.contains(&key_a) && !listed.contains("sck_"),
        "{listed}"
    );
    assert!(
        listed.lines().any(|l| l.split('\t').nth(1) == Some("all")),
        "{listed}"
    );
    api_key(&url, &["revoke", &a_id.to_string()]);
    assert!(api_key(&url, &["list"])
        .lines()
        .any(|l| l.starts_with(&format!("{a_id}\t")) && !l.ends_with('\t')));
    assert_eq!(
        api.code(Some(&key_a), CREATE, ok_input).await,
        "UNAUTHENTICATED"
    );
    assert_eq!(
        api.code(Some(&key_a), list, json!({})).await,
        "UNAUTHENTICATED"
    );
}
