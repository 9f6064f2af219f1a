//! The HTTP surface around GraphQL: `/healthz`, `/readyz` (503 while backfilling, 200 once
//! caught up), `/metrics` in Prometheus' text format with the lag gauges, CORS preflight,
//! GraphiQL for browsers, GET queries, gzip, and REST 404s that are not cached.

use indexer::store::Store;
use serde_json::{json, Value};

use super::{write_blocks, Api};
use crate::common::*;

/// Parses Prometheus' text format strictly enough to fail on garbage: every line is a comment
/// (`# HELP` / `# TYPE`) or `name{labels} value`. Returns (series, value) pairs.
fn parse_prometheus(text: &str) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        if let Some(rest) = line.strip_prefix("# ") {
            assert!(
                rest.starts_with("HELP ") || rest.starts_with("TYPE "),
                "bad comment {line:?}"
            );
            continue;
        }
        let (series, value) = line.rsplit_once(' ').expect("name value");
        let name_end = series.find('{').unwrap_or(series.len());
        let name = &series[..name_end];
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "bad metric name in {line:?}"
        );
        if name_end < series.len() {
            assert!(series.ends_with('}'), "bad labels in {line:?}");
        }
        let v = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            v => v
                .parse()
                .unwrap_or_else(|_| panic!("bad value in {line:?}")),
        };
        out.push((series.to_string(), v));
    }
    out
}

async fn metrics(api: &Api) -> (String, Vec<(String, f64)>) {
    let r = api.get("/metrics").await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = r.text().await.unwrap();
    let samples = parse_prometheus(&text);
    (text, samples)
}

fn value(text: &str, samples: &[(String, f64)], name: &str) -> f64 {
    samples
        .iter()
        .find(|(s, _)| s == name)
        .map(|(_, v)| *v)
        .unwrap_or_else(|| panic!("{name} missing from\n{text}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_follows_the_lag_and_metrics_parse_with_the_lag_gauges() {
    let db = Db::start().await;
    let url = db.fresh();
    let store = Store::connect(&url, 1).unwrap();
    let api = Api::start(&url).await;
    let sql = client(&url).await;

    assert_eq!(api.get("/healthz").await.status().as_u16(), 200);
    // Nothing indexed and no tip seen: not ready.
    assert_eq!(api.get("/readyz").await.status().as_u16(), 503);
    write_blocks(&store, 40).await;
    // The writer saw a tip 25 blocks and 2 hours of chain time ahead: still backfilling.
    sql.execute(
        "UPDATE sync_cursor SET chain_height = block_height + 25,
                chain_time = block_time + interval '2 hours'",
        &[],
    )
    .await
    .unwrap();
    assert_eq!(api.get("/readyz").await.status().as_u16(), 503);
    let meta = api
        .data("{ _meta { lastIndexedHeight chainHeight lagSeconds healthy } }")
        .await;
    assert_eq!(
        meta["_meta"],
        json!({ "lastIndexedHeight": 40, "chainHeight": 65, "lagSeconds": 7200, "healthy": false })
    );
    let (text, samples) = metrics(&api).await;
    assert_eq!(value(&text, &samples, "indexer_lag_blocks"), 25.0);
    assert_eq!(value(&text, &samples, "indexer_lag_seconds"), 7200.0);
    assert_eq!(value(&text, &samples, "indexer_last_indexed_height"), 40.0);
    assert_eq!(value(&text, &samples, "indexer_chain_height"), 65.0);
    assert_eq!(value(&text, &samples, "indexer_ready"), 0.0);
    assert_eq!(value(&text, &samples, "indexer_quarantined_events"), 0.0);

    // Within 10 blocks of the tip: ready.
    sql.execute(
        "UPDATE sync_cursor SET chain_height = block_height + 10, chain_time = block_time",
        &[],
    )
    .await
    .unwrap();
    assert_eq!(api.get("/readyz").await.status().as_u16(), 200);
    // Three dashboards at one height: one snapshot computed, two shared.
    for _ in 0..3 {
        api.data("{ stats { dashboard { height } } }").await;
    }
    let (text, samples) = metrics(&api).await;
    assert_eq!(value(&text, &samples, "indexer_ready"), 1.0);
    assert_eq!(
        value(
            &text,
            &samples,
            "indexer_dashboard_snapshots_total{outcome=\"asked\"}"
        ),
        3.0
    );
    assert_eq!(
        value(
            &text,
            &samples,
            "indexer_dashboard_snapshots_total{outcome=\"computed\"}"
        ),
        1.0
    );
    assert!(
        samples.iter().any(
            |(s, v)| s.starts_with("indexer_http_request_duration_seconds_count")
                && s.contains("route=\"/graphql\"")
                && *v >= 1.0
        ),
        "{text}"
    );
    for histogram in [
        "indexer_graphql_request_duration_seconds_count",
        "indexer_db_query_duration_seconds_count",
    ] {
        assert!(
            samples.iter().any(|(s, _)| s.starts_with(histogram)),
            "{histogram} missing from\n{text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_graphiql_get_queries_gzip_and_rest_404s() {
    let db = Db::start().await;
    let url = db.fresh();
    let store = Store::connect(&url, 1).unwrap();
    write_blocks(&store, 40).await;
    let api = Api::start(&url).await;

    // CORS preflight from a browser dashboard on another origin.
    let r = api
        .http
        .request(reqwest::Method::OPTIONS, format!("{}/graphql", api.base))
        .header("origin", "https://dash.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert!(r.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("POST"));

    // GraphiQL for a browser.
    let r = api
        .http
        .get(format!("{}/graphql", api.base))
        .header("accept", "text/html,application/xhtml+xml")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(r.text().await.unwrap().to_lowercase().contains("graphiql"));
    // GET with a query string is GraphQL too.
    let r = api
        .http
        .get(format!(
            "{}/graphql?query=%7B_meta%7BlastIndexedHeight%7D%7D",
            api.base
        ))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["cache-control"], "public, max-age=30");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["_meta"]["lastIndexedHeight"], json!(40));
    // POSTs are not cached.
    let r = api
        .http
        .post(format!("{}/graphql", api.base))
        .json(&json!({ "query": "{ _meta { lastIndexedHeight } }" }))
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("cache-control").is_none());

    // gzip when asked for.
    let r = api
        .http
        .post(format!("{}/graphql", api.base))
        .header("accept-encoding", "gzip")
        .json(&json!({ "query": "{ blocks(first: 40) { edges { node { hash blockTime } } } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-encoding"], "gzip");

    // REST: an unknown name is a 404 with a code, not marked cacheable.
    let r = api.get("/v1/graph-data/noSuchMetric").await;
    assert_eq!(r.status().as_u16(), 404);
    assert!(r.headers().get("cache-control").is_none());
}
