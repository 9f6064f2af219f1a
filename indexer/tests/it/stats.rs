//! The stats against an independent computation from the event tables and `block`
//! ([`model`]), read through the served API (GraphQL, Console-compatible REST, CSV).

mod model;
mod period;
mod surface;

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use cosmwasm_std::Decimal256;
use devnet::rpc::FaultConfig;
use indexer::api::server::{ServeConfig, Server};
use serde_json::{json, Value};
use supercloud_chain::AKT_DENOM;

use self::model::Model;
use self::surface::{
    bad_input_is_typed, csv_over_http_equals_the_export, rest_shapes_and_midnight_dates,
};
use crate::common::*;

/// The served API of one database.
struct Api {
    base: String,
    http: reqwest::Client,
}

impl Api {
    async fn start(url: &str) -> Api {
        let config = ServeConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            read_database_url: url.to_string(),
            pool_size: 4,
            ..ServeConfig::default()
        };
        let server = Server::bind(&config).await.unwrap();
        let base = format!("http://{}", server.local_addr().unwrap());
        tokio::spawn(server.run(std::future::pending()));
        Api {
            base,
            http: reqwest::Client::new(),
        }
    }

    /// The `data.stats` of a GraphQL query, or the errors.
    async fn stats(&self, q: &str) -> Result<Value, Vec<Value>> {
        let body: Value = self
            .http
            .post(format!("{}/graphql", self.base))
            .json(&json!({ "query": format!("{{ stats {{ {q} }} }}") }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        match body.get("errors") {
            Some(Value::Array(e)) if !e.is_empty() => Err(e.clone()),
            _ => Ok(body["data"]["stats"].clone()),
        }
    }

    async fn code(&self, q: &str) -> String {
        let errors = self.stats(q).await.expect_err(q);
        errors[0]["extensions"]["code"]
            .as_str()
            .unwrap()
            .to_string()
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }
}

fn dec(v: &Value) -> Decimal256 {
    v.as_str().unwrap().parse().unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_str()
        .map(|s| s.parse().unwrap())
        .unwrap_or_else(|| v.as_f64().unwrap())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_agree_with_an_independent_computation_from_events() {
    let (chain, db) = tokio::join!(Chain::start(FaultConfig::default()), Db::start());
    let url = db.fresh();
    sync_to_tip(&url, vec![chain.url()]).await;
    let c = client(&url).await;
    let m = Model::load(&c).await;
    assert!(
        m.payments.len() > 10,
        "the devnet history has leases to check"
    );
    let api = Api::start(&url).await;
    // The history exercises every boundary: overdraws, closes, stale and missing prices.
    assert!(m.payments.values().any(|p| !p.gaps.is_empty()));
    assert!(m.payments.values().any(|p| p.closed.is_some()));
    assert!(m.price.iter().any(|p| p.1) && m.price.iter().any(|p| p.0.is_none()));
    assert_eq!(
        m.window(0, m.tip().0).len(),
        3,
        "uakt, uact and USDC leases"
    );
    daily_spend_per_denom_and_usd(&api, &m).await;
    dashboard_rolling_24h_and_active(&api, &m).await;
    series_of_active_leases_gpus_and_hourly_price(&api, &m).await;
    settlements_reconcile_at_every_height(&api, &m, &c).await;
    depositor_view_is_by_settlement_day(&api, &c).await;
    rest_shapes_and_midnight_dates(&api, &m).await;
    csv_over_http_equals_the_export(&api, &url, m.blocks[0].1.date_naive()).await;
    bad_input_is_typed(&api).await;
}

/// The "by the numbers" table on a month of history: its second half against its first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn period_summary_agrees_with_raw_events_over_two_halves() {
    let (chain, db) = tokio::join!(
        Chain::start_days(MONTH, FaultConfig::default()),
        Db::start()
    );
    let url = db.fresh();
    sync_to_tip(&url, vec![chain.url()]).await;
    let c = client(&url).await;
    let m = Model::load(&c).await;
    let api = Api::start(&url).await;
    period::period_summary_by_halves(&api, &m, &c, &url).await;
}

async fn daily_spend_per_denom_and_usd(api: &Api, m: &Model) {
    let (tip, time) = m.tip();
    let first = m.blocks[0].1.date_naive();
    let expected = m.spend(0, tip);
    let q = format!(
        "dailySpend(from: \"{first}\") {{ day inProgress denom spend spendUsd usdEstimated }}"
    );
    let rows = api.stats(&q).await.unwrap();
    let mut got = BTreeMap::new();
    for r in rows["dailySpend"].as_array().unwrap() {
        let day: NaiveDate = r["day"].as_str().unwrap().parse().unwrap();
        assert_eq!(
            r["inProgress"].as_bool().unwrap(),
            day == time.date_naive(),
            "only the latest block's day is in progress"
        );
        got.insert((day, r["denom"].as_str().unwrap().to_string()), r.clone());
    }
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (key, (spend, usd, est)) in &expected {
        let r = &got[key];
        assert_eq!(dec(&r["spend"]), *spend, "spend of {key:?}");
        assert!(
            close(f(&r["spendUsd"]), usd.to_string().parse().unwrap()),
            "USD of {key:?}"
        );
        assert_eq!(
            r["usdEstimated"].as_bool().unwrap(),
            *est,
            "estimated {key:?}"
        );
    }
    assert!(expected.keys().any(|(_, d)| d == AKT_DENOM));
    // EXCLUDE leaves out the day in progress.
    let q = format!("dailySpend(from: \"{first}\", current: EXCLUDE) {{ day inProgress }}");
    let rows = api.stats(&q).await.unwrap();
    let rows = rows["dailySpend"].as_array().unwrap();
    assert!(rows.iter().all(|r| r["inProgress"] == false));
}

async fn dashboard_rolling_24h_and_active(api: &Api, m: &Model) {
    let (tip, time) = m.tip();
    let h24 = m.height_at(time - Duration::hours(24));
    let h48 = m.height_at(time - Duration::hours(48));
    let d = api
        .stats(
            "dashboard { height compareHeight secondCompareHeight
               spend { denom spend { value compare } spendUsd { value compare estimated } }
               activeLeases { value compare } activeGpus { value compare }
               activeGpusByModel { gpuModel leases gpus } leasesOpened { value compare } }",
        )
        .await
        .unwrap();
    d["dashboard"]["height"]
        .as_i64()
        .filter(|h| *h == tip)
        .expect("now is the latest indexed block");
    let d = &d["dashboard"];
    assert_eq!(d["compareHeight"].as_i64().unwrap(), h24);
    assert_eq!(d["secondCompareHeight"].as_i64().unwrap(), h48);
    let (now, before) = (m.window(h24, tip), m.window(h48, h24));
    for card in d["spend"].as_array().unwrap() {
        let denom = card["denom"].as_str().unwrap();
        let zero = (Decimal256::zero(), Decimal256::zero(), false);
        let (a, b) = (
            now.get(denom).unwrap_or(&zero),
            before.get(denom).unwrap_or(&zero),
        );
        assert_eq!(dec(&card["spend"]["value"]), a.0, "rolling 24 h {denom}");
        assert_eq!(dec(&card["spend"]["compare"]), b.0, "previous 24 h {denom}");
    }
    let active = |h| m.active_after(h);
    let total =
        |x: &BTreeMap<String, (i64, i64)>| x.values().fold((0, 0), |s, v| (s.0 + v.0, s.1 + v.1));
    let (leases, gpus) = total(&active(tip));
    let (leases24, gpus24) = total(&active(h24));
    assert_eq!(d["activeLeases"]["value"], json!(leases.to_string()));
    assert_eq!(d["activeLeases"]["compare"], json!(leases24.to_string()));
    assert_eq!(d["activeGpus"]["value"], json!(gpus.to_string()));
    assert_eq!(d["activeGpus"]["compare"], json!(gpus24.to_string()));
    let by_model: BTreeMap<String, (i64, i64)> = d["activeGpusByModel"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let model = g["gpuModel"].as_str().unwrap().to_string();
            (
                model,
                (g["leases"].as_i64().unwrap(), g["gpus"].as_i64().unwrap()),
            )
        })
        .collect();
    assert_eq!(by_model, active(tip), "active GPUs by model");
    let opened = |lo, hi| {
        m.payments
            .values()
            .filter(|p| p.opened > lo && p.opened <= hi)
            .count()
    };
    assert_eq!(
        d["leasesOpened"]["value"],
        json!(opened(h24, tip).to_string())
    );
    assert_eq!(
        d["leasesOpened"]["compare"],
        json!(opened(h48, h24).to_string())
    );
}

async fn series_of_active_leases_gpus_and_hourly_price(api: &Api, m: &Model) {
    let first = m.blocks[0].1.date_naive();
    // Per day: the payments live after the day's last block.
    let mut last_of_day: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for (h, t) in &m.blocks {
        last_of_day.insert(t.date_naive(), *h);
    }
    let q = format!(
        "series(metric: ACTIVE_GPUS, from: \"{first}\", groupBy: [GPU_MODEL]) {{ time gpuModel value }}"
    );
    let mut got: BTreeMap<(NaiveDate, String), i64> = BTreeMap::new();
    for p in api.stats(&q).await.unwrap()["series"].as_array().unwrap() {
        let day = p["time"].as_str().unwrap()[..10].parse().unwrap();
        let model = p["gpuModel"].as_str().unwrap().to_string();
        got.insert((day, model), p["value"].as_str().unwrap().parse().unwrap());
    }
    for (day, h) in &last_of_day {
        for (model, (_, gpus)) in m.active_after(*h) {
            let value = got.get(&(*day, model.clone())).copied().unwrap_or(0);
            assert_eq!(value, gpus, "active GPUs of {model} after {day}");
        }
    }
    let q = format!("series(metric: ACTIVE_LEASES, from: \"{first}\") {{ time value inProgress }}");
    let points = api.stats(&q).await.unwrap();
    let points = points["series"].as_array().unwrap();
    assert_eq!(points.len(), last_of_day.len());
    for (p, (day, h)) in points.iter().zip(&last_of_day) {
        let leases: i64 = m.active_after(*h).values().map(|v| v.0).sum();
        assert_eq!(
            p["value"],
            json!(leases.to_string()),
            "active leases after {day}"
        );
        assert_eq!(p["time"], json!(format!("{day}T00:00:00+00:00")));
    }
    assert_eq!(points.last().unwrap()["inProgress"], true);
    // Hourly: the price in force at the last block before each hour ends.
    let from = m.blocks[0].1.format("%Y-%m-%dT%H:00:00Z");
    let q = format!(
        "series(metric: ORACLE_PRICE, interval: HOUR, from: \"{from}\") {{ time value estimated }}"
    );
    let points = api.stats(&q).await.unwrap();
    let points = points["series"].as_array().unwrap();
    assert!(points.len() > 24);
    for p in points {
        let start: chrono::DateTime<chrono::Utc> = p["time"].as_str().unwrap().parse().unwrap();
        let end = start + Duration::hours(1);
        let i = m.blocks.iter().rposition(|(_, t)| *t < end).unwrap();
        let (price, stale) = m.price[i];
        assert_eq!(Some(dec(&p["value"])), price, "price at {start}");
        assert_eq!(p["estimated"].as_bool().unwrap(), stale, "stale at {start}");
    }
}

async fn settlements_reconcile_at_every_height(api: &Api, m: &Model, c: &tokio_postgres::Client) {
    // The contract's settlements against the model's live blocks: charged = floor(rate × live).
    let rows = c
        .query(
            "SELECT owner, dseq, payment_id, to_height, (amount + debt)::text
             FROM escrow_payment_settled ORDER BY block_height, phase, tx_index, event_index",
            &[],
        )
        .await
        .unwrap();
    assert!(!rows.is_empty());
    let mut charged: BTreeMap<model::PayKey, u128> = BTreeMap::new();
    let mut accounts = std::collections::BTreeSet::new();
    for r in &rows {
        let key: model::PayKey = (r.get(0), r.get(1), r.get(2));
        let to: i64 = r.get(3);
        let sum = charged.entry(key.clone()).or_default();
        *sum += r.get::<_, String>(4).parse::<u128>().unwrap();
        let p = &m.payments[&key];
        let live = m.live_through(p, to);
        let expected = (p.rate * Decimal256::from_ratio(live, 1u64)).to_uint_floor();
        assert_eq!(
            expected.to_string(),
            sum.to_string(),
            "{key:?} settled through {to}"
        );
        accounts.insert((key.0, key.1));
    }
    // The API's reconciliation agrees, for a sample of accounts.
    for (owner, dseq) in accounts.iter().take(25) {
        let q = format!(
            "reconciliation(owner: \"{owner}\", dseq: {dseq}) {{ agrees days {{ spend settled debt unsettled }}
               settlements {{ paymentId toHeight charged expected difference }} }}"
        );
        let r = &api.stats(&q).await.unwrap()["reconciliation"];
        assert_eq!(r["agrees"], true, "{owner}/{dseq}: {r}");
        for s in r["settlements"].as_array().unwrap() {
            let key = (owner.clone(), *dseq, s["paymentId"].as_i64().unwrap());
            let p = &m.payments[&key];
            let live = m.live_through(p, s["toHeight"].as_i64().unwrap());
            let expected = (p.rate * Decimal256::from_ratio(live, 1u64)).to_uint_floor();
            assert_eq!(s["expected"], json!(expected.to_string()));
        }
        // What was spent and not charged yet is never negative at a day's end.
        for d in r["days"].as_array().unwrap() {
            assert!(!d["unsettled"].as_str().unwrap().starts_with('-'), "{d}");
        }
    }
}

async fn depositor_view_is_by_settlement_day(api: &Api, c: &tokio_postgres::Client) {
    let rows = c
        .query(
            "SELECT (block_time AT TIME ZONE 'UTC')::date, denom, depositor, amount::text
             FROM escrow_deposit_consumed",
            &[],
        )
        .await
        .unwrap();
    let mut expected: BTreeMap<(NaiveDate, String, String), u128> = BTreeMap::new();
    for r in rows {
        *expected.entry((r.get(0), r.get(1), r.get(2))).or_default() +=
            r.get::<_, String>(3).parse::<u128>().unwrap();
    }
    let first = expected.keys().next().map(|k| k.0).unwrap();
    let q = format!(
        "dailySpend(from: \"{first}\", groupBy: [DEPOSITOR]) {{ day denom depositor spend }}"
    );
    let got: BTreeMap<(NaiveDate, String, String), u128> = api.stats(&q).await.unwrap()
        ["dailySpend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let key = (
                r["day"].as_str().unwrap().parse().unwrap(),
                r["denom"].as_str().unwrap().to_string(),
                r["depositor"].as_str().unwrap().to_string(),
            );
            (key, r["spend"].as_str().unwrap().parse().unwrap())
        })
        .collect();
    assert_eq!(got, expected);
}
