//! Alert mutations (create, update, disable, enable, delete), authenticated by an API key and
//! written to the primary. Every refusal is typed: `UNAUTHENTICATED`, `FORBIDDEN`,
//! `UNKNOWN_ACCOUNT`, `ACCOUNT_CLOSED`, `INVALID_THRESHOLD`, `INVALID_WEBHOOK`,
//! `PRIVATE_WEBHOOK`, `INVALID_NAME`, `NOT_FOUND`.

use std::str::FromStr;

use async_graphql::{Context, InputObject, Object, SimpleObject};
use cosmwasm_std::Decimal256;
use rand::RngCore;

use super::alerts::{alert_columns, Alert, AlertComparator, AlertMetric};
use super::auth::{api_key, may_act_for, primary};
use super::connection::Node;
use crate::alerts::keys::ApiKey;
use crate::alerts::rule::Metric;
use crate::alerts::webhook::{self, WebhookError};
use crate::api::{ApiError, ApiState};

/// Highest threshold of `balance_percent_of_top_up` (a balance can exceed its last top-up, not
/// by orders of magnitude that would make the alert meaningless).
pub const MAX_PERCENT: u32 = 1000;
/// Longest name, in characters.
pub const MAX_NAME: usize = 200;
/// Longest note, in characters.
pub const MAX_NOTE: usize = 2000;
/// Longest webhook URL, in bytes.
pub const MAX_URL: usize = 2048;
/// Prefix of webhook secrets.
pub const SECRET_PREFIX: &str = "whsec_";
/// `disabled_reason` of an alert disabled through the API.
pub const DISABLED_BY_API: &str = "disabled through the API";

/// A new alert.
#[derive(InputObject, Clone, Debug)]
pub struct AlertInput {
    /// The account's owner.
    pub owner: String,
    /// The account's deployment sequence.
    pub dseq: i64,
    /// A name (1–200 characters).
    pub name: String,
    /// A note for people.
    pub note: Option<String>,
    /// What to measure.
    pub metric: AlertMetric,
    /// How to compare.
    pub comparator: AlertComparator,
    /// Base units (balance), percent (0–1000) or seconds (> 0), as a decimal string.
    pub threshold: String,
    /// http(s) URL the transitions are POSTed to.
    pub webhook_url: String,
}

/// Changes to an alert; what is not given is kept.
#[derive(InputObject, Clone, Debug, Default)]
pub struct AlertUpdateInput {
    /// A new name.
    pub name: Option<String>,
    /// A new note.
    pub note: Option<String>,
    /// A new metric (its threshold is checked against it).
    pub metric: Option<AlertMetric>,
    /// A new comparator.
    pub comparator: Option<AlertComparator>,
    /// A new threshold.
    pub threshold: Option<String>,
    /// A new webhook URL.
    pub webhook_url: Option<String>,
}

/// A created alert and the secret its deliveries are signed with (shown only here).
#[derive(SimpleObject)]
pub struct CreatedAlert {
    /// The alert.
    pub alert: Alert,
    /// The HMAC-SHA256 key of `Supercloud-Signature` (keep it: it is not shown again).
    pub secret: String,
}

/// The threshold as stored, or `INVALID_THRESHOLD`.
pub fn threshold(metric: Metric, text: &str) -> Result<Decimal256, ApiError> {
    let bad = |why: &str| {
        ApiError::bad_input(
            "INVALID_THRESHOLD",
            format!("threshold {text:?} for {metric}: {why}"),
        )
    };
    let t = text.trim();
    if t.starts_with('-') {
        return Err(bad("must not be negative"));
    }
    let v = Decimal256::from_str(t).map_err(|_| bad("not a decimal number"))?;
    match metric {
        Metric::Balance => {}
        Metric::BalancePercentOfTopUp => {
            if v > Decimal256::from_atomics(MAX_PERCENT, 0).map_err(|_| bad("out of range"))? {
                return Err(bad(&format!("a percent must be at most {MAX_PERCENT}")));
            }
        }
        Metric::TimeToDepletion => {
            if v.is_zero() {
                return Err(bad("a duration must be more than zero seconds"));
            }
        }
    }
    Ok(v)
}

/// The name trimmed, or `INVALID_NAME`.
fn name(text: &str) -> Result<String, ApiError> {
    let n = text.trim();
    if n.is_empty() || n.chars().count() > MAX_NAME {
        return Err(ApiError::bad_input(
            "INVALID_NAME",
            format!("a name has 1 to {MAX_NAME} characters"),
        ));
    }
    Ok(n.to_string())
}

/// The note (an empty one clears it), or `INVALID_NOTE`.
fn note(text: Option<String>) -> Result<Option<String>, ApiError> {
    match text {
        Some(n) if n.trim().is_empty() => Ok(None),
        Some(n) if n.chars().count() > MAX_NOTE => Err(ApiError::bad_input(
            "INVALID_NOTE",
            format!("a note has at most {MAX_NOTE} characters"),
        )),
        other => Ok(other),
    }
}

/// The URL if the operator's policy lets alerts call it.
async fn webhook_url(state: &ApiState, url: &str) -> Result<String, ApiError> {
    if url.len() > MAX_URL {
        return Err(ApiError::bad_input(
            "INVALID_WEBHOOK",
            format!("a webhook URL has at most {MAX_URL} bytes"),
        ));
    }
    match webhook::check(url, state.allow_private_webhooks).await {
        Ok(u) => Ok(u.to_string()),
        Err(e @ WebhookError::Private(_)) => {
            Err(ApiError::bad_input("PRIVATE_WEBHOOK", e.to_string()))
        }
        Err(e) => Err(ApiError::bad_input("INVALID_WEBHOOK", e.to_string())),
    }
}

/// A new webhook secret (256 bits).
fn secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{SECRET_PREFIX}{}", hex::encode(bytes))
}

/// `UNKNOWN_ACCOUNT` / `ACCOUNT_CLOSED` unless the account exists and is not closed.
async fn open_account(
    client: &deadpool_postgres::Client,
    owner: &str,
    dseq: i64,
) -> Result<(), ApiError> {
    let row = client
        .query_opt(
            "SELECT state FROM escrow_account WHERE owner = $1 AND dseq = $2",
            &[&owner, &dseq],
        )
        .await?;
    match row.map(|r| r.try_get::<_, String>(0)).transpose()? {
        None => Err(ApiError::bad_input(
            "UNKNOWN_ACCOUNT",
            format!("no escrow account {owner}/{dseq}"),
        )),
        Some(s) if s == "closed" => Err(ApiError::bad_input(
            "ACCOUNT_CLOSED",
            format!("escrow account {owner}/{dseq} is closed"),
        )),
        Some(_) => Ok(()),
    }
}

/// The owner and metric of alert `id` if `key` may act on it (`NOT_FOUND`, `FORBIDDEN`).
async fn owned(
    client: &deadpool_postgres::Client,
    key: &ApiKey,
    id: i64,
) -> Result<Alert, ApiError> {
    let row = client
        .query_opt(
            &format!("SELECT {} FROM alert WHERE id = $1", alert_columns()),
            &[&id],
        )
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no alert {id}")))?;
    let alert = Alert::from_row(&row)?;
    may_act_for(key, &alert.owner)?;
    Ok(alert)
}

/// `SET …` on alert `id`, returning it.
async fn set(
    client: &deadpool_postgres::Client,
    id: i64,
    assignments: &str,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> Result<Alert, ApiError> {
    let mut all: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = vec![&id];
    all.extend_from_slice(params);
    let row = client
        .query_opt(
            &format!(
                "UPDATE alert SET {assignments}, updated_at = now() WHERE id = $1 RETURNING {}",
                alert_columns()
            ),
            &all,
        )
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no alert {id}")))?;
    Alert::from_row(&row)
}

/// Alert mutations.
#[derive(Default)]
pub struct AlertMutation;

#[Object]
impl AlertMutation {
    /// Creates an alert on an open escrow account the key may act on; returns it with its
    /// webhook secret (shown only now).
    async fn create_alert(
        &self,
        ctx: &Context<'_>,
        input: AlertInput,
    ) -> async_graphql::Result<CreatedAlert> {
        let (state, key) = api_key(ctx).await?;
        may_act_for(&key, &input.owner)?;
        let metric = Metric::from(input.metric);
        let t = threshold(metric, &input.threshold)?.to_string();
        let name = name(&input.name)?;
        let note = note(input.note)?;
        let url = webhook_url(&state, &input.webhook_url).await?;
        let client = primary(&state)?.get().await.map_err(ApiError::from)?;
        open_account(&client, &input.owner, input.dseq).await?;
        let secret = secret();
        let comparator = crate::alerts::rule::Comparator::from(input.comparator);
        let row = client
            .query_one(
                &format!(
                    "INSERT INTO alert (api_key_id, owner, dseq, name, note, metric, comparator,
                                        threshold, webhook_url, secret)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::numeric, $9, $10)
                     RETURNING {}",
                    alert_columns()
                ),
                &[
                    &key.id,
                    &input.owner,
                    &input.dseq,
                    &name,
                    &note,
                    &metric.as_str(),
                    &comparator.as_str(),
                    &t,
                    &url,
                    &secret,
                ],
            )
            .await
            .map_err(ApiError::from)?;
        Ok(CreatedAlert {
            alert: Alert::from_row(&row)?,
            secret,
        })
    }

    /// Changes an alert's name, note, condition or webhook; its state is kept and the next
    /// block is evaluated under the new condition.
    async fn update_alert(
        &self,
        ctx: &Context<'_>,
        id: i64,
        input: AlertUpdateInput,
    ) -> async_graphql::Result<Alert> {
        let (state, key) = api_key(ctx).await?;
        let client = primary(&state)?.get().await.map_err(ApiError::from)?;
        let old = owned(&client, &key, id).await?;
        let metric = Metric::from(input.metric.unwrap_or(old.metric));
        let t = threshold(metric, input.threshold.as_deref().unwrap_or(&old.threshold))?;
        let name = name(input.name.as_deref().unwrap_or(&old.name))?;
        let note = note(input.note.or(old.note))?;
        let comparator =
            crate::alerts::rule::Comparator::from(input.comparator.unwrap_or(old.comparator));
        let url = match &input.webhook_url {
            Some(u) => webhook_url(&state, u).await?,
            None => old.webhook_url,
        };
        let t = t.to_string();
        Ok(set(
            &client,
            id,
            "name = $2, note = $3, metric = $4, comparator = $5, threshold = $6::text::numeric,
             webhook_url = $7",
            &[
                &name,
                &note,
                &metric.as_str(),
                &comparator.as_str(),
                &t,
                &url,
            ],
        )
        .await?)
    }

    /// Stops evaluating an alert (no deliveries until it is enabled again).
    async fn disable_alert(&self, ctx: &Context<'_>, id: i64) -> async_graphql::Result<Alert> {
        let (state, key) = api_key(ctx).await?;
        let client = primary(&state)?.get().await.map_err(ApiError::from)?;
        owned(&client, &key, id).await?;
        Ok(set(
            &client,
            id,
            "enabled = FALSE, disabled_reason = $2",
            &[&DISABLED_BY_API],
        )
        .await?)
    }

    /// Evaluates an alert again (refused if its account has closed).
    async fn enable_alert(&self, ctx: &Context<'_>, id: i64) -> async_graphql::Result<Alert> {
        let (state, key) = api_key(ctx).await?;
        let client = primary(&state)?.get().await.map_err(ApiError::from)?;
        let old = owned(&client, &key, id).await?;
        open_account(&client, &old.owner, old.dseq).await?;
        Ok(set(&client, id, "enabled = TRUE, disabled_reason = NULL", &[]).await?)
    }

    /// Deletes an alert with its deliveries and their log; returns its id.
    async fn delete_alert(&self, ctx: &Context<'_>, id: i64) -> async_graphql::Result<i64> {
        let (state, key) = api_key(ctx).await?;
        let client = primary(&state)?.get().await.map_err(ApiError::from)?;
        owned(&client, &key, id).await?;
        let n = client
            .execute("DELETE FROM alert WHERE id = $1", &[&id])
            .await
            .map_err(ApiError::from)?;
        if n == 0 {
            return Err(ApiError::NotFound(format!("no alert {id}")).into());
        }
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_are_checked_per_metric() {
        let code = |m, t| threshold(m, t).unwrap_err().code();
        assert_eq!(threshold(Metric::Balance, "0").unwrap(), Decimal256::zero());
        assert_eq!(
            threshold(Metric::Balance, " 12.5 ").unwrap().to_string(),
            "12.5"
        );
        assert_eq!(code(Metric::Balance, "-1"), "INVALID_THRESHOLD");
        assert_eq!(code(Metric::Balance, "ten"), "INVALID_THRESHOLD");
        assert_eq!(code(Metric::Balance, "1e3"), "INVALID_THRESHOLD");
        assert_eq!(code(Metric::Balance, ""), "INVALID_THRESHOLD");
        assert!(threshold(Metric::BalancePercentOfTopUp, "1000").is_ok());
        assert_eq!(
            code(Metric::BalancePercentOfTopUp, "1000.5"),
            "INVALID_THRESHOLD"
        );
        assert_eq!(code(Metric::TimeToDepletion, "0"), "INVALID_THRESHOLD");
        assert_eq!(code(Metric::TimeToDepletion, "0.000"), "INVALID_THRESHOLD");
        assert!(threshold(Metric::TimeToDepletion, "3600").is_ok());
    }

    #[test]
    fn names_and_notes_are_bounded_and_secrets_random() {
        assert_eq!(name("  low  ").unwrap(), "low");
        assert_eq!(name("  ").unwrap_err().code(), "INVALID_NAME");
        assert_eq!(name(&"x".repeat(201)).unwrap_err().code(), "INVALID_NAME");
        assert_eq!(
            note(Some("y".repeat(2001))).unwrap_err().code(),
            "INVALID_NOTE"
        );
        assert!(note(None).unwrap().is_none());
        assert!(note(Some(" ".into())).unwrap().is_none());
        let (a, b) = (secret(), secret());
        assert_ne!(a, b);
        assert!(a.starts_with(SECRET_PREFIX) && a.len() == SECRET_PREFIX.len() + 64);
    }
}
