//! The API's surfaces: Console's REST shapes and midnight dates, the CSV over HTTP against the
//! export, and typed errors for bad input.

use chrono::{Duration, NaiveDate};
use serde_json::{json, Value};
use supercloud_chain::AKT_DENOM;

use super::model::Model;
use super::{close, Api};

pub async fn rest_shapes_and_midnight_dates(api: &Api, m: &Model) {
    let (tip, time) = m.tip();
    let r = api.get("/v1/graph-data/dailyUAktSpent").await;
    assert_eq!(r.status(), 200);
    let g: Value = r.json().await.unwrap();
    let snaps = g["snapshots"].as_array().unwrap();
    let spend = m.spend(0, tip);
    let mut day = m.blocks[0].1.date_naive();
    for s in snaps {
        assert_eq!(
            s["date"],
            json!(format!("{day}T00:00:00.000Z")),
            "one midnight per day"
        );
        let want = spend
            .get(&(day, AKT_DENOM.to_string()))
            .map_or(0.0, |x| x.0.to_string().parse().unwrap());
        assert!(close(s["value"].as_f64().unwrap(), want), "{s}");
        day = day.succ_opt().unwrap();
    }
    assert_eq!(
        day,
        time.date_naive().succ_opt().unwrap(),
        "through the day in progress"
    );
    let h24 = m.height_at(time - Duration::hours(24));
    let rolling = m
        .window(h24, tip)
        .get(AKT_DENOM)
        .map_or(0.0, |x| x.0.to_string().parse().unwrap());
    assert!(close(g["currentValue"].as_f64().unwrap(), rolling));
    assert!(g["compareValue"].is_number());
    let r = api.get("/v1/graph-data/noSuchThing").await;
    assert_eq!(r.status(), 404);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["error"]["code"], "NOT_FOUND");
    for name in [
        "totalUUsdSpent",
        "activeLeaseCount",
        "activeGPU",
        "dailyLeaseCount",
        "vaultAkt",
    ] {
        let g: Value = api
            .get(&format!("/v1/graph-data/{name}"))
            .await
            .json()
            .await
            .unwrap();
        assert!(
            g["currentValue"].is_number() && g["compareValue"].is_number(),
            "{name}: {g}"
        );
        assert!(g["snapshots"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["date"].as_str().unwrap().ends_with("T00:00:00.000Z")));
    }
    let d: Value = api.get("/v1/dashboard-data").await.json().await.unwrap();
    assert_eq!(d["chainStats"]["height"], json!(tip));
    assert!(m.txs > 0, "the history has transactions");
    assert_eq!(d["chainStats"]["transactionCount"], json!(m.txs));
    assert_eq!(d["now"]["height"], json!(tip));
    for k in [
        "activeLeaseCount",
        "totalLeaseCount",
        "dailyUAktSpent",
        "totalUUsdSpent",
        "activeGPU",
    ] {
        assert!(
            d["now"][k].is_number() && d["compare"][k].is_number(),
            "{k}"
        );
    }
    let b: Value = api
        .get("/v1/bme/dashboard-data")
        .await
        .json()
        .await
        .unwrap();
    for k in [
        "outstandingAct",
        "vaultAkt",
        "collateralRatio",
        "dailyActMinted",
        "totalActMinted",
    ] {
        assert!(
            b["now"][k].is_number() && b["compare"][k].is_number(),
            "{k}"
        );
    }
    // Supply is ledger balances plus ACT held by queued burns: only an executed mint (what it
    // paid) or burn (what it burned) moves it. The contract reports the level; the totals are
    // our sums of the flows since genesis. They must meet, now and 24 h ago.
    assert!(
        b["now"]["totalActMinted"].as_f64().unwrap() > 0.0,
        "the history mints ACT"
    );
    for p in ["now", "compare"] {
        let f = |k: &str| b[p][k].as_f64().unwrap();
        assert!(
            close(
                f("outstandingAct"),
                f("totalActMinted") - f("totalActBurnedForAkt")
            ),
            "{p}: supply {} = minted {} - burned {}",
            f("outstandingAct"),
            f("totalActMinted"),
            f("totalActBurnedForAkt")
        );
    }
}

pub async fn csv_over_http_equals_the_export(api: &Api, url: &str, first: NaiveDate) {
    let r = api
        .get(&format!(
            "/v1/export/spend.csv?groupBy=provider,owner&from={first}"
        ))
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let body = r.bytes().await.unwrap();
    let store = indexer::store::Store::connect(url, 1).unwrap();
    let args = indexer::stats::export::ExportArgs {
        from: Some(first.to_string()),
        group_by: Some("provider,owner".into()),
        ..Default::default()
    };
    let mut out = Vec::new();
    let n = indexer::stats::export::export(store.pool(), &args, &mut out)
        .await
        .unwrap();
    assert_eq!(
        body.as_ref(),
        out.as_slice(),
        "HTTP and CLI give the same bytes"
    );
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "day,in_progress,denom,provider,owner,spend,spend_usd,usd_estimated"
    );
    assert_eq!(lines.count() as u64, n);
    assert!(n > 0);
}

pub async fn bad_input_is_typed(api: &Api) {
    let cases = [
        (
            "dailySpend(from: \"2026-02-01\", to: \"2026-01-01\") { day }",
            "INVALID_RANGE",
        ),
        ("dailySpend(from: \"soon\") { day }", "INVALID_DATE"),
        ("dailySpend(from: \"1990-01-01\") { day }", "RANGE_TOO_LONG"),
        (
            "dailySpend(groupBy: [DEPOSITOR, PROVIDER]) { day }",
            "INVALID_GROUP_BY",
        ),
        (
            "series(metric: SPEND, interval: HOUR) { value }",
            "INVALID_INTERVAL",
        ),
        (
            "series(metric: VAULT_AKT, groupBy: [OWNER]) { value }",
            "INVALID_GROUP_BY",
        ),
        (
            "series(metric: NO_SUCH_METRIC) { value }",
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            "reconciliation(owner: \"nobody\", dseq: 1) { agrees }",
            "NOT_FOUND",
        ),
    ];
    for (q, code) in cases {
        assert_eq!(api.code(q).await, code, "{q}");
    }
    let ok = api
        .stats("series(metric: ORACLE_PRICE, interval: HOUR) { time value estimated inProgress }")
        .await
        .unwrap();
    assert!(!ok["series"].as_array().unwrap().is_empty());
    let r = api.get("/v1/export/spend.csv?groupBy=colour").await;
    assert_eq!(r.status(), 400);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["error"]["code"], "INVALID_GROUP_BY");
}
