//! The HTTP server: routes (GraphQL and its subscriptions, health, metrics, the stats helper's
//! REST and CSV routes) and the layers every response passes (CORS, gzip, a request time limit,
//! latency metrics, cache headers on REST GETs). Stateless: everything it answers is read from
//! Postgres; subscriptions are woken by the writer's `NOTIFY`.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use async_graphql_axum::GraphQLSubscription;
use axum::extract::{Request, State};
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderValue, Method};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};

use super::graphql::http::GraphqlService;
use super::state::DEFAULT_READY_LAG_BLOCKS;
use super::{csv, graphql, health, metrics, notify, period, rest, sql, ApiError, ApiState};

/// How `serve` runs.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    /// Address to listen on (`127.0.0.1:0` picks a free port).
    pub listen: SocketAddr,
    /// The database read from (a streaming replica, or the writer's database).
    pub read_database_url: String,
    /// The primary (the writer's database): alert mutations write there and block
    /// announcements are `LISTEN`ed for there. Empty: `read_database_url`.
    pub database_url: String,
    /// Alerts may name webhooks on private networks (`--allow-private-webhooks`).
    pub allow_private_webhooks: bool,
    /// Read connections.
    pub pool_size: usize,
    /// Caught up = chain height − indexed height ≤ this.
    pub ready_lag_blocks: u64,
    /// Postgres `statement_timeout` of every read.
    pub statement_timeout: Duration,
    /// Time limit of one GraphQL query (`QUERY_TIMEOUT` after it).
    pub query_timeout: Duration,
    /// Time limit of any request (503 after it).
    pub request_timeout: Duration,
    /// `Cache-Control: public, max-age=…` of REST, CSV and GraphQL GETs, in seconds.
    pub cache_max_age: u32,
    /// Directory of the dashboard page (its files and `node_modules`).
    pub dashboard_dir: std::path::PathBuf,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            read_database_url: String::new(),
            database_url: String::new(),
            allow_private_webhooks: false,
            pool_size: 16,
            ready_lag_blocks: DEFAULT_READY_LAG_BLOCKS,
            statement_timeout: Duration::from_secs(10),
            query_timeout: Duration::from_secs(15),
            request_timeout: Duration::from_secs(30),
            cache_max_age: 30,
            dashboard_dir: super::dashboard::default_dir(),
        }
    }
}

/// Every route with its layers, over `state`.
pub fn router(state: ApiState, config: &ServeConfig) -> Router {
    let service = GraphqlService {
        schema: graphql::schema(Some(state.clone())),
        query_timeout: config.query_timeout,
        cache_max_age: config.cache_max_age,
        documents: Default::default(),
    };
    let cached = Router::new()
        .merge(rest::router())
        .merge(csv::router())
        .merge(period::router())
        .layer(from_fn_with_state(config.cache_max_age, cache_headers));
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers(Any)
        .max_age(Duration::from_secs(86_400));
    Router::new()
        .route(
            "/graphql",
            get(graphql::http::handler).post(graphql::http::handler),
        )
        // graphql-transport-ws (and the older graphql-ws) subscriptions.
        .route_service(
            "/graphql/ws",
            GraphQLSubscription::new(graphql::subscription_schema(Some(state.clone()))),
        )
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::handler))
        .merge(cached)
        .merge(super::dashboard::router(config.dashboard_dir.clone()))
        .fallback(not_found)
        .layer(Extension(service))
        .layer(from_fn_with_state(state.clone(), metrics::track))
        .layer(CompressionLayer::new())
        .layer(from_fn_with_state(config.request_timeout, time_limit))
        .layer(cors)
        .with_state(state)
}

async fn not_found(req: Request) -> Response {
    ApiError::NotFound(format!("no route {}", req.uri().path())).into_response()
}

/// Answers a request still running after `limit` with a typed 503 (`QUERY_TIMEOUT`); the
/// handler's future is dropped, which cancels its database round trip.
async fn time_limit(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => ApiError::TimedOut(format!(
            "the request ran past its time limit of {} ms",
            limit.as_millis()
        ))
        .into_response(),
    }
}

/// Marks successful GETs cacheable for `max_age` seconds unless the handler chose otherwise.
async fn cache_headers(State(max_age): State<u32>, req: Request, next: Next) -> Response {
    let get = req.method() == Method::GET;
    let mut response = next.run(req).await;
    if get && response.status().is_success() && !response.headers().contains_key(CACHE_CONTROL) {
        if let Ok(v) = HeaderValue::from_str(&format!("public, max-age={max_age}")) {
            response.headers_mut().insert(CACHE_CONTROL, v);
        }
    }
    response
}

/// A bound, not yet running server.
pub struct Server {
    listener: tokio::net::TcpListener,
    router: Router,
    /// Block announcements for subscriptions; stops with the server.
    notifications: notify::TaskGuard,
}

/// Connections of the primary pool (alert mutations are rare).
const WRITE_POOL: usize = 4;

impl Server {
    /// Opens the pools, starts listening for block announcements and binds `config.listen`.
    pub async fn bind(config: &ServeConfig) -> anyhow::Result<Server> {
        if config.read_database_url.is_empty() {
            anyhow::bail!("serve needs a database URL (--read-database-url or --database-url)");
        }
        let pool = sql::read_pool(
            &config.read_database_url,
            config.pool_size,
            config.statement_timeout,
        )?;
        let primary = if config.database_url.is_empty() {
            &config.read_database_url
        } else {
            &config.database_url
        };
        let mut state = ApiState::new(pool)?;
        state.ready_lag_blocks = config.ready_lag_blocks;
        state.allow_private_webhooks = config.allow_private_webhooks;
        state.write = Some(sql::write_pool(
            primary,
            WRITE_POOL,
            config.statement_timeout,
        )?);
        let (notifications, heights) = notify::start(primary.clone());
        state.heights = Some(heights);
        let listener = tokio::net::TcpListener::bind(config.listen).await?;
        Ok(Server {
            listener,
            router: router(state, config),
            notifications,
        })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` resolves, then finishes the requests in flight.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        tracing::info!(addr = %self.local_addr()?, "serving");
        let _notifications = self.notifications;
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn successful_gets_are_marked_cacheable_and_nothing_else() {
        let app = Router::new()
            .route("/x", get(|| async { "ok" }).post(|| async { "ok" }))
            .route(
                "/fails",
                get(|| async { ApiError::bad_input("BAD", "no").into_response() }),
            )
            .layer(from_fn_with_state(42u32, cache_headers));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        let http = reqwest::Client::new();
        let r = http.get(format!("{base}/x")).send().await.unwrap();
        assert_eq!(r.headers()["cache-control"], "public, max-age=42");
        let r = http.post(format!("{base}/x")).send().await.unwrap();
        assert!(r.headers().get("cache-control").is_none());
        let r = http.get(format!("{base}/fails")).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 400);
        assert!(r.headers().get("cache-control").is_none());
    }
}
