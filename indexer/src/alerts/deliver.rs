//! Delivery of the alert outbox to webhooks. A delivery is claimed with a lease (so a second
//! worker, or this one after a `kill -9`, retries it only once the lease has run out), POSTed with
//! its id and signature, and recorded; failures are retried with exponential backoff until a
//! give-up limit. A crash between sending and recording sends the same delivery id again, which
//! receivers dedupe by; a transition never gets a second delivery id.

use std::time::Duration;

use deadpool_postgres::Pool;
use serde_json::Value;

use super::signature::{self, DELIVERY_HEADER};
use super::webhook;

/// The channel the writer notifies when it queues deliveries.
pub const CHANNEL: &str = "alert_delivery";

/// How deliveries are attempted.
#[derive(Clone, Debug)]
pub struct DeliveryConfig {
    /// Attempts before a delivery is given up.
    pub max_attempts: i32,
    /// Backoff after the first failure; doubles per attempt up to `backoff_max`.
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// Per-request timeout.
    pub timeout: Duration,
    /// A claimed delivery is retried by anyone after this long without a result.
    pub lease: Duration,
    /// How often the outbox is polled when no notification arrives.
    pub poll: Duration,
    /// Deliver to private network addresses (tests, local receivers).
    pub allow_private: bool,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            max_attempts: 8,
            backoff_base: Duration::from_secs(2),
            backoff_max: Duration::from_secs(600),
            timeout: Duration::from_secs(10),
            lease: Duration::from_secs(60),
            poll: Duration::from_secs(2),
            allow_private: false,
        }
    }
}

/// Why a delivery round failed as a whole (single deliveries fail into their log instead).
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error("database: {0}")]
    Db(#[from] tokio_postgres::Error),
    #[error("connection pool: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
    #[error("http client: {0}")]
    Client(#[from] reqwest::Error),
}

/// The backoff before attempt `attempts + 1`.
pub fn backoff(cfg: &DeliveryConfig, attempts: i32) -> Duration {
    let exp = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    cfg.backoff_base
        .saturating_mul(2u32.saturating_pow(exp))
        .min(cfg.backoff_max)
}

struct Claimed {
    delivery_id: String,
    body: Value,
    attempts: i32,
    url: String,
    secret: String,
}

/// Claims due deliveries (at most `limit`), leasing them to this worker.
async fn claim(
    pool: &Pool,
    cfg: &DeliveryConfig,
    limit: i64,
) -> Result<Vec<Claimed>, DeliveryError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let rows = tx
        .query(
            "SELECT d.delivery_id, d.body, d.attempts, a.webhook_url, a.secret
             FROM alert_delivery d JOIN alert a ON a.id = d.alert_id
             WHERE d.delivered_at IS NULL AND d.gave_up_at IS NULL AND d.next_attempt_at <= now()
             ORDER BY d.created_at, d.delivery_id
             LIMIT $1 FOR UPDATE OF d SKIP LOCKED",
            &[&limit],
        )
        .await?;
    let claimed: Vec<Claimed> = rows
        .iter()
        .map(|r| Claimed {
            delivery_id: r.get(0),
            body: r.get(1),
            attempts: r.get(2),
            url: r.get(3),
            secret: r.get(4),
        })
        .collect();
    let ids: Vec<&str> = claimed.iter().map(|c| c.delivery_id.as_str()).collect();
    let lease = cfg.lease.as_secs_f64();
    tx.execute(
        "UPDATE alert_delivery SET next_attempt_at = now() + make_interval(secs => $2)
         WHERE delivery_id = ANY($1)",
        &[&ids, &lease],
    )
    .await?;
    tx.commit().await?;
    Ok(claimed)
}

/// Sends one delivery; `Ok(status)` for any HTTP answer, `Err(text)` when none came.
async fn send(http: &reqwest::Client, cfg: &DeliveryConfig, c: &Claimed) -> Result<u16, String> {
    webhook::check(&c.url, cfg.allow_private)
        .await
        .map_err(|e| e.to_string())?;
    let body = serde_json::to_vec(&c.body).map_err(|e| e.to_string())?;
    let now = chrono::Utc::now().timestamp();
    let sig = signature::sign(&c.secret, now, &body).ok_or("cannot sign")?;
    let response = http
        .post(&c.url)
        .header("content-type", "application/json")
        .header(signature::HEADER, sig)
        .header(DELIVERY_HEADER, &c.delivery_id)
        .body(body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    Ok(response.status().as_u16())
}

/// Attempts every due delivery once; returns how many were attempted.
pub async fn deliver_due(
    pool: &Pool,
    http: &reqwest::Client,
    cfg: &DeliveryConfig,
) -> Result<usize, DeliveryError> {
    let claimed = claim(pool, cfg, 50).await?;
    let client = pool.get().await?;
    for c in &claimed {
        let outcome = send(http, cfg, c).await;
        let attempt = c.attempts.saturating_add(1);
        let (status, error) = match &outcome {
            Ok(s) => (
                Some(i32::from(*s)),
                (!(200..300).contains(s)).then(|| format!("HTTP {s}")),
            ),
            Err(e) => (None, Some(e.clone())),
        };
        client
            .execute(
                "INSERT INTO alert_delivery_attempt (delivery_id, attempt, status, error)
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                &[&c.delivery_id, &attempt, &status, &error],
            )
            .await?;
        if error.is_none() {
            client
                .execute(
                    "UPDATE alert_delivery SET attempts = $2, delivered_at = now(), last_error = NULL
                     WHERE delivery_id = $1",
                    &[&c.delivery_id, &attempt],
                )
                .await?;
        } else if attempt >= cfg.max_attempts {
            client
                .execute(
                    "UPDATE alert_delivery SET attempts = $2, gave_up_at = now(), last_error = $3
                     WHERE delivery_id = $1",
                    &[&c.delivery_id, &attempt, &error],
                )
                .await?;
        } else {
            let wait = backoff(cfg, attempt).as_secs_f64();
            client
                .execute(
                    "UPDATE alert_delivery SET attempts = $2, last_error = $3,
                         next_attempt_at = now() + make_interval(secs => $4)
                     WHERE delivery_id = $1",
                    &[&c.delivery_id, &attempt, &error, &wait],
                )
                .await?;
        }
    }
    Ok(claimed.len())
}

/// Delivers forever: a round whenever the writer notifies or `poll` passes.
pub async fn run(
    pool: Pool,
    database_url: String,
    cfg: DeliveryConfig,
) -> Result<(), DeliveryError> {
    let http = reqwest::Client::builder().timeout(cfg.timeout).build()?;
    let notified = std::sync::Arc::new(tokio::sync::Notify::new());
    tokio::spawn(listen(database_url, std::sync::Arc::clone(&notified)));
    loop {
        match deliver_due(&pool, &http, &cfg).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "alert delivery round failed; retrying"),
        }
        tokio::select! {
            _ = notified.notified() => {}
            _ = tokio::time::sleep(cfg.poll) => {}
        }
    }
}

/// `LISTEN`s on [`CHANNEL`] and wakes the worker (reconnecting after errors); polling covers gaps.
async fn listen(url: String, notified: std::sync::Arc<tokio::sync::Notify>) {
    use futures::StreamExt;
    loop {
        if let Ok((client, mut conn)) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await {
            let mut messages = futures::stream::poll_fn(move |cx| conn.poll_message(cx));
            let listen_sql = format!("LISTEN {CHANNEL}");
            let listening = client.batch_execute(&listen_sql);
            let pump = async {
                while let Some(m) = messages.next().await {
                    match m {
                        Ok(tokio_postgres::AsyncMessage::Notification(_)) => notified.notify_one(),
                        Ok(_) => {}
                        Err(_) => break,
                    }
                }
            };
            let _ = futures::join!(listening, pump);
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}
