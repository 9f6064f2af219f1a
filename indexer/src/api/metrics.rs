//! Prometheus metrics of the serving process. `serve` is stateless, so the indexing figures
//! (heights, lag, quarantined events) are read from the database at each scrape; request and
//! query latencies are measured here.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus::{
    Encoder, Gauge, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};

use super::health::SyncStatus;
use super::{ApiError, ApiState};

/// Latency buckets in seconds, from a cached read to a slow aggregate.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The registry and the instruments handlers update.
pub struct Metrics {
    /// Everything `/metrics` renders.
    pub registry: prometheus::Registry,
    /// HTTP request latency by method, matched route and status.
    pub http_seconds: HistogramVec,
    /// GraphQL request latency by outcome (`ok` / `error`).
    pub graphql_seconds: HistogramVec,
    /// Database query latency by query name.
    pub db_seconds: HistogramVec,
    /// The cursor: last block whose rows are all committed.
    pub last_indexed_height: IntGauge,
    /// The chain tip the writer last saw (0 until it has seen one).
    pub chain_height: IntGauge,
    /// `chain_height − last_indexed_height`.
    pub lag_blocks: IntGauge,
    /// Chain time of the tip − time of the last indexed block.
    pub lag_seconds: Gauge,
    /// Events of followed contracts the catalogue could not read.
    pub quarantined_events: IntGauge,
    /// 1 when `/readyz` would answer 200.
    pub ready: IntGauge,
    /// Dashboard snapshots asked for, and those computed (the rest were shared).
    pub snapshots: IntCounterVec,
}

impl Metrics {
    /// Every instrument, registered in a fresh registry.
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let histogram = |name: &str, help: &str, labels: &[&str]| {
            let h = HistogramVec::new(
                HistogramOpts::new(name, help).buckets(BUCKETS.to_vec()),
                labels,
            )?;
            registry.register(Box::new(h.clone()))?;
            Ok::<_, prometheus::Error>(h)
        };
        let http_seconds = histogram(
            "indexer_http_request_duration_seconds",
            "HTTP request latency",
            &["method", "route", "status"],
        )?;
        let graphql_seconds = histogram(
            "indexer_graphql_request_duration_seconds",
            "GraphQL request latency",
            &["outcome"],
        )?;
        let db_seconds = histogram(
            "indexer_db_query_duration_seconds",
            "Read query latency",
            &["query"],
        )?;
        let int_gauge = |name: &str, help: &str| {
            let g = IntGauge::with_opts(Opts::new(name, help))?;
            registry.register(Box::new(g.clone()))?;
            Ok::<_, prometheus::Error>(g)
        };
        let last_indexed_height = int_gauge(
            "indexer_last_indexed_height",
            "Last block whose rows are all committed",
        )?;
        let chain_height = int_gauge(
            "indexer_chain_height",
            "Chain tip the writer last saw (0 before it saw one)",
        )?;
        let lag_blocks = int_gauge("indexer_lag_blocks", "Chain height minus indexed height")?;
        let quarantined_events = int_gauge(
            "indexer_quarantined_events",
            "Events of followed contracts the catalogue could not read",
        )?;
        let ready = int_gauge("indexer_ready", "1 when caught up with the chain")?;
        let lag_seconds = Gauge::with_opts(Opts::new(
            "indexer_lag_seconds",
            "Chain time of the tip minus time of the last indexed block",
        ))?;
        registry.register(Box::new(lag_seconds.clone()))?;
        let snapshots = IntCounterVec::new(
            Opts::new(
                "indexer_dashboard_snapshots_total",
                "Dashboard snapshots asked for (outcome=asked) and computed (outcome=computed)",
            ),
            &["outcome"],
        )?;
        registry.register(Box::new(snapshots.clone()))?;
        Ok(Metrics {
            registry,
            http_seconds,
            graphql_seconds,
            db_seconds,
            last_indexed_height,
            chain_height,
            lag_blocks,
            lag_seconds,
            quarantined_events,
            ready,
            snapshots,
        })
    }

    /// Starts timing a read query; the time is recorded when the timer drops.
    pub fn time_query(&self, query: &str) -> prometheus::HistogramTimer {
        self.db_seconds.with_label_values(&[query]).start_timer()
    }

    /// The registry in Prometheus' text format.
    pub fn render(&self) -> Result<String, prometheus::Error> {
        let mut out = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut out)?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }
}

/// `GET /metrics`: refreshes the indexing gauges from the database, then renders everything.
/// A database that does not answer leaves the last values and sets `indexer_ready` to 0.
pub async fn handler(State(state): State<ApiState>) -> Response {
    let m = &state.metrics;
    match refresh(&state).await {
        Ok(()) => {}
        Err(e) => {
            tracing::warn!(error = %e, "metrics: database unreadable");
            m.ready.set(0);
        }
    }
    match m.render() {
        Ok(text) => ([(CONTENT_TYPE, TextEncoder::new().format_type())], text).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "metrics: encoding failed");
            ApiError::Unavailable("metrics unavailable".into()).into_response()
        }
    }
}

async fn refresh(state: &ApiState) -> Result<(), ApiError> {
    let m = &state.metrics;
    // The memo counts for itself; the counters catch up at each scrape.
    for (outcome, n) in [
        ("asked", state.snapshots.asked()),
        ("computed", state.snapshots.computed()),
    ] {
        let c = m.snapshots.with_label_values(&[outcome]);
        c.inc_by(n.saturating_sub(c.get()));
    }
    let status = SyncStatus::read(state).await?;
    m.last_indexed_height.set(status.height);
    m.chain_height.set(status.chain_height.unwrap_or(0));
    m.lag_blocks.set(status.lag_blocks().unwrap_or(0));
    m.lag_seconds.set(status.lag_seconds().unwrap_or(0.0));
    m.ready
        .set(i64::from(status.caught_up(state.ready_lag_blocks)));
    let client = state.read.get().await?;
    let _t = m.time_query("quarantine_count");
    let n: i64 = client
        .query_one("SELECT count(*) FROM quarantine", &[])
        .await?
        .get(0);
    m.quarantined_events.set(n);
    Ok(())
}

/// Middleware recording every request's latency under its matched route (never the raw path,
/// so the label set stays bounded).
pub async fn track(State(state): State<ApiState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().as_str().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let response = next.run(req).await;
    state
        .metrics
        .http_seconds
        .with_label_values(&[method.as_str(), route.as_str(), response.status().as_str()])
        .observe(started.elapsed().as_secs_f64());
    response
}
